import { can } from '#shared/permissions';
import type { LiveSession } from '#shared/sessions';
import { useAgreementAccess } from '../../agreement/AgreementContext';
import { sessionApi } from './sessionApi';
import { useCommand } from './useCommand';
import { FormError } from '../../ui/FormError';

/** Raised hands in the order they went up, and who has the floor; negotiators raise, brokers give the floor. */
export function HandsQueue({ session }: { session: LiveSession }) {
  const { view, token } = useAgreementAccess();
  const { busy, error, run } = useCommand();
  const me = view.me;
  const mine = session.hands.some((h) => h.personId === me.personId);
  const manage = can(me.role, 'manageHands');
  const partyName = (id?: string) => view.parties.find((p) => p.id === id)?.name;
  return (
    <div className="hands" data-testid="hands">
      {session.floor && (
        <p className="hands__floor" data-testid="floor">
          Floor: <strong>{session.floor.name}</strong>
          {manage && (
            <button
              type="button"
              className="button button--ghost button--small"
              disabled={busy}
              onClick={() => run(() => sessionApi.giveFloor(view.id, token, session.id, null))}
            >
              Take back
            </button>
          )}
        </p>
      )}
      {session.hands.length > 0 && (
        <ol className="hands__queue" aria-label="Raised hands" data-testid="hands-queue">
          {session.hands.map((hand) => (
            <li key={hand.personId} data-person={hand.name}>
              ✋ {hand.name}
              {partyName(hand.party) && <span className="hands__party"> · {partyName(hand.party)}</span>}
              {manage && (
                <>
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    disabled={busy}
                    onClick={() => run(() => sessionApi.giveFloor(view.id, token, session.id, hand.personId))}
                  >
                    Give floor
                  </button>
                  <button
                    type="button"
                    className="button button--ghost button--small"
                    disabled={busy}
                    onClick={() => run(() => sessionApi.lowerHand(view.id, token, session.id, hand.personId))}
                  >
                    Lower
                  </button>
                </>
              )}
            </li>
          ))}
        </ol>
      )}
      {can(me.role, 'raiseHand') && (
        <button
          type="button"
          className="button button--secondary button--small"
          aria-pressed={mine}
          disabled={busy}
          onClick={() => run(() => (mine ? sessionApi.lowerHand(view.id, token, session.id, me.personId) : sessionApi.raiseHand(view.id, token, session.id)))}
        >
          {mine ? 'Lower my hand' : 'Raise hand'}
        </button>
      )}
      <FormError message={error} />
    </div>
  );
}
