import type { FastifyInstance } from 'fastify';
import { ROLES, SECTORS } from '#shared/roles';
import { type AgreementSummary, type AgreementView, type CreateAgreementRequest, type InviteRequest, type InviteResponse } from '#shared/protocol';
import { MAX_LINK_DAYS } from '#shared/access';
import { TextFormat } from '#shared/text';
import { partyColor } from '#shared/colors';
import { isValidId } from '#shared/rooms';
import type { AppContext } from '../context';
import type { AgreementRecord } from '../storage/port';
import { newId } from '../ids';
import { forbidden, notFound } from './errors';
import { requireIdentity } from './identity';
import { TEMPLATES } from '#shared/template';
import { applyTemplate } from '../objectives/template';

/** A title, name or label: something visible, and nothing that misleads (see #shared/text). */
export const nonEmptyText = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength, pattern: '\\S', format: TextFormat.line }) as const;

/** Days a link stays valid, or null for never. */
export const expiresInDays = { type: ['integer', 'null'], minimum: 1, maximum: MAX_LINK_DAYS } as const;

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
      // The creator's link never expires: an agreement must not lock out the broker who runs it.
      const link = ctx.access.newLink(null);
      const record: AgreementRecord = {
        id: newId(),
        title: title.trim(),
        createdAt: now,
        parties: parties.map((p) => ({ id: newId(6), name: p.name.trim(), sector: p.sector })),
        people: [{ id: personId, name: creatorName.trim(), role: 'broker', invitedAt: now, links: [link] }],
      };
      await ctx.storage.createAgreement(record);
      await applyTemplate(ctx, record.id, record.title, request.body.template ?? 'blank');
      const { token, url } = await ctx.access.linkFor(record.id, personId, link);
      await ctx.audit.record(record.id, 'agreement.created', `Created "${record.title}"`, { personId, name: creatorName.trim(), role: 'broker' });
      reply.code(201);
      return { ...summarize(record), token, url };
    },
  );

  app.get<{ Params: { id: string } }>('/api/agreements/:id', { schema: { params: idParams } }, async (request): Promise<AgreementView> => {
    const me = await requireIdentity(ctx.access, request, request.params.id);
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
            expiresInDays,
          },
        },
      },
    },
    async (request, reply): Promise<InviteResponse> => {
      const me = await requireIdentity(ctx.access, request, request.params.id);
      if (me.role !== 'broker') throw forbidden('only a broker can invite people');
      const record = await findAgreement(ctx, request.params.id);
      const { role, party, expiresInDays } = request.body;
      const { token, url, expiresAt, person } = await ctx.people.invite(me, record, { role, name: request.body.name.trim(), party, expiresInDays });
      reply.code(201);
      return { token, url, expiresAt, personId: person.id, role, name: person.name, ...(person.party ? { party: person.party } : {}) };
    },
  );
}
