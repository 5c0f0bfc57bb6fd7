import { afterEach, describe, expect, it } from 'vitest';
import { BroadcastChannel } from 'node:worker_threads';
import { stat, utimes, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { api, createAgreement, type TestServer } from '../support/server';
import { LowdbStorage } from '../../server/src/storage/lowdbStorage';
import type { Storage } from '../../server/src/storage/port';
import type { SnapshotSummary, VerifiedSnapshot } from '#shared/snapshots';

/**
 * Every participant's History panel lists the snapshots when their page loads and whenever anyone
 * takes one, and the listing checks each snapshot against its stored state. That check must cost
 * once per stored state, not once per listing: after a restart a whole session's pages reconnect
 * and list at once, and the document worker they would all queue on also answers everyone's
 * comparisons and exports (bench/snapshotListing.ts: 20 listings of 100 snapshots after a restart
 * took 16 s before).
 */

const CHANNEL = 'cg-test-document-jobs';

/**
 * The real document worker, telling the test (on a broadcast channel) the kind of each job it is
 * given. Listening only once the worker listens: a listener on its own would start the port and
 * the jobs sent while the worker loads would never reach it.
 */
const countingWorker = new URL(
  `data:text/javascript,${encodeURIComponent(
    `import { parentPort, BroadcastChannel } from 'node:worker_threads';
     await import(${JSON.stringify(new URL('../../server/src/features/snapshots/diff/worker.boot.mjs', import.meta.url).href)});
     const told = new BroadcastChannel(${JSON.stringify(CHANNEL)});
     parentPort.on('message', (message) => { if (message && message.job) told.postMessage(message.job.kind); });`,
  )}`,
);

/** Counts the document worker's jobs by kind, from every server started with `countingWorker`. */
function countJobs(): { count(kind: string): number; close(): void } {
  const counts = new Map<string, number>();
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event) => {
    const kind = (event as { data: string }).data;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  };
  return { count: (kind) => counts.get(kind) ?? 0, close: () => channel.close() };
}

/** The lowdb storage in `dataDir`, counting the stored snapshot states read from it. */
async function countingStorage(dataDir: string): Promise<{ storage: Storage; statesRead(): number }> {
  const inner = await LowdbStorage.open({ dataDir });
  let read = 0;
  const storage = new Proxy(inner, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (key === 'loadSnapshot') {
        return (...args: Parameters<Storage['loadSnapshot']>) => {
          read++;
          return target.loadSnapshot(...args);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { storage, statesRead: () => read };
}

const harness = useHarness();
const jobs: { close(): void }[] = [];
afterEach(() => jobs.splice(0).forEach((j) => j.close()));

async function withSnapshots(server: TestServer, count: number) {
  const f = await createAgreement(server);
  const taken: SnapshotSummary[] = [];
  for (let i = 0; i < count; i++) {
    const { status, body } = await api<SnapshotSummary>(
      server,
      'POST',
      `/api/agreements/${f.agreement.id}/snapshots`,
      { label: `Draft ${i + 1}` },
      f.brokerToken,
    );
    expect(status).toBe(201);
    taken.push(body);
  }
  const list = async (s: TestServer = server) => {
    const { status, body } = await api<VerifiedSnapshot[]>(s, 'GET', `/api/agreements/${f.agreement.id}/snapshots`, undefined, f.brokerToken);
    expect(status).toBe(200);
    return body;
  };
  return { f, taken, list };
}

describe('the snapshot listing checks each stored state once', () => {
  it('after a restart, a session listing at once has each snapshot fingerprinted once, not once per page', async () => {
    const dataDir = await harness.tempDir();
    const first = await harness.start({ dataDir, workerScript: countingWorker });
    const { taken, list } = await withSnapshots(first, 3);
    await first.close();

    const counted = countJobs();
    jobs.push(counted);
    const again = await harness.start({ dataDir, workerScript: countingWorker });
    const listings = await Promise.all(Array.from({ length: 6 }, () => list(again)));
    for (const listed of listings) {
      expect(listed.map((s) => [s.id, s.verified, s.chainValid])).toEqual(taken.map((s) => [s.id, true, true]));
    }
    // The channel's messages may come after the answers they led to: wait for the three, then list
    // once more (checked already: no new job) and count again.
    await waitFor(() => counted.count('hash') >= 3, { what: 'the fingerprint jobs to be reported' });
    await list(again);
    await new Promise((resolve) => setImmediate(resolve));
    expect(counted.count('hash')).toBe(3);
  });

  it('after a restart, a reviewer whose page lists the snapshots while comparing one with the live text has it fingerprinted once', async () => {
    const dataDir = await harness.tempDir();
    const first = await harness.start({ dataDir, workerScript: countingWorker });
    const { f, taken, list } = await withSnapshots(first, 1);
    await first.close();

    const counted = countJobs();
    jobs.push(counted);
    const again = await harness.start({ dataDir, workerScript: countingWorker });
    const [listed, compared] = await Promise.all([
      list(again),
      api(again, 'GET', `/api/agreements/${f.agreement.id}/diff?from=${taken[0].id}&to=live`, undefined, f.brokerToken),
    ]);
    expect(listed.map((s) => s.verified)).toEqual([true]);
    expect(compared.status).toBe(200);
    await waitFor(() => counted.count('hash') >= 1 && counted.count('diff') >= 1, { what: 'the jobs to be reported' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(counted.count('hash')).toBe(1);
  });

  it('a listing reads no stored state it has checked and that has not changed since; a snapshot after a restart reads none either', async () => {
    const dataDir = await harness.tempDir();
    const counting = await countingStorage(dataDir);
    const server = await harness.start({ dataDir }, counting.storage);
    const { f, taken, list } = await withSnapshots(server, 3);

    // The first listing may read each new state once (to note what the stored file is now); the next ones none.
    expect((await list()).every((s) => s.verified && s.chainValid)).toBe(true);
    const readBefore = counting.statesRead();
    expect((await list()).every((s) => s.verified && s.chainValid)).toBe(true);
    expect((await list()).every((s) => s.verified && s.chainValid)).toBe(true);
    expect(counting.statesRead()).toBe(readBefore);
    await server.close();

    // The quota counts the stored bytes of each snapshot once per start: from the storage's sizes, not by reading every state.
    const restartedStorage = await countingStorage(dataDir);
    const restarted = await harness.start({ dataDir }, restartedStorage.storage);
    const { status } = await api(restarted, 'POST', `/api/agreements/${f.agreement.id}/snapshots`, { label: 'After the restart' }, f.brokerToken);
    expect(status).toBe(201);
    expect(restartedStorage.statesRead()).toBe(0);

    // The first listing after the restart reads each state once to check it; the next none.
    expect((await list(restarted)).map((s) => s.verified)).toEqual([...taken.map(() => true), true]);
    const readByFirst = restartedStorage.statesRead();
    expect(readByFirst).toBeLessThanOrEqual(taken.length + 1);
    await list(restarted);
    expect(restartedStorage.statesRead()).toBe(readByFirst);
  });

  it('a listing the document worker cannot answer fails with a 503 to retry, and calls no snapshot altered', async () => {
    const dataDir = await harness.tempDir();
    const first = await harness.start({ dataDir });
    const { f, taken, list } = await withSnapshots(first, 2);
    await first.close();

    // A worker that starts and never answers: every fingerprint times out.
    const neverAnswers = new URL(
      `data:text/javascript,${encodeURIComponent("import { parentPort } from 'node:worker_threads'; parentPort.postMessage({ ready: true }); parentPort.on('message', () => {});")}`,
    );
    const stuck = await harness.start({ dataDir, workerScript: neverAnswers, workerJobTimeoutMs: 200 });
    const refused = await api<{ error: string; message: string }>(stuck, 'GET', `/api/agreements/${f.agreement.id}/snapshots`, undefined, f.brokerToken);
    expect(refused.status).toBe(503);
    expect(refused.body.error).toBeTruthy();
    await stuck.close();

    const again = await harness.start({ dataDir });
    expect((await list(again)).map((s) => [s.id, s.verified, s.chainValid])).toEqual(taken.map((s) => [s.id, true, true]));
  });

  it('a state replaced on disk is caught even when its modification time is put back', async () => {
    const server = await harness.start();
    const { f, taken, list } = await withSnapshots(server, 2);
    expect((await list()).every((s) => s.verified)).toBe(true);

    const file = join(server.dataDir, 'snapshots', f.agreement.id, `${taken[0].id}.ydoc`);
    const before = await stat(file);
    // The same length, one byte changed, written in place, then its times put back.
    const forged = Buffer.from(await readFile(file));
    forged[Math.floor(forged.length / 2)] ^= 0xff;
    await writeFile(file, forged);
    await utimes(file, before.atime, before.mtime);

    const after = await list();
    expect(after.map((s) => [s.verified, s.chainValid])).toEqual([
      [false, false],
      [true, false],
    ]);
  });
});
