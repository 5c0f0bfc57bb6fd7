import { Suspense, useState } from 'react';
import { lazyPart } from '../../ui/lazyPart';
import { useLiveSession } from './useLiveSession';
import { When } from '../../ui/When';

// Opened by a click, seldom: its code loads then, not with the page.
const MinutesView = lazyPart(() => import('./MinutesView').then((m) => m.MinutesView), 'The minutes');

/** Sessions that have ended, newest first, each opening its minutes. */
export function PastSessions() {
  const { past, minutes } = useLiveSession();
  const [open, setOpen] = useState<string | null>(null);
  if (past.length === 0) return null;
  const shown = open ? minutes[open] : undefined;
  return (
    <div className="past-sessions" data-testid="past-sessions">
      <h3 className="panel__subtitle">Past sessions</h3>
      <ol className="history__list">
        {past.map((s) => (
          <li key={s.id} className="history__item" data-testid="past-session">
            <span className="history__label">{s.title}</span>
            <span className="history__by">{s.endedAt && <When iso={s.endedAt} />}</span>
            <button type="button" className="button button--ghost button--small" disabled={!minutes[s.id]} onClick={() => setOpen(s.id)}>
              {minutes[s.id] ? 'Minutes' : 'Writing minutes…'}
            </button>
          </li>
        ))}
      </ol>
      {shown && (
        <Suspense fallback={<p className="panel__hint">Opening the minutes…</p>}>
          <MinutesView minutes={shown} onClose={() => setOpen(null)} />
        </Suspense>
      )}
    </div>
  );
}
