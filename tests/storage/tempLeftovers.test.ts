import { readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import type { SnapshotSummary } from '#shared/snapshots';
import { contentString, paragraphText, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { api, createAgreement } from '../support/server';
import { waitFor } from '../support/poll';

// A kill -9 in the middle of a whole-file write leaves its temp file: writeFileAtomic's `<file>.<pid>.tmp`,
// lowdb's `.<file>.tmp`. The next server must tidy them away (they only grow the folder and a backup) and
// touch nothing else: not a real file, not the temp file of a process still running.

const h = useHarness();

/** Every file under `dir`, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

it('a server started after a kill -9 removes the temp files the dead one left, and nothing else', { timeout: 120_000 }, async () => {
  const dir = await h.tempDir('cg-tmp-leftovers-');
  const child = await h.child(dir);
  const f = await createAgreement(child);
  const id = f.agreement.id;
  const writer = h.connect(child, id, f.brokerToken);
  await synced(writer, 10_000);
  paragraphText(writer.doc).insert(0, 'Stored words. ');
  const taken = await waitFor(async () => {
    const answer = await api<SnapshotSummary>(child, 'POST', `/api/agreements/${id}/snapshots`, { label: 'Kept' }, f.brokerToken);
    return answer.status === 201 ? answer.body : undefined;
  });
  await waitFor(async () => (await readFile(join(dir, 'rooms', `${id}.log`)).catch(() => Buffer.alloc(0))).includes('Stored words. '), {
    what: 'the words in the log',
  });
  const deadPid = child.process.pid!;
  expect(await child.kill('SIGKILL')).toBe(null);
  writer.provider.shouldConnect = false;
  writer.destroy();

  const kept = await filesUnder(dir);
  // What the dead process's writes would have left, under the names each writer uses.
  const dead = [
    join('rooms', `${id}.state.${deadPid}.tmp`),
    join('rooms', `${id}.log.${deadPid}.tmp`),
    join('agreements', `.${id}.json.tmp`),
    join('agreements', `${id}.json.${deadPid}.tmp`),
    join('snapshots', id, '.index.json.tmp'),
    join('snapshots', id, `${taken.id}.ydoc.${deadPid}.tmp`),
    join('snapshots', id, `${taken.id}.context.json.${deadPid}.tmp`),
    `auth-secret.${deadPid}.tmp`,
  ];
  // A process still running (this one) may be writing its own: it is not the new server's to remove.
  const live = join('rooms', `${id}.state.${process.pid}.tmp`);
  for (const file of [...dead, live]) await writeFile(join(dir, file), 'half a write');

  const after = await h.child(dir);
  expect((await fetch(`${after.http}/api/health`)).status).toBe(200);
  const left = await filesUnder(dir);
  expect(
    dead.filter((file) => left.includes(file)),
    'temp files of the dead process still there',
  ).toEqual([]);
  expect(
    [...kept, live].filter((file) => !left.includes(file)),
    'files removed that were not leftovers',
  ).toEqual([]);
  const reader = h.connect(after, id, f.brokerToken);
  await synced(reader, 10_000);
  expect(contentString(reader.doc)).toContain('Stored words. ');
  const opened = await api(after, 'GET', `/api/agreements/${id}/snapshots/${taken.id}`, undefined, f.brokerToken);
  expect(opened.status).toBe(200);
  expect(existsSync(join(dir, live))).toBe(true);
});
