import { useEffect, useMemo, useState } from 'react';
import { can } from '#shared/permissions';
import type { SnapshotView } from '#shared/snapshots';
import { documentExtensions } from '#shared/schema';
import { useAgreement } from '../agreement/AgreementContext';
import { DocumentHtml } from './DocumentHtml';
import { ExportButtons } from './ExportButtons';
import { openSnapshot, restoreSnapshot } from './historyApi';
import { formatDate, personLabel } from './format';

/** One snapshot, read-only, as the text stood then, with the stances and open threads of that moment. */
export function SnapshotViewer({ snapshotId, onRestored }: { snapshotId: string; onRestored: () => void }) {
  const { view, token } = useAgreement();
  const [snapshot, setSnapshot] = useState<SnapshotView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(false);
  const extensions = useMemo(() => documentExtensions(), []);

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

  if (error) return <p className="form-error" role="alert">{error}</p>;
  if (!snapshot) return <p className="panel__hint">Opening the snapshot…</p>;
  const stances = Object.entries(snapshot.context.stances);
  const threads = Object.keys(snapshot.context.openThreads).length;
  return (
    <div className="history-snapshot" data-testid="snapshot-viewer">
      <header className="history-meta">
        <h2>{snapshot.label}</h2>
        <p>
          {formatDate(snapshot.createdAt)} · by {personLabel(snapshot.createdBy, view.parties)} · fingerprint <code className="history-hash">{snapshot.hash}</code>
        </p>
        <p className="panel__hint">
          {snapshot.context.phase ? `Phase: ${String(snapshot.context.phase)} · ` : ''}
          {stances.length} stance{stances.length === 1 ? '' : 's'} recorded · {threads} open thread{threads === 1 ? '' : 's'}
        </p>
        {stances.length > 0 && (
          <ul className="history-stances">
            {stances.map(([key, value]) => (
              <li key={key}>
                {stanceLabel(key, view.parties)}: {String((value as { stance?: unknown })?.stance ?? JSON.stringify(value))}
              </li>
            ))}
          </ul>
        )}
        <div className="history-actions">
          <ExportButtons agreementId={view.id} token={token} snapshotId={snapshot.id} print />
          {can(view.me.role, 'restore') && (
            <button type="button" className="button button--small" onClick={restore} disabled={restoring}>
              Restore this version
            </button>
          )}
        </div>
      </header>
      <DocumentHtml content={snapshot.content} extensions={extensions} testId="snapshot-document" />
    </div>
  );
}

/** Stances are keyed `${objectiveId}:${partyId}`. */
function stanceLabel(key: string, parties: { id: string; name: string }[]): string {
  const [objective, party] = key.split(':');
  return `${parties.find((p) => p.id === party)?.name ?? party} on ${objective}`;
}
