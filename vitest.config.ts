import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Two cores: browser tests and child-process servers compete for them.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // A throwaway PostgreSQL (or TEST_DATABASE_URL) for the storage and multi-instance tests.
    globalSetup: ['tests/support/postgres.global.ts'],
  },
});
