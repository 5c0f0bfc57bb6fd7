import { can } from '#shared/permissions';
import { useAgreementAccess } from '../../agreement/AgreementContext';
import { jumpToObjective } from '../../dashboard/jump';
import { formatDate } from '../../ui/When';
import { sessionApi } from './sessionApi';
import { useCommand } from './useCommand';
import { useLiveSession } from './useLiveSession';
import { FormError } from '../../ui/FormError';

/** Parked points stay listed, across sessions, until a broker resolves them. */
export function ParkingLot() {
  const { view, token } = useAgreementAccess();
  const { parked } = useLiveSession();
  const { busy, error, run } = useCommand();
  const open = parked.filter((p) => !p.resolved);
  if (parked.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="parking-lot-title" data-testid="parking-lot">
      <h2 className="panel__title" id="parking-lot-title">
        Parking lot <span className="panel__count">{open.length}</span>
      </h2>
      {open.length === 0 && <p className="panel__hint">Every parked point is resolved.</p>}
      <ul className="parking-lot">
        {open.map((p) => (
          <li key={p.id} className="parking-lot__item" data-testid="parked-point">
            <span className="parking-lot__note">{p.note}</span>
            {p.objectiveId && (
              <button type="button" className="link-button parking-lot__link" onClick={() => jumpToObjective(p.objectiveId!)}>
                on “{p.objectiveTitle}”
              </button>
            )}
            {p.quote && <q className="parking-lot__quote">{p.quote}</q>}
            <span className="panel__hint">
              {p.parkedBy.name} · {formatDate(p.parkedAt)}
            </span>
            {can(view.me.role, 'recordSession') && (
              <button
                type="button"
                className="button button--ghost button--small"
                disabled={busy}
                onClick={() => void run(() => sessionApi.resolveParked(view.id, token, p.id))}
              >
                Resolve
              </button>
            )}
          </li>
        ))}
      </ul>
      <FormError message={error} />
    </section>
  );
}
