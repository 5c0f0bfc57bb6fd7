import { execFile } from 'node:child_process';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Debian's PostgreSQL 15 (`apt-get install -y postgresql`); `npm test`'s pretest step installs it. */
export const PG_BIN = '/usr/lib/postgresql/15/bin';

/** A throwaway PostgreSQL cluster in a temp folder, on a free port of 127.0.0.1. */
export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  dir: string;
  /** `pg_ctl restart`: every connection is cut, the data stays. */
  restart(): Promise<void>;
  /** `pg_ctl stop -m fast`: the server is away (connections cut and refused) until {@link resume}. */
  halt(): Promise<void>;
  /** Starts the halted server again on the same port, with its data. */
  resume(): Promise<void>;
  /** SIGSTOPs the server and its backends: connections stay open and nothing answers (a database cut off by the network). */
  freeze(): Promise<void>;
  /** SIGCONTs what {@link freeze} stopped. */
  thaw(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * initdb refuses to run as root and tests run as root: every PostgreSQL binary then runs
 * as the `postgres` user (the Debian package creates it), in a folder it owns.
 */
async function asPostgres(command: string, args: string[]): Promise<string> {
  const bin = join(PG_BIN, command);
  const [file, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const { stdout } = await run(file, argv, { timeout: 60_000 });
  return stdout;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startPostgres(): Promise<TestPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'cg-pg-'));
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = join(dir, 'data');
  // --no-sync and fsync=off: a test cluster never needs to survive a power cut, and fsyncs are the slow part here.
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`;
  const ctl = (...args: string[]) => asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', ...args]);
  await ctl('-o', options, 'start');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    async restart() {
      await ctl('-m', 'fast', '-o', options, 'restart');
    },
    async freeze() {
      for (const pid of await serverProcesses(data)) process.kill(pid, 'SIGSTOP');
    },
    async thaw() {
      for (const pid of await serverProcesses(data)) process.kill(pid, 'SIGCONT');
    },
    async halt() {
      await ctl('-m', 'fast', 'stop');
    },
    async resume() {
      await ctl('-o', options, 'start');
    },
    async stop() {
      await ctl('-m', 'immediate', 'stop').catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The postmaster of the cluster in `data` (from its postmaster.pid) and its children. */
async function serverProcesses(data: string): Promise<number[]> {
  const postmaster = Number((await readFile(join(data, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const { stdout } = await run('ps', ['-o', 'pid=', '--ppid', String(postmaster)]);
  return [
    postmaster,
    ...stdout
      .split('\n')
      .filter((line) => line.trim())
      .map(Number),
  ];
}

/** A URL for another database of the same server. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates an empty database of its own for one test file (they run in parallel on one server). */
export async function createDatabase(serverUrl: string, prefix = 'cg'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: databaseUrl(serverUrl, name),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
