import { cp } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { recordsRoom } from '#shared/rooms';
import { RecordsKey } from '#shared/records';
import type { SnapshotSummary } from '#shared/snapshots';
import { synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { api, createAgreement } from '../support/server';
import { LowdbStorage } from '../../server/src/storage/lowdbStorage';
import type { SnapshotRecord, Storage } from '../../server/src/storage/port';

// Taking a snapshot writes its state and its line in the stored list (what GET …/snapshots answers),
// then its summary into the records room (what every open History panel and editor follows live). A
// kill -9 between the two must not leave a snapshot the API lists and the records room does not.

const h = useHarness();

/** Lowdb storage whose snapshots, once stored, wait at its door until the test lets them go on. */
async function storageHoldingSavedSnapshots(dataDir: string): Promise<{ storage: Storage; saved: () => boolean; release: () => void }> {
  const inner = await LowdbStorage.open({ dataDir });
  let done = false;
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const storage = new Proxy(inner, {
    get(target, key, receiver) {
      if (key === 'saveSnapshot')
        return async (record: SnapshotRecord, state: Uint8Array) => {
          await target.saveSnapshot(record, state);
          done = true;
          await gate;
        };
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { storage, saved: () => done, release: () => release() };
}

/** The snapshot ids the records room lists, as a stock client synced to it reads them. */
async function recordsIndex(server: { ws: string }, agreementId: string, token: string): Promise<string[]> {
  const reader = h.connect(server, recordsRoom(agreementId), token);
  await synced(reader);
  const ids = reader.doc
    .getArray<SnapshotSummary>(RecordsKey.snapshots)
    .toArray()
    .map((s) => s.id);
  reader.destroy();
  return ids;
}

async function apiList(server: { http: string }, agreementId: string, token: string): Promise<string[]> {
  const listed = await api<SnapshotSummary[]>(server, 'GET', `/api/agreements/${agreementId}/snapshots`, undefined, token);
  expect(listed.status).toBe(200);
  return listed.body.map((s) => s.id);
}

it('a crash after a snapshot is stored but before the records room lists it: after a restart both list it', { timeout: 90_000 }, async () => {
  const dataDir = await h.tempDir('cg-snapshot-crash-');
  const { storage, saved, release } = await storageHoldingSavedSnapshots(dataDir);
  h.defer(release);
  const s = await h.start({ dataDir }, storage);
  const f = await createAgreement(s);
  const taking = api<SnapshotSummary>(s, 'POST', `/api/agreements/${f.agreement.id}/snapshots`, { label: 'Agreed' }, f.brokerToken);
  await waitFor(saved, { what: 'the snapshot stored' });
  // The crash: what is on disk now, whatever the server still held in memory (appends wait 20 ms at most).
  await storage.flush();
  const crashed = await h.tempDir('cg-snapshot-crashed-');
  await cp(dataDir, crashed, { recursive: true });
  release();
  const taken = await taking;
  expect(taken.status).toBe(201);
  // The server that went on: the snapshot once in each list (however often its records room loaded meanwhile).
  expect(await recordsIndex(s, f.agreement.id, f.brokerToken)).toEqual([taken.body.id]);
  expect(await apiList(s, f.agreement.id, f.brokerToken)).toEqual([taken.body.id]);

  const after = await h.start({ dataDir: crashed });
  const listed = await apiList(after, f.agreement.id, f.brokerToken);
  expect(listed).toEqual([taken.body.id]);
  expect(await recordsIndex(after, f.agreement.id, f.brokerToken), 'the records room lists what the API lists').toEqual(listed);
  // A snapshot taken afterwards comes after it in both.
  const next = await api<SnapshotSummary>(after, 'POST', `/api/agreements/${f.agreement.id}/snapshots`, { label: 'Next' }, f.brokerToken);
  expect(next.status).toBe(201);
  expect(await apiList(after, f.agreement.id, f.brokerToken)).toEqual([taken.body.id, next.body.id]);
  expect(await recordsIndex(after, f.agreement.id, f.brokerToken)).toEqual([taken.body.id, next.body.id]);
});
