import type { FastifyInstance } from 'fastify';
import type { ChangeRoleRequest, PeopleResponse, ReissueRequest } from '#shared/access';
import type { Identity } from '#shared/protocol';
import { ROLES } from '#shared/roles';
import type { AppContext } from '../context';
import { expiresInDays, findAgreement } from './agreements';
import { forbidden } from './errors';
import { requireIdentity } from './identity';

const id = { type: 'string', minLength: 1, maxLength: 64 } as const;
const agreementParams = { type: 'object', required: ['id'], properties: { id } } as const;
const personParams = { type: 'object', required: ['id', 'personId'], properties: { id, personId: id } } as const;
const linkParams = { type: 'object', required: ['id', 'personId', 'linkId'], properties: { id, personId: id, linkId: id } } as const;

type PersonParams = { id: string; personId: string };

/**
 * People of an agreement and their access: everyone invited may list them (for mentions and to
 * see who reads along); only brokers revoke, re-issue links and change roles.
 */
export function peopleRoutes(app: FastifyInstance, ctx: AppContext): void {
  async function broker(agreementId: string, request: Parameters<typeof requireIdentity>[1]): Promise<Identity> {
    const me = await requireIdentity(ctx.access, request, agreementId);
    if (me.role !== 'broker') throw forbidden('only a broker manages people and their links');
    return me;
  }

  app.get<{ Params: { id: string } }>('/api/agreements/:id/people', { schema: { params: agreementParams } }, async (request): Promise<PeopleResponse> => {
    const me = await requireIdentity(ctx.access, request, request.params.id);
    return { people: ctx.people.list(me, await findAgreement(ctx, request.params.id)) };
  });

  app.delete<{ Params: PersonParams }>('/api/agreements/:id/people/:personId', { schema: { params: personParams } }, async (request, reply) => {
    const me = await broker(request.params.id, request);
    await ctx.people.revoke(me, await findAgreement(ctx, request.params.id), request.params.personId);
    return reply.code(204).send();
  });

  app.delete<{ Params: PersonParams & { linkId: string } }>(
    '/api/agreements/:id/people/:personId/links/:linkId',
    { schema: { params: linkParams } },
    async (request, reply) => {
      const me = await broker(request.params.id, request);
      const { personId, linkId } = request.params;
      await ctx.people.revokeLink(me, await findAgreement(ctx, request.params.id), personId, linkId);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: PersonParams; Body: ReissueRequest }>(
    '/api/agreements/:id/people/:personId/links',
    {
      schema: { params: personParams, body: { type: 'object', additionalProperties: false, properties: { expiresInDays } } },
      // The body is optional: no body means the default expiry.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const me = await broker(request.params.id, request);
      const link = await ctx.people.reissue(me, await findAgreement(ctx, request.params.id), request.params.personId, request.body.expiresInDays);
      reply.code(201);
      return link;
    },
  );

  app.patch<{ Params: PersonParams; Body: ChangeRoleRequest }>(
    '/api/agreements/:id/people/:personId',
    {
      schema: {
        params: personParams,
        body: {
          type: 'object',
          required: ['role'],
          additionalProperties: false,
          properties: { role: { type: 'string', enum: ROLES }, party: id },
        },
      },
    },
    async (request) => {
      const me = await broker(request.params.id, request);
      const { role, party } = request.body;
      return { person: await ctx.people.changeRole(me, await findAgreement(ctx, request.params.id), request.params.personId, role, party) };
    },
  );
}
