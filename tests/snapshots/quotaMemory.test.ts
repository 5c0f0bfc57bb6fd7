import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { LowdbStorage } from '../../server/src/storage/lowdbStorage';
import { SnapshotQuota } from '../../server/src/features/snapshots/quota';
import { snapshotRecord } from '../support/snapshotRecord';
import { removeDir, tempDir } from '../support/server';

const AGREEMENTS = 30;
const KEPT = 5;

// The snapshot quota tallied each agreement's snapshots once and kept the tally for as long as the
// server ran: one for every agreement anyone took a snapshot of, for good.
it('keeps the tallies of the agreements used last, and counts the others again from storage, caps still kept', async () => {
  const dir = await tempDir('cg-quota-');
  const storage = await LowdbStorage.open({ dataDir: dir });
  try {
    const quota = new SnapshotQuota(storage, { maxSnapshots: 4, maxBytes: 1024 * 1024 }, KEPT);
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'agreed');
    const state = Y.encodeStateAsUpdate(doc);
    const ids = Array.from({ length: AGREEMENTS }, (_, i) => `agr${i}`);
    for (const agreementId of ids) {
      for (const id of ['s1', 's2']) {
        const record = snapshotRecord(agreementId, `${agreementId}${id}`, `u${id}`);
        const tally = await quota.tally(agreementId, await storage.listSnapshots(agreementId));
        tally.admit(record.createdBy.personId, state.byteLength);
        await storage.saveSnapshot(record, state);
        tally.add(record.id, record.createdBy.personId, state.byteLength);
      }
    }
    expect(quota.agreementsKept).toBe(KEPT);
    // Counted again from storage: each person has taken their share (a quarter of 4) of each agreement's.
    for (const agreementId of ids) {
      const tally = await quota.tally(agreementId, await storage.listSnapshots(agreementId));
      expect(() => tally.admit('us1', state.byteLength)).toThrow(/taken your share/);
    }
  } finally {
    await storage.close();
    await removeDir(dir);
  }
});
