import { useEffect } from 'react';
import { createPortal } from 'react-dom';
import { CompareView } from './CompareView';
import { SnapshotViewer } from './SnapshotViewer';

export type HistoryView = { kind: 'snapshot'; id: string } | { kind: 'compare'; from: string; to: string };

/** A snapshot or a comparison over the page (and alone on paper when printed). */
export function HistoryOverlay({ view, onClose, onRestored }: { view: HistoryView; onClose: () => void; onRestored: () => void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return createPortal(
    <div className="history-overlay" role="dialog" aria-modal="true" aria-label={view.kind === 'snapshot' ? 'Snapshot' : 'Comparison'}>
      <div className="history-overlay__body">
        <button type="button" className="button button--ghost button--small history-overlay__close" onClick={onClose}>
          Close
        </button>
        {view.kind === 'snapshot' ? <SnapshotViewer snapshotId={view.id} onRestored={onRestored} /> : <CompareView from={view.from} to={view.to} />}
      </div>
    </div>,
    document.body,
  );
}
