import { expect, it } from 'vitest';
import { api, createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';

const harness = useHarness();

// Every snapshot stores the whole text for good (a 40-page agreement is about half a megabyte),
// adds itself to the records every participant holds, and is read back by every check of the
// chain. Nothing limited how many a negotiator could take: a loop filled the disk.
it('a negotiator who takes snapshots in a loop is refused past the limit with a JSON error, and others still can take theirs', async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const looping = await f.invite({ role: 'negotiator', name: 'Loop', party: f.ngoId });
  const take = (token: string, label: string) => api<{ error?: string; code?: string }>(s, 'POST', `/api/agreements/${id}/snapshots`, { label }, token);

  const statuses: number[] = [];
  for (let i = 0; i < 14; i++) statuses.push((await take(looping, `Loop ${i}`)).status);
  expect(statuses.slice(0, 12)).toEqual(Array(12).fill(201));
  expect(statuses.slice(12)).toEqual([429, 429]);
  const refused = await take(looping, 'One more');
  expect(refused.body).toEqual({ error: expect.stringMatching(/too many requests/), code: 'rate_limited' });

  expect((await take(f.brokerToken, 'Before the session')).status).toBe(201);
  const list = await api<unknown[]>(s, 'GET', `/api/agreements/${id}/snapshots`, undefined, f.brokerToken);
  expect(list.body).toHaveLength(13);
});

// A restore keeps the text before it as a snapshot of its own (for good, like any other), and
// rewrites the live text for everyone in the session: a loop of them was not limited either.
it('a broker who restores in a loop is refused past the snapshot limit with a JSON error; every restore kept is listed', async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const coBroker = await f.invite({ role: 'broker', name: 'Loop' });
  const taken = await api<{ id: string }>(s, 'POST', `/api/agreements/${id}/snapshots`, { label: 'Start' }, f.brokerToken);
  expect(taken.status).toBe(201);
  const restore = () => api<{ error?: string; code?: string }>(s, 'POST', `/api/agreements/${id}/snapshots/${taken.body.id}/restore`, undefined, coBroker);

  const statuses: number[] = [];
  for (let i = 0; i < 14; i++) statuses.push((await restore()).status);
  expect(statuses.slice(0, 12)).toEqual(Array(12).fill(200));
  expect(statuses.slice(12)).toEqual([429, 429]);
  expect((await restore()).body).toEqual({ error: expect.stringMatching(/too many requests/), code: 'rate_limited' });

  // The snapshot taken first, and one kept before each of the twelve restores.
  const list = await api<unknown[]>(s, 'GET', `/api/agreements/${id}/snapshots`, undefined, f.brokerToken);
  expect(list.body).toHaveLength(13);
});

// Ending a live session keeps a snapshot of the text with its minutes: planning, starting and
// ending sessions in a loop added a whole text for good every three requests, with no limit.
it('a broker who ends sessions in a loop is refused past the snapshot limit with a JSON error; the session stays running', async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const coBroker = await f.invite({ role: 'broker', name: 'Loop' });
  const call = <T>(method: string, rest: string, body?: unknown) => api<T>(s, method, `/api/agreements/${id}${rest}`, body, coBroker);

  const ends: number[] = [];
  let refused: { error?: string; code?: string } | undefined;
  for (let i = 0; i < 13; i++) {
    const planned = await call<{ id: string }>('POST', '/sessions', {
      title: `Loop ${i}`,
      agenda: [{ kind: 'free', title: 'Any other business', plannedMinutes: 5 }],
    });
    expect(planned.status).toBe(201);
    expect((await call('POST', `/sessions/${planned.body.id}/start`)).status).toBe(200);
    const ended = await call<{ error?: string; code?: string }>('POST', `/sessions/${planned.body.id}/end`);
    ends.push(ended.status);
    if (ended.status === 429) refused = ended.body;
  }
  expect(ends).toEqual([...Array(12).fill(200), 429]);
  expect(refused).toEqual({ error: expect.stringMatching(/too many requests/), code: 'rate_limited' });

  // The refused end changed nothing: that session is still running, and one snapshot was kept per session ended.
  const sessions = await call<{ sessions: { title: string; status: string }[] }>('GET', '/sessions');
  expect(sessions.body.sessions.at(-1)).toMatchObject({ title: 'Loop 12', status: 'running' });
  const list = await api<unknown[]>(s, 'GET', `/api/agreements/${id}/snapshots`, undefined, f.brokerToken);
  expect(list.body).toHaveLength(12);
});

// Each change of phase keeps a snapshot of the text (the phase's record): moving the phase back and
// forth in a loop added a whole text for good per request.
it('a broker who changes the phase in a loop is refused past the snapshot limit with a JSON error; the phase stays', async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const coBroker = await f.invite({ role: 'broker', name: 'Loop' });
  const setPhase = (i: number) =>
    api<{ error?: string; code?: string }>(
      s,
      'POST',
      `/api/agreements/${id}/phase`,
      i % 2 === 0 ? { phase: 'managing' } : { phase: 'scoping', reason: `Back again (${i})` },
      coBroker,
    );

  const statuses: number[] = [];
  for (let i = 0; i < 13; i++) statuses.push((await setPhase(i)).status);
  expect(statuses).toEqual([...Array(12).fill(200), 429]);
  expect((await setPhase(12)).body).toEqual({ error: expect.stringMatching(/too many requests/), code: 'rate_limited' });

  // The refused change changed nothing: the phase is still the twelfth change's (asking for it again changes
  // nothing and keeps no snapshot), and each change kept one snapshot.
  const same = await api<{ phase: string; changed: boolean }>(s, 'POST', `/api/agreements/${id}/phase`, { phase: 'scoping' }, f.brokerToken);
  expect(same.body).toMatchObject({ phase: 'scoping', changed: false });
  // Each automatic snapshot loads the room, stores the text and lets it go, one after another: on a machine
  // running the whole suite at a load of 15 the twelve took longer than the default five seconds.
  await waitFor(async () => (await api<unknown[]>(s, 'GET', `/api/agreements/${id}/snapshots`, undefined, f.brokerToken)).body.length === 12, {
    what: 'a snapshot for each of the twelve changes',
    timeoutMs: 30_000,
  });
});
