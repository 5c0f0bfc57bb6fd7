// npm run bench -- --only cluster [--quick] [--reps N]
// Several instances: ours on PostgreSQL (one owner per agreement, the others forward) beside
// one instance on lowdb and one on PostgreSQL, and Hocuspocus 4.7 + @hocuspocus/extension-redis
// on two instances (redis-server from Debian's packages) as the peer. Reports fan-out p50/p99
// across instances, the highest sustained rate, the cost of the PostgreSQL commit on the relay
// path, and failover time (kill -9 of the owner to first sync on another instance).
// Runs under tsx (run.mjs starts it so) to reuse the tests' throwaway PostgreSQL.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres, createDatabase } from '../tests/support/postgres.ts';
import { freePort, startServer } from './spawn.mjs';
import { connect } from './clients.mjs';

const bench = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const repsAt = args.indexOf('--reps');
const reps = repsAt >= 0 ? Number(args[repsAt + 1]) : quick ? 1 : 3;
const seconds = quick ? 2 : 4;
const failovers = quick ? 5 : 20;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};

function loadgen(scenario, server, params) {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', '1', process.execPath, join(bench, 'loadgen.mjs'), JSON.stringify({ scenario, server, params })], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`loadgen ${scenario} exited ${code}`))));
  });
}

async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-redis-'));
  const child = spawn('taskset', ['-c', '0', 'redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => {
      const probe = spawn('redis-cli', ['-p', String(port), 'ping'], { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      probe.stdout.on('data', (d) => (out += d));
      probe.once('exit', () => resolve(out.includes('PONG')));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    stop: () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The setups compared: each starts its instances and returns what the load generator needs. */
const SETUPS = {
  'ours, lowdb, 1 instance': async () => [await startServer('ours', temp())],
  'ours, PostgreSQL, 1 instance': async (ctx) => [await startServer('ours', temp(), { env: { DATABASE_URL: ctx.db } })],
  'ours, PostgreSQL, 2 instances': async (ctx) => Promise.all([1, 2].map(() => startServer('ours', temp(), { env: { DATABASE_URL: ctx.db } }))),
  'hocuspocus + redis, 2 instances': async (ctx) =>
    Promise.all([1, 2].map(() => startServer('hocuspocus-redis', temp(), { env: { REDIS_PORT: String(ctx.redis.port) } }))),
};
const dirs = [];
function temp() {
  const d = mkdtempSync(join(tmpdir(), 'bench-cluster-'));
  dirs.push(d);
  return d;
}

async function withSetup(name, ctx, work) {
  const servers = await SETUPS[name](ctx);
  const info = { ...servers[0].info, pids: servers.map((s) => s.info.pid), wsList: servers.map((s) => s.info.ws) };
  try {
    return await work(info, servers);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

/** Steps the rate up until p99 passes 50 ms or more than 1% is lost. */
async function sustained(server) {
  let best = null;
  let last = null;
  for (const ratePerSecond of quick ? [400, 1600, 6400] : [400, 800, 1600, 3200, 6400, 12800]) {
    last = await loadgen('typing', server, { clients: 20, writers: 4, ratePerSecond, seconds: Math.max(2, seconds / 2) });
    if (last.p99 > 50 || last.lost > last.expected * 0.01) break;
    best = last;
  }
  return {
    sustainedRate: best?.ratePerSecond ?? 0,
    deliveredPerSecond: best?.deliveredPerSecond ?? 0,
    p99AtSustained: best?.p99 ?? null,
    failedAtRate: last.ratePerSecond,
  };
}

/** kill -9 of the owner while a client is connected to it, to the first sync of a client on the other instance. */
async function failover(ctx) {
  const times = [];
  let servers = await Promise.all([1, 2].map(() => startServer('ours', temp(), { env: { DATABASE_URL: ctx.db, LOG_LEVEL: 'error' } })));
  try {
    const created = await (
      await fetch(`${servers[0].info.http}/api/agreements`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'failover' }),
      })
    ).json();
    for (let i = 0; i < failovers; i++) {
      // servers[0] owns the agreement (it created it, or took it over last round).
      const before = await connect(servers[0].info, created.id, created.token);
      before.doc.getText('bench').insert(0, `round ${i}. `);
      await new Promise((r) => setTimeout(r, 50));
      const killedAt = performance.now();
      servers[0].process.kill('SIGKILL');
      const after = await connect(servers[1].info, created.id, created.token);
      times.push(performance.now() - killedAt);
      if (!after.doc.getText('bench').toString().includes(`round ${i}.`)) throw new Error(`round ${i}: the edit before the kill is missing`);
      after.destroy();
      before.destroy();
      await servers[0].exited;
      servers = [servers[1], await startServer('ours', temp(), { env: { DATABASE_URL: ctx.db, LOG_LEVEL: 'error' } })];
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
  return { kills: times.length, medianMs: median(times), worstMs: Math.max(...times), allMs: times.map((t) => Math.round(t)) };
}

const pg = await startPostgres();
const redis = await startRedis();
const results = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}`,
  reps,
  seconds,
  quick,
  scenarios: {},
};
try {
  const names = Object.keys(SETUPS);
  const light = {};
  const fanout = {};
  const saturation = {};
  for (let rep = 0; rep < reps; rep++) {
    // Alternate the order with each repetition: the machine is shared and noisy.
    for (const name of names.map((_, i) => names[(i + rep) % names.length])) {
      const db = (await createDatabase(pg.url, 'bench')).url;
      await withSetup(name, { db, redis }, async (server) => {
        (light[name] ??= []).push(await loadgen('typing', server, { clients: 2, writers: 1, ratePerSecond: 20, seconds }));
        (fanout[name] ??= []).push(await loadgen('typing', server, { clients: 20, writers: 4, ratePerSecond: 400, seconds }));
        (saturation[name] ??= []).push(await sustained(server));
      });
    }
  }
  const med = (runs, field) => median(runs.map((r) => r[field]).filter((x) => typeof x === 'number'));
  for (const name of names) {
    results.scenarios[name] = {
      lightP50: med(light[name], 'p50'),
      lightP99: med(light[name], 'p99'),
      fanoutP50: med(fanout[name], 'p50'),
      fanoutP99: med(fanout[name], 'p99'),
      fanoutServerCpuPercent: med(fanout[name], 'serverCpuPercent'),
      fanoutLost: med(fanout[name], 'lost'),
      sustainedRate: med(saturation[name], 'sustainedRate'),
      deliveredPerSecond: med(saturation[name], 'deliveredPerSecond'),
    };
  }
  const lowdb = results.scenarios['ours, lowdb, 1 instance'];
  const one = results.scenarios['ours, PostgreSQL, 1 instance'];
  results.postgresCommitOnRelayMs = { lightP50: one.lightP50 - lowdb.lightP50, fanoutP50: one.fanoutP50 - lowdb.fanoutP50 };
  results.failover = await failover({ db: (await createDatabase(pg.url, 'bench')).url });
} finally {
  redis.stop();
  await pg.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}

const fmt = (v) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2)) : String(v));
const fields = ['lightP50', 'fanoutP50', 'fanoutP99', 'fanoutServerCpuPercent', 'sustainedRate', 'deliveredPerSecond'];
console.log(`\n## several instances (20 clients, 4 writers, 400 updates/s for fan-out; light: 2 clients, 20/s)`);
console.log(['setup'.padEnd(34), ...fields.map((f) => f.padStart(12))].join(' '));
for (const [name, r] of Object.entries(results.scenarios)) console.log([name.padEnd(34), ...fields.map((f) => fmt(r[f]).padStart(12))].join(' '));
console.log(
  `PostgreSQL commit on the relay path (p50, PostgreSQL minus lowdb): light ${fmt(results.postgresCommitOnRelayMs.lightP50)} ms, fan-out ${fmt(results.postgresCommitOnRelayMs.fanoutP50)} ms`,
);
console.log(
  `failover (kill -9 of the owner to first sync on the other instance, ${results.failover.kills} kills): median ${fmt(results.failover.medianMs)} ms, worst ${fmt(results.failover.worstMs)} ms`,
);
mkdirSync(join(bench, 'results'), { recursive: true });
const file = join(bench, 'results', quick ? 'cluster-quick.json' : 'cluster.json');
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
console.log(`\nwritten to bench/results/${quick ? 'cluster-quick' : 'cluster'}.json`);
