import { defineConfig } from 'vitest/config';

/**
 * Files that spend their time waiting for real timeouts, using little CPU (wall / CPU seconds
 * alone): a frozen laptop for 60 s (74 / 11), a presence never renewed for 30 s (44 / 9), an
 * owner that answers a forwarded request after 31 s (36 / 5.5), PostgreSQL away for storage
 * deadlines and reconnects (25 / 6.9), dead connections asked for 5 s through another instance
 * (26 / 7.3), a page's backoff after its connection is closed again and again (18 / 6).
 * `npm test` (scripts/test.mjs) runs them beside the rest instead of letting each hold one of
 * the two workers while it waits.
 */
export const WAITING_FILES = [
  'tests/collab/sleepingLaptop.test.ts',
  'tests/collab/presenceTimeout.test.ts',
  'tests/postgres/forwardedRequests.test.ts',
  'tests/postgres/outage.test.ts',
  'tests/postgres/forwardedSockets.test.ts',
  'tests/e2e/reconnectBackoff.test.ts',
  'tests/sessions/caucusTimer.test.ts',
];

// TEST_GROUP=waiting runs only those files, TEST_GROUP=rest all others; unset, every file.
const group = process.env.TEST_GROUP;
if (group !== undefined && group !== 'waiting' && group !== 'rest') throw new Error(`TEST_GROUP is "waiting" or "rest", not "${group}"`);

export default defineConfig({
  test: {
    include: group === 'waiting' ? WAITING_FILES : ['tests/**/*.test.ts'],
    exclude: group === 'rest' ? ['**/node_modules/**', ...WAITING_FILES] : ['**/node_modules/**'],
    environment: 'node',
    pool: 'forks',
    // Two cores: browser tests and child-process servers compete for them. The waiting files use
    // almost none: each gets a worker, so none waits for another's timeout.
    maxWorkers: group === 'waiting' ? WAITING_FILES.length : 2,
    // Each worker keeps the modules it loaded for the next file: loading the server's and
    // the tests' modules afresh per file cost 190 s of the suite's 670 s (two workers) in CI.
    // Every file starts its own server and data folder; the browser files share the worker's
    // Chromium (tests/e2e/browser.ts).
    isolate: false,
    // TEST_CPU_REPORT=<file>: the CPU each test cost, one JSON line each (tests/support/cpuReport.ts).
    setupFiles: process.env.TEST_CPU_REPORT ? ['tests/support/cpuReport.ts'] : [],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // A throwaway PostgreSQL (or TEST_DATABASE_URL) for the storage and multi-instance tests
    // (the waiting run starts one of its own for its multi-instance files).
    globalSetup: ['tests/support/postgres.global.ts'],
  },
});
