import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { contentString, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { createAgreement } from '../support/server';
import { waitFor } from '../support/poll';

const h = useHarness();

it('a server killed with SIGKILL 100 ms after the last edit serves every edit after restart', async () => {
  const dir = await h.tempDir('cg-crash-');
  let child = await h.child(dir);
  const f = await createAgreement(child);
  const writer = h.connect(child, f.agreement.id, f.brokerToken);
  const watcher = h.connect(child, f.agreement.id, f.brokerToken);
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

  child = await h.child(dir);
  const reader = h.connect(child, f.agreement.id, f.brokerToken);
  await synced(reader, 10_000);
  expect(contentString(reader.doc)).toBe(expected);
}, 90_000);

it('SIGTERM stores everything and exits cleanly', async () => {
  const dir = await h.tempDir('cg-term-');
  // Edits are written before they are relayed; what SIGTERM must add is a clean exit (code 0) that
  // compacts open rooms and writes anything queued, with a flush window long enough that no timer does it.
  let child = await h.child(dir, { FLUSH_INTERVAL_MS: '60000' });
  const f = await createAgreement(child);
  const writer = h.connect(child, f.agreement.id, f.brokerToken);
  await synced(writer);
  writer.text.insert(0, 'written just before shutdown');
  const health = await fetch(`${child.http}/api/health`);
  expect(health.status).toBe(200);
  await waitFor(async () => {
    // Wait until the server holds the edit: a fresh client sees it.
    const probe = h.connect(child, f.agreement.id, f.brokerToken);
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

  child = await h.child(dir);
  const reader = h.connect(child, f.agreement.id, f.brokerToken);
  await synced(reader, 10_000);
  expect(contentString(reader.doc)).toContain('written just before shutdown');
}, 90_000);
