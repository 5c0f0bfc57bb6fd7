import { Suspense, useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { lazyPart } from '../ui/lazyPart';
import { PartBoundary } from '../ui/PartBoundary';

// What opens over the page on request comes in a chunk of its own: the agreement's first load
// carries none of it (issue 17: the app's bytes on the wire).
const SnapshotViewer = lazyPart(() => import('./SnapshotViewer').then((m) => m.SnapshotViewer), 'The snapshot');
const CompareView = lazyPart(() => import('./CompareView').then((m) => m.CompareView), 'The comparison');

export type HistoryView =
  | { kind: 'snapshot'; id: string }
  | { kind: 'compare'; from: string; to: string }
  /** One objective from the moment a party stated its stance on it until now. */
  | { kind: 'objective'; objectiveId: string; party: string; partyName: string };

const LABELS: Record<HistoryView['kind'], string> = { snapshot: 'Snapshot', compare: 'Comparison', objective: 'Changes to the objective' };

/**
 * A snapshot or a comparison over the page (and alone on paper when printed). It is a modal
 * dialog: focus moves into it, Tab stays inside, and on closing focus goes back to where it was.
 */
export function HistoryOverlay({ view, onClose, onRestored }: { view: HistoryView; onClose: () => void; onRestored: () => void }) {
  const dialog = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeButton.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
      if (e.key !== 'Tab' || !dialog.current) return;
      const focusable = [...dialog.current.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea, [tabindex]:not([tabindex="-1"])')].filter(
        (el) => !el.hasAttribute('disabled'),
      );
      if (focusable.length === 0) return;
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      if (opener?.isConnected) opener.focus();
    };
  }, [onClose]);

  return createPortal(
    <div className="history-overlay" role="dialog" aria-modal="true" aria-label={LABELS[view.kind]} ref={dialog}>
      <div className="history-overlay__body">
        <button type="button" ref={closeButton} className="button button--ghost button--small history-overlay__close" onClick={onClose}>
          Close
        </button>
        {/* A view that cannot load (offline, its code not on the device) fails here, not the agreement under it. */}
        <PartBoundary what={`the ${LABELS[view.kind].toLowerCase()}`}>
          <Suspense fallback={<p className="panel__hint">Opening…</p>}>
            {view.kind === 'snapshot' && <SnapshotViewer snapshotId={view.id} onRestored={onRestored} />}
            {view.kind === 'compare' && <CompareView source={{ from: view.from, to: view.to }} />}
            {view.kind === 'objective' && <CompareView source={{ objectiveId: view.objectiveId, party: view.party, partyName: view.partyName }} />}
          </Suspense>
        </PartBoundary>
      </div>
    </div>,
    document.body,
  );
}
