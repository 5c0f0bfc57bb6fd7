import { expect, it } from 'vitest';
import { cast, useStage } from './browser';
import { waitFor } from '../support/poll';

// With the files that wait (vitest.config.ts, WAITING_FILES): each test waits out the page's backoff, 6 s and more of
// real time for little CPU. Apart from refusedOfflineWork.test.ts, where they were, so they do not hold a worker of
// the main run for it.
const stage = useStage();

// A connection the server closes soon after it opens, again and again, for a bad message (4500) or for its own failure
// on one (1011): the stock provider starts its backoff again once a connection has synced, so the page reconnected
// about twice a second for good.
it.each([
  { code: 4500, reason: 'malformed message' },
  { code: 1011, reason: 'internal error' },
])('a page whose connection is closed again and again with $code ($reason) waits longer each time before connecting again', async (close) => {
  const c = await cast(stage.server);
  const page = await (await stage.newContext()).newPage();
  const openedAt: number[] = [];
  await page.routeWebSocket(
    (url) => url.pathname === `/collab/${c.fx.agreement.id}`,
    (socket) => {
      openedAt.push(Date.now());
      socket.connectToServer();
      // Long enough for the page to sync, as a refused change sent after the sync is.
      setTimeout(() => void socket.close(close).catch(() => {}), 300);
    },
  );
  await page.goto(c.url(c.ngo));
  await waitFor(() => openedAt.length >= 5, { timeoutMs: 30_000, what: 'five connections' });
  const gaps = openedAt.slice(1, 5).map((at, i) => at - openedAt[i]);
  // 0.3 s open, then 0.4, 0.8, 1.6 and 3.2 s of backoff (the provider's at most 5 s); before, 0.3 s + 0.2 s each time.
  expect(gaps[3], `gaps between connections: ${gaps.join(', ')} ms`).toBeGreaterThanOrEqual(1500);
});
