import { describe, expect, it } from 'vitest';
import { BroadcastChannel } from 'node:worker_threads';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { bundledWorker } from '../support/bundles';

/**
 * The worker that cuts a long text's stored state for its room's load, and measures big updates (a returning
 * visitor's changes among them), used to start at its first job: the first visitor of a long agreement after the
 * server started waited for it to load its code (about a second of CPU under tsx: a 60-page text reached a stock
 * client 0.93 to 1.1 s after it connected, against 0.16 to 0.2 s with the worker up; bench/firstVisitAfterRestart.ts).
 */

const CHANNEL = 'cg-test-worker-started';

/** The document worker's code (bundled, as the other tests run it), saying on a broadcast channel when it has loaded. */
async function announcingWorker(): Promise<URL> {
  const real = await bundledWorker();
  return new URL(
    `data:text/javascript,${encodeURIComponent(
      `import { BroadcastChannel } from 'node:worker_threads';
       await import(${JSON.stringify(real.href)});
       const told = new BroadcastChannel(${JSON.stringify(CHANNEL)});
       told.postMessage('loaded');
       told.close();`,
    )}`,
  );
}

describe('the document worker of a server', () => {
  const harness = useHarness();

  it('is started with the server, before any visitor or job', async () => {
    const loaded: string[] = [];
    const channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (event) => loaded.push((event as { data: string }).data);
    harness.defer(() => channel.close());

    await harness.start({ costWorkerOnDemand: false, workerScript: await announcingWorker() });
    await waitFor(() => loaded.length > 0, { what: 'the worker to load its code with no job asked of it' });
    expect(loaded).toEqual(['loaded']);
  });
});
