import { expect, it } from 'vitest';
import { contentRoom } from '#shared/rooms';
import type { LiveSession } from '#shared/sessions';
import { connectClient, synced } from '../support/clients';
import { heading, objective, writeDocument } from '../support/document';
import { api } from '../support/server';
import { cast, connectionState, useStage } from './browser';

const stage = useStage();

it('probe E: broker offline', async () => {
  const c = await cast(stage.server);
  const { fx } = c;
  const id = fx.agreement.id;
  const writer = connectClient(stage.server.ws, contentRoom(id), c.business);
  await synced(writer);
  writeDocument(writer.doc, { type: 'doc', content: [heading(1, 'Shared objectives'), objective('obj1', { title: 'Safe water', intent: 'x', band: '1', trigger: 't' })] });
  const call = <T>(token: string, method: string, path: string, body?: unknown) => api<T>(stage.server, method, `/api/agreements/${id}${path}`, body, token);
  const co = await fx.invite({ role: 'broker', name: 'Co Broker' });
  const planned = await call<LiveSession>(fx.brokerToken, 'POST', '/sessions', { title: 'S', agenda: ['A', 'B', 'C'].map((t) => ({ kind: 'free', title: t, plannedMinutes: 10 })) });
  const s = `/sessions/${planned.body.id}`;
  await call(fx.brokerToken, 'POST', `${s}/start`);
  const person = await stage.join(c.url(fx.brokerToken));
  const page = person.page;
  const bar = page.getByTestId('session-bar');
  await bar.locator('[aria-current="step"]').getByText('A').waitFor();
  await person.context.setOffline(true);
  await page.waitForTimeout(500);
  console.log('conn offline', await connectionState(page));
  await bar.getByRole('button', { name: 'Next item' }).click();
  await page.waitForTimeout(1500);
  console.log('bar offline', await bar.textContent());
  // co-broker moves to C meanwhile
  await call(co, 'POST', `${s}/current`, { itemId: planned.body.agenda[2].id });
  await call(co, 'POST', `${s}/hands`);
  await person.context.setOffline(false);
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(500);
    const cur = await bar.locator('[aria-current="step"]').textContent().catch(() => null);
    console.log(i, 'conn', await connectionState(page), 'current', cur, '|', (await bar.textContent())?.slice(-120));
    if (cur === 'C' && i > 3) break;
  }
  writer.destroy();
  expect(1).toBe(1);
});
