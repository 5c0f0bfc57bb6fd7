import { expect, it } from 'vitest';
import { api, createAgreement } from '../support/server';
import { useHarness } from '../support/harness';

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
