import { expect, it } from 'vitest';
import type { TestClient } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { inCaucusBreak } from './support';

// Waits out a real minute (the shortest break there is): listed in vitest.config.ts WAITING_FILES.
const h = useHarness();

type State = { user?: { inCaucus?: boolean }; cursor?: { at?: string } };

function stateOf(viewer: TestClient, owner: TestClient): State | undefined {
  return viewer.provider.awareness.getStates().get(owner.provider.awareness.clientID) as State | undefined;
}

it('a caucus break that runs out its time lifts the screen by itself: the other party sees the caret again without anyone moving', async () => {
  const { session, nia, ben } = await inCaucusBreak(h, 1);
  const endsAt = Date.parse(session.caucus!.endsAt);

  nia.provider.awareness.setLocalStateField('cursor', { at: 'clause 7.2' });
  await waitFor(() => stateOf(ben, nia)?.user?.inCaucus === true, { what: 'Ben to see Nia in caucus, with no caret' });
  expect(stateOf(ben, nia)?.cursor).toBeUndefined();

  await waitFor(() => stateOf(ben, nia)?.cursor?.at === 'clause 7.2', { timeoutMs: 80_000, intervalMs: 100, what: 'the caret once the break’s time is up' });
  // The timer lifted it, not anything earlier (the clocks are one machine's).
  expect(Date.now()).toBeGreaterThanOrEqual(endsAt);
  expect(stateOf(ben, nia)?.user?.inCaucus).toBeUndefined();
}, 130_000);
