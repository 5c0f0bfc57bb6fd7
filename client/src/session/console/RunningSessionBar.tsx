import { can } from '#shared/permissions';
import { numberedByTitles } from '#shared/sectionNumbers';
import type { LiveSession } from '#shared/sessions';
import { useAgreement } from '../../agreement/AgreementContext';
import type { PresentPerson } from '../usePresence';
import { ConsentRoundCard } from './ConsentRoundCard';
import { HandsQueue } from './HandsQueue';
import { ItemTimer } from './ItemTimer';
import { PresenceByParty } from './PresenceByParty';
import { sessionApi } from './sessionApi';
import { useBrokerShortcuts } from './useBrokerShortcuts';
import { useCommand } from './useCommand';
import { useFollow, useFollowers } from './useFollow';
import type { useLiveSession } from './useLiveSession';
import { clock, useTick } from './useTick';
import { FormError } from '../../ui/FormError';

/** The bar of a running session: agenda, current item and its timer, presence, hands, the round. */
export function RunningSessionBar({
  session,
  rounds,
  people,
}: {
  session: LiveSession;
  rounds: ReturnType<typeof useLiveSession>['rounds'];
  people: PresentPerson[];
}) {
  const { view, token, session: collab } = useAgreement();
  const awareness = collab?.provider.awareness ?? null;
  const now = useTick(true);
  const { busy, error, run } = useCommand();
  const index = session.agenda.findIndex((i) => i.id === session.currentItemId);
  const item = session.agenda[index] ?? null;
  const [following, setFollowing] = useFollow(awareness, item);
  const followers = useFollowers(awareness);
  const steer = can(view.me.role, 'steerSession');
  const openRound = session.openRoundId ? rounds[session.openRoundId] : undefined;
  const lastRound = Object.values(rounds)
    .filter((r) => r.sessionId === session.id && r.itemId === session.currentItemId)
    .sort((a, b) => b.openedAt.localeCompare(a.openedAt))[0];
  const shownRound = openRound ?? lastRound;
  const next = session.agenda[index + 1];
  const ownNumbers = numberedByTitles(session.agenda);

  const moveTo = (itemId: string) => run(() => sessionApi.moveTo(view.id, token, session.id, itemId));
  const actions = {
    nextItem: () => void (next && moveTo(next.id)),
    startRound: () => void (!openRound && item?.objectiveId && run(() => sessionApi.openRound(view.id, token, session.id))),
    closeRound: () => void (openRound && run(() => sessionApi.closeRound(view.id, token, session.id, openRound.id))),
  };
  useBrokerShortcuts(steer, actions);

  return (
    <>
      <section className="session-bar" data-testid="session-bar" aria-label="Live session">
        <div className="session-bar__row">
          <strong className="session-bar__title">● {session.title}</strong>
          <ol className={`session-agenda${ownNumbers ? ' session-agenda--own-numbers' : ''}`} aria-label="Agenda">
            {session.agenda.map((a) => (
              <li key={a.id} aria-current={a.id === session.currentItemId ? 'step' : undefined} data-testid="agenda-item" className="session-agenda__item">
                {steer ? (
                  <button type="button" className="link-button" disabled={busy} onClick={() => void moveTo(a.id)}>
                    {a.title}
                  </button>
                ) : (
                  a.title
                )}
              </li>
            ))}
          </ol>
          {item && <ItemTimer session={session} item={item} now={now} />}
          {steer && (
            <span className="session-bar__controls">
              <button
                type="button"
                className="button button--secondary button--small"
                disabled={busy || !next}
                onClick={actions.nextItem}
                aria-keyshortcuts="Alt+Shift+N"
                title="Alt+Shift+N"
              >
                Next item
              </button>
              {!openRound && item?.objectiveId && (
                <button
                  type="button"
                  className="button button--secondary button--small"
                  disabled={busy}
                  onClick={actions.startRound}
                  aria-keyshortcuts="Alt+Shift+R"
                  title="Alt+Shift+R"
                >
                  Start consent round
                </button>
              )}
            </span>
          )}
          <button
            type="button"
            className="button button--ghost button--small"
            aria-pressed={following}
            data-testid="follow-toggle"
            onClick={() => setFollowing(!following)}
          >
            {following ? 'Following the broker' : 'Follow the broker'}
          </button>
        </div>
        <div className="session-bar__row">
          <PresenceByParty people={people} parties={view.parties} />
          {steer && (
            <span
              className="session-bar__followers"
              data-testid="followers"
              title={followers.map((f) => `${f.name}: ${f.following ? 'following' : 'stepped out'}`).join('\n')}
            >
              {followers.filter((f) => f.following).length} of {followers.length} following
              {followers.some((f) => !f.following) &&
                ` (stepped out: ${followers
                  .filter((f) => !f.following)
                  .map((f) => f.name)
                  .join(', ')})`}
            </span>
          )}
          {session.caucus && Date.parse(session.caucus.endsAt) > now && (
            <span className="session-bar__caucus" data-testid="caucus-timer" role="timer">
              Caucus break: {clock(Date.parse(session.caucus.endsAt) - now)} left
            </span>
          )}
          <HandsQueue session={session} />
        </div>
        {/* Said as the session moves on, not its timers or each answer: a screen reader user hears where the room is. */}
        <p className="visually-hidden" role="status">
          {item && `Now on: ${item.title}`}
        </p>
        <p className="visually-hidden" role="status">
          {shownRound && `${shownRound.status === 'open' ? 'Consent round open' : 'Round closed'}: “${shownRound.objectiveTitle}”`}
        </p>
        <FormError message={error} />
      </section>
      {/* One card per round: what a person chose in one round is no answer in the next. */}
      {shownRound && <ConsentRoundCard key={shownRound.id} session={session} round={shownRound} />}
    </>
  );
}
