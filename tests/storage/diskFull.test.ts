import { mkdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { LowdbStorage } from '../../server/src/storage/lowdbStorage';
import { StorageUnavailableError } from '../../server/src/storage/unavailable';
import { contentString, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { api, createAgreement } from '../support/server';
import { waitFor } from '../support/poll';
import { fillableDisk } from '../support/fullDisk';

const h = useHarness();

/** Three edits of one writer, each building on the one before. */
function threeEdits(): { updates: Uint8Array[]; text: string } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (const words of ['Stored before. ', 'Refused while full. ', 'Sent once space is back.']) doc.getText('t').insert(doc.getText('t').length, words);
  return { updates, text: doc.getText('t').toString() };
}

it('an append the full disk cut short leaves no torn frame: what is written once space is back loads after a restart', async () => {
  const dir = await h.tempDir('cg-full-');
  const disk = fillableDisk();
  const { updates, text } = threeEdits();
  const storage = await LowdbStorage.open({ dataDir: dir, writeSync: disk.write, onError: () => {} });
  storage.appendUpdate('room', updates[0]);
  disk.full = true;
  try {
    storage.appendUpdate('room', updates[1]);
  } catch {
    // Refused: its writer still holds it and sends it again (below).
  }
  disk.full = false;
  storage.appendUpdate('room', updates[1]);
  storage.appendUpdate('room', updates[2]);
  await storage.close();

  const reopened = await LowdbStorage.open({ dataDir: dir });
  const replay = new Y.Doc();
  for (const u of await reopened.loadRoom('room')) Y.applyUpdate(replay, u);
  await reopened.close();
  expect(replay.getText('t').toString()).toBe(text);
});

it('an update the full disk refused is not taken as stored: appendUpdate throws StorageUnavailableError', async () => {
  const dir = await h.tempDir('cg-full-');
  const disk = fillableDisk();
  const { updates } = threeEdits();
  const storage = await LowdbStorage.open({ dataDir: dir, writeSync: disk.write, onError: () => {} });
  storage.appendUpdate('room', updates[0]);
  disk.full = true;
  expect(() => storage.appendUpdate('room', updates[1])).toThrow(StorageUnavailableError);
  disk.full = false;
  await storage.close();
});

it('while the disk is full nobody is told an edit is stored: its writer is closed with 1013 and sends it again once space is back, and it survives a restart', async () => {
  const dir = await h.tempDir('cg-full-');
  const disk = fillableDisk();
  let server = await h.start({ dataDir: dir }, await LowdbStorage.open({ dataDir: dir, writeSync: disk.write, onError: () => {} }));
  const f = await createAgreement(server);
  const writer = h.connect(server, f.agreement.id, f.brokerToken);
  const watcher = h.connect(server, f.agreement.id, f.brokerToken);
  await synced(writer);
  await synced(watcher);
  writer.text.insert(0, 'Written before the disk filled. ');
  await waitFor(() => contentString(watcher.doc).includes('before the disk'), { what: 'the first edit relayed' });

  disk.full = true;
  writer.text.insert(writer.text.length, 'Typed while the disk was full.');
  await waitFor(() => writer.closes.some((c) => c.code === 1013 && /storage/.test(c.reason)), {
    timeoutMs: 3000,
    what: 'the writer told (1013, storage) that its edit was not stored',
  });
  // What the server could not store went to nobody.
  expect(contentString(watcher.doc)).not.toContain('while the disk was full');

  disk.full = false;
  await waitFor(() => contentString(watcher.doc).includes('while the disk was full'), { timeoutMs: 10_000, what: 'the edit sent again once space was back' });
  const expected = contentString(writer.doc);
  h.destroyClients();
  await server.close();

  server = await h.start({ dataDir: dir });
  const reader = h.connect(server, f.agreement.id, f.brokerToken);
  await synced(reader);
  expect(contentString(reader.doc)).toBe(expected);
});

it('an invitation the disk refuses is answered 503 storage_unavailable and lists nobody; once the disk takes writes it goes through', async () => {
  const server = await h.start();
  const f = await createAgreement(server);
  const path = `/api/agreements/${f.agreement.id}`;
  // lowdb writes a temporary file beside the agreement's and renames it: a folder in its place fails the write.
  const blocker = join(server.dataDir, 'agreements', `.${f.agreement.id}.json.tmp`);
  await mkdir(blocker);
  const refused = await api<{ code: string }>(server, 'POST', `${path}/invites`, { role: 'observer', name: 'Olga Observer' }, f.brokerToken);
  expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 503, code: 'storage_unavailable' });
  const people = await api<{ people: { name: string }[] }>(server, 'GET', `${path}/people`, undefined, f.brokerToken);
  expect(people.body.people.map((p) => p.name)).not.toContain('Olga Observer');

  await rmdir(blocker);
  expect((await api(server, 'POST', `${path}/invites`, { role: 'observer', name: 'Olga Observer' }, f.brokerToken)).status).toBe(201);
});

it('who wrote what is kept when the disk fills before it is written: once the disk takes writes, a comparison credits the writer', async () => {
  const dir = await h.tempDir('cg-full-');
  const disk = fillableDisk();
  const server = await h.start({ dataDir: dir }, await LowdbStorage.open({ dataDir: dir, writeSync: disk.write, onError: () => {} }));
  const f = await createAgreement(server);
  const path = `/api/agreements/${f.agreement.id}`;
  const nia = h.connect(server, f.agreement.id, await f.invite({ role: 'negotiator', name: 'Nia Otieno', party: f.ngoId }));
  const watcher = h.connect(server, f.agreement.id, f.brokerToken);
  await synced(nia);
  await synced(watcher);
  const before = await api<{ id: string }>(server, 'POST', `${path}/snapshots`, { label: 'Empty' }, f.brokerToken);

  nia.text.insert(0, 'Words of Nia.');
  // Stored and relayed; who wrote it is gathered for a moment (a burst of typing) before it is written.
  await waitFor(() => contentString(watcher.doc).includes('Words of Nia.'), { what: 'the words stored' });
  disk.full = true;
  await waitFor(() => nia.closes.some((c) => c.code === 1013), { what: 'the agreement dropped as the disk refused the attribution' });
  disk.full = false;

  const diff = await waitFor(
    async () => {
      const res = await api<{ content: unknown }>(server, 'GET', `${path}/diff?from=${before.body.id}&to=live`, undefined, f.brokerToken);
      return res.status === 200 && JSON.stringify(res.body.content).includes('Words of Nia.') ? JSON.stringify(res.body.content) : undefined;
    },
    { timeoutMs: 10_000, what: 'the comparison once the disk takes writes' },
  );
  expect(diff).toContain('"name":"Nia Otieno"');
});
