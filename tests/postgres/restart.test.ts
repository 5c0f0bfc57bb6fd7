import { expect, it } from 'vitest';
import { contentString, paragraphText, synced } from '../support/clients';
import { api, createAgreement } from '../support/server';
import { waitFor } from '../support/poll';
import { useHarness } from '../support/harness';
import { useOwnPostgres } from '../support/databases';
import { storedContent } from '../support/cluster';

// A PostgreSQL of its own: restarting the shared one would cut the other test files' connections.
const postgres = useOwnPostgres();
const h = useHarness();

it('pg_ctl restart during a session: no acknowledged edit is lost, and the sessions recover on their own', async () => {
  const url = postgres().url;
  const a = await h.start({ databaseUrl: url });
  const b = await h.start({ databaseUrl: url });
  const f = await createAgreement(a);
  const id = f.agreement.id;
  const nia = await f.invite({ role: 'negotiator', name: 'Nia Otieno', party: f.ngoId });
  const ben = await f.invite({ role: 'negotiator', name: 'Ben Kamau', party: f.businessId });
  const onA = h.connect(a, id, nia);
  const onB = h.connect(b, id, ben);
  await Promise.all([synced(onA), synced(onB)]);
  paragraphText(onA.doc).insert(0, 'Before the restart. ');
  // Acknowledged: the other negotiator saw it, so the server had stored it.
  await waitFor(() => contentString(onB.doc).includes('Before the restart. '), { what: 'B sees the edit' });
  paragraphText(onB.doc).insert(paragraphText(onB.doc).length, 'Acknowledged. ');
  await waitFor(() => contentString(onA.doc).includes('Before the restart. Acknowledged. '), { what: 'A sees the reply' });

  await postgres().restart();
  // Read at once: the clients' resync (which could write back what they hold) waits for an owner.
  expect(await storedContent(url, id)).toContain('Before the restart. Acknowledged. ');

  // Every lease went with the connections: the instances drop their rooms, the clients reconnect and resync.
  await waitFor(() => [onA, onB].every((c) => c.provider.wsconnected && c.provider.synced), { timeoutMs: 20_000, what: 'both sessions back' });
  paragraphText(onA.doc).insert(paragraphText(onA.doc).length, 'After.');
  const all = 'Before the restart. Acknowledged. After.';
  await waitFor(() => contentString(onB.doc).includes(all), { timeoutMs: 20_000, what: 'an edit after the restart reaches the other side' });
  await waitFor(async () => (await storedContent(url, id)).includes(all), { timeoutMs: 10_000, what: 'everything stored' });

  // The HTTP side recovers too: a snapshot through the instance that does not own the agreement.
  const snapshot = await api<{ id: string }>(b, 'POST', `/api/agreements/${id}/snapshots`, { label: 'After the restart' }, nia);
  expect(snapshot.status).toBe(201);
});
