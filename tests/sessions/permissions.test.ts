import { expect, it } from 'vitest';
import type { LiveSession } from '#shared/sessions';
import { useHarness } from '../support/harness';
import { api, createAgreement } from '../support/server';
import { sessionCast, type SessionCast } from './support';

const h = useHarness();

type Who = 'broker' | 'ngo' | 'business' | 'legal' | 'observer';
const EVERYONE: Who[] = ['broker', 'ngo', 'business', 'legal', 'observer'];

/** Every role the command is not for gets 403 and changes nothing; then the first allowed role succeeds. */
async function only(c: SessionCast, allowed: Who[], method: string, path: string, body?: unknown, expected = 200) {
  for (const who of EVERYONE.filter((w) => !allowed.includes(w))) {
    const res = await c.call(c[who], method, path, body);
    expect(res.status, `${who} ${method} ${path}`).toBe(403);
    expect(typeof res.body.error).toBe('string');
  }
  const res = await c.call(c[allowed[0]], method, path, body);
  expect(res.status, `${allowed[0]} ${method} ${path}: ${JSON.stringify(res.body)}`).toBe(expected);
  return res.body;
}

it('only a broker plans, starts, steers and ends; only negotiators answer and raise hands; everyone reads', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const agenda = [
    { kind: 'objective', title: 'Safe water', objectiveId: 'obj1', plannedMinutes: 20 },
    { kind: 'section', title: 'Shared objectives', section: 'Shared objectives', plannedMinutes: 15 },
  ];
  const planned = (await only(c, ['broker'], 'POST', '/sessions', { title: 'Session 1', agenda }, 201)) as unknown as LiveSession;
  const s = `/sessions/${planned.id}`;
  const reordered = [planned.agenda[1], planned.agenda[0]];
  const replanned = (await only(c, ['broker'], 'PUT', `${s}/agenda`, { agenda: reordered })) as unknown as LiveSession;
  expect(replanned.agenda.map((i) => i.id)).toEqual([planned.agenda[1].id, planned.agenda[0].id]);
  await only(c, ['broker'], 'POST', `${s}/start`);
  await only(c, ['broker'], 'POST', `${s}/current`, { itemId: planned.agenda[0].id });

  const round = await only(c, ['broker'], 'POST', `${s}/rounds`, {}, 201);
  await only(c, ['ngo', 'business'], 'POST', `${s}/rounds/${String(round.id)}/answers`, { answer: 'agree' });
  expect((await c.call(c.business, 'POST', `${s}/rounds/${String(round.id)}/answers`, { answer: 'agree' })).status).toBe(200);
  await only(c, ['broker'], 'POST', `${s}/rounds/${String(round.id)}/close`);

  await only(c, ['ngo', 'business'], 'POST', `${s}/hands`);
  expect((await c.call(c.business, 'POST', `${s}/hands`)).status).toBe(200);
  const people = (await c.call<{ me: { personId: string } }>(c.ngo, 'GET', '')).body.me;
  // Nobody lowers another person's hand but a broker; one's own hand, yes.
  for (const who of ['business', 'legal', 'observer'] as const) {
    expect((await c.call(c[who], 'DELETE', `${s}/hands/${people.personId}`)).status, who).toBe(403);
  }
  expect((await c.call(c.ngo, 'DELETE', `${s}/hands/${people.personId}`)).status).toBe(200);
  await only(c, ['broker'], 'POST', `${s}/floor`, { personId: people.personId });
  await only(c, ['broker'], 'POST', `${s}/caucus`, { minutes: 5 });
  await only(c, ['broker'], 'POST', `${s}/decisions`, { text: 'Start with the two northern villages' }, 201);
  await only(c, ['broker'], 'POST', `${s}/actions`, { what: 'Survey wells', owner: { kind: 'party', id: c.fx.ngoId }, due: '2027-02-01' }, 201);
  const point = await only(c, ['broker'], 'POST', '/parked', { note: 'Who pays for maintenance?', objectiveId: 'obj1' }, 201);
  await only(c, ['broker'], 'POST', `/parked/${String(point.id)}/resolve`);
  await only(c, ['broker'], 'POST', `${s}/end`);

  // Legal reviewers and observers see it all.
  for (const who of EVERYONE) {
    expect((await c.call<{ sessions: LiveSession[] }>(c[who], 'GET', '/sessions')).body.sessions[0].status, who).toBe('ended');
    expect((await c.call(c[who], 'GET', `${s}/minutes`)).status, who).toBe(200);
    const file = await fetch(`${server.http}/api/agreements/${c.id}${s}/minutes/export?format=md`, { headers: { authorization: `Bearer ${c[who]}` } });
    expect(file.status, who).toBe(200);
    expect(await file.text()).toContain('Minutes: Session 1');
  }
});

it('a command needs a valid token for this agreement, an existing agreement and well-formed input', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const other = await createAgreement(server);
  const body = { title: 'S', agenda: [{ kind: 'free', title: 'Intro', plannedMinutes: 5 }] };
  expect((await c.call(c.broker.slice(0, -3) + 'xyz', 'POST', '/sessions', body)).status).toBe(401);
  expect((await api(server, 'POST', `/api/agreements/${c.id}/sessions`, body)).status).toBe(401);
  expect((await c.call(other.brokerToken, 'POST', '/sessions', body)).status).toBe(403);
  expect((await api(server, 'POST', '/api/agreements/nope/sessions', body, c.broker)).status).toBe(403);
  for (const bad of [
    { title: 42, agenda: [] },
    { title: 'S', agenda: [{ kind: 'free', title: 'Intro', plannedMinutes: '5' }] },
    { title: 'S', agenda: [{ kind: 'free', title: 'Intro', plannedMinutes: 0 }] },
    { title: 'S', agenda: [{ kind: 'objective', title: 'Gone', objectiveId: 'nope', plannedMinutes: 5 }] },
    { title: 'S', agenda: [{ kind: 'section', title: 'No heading', plannedMinutes: 5 }] },
    { title: 'S', agenda: [], extra: true },
  ]) {
    const res = await c.call(c.broker, 'POST', '/sessions', bad);
    expect(res.status, JSON.stringify(bad)).toBe(400);
    expect(typeof res.body.error).toBe('string');
  }
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  expect((await c.call(c.broker, 'POST', '/sessions', body)).status).toBe(409);
  expect((await c.call(c.broker, 'POST', `${s}/start`)).status).toBe(409);
  expect((await c.call(c.broker, 'POST', `${s}/current`, { itemId: 'nope' })).status).toBe(404);
  expect((await c.call(c.broker, 'POST', '/sessions/nope/current', { itemId: 'x' })).status).toBe(404);
  expect((await c.call(c.broker, 'POST', `${s}/caucus`, { minutes: 10_000 })).status).toBe(400);
  expect((await c.call(c.broker, 'POST', `${s}/actions`, { what: 'x', owner: { kind: 'person', id: 'nobody' } })).status).toBe(400);
  expect((await c.call(c.broker, 'POST', `${s}/actions`, { what: 'x', owner: { kind: 'party', id: c.fx.ngoId }, due: '2027-13-45' })).status).toBe(400);
  expect((await c.call(c.broker, 'POST', `${s}/minutes`)).status).toBe(404);
  expect((await c.call(c.broker, 'GET', `${s}/minutes`)).status).toBe(404);
  expect((await c.call(c.broker, 'POST', '/parked', { note: 'x', anchor: { start: 'AAAA', end: 'AAAA' } })).status).toBe(400);
  // The server is still up and answering.
  expect((await api(server, 'GET', '/api/health')).status).toBe(200);
});
