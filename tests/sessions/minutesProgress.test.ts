import { expect, it } from 'vitest';
import { contentRoom } from '#shared/rooms';
import type { ActionItem, Minutes } from '#shared/sessions';
import { synced } from '../support/clients';
import { heading, objective, writeDocument } from '../support/document';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { minutesContent } from '../../server/src/features/sessions/minutesDocument';
import type { AgreementRecord } from '../../server/src/storage/port';
import { sessionCast } from './support';

const h = useHarness();

// A quick win marked delivered or an action marked done in a session is progress the partners
// report to each other there, yet the minutes (which keep the stances stated, the suggestions
// decided, the decisions) said nothing of it: a stakeholder reading them could not tell.
it('the minutes name the quick wins marked delivered and the actions marked done during each item', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const writer = h.connect(server, contentRoom(c.id), c.ngo);
  await synced(writer);
  writeDocument(writer.doc, {
    type: 'doc',
    content: [
      heading(1, 'Shared objectives'),
      objective('obj1', { title: 'Safe water for households', intent: 'Every household has safe water' }, { quickWin: true, targetDate: '2026-01-15' }),
      objective('obj2', { title: 'Jobs in the basin', intent: 'Local jobs' }),
    ],
  });
  await waitFor(
    async () => (await c.call<{ objectives: { id: string; quickWin: boolean }[] }>(c.legal, 'GET', '/objectives')).body.objectives.some((o) => o.quickWin),
    { what: 'the quick win reaches the server' },
  );
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  const [water, aob] = session.agenda;

  // Item 1: the NGO marks the quick win delivered, an action is agreed.
  expect((await c.call(c.ngo, 'PUT', '/objectives/obj1/delivered', { delivered: true })).status).toBe(200);
  const action = (await c.call<ActionItem>(c.broker, 'POST', `${s}/actions`, { what: 'Survey the wells', owner: { kind: 'party', id: c.fx.ngoId } })).body;
  // Item 2: the action is done; the broker takes the quick win back, then marks it again.
  expect((await c.call(c.broker, 'POST', `${s}/current`, { itemId: aob.id })).status).toBe(200);
  expect((await c.call(c.ngo, 'PUT', `${s}/actions/${action.id}/done`, { done: true })).status).toBe(200);
  expect((await c.call(c.broker, 'PUT', '/objectives/obj1/delivered', { delivered: false })).status).toBe(200);
  expect((await c.call(c.broker, 'PUT', '/objectives/obj1/delivered', { delivered: true })).status).toBe(200);

  const ended = await c.call<Minutes>(c.broker, 'POST', `${s}/end`);
  expect(ended.status).toBe(200);
  const [first, second] = ended.body.items;
  expect(first.itemId).toBe(water.id);
  expect(first.progressMarked).toEqual([
    { at: expect.any(String), text: 'Quick win delivered: “Safe water for households”', by: expect.objectContaining({ name: 'Nia' }) },
  ]);
  expect(second.progressMarked?.map((p) => `${p.by.name}: ${p.text}`)).toEqual([
    'Nia: Action done: Survey the wells',
    'Brook Broker: Quick win no longer marked delivered: “Safe water for households”',
    'Brook Broker: Quick win delivered: “Safe water for households”',
  ]);

  // The minutes' export says it too, under the item it happened in, with who marked it.
  const md = await (
    await fetch(`${server.http}/api/agreements/${c.id}${s}/minutes/export?format=md`, { headers: { authorization: `Bearer ${c.observer}` } })
  ).text();
  expect(md).toMatch(/### Safe water[\s\S]*Quick wins and actions marked:\*\*\n\n- \d\d:\d\d UTC · Nia: Quick win delivered: “Safe water for households”\n/);
  expect(md).toMatch(/### Any other business[\s\S]*Quick wins and actions marked:\*\*\n\n- \d\d:\d\d UTC · Nia: Action done: Survey the wells\n/);
});

// Minutes are fingerprinted when written: minutes written before this list was kept render as they did.
it('minutes without the list render as before', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const session = await c.startSession();
  const ended = await c.call<Minutes>(c.broker, 'POST', `/sessions/${session.id}/end`);
  const agreement = (await server.app.ctx.storage.getAgreement(c.id)) as AgreementRecord;
  const older: Minutes = { ...ended.body, items: ended.body.items.map(({ progressMarked: _left, ...item }) => item) };
  expect(minutesContent(older, agreement)).toEqual(minutesContent(ended.body, agreement));
});
