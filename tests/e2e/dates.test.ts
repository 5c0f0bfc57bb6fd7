import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { api } from '../support/server';
import { cast, useStage } from './browser';

const stage = useStage();

/** Opens `url` on a device of its own whose clock is `offsetMs` off and whose time zone is `timezoneId`. */
async function openOn(url: string, { timezoneId = 'UTC', offsetMs = 0 } = {}): Promise<Page> {
  const context = await stage.newContext({ timezoneId, locale: 'en-US' });
  if (offsetMs) await context.clock.setSystemTime(Date.now() + offsetMs);
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('.ProseMirror').waitFor();
  return page;
}

// A comment's time is the server's; its "ago" was counted against the device's clock. A laptop two hours
// slow read a comment written that second as "in 2 hours", one two hours fast as "2 hours ago".
it('a person whose device clock is two hours off reads a comment just written as “just now”', async () => {
  const c = await cast(stage.server);
  const id = c.fx.agreement.id;
  const slow = await openOn(c.url(c.ngo), { offsetMs: -2 * 3600_000 });
  const fast = await openOn(c.url(c.ngo2), { offsetMs: 2 * 3600_000 });
  const written = await api(stage.server, 'POST', `/api/agreements/${id}/threads`, { body: 'Our floor is 40%', caucus: true }, c.ngo2);
  expect(written.status).toBe(201);
  for (const page of [slow, fast]) {
    await page.bringToFront();
    await page.getByTestId('caucus-tab').click();
    const thread = page.getByTestId('caucus-threads').getByTestId('thread').filter({ hasText: 'Our floor is 40%' });
    await thread.waitFor();
    expect(await thread.locator('time').first().textContent()).toBe('just now');
  }
});
