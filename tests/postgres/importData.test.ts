import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { RecordsKey } from '#shared/records';
import { recordsRoom } from '#shared/rooms';
import { anchorAt, contentFragment } from '#shared/anchors';
import { connectClient, contentString, paragraphText, synced } from '../support/clients';
import { api, createAgreement, removeDir, startServer } from '../support/server';
import { waitFor } from '../support/poll';
import { createDatabase } from '../support/postgres';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

let db: { url: string; drop(): Promise<void> };
beforeAll(async () => {
  db = await createDatabase(inject('postgresUrl'));
});
afterAll(async () => {
  await db?.drop();
});

it('npm run import-data moves a DATA_DIR into the database: agreements, people, text, threads, snapshots, and the secret old links were signed with', async () => {
  // A lowdb server with a generated secret, as `npm start` runs it.
  const lowdb = await startServer({ authSecret: undefined });
  const f = await createAgreement(lowdb);
  const id = f.agreement.id;
  const nia = await f.invite({ role: 'negotiator', name: 'Nia Otieno', party: f.ngoId });
  const writer = connectClient(lowdb.ws, id, nia);
  await synced(writer);
  paragraphText(writer.doc).insert(0, 'The parties agree to restore the Nzoia river.');
  await waitFor(() => lowdb.app.ctx.rooms.with(id, (r) => contentString(r.doc).includes('Nzoia')), { what: 'text on the server' });
  const at = 'The parties agree to restore the '.length;
  const thread = await api<{ thread: { id: string } }>(
    lowdb,
    'POST',
    `/api/agreements/${id}/threads`,
    { anchor: anchorAt(contentFragment(writer.doc), 1 + at, 1 + at + 5), body: 'Which stretch?' },
    nia,
  );
  expect(thread.status).toBe(201);
  const snapshot = await api<{ id: string; hash: string }>(lowdb, 'POST', `/api/agreements/${id}/snapshots`, { label: 'Draft' }, nia);
  expect(snapshot.status).toBe(201);
  const before = contentString(writer.doc);
  writer.destroy();
  await lowdb.close();

  try {
    const first = await run('npm', ['run', '--silent', 'import-data', '--', lowdb.dataDir], { cwd: root, env: { ...process.env, DATABASE_URL: db.url } });
    expect(first.stdout).toMatch(/imported 1 agreements, \d+ rooms, 1 snapshots/);
    // Running it again changes nothing.
    const again = await run(process.execPath, ['--import', 'tsx', 'scripts/import-data.ts', lowdb.dataDir], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url },
    });
    expect(again.stdout).toMatch(/imported 0 agreements.*1 already in the database/);

    // An instance on the database serves it all, to the links handed out before.
    const pg = await startServer({ authSecret: undefined, databaseUrl: db.url });
    try {
      const view = await api<{ title: string; me: { name: string } }>(pg, 'GET', `/api/agreements/${id}`, undefined, nia);
      expect(view.status).toBe(200);
      expect(view.body.me.name).toBe('Nia Otieno');
      const people = await api<{ people: { name: string }[] }>(pg, 'GET', `/api/agreements/${id}/people`, undefined, nia);
      expect(people.body.people.map((p) => p.name)).toEqual(['Brook Broker', 'Nia Otieno']);
      const snapshots = await api<{ id: string; hash: string; verified: boolean }[]>(pg, 'GET', `/api/agreements/${id}/snapshots`, undefined, nia);
      expect(snapshots.body.map((s) => [s.id, s.hash, s.verified])).toEqual([[snapshot.body.id, snapshot.body.hash, true]]);
      const reader = connectClient(pg.ws, id, nia);
      const records = connectClient(pg.ws, recordsRoom(id), nia);
      try {
        await Promise.all([synced(reader), synced(records)]);
        expect(contentString(reader.doc)).toBe(before);
        expect(records.doc.getMap(RecordsKey.threads).has(thread.body.thread.id)).toBe(true);
      } finally {
        reader.destroy();
        records.destroy();
      }
    } finally {
      await pg.close();
      await removeDir(pg.dataDir);
    }
  } finally {
    await removeDir(lowdb.dataDir);
  }
}, 120_000);
