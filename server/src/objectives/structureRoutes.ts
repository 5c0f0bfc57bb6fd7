import type { FastifyInstance } from 'fastify';
import { RecordsKey } from '#shared/records';
import { objectiveStanding, partyStatuses, summarizeStandings, type StanceCall, type StanceRecord } from '#shared/objectives';
import { checkCompleteness } from '#shared/completeness';
import type { AppContext } from '../context';
import { findAgreement } from '../http/agreements';
import { requireIdentity } from '../http/identity';
import { readRoom } from '../records/write';
import { recordsRoom } from '#shared/rooms';
import { readDocument, readObjectives } from './documentReader';

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } } as const;

/** Read-only views of the agreement's structure: objectives with their standing, completeness. */
export function structureRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { id: string } }>('/api/agreements/:id/objectives', { schema: { params: idParams } }, async (request) => {
    await requireIdentity(ctx.access, request, request.params.id);
    const agreement = await findAgreement(ctx, request.params.id);
    const parties = agreement.parties.map((p) => p.id);
    const objectives = await readObjectives(ctx, agreement.id);
    const { stances, calls } = await readRoom(ctx.rooms, recordsRoom(agreement.id), (doc) => ({
      stances: doc.getMap<StanceRecord>(RecordsKey.stances).toJSON() as Record<string, StanceRecord>,
      calls: doc.getMap<StanceCall>(RecordsKey.stanceCalls).toJSON() as Record<string, StanceCall>,
    }));
    const listed = objectives.map(({ canonical: _canonical, ...o }) => {
      const statuses = partyStatuses(o.id, o.hash, parties, (k) => stances[k]);
      const stancesOf = Object.fromEntries(parties.flatMap((p) => (stances[`${o.id}:${p}`] ? [[p, stances[`${o.id}:${p}`]]] : [])));
      return { ...o, statuses, ...objectiveStanding(statuses, parties), stances: stancesOf, ...(calls[o.id] ? { call: calls[o.id] } : {}) };
    });
    return { objectives: listed, summary: summarizeStandings(listed) };
  });

  app.get<{ Params: { id: string } }>('/api/agreements/:id/completeness', { schema: { params: idParams } }, async (request) => {
    await requireIdentity(ctx.access, request, request.params.id);
    const agreement = await findAgreement(ctx, request.params.id);
    return checkCompleteness(await readDocument(ctx, agreement.id), agreement.parties);
  });
}
