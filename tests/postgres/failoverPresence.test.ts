import { expect, it } from 'vitest';
import type WebSocket from 'ws';
import { presenceName, synced } from '../support/clients';
import { createAgreement } from '../support/server';
import { waitFor } from '../support/poll';
import { useHarness } from '../support/harness';
import { useDatabase } from '../support/databases';
import { leaseOf, withDatabase } from '../support/cluster';
import { awarenessFrame, hostileSocket, syncStep1Frame } from '../hostile/support/payloads';

const database = useDatabase();
const h = useHarness();

/** Sends `frame`, then waits until the room has handled it (it answers a sync request sent after it). */
async function sendHandled(socket: WebSocket, frame: Uint8Array): Promise<void> {
  let answered = false;
  socket.on('message', () => (answered = true));
  socket.send(frame);
  socket.send(syncStep1Frame());
  await waitFor(() => answered, { what: 'the room to have handled the frame' });
}

// An awareness id is one person's (README, "Presence"): nobody else may take it. With several instances,
// a failover ends the room's life on the old owner while everyone is still there, and the new owner's room
// started with no binding (they were kept in the old owner's memory): whoever reconnected first took anyone's
// id (expected 'Mallory' to be 'Lena Legal'). The bindings are now stored with the agreement's authorship
// (features/snapshots/presenceBindings.ts), with a per-person cap (tests/hostile/presenceBindingsCap.test.ts).
it('after a failover, a participant who reconnects first cannot take over the presence id another person holds', async () => {
  const a = await h.start({ databaseUrl: database().url });
  const b = await h.start({ databaseUrl: database().url });
  const f = await createAgreement(a);
  const id = f.agreement.id;
  const mallory = await f.invite({ role: 'negotiator', name: 'Mallory', party: f.businessId });
  const lena = h.connect(a, id, await f.invite({ role: 'legal', name: 'Lena Legal' }));
  const watcher = h.connect(b, id, f.brokerToken);
  await Promise.all([synced(lena), synced(watcher)]);
  lena.provider.awareness.setLocalStateField('cursor', { anchor: 1 });
  const lenasId = lena.doc.clientID;
  await waitFor(() => presenceName(watcher, lenasId) === 'Lena Legal', { what: "Lena's presence at the watcher" });

  // The owner's lease connection is cut: its rooms close (4503) and B takes the agreement over.
  lena.provider.disconnect();
  await withDatabase(database().url, (c) =>
    c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [`common-ground lease ${a.http}`]),
  );
  await waitFor(async () => (await leaseOf(database().url, id)).ownerUrl === b.http && watcher.provider.synced && watcher.provider.wsconnected, {
    timeoutMs: 10_000,
    what: 'B owning the agreement, the watcher back',
  });
  // Mallory is back first and announces himself under Lena's id.
  const hostile = await hostileSocket(`${b.ws}/${id}?token=${mallory}`);
  h.defer(() => hostile.socket.terminate());
  await sendHandled(hostile.socket, awarenessFrame(lenasId, 5000, { cursor: { anchor: 9 } }));

  lena.provider.connect();
  await synced(lena, 10_000);
  lena.provider.awareness.setLocalStateField('cursor', { anchor: 2 });
  await waitFor(() => presenceName(watcher, lenasId) === 'Lena Legal', {
    timeoutMs: 5000,
    what: "Lena's presence at the watcher again",
  }).catch(() => {});
  expect(presenceName(watcher, lenasId)).toBe('Lena Legal');
});
