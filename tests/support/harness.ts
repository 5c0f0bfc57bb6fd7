import { afterAll, afterEach } from 'vitest';
import type { AppConfig } from '../../server/src/config';
import type { Storage } from '../../server/src/storage/port';
import { startChildServer, type ChildServer } from './childServer';
import { connectClient, type ConnectOptions, type TestClient } from './clients';
import { removeDir, startServer, tempDir, type TestServer } from './server';

/**
 * Starts real servers and stock clients for a test file and tears all of it down: after
 * each test by default, or after the file's last test for suites that share one server.
 * Every server test uses it (see the README's recipe).
 */
export interface Harness {
  /** A real server on 127.0.0.1, port 0, with its data in a fresh temp dir (removed afterwards) unless `config.dataDir` is given, or in `storage`. */
  start(config?: Partial<AppConfig>, storage?: Storage): Promise<TestServer>;
  /** A stock y-websocket client of `server`, destroyed afterwards. */
  connect(server: { ws: string }, room: string, token: string, options?: ConnectOptions): TestClient;
  /** `server/src/main.ts` in a process of its own (for SIGKILL and SIGTERM tests), killed afterwards. */
  child(dataDir: string, env?: Record<string, string>): Promise<ChildServer>;
  /** A fresh temp dir, removed afterwards. */
  tempDir(prefix?: string): Promise<string>;
  /** Destroys every client connected so far (before a restart, say). */
  destroyClients(): void;
  /** Anything else to undo afterwards (run in reverse order, before servers close). */
  defer(cleanup: () => void | Promise<void>): void;
}

export interface HarnessOptions {
  /** 'each' (default): torn down after every test; 'all': after the file's last test. */
  teardown?: 'each' | 'all';
}

export function useHarness({ teardown = 'each' }: HarnessOptions = {}): Harness {
  const servers: TestServer[] = [];
  const children: ChildServer[] = [];
  const clients: TestClient[] = [];
  const dirs: string[] = [];
  const deferred: (() => void | Promise<void>)[] = [];
  (teardown === 'all' ? afterAll : afterEach)(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const undo of deferred.splice(0).reverse()) await undo();
    for (const child of children.splice(0)) {
      child.process.kill('SIGKILL');
      await child.exited;
    }
    for (const s of servers.splice(0)) await s.close();
    for (const dir of dirs.splice(0)) await removeDir(dir);
  });
  return {
    async start(config = {}, storage) {
      const server = await startServer(config, storage);
      servers.push(server);
      if (config.dataDir === undefined) dirs.push(server.dataDir);
      return server;
    },
    connect(server, room, token, options) {
      const client = connectClient(server.ws, room, token, options);
      clients.push(client);
      return client;
    },
    async child(dataDir, env) {
      const child = await startChildServer(dataDir, env);
      children.push(child);
      return child;
    },
    async tempDir(prefix) {
      const dir = await tempDir(prefix);
      dirs.push(dir);
      return dir;
    },
    destroyClients() {
      for (const c of clients.splice(0)) c.destroy();
    },
    defer(cleanup) {
      deferred.push(cleanup);
    },
  };
}
