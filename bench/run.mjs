// npm run bench [-- --quick] [--reps N] [--seconds S] [--only fanout,saturation,documents,coldload,joining,returning,suggesting,comparing,cluster] [--servers ours,hocuspocus] [--base DIR]
// Runs each scenario against every server in one invocation, alternating their order,
// and reports medians. Servers are pinned to core 0 and the load generator to core 1.
import { spawn, execFileSync } from 'node:child_process';
import { isOurs, loadgen, startServer } from './spawn.mjs';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bench = fileURLToPath(new URL('.', import.meta.url));
const root = join(bench, '..');
// `npm run bench -- client …`: the browser benchmark (bench/client/run.ts), apart from the server one.
if (process.argv[2] === 'client') {
  // The client benchmarks measure a person's browser: the full Chromium (the tests use its headless shell).
  if (!process.env.CHROMIUM_PATH && !existsSync('/usr/bin/chromium')) {
    console.error("The client benchmarks need Debian's Chromium. Run as root:\n\n  apt-get update && apt-get install -y chromium\n");
    process.exit(1);
  }
  // bench/package.json holds its own Yjs for the peer servers; the browser bench must share the
  // app's one Yjs (two copies break its type checks), so its modules resolve the app's node_modules.
  const link = join(bench, 'client', 'node_modules');
  if (!existsSync(link)) symlinkSync(join('..', '..', 'node_modules'), link);
  // `npm run bench -- client load-timeline …`: one load's timeline (bench/client/loadTimeline.ts), same link;
  // `… client without-devtools …`: the load with no DevTools client attached (bench/client/withoutDevtools.ts);
  // `… client compare …`: a version compared with the live text, in the page (bench/client/compare.ts).
  const tools = { 'load-timeline': 'loadTimeline.ts', 'without-devtools': 'withoutDevtools.ts', compare: 'compare.ts' };
  const [script, args] = tools[process.argv[3]] ? [tools[process.argv[3]], process.argv.slice(4)] : ['run.ts', process.argv.slice(3)];
  const run = spawn(process.execPath, ['--import', 'tsx', join(bench, 'client', script), ...args], { cwd: root, stdio: 'inherit' });
  run.once('exit', (code) => process.exit(code ?? 1));
  await new Promise(() => {});
}
if (!existsSync(join(bench, 'node_modules', '@hocuspocus', 'server'))) {
  execFileSync('npm', ['--prefix', bench, 'ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
}
const Y = await import('yjs');
const { encode } = await import('./servers/framedFile.mjs');
const { benchText, rewordedAgreement, versionAndNextRound } = await import('./text.mjs');
const { ourFrames } = await import('./ourFrames.mjs');

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : (process.env[`BENCH_${name.toUpperCase()}`] ?? fallback);
};
const quick = args.includes('--quick');
const reps = Number(flag('reps', quick ? 1 : 3));
const seconds = Number(flag('seconds', quick ? 2 : 4));
const only = flag('only', 'fanout,saturation,documents,coldload,joining,returning,suggesting,comparing,cluster').split(',');
/** `--base DIR`: another checkout of ours (with its node_modules) runs beside this one as 'ours-base', a before and after in one run. */
const base = flag('base');
if (base) process.env.BENCH_BASE_ROOT = base;
const ALL_SERVERS = ['ours', ...(base ? ['ours-base'] : []), 'y-websocket-server', 'hocuspocus', 'relay'];
/** `--servers ours` (comma-separated) runs only those servers, e.g. to look into one of them. */
const chosen = flag('servers', ALL_SERVERS.join(',')).split(',');
const SERVERS = ALL_SERVERS.filter((k) => chosen.includes(k));
const PEERS = ['y-websocket-server', 'hocuspocus'];

/** Runs `work(server)` on a fresh server of each kind, in an order that rotates with each repetition. */
async function eachServer(kinds, rep, work) {
  const order = kinds.map((_, i) => kinds[(i + rep) % kinds.length]);
  const out = {};
  for (const kind of order) {
    const dataDir = mkdtempSync(join(tmpdir(), `bench-${kind}-`));
    try {
      out[kind] = await work(kind, dataDir);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return out;
}

async function withServer(kind, dataDir, work) {
  const server = await startServer(kind, dataDir);
  try {
    return await work(server.info);
  } finally {
    await server.stop();
  }
}

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};
/** Medians of every numeric field over repetitions. */
function medians(runs) {
  const out = {};
  for (const key of Object.keys(runs[0] ?? {})) out[key] = typeof runs[0][key] === 'number' ? median(runs.map((r) => r[key])) : runs[0][key];
  return out;
}

const results = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}`,
  reps,
  seconds,
  quick,
  scenarios: {},
};

// 1. Fan-out on one document.
if (only.includes('fanout')) {
  const sizes = quick ? [2, 10, 50] : [2, 10, 50, 200];
  for (const clients of sizes) {
    for (const writers of [...new Set([1, Math.max(1, clients / 10)])]) {
      const key = `fanout ${clients} clients, ${writers} writer${writers > 1 ? 's' : ''}`;
      const runs = {};
      for (let rep = 0; rep < reps; rep++) {
        const r = await eachServer(SERVERS, rep, (kind, dir) =>
          withServer(kind, dir, (s) => loadgen('typing', s, { clients, writers, ratePerSecond: writers * 10, seconds })),
        );
        for (const [k, v] of Object.entries(r)) (runs[k] ??= []).push(v);
      }
      results.scenarios[key] = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, medians(v)]));
      report(key, results.scenarios[key], ['p50', 'p99', 'p999', 'lost', 'serverCpuPercent', 'loadgenCpuPercent'], 'p50', 'lower');
    }
  }
}

// 2. Saturation: raise the rate until p99 passes 50 ms.
if (only.includes('saturation')) {
  const steps = [250, 500, 1000, 2000, 4000, 8000, 16000];
  const runs = {};
  for (let rep = 0; rep < reps; rep++) {
    const r = await eachServer(SERVERS, rep, (kind, dir) =>
      withServer(kind, dir, async (s) => {
        let best = { ratePerSecond: 0, deliveredPerSecond: 0 };
        let last;
        for (const ratePerSecond of steps) {
          last = await loadgen('typing', s, { clients: 20, writers: 4, ratePerSecond, seconds: Math.max(2, seconds / 2) });
          if (last.p99 > 50 || last.lost > last.expected * 0.01) break;
          best = last;
        }
        return {
          sustainedRate: best.ratePerSecond,
          deliveredPerSecond: best.deliveredPerSecond,
          p99AtSustained: best.p99,
          serverCpuPercent: best.serverCpuPercent,
          loadgenCpuPercent: best.loadgenCpuPercent,
          failedAtRate: last.ratePerSecond,
          p99AtFailure: last.p99,
        };
      }),
    );
    for (const [k, v] of Object.entries(r)) (runs[k] ??= []).push(v);
  }
  const key = 'saturation (20 clients, 4 writers)';
  results.scenarios[key] = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, medians(v)]));
  for (const v of Object.values(results.scenarios[key])) v.fractionOfRelay = v.deliveredPerSecond / results.scenarios[key].relay.deliveredPerSecond;
  report(
    key,
    results.scenarios[key],
    ['sustainedRate', 'deliveredPerSecond', 'fractionOfRelay', 'serverCpuPercent', 'loadgenCpuPercent', 'p99AtFailure'],
    'deliveredPerSecond',
    'higher',
  );
}

// 3. Many documents of ~20 kB, two clients each.
if (only.includes('documents')) {
  for (const documents of quick ? [100] : [100, 1000]) {
    const key = `${documents} documents of 20 kB`;
    const runs = {};
    for (let rep = 0; rep < reps; rep++) {
      const r = await eachServer(
        SERVERS.filter((k) => k !== 'relay'),
        rep,
        (kind, dir) => withServer(kind, dir, (s) => loadgen('manyDocuments', s, { documents, kilobytes: 20 })),
      );
      for (const [k, v] of Object.entries(r)) (runs[k] ??= []).push(v);
    }
    results.scenarios[key] = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, medians(v)]));
    report(
      key,
      results.scenarios[key],
      ['heapPerDocumentKB', 'heapPerConnectionKB', 'rssMB', 'unloaded', 'unloadMs', 'heapLeftAfterLeaveKB'],
      'heapPerDocumentKB',
      'lower',
    );
  }
}

// 4. Cold load after a restart: one stored state, and 100,000 separate updates.
if (only.includes('coldload')) {
  const source = new Y.Doc();
  const updates = [];
  source.on('update', (u) => updates.push(u));
  const text = benchText(source);
  const count = quick ? 20_000 : 100_000;
  for (let i = 0; i < count; i++) text.insert(i, String.fromCharCode(97 + (i % 26)));
  const state = Y.encodeStateAsUpdate(source);
  for (const [form, stored] of [
    ['one state', [state]],
    [`${count} updates`, updates],
  ]) {
    const key = `cold load: ${form}`;
    results.scenarios[key] = await onStoredDocument(stored, 'coldLoad');
    report(key, results.scenarios[key], ['connectToSyncedMs', 'longestStallMs', 'length'], 'connectToSyncedMs', 'lower');
  }
}

// 5. Newcomers join a long, much-reworded agreement (1 MB of state) while two people type in it.
if (only.includes('joining')) {
  const state = Y.encodeStateAsUpdate(rewordedAgreement(40, 5));
  const joiners = quick ? 10 : 20;
  const key = `joining: ${joiners} newcomers, a 40-page agreement reworded 5 times (${Math.round(state.length / 1024)} KB)`;
  results.scenarios[key] = await onStoredDocument([state], 'joining', { joiners, joinEveryMs: 150, maxConcurrent: 8, typingPerSecond: 10 });
  report(key, results.scenarios[key], ['p50', 'p99', 'max', 'longestStallMs', 'joinP50Ms', 'joinMaxMs', 'joinKB', 'serverCpuPercent'], 'p99', 'lower');
  // The same while the typists correct themselves (every fifth keystroke takes the one before back): a
  // deletion makes our server answer the next newcomer with the text encoded anew, so deleted words
  // are not sent to people who were not there (server/src/rooms/newcomerState.ts).
  const correcting = `${key}, every fifth keystroke a correction`;
  results.scenarios[correcting] = await onStoredDocument([state], 'joining', {
    joiners,
    joinEveryMs: 150,
    maxConcurrent: 8,
    typingPerSecond: 10,
    correctEvery: 5,
  });
  report(
    correcting,
    results.scenarios[correcting],
    ['p50', 'p99', 'max', 'longestStallMs', 'joinP50Ms', 'joinMaxMs', 'joinKB', 'serverCpuPercent'],
    'p99',
    'lower',
  );
}

// 5a. The same agreement, with visitors returning to it (their page holds the stored text: a reload, a reconnect)
// while the typists correct themselves. Each sends its state vector and, as the stock client does, its whole
// delete set in its answer to the server's sync request.
if (only.includes('returning')) {
  const state = Y.encodeStateAsUpdate(rewordedAgreement(40, 5));
  const joiners = quick ? 10 : 20;
  const key = `returning: ${joiners} visitors holding the text, a 40-page agreement reworded 5 times (${Math.round(state.length / 1024)} KB), every fifth keystroke a correction`;
  results.scenarios[key] = await onStoredDocument([state], 'joining', {
    joiners,
    joinEveryMs: 150,
    maxConcurrent: 8,
    typingPerSecond: 10,
    correctEvery: 5,
    returning: { pages: 40, rounds: 5 },
  });
  report(key, results.scenarios[key], ['p50', 'p99', 'max', 'longestStallMs', 'joinP50Ms', 'joinMaxMs', 'joinKB', 'serverCpuPercent'], 'p99', 'lower');
}

// 5b. Suggestions made and accepted on the same long agreement while two people type in it (ours only).
if (only.includes('suggesting')) {
  const state = Y.encodeStateAsUpdate(rewordedAgreement(40, 5));
  const count = quick ? 5 : 10;
  const key = `suggesting: a redline and ${count} suggestions made and accepted, a 40-page agreement reworded 5 times (${Math.round(state.length / 1024)} KB)`;
  results.scenarios[key] = await onStoredDocument([state], 'suggesting', { count, everyMs: 500, typingPerSecond: 10 }, isOurs);
  report(
    key,
    results.scenarios[key],
    ['p50', 'p99', 'max', 'longestStallMs', 'firstAnswerMs', 'answerP50Ms', 'answerMaxMs', 'serverCpuPercent'],
    'p99',
    'lower',
  );
}

// 6. A legal team compares a version with the live text of a long, much-reworded agreement (ours
// only: the peers have no comparison). The version is the text after five rounds of rewording; the
// live text has one round more. Each comparison runs in the document worker, while the person waits.
if (only.includes('comparing')) {
  const { version: before, nextRound: lastRound } = versionAndNextRound(40, 5);
  const key = `comparing: a version of a 40-page agreement reworded 5 times with the live text, reworded once more (${Math.round(before.length / 1024)} KB)`;
  const runs = {};
  for (let rep = 0; rep < reps; rep++) {
    const r = await eachServer(SERVERS.filter(isOurs), rep, async (kind, dir) => {
      const doc = await storedDocument(kind, dir, [before]);
      const auth = { authorization: `Bearer ${doc.token}`, 'content-type': 'application/json' };
      const version = await withServer(kind, dir, async (s) => {
        const res = await fetch(`${s.http}/api/agreements/${doc.name}/snapshots`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ label: 'Before the last round' }),
        });
        if (res.status !== 201) throw new Error(`snapshot: ${res.status} ${await res.text()}`);
        return (await res.json()).id;
      });
      // The last round, as the room's log on top of its stored state.
      writeFileSync(join(dir, 'rooms', `${doc.name}.log`), ourFrames([lastRound]));
      return withServer(kind, dir, async (s) => {
        const times = [];
        let changes = 0;
        for (let i = 0; i < 3; i++) {
          const started = performance.now();
          const res = await fetch(`${s.http}/api/agreements/${doc.name}/diff?from=${version}&to=live`, { headers: auth });
          if (res.status !== 200) throw new Error(`diff: ${res.status} ${await res.text()}`);
          changes = (await res.json()).summary.total;
          times.push(performance.now() - started);
        }
        return { firstMs: times[0], againMs: median(times.slice(1)), changes };
      });
    });
    for (const [k, v] of Object.entries(r)) (runs[k] ??= []).push(v);
  }
  results.scenarios[key] = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, medians(v)]));
  report(key, results.scenarios[key], ['firstMs', 'againMs', 'changes'], 'againMs', 'lower');
}

/** `reps` repetitions of a scenario on every server but the relay (or those `kinds` picks), each a fresh server holding a document stored as `stored`; medians by server. */
async function onStoredDocument(stored, scenario, params = {}, kinds = (k) => k !== 'relay') {
  const runs = {};
  for (let rep = 0; rep < reps; rep++) {
    const r = await eachServer(SERVERS.filter(kinds), rep, async (kind, dir) => {
      const doc = await storedDocument(kind, dir, stored);
      return withServer(kind, dir, (s) => loadgen(scenario, s, { ...doc, ...params }));
    });
    for (const [k, v] of Object.entries(r)) (runs[k] ??= []).push(v);
  }
  return Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, medians(v)]));
}

/**
 * A document whose stored history is `stored`: on ours an agreement created on a server then
 * stopped, its text's room written as one state or as a log; on a peer its update file.
 */
async function storedDocument(kind, dir, stored) {
  if (!isOurs(kind)) {
    writeFileSync(join(dir, 'stored.updates'), encode(stored));
    return { name: 'stored' };
  }
  const doc = await withServer(kind, dir, async (s) => {
    const res = await fetch(`${s.http}/api/agreements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'stored' }),
    });
    const body = await res.json();
    return { name: body.id, token: body.token };
  });
  mkdirSync(join(dir, 'rooms'), { recursive: true });
  if (stored.length === 1) writeFileSync(join(dir, 'rooms', `${doc.name}.state`), stored[0]);
  else writeFileSync(join(dir, 'rooms', `${doc.name}.log`), ourFrames(stored));
  return doc;
}

function report(title, byServer, fields, headline, better) {
  const ours = byServer.ours?.[headline];
  const peers = PEERS.map((k) => byServer[k]?.[headline]).filter((x) => typeof x === 'number');
  const best = peers.length ? (better === 'lower' ? Math.min(...peers) : Math.max(...peers)) : null;
  const relay = byServer.relay?.[headline];
  const ratios = {
    headline,
    better,
    oursToBestPeer: best ? ours / best : null,
    oursToRelay: typeof relay === 'number' && relay ? ours / relay : null,
  };
  byServer.ratios = ratios;
  console.log(`\n## ${title}`);
  const fmt = (v) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2)) : String(v));
  console.log(['server', ...fields].map((f) => f.padStart(14)).join(' '));
  for (const kind of SERVERS)
    if (byServer[kind]) console.log([kind, ...fields.map((f) => fmt(byServer[kind][f]))].map((f) => String(f).padStart(14)).join(' '));
  console.log(`${headline} (${better} is better): ours / best peer = ${fmt(ratios.oursToBestPeer)}, ours / relay = ${fmt(ratios.oursToRelay)}`);
}

// Written before the cluster step: that step starts PostgreSQL and Redis, and a failure there lost the whole run's figures.
mkdirSync(join(bench, 'results'), { recursive: true });
const file = join(bench, 'results', quick ? 'quick.json' : 'latest.json');
// A partial run (--only) updates its scenarios and keeps the others' last figures.
if (args.includes('--only') && existsSync(file)) results.scenarios = { ...JSON.parse(readFileSync(file, 'utf8')).scenarios, ...results.scenarios };
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
console.log(`\nwritten to bench/results/${quick ? 'quick' : 'latest'}.json`);

// 7. Several instances (bench/cluster.mjs): it runs under tsx and writes results/cluster.json itself.
if (only.includes('cluster')) {
  const clusterArgs = [
    ...(quick ? ['--quick'] : []),
    ...(args.includes('--reps') ? ['--reps', String(reps)] : []),
    ...(args.includes('--p99-bound') ? ['--p99-bound', flag('p99-bound')] : []),
  ];
  await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(bench, 'cluster.mjs'), ...clusterArgs], { cwd: root, stdio: 'inherit' });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`cluster bench exited ${code}`))));
  });
}
