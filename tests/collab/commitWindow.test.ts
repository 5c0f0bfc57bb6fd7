import { expect, it } from 'vitest';
import { LowdbStorage } from '../../server/src/storage/lowdbStorage';
import { LeaseLostError } from '../../server/src/storage/fence';
import { contentString, paragraphText, synced, type TestClient } from '../support/clients';
import { createAgreement, type TestServer } from '../support/server';
import { HeldStorage } from '../support/heldStorage';
import { waitFor } from '../support/poll';
import { useHarness } from '../support/harness';

const h = useHarness();

async function serverOnHeldStorage(): Promise<{ server: TestServer; storage: HeldStorage }> {
  const dataDir = await h.tempDir();
  const storage = new HeldStorage(await LowdbStorage.open({ dataDir, flushIntervalMs: 20 }));
  // A commit still held would keep the server's close waiting for it.
  h.defer(() => storage.held?.fail(new Error('test over')));
  return { server: await h.start({ dataDir }, storage), storage };
}

function client(server: TestServer, room: string, token: string): TestClient {
  const c = h.connect(server, room, token);
  // Set before the socket opens: the provider sends it right after its SyncStep1.
  c.provider.awareness.setLocalStateField('user', { cursor: null });
  return c;
}

/**
 * The newcomer sends SyncStep1 and then its presence on one socket, and the server handles a
 * socket's frames in order: once the others see its presence, its sync request was handled,
 * and any answer to it was already sent.
 */
async function syncRequestHandled(newcomer: TestClient, observer: TestClient): Promise<void> {
  await waitFor(() => observer.provider.awareness.getStates().has(newcomer.doc.clientID), { timeoutMs: 10_000, what: "the newcomer's presence" });
}

it('a client joining while a commit is under way is not sent the uncommitted update: its sync answer waits for the commit', async () => {
  const { server, storage } = await serverOnHeldStorage();
  const f = await createAgreement(server);
  const id = f.agreement.id;
  const writer = client(server, id, f.brokerToken);
  await synced(writer);
  paragraphText(writer.doc).insert(0, 'Stored. ');
  await waitFor(async () => (await storage.loadRoom(id)).length > 0, { what: 'the first edit stored' });

  storage.holdNext(id);
  paragraphText(writer.doc).insert(paragraphText(writer.doc).length, 'Uncommitted.');
  const held = await waitFor(() => storage.held, { what: 'the commit under way' });

  const newcomer = client(server, id, f.brokerToken);
  await syncRequestHandled(newcomer, writer);
  // Its sync answer waits for the commit (about a millisecond on PostgreSQL): nothing uncommitted reaches it.
  expect(contentString(newcomer.doc)).not.toContain('Uncommitted.');
  expect(newcomer.provider.synced).toBe(false);

  await held.release();
  await waitFor(() => newcomer.provider.synced && contentString(newcomer.doc).includes('Stored. Uncommitted.'), {
    what: 'the newcomer gets it once committed',
  });
});

it('when the commit under way fails (the instance loses the agreement), a client that joined meanwhile has never seen the update', async () => {
  const { server, storage } = await serverOnHeldStorage();
  const f = await createAgreement(server);
  const id = f.agreement.id;
  const writer = client(server, id, f.brokerToken);
  await synced(writer);
  storage.holdNext(id);
  paragraphText(writer.doc).insert(0, 'Never stored.');
  const held = await waitFor(() => storage.held, { what: 'the commit under way' });

  const newcomer = client(server, id, f.brokerToken);
  const seen: string[] = [];
  newcomer.doc.on('update', () => seen.push(contentString(newcomer.doc)));
  await syncRequestHandled(newcomer, writer);
  // The instance dies mid-commit: nothing was stored, and nobody but its writer ever held it.
  held.fail(new LeaseLostError(id, 'stale epoch'));
  await waitFor(() => !newcomer.provider.wsconnected || !newcomer.provider.synced, { what: 'the newcomer cut off with the room' });
  expect(seen.some((text) => text.includes('Never stored.'))).toBe(false);
});
