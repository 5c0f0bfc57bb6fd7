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
  return {
    clients,
    /** Starts the server with the event-loop monitor, and creates the River Restoration Partnership. */
    async start(env: Record<string, string> = {}): Promise<{ server: ChildServer; f: AgreementFixture; dataDir: string }> {
      dataDir = await tempDir('cg-hostile-');
      child = await startChildServer(dataDir, { ...MONITORED, ...env });
      const f = await createAgreement(child as unknown as TestServer);
      return { server: child, f, dataDir };
    },
  };
}
