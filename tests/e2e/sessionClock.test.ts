import { expect, it } from 'vitest';
import type { LiveSession } from '#shared/sessions';
import { api } from '../support/server';
import { cast, useStage } from './browser';

const stage = useStage();

// The session's times are the server's; each browser counted them against its own clock. A laptop ten minutes
// fast showed a just-started item at 10:00 of 10, over time, and never showed a five-minute caucus break at all.
it('a participant whose device clock is ten minutes fast sees the item timer and the caucus break as everyone else does', async () => {
  const c = await cast(stage.server);
  const { fx } = c;
  const id = fx.agreement.id;
  const call = <T>(token: string, method: string, path: string, body?: unknown) => api<T>(stage.server, method, `/api/agreements/${id}${path}`, body, token);
  const context = await stage.newContext();
  await context.clock.setSystemTime(Date.now() + 10 * 60_000);
  const page = await context.newPage();
  await page.goto(c.url(c.ngo));
  await page.locator('.ProseMirror').waitFor();

  const planned = await call<LiveSession>(fx.brokerToken, 'POST', '/sessions', {
    title: 'Working session',
    agenda: [{ kind: 'free', title: 'Introductions', plannedMinutes: 10 }],
  });
  const s = `/sessions/${planned.body.id}`;
  expect((await call(fx.brokerToken, 'POST', `${s}/start`)).status).toBe(200);
  const bar = page.getByTestId('session-bar');
  const timer = bar.getByTestId('item-timer');
  await timer.waitFor();
  expect(await timer.getAttribute('data-tone')).toBe('ok');
  expect(await timer.textContent()).toMatch(/^0:0\d/);

  expect((await call(fx.brokerToken, 'POST', `${s}/caucus`, { minutes: 5 })).status).toBe(200);
  await bar.getByTestId('caucus-timer').waitFor({ timeout: 10_000 });
  expect(await bar.getByTestId('caucus-timer').textContent()).toMatch(/Caucus break: 4:5\d left|Caucus break: 5:00 left/);
});
