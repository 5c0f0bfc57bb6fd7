import type { Structure } from '../objectives/useStructure';
import { OBJECTIVE_STATUS_LABELS } from '#shared/objectives';
import { useLiveSession } from '../session/console/useLiveSession';
import { jumpToObjective } from './jump';
import { Day } from '../ui/When';
import { PanelOpening } from '../ui/PanelOpening';
import { useToday } from '../ui/useToday';
import { isCalendarDay } from '#shared/dayInWords';
import { ActionDoneBox } from './ActionDoneBox';
import { DeliveredBox, deliveredBy } from '../objectives/DeliveredBox';

/** A date before today's: the day has passed in the reader's zone (a day the calendar lacks is never overdue). */
const isOverdue = (day: string, today: string) => isCalendarDay(day) && day < today;

/** Said in words beside the date, not by colour alone. */
function Overdue() {
  return <span className="timeline__overdue">Overdue</span>;
}

/** An action marked done, a quick win delivered: never overdue, and said in words too. */
function Met({ word }: { word: 'Done' | 'Delivered' }) {
  return <span className="timeline__done">{word}</span>;
}

/**
 * The quick wins in date order (undated last), with owners, and the dated actions agreed in sessions: the early
 * successes to share. Those whose date has passed are marked overdue, so the broker can chase them, until an
 * action is marked done or a quick win delivered.
 */
export function QuickWinTimeline({ structure }: { structure: Structure }) {
  const today = useToday();
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
          {entries.map((e) => {
            const met = e.kind === 'win' ? e.o.delivered : e.a.done;
            // A quick win's delivery is a record: until the records come, it is not called overdue (it may be delivered).
            const overdue = isOverdue(e.date, today) && !met && (e.kind === 'action' || structure.recordsIn);
            const itemClass = overdue ? 'timeline__item timeline__item--overdue' : 'timeline__item';
            return e.kind === 'win' ? (
              <li key={e.o.id} className={itemClass}>
                <span className="timeline__when">
                  {e.o.targetDate ? <Day className="timeline__date" day={e.o.targetDate} /> : <span className="timeline__date">No date yet</span>}
                  {overdue && <Overdue />}
                  {e.o.delivered && <Met word="Delivered" />}
                </span>
                <button type="button" className="link-button" onClick={() => jumpToObjective(e.o.id)}>
                  {e.o.title || 'Untitled objective'}
                </button>
                <span className="timeline__meta">
                  {e.o.owners ? `Owners: ${e.o.owners}` : 'No owners yet'}
                  {/* Its standing once the stances are in: before, every quick win would read as waiting. */}
                  {structure.recordsIn && ` · ${OBJECTIVE_STATUS_LABELS[e.o.status]}`}
                  {e.o.delivered && ` · marked delivered by ${deliveredBy(e.o.delivered)}`}
                </span>
                {/* Not before the records: an empty box would say a delivered quick win is not. */}
                {structure.recordsIn && (
                  <DeliveredBox
                    objectiveId={e.o.id}
                    scope={e.o.scope}
                    delivered={!!e.o.delivered}
                    label={`Delivered: ${e.o.title || 'Untitled objective'}`}
                    className="timeline__done-box"
                  />
                )}
              </li>
            ) : (
              <li key={e.a.id} className={itemClass} data-testid="timeline-action">
                <span className="timeline__when">
                  <Day className="timeline__date" day={e.date} />
                  {overdue && <Overdue />}
                  {e.a.done && <Met word="Done" />}
                </span>
                <span>Action: {e.a.what}</span>
                <span className="timeline__meta">
                  Owner: {e.a.owner.name}
                  {e.a.done && ` · marked done by ${e.a.done.by.name}`}
                </span>
                <ActionDoneBox action={e.a} />
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
