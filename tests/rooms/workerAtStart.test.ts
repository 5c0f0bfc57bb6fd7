import { describe, expect, it } from 'vitest';
import { getPriority } from 'node:os';
import { BroadcastChannel } from 'node:worker_threads';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { bundledWorker } from '../support/bundles';
import { createAgreement } from '../support/server';

/**
 * The worker that cuts a long text's stored state for its room's load, and measures big updates (a returning
 * visitor's changes among them), used to start at its first job: the first visitor of a long agreement after the
 * server started waited for it to load its code (about a second of CPU under tsx: a 60-page text reached a stock
 * client 0.93 to 1.1 s after it connected, against 0.16 to 0.2 s with the worker up; bench/firstVisitAfterRestart.ts).
 */

const CHANNEL = 'cg-test-worker-started';

/** The document worker's code (bundled, as the other tests run it), saying on a broadcast channel when it has loaded, and at what priority its thread runs. */
async function announcingWorker(): Promise<URL> {
  const real = await bundledWorker();
  return new URL(
    `data:text/javascript,${encodeURIComponent(
      `import { BroadcastChannel } from 'node:worker_threads';
       import { getPriority } from 'node:os';
       await import(${JSON.stringify(real.href)});
       const told = new BroadcastChannel(${JSON.stringify(CHANNEL)});
       told.postMessage({ nice: getPriority() });
       told.close();`,
    )}`,
  );
}

describe('the document workers of a server', () => {
  const harness = useHarness();

  /** Each worker's thread priority (its nice value), in the order they loaded. */
  function listen(): { nice: number }[] {
    const loaded: { nice: number }[] = [];
    const channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (event) => loaded.push((event as { data: { nice: number } }).data);
    harness.defer(() => channel.close());
    return loaded;
  }

  it('the one that loads rooms is started with the server, before any visitor or job', async () => {
    const loaded = listen();
    await harness.start({ costWorkerOnDemand: false, workerScript: await announcingWorker() });
    await waitFor(() => loaded.length > 0, { what: 'the worker to load its code with no job asked of it' });
    expect(loaded).toHaveLength(1);
  });

  // A person waits on the first worker's jobs (a room's load, a big paste measured before it is let in): at the
  // lowest priority, on a machine whose cores were busy, a 60-page text reached its first visitor after 3.1 to 4.0 s
  // instead of 0.4 to 0.6 s (bench/firstVisitAfterRestart.ts beside two busy processes). Comparisons and downloads stay
  // background work: they yield the cores to every room's sync.
  it.runIf(process.platform === 'linux')("runs a room's load at the server's own priority, and comparisons and downloads at the lowest", async () => {
    const loaded = listen();
    const server = await harness.start({ costWorkerOnDemand: false, workerScript: await announcingWorker() });
    await waitFor(() => loaded.length > 0, { what: 'the worker of loads to start with the server' });

    const fx = await createAgreement(server);
    const download = await fetch(`${server.http}/api/agreements/${fx.agreement.id}/snapshots/live/export?format=md`, {
      headers: { authorization: `Bearer ${fx.brokerToken}` },
    });
    expect(download.status).toBe(200);
    await waitFor(() => loaded.length > 1, { what: 'the worker of downloads to start for its first job' });

    expect(loaded).toEqual([{ nice: getPriority() }, { nice: 19 }]);
  });
});
