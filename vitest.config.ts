import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Two cores: browser tests and child-process servers compete for them.
    maxWorkers: 2,
    // Each worker keeps the modules it loaded for the next file: loading the server's and
    // the tests' modules afresh per file cost 190 s of the suite's 670 s (two workers) in CI.
    // Every file starts its own server, data folder and browser, so nothing else carries over.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // A throwaway PostgreSQL (or TEST_DATABASE_URL) for the storage and multi-instance tests.
    globalSetup: ['tests/support/postgres.global.ts'],
  },
});
