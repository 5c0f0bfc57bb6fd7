import { expect, it } from 'vitest';
import { MetadataFiles } from '../../server/src/storage/metadataFiles';
import { snapshotRecord as snapshot } from '../support/snapshotRecord';
import { removeDir, tempDir } from '../support/server';

const AGREEMENTS = 30;
const KEPT = 5;

const person = (id: string) => ({ id, name: id, role: 'observer' as const, invitedAt: '2026-12-05T00:00:00.000Z' });

// The embedded storage read each agreement's metadata file (its people, its snapshots' records)
// once and kept it in memory for as long as the server ran: every agreement ever opened, for good.
it('keeps the metadata of the agreements used last in memory, and reads the others again whole, changes included', async () => {
  const dir = await tempDir('cg-metadata-');
  try {
    const files = await MetadataFiles.open(dir, { keep: KEPT });
    const ids = Array.from({ length: AGREEMENTS }, (_, i) => `agr${i}`);
    for (const id of ids) {
      await files.createAgreement({ id, title: id, createdAt: '2026-12-05T00:00:00.000Z', parties: [], people: [] });
      await files.saveSnapshot(snapshot(id, `${id}s1`));
    }
    expect(files.kept).toEqual({ agreements: KEPT, indexes: KEPT });
    // All at once, as many people's requests come: every change lands on the agreement it was made to.
    await Promise.all(
      ids.flatMap((id) => [files.addPerson(id, person(`${id}p1`)), files.saveSnapshot(snapshot(id, `${id}s2`)), files.addPerson(id, person(`${id}p2`))]),
    );
    expect(files.kept.agreements).toBeLessThanOrEqual(KEPT);
    const reopened = await MetadataFiles.open(dir);
    for (const read of [files, reopened]) {
      for (const id of ids) {
        // Both kept (in the order they reached the file: storage runs one agreement's changes one after another, this test does not).
        expect((await read.getAgreement(id))?.people.map((p) => p.id).sort()).toEqual([`${id}p1`, `${id}p2`]);
        expect((await read.listSnapshots(id)).map((s) => s.id)).toEqual([`${id}s1`, `${id}s2`]);
      }
    }
  } finally {
    await removeDir(dir);
  }
});
