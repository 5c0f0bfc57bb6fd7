import { expect, it } from 'vitest';
import { useHarness } from '../support/harness';
import { DEFAULT_HTTP_RATE_LIMITS } from '../../server/src/http/security';
import { recordsRoom } from '#shared/rooms';
import { RecordsKey } from '#shared/records';
import { sessionCast } from '../sessions/support';

const h = useHarness();

/** A server whose comment limit is 6 a minute, with a session's cast. */
async function castWithLowLimit() {
  const server = await h.start({ httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, commentsPerMinute: 6 } });
  const c = await sessionCast(h, server);
  /** How many records of one kind the agreement holds. */
  const held = (key: string) => server.app.ctx.rooms.with(recordsRoom(c.id), (room) => room.doc.getMap(key).size);
  return { server, c, held };
}

// A broker's parked points, decisions and actions go into the records every person's browser
// holds and the minutes; nothing limited how fast one broker (a co-broker is invited like anyone)
// wrote them, so a loop grew everyone's records without end.
it('a broker’s parked points, decisions and actions are rate limited with comments; another broker still records theirs', async () => {
  const { c, held } = await castWithLowLimit();
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  const statuses: number[] = [];
  let refused: unknown;
  for (let i = 0; i < 4; i++) {
    for (const [path, body] of [
      ['/parked', { note: `Point ${i}` }],
      [`${s}/decisions`, { text: `Decision ${i}` }],
      [`${s}/actions`, { what: `Action ${i}`, owner: { kind: 'party', id: c.fx.ngoId } }],
    ] as const) {
      const answer = await c.call(c.broker, 'POST', path, body);
      statuses.push(answer.status);
      if (answer.status === 429) refused ??= answer.body;
    }
  }
  expect(statuses).toEqual([...Array(6).fill(201), ...Array(6).fill(429)]);
  expect(refused).toEqual({ error: expect.stringMatching(/too many requests/), code: 'rate_limited' });
  // What was refused recorded nothing: two of each kind.
  expect([await held(RecordsKey.parkedPoints), await held(RecordsKey.decisions), await held(RecordsKey.actions)]).toEqual([2, 2, 2]);

  const cobroker = await c.fx.invite({ role: 'broker', name: 'Bea' });
  expect((await c.call(cobroker, 'POST', `${s}/decisions`, { text: 'Agreed by the co-broker' })).status).toBe(201);
});

// Resolving and reopening a thread each log an activity entry, kept for good in the archive;
// toggling one in a loop grew the archive on disk as fast as the server answered.
it('resolving and reopening threads, and calls for stances, are rate limited with comments', async () => {
  const { c } = await castWithLowLimit();
  const started = await c.call<{ thread: { id: string } }>(c.ngo, 'POST', '/threads', { body: 'Who maintains the pumps?', caucus: true });
  expect(started.status).toBe(201);
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    statuses.push((await c.call(c.ngo, 'POST', `/threads/${started.body.thread.id}/resolve`, { caucus: true })).status);
    statuses.push((await c.call(c.ngo, 'POST', `/threads/${started.body.thread.id}/reopen`, { caucus: true })).status);
  }
  // The thread counted: five changes, then refusals.
  expect(statuses).toEqual([...Array(5).fill(200), ...Array(3).fill(429)]);
  // The last change let in was a resolve: the refused reopen left the thread resolved.
  const listed = await c.call<{ threads: { id: string; resolved: boolean }[] }>(c.ngo, 'GET', '/threads?caucus=1');
  expect(listed.body.threads.find((t) => t.id === started.body.thread.id)?.resolved).toBe(true);

  const calls: number[] = [];
  for (let i = 0; i < 8; i++) calls.push((await c.call(c.broker, 'POST', '/objectives/obj1/call-for-stances')).status);
  expect(calls).toEqual([...Array(6).fill(201), ...Array(2).fill(429)]);
});

// Each consent round is kept in the records, and each caucus break logs an activity entry: a
// broker opening and closing rounds, or calling breaks, in a loop grew both without end.
it('caucus breaks and consent rounds opened are rate limited with comments', async () => {
  const { c, held } = await castWithLowLimit();
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  const breaks: number[] = [];
  for (let i = 0; i < 4; i++) breaks.push((await c.call(c.broker, 'POST', `${s}/caucus`, { minutes: 5 })).status);
  expect(breaks).toEqual([200, 200, 200, 200]);
  const opened: number[] = [];
  for (let i = 0; i < 3; i++) {
    const round = await c.call<{ id: string }>(c.broker, 'POST', `${s}/rounds`, { objectiveId: 'obj1' });
    opened.push(round.status);
    if (round.status === 201) expect((await c.call(c.broker, 'POST', `${s}/rounds/${round.body.id}/close`)).status).toBe(200);
  }
  expect(opened).toEqual([201, 201, 429]);
  expect(await held(RecordsKey.consentRounds)).toBe(2);
  expect((await c.call(c.broker, 'POST', `${s}/caucus`, { minutes: 5 })).status).toBe(429);
});

// A negotiator's answer rewrites the whole round in the records every browser holds, and each write is stored and
// sent to everyone; stances were limited, answers in a round not at all, so a loop answering as fast as the
// server replied kept every browser and the disk busy for the length of the round.
it('answers in a consent round are rate limited with the person’s stances; another negotiator still answers', async () => {
  const server = await h.start({ httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, stancesPerMinute: 4 } });
  const c = await sessionCast(h, server);
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  const round = (await c.call<{ id: string }>(c.broker, 'POST', `${s}/rounds`, {})).body;
  const r = `${s}/rounds/${round.id}`;
  expect((await c.call(c.ngo, 'PUT', '/objectives/obj2/stance', { stance: 'agree' })).status).toBe(200);
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await c.call(c.ngo, 'POST', `${r}/answers`, { answer: 'object', reason: `Reason ${i}` })).status);
  expect(statuses).toEqual([200, 200, 200, 429, 429]);
  expect((await c.call(c.business, 'POST', `${r}/answers`, { answer: 'agree' })).status).toBe(200);
  const closed = await c.call<{ results: { reason?: string }[] }>(c.broker, 'POST', `${r}/close`);
  // The refused answers changed nothing: the NGO's last answer let in stands.
  expect(closed.body.results.map((x) => x.reason)).toEqual(['Reason 2', undefined]);
});
