import { describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { createDatabase } from '../support/postgres';

describe('test PostgreSQL', () => {
  it('is a real PostgreSQL server, and each test file gets a database of its own', async () => {
    const db = await createDatabase(inject('postgresUrl'));
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: string; db: string }>('SELECT version(), current_database() AS db');
      expect(rows[0].version).toMatch(/^PostgreSQL \d+/);
      expect(db.url.endsWith(`/${rows[0].db}`)).toBe(true);
    } finally {
      await client.end();
      await db.drop();
    }
  });
});
