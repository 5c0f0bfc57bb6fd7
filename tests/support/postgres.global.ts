import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL server the storage and multi-instance tests create their databases on. */
    postgresUrl: string;
  }
}

/**
 * One throwaway PostgreSQL for the whole run (TEST_DATABASE_URL points at another one
 * instead). Each test file creates a database of its own on it, so files run in parallel.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return async () => {};
  }
  const server = await startPostgres();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
