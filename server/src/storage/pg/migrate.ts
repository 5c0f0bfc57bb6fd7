import type pg from 'pg';
import { MIGRATIONS } from './migrations';

/** Any fixed number: instances starting together take turns at migrating. */
const MIGRATION_LOCK = 7_233_551_016;

/**
 * Applies the versions of {@link MIGRATIONS} not applied yet, each in its own transaction,
 * in order, and records them in `schema_migrations` (creating `schema` first when given).
 */
export async function migrate(pool: pg.Pool, schema?: string): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  // Out of the pool the client has no listener of the pool's: a connection dropped now must fail
  // the start, through the query it breaks, not throw past everything.
  let dropped: Error | undefined;
  const onError = (err: Error) => (dropped = err);
  client.on('error', onError);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    // Under the lock: two instances running CREATE SCHEMA IF NOT EXISTS at once can both try to
    // create it, and the second fails on pg_namespace's unique index.
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replaceAll('"', '')}"`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const { version, name, sql } of MIGRATIONS) {
      if (done.has(version)) continue;
      const file = `${version}_${name}`;
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [version, file]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${(err as Error).message}`);
      }
      applied.push(file);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.off('error', onError);
    client.release(dropped);
  }
  return applied;
}
