// Starting the servers under test: ours and the peers, each in its own process.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bench = fileURLToPath(new URL('.', import.meta.url));
const root = join(bench, '..');
const metricsPreload = pathToFileURL(join(bench, 'servers', 'metrics.mjs')).href;

/** Our server: this checkout's ('ours') or another's ('ours-base', `--base DIR`: the same run's before and after). */
export const isOurs = (kind) => kind === 'ours' || kind === 'ours-base';

function baseRoot() {
  if (!process.env.BENCH_BASE_ROOT) throw new Error('ours-base needs --base DIR (a checkout with its node_modules)');
  return process.env.BENCH_BASE_ROOT;
}

/** Runs one scenario of bench/loadgen.mjs against `server` in a process of its own, pinned to core 1; resolves with its result. */
export function loadgen(scenario, server, params) {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', '1', process.execPath, join(bench, 'loadgen.mjs'), JSON.stringify({ scenario, server, params })], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`loadgen ${scenario} on ${server.kind} exited ${code}`))));
  });
}

export async function freePort() {
  const s = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * Starts one server under test in its own process, pinned to `cores`, with the metrics
 * endpoint preloaded; resolves once it listens.
 */
export async function startServer(kind, dataDir, { env = {}, cores = '0' } = {}) {
  const metricsPort = await freePort();
  const ours = isOurs(kind);
  const script = {
    ours: null,
    'y-websocket-server': 'ywsServer.mjs',
    hocuspocus: 'hocuspocus.mjs',
    relay: 'relay.mjs',
    'hocuspocus-redis': 'hocuspocusRedis.mjs',
  }[kind];
  // --cpu-prof is refused in NODE_OPTIONS: it goes on the command line (the profile is written at exit).
  const profile = process.env.BENCH_CPU_PROF && ours ? ['--cpu-prof', `--cpu-prof-dir=${join(bench, 'profiles')}`] : [];
  const nodeArgs = ['--expose-gc', ...profile, '--import', metricsPreload];
  const argv = ours ? [...nodeArgs, '--import', 'tsx', 'server/src/main.ts'] : [...nodeArgs, join('servers', script)];
  const child = spawn('taskset', ['-c', cores, process.execPath, ...argv], {
    cwd: kind === 'ours-base' ? baseRoot() : ours ? root : bench,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      METRICS_PORT: String(metricsPort),
      AUTH_SECRET: 'bench-secret-bench-secret-bench-secret',
      // Peers have no rate limit; the saturation writers would hit ours (200 messages/s each).
      RATE_LIMIT_MESSAGES: '0',
      RATE_LIMIT_BYTES: '0',
      // Every bench client of a document uses one token; the peers have no such limit either.
      MAX_CONNECTIONS_PER_PERSON: '100000',
      // Every bench client comes from 127.0.0.1 (the documents scenario holds two thousand at once).
      MAX_CONNECTIONS_PER_ADDRESS: '0',
      // The documents scenario waits for the open agreements to reach 0 (loadgen.mjs reads it from /api/health).
      HEALTH_ROOM_COUNT: '1',
      // The documents scenario creates a thousand agreements from one address.
      RATE_LIMIT_CREATES_PER_MINUTE: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const http = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      // BENCH_SERVER_LOG=1 shows what the server logs (its errors, when a scenario fails).
      if (process.env.BENCH_SERVER_LOG) process.stderr.write(d);
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`${kind} exited ${code}: ${out}`)));
  });
  const ws = http.replace('http', 'ws') + (ours ? '/collab' : '');
  const exited = new Promise((r) => child.once('exit', r));
  return {
    info: { kind, http, ws, pid: child.pid, metricsPort },
    process: child,
    exited,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
