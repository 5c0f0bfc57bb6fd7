import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { connectClient, contentString, synced, type TestClient } from '../support/clients';
import { startChildServer, type ChildServer } from '../support/childServer';
import { createAgreement, removeDir, tempDir, type TestServer } from '../support/server';
import { waitFor } from '../support/poll';

let child: ChildServer | undefined;
let clients: TestClient[] = [];
let dir: string | undefined;

afterEach(async () => {
  for (const c of clients) c.destroy();
  clients = [];
  await child?.kill('SIGKILL');
  child = undefined;
  if (dir) await removeDir(dir);
});

it('a server killed with SIGKILL 100 ms after the last edit serves every edit after restart', async () => {
  dir = await tempDir('cg-crash-');
  child = await startChildServer(dir);
  const f = await createAgreement(child as unknown as TestServer);
  const writer = connectClient(child.ws, f.agreement.id, f.brokerToken);
  const watcher = connectClient(child.ws, f.agreement.id, f.brokerToken);
  clients.push(writer, watcher);
  await synced(writer);
  await synced(watcher);

  for (let i = 0; i < 200; i++) {
    writer.text.insert(writer.text.length, `edit-${i} `);
    if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  // The watcher seeing the last edit proves the server received it.
  await waitFor(() => contentString(watcher.doc).includes('edit-199 '), { what: 'server relayed the last edit' });
  const expected = contentString(writer.doc);
  await new Promise((resolve) => setTimeout(resolve, 100)); // the scenario: die 100 ms after the last edit
  expect(await child.kill('SIGKILL')).toBe(null);
  writer.provider.shouldConnect = false;
  watcher.provider.shouldConnect = false;

  child = await startChildServer(dir);
  const reader = connectClient(child.ws, f.agreement.id, f.brokerToken);
  clients.push(reader);
  await synced(reader, 10_000);
  expect(contentString(reader.doc)).toBe(expected);
}, 90_000);

it('SIGTERM stores everything and exits cleanly', async () => {
  dir = await tempDir('cg-term-');
  // Edits are written before they are relayed; what SIGTERM must add is a clean exit (code 0) that
  // compacts open rooms and writes anything queued, with a flush window long enough that no timer does it.
  child = await startChildServer(dir, { FLUSH_INTERVAL_MS: '60000' });
  const f = await createAgreement(child as unknown as TestServer);
  const writer = connectClient(child.ws, f.agreement.id, f.brokerToken);
  clients.push(writer);
  await synced(writer);
  writer.text.insert(0, 'written just before shutdown');
  const health = await fetch(`${child.http}/api/health`);
  expect(health.status).toBe(200);
  await waitFor(async () => {
    // Wait until the server holds the edit: a fresh client sees it.
    const probe = connectClient(child!.ws, f.agreement.id, f.brokerToken);
    try {
      await synced(probe);
      return contentString(probe.doc).includes('just before');
    } finally {
      probe.destroy();
    }
  });
  writer.provider.shouldConnect = false;
  expect(await child.kill('SIGTERM')).toBe(0);
  // Shutdown compacted the room: one state file, no log left to replay.
  expect(existsSync(join(dir, 'rooms', `${f.agreement.id}.state`))).toBe(true);
  expect(existsSync(join(dir, 'rooms', `${f.agreement.id}.log`))).toBe(false);

  child = await startChildServer(dir);
  const reader = connectClient(child.ws, f.agreement.id, f.brokerToken);
  clients.push(reader);
  await synced(reader, 10_000);
  expect(contentString(reader.doc)).toContain('written just before shutdown');
}, 90_000);
