import { Suspense } from 'react';
import { lazyPart } from '../../ui/lazyPart';
import { useAgreement } from '../../agreement/AgreementContext';
import { PartBoundary } from '../../ui/PartBoundary';
import type { PresentPerson } from '../usePresence';
import { useFollow } from './useFollow';
import { useLiveSession } from './useLiveSession';
import './console.css';

// Sessions are occasional: the running bar's code (timers, hands, consent rounds) loads when one runs.
const RunningSessionBar = lazyPart(() => import('./RunningSessionBar').then((m) => m.RunningSessionBar), 'The live session');

/** The bar everyone sees while a session runs: agenda, current item and its timer, presence, hands, the round. */
export function SessionBar({ people }: { people: PresentPerson[] }) {
  const { active, rounds } = useLiveSession();
  const running = active?.status === 'running' ? active : null;
  if (!running) return <FollowPublisher />;
  return (
    <PartBoundary what="the live session's bar">
      <Suspense
        fallback={
          <section className="session-bar" aria-label="Live session" aria-busy="true">
            <div className="session-bar__row">
              <strong className="session-bar__title">● {running.title}</strong>
            </div>
          </section>
        }
      >
        <RunningSessionBar session={running} rounds={rounds} people={people} />
      </Suspense>
    </PartBoundary>
  );
}

/** Outside a session nothing scrolls, but the follow choice stays published. */
function FollowPublisher() {
  const { session } = useAgreement();
  useFollow(session?.provider.awareness ?? null, null);
  return null;
}
