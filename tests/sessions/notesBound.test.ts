import { expect, it } from 'vitest';
import type { Minutes } from '#shared/sessions';
import { DEFAULT_HTTP_RATE_LIMITS } from '../../server/src/http/security';
import { MAX_NOTES_PER_SESSION, MAX_OPEN_PARKED } from '../../server/src/features/sessions/notes';
import { useHarness } from '../support/harness';
import { sessionCast } from './support';

const h = useHarness();

// 60 decisions a minute is the only bound: a day's session of them at 2,000 characters each is 57 MB of records
// every browser holds, written again into the minutes.
it('one session keeps a bounded number of decisions and of actions; past it, a 409 that says so', async () => {
  // Rate limits lifted, as over a long day: the count is what bounds the minutes.
  const server = await h.start({ httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, commentsPerMinute: 100_000 } });
  const c = await sessionCast(h, server);
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  const text = (i: number) => `${i} ${'d'.repeat(1990)}`;
  for (let i = 0; i < MAX_NOTES_PER_SESSION; i++) expect((await c.call(c.broker, 'POST', `${s}/decisions`, { text: text(i) })).status).toBe(201);
  const over = await c.call<{ code: string; error: string }>(c.broker, 'POST', `${s}/decisions`, { text: text(MAX_NOTES_PER_SESSION) });
  expect(over.status).toBe(409);
  expect(over.body.code).toBe('too_many_session_notes');
  // Actions have a budget of their own.
  expect((await c.call(c.broker, 'POST', `${s}/actions`, { what: 'Survey the wells', owner: { kind: 'party', id: c.fx.ngoId } })).status).toBe(201);
  const minutes = (await c.call<Minutes>(c.broker, 'POST', `${s}/end`)).body;
  expect(minutes.items[0].decisions).toHaveLength(MAX_NOTES_PER_SESSION);
});

// Parked points stay until resolved, across sessions: 60 a minute was their only bound.
it('an agreement keeps a bounded number of open parked points; resolving one makes room', async () => {
  const server = await h.start({ httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, commentsPerMinute: 100_000 } });
  const c = await sessionCast(h, server);
  let first = '';
  for (let i = 0; i < MAX_OPEN_PARKED; i++) {
    const res = await c.call<{ id: string }>(c.broker, 'POST', '/parked', { note: `${i} ${'p'.repeat(990)}` });
    expect(res.status).toBe(201);
    first ||= res.body.id;
  }
  const over = await c.call<{ code: string }>(c.broker, 'POST', '/parked', { note: 'One too many' });
  expect(over.status).toBe(409);
  expect(over.body.code).toBe('too_many_session_notes');
  expect((await c.call(c.broker, 'POST', `/parked/${first}/resolve`)).status).toBe(200);
  expect((await c.call(c.broker, 'POST', '/parked', { note: 'Room again' })).status).toBe(201);
});
