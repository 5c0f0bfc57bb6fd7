import { createServer, connect, type Server, type Socket } from 'node:net';
import * as Y from 'yjs';
import { contentString } from './clients';
import pg from 'pg';
import { startChildServer, type ChildServer } from './childServer';
import { removeDir, tempDir } from './server';
import { lockKey } from '../../server/src/cluster/leases';

/** One instance of a multi-instance deployment: a child process on the shared database. */
export interface Instance extends ChildServer {
  dataDir: string;
}

/** Starts an instance (the server in its own process) on `databaseUrl`. */
export async function startInstance(databaseUrl: string, env: Record<string, string> = {}): Promise<Instance> {
  const dataDir = await tempDir('cg-instance-');
  // A generous start-up time: several instances start at once on a shared, busy machine.
  const child = await startChildServer(dataDir, { DATABASE_URL: databaseUrl, LEASE_IDLE_MS: '2000', ...env }, 90_000);
  return { ...child, dataDir };
}

export async function stopInstance(instance: Instance): Promise<void> {
  if (instance.process.exitCode === null && instance.process.signalCode === null) await instance.kill('SIGKILL');
  await removeDir(instance.dataDir);
}

/**
 * A round-robin TCP load balancer on 127.0.0.1, as an operator would put in front of the
 * instances: each new connection goes to the next backend that accepts it.
 */
export class LoadBalancer {
  private server: Server | undefined;
  private next = 0;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(public backends: { http: string }[]) {}

  get http(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get ws(): string {
    return `ws://127.0.0.1:${this.port}/collab`;
  }

  async start(): Promise<void> {
    this.server = createServer((socket) => this.forward(socket, 0));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  private forward(client: Socket, tried: number): void {
    this.sockets.add(client);
    client.once('close', () => this.sockets.delete(client));
    client.on('error', () => {});
    if (this.backends.length === 0 || tried >= this.backends.length) return void client.destroy();
    const backend = new URL(this.backends[this.next++ % this.backends.length].http);
    client.pause();
    const upstream = connect(Number(backend.port), backend.hostname);
    this.sockets.add(upstream);
    upstream.once('close', () => this.sockets.delete(upstream));
    upstream.once('connect', () => {
      upstream.pipe(client).pipe(upstream);
      client.resume();
      upstream.on('error', () => client.destroy());
      upstream.once('close', () => client.destroy());
      client.once('close', () => upstream.destroy());
    });
    upstream.once('error', () => {
      if (upstream.readyState === 'open') return;
      client.removeAllListeners('close');
      this.forward(client, tried + 1);
    });
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The instance recorded as an agreement's owner, and the epoch of its lease. */
export async function leaseOf(databaseUrl: string, agreementId: string): Promise<{ ownerUrl?: string; epoch?: number }> {
  return withDatabase(databaseUrl, async (client) => {
    const { rows } = await client.query<{ owner_url: string; epoch: string }>('SELECT owner_url, epoch FROM leases WHERE agreement_id = $1', [agreementId]);
    return { ownerUrl: rows[0]?.owner_url, epoch: rows[0] ? Number(rows[0].epoch) : undefined };
  });
}

/** Runs `work` with a connection to the database. */
export async function withDatabase<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** An agreement's text as stored (its room's rows applied in order), as a string. */
export async function storedContent(databaseUrl: string, room: string): Promise<string> {
  const rows = await withDatabase(
    databaseUrl,
    async (c) => (await c.query<{ data: Buffer }>('SELECT data FROM room_updates WHERE room = $1 ORDER BY seq', [room])).rows,
  );
  const doc = new Y.Doc();
  for (const row of rows) Y.applyUpdate(doc, row.data);
  return contentString(doc);
}

/** Whether the instance at `server.http` holds the agreement's lease lock (PostgreSQL keeps a bigint advisory key as two 32-bit halves). */
export async function holdsLock(databaseUrl: string, server: { http: string }, agreementId: string): Promise<boolean> {
  const key = BigInt(lockKey(agreementId));
  const { rowCount } = await withDatabase(databaseUrl, (c) =>
    c.query(
      `SELECT 1 FROM pg_locks l JOIN pg_stat_activity s USING (pid)
       WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.classid = $1 AND l.objid = $2 AND s.application_name = $3`,
      [String((key >> 32n) & 0xffffffffn), String(key & 0xffffffffn), `common-ground lease ${server.http}`],
    ),
  );
  return rowCount === 1;
}
