import { expect, it } from 'vitest';
import { recordsRoom } from '#shared/rooms';
import { RecordsKey } from '#shared/records';
import type { SnapshotSummary } from '#shared/snapshots';
import { synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { useDatabase } from '../support/databases';
import { api, createAgreement } from '../support/server';
import { snapshotRecord } from '../support/snapshotRecord';
import { PgStorage } from '../../server/src/storage/pg/pgStorage';

// With PostgreSQL a snapshot is one committed row, and its summary in the records room a later, separate
// commit (an update of that room): an instance that dies between the two leaves the row, which the API
// lists, and a records room that does not. The next owner to load the room lists it there too.

const db = useDatabase();
const h = useHarness();

it('a snapshot committed by an instance that died before listing it in the records room is listed there by the next one', { timeout: 60_000 }, async () => {
  const url = db().url;
  const first = await h.start({ databaseUrl: url });
  const f = await createAgreement(first);
  const id = f.agreement.id;
  const taken = await api<SnapshotSummary>(first, 'POST', `/api/agreements/${id}/snapshots`, { label: 'Kept' }, f.brokerToken);
  expect(taken.status).toBe(201);
  await first.close();
  // What the dead instance's commit left: the next snapshot's row, chained to the first, and nothing more.
  const raw = await PgStorage.open({ url });
  h.defer(() => raw.close());
  await raw.saveSnapshot({ ...snapshotRecord(id, 'CrashTaken01'), prevHash: taken.body.hash }, new Uint8Array([0, 0]));

  const next = await h.start({ databaseUrl: url });
  const listed = await api<SnapshotSummary[]>(next, 'GET', `/api/agreements/${id}/snapshots`, undefined, f.brokerToken);
  expect(listed.body.map((s) => s.id)).toEqual([taken.body.id, 'CrashTaken01']);
  const reader = h.connect(next, recordsRoom(id), f.brokerToken);
  await synced(reader);
  const index = reader.doc
    .getArray<SnapshotSummary>(RecordsKey.snapshots)
    .toArray()
    .map((s) => s.id);
  expect(index, 'the records room lists what the API lists').toEqual([taken.body.id, 'CrashTaken01']);
});
