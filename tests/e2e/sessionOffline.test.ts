import { expect, it } from 'vitest';
import type { LiveSession } from '#shared/sessions';
import { api } from '../support/server';
import { cast, useStage, waitForConnection } from './browser';

const stage = useStage();

// A broker whose network dropped pressed "Next item": the bar said it could not reach the server, and still said
// so once the connection was back and the bar showed the item a co-broker had moved everyone to meanwhile.
it('a broker who loses the network mid-session sees, once back, the session as it is and no stale “cannot reach the server”', async () => {
  const c = await cast(stage.server);
  const { fx } = c;
  const id = fx.agreement.id;
  const call = <T>(token: string, method: string, path: string, body?: unknown) => api<T>(stage.server, method, `/api/agreements/${id}${path}`, body, token);
  const co = await fx.invite({ role: 'broker', name: 'Cora Co-broker' });
  const planned = await call<LiveSession>(fx.brokerToken, 'POST', '/sessions', {
    title: 'Working session',
    agenda: ['Introductions', 'Budget', 'Next steps'].map((title) => ({ kind: 'free', title, plannedMinutes: 10 })),
  });
  const s = `/sessions/${planned.body.id}`;
  expect((await call(fx.brokerToken, 'POST', `${s}/start`)).status).toBe(200);
  const broker = await stage.join(c.url(fx.brokerToken));
  const bar = broker.page.getByTestId('session-bar');
  await bar.locator('[aria-current="step"]').getByText('Introductions').waitFor();

  await broker.context.setOffline(true);
  await waitForConnection(broker.page, 'offline');
  await bar.getByRole('button', { name: 'Next item' }).click();
  await bar.getByRole('alert').getByText('Cannot reach the server').waitFor();
  // Meanwhile the co-broker moves everyone to the last item.
  expect((await call(co, 'POST', `${s}/current`, { itemId: planned.body.agenda[2].id })).status).toBe(200);

  await broker.context.setOffline(false);
  await waitForConnection(broker.page, 'live');
  await bar.locator('[aria-current="step"]').getByText('Next steps').waitFor();
  await expect.poll(() => bar.getByRole('alert').count(), { timeout: 10_000 }).toBe(0);
});
