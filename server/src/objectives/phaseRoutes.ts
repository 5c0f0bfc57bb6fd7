import type { FastifyInstance } from 'fastify';
import { RecordsKey } from '#shared/records';
import { MAX_PHASE_REASON, PHASES, PHASE_LABELS, isPhase, isStepBack, type Phase, type PhaseChange } from '#shared/phases';
import type { AppContext } from '../context';
import { findAgreement } from '../http/agreements';
import { badRequest, forbidden } from '../http/errors';
import { requireIdentity } from '../http/identity';
import { authorOf, logActivity, writeRecords } from '../records/write';

/**
 * The broker moves the agreement through the life-cycle phases; each change is logged,
 * never erased. A step back to an earlier phase must give a reason, which the log keeps.
 */
export function phaseRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Params: { id: string }; Body: { phase: Phase; reason?: string } }>(
    '/api/agreements/:id/phase',
    {
      schema: {
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } },
        body: { type: 'object', required: ['phase'], additionalProperties: false, properties: { phase: { type: 'string', enum: PHASES }, reason: { type: 'string', maxLength: MAX_PHASE_REASON } } },
      },
    },
    async (request) => {
      const me = await requireIdentity(ctx.tokens, request, request.params.id);
      const agreement = await findAgreement(ctx, request.params.id);
      if (me.role !== 'broker') throw forbidden('only a broker can change the phase');
      const { phase } = request.body;
      const reason = request.body.reason?.trim() || undefined;
      const change = await writeRecords(ctx.rooms, agreement.id, (doc) => {
        const meta = doc.getMap<unknown>(RecordsKey.meta);
        const current = meta.get('phase');
        const previous = isPhase(current) ? current : null;
        // Moving to the phase it is already in is not a change: nothing to record.
        if (previous === phase) return null;
        if (isStepBack(previous, phase) && !reason) throw badRequest(`stepping back to “${PHASE_LABELS[phase]}” needs a reason`);
        const entry: PhaseChange = { phase, previous, by: authorOf(me), at: new Date().toISOString(), ...(reason ? { reason } : {}) };
        meta.set('phase', phase);
        doc.getArray<PhaseChange>(RecordsKey.phaseLog).push([entry]);
        logActivity(doc, entry.by, 'phase.changed', `Phase: ${PHASE_LABELS[phase]}${reason ? ` (${reason})` : ''}`);
        return entry;
      });
      if (change) ctx.events.emit('phase.changed', { agreementId: agreement.id, by: me, phase, previous: change.previous });
      return { phase, changed: change !== null, ...(change ? { change } : {}) };
    },
  );
}
