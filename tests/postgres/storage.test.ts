import { MIGRATIONS } from '../../server/src/storage/pg/migrations';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { basename } from 'node:path';
import * as Y from 'yjs';
import pg from 'pg';
import { PgStorage } from '../../server/src/storage/pg/pgStorage';
import { LeaseLostError } from '../../server/src/storage/fence';
import { storageContract } from '../storage/contract';
import { createDatabase } from '../support/postgres';
import { waitFor } from '../support/poll';

let db: { url: string; drop(): Promise<void> };
beforeAll(async () => {
  db = await createDatabase(inject('postgresUrl'));
});
afterAll(async () => {
  await db?.drop();
});

// The contract opens "the same directory" again to check what was stored: here, the same schema.
const schemaOf = (dataDir: string) =>
  basename(dataDir)
    .replace(/[^A-Za-z0-9]/g, '_')
    .toLowerCase();
storageContract('PostgreSQL', (dataDir) => PgStorage.open({ url: db.url, schema: schemaOf(dataDir) }));

function typed(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('PostgreSQL adapter', () => {
  it('applies its migrations once, even when several instances start together', async () => {
    const opened = await Promise.all([1, 2, 3].map(() => PgStorage.open({ url: db.url, schema: 'migrations_race' })));
    try {
      const { rows } = await opened[0].pool.query<{ version: number }>('SELECT version FROM migrations_race.schema_migrations');
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await Promise.all(opened.map((s) => s.close()));
    }
  });

  // The listing checks a snapshot's state again only when its stamp changed: a state rewritten in
  // the database, by any means, must get a new one.
  it('gives a snapshot state rewritten in the database a new stamp (and its size)', async () => {
    const storage = await PgStorage.open({ url: db.url, schema: 'snapshot_stamps' });
    try {
      const record = {
        id: 's1',
        agreementId: 'agr1',
        label: 'One',
        createdAt: '2026-11-28T00:00:00.000Z',
        createdBy: { personId: 'u1', name: 'Brook', role: 'broker' as const },
        hash: '1'.repeat(64),
        prevHash: null,
        reason: 'manual' as const,
      };
      await storage.saveSnapshot(record, typed('as agreed'));
      const before = (await storage.snapshotStates('agr1')).get('s1')!;
      // One encoding: each has a random writer, whose id takes 4 or 5 bytes.
      const rewritten = typed('as agreed, and more');
      await storage.pool.query("UPDATE snapshot_stamps.snapshots SET state = $1 WHERE id = 's1'", [Buffer.from(rewritten)]);
      const after = (await storage.snapshotStates('agr1')).get('s1')!;
      expect(after.stamp).not.toBe(before.stamp);
      expect(after.bytes).toBe(rewritten.byteLength);
    } finally {
      await storage.close();
    }
  });

  it('shares one generated token secret between instances', async () => {
    const a = await PgStorage.open({ url: db.url, schema: 'secret' });
    const b = await PgStorage.open({ url: db.url, schema: 'secret' });
    try {
      const first = await a.loadSecret(() => 'x'.repeat(43));
      expect(first).toBe('x'.repeat(43));
      expect(await b.loadSecret(() => 'y'.repeat(43))).toBe(first);
    } finally {
      await a.close();
      await b.close();
    }
  });

  // A connection of the pool taken out for a transaction has no listener of the pool's: when
  // PostgreSQL dropped it mid-transaction (a restart, a failover, an administrator), the client's
  // "Connection terminated unexpectedly" was an uncaught exception, which stops a server.
  it('survives its connections being dropped in the middle of transactions: the writes retry and land, nothing is thrown past them', async () => {
    const storage = await PgStorage.open({ url: db.url, schema: 'dropped' });
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      for (let round = 0; round < 5; round++) {
        const writes = Array.from({ length: 8 }, (_, i) => storage.compactRoom(`dropped-${round}-${i}`, typed(`text ${round} ${i}`)));
        // Drop every connection of this database but the administrator's while the writes are under way.
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
        await Promise.all(writes);
      }
      for (let i = 0; i < 8; i++) expect((await storage.loadRoom(`dropped-4-${i}`)).length).toBe(1);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await admin.end();
      await storage.close();
    }
  });

  it('a connection cut between the pool handing it out and the transaction listening to it stops nothing, and the write lands', async () => {
    const storage = await PgStorage.open({ url: db.url, schema: 'cut_when_handed' });
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    // The moment the drop test above hit once in CI: the backend's FATAL read by a client the pool
    // has just handed out (its idle listener removed), before the caller's code runs. Held open here.
    const pool = (storage as unknown as { pool: pg.Pool }).pool;
    const handOut = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
    let cut = false;
    // Once, for the transaction's first connection; then the pool's own method again (its queries call it with a callback).
    (pool as unknown as { connect: () => Promise<pg.PoolClient> }).connect = async () => {
      delete (pool as unknown as { connect?: unknown }).connect;
      const client = await handOut();
      cut = true;
      const state = client as unknown as { processID: number; _queryable: boolean };
      await admin.query('SELECT pg_terminate_backend($1)', [state.processID]);
      await waitFor(() => !state._queryable, { what: 'the handed-out client to read its FATAL' });
      return client;
    };
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      await storage.compactRoom('cut-when-handed', typed('the text'));
      expect(cut).toBe(true);
      expect(await storage.loadRoom('cut-when-handed')).toHaveLength(1);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await admin.end();
      await storage.close();
    }
  });

  it('refuses writes without the lease, and writes of a stale epoch, in the same transaction', async () => {
    const epochs = new Map<string, number>();
    const storage = await PgStorage.open({ url: db.url, schema: 'fencing' });
    storage.useFence({ epochOf: (id) => epochs.get(id) });
    try {
      await storage.createAgreement({ id: 'agr', title: 'T', createdAt: 'now', parties: [], people: [] });
      await expect(storage.appendUpdate('agr', typed('no lease'))).rejects.toBeInstanceOf(LeaseLostError);

      epochs.set('agr', await storage.claimLease('agr', 'http://a'));
      await storage.appendUpdate('agr', typed('owner A'));
      await storage.addPerson('agr', { id: 'p', name: 'Amina', role: 'observer', invitedAt: 'now' });

      // Another instance takes over: the epoch moves on, and A's writes fail from then on.
      expect(await storage.claimLease('agr', 'http://b')).toBe(epochs.get('agr')! + 1);
      expect(await storage.leaseOwner('agr')).toBe('http://b');
      await expect(storage.appendUpdate('agr.records', typed('stale'))).rejects.toMatchObject({ why: 'stale epoch' });
      await expect(storage.compactRoom('agr', typed('stale state'))).rejects.toMatchObject({ why: 'stale epoch' });
      await expect(storage.addPerson('agr', { id: 'q', name: 'Ola', role: 'observer', invitedAt: 'now' })).rejects.toBeInstanceOf(LeaseLostError);
      await expect(storage.updatePerson('agr', 'p', (p) => ({ ...p, role: 'broker' }))).rejects.toBeInstanceOf(LeaseLostError);

      const doc = new Y.Doc();
      for (const u of await storage.loadRoom('agr')) Y.applyUpdate(doc, u);
      expect(doc.getText('t').toString()).toBe('owner A');
      expect(await storage.loadRoom('agr.records')).toEqual([]);
      expect((await storage.getAgreement('agr'))?.people.map((p) => `${p.name}:${p.role}`)).toEqual(['Amina:observer']);
    } finally {
      await storage.close();
    }
  });

  // Two instances on one database: each change locks the agreement's row, so the other's waits and reads its result.
  it('changes of one person from two instances at once all land, and a rule checked in them holds', async () => {
    const [one, two] = await Promise.all([1, 2].map(() => PgStorage.open({ url: db.url, schema: 'people_race' })));
    try {
      const person = (id: string) => ({ id, name: id, role: 'broker' as const, invitedAt: 'now', links: [] });
      await one.createAgreement({ id: 'agr', title: 'T', createdAt: 'now', parties: [], people: [person('b1'), person('b2')] });
      const link = (n: number) => ({ id: `l${n}`, issuedAt: 'now', expiresAt: null });
      await Promise.all(Array.from({ length: 20 }, (_, n) => [one, two][n % 2].updatePerson('agr', 'b1', (p) => ({ ...p, links: [...p.links!, link(n)] }))));
      expect((await two.getAgreement('agr'))!.people[0].links).toHaveLength(20);

      const revoke = (storage: PgStorage, id: string) =>
        storage.updatePerson('agr', id, (p, agreement) => {
          if (!agreement.people.some((o) => !o.revokedAt && o.id !== p.id)) throw new Error('last broker');
          return { ...p, revokedAt: 'now' };
        });
      const results = await Promise.allSettled([revoke(one, 'b1'), revoke(two, 'b2')]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect((await one.getAgreement('agr'))!.people.filter((p) => !p.revokedAt)).toHaveLength(1);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('retries a write while PostgreSQL refuses connections, and commits it once they are back', async () => {
    const storage = await PgStorage.open({ url: db.url, schema: 'retry', onError: () => {} });
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      // Cut every connection of the pool: the next attempt fails on a dead connection and is retried.
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      await storage.appendUpdate('room', typed('survives a cut'));
      const doc = new Y.Doc();
      for (const u of await storage.loadRoom('room')) Y.applyUpdate(doc, u);
      expect(doc.getText('t').toString()).toBe('survives a cut');
    } finally {
      await admin.end();
      await storage.close();
    }
  });
});
