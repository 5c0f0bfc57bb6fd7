// npm run bench -- --only cluster [--quick] [--reps N] [--p99-bound MS]
// Several instances: ours on PostgreSQL (one owner per agreement, the others forward) beside
// one instance on lowdb and one on PostgreSQL, and Hocuspocus 4.7 + @hocuspocus/extension-redis
// on two instances (redis-server from Debian's packages) as the peer. Reports fan-out p50/p99
// across instances, the highest sustained rate (the rate doubled until p99 passes --p99-bound,
// updates queue or the generator falls behind; the last rate that held), the cost of the
// PostgreSQL commit on the relay path, and failover time (kill -9 of the owner to first sync on
// another instance: median, p95 and worst of 20). Full mode: 3 repetitions, medians; --quick: 1.
// Runs under tsx (run.mjs starts it so) to reuse the tests' throwaway PostgreSQL.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres, createDatabase } from '../tests/support/postgres.ts';
import { freePort, loadgen, startServer } from './spawn.mjs';
import { benchText, typedText } from './text.mjs';
import { connect, until } from './clients.mjs';

const bench = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const repsAt = args.indexOf('--reps');
const reps = repsAt >= 0 ? Number(args[repsAt + 1]) : quick ? 1 : 3;
const seconds = quick ? 2 : 4;
// Twenty in both modes: a median, a p95 and a worst need that many.
const failovers = 20;
const boundAt = args.indexOf('--p99-bound');
/** A rate holds while the p99 relay latency stays at or under this (ms). */
const p99BoundMs = boundAt >= 0 ? Number(args[boundAt + 1]) : 50;
/** ...and at most this share of the updates is still undelivered 1 s after the writers stop (they queue). */
const maxUndelivered = 0.01;
const RATES = quick ? [100, 200, 400, 800, 1600, 3200, 6400] : [100, 200, 400, 800, 1600, 3200, 6400, 12800];
const startedAt = performance.now();
const load = () => loadavg().map((x) => Number(x.toFixed(1)));
const loadAtStart = load();

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};
/** Nearest-rank percentile (p95 of 20 is the 19th smallest). */
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)] : null;
};

/** Whether a program is on the PATH (redis-server is Debian's package, not every machine's). */
function installed(program) {
  return spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
}

/** Debian's redis-server for the Hocuspocus peer; null, said once, where it is not installed. */
async function startRedis() {
  if (!installed('redis-server') || !installed('redis-cli')) {
    console.log('redis-server is not installed (apt-get install -y redis-server): the Hocuspocus + Redis peer is left out of this run');
    return null;
  }
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

/** Whether a step held: p99 within the bound, nothing queued, and the generator sent what it was asked to. */
function held(step, stepSeconds) {
  return step.p99 !== null && step.p99 <= p99BoundMs && step.lost <= step.expected * maxUndelivered && step.sent >= 0.9 * step.ratePerSecond * stepSeconds;
}

/** Doubles the rate (20 clients, 4 writers) until a step does not hold; the last one that held is the sustained rate. */
async function sustained(server) {
  const stepSeconds = seconds;
  let best = null;
  let last = null;
  const steps = [];
  for (const ratePerSecond of RATES) {
    last = await loadgen('typing', server, { clients: 20, writers: 4, ratePerSecond, seconds: stepSeconds });
    const ok = held(last, stepSeconds);
    steps.push({ rate: ratePerSecond, p50: last.p50, p99: last.p99, lost: last.lost, sent: last.sent, held: ok });
    if (!ok) break;
    best = last;
  }
  return {
    sustainedRate: best?.ratePerSecond ?? 0,
    deliveredPerSecond: best?.deliveredPerSecond ?? 0,
    p99AtSustained: best?.p99 ?? null,
    failedAtRate: last.ratePerSecond === best?.ratePerSecond ? null : last.ratePerSecond,
    steps,
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
      // A client on the other instance sees the edit relayed: from then on it must survive the kill.
      const watcher = await connect(servers[1].info, created.id, created.token);
      benchText(before.doc).insert(0, `round ${i}. `);
      await until(() => typedText(watcher.doc).includes(`round ${i}.`), 30_000);
      watcher.destroy();
      const killedAt = performance.now();
      servers[0].process.kill('SIGKILL');
      const after = await connect(servers[1].info, created.id, created.token);
      times.push(performance.now() - killedAt);
      if (!typedText(after.doc).includes(`round ${i}.`)) throw new Error(`round ${i}: the edit before the kill is missing`);
      after.destroy();
      before.destroy();
      await servers[0].exited;
      servers = [servers[1], await startServer('ours', temp(), { env: { DATABASE_URL: ctx.db, LOG_LEVEL: 'error' } })];
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
  return {
    kills: times.length,
    medianMs: median(times),
    p95Ms: percentile(times, 95),
    worstMs: Math.max(...times),
    allMs: times.map((t) => Math.round(t)),
  };
}

const pg = await startPostgres();
const redis = await startRedis();
const results = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}`,
  reps,
  seconds,
  quick,
  p99BoundMs,
  maxUndelivered,
  loadAverageAtStart: loadAtStart,
  scenarios: {},
};
try {
  const names = Object.keys(SETUPS).filter((name) => redis || !name.includes('redis'));
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
      p99AtSustained: med(saturation[name], 'p99AtSustained'),
      failedAtRate: med(saturation[name], 'failedAtRate'),
      sustainedSteps: saturation[name].map((r) => r.steps),
    };
  }
  const lowdb = results.scenarios['ours, lowdb, 1 instance'];
  const one = results.scenarios['ours, PostgreSQL, 1 instance'];
  results.postgresCommitOnRelayMs = { lightP50: one.lightP50 - lowdb.lightP50, fanoutP50: one.fanoutP50 - lowdb.fanoutP50 };
  results.failover = await failover({ db: (await createDatabase(pg.url, 'bench')).url });
} finally {
  redis?.stop();
  await pg.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}

results.loadAverageAtEnd = load();
results.minutes = Number(((performance.now() - startedAt) / 60_000).toFixed(1));

const fmt = (v, unit = '') => (typeof v === 'number' ? `${Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2)}${unit}` : '–');
const columns = [
  ['light p50', (r) => fmt(r.lightP50, ' ms')],
  ['fan-out p50', (r) => fmt(r.fanoutP50, ' ms')],
  ['fan-out p99', (r) => fmt(r.fanoutP99, ' ms')],
  ['server CPU', (r) => fmt(r.fanoutServerCpuPercent, ' %')],
  ['sustained rate', (r) => (typeof r.sustainedRate !== 'number' ? '–' : r.sustainedRate === 0 ? `< ${RATES[0]}/s` : `${r.sustainedRate}/s`)],
  ['p99 there', (r) => fmt(r.p99AtSustained, ' ms')],
  ['failed at', (r) => (typeof r.failedAtRate === 'number' ? `${r.failedAtRate}/s` : '–')],
];
console.log(
  `\n## Several instances (${quick ? '--quick, 1 repetition' : `${reps} repetitions, medians`}; load average ${loadAtStart.join(' ')} at the start, ${results.loadAverageAtEnd.join(' ')} at the end, on ${cpus().length} cores; ${results.minutes} min)`,
);
console.log(`fan-out: 20 clients, 4 writers, 400 updates/s for ${seconds} s; light: 2 clients, 20/s.`);
console.log(
  `sustained rate: 20 clients, 4 writers, rate doubled from ${RATES[0]}/s (${seconds} s a step) until p99 > ${p99BoundMs} ms, over ${maxUndelivered * 100} % undelivered 1 s after the writers stop, or the generator falls behind; the last rate that held.\n`,
);
console.log(`| setup | ${columns.map(([name]) => name).join(' | ')} |`);
console.log(`| --- | ${columns.map(() => '---').join(' | ')} |`);
for (const [name, r] of Object.entries(results.scenarios)) console.log(`| ${name} | ${columns.map(([, cell]) => cell(r)).join(' | ')} |`);
console.log(
  `\nPostgreSQL commit on the relay path (p50, PostgreSQL minus lowdb): light ${fmt(results.postgresCommitOnRelayMs.lightP50, ' ms')}, fan-out ${fmt(results.postgresCommitOnRelayMs.fanoutP50, ' ms')}`,
);
const f = results.failover;
console.log(
  `failover (kill -9 of the owner to the first sync on the other instance, ${f.kills} kills): median ${fmt(f.medianMs, ' ms')}, p95 ${fmt(f.p95Ms, ' ms')}, worst ${fmt(f.worstMs, ' ms')}`,
);
mkdirSync(join(bench, 'results'), { recursive: true });
const file = join(bench, 'results', quick ? 'cluster-quick.json' : 'cluster.json');
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
console.log(`\nwritten to bench/results/${quick ? 'cluster-quick' : 'cluster'}.json`);
