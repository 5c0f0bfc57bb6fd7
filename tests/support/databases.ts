import { afterAll, beforeAll, inject } from 'vitest';
import { createDatabase, startPostgres, type TestPostgres } from './postgres';

/**
 * A PostgreSQL of the test file's own, for tests that stop, freeze or restart it (doing that
 * to the suite's shared one would cut the other files off): started before the file's first
 * test, removed after its last. The getter fails if called before it has started.
 */
export function useOwnPostgres(): () => TestPostgres {
  let postgres: TestPostgres | undefined;
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(async () => {
    await postgres?.stop();
  });
  return () => {
    if (!postgres) throw new Error('the PostgreSQL of this file has not started');
    return postgres;
  };
}

/** An empty database of the test file's own on the suite's PostgreSQL, dropped after its last test. */
export function useDatabase(): () => { url: string } {
  let db: { url: string; drop(): Promise<void> } | undefined;
  beforeAll(async () => {
    db = await createDatabase(inject('postgresUrl'));
  });
  afterAll(async () => {
    await db?.drop();
  });
  return () => {
    if (!db) throw new Error('the database of this file has not been created');
    return db;
  };
}
