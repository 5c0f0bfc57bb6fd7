import type { FastifyInstance } from 'fastify';
import { RecordsKey } from '#shared/records';
import { STANCES, STANCE_LABELS, stanceNeedsReason, type StanceCall, type StanceRecord, type StanceValue } from '#shared/objectives';
import type { AppContext } from '../context';
import { findAgreement } from '../http/agreements';
import { HttpError, badRequest, forbidden, notFound } from '../http/errors';
import { requireIdentity } from '../http/identity';
import { authorOf, logActivity, writeRecords } from '../records/write';
import { readObjectives, type HashedObjective } from './documentReader';
import { applyStances } from './stances';

const objectiveParams = {
  type: 'object',
  required: ['id', 'objectiveId'],
  properties: { id: { type: 'string', maxLength: 64 }, objectiveId: { type: 'string', maxLength: 64 } },
} as const;

interface StanceBody {
  stance: StanceValue;
  reason?: string;
  /** The party the caller speaks for; only its own is accepted (it comes from the token anyway). */
  party?: string;
  /** The objective's hash as the caller saw it: a stance is refused if the text moved on since. */
  contentHash?: string;
}

type Params = { id: string; objectiveId: string };

async function findObjective(ctx: AppContext, agreementId: string, objectiveId: string): Promise<{ objective: HashedObjective; all: HashedObjective[] }> {
  const all = await readObjectives(ctx, agreementId);
  const objective = all.find((o) => o.id === objectiveId);
  if (!objective) throw notFound('no such objective in this agreement');
  return { objective, all };
}

/** Each party's stance on each objective, and the broker's calls for stances. */
export function stanceRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.put<{ Params: Params; Body: StanceBody }>(
    '/api/agreements/:id/objectives/:objectiveId/stance',
    {
      schema: {
        params: objectiveParams,
        body: {
          type: 'object',
          required: ['stance'],
          additionalProperties: false,
          properties: {
            stance: { type: 'string', enum: STANCES },
            reason: { type: 'string', maxLength: 2000 },
            party: { type: 'string', maxLength: 64 },
            contentHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
          },
        },
      },
    },
    async (request) => {
      const me = await requireIdentity(ctx.tokens, request, request.params.id);
      const agreement = await findAgreement(ctx, request.params.id);
      const { stance, party = me.party, contentHash } = request.body;
      const reason = request.body.reason?.trim() || undefined;
      if (me.role !== 'negotiator' || !me.party) throw forbidden('only a negotiator can state a party’s stance');
      if (party !== me.party) throw forbidden('you can state only your own party’s stance');
      if (stanceNeedsReason(stance) && !reason) throw badRequest(`“${STANCE_LABELS[stance]}” needs a reason`);
      const { objective, all } = await findObjective(ctx, agreement.id, request.params.objectiveId);
      if (contentHash !== undefined && contentHash !== objective.hash) {
        throw new HttpError(409, 'the objective was edited since you read it: read it again before stating your stance');
      }
      const record: StanceRecord = {
        objectiveId: objective.id,
        party: me.party,
        stance,
        ...(reason && stance !== 'agree' ? { reason } : {}),
        contentHash: objective.hash,
        by: authorOf(me),
        at: new Date().toISOString(),
      };
      const nowAllAgreed = await writeRecords(ctx.rooms, agreement.id, (doc) => applyStances(doc, agreement, all, [record]));
      if (nowAllAgreed) ctx.events.emit('objectives.allAgreed', { agreementId: agreement.id, by: me });
      return record;
    },
  );

  app.post<{ Params: Params }>(
    '/api/agreements/:id/objectives/:objectiveId/call-for-stances',
    { schema: { params: objectiveParams } },
    async (request, reply) => {
      const me = await requireIdentity(ctx.tokens, request, request.params.id);
      const agreement = await findAgreement(ctx, request.params.id);
      if (me.role !== 'broker') throw forbidden('only a broker can call for stances');
      const { objective } = await findObjective(ctx, agreement.id, request.params.objectiveId);
      const call: StanceCall = { objectiveId: objective.id, by: authorOf(me), at: new Date().toISOString() };
      await writeRecords(ctx.rooms, agreement.id, (doc) => {
        doc.getMap<StanceCall>(RecordsKey.stanceCalls).set(objective.id, call);
        logActivity(doc, call.by, 'stances.called', `Stances called for on “${objective.title || 'untitled objective'}”`);
      });
      reply.code(201);
      return call;
    },
  );
}
