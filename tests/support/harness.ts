import { afterEach } from 'vitest';
import type { AppConfig } from '../../server/src/config';
import { connectClient, type TestClient } from './clients';
import { removeDir, startServer, type TestServer } from './server';

/** Starts real servers and stock clients for a test; everything is torn down after each test. */
export interface Harness {
  /** A real server on 127.0.0.1, port 0, with its data in a fresh temp dir (removed afterwards). */
  start(config?: Partial<AppConfig>): Promise<TestServer>;
  /** A stock y-websocket client of `server`, destroyed after the test. */
  connect(server: TestServer, room: string, token: string): TestClient;
}

export function useHarness(): Harness {
  const servers: TestServer[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const s of servers.splice(0)) {
      await s.close();
      await removeDir(s.dataDir);
    }
  });
  return {
    async start(config = {}) {
      const server = await startServer(config);
      servers.push(server);
      return server;
    },
    connect(server, room, token) {
      const client = connectClient(server.ws, room, token);
      clients.push(client);
      return client;
    },
  };
}
