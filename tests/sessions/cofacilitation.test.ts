import { expect, it } from 'vitest';
import { itemSpentMs, timerTone, type ConsentRound, type LiveSession } from '#shared/sessions';
import { useHarness } from '../support/harness';
import { sessionCast } from './support';

const h = useHarness();

it('two brokers co-facilitate: conflicting commands resolve on the server in one order', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const second = await c.fx.invite({ role: 'broker', name: 'Co Broker' });
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  const next = session.agenda[1].id;

  // Both press "next item" at once: everyone ends up on the same item, visited once.
  const moves = await Promise.all([c.broker, second].map((t) => c.call<LiveSession>(t, 'POST', `${s}/current`, { itemId: next })));
  expect(moves.map((m) => m.status)).toEqual([200, 200]);
  const after = (await c.call<{ sessions: LiveSession[] }>(c.legal, 'GET', '/sessions')).body.sessions[0];
  expect(after.currentItemId).toBe(next);
  expect(after.visits.map((v) => v.itemId)).toEqual([session.agenda[0].id, next]);

  // Both open a round at once: one round.
  const opened = await Promise.all([c.broker, second].map((t) => c.call<ConsentRound>(t, 'POST', `${s}/rounds`, { objectiveId: 'obj1' })));
  expect(opened.map((o) => o.status).sort()).toEqual([201, 409]);
  const round = opened.find((o) => o.status === 201)!.body;
  await c.call(c.ngo, 'POST', `${s}/rounds/${round.id}/answers`, { answer: 'agree' });
  // Both close it: one close, one set of stances.
  const closes = await Promise.all([c.broker, second].map((t) => c.call(t, 'POST', `${s}/rounds/${round.id}/close`)));
  expect(closes.map((x) => x.status).sort()).toEqual([200, 409]);

  // Both end the session: one end, one snapshot, one set of minutes.
  const ends = await Promise.all([c.broker, second].map((t) => c.call(t, 'POST', `${s}/end`)));
  expect(ends.map((x) => x.status).sort()).toEqual([200, 409]);
  const snapshots = (await c.call<{ reason: string }[]>(c.legal, 'GET', '/snapshots')).body;
  expect(snapshots.filter((x) => x.reason === 'session')).toHaveLength(1);
});

it('an item’s timer sums its visits and turns amber in the last fifth of its plan, red over it', () => {
  const at = (minute: number) => new Date(Date.UTC(2027, 0, 1, 10, minute)).toISOString();
  const session = {
    visits: [
      { itemId: 'a', startedAt: at(0) },
      { itemId: 'b', startedAt: at(5) },
      { itemId: 'a', startedAt: at(10) },
    ],
  } as Pick<LiveSession, 'visits' | 'endedAt'>;
  const now = Date.parse(at(13));
  expect(itemSpentMs(session, 'a', now)).toBe(8 * 60_000);
  expect(itemSpentMs(session, 'b', now)).toBe(5 * 60_000);
  expect(itemSpentMs({ ...session, endedAt: at(12) }, 'a', now)).toBe(7 * 60_000);
  expect(timerTone(7 * 60_000, 10)).toBe('ok');
  expect(timerTone(8 * 60_000, 10)).toBe('near');
  expect(timerTone(10 * 60_000, 10)).toBe('near');
  expect(timerTone(10 * 60_000 + 1, 10)).toBe('over');
});
