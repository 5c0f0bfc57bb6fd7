import { describe, expect, it } from 'vitest';
import { getPriority } from 'node:os';
import { BroadcastChannel } from 'node:worker_threads';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { bundledWorker } from '../support/bundles';
import { api, createAgreement } from '../support/server';
import { storeText } from '../support/stored';
import { longAgreement } from '../support/document';
import { contentRoom } from '#shared/rooms';

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

/** The same, also saying for each text read or fingerprint it is asked for which it is and at what priority it runs. */
async function jobReportingWorker(): Promise<URL> {
  const real = await bundledWorker();
  return new URL(
    `data:text/javascript,${encodeURIComponent(
      `import { BroadcastChannel, parentPort } from 'node:worker_threads';
       import { getPriority } from 'node:os';
       await import(${JSON.stringify(real.href)});
       const told = new BroadcastChannel(${JSON.stringify(CHANNEL)});
       told.postMessage({ nice: getPriority() });
       parentPort.on('message', ({ job }) => {
         if (job?.kind === 'text') told.postMessage({ nice: getPriority(), read: job.read });
         if (job?.kind === 'hash') told.postMessage({ nice: getPriority(), read: 'fingerprint' });
         if (job?.kind === 'diff') told.postMessage({ nice: getPriority(), read: 'comparison' });
       });`,
    )}`,
  );
}

describe('the document workers of a server', () => {
  const harness = useHarness();

  /** Each worker's thread priority (its nice value), in the order they loaded (with jobReportingWorker, each text read too). */
  function listen(): { nice: number; read?: string }[] {
    const loaded: { nice: number; read?: string }[] = [];
    const channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (event) => loaded.push((event as { data: { nice: number; read?: string } }).data);
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
  // instead of 0.4 to 0.6 s (bench/firstVisitAfterRestart.ts beside two busy processes). Downloads stay background work:
  // they yield the cores to every room's sync.
  it.runIf(process.platform === 'linux')("runs a room's load at the server's own priority, and downloads at the lowest", async () => {
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

  // A stance, a consent round and the objectives list wait on a read of the whole text, a snapshot on its fingerprint.
  // At the lowest priority, beside two busy processes, a stance on 60 pages took 0.9 to 1.5 s instead of 30 to 115 ms,
  // a snapshot 0.6 to 0.9 s instead of 20 to 80 (bench/personWaitedReads.ts).
  it.runIf(process.platform === 'linux')(
    "reads the text for a stance or the objectives list, fingerprints a snapshot someone takes and compares versions for them at the server's own priority; a person's past their minute's allowance at the lowest",
    async () => {
      const reads = listen();
      const readsOf = (read: string) => reads.filter((r) => r.read === read).map((r) => r.nice);
      /** Compares the agreement's newest snapshot with the live text, as the History panel does, until the comparison is reported. */
      const compareWithLive = async (s: { http: string }, agreementId: string, token: string) => {
        const listed = await api<{ id: string }[]>(s, 'GET', `/api/agreements/${agreementId}/snapshots`, undefined, token);
        const newest = listed.body.at(-1)!.id;
        expect((await api(s, 'GET', `/api/agreements/${agreementId}/diff?from=${newest}`, undefined, token)).status).toBe(200);
        await waitFor(() => readsOf('comparison').length === 1, { what: 'the comparison reported' });
        return newest;
      };
      const mine = getPriority();
      const server = await harness.start({ costWorkerOnDemand: false, workerScript: await jobReportingWorker(), readAllowanceMsPerMinute: 0 });
      const fx = await createAgreement(server);
      const id = fx.agreement.id;
      const ngo = await fx.invite({ role: 'negotiator', name: 'Nia', party: fx.ngoId });
      await storeText(server, contentRoom(id), longAgreement(2, { objectiveEvery: 1 }));
      const listed = await api<{ objectives: { id: string }[] }>(server, 'GET', `/api/agreements/${id}/objectives`, undefined, ngo);
      expect(listed.status).toBe(200);
      const objectiveId = listed.body.objectives[0].id;
      // No allowance on this server: both reads run in the background worker.
      expect((await api(server, 'PUT', `/api/agreements/${id}/objectives/${objectiveId}/stance`, { stance: 'agree' }, ngo)).status).toBe(200);
      await waitFor(() => readsOf('objectivesAndState').length === 1, { what: "the stance's read reported" });
      expect(readsOf('objectives')).toEqual([19]);
      expect(readsOf('objectivesAndState')).toEqual([19]);
      expect((await api(server, 'POST', `/api/agreements/${id}/snapshots`, { label: 'Before the break' }, fx.brokerToken)).status).toBe(201);
      await waitFor(() => readsOf('fingerprint').length === 1, { what: "the snapshot's fingerprint reported" });
      expect(readsOf('fingerprint')).toEqual([19]);
      await compareWithLive(server, id, fx.brokerToken);
      expect(readsOf('comparison')).toEqual([19]);

      // With the default allowance, the same reads run at the server's priority.
      const quick = await harness.start({ costWorkerOnDemand: false, workerScript: await jobReportingWorker() });
      const fx2 = await createAgreement(quick);
      const ngo2 = await fx2.invite({ role: 'negotiator', name: 'Nia', party: fx2.ngoId });
      await storeText(quick, contentRoom(fx2.agreement.id), longAgreement(2, { objectiveEvery: 1 }));
      reads.length = 0;
      const listed2 = await api<{ objectives: { id: string }[] }>(quick, 'GET', `/api/agreements/${fx2.agreement.id}/objectives`, undefined, ngo2);
      const path = `/api/agreements/${fx2.agreement.id}/objectives/${listed2.body.objectives[0].id}/stance`;
      expect((await api(quick, 'PUT', path, { stance: 'agree' }, ngo2)).status).toBe(200);
      await waitFor(() => readsOf('objectivesAndState').length === 1, { what: "the stance's read reported" });
      expect(readsOf('objectives')).toEqual([mine]);
      expect(readsOf('objectivesAndState')).toEqual([mine]);
      expect((await api(quick, 'POST', `/api/agreements/${fx2.agreement.id}/snapshots`, { label: 'Before the break' }, fx2.brokerToken)).status).toBe(201);
      await waitFor(() => readsOf('fingerprint').length === 1, { what: "the snapshot's fingerprint reported" });
      expect(readsOf('fingerprint')).toEqual([mine]);
      const compared = await compareWithLive(quick, fx2.agreement.id, fx2.brokerToken);
      expect(readsOf('comparison')).toEqual([mine]);

      // After a restart the snapshot is fingerprinted again before it is compared (a forgery must not read as agreed):
      // the comparer waits for that too. (A listing's checks, for the History panel's badges, stay background work.)
      await quick.close();
      const again = await harness.start({ costWorkerOnDemand: false, workerScript: await jobReportingWorker(), dataDir: quick.dataDir });
      reads.length = 0;
      expect((await api(again, 'GET', `/api/agreements/${fx2.agreement.id}/diff?from=${compared}`, undefined, fx2.brokerToken)).status).toBe(200);
      await waitFor(() => readsOf('comparison').length === 1, { what: 'the comparison after the restart reported' });
      expect(readsOf('fingerprint')).toEqual([mine]);
    },
  );
});
