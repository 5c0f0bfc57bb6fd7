/**
 * What the History panel's listing costs the server on an agreement with many snapshots.
 *
 *   npx tsx bench/snapshotListing.ts [--pages 40] [--snapshots 100] [--together 20]
 *
 * Every participant's page lists `/snapshots` when it loads and again whenever anyone takes one,
 * and the server checks each snapshot against its stored state (the chain's verification). This
 * fills an agreement through a stock client, takes the snapshots, then times, in the real server
 * (in this process, lowdb in a temp folder): one listing, `--together` listings at once (a
 * session's participants after a snapshot), the same just after a restart (everyone's pages
 * reconnecting after a deploy), and the first snapshot taken after a restart. The event loop's
 * longest delay meanwhile is what everyone else's typing would feel.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/src/app';
import { fillAgreement } from './client/agreement';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '40' },
    snapshots: { type: 'string', default: '100' },
    together: { type: 'string', default: '20' },
    reps: { type: 'string', default: '10' },
  },
});
const pages = Number(values.pages);
const snapshotCount = Number(values.snapshots);
const together = Number(values.together);
const reps = Number(values.reps);

async function start(dataDir: string): Promise<{ app: FastifyInstance; http: string }> {
  const app = await buildApp({
    logLevel: false,
    authSecret: 'bench-secret-bench-secret-bench-secret',
    dataDir,
    httpRateLimits: {
      createPerMinute: 1e6,
      invitesPerMinute: 1e6,
      commentsPerMinute: 1e6,
      snapshotsPerMinute: 1e6,
      stancesPerMinute: 1e6,
      downloadsPerMinute: 1e6,
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  return { app, http: `http://127.0.0.1:${address.port}` };
}

async function request(http: string, method: string, path: string, token: string, body?: unknown): Promise<unknown> {
  const response = await fetch(http + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Wall time of `work`, and the event loop's longest delay meanwhile (ms). */
async function timed(work: () => Promise<unknown>): Promise<{ ms: number; loopMax: number }> {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  loop.disable();
  return { ms: Math.round(ms), loopMax: Math.round(loop.max / 1e6) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dataDir = await mkdtemp(join(tmpdir(), 'cg-bench-snapshots-'));
try {
  let server = await start(dataDir);
  const fixture = await fillAgreement(server.http, pages);
  const base = `/api/agreements/${fixture.id}/snapshots`;
  for (let i = 0; i < snapshotCount; i++) await request(server.http, 'POST', base, fixture.brokerToken, { label: `Draft ${i + 1}` });
  const list = () => request(server.http, 'GET', base, fixture.pageToken) as Promise<{ verified: boolean }[]>;
  const all = await list();
  if (all.length !== snapshotCount || !all.every((s) => s.verified)) throw new Error('the listing does not verify every snapshot');

  const one: number[] = [];
  for (let i = 0; i < reps; i++) one.push((await timed(list)).ms);
  const warmTogether = await timed(() => Promise.all(Array.from({ length: together }, list)));

  await server.app.close();
  server = await start(dataDir);
  const coldTogether = await timed(() => Promise.all(Array.from({ length: together }, list)));
  const afterCold = await timed(list);

  await server.app.close();
  server = await start(dataDir);
  const firstTake = await timed(() => request(server.http, 'POST', base, fixture.brokerToken, { label: 'After a restart' }));
  await server.app.close();

  console.log(`${pages} pages, ${snapshotCount} snapshots; ms (the event loop's longest delay in brackets)`);
  console.log(`one listing, median of ${reps}: ${median(one)} (${one.join(', ')})`);
  console.log(`${together} listings at once: ${warmTogether.ms} [${warmTogether.loopMax}]`);
  console.log(`after a restart, ${together} listings at once: ${coldTogether.ms} [${coldTogether.loopMax}]; one after: ${afterCold.ms}`);
  console.log(`after a restart, the first snapshot taken: ${firstTake.ms} [${firstTake.loopMax}]`);
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
