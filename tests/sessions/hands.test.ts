import { expect, it } from 'vitest';
import type { LiveSession } from '#shared/sessions';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { sessionCast } from './support';

const h = useHarness();

// Nia was revoked with her hand up: everyone kept seeing it in the queue, and the broker could give her the floor.
it('a raised hand comes down when its person is revoked or stops being a negotiator; a revoked person cannot be given the floor', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  const hands = async () => (await c.call<{ sessions: LiveSession[] }>(c.legal, 'GET', '/sessions')).body.sessions[0].hands.map((x) => x.name);
  const people = (await c.call<{ people: { id: string; name: string }[] }>(c.broker, 'GET', '/people')).body.people;
  const id = (name: string) => people.find((p) => p.name === name)!.id;

  // Two tabs raising the same hand: one hand.
  await Promise.all([c.call(c.ngo, 'POST', `${s}/hands`), c.call(c.ngo, 'POST', `${s}/hands`), c.call(c.business, 'POST', `${s}/hands`)]);
  expect((await hands()).sort()).toEqual(['Ben', 'Nia']);

  expect((await c.call(c.broker, 'DELETE', `/people/${id('Nia')}`)).status).toBe(204);
  await waitFor(async () => !(await hands()).includes('Nia'), { what: 'the revoked person’s hand down', timeoutMs: 3000 });
  const floor = await c.call<{ code: string }>(c.broker, 'POST', `${s}/floor`, { personId: id('Nia') });
  expect(floor.status).toBe(409);
  expect(floor.body.code).toBe('person_revoked');

  // Ben becomes an observer: observers raise no hands, so his comes down too.
  expect((await c.call(c.broker, 'PATCH', `/people/${id('Ben')}`, { role: 'observer' })).status).toBe(200);
  await waitFor(async () => (await hands()).length === 0, { what: 'the new observer’s hand down', timeoutMs: 3000 });
});
