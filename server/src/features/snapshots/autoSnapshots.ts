import type { AgreementEventBus } from '../../events';
import type { Logger } from '../../log';
import { authorOf } from '../../records/write';
import { PHASE_LABELS, isPhase } from '#shared/phases';
import type { SnapshotService } from './service';

/** Snapshots the agreement takes by itself: at each phase change, and once everyone agrees to everything. */
export function autoSnapshots(events: AgreementEventBus, snapshots: SnapshotService, log: Logger): void {
  const take = (agreementId: string, label: string, by: Parameters<typeof authorOf>[0], reason: 'phase' | 'agreed') => {
    // Listeners must not throw; a failed automatic snapshot is logged, and the change it follows stands.
    snapshots.take(agreementId, label, authorOf(by), reason).catch((err: unknown) => log.error({ err, agreementId }, 'automatic snapshot failed'));
  };
  events.on('phase.changed', ({ agreementId, by, phase }) => take(agreementId, `Phase: ${isPhase(phase) ? PHASE_LABELS[phase] : phase}`, by, 'phase'));
  events.on('objectives.allAgreed', ({ agreementId, by }) => take(agreementId, 'Every party agreed to every objective', by, 'agreed'));
}
