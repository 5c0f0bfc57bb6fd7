import type { FastifyInstance } from 'fastify';
import { ROLES, SECTORS } from '#shared/roles';
import { agreementPath, type AgreementSummary, type AgreementView, type CreateAgreementRequest, type InviteRequest, type InviteResponse } from '#shared/protocol';
import { partyColor } from '#shared/colors';
import { isValidId } from '#shared/rooms';
import type { AppContext } from '../context';
import type { AgreementRecord } from '../storage/port';
import { newId } from '../ids';
import { badRequest, forbidden, notFound, unavailable } from './errors';
import { requireIdentity } from './identity';
import { TEMPLATES } from '#shared/template';
import { applyTemplate } from '../objectives/template';

const nonEmptyText = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength, pattern: '\\S' }) as const;

const partySchema = {
  type: 'object',
  required: ['name', 'sector'],
  additionalProperties: false,
  properties: { name: nonEmptyText(200), sector: { type: 'string', enum: SECTORS } },
} as const;

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 64 } },
} as const;

export function summarize(record: AgreementRecord): AgreementSummary {
  return {
    id: record.id,
    title: record.title,
    createdAt: record.createdAt,
    parties: record.parties.map((p, i) => ({ ...p, color: partyColor(i) })),
  };
}

/** Finds an agreement or answers 404. */
export async function findAgreement(ctx: AppContext, id: string): Promise<AgreementRecord> {
  const record = isValidId(id) ? await ctx.storage.getAgreement(id) : undefined;
  if (!record) throw notFound('no such agreement');
  return record;
}

/** Creating agreements, reading them, and inviting people into them. */
export function agreementRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: CreateAgreementRequest }>(
    '/api/agreements',
    {
      schema: {
        body: {
          type: 'object',
          required: ['title'],
          additionalProperties: false,
          properties: {
            title: nonEmptyText(300),
            parties: { type: 'array', maxItems: 20, items: partySchema },
            creatorName: nonEmptyText(120),
            template: { type: 'string', enum: TEMPLATES },
          },
        },
      },
    },
    async (request, reply) => {
      const { title, parties = [], creatorName = 'Broker' } = request.body;
      const now = new Date().toISOString();
      const personId = newId();
      const record: AgreementRecord = {
        id: newId(),
        title: title.trim(),
        createdAt: now,
        parties: parties.map((p) => ({ id: newId(6), name: p.name.trim(), sector: p.sector })),
        people: [{ id: personId, name: creatorName.trim(), role: 'broker', invitedAt: now }],
      };
      await ctx.storage.createAgreement(record);
      // Several instances: the one that creates an agreement takes its lease (nobody else knows it yet).
      if (!(await ctx.ownership.route(record.id)).local) throw unavailable('the new agreement is served elsewhere; open it again');
      await applyTemplate(ctx, record.id, record.title, request.body.template ?? 'blank');
      const token = await ctx.tokens.sign({ agreementId: record.id, role: 'broker', name: creatorName.trim(), personId });
      reply.code(201);
      return { ...summarize(record), token, url: agreementPath(record.id, token) };
    },
  );

  app.get<{ Params: { id: string } }>('/api/agreements/:id', { schema: { params: idParams } }, async (request): Promise<AgreementView> => {
    const me = await requireIdentity(ctx.tokens, request, request.params.id);
    const record = await findAgreement(ctx, request.params.id);
    return { ...summarize(record), me };
  });

  app.post<{ Params: { id: string }; Body: InviteRequest }>(
    '/api/agreements/:id/invites',
    {
      schema: {
        params: idParams,
        body: {
          type: 'object',
          required: ['role', 'name'],
          additionalProperties: false,
          properties: {
            role: { type: 'string', enum: ROLES },
            name: nonEmptyText(120),
            party: { type: 'string', maxLength: 64 },
          },
        },
      },
    },
    async (request, reply): Promise<InviteResponse> => {
      const me = await requireIdentity(ctx.tokens, request, request.params.id);
      if (me.role !== 'broker') throw forbidden('only a broker can invite people');
      const record = await findAgreement(ctx, request.params.id);
      const { role, party } = request.body;
      const name = request.body.name.trim();
      if (party !== undefined && !record.parties.some((p) => p.id === party)) throw badRequest('no such party in this agreement');
      if (role === 'negotiator' && party === undefined) throw badRequest('a negotiator speaks for a party: give "party"');
      const personId = newId();
      await ctx.storage.addPerson(record.id, { id: personId, name, role, party, invitedAt: new Date().toISOString() });
      const token = await ctx.tokens.sign({ agreementId: record.id, role, name, personId, party });
      reply.code(201);
      return { token, url: agreementPath(record.id, token), role, name, ...(party ? { party } : {}) };
    },
  );
}
