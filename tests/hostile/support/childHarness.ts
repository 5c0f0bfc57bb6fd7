import { afterEach } from 'vitest';
import type { TestClient } from '../../support/clients';
import { startChildServer, type ChildServer } from '../../support/childServer';
import { createAgreement, removeDir, tempDir, type AgreementFixture, type TestServer } from '../../support/server';
import { MONITORED } from './pressure';

/** A child server per test (its own process, so its RSS and event loop can be watched), torn down after each test. */
export function useChildServer() {
  let child: ChildServer | undefined;
  let dataDir: string | undefined;
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    if (child) await child.kill('SIGKILL');
    child = undefined;
    if (dataDir) await removeDir(dataDir);
    dataDir = undefined;
  });
  let childEnv: Record<string, string> = {};
  return {
    clients,
    /** Starts the server with the event-loop monitor, and creates the River Restoration Partnership. */
    async start(env: Record<string, string> = {}): Promise<{ server: ChildServer; f: AgreementFixture; dataDir: string }> {
      dataDir = await tempDir('cg-hostile-');
      childEnv = { ...MONITORED, ...env };
      child = await startChildServer(dataDir, childEnv);
      const f = await createAgreement(child as unknown as TestServer);
      return { server: child, f, dataDir };
    },
    /** Stops the server as a deploy would (SIGTERM: everything is flushed first); its data stays. */
    async stop(): Promise<void> {
      await child?.kill('SIGTERM');
      child = undefined;
    },
    /** Starts the server again on the same data (stopping it first if it runs). */
    async restart(): Promise<ChildServer> {
      if (!dataDir) throw new Error('start a server first');
      await child?.kill('SIGTERM');
      child = await startChildServer(dataDir, childEnv);
      return child;
    },
  };
}
