import { expect, it } from 'vitest';
import type { ConsentRound, LiveSession, Minutes } from '#shared/sessions';
import { useHarness } from '../support/harness';
import { sessionCast } from './support';

const h = useHarness();

it('an item already taken up stays on the agenda, so its time, round and decisions stay in the minutes', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  const [water, aob] = session.agenda;
  const round = (await c.call<ConsentRound>(c.broker, 'POST', `${s}/rounds`, {})).body;
  await c.call(c.ngo, 'POST', `${s}/rounds/${round.id}/answers`, { answer: 'agree' });
  expect((await c.call(c.broker, 'POST', `${s}/rounds/${round.id}/close`)).status).toBe(200);
  await c.call(c.broker, 'POST', `${s}/decisions`, { text: 'Start with the northern villages' });
  // A decision may name an item not yet taken up: that item has a record too.
  const extra = (
    await c.call<LiveSession>(c.broker, 'PUT', `${s}/agenda`, { agenda: [...session.agenda, { kind: 'free', title: 'Budget', plannedMinutes: 5 }] })
  ).body.agenda[2];
  await c.call(c.broker, 'POST', `${s}/decisions`, { text: 'Budget next time', itemId: extra.id });
  expect((await c.call(c.broker, 'POST', `${s}/current`, { itemId: aob.id })).status).toBe(200);

  // The broker tidies the agenda down to what is left: the items with a history are refused, with the reason.
  for (const kept of [
    [aob, extra],
    [aob, water],
  ]) {
    const put = await c.call<{ error: string; code: string }>(c.broker, 'PUT', `${s}/agenda`, { agenda: kept });
    expect(put.status).toBe(409);
    expect(put.body.code).toBe('session_state');
    expect(put.body.error).toMatch(/taken up|recorded/);
  }
  const now = (await c.call<{ sessions: LiveSession[] }>(c.legal, 'GET', '/sessions')).body.sessions[0];
  expect(now.agenda.map((i) => i.id)).toEqual([water.id, aob.id, extra.id]);
  // Reordering, and dropping an item nobody took up, still work.
  const added = (await c.call<LiveSession>(c.broker, 'PUT', `${s}/agenda`, { agenda: [...now.agenda, { kind: 'free', title: 'Spare', plannedMinutes: 5 }] }))
    .body;
  expect((await c.call(c.broker, 'PUT', `${s}/agenda`, { agenda: [extra, aob, water] })).status).toBe(200);
  expect(added.agenda).toHaveLength(4);

  const minutes = (await c.call<Minutes>(c.broker, 'POST', `${s}/end`)).body;
  const item = minutes.items.find((i) => i.itemId === water.id);
  expect(item?.rounds.map((r) => r.id)).toEqual([round.id]);
  expect(item?.decisions.map((d) => d.text)).toEqual(['Start with the northern villages']);
  expect(minutes.items.find((i) => i.itemId === extra.id)?.decisions.map((d) => d.text)).toEqual(['Budget next time']);
});

// Both brokers' consoles send the whole agenda: one saving an agenda edited from an older copy silently
// undid the other's change (an added item vanished, a retitled one reverted).
it('a broker saving an agenda edited from an older copy is told another broker changed it, and undoes nothing', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const cora = await c.fx.invite({ role: 'broker', name: 'Cora' });
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  const read = session.agenda;
  const version = session.agendaVersion ?? 0;

  // Cora adds "Budget" while the first broker reorders the agenda as he read it.
  const added = await c.call<LiveSession>(cora, 'PUT', `${s}/agenda`, {
    agenda: [...read, { kind: 'free', title: 'Budget', plannedMinutes: 5 }],
    version,
  });
  expect(added.status).toBe(200);
  const stale = await c.call<{ code: string; error: string }>(c.broker, 'PUT', `${s}/agenda`, { agenda: [read[1], read[0]], version });
  const now = (await c.call<{ sessions: LiveSession[] }>(c.legal, 'GET', '/sessions')).body.sessions[0];
  expect(now.agenda.map((i) => i.title)).toEqual(['Safe water', 'Any other business', 'Budget']);
  expect(stale.status).toBe(409);
  expect(stale.body.code).toBe('agenda_changed');
  expect(stale.body.error).toMatch(/another broker/i);
  // Sent again from the agenda as it is now, it is saved.
  const again = await c.call<LiveSession>(c.broker, 'PUT', `${s}/agenda`, {
    agenda: [now.agenda[1], now.agenda[0], now.agenda[2]],
    version: now.agendaVersion,
  });
  expect(again.status).toBe(200);
  expect(again.body.agenda.map((i) => i.title)).toEqual(['Any other business', 'Safe water', 'Budget']);
});
