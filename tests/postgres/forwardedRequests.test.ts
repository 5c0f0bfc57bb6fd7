import { expect, it } from 'vitest';
import { api, createAgreement } from '../support/server';
import { waitFor } from '../support/poll';
import { useHarness } from '../support/harness';
import { useDatabase } from '../support/databases';
import { leaseOf } from '../support/cluster';
import { holdCalls } from '../support/heldCalls';

const database = useDatabase();
const h = useHarness();

// What a request answers through an instance that forwards it is what the owner answers, however long
// the owner takes: a snapshot that is taken must not be answered "try again" (and so taken twice).
it('a snapshot the owner takes over 30 s to store is answered 201 through a forwarding instance, as at the owner', { timeout: 90_000 }, async () => {
  const a = await h.start({ databaseUrl: database().url });
  const b = await h.start({ databaseUrl: database().url });
  const f = await createAgreement(a);
  const id = f.agreement.id;
  expect((await leaseOf(database().url, id)).ownerUrl).toBe(a.http);

  // A busy owner (a queue of long comparisons in its worker, a slow disk): storing the snapshot waits.
  const slowStore = holdCalls(a.app.ctx.storage, 'saveSnapshot', 1);
  const started = Date.now();
  let answer: { status: number; body: unknown } | undefined;
  void api(b, 'POST', `/api/agreements/${id}/snapshots`, { label: 'Text for signature' }, f.brokerToken).then((r) => (answer = r));
  // The owner loads the room and encodes the text first: over 5 s beside the whole suite at a load of 14 (a CI run).
  await waitFor(() => slowStore.waiting === 1, { timeoutMs: 30_000, what: 'the owner storing the snapshot' });
  // Past the 30 s the forwarding instance once waited, then the store goes through.
  await waitFor(() => answer ?? Date.now() - started > 31_000, { timeoutMs: 35_000, intervalMs: 100, what: '31 s or an answer' });
  await slowStore.release();
  await waitFor(() => answer, { timeoutMs: 10_000, what: 'the answer through B' });
  expect(answer).toMatchObject({ status: 201, body: { label: 'Text for signature' } });
  const listed = await api<{ label: string }[]>(b, 'GET', `/api/agreements/${id}/snapshots`, undefined, f.brokerToken);
  expect(listed.body.map((s) => s.label)).toEqual(['Text for signature']);
});
