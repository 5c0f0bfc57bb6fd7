import type { Logger } from '../log';
import type { AppContext } from '../context';
import { authorOf } from '../records/write';
import { PHASE_LABELS, isPhase } from '#shared/phases';
import type { SnapshotService } from './SnapshotService';

/** Snapshots the agreement takes by itself: at each phase change, and once everyone agrees to everything. */
export function autoSnapshots(ctx: AppContext, snapshots: SnapshotService, log: Logger): void {
  const take = (agreementId: string, label: string, by: Parameters<typeof authorOf>[0], reason: 'phase' | 'agreed') => {
    // Listeners must not throw; a failed automatic snapshot is logged, and the change it follows stands.
    snapshots.take(agreementId, label, authorOf(by), reason).catch((err: unknown) => log.error({ err, agreementId }, 'automatic snapshot failed'));
  };
  ctx.events.on('phase.changed', ({ agreementId, by, phase }) => take(agreementId, `Phase: ${isPhase(phase) ? PHASE_LABELS[phase] : phase}`, by, 'phase'));
  ctx.events.on('objectives.allAgreed', ({ agreementId, by }) => take(agreementId, 'Every party agreed to every objective', by, 'agreed'));
}
