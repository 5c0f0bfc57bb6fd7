import type { Structure } from '../objectives/useStructure';
import { OBJECTIVE_STATUS_LABELS } from '#shared/objectives';
import { useLiveSession } from '../session/console/useLiveSession';
import { jumpToObjective } from './jump';
import { Day } from '../ui/When';
import { PanelOpening } from '../ui/PanelOpening';

/** The quick wins in date order (undated last), with owners, and the dated actions agreed in sessions: the early successes to share. */
export function QuickWinTimeline({ structure }: { structure: Structure }) {
  const wins = structure.objectives.filter((o) => o.quickWin).map((o) => ({ kind: 'win' as const, date: o.targetDate, o }));
  const actions = useLiveSession().actions.flatMap((a) => (a.due ? [{ kind: 'action' as const, date: a.due, a }] : []));
  const entries = [...wins, ...actions].sort((x, y) => (x.date || '9999').localeCompare(y.date || '9999'));
  // Not "no quick wins yet" while the text's objectives are still being read.
  if (!structure.ready) return <PanelOpening title="Quick wins" />;
  return (
    <section className="panel" aria-labelledby="quick-wins-title">
      <h2 className="panel__title" id="quick-wins-title">
        Quick wins <span className="panel__count">{entries.length}</span>
      </h2>
      {entries.length === 0 ? (
        <p className="panel__hint">Mark a few small, early, visible objectives as quick wins to keep everyone on board.</p>
      ) : (
        <ol className="timeline" data-testid="quick-wins">
          {entries.map((e) =>
            e.kind === 'win' ? (
              <li key={e.o.id} className="timeline__item">
                {e.o.targetDate ? <Day className="timeline__date" day={e.o.targetDate} /> : <span className="timeline__date">No date yet</span>}
                <button type="button" className="link-button" onClick={() => jumpToObjective(e.o.id)}>
                  {e.o.title || 'Untitled objective'}
                </button>
                <span className="timeline__meta">
                  {e.o.owners ? `Owners: ${e.o.owners}` : 'No owners yet'}
                  {/* Its standing once the stances are in: before, every quick win would read as waiting. */}
                  {structure.stancesIn && ` · ${OBJECTIVE_STATUS_LABELS[e.o.status]}`}
                </span>
              </li>
            ) : (
              <li key={e.a.id} className="timeline__item" data-testid="timeline-action">
                <Day className="timeline__date" day={e.date} />
                <span>Action: {e.a.what}</span>
                <span className="timeline__meta">Owner: {e.a.owner.name}</span>
              </li>
            ),
          )}
        </ol>
      )}
    </section>
  );
}
