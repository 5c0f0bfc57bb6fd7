import { useEffect, useMemo, useState } from 'react';
import { can } from '#shared/permissions';
import type { SnapshotView } from '#shared/snapshots';
import { PHASE_LABELS, isPhase } from '#shared/phases';
import { readingExtensions } from './objectiveDisplay';
import { useAgreementAccess } from '../agreement/AgreementContext';
import { DocumentHtml } from './DocumentHtml';
import { ExportButtons } from './ExportButtons';
import { openSnapshot, restoreSnapshot } from './historyApi';
import { personLabel } from './format';
import { When, formatDateTime } from '../ui/When';
import { Fingerprint } from './Fingerprint';
import { FormError } from '../ui/FormError';
import { stanceLines, useObjectiveHashes } from './snapshotStances';
import { deliveryLines } from './snapshotDeliveries';

/** One snapshot, read-only, as the text stood then, with the stances and open threads of that moment. */
export function SnapshotViewer({ snapshotId, onRestored }: { snapshotId: string; onRestored: () => void }) {
  const { view, token } = useAgreementAccess();
  const [snapshot, setSnapshot] = useState<SnapshotView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(false);
  const extensions = useMemo(() => readingExtensions(view.parties), [view.parties]);
  const hashes = useObjectiveHashes(snapshot?.content ?? null);

  useEffect(() => {
    openSnapshot(view.id, token, snapshotId).then(setSnapshot, (err: Error) => setError(err.message));
  }, [view.id, token, snapshotId]);

  const restore = async () => {
    if (!snapshot || !window.confirm(`Make “${snapshot.label}” the live text? The current text is kept as a snapshot first.`)) return;
    setRestoring(true);
    try {
      await restoreSnapshot(view.id, token, snapshot.id);
      onRestored();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setRestoring(false);
    }
  };

  if (error) return <FormError message={error} />;
  if (!snapshot) return <p className="panel__hint">Opening the snapshot…</p>;
  const recorded = Object.keys(snapshot.context.stances).length;
  // Listed once each objective's hash is known: whether a stance still held is part of what it says.
  const stances = hashes ? stanceLines(snapshot.context.stances, snapshot.content, view.parties, hashes) : [];
  const threads = Object.keys(snapshot.context.openThreads).length;
  const phase = snapshot.context.phase;
  // Recorded by snapshots taken since they keep it (null: no phase change yet; then no date is shown).
  const phaseSince = snapshot.context.phaseSince;
  const deliveries = deliveryLines(snapshot.context.quickWinDeliveries, snapshot.content, view.parties);
  return (
    <div className="history-snapshot" data-testid="snapshot-viewer">
      <header className="history-meta">
        <h2>{snapshot.label}</h2>
        <p>
          <When iso={snapshot.createdAt} seconds zone /> · by {personLabel(snapshot.createdBy, view.parties)} · fingerprint <Fingerprint hash={snapshot.hash} />
        </p>
        <p className="panel__hint">
          {phase ? `Phase: ${isPhase(phase) ? PHASE_LABELS[phase] : String(phase)}${phaseSince ? ` (since ${formatDateTime(phaseSince)})` : ''} · ` : ''}
          {recorded} stance{recorded === 1 ? '' : 's'} recorded · {threads} open thread{threads === 1 ? '' : 's'}
        </p>
        {!snapshot.verified && (
          <FormError message="This snapshot was altered after it was taken: the text below no longer matches its fingerprint. It is not the text that was agreed, and it cannot be exported or restored." />
        )}
        {stances.length > 0 && (
          <ul className="history-stances" data-testid="snapshot-stances">
            {stances.map((line) => (
              <li key={line.key}>{line.text}</li>
            ))}
          </ul>
        )}
        {deliveries && deliveries.length > 0 && (
          <ul className="history-stances" data-testid="snapshot-deliveries" aria-label="Quick wins at that moment">
            {deliveries.map((line) => (
              <li key={line.key}>{line.text}</li>
            ))}
          </ul>
        )}
        {/* An altered snapshot is neither exported nor restored (the server refuses both): no button offers it. */}
        {snapshot.verified && (
          <div className="history-actions">
            <ExportButtons agreementId={view.id} token={token} snapshotId={snapshot.id} print />
            {can(view.me.role, 'restore') && (
              <button type="button" className="button button--small" onClick={restore} disabled={restoring}>
                Restore this version
              </button>
            )}
          </div>
        )}
      </header>
      <DocumentHtml content={snapshot.content} extensions={extensions} testId="snapshot-document" />
    </div>
  );
}
