import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, contentString, paragraphText, synced, type TestClient } from '../support/clients';
import { api, createAgreement, removeDir, startServer, type TestServer } from '../support/server';
import { waitFor } from '../support/poll';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { withDatabase } from '../support/cluster';

// A PostgreSQL of its own: restarting the shared one would cut the other test files' connections.
let postgres: TestPostgres;
const servers: TestServer[] = [];
const clients: TestClient[] = [];

beforeAll(async () => {
  postgres = await startPostgres();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) {
    await s.close();
    await removeDir(s.dataDir);
  }
});
afterAll(async () => {
  await postgres?.stop();
});

async function storedContent(room: string): Promise<string> {
  const rows = await withDatabase(
    postgres.url,
    async (c) => (await c.query<{ data: Buffer }>('SELECT data FROM room_updates WHERE room = $1 ORDER BY seq', [room])).rows,
  );
  const doc = new Y.Doc();
  for (const row of rows) Y.applyUpdate(doc, row.data);
  return contentString(doc);
}

it('pg_ctl restart during a session: no acknowledged edit is lost, and the sessions recover on their own', async () => {
  for (let i = 0; i < 2; i++) servers.push(await startServer({ databaseUrl: postgres.url }));
  const [a, b] = servers;
  const f = await createAgreement(a);
  const id = f.agreement.id;
  const nia = await f.invite({ role: 'negotiator', name: 'Nia Otieno', party: f.ngoId });
  const ben = await f.invite({ role: 'negotiator', name: 'Ben Kamau', party: f.businessId });
  const onA = connectClient(a.ws, id, nia);
  const onB = connectClient(b.ws, id, ben);
  clients.push(onA, onB);
  await Promise.all([synced(onA), synced(onB)]);
  paragraphText(onA.doc).insert(0, 'Before the restart. ');
  // Acknowledged: the other negotiator saw it, so the server had stored it.
  await waitFor(() => contentString(onB.doc).includes('Before the restart. '), { what: 'B sees the edit' });
  paragraphText(onB.doc).insert(paragraphText(onB.doc).length, 'Acknowledged. ');
  await waitFor(() => contentString(onA.doc).includes('Before the restart. Acknowledged. '), { what: 'A sees the reply' });

  await postgres.restart();
  // Read at once: the clients' resync (which could write back what they hold) waits for an owner.
  expect(await storedContent(id)).toContain('Before the restart. Acknowledged. ');

  // Every lease went with the connections: the instances drop their rooms, the clients reconnect and resync.
  await waitFor(() => [onA, onB].every((c) => c.provider.wsconnected && c.provider.synced), { timeoutMs: 20_000, what: 'both sessions back' });
  paragraphText(onA.doc).insert(paragraphText(onA.doc).length, 'After.');
  const all = 'Before the restart. Acknowledged. After.';
  await waitFor(() => contentString(onB.doc).includes(all), { timeoutMs: 20_000, what: 'an edit after the restart reaches the other side' });
  await waitFor(async () => (await storedContent(id)).includes(all), { timeoutMs: 10_000, what: 'everything stored' });

  // The HTTP side recovers too: a snapshot through the instance that does not own the agreement.
  const snapshot = await api<{ id: string }>(b, 'POST', `/api/agreements/${id}/snapshots`, { label: 'After the restart' }, nia);
  expect(snapshot.status).toBe(201);
});
