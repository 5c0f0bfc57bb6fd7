import type { Structure } from '../objectives/useStructure';
import { OBJECTIVE_STATUS_LABELS } from '#shared/objectives';
import { jumpToObjective } from './jump';

/** The quick wins in date order (undated last), with owners: the early successes to share. */
export function QuickWinTimeline({ structure }: { structure: Structure }) {
  const wins = structure.objectives
    .filter((o) => o.quickWin)
    .sort((a, b) => (a.targetDate || '9999').localeCompare(b.targetDate || '9999'));
  return (
    <section className="panel" aria-labelledby="quick-wins-title">
      <h2 className="panel__title" id="quick-wins-title">
        Quick wins <span className="panel__count">{wins.length}</span>
      </h2>
      {wins.length === 0 ? (
        <p className="panel__hint">Mark a few small, early, visible objectives as quick wins to keep everyone on board.</p>
      ) : (
        <ol className="timeline" data-testid="quick-wins">
          {wins.map((o) => (
            <li key={o.id} className="timeline__item">
              <time className="timeline__date">{o.targetDate ? new Date(`${o.targetDate}T00:00`).toLocaleDateString() : 'No date yet'}</time>
              <button type="button" className="link-button" onClick={() => jumpToObjective(o.id)}>
                {o.title || 'Untitled objective'}
              </button>
              <span className="timeline__meta">
                {o.owners ? `Owners: ${o.owners}` : 'No owners yet'} · {OBJECTIVE_STATUS_LABELS[o.status]}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
