import { RecordsKey } from '#shared/records';
import { INITIAL_PHASE, PHASE_LABELS, isPhase, isStepBack, type Phase, type PhaseChange } from '#shared/phases';
import { ErrorCode } from '#shared/errors';
import { badRequest } from '../../errors';
import type { Identity } from '#shared/protocol';
import type { AgreementEventBus } from '../../events';
import { authorOf, logActivity, writeRecords } from '../../records/write';
import type { RoomManager } from '../../rooms/RoomManager';
import type { AgreementRecord } from '../../storage/port';

/**
 * The broker moves the agreement through the life-cycle phases; each change is logged (never
 * erased) and announced. A step back to an earlier phase must give a reason, which the log keeps.
 */
export class PhaseService {
  constructor(
    private readonly rooms: RoomManager,
    private readonly events: AgreementEventBus,
  ) {}

  /** Records `meta.phase` and a `phaseLog` entry; moving to the phase it is already in records nothing. */
  async set(me: Identity, agreement: AgreementRecord, phase: Phase, givenReason?: string): Promise<{ phase: Phase; changed: boolean; change?: PhaseChange }> {
    const reason = givenReason?.trim() || undefined;
    const change = await writeRecords(this.rooms, agreement.id, (doc) => {
      const meta = doc.getMap<unknown>(RecordsKey.meta);
      const current = meta.get('phase');
      const previous = isPhase(current) ? current : null;
      // Before any change the agreement is in the first phase, as every page shows it.
      if ((previous ?? INITIAL_PHASE) === phase) return null;
      if (isStepBack(previous, phase) && !reason) throw badRequest(ErrorCode.ReasonRequired, `stepping back to “${PHASE_LABELS[phase]}” needs a reason`);
      const entry: PhaseChange = { phase, previous, by: authorOf(me), at: new Date().toISOString(), ...(reason ? { reason } : {}) };
      meta.set('phase', phase);
      doc.getArray<PhaseChange>(RecordsKey.phaseLog).push([entry]);
      logActivity(doc, entry.by, 'phase.changed', `Phase: ${PHASE_LABELS[phase]}${reason ? ` (${reason})` : ''}`);
      return entry;
    });
    if (change) this.events.emit('phase.changed', { agreementId: agreement.id, by: me, phase, previous: change.previous });
    return { phase, changed: change !== null, ...(change ? { change } : {}) };
  }
}
