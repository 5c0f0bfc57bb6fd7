import type { AgreementEventBus } from '../../events';
import type { Logger } from '../../log';
import { authorOf } from '../../records/write';
import { PHASE_LABELS, isPhase } from '#shared/phases';
import type { SnapshotService } from './service';

/** Snapshots the agreement takes by itself: at each phase change, and once everyone agrees to everything. */
export function autoSnapshots(events: AgreementEventBus, snapshots: SnapshotService, log: Logger): void {
  // Listeners must not throw; a failed automatic snapshot is logged, and the change it follows stands.
  const logFailure = (agreementId: string) => (err: unknown) => log.error({ err, agreementId }, 'automatic snapshot failed');
  events.on('phase.changed', ({ agreementId, by, phase }) => {
    const label = `Phase: ${isPhase(phase) ? PHASE_LABELS[phase] : phase}`;
    snapshots.take(agreementId, label, authorOf(by), 'phase', false).catch(logFailure(agreementId));
  });
  events.on('objectives.allAgreed', ({ agreementId, by }) => {
    // Kept once per agreed text: toggling the last stance must not store the whole text again each time.
    snapshots.takeOnFullAgreement(agreementId, 'Every party agreed to every objective', authorOf(by)).catch(logFailure(agreementId));
  });
}
