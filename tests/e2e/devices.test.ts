// The browser tests reuse a file's browser contexts as new devices (devices.ts): a reused one must
// hold nothing of the test before, or tests would pass on what another left behind.
import { expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { cast, deviceCopy, typeAtEnd, useStage, waitForOfflineShell, waitForStoredLocally } from './browser';

const stage = useStage();

let before: { context: BrowserContext; agreementId: string } | undefined;

it('a first test leaves a device with the agreement stored on it and the app installed for offline use', async () => {
  const c = await cast(stage.server);
  const { context, page } = await stage.join(c.url(c.ngo));
  await typeAtEnd(page, 'Kept on this device.');
  await waitForStoredLocally(page, deviceCopy(c.fx.agreement.id, c.ngo), 'Kept on this device.');
  await waitForOfflineShell(page);
  expect(await page.evaluate(() => Object.keys(localStorage).length)).toBeGreaterThan(0);
  before = { context, agreementId: c.fx.agreement.id };
});

it('the next test gets that device wiped: nothing stored, no worker, the same context', async () => {
  expect(before, 'the first test ran').toBeDefined();
  const { context, agreementId } = before as { context: BrowserContext; agreementId: string };
  const c = await cast(stage.server);
  const { context: reused, page } = await stage.join(c.url(c.ngo));
  expect(reused).toBe(context);

  const left = await page.evaluate(async () => ({
    // The app's worker, had it stayed, would have served this load (same origin, same scope).
    servedByWorker: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).workerStart > 0,
    // This page registers its own after a pause in typing: only before that must the caches be empty.
    registered: (await navigator.serviceWorker.getRegistrations()).length > 0,
    cached: await caches.keys(),
    databases: (await indexedDB.databases()).map((db) => db.name ?? ''),
    stored: Object.keys(localStorage).map((key) => `${key}=${localStorage.getItem(key)}`),
  }));
  expect(left.servedByWorker).toBe(false);
  if (!left.registered) expect(left.cached).toEqual([]);
  expect(left.databases.filter((name) => name.includes(agreementId))).toEqual([]);
  expect(left.stored.filter((entry) => entry.includes(agreementId))).toEqual([]);
});
