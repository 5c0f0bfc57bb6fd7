/**
 * Moves an existing DATA_DIR (lowdb metadata, room logs, snapshots, the generated token
 * secret) into the PostgreSQL database at DATABASE_URL:
 *
 *   DATABASE_URL=postgres://… npm run import-data -- ./data
 *
 * Run it before starting instances on the database. It can be run again: agreements and
 * snapshots already in the database are left alone, and so are their rooms.
 */
import { access, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as Y from 'yjs';
import { LowdbStorage } from '../server/src/storage/lowdbStorage';
import { PgStorage } from '../server/src/storage/pg/pgStorage';
import { agreementOfRoom } from '../server/src/storage/fence';

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  const url = process.env.DATABASE_URL;
  if (!dataDir || !url) {
    console.error('usage: DATABASE_URL=postgres://… npm run import-data -- <DATA_DIR>');
    process.exit(2);
  }
  // A DATA_DIR holds agreements/ (one file per agreement), or agreements.json from before that (split on open).
  const isDataDir = await Promise.any([access(join(dataDir, 'agreements')), access(join(dataDir, 'agreements.json'))]).then(
    () => true,
    () => false,
  );
  if (!isDataDir) {
    console.error(`${resolve(dataDir)} holds neither agreements/ nor agreements.json: not a DATA_DIR`);
    process.exit(2);
  }
  const source = await LowdbStorage.open({ dataDir });
  const target = await PgStorage.open({ url });
  const counts = { agreements: 0, skipped: 0, rooms: 0, snapshots: 0 };
  try {
    const imported = new Set<string>();
    for (const agreement of source.listAgreements()) {
      if (await target.getAgreement(agreement.id)) {
        counts.skipped++;
        continue;
      }
      // Snapshots first and the agreement record last: an interrupted import is simply run again.
      for (const snapshot of await source.listSnapshots(agreement.id)) {
        const loaded = await source.loadSnapshot(agreement.id, snapshot.id);
        if (!loaded || (await target.loadSnapshot(agreement.id, snapshot.id))) continue;
        await target.saveSnapshot(loaded.record, loaded.state);
        counts.snapshots++;
      }
      // The audit log goes over with the agreement (the target holds none of it yet: the agreement was skipped otherwise).
      if ((await target.listAudit(agreement.id)).length === 0) {
        for (const entry of await source.listAudit(agreement.id)) await target.appendAudit(agreement.id, entry);
      }
      imported.add(agreement.id);
    }
    for (const room of await source.listRooms()) {
      if (!imported.has(agreementOfRoom(room))) continue;
      const updates = await source.loadRoom(room);
      if (updates.length === 0) continue;
      // One merged state per room: it replaces whatever an interrupted run left.
      await target.compactRoom(room, Y.mergeUpdates(updates));
      counts.rooms++;
    }
    for (const agreement of source.listAgreements()) {
      if (!imported.has(agreement.id)) continue;
      await target.createAgreement(agreement);
      counts.agreements++;
    }
    // The generated secret comes along, so invite links handed out before keep working.
    const secret = (await readFile(join(dataDir, 'auth-secret'), 'utf8').catch(() => '')).trim();
    if (secret) {
      const kept = await target.loadSecret(() => secret);
      if (kept !== secret) console.warn('the database already has another token secret: links from this DATA_DIR need AUTH_SECRET set to the old one');
    }
  } finally {
    await source.close();
    await target.close();
  }
  console.log(
    `imported ${counts.agreements} agreements, ${counts.rooms} rooms, ${counts.snapshots} snapshots` +
      (counts.skipped ? ` (${counts.skipped} already in the database, left alone)` : ''),
  );
}

await main();
