import { OBJECTIVE_STATUS_LABELS, type ObjectiveStatus } from '#shared/objectives';
import { useAgreementAccess } from '../agreement/AgreementContext';
import type { Structure } from '../objectives/useStructure';
import { PanelOpening } from '../ui/PanelOpening';
import { jumpToObjective } from './jump';

const ORDER: ObjectiveStatus[] = ['agreed', 'contested', 'outdated', 'waiting'];

/** At a glance: how many objectives are agreed, contested, outdated, and whom the rest wait on. */
export function StandingPanel({ structure }: { structure: Structure }) {
  const { view } = useAgreementAccess();
  const { summary, objectives } = structure;
  // Not "0 objectives" while the text's are still being read, nor all waiting while the stances are on their way.
  if (!structure.ready || !structure.recordsIn) return <PanelOpening title="Objectives" />;
  const open = objectives.filter((o) => o.status !== 'agreed');
  return (
    <section className="panel" aria-labelledby="standing-title">
      <h2 className="panel__title" id="standing-title">
        Objectives <span className="panel__count">{summary.total}</span>
      </h2>
      <dl className="counts">
        {ORDER.map((status) => (
          <div key={status} className={`counts__item counts__item--${status}`} data-testid={`count-${status}`} data-count={summary[status]}>
            <dt>{OBJECTIVE_STATUS_LABELS[status]}</dt>
            <dd>{summary[status]}</dd>
          </div>
        ))}
      </dl>
      {view.parties.some((p) => summary.waitingOn[p.id]) && (
        <ul className="waiting" aria-label="Waiting on">
          {view.parties
            .filter((p) => summary.waitingOn[p.id])
            .map((p) => (
              <li key={p.id} data-testid={`waiting-${p.id}`}>
                Waiting on <strong>{p.name}</strong> for {summary.waitingOn[p.id]}
              </li>
            ))}
        </ul>
      )}
      {open.length > 0 && (
        <ul className="open-objectives">
          {open.map((o) => (
            <li key={o.id}>
              <button type="button" className="link-button" onClick={() => jumpToObjective(o.id)}>
                {o.title || 'Untitled objective'}
              </button>{' '}
              <span className={`status status--${o.status}`}>{OBJECTIVE_STATUS_LABELS[o.status]}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
