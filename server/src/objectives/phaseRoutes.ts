import type { FastifyInstance } from 'fastify';
import { RecordsKey } from '#shared/records';
import { PHASES, PHASE_LABELS, isPhase, type Phase, type PhaseChange } from '#shared/phases';
import type { AppContext } from '../context';
import { findAgreement } from '../http/agreements';
import { forbidden } from '../http/errors';
import { requireIdentity } from '../http/identity';
import { authorOf, logActivity, writeRecords } from '../records/write';

/** The broker moves the agreement through the life-cycle phases; each change is logged. */
export function phaseRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Params: { id: string }; Body: { phase: Phase } }>(
    '/api/agreements/:id/phase',
    {
      schema: {
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } },
        body: { type: 'object', required: ['phase'], additionalProperties: false, properties: { phase: { type: 'string', enum: PHASES } } },
      },
    },
    async (request) => {
      const me = await requireIdentity(ctx.access, request, request.params.id);
      const agreement = await findAgreement(ctx, request.params.id);
      if (me.role !== 'broker') throw forbidden('only a broker can change the phase');
      const { phase } = request.body;
      const change = await writeRecords(ctx.rooms, agreement.id, (doc) => {
        const meta = doc.getMap<unknown>(RecordsKey.meta);
        const current = meta.get('phase');
        const previous = isPhase(current) ? current : null;
        // Moving to the phase it is already in is not a change: nothing to record.
        if (previous === phase) return null;
        const entry: PhaseChange = { phase, previous, by: authorOf(me), at: new Date().toISOString() };
        meta.set('phase', phase);
        doc.getArray<PhaseChange>(RecordsKey.phaseLog).push([entry]);
        logActivity(doc, entry.by, 'phase.changed', `Phase: ${PHASE_LABELS[phase]}`);
        return entry;
      });
      if (change) ctx.events.emit('phase.changed', { agreementId: agreement.id, by: me, phase, previous: change.previous });
      return { phase, changed: change !== null, ...(change ? { change } : {}) };
    },
  );
}
