import { expect, it } from 'vitest';
import type { LiveSession } from '#shared/sessions';
import { api } from '../support/server';
import { cast, useStage } from './browser';

const stage = useStage();

it('a broker saving the agenda after a co-broker changed it is told so, undoes nothing, and can look at theirs', async () => {
  const c = await cast(stage.server);
  const { fx } = c;
  const id = fx.agreement.id;
  const call = <T>(token: string, method: string, path: string, body?: unknown) => api<T>(stage.server, method, `/api/agreements/${id}${path}`, body, token);
  const cora = await fx.invite({ role: 'broker', name: 'Cora Co-broker' });
  const planned = await call<LiveSession>(fx.brokerToken, 'POST', '/sessions', {
    title: 'Working session',
    agenda: ['Introductions', 'Next steps'].map((title) => ({ kind: 'free', title, plannedMinutes: 10 })),
  });
  const s = `/sessions/${planned.body.id}`;
  expect((await call(fx.brokerToken, 'POST', `${s}/start`)).status).toBe(200);
  const page = (await stage.join(c.url(fx.brokerToken))).page;
  const consolePanel = page.getByTestId('session-console');
  await consolePanel.getByText('Agenda', { exact: true }).click();
  await consolePanel.getByLabel('Title of item 2').fill('Next steps and dates');

  // Meanwhile Cora adds an item.
  const added = await call<LiveSession>(cora, 'PUT', `${s}/agenda`, { agenda: [...planned.body.agenda, { kind: 'free', title: 'Budget', plannedMinutes: 5 }] });
  expect(added.status).toBe(200);
  await page.getByTestId('session-bar').getByText('Budget').waitFor();

  await consolePanel.getByRole('button', { name: 'Save agenda' }).click();
  await consolePanel.getByRole('alert').getByText('another broker changed the agenda').waitFor();
  const titles = async () => ((await call<{ sessions: LiveSession[] }>(fx.brokerToken, 'GET', '/sessions')).body.sessions[0].agenda ?? []).map((i) => i.title);
  expect(await titles()).toEqual(['Introductions', 'Next steps', 'Budget']);

  // Discarding shows Cora's agenda in the editor.
  await consolePanel.getByRole('button', { name: 'Discard my changes' }).click();
  await expect.poll(() => consolePanel.getByLabel('Title of item 3').inputValue()).toBe('Budget');
});
