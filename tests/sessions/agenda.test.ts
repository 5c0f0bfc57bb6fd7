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
