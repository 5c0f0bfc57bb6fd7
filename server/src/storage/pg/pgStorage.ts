import pg from 'pg';
import type { AuditEntry } from '#shared/access';
import type { AgreementRecord, LogMark, PersonChange, PersonRecord, PersonUpdate, SnapshotRecord, Storage, StoredState } from '../port';
import { changePerson, insertPerson } from './people';
import { LeaseLostError, agreementOfRoom, type Fence, type LeaseStore } from '../fence';
import { migrate } from './migrate';
import { isTransient, retrying } from './retry';
import { StorageUnavailableError } from '../unavailable';
import { SerialByKey } from '../../serialByKey';

export interface PgStorageOptions {
  /** postgres://… (DATABASE_URL). */
  url: string;
  /** Schema the tables live in (created when missing); default `public`. */
  schema?: string;
  /** The leases of this instance; without one (a single instance) writes are not fenced. */
  fence?: Fence;
  /** Told about failed attempts that are retried (PostgreSQL restarting or unreachable). */
  onError?: (err: unknown) => void;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /**
   * How long an operation waits for an unreachable database before it fails with
   * StorageUnavailableError (HTTP 503; a room drops its connections, which reconnect). Default 3 s.
   */
  deadlineMs?: number;
}

export const DEFAULT_STORAGE_DEADLINE_MS = 3000;

const FENCED_APPEND = `
  WITH lease AS (SELECT 1 FROM leases WHERE agreement_id = $1 AND epoch = $2 FOR SHARE)
  INSERT INTO room_updates (room, data) SELECT $3, $4 FROM lease`;
const LEASE_CHECK = 'SELECT 1 FROM leases WHERE agreement_id = $1 AND epoch = $2 FOR SHARE';

const bytes = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
const view = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/**
 * Storage in PostgreSQL, shared by every instance. Each room update is committed on its
 * own (one INSERT, which checks the lease epoch in the same statement) before the room
 * relays it; the room batches the updates of one event-loop turn, and of every turn that
 * passes while a commit is under way, so a busy room commits in groups. Work that fails
 * because PostgreSQL is restarting or unreachable is retried for up to `deadlineMs`, then
 * fails with {@link StorageUnavailableError}; nothing is relayed meanwhile.
 */
export class PgStorage implements Storage, LeaseStore {
  private readonly chains = new SerialByKey();
  private readonly logLengths = new Map<string, number>();
  private fence?: Fence;
  private readonly onError: (err: unknown) => void;
  private readonly deadlineMs: number;
  private closed = false;

  private constructor(
    readonly pool: pg.Pool,
    options: PgStorageOptions,
  ) {
    this.fence = options.fence;
    this.onError = options.onError ?? ((err) => console.error(err));
    this.deadlineMs = options.deadlineMs ?? DEFAULT_STORAGE_DEADLINE_MS;
  }

  /** Connects, creates the schema when asked, and applies pending migrations. */
  static async open(options: PgStorageOptions): Promise<PgStorage> {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      // A database cut off by the network would otherwise keep a new connection waiting for ever.
      connectionTimeoutMillis: options.deadlineMs ?? DEFAULT_STORAGE_DEADLINE_MS,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // An idle connection cut by a restart must not crash the process; the next query reconnects.
    pool.on('error', (err) => (options.onError ?? console.error)(err));
    // Nor one cut just as the pool hands it out: the pool's listener is off from then, and a FATAL
    // read before the caller listens (a restart, a failover) was an uncaught 'error' that stopped the
    // server. So every connection listens from its first moment; the error also fails the next
    // query on it, which the retry answers with a new connection.
    pool.on('connect', (client) => client.on('error', () => undefined));
    try {
      await migrate(pool, options.schema);
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PgStorage(pool, options);
  }

  /** Fences every later write with the leases of this instance (set once, before any write). */
  useFence(fence: Fence): void {
    this.fence = fence;
  }

  private epoch(agreementId: string): number | undefined {
    if (!this.fence) return undefined;
    const epoch = this.fence.epochOf(agreementId);
    if (epoch === undefined) throw new LeaseLostError(agreementId, 'not held');
    return epoch;
  }

  /** Runs the writes of one room in order, so appends and compactions never interleave. */
  private serial<T>(room: string, work: () => Promise<T>): Promise<T> {
    return this.chains.run(room, work);
  }

  /** Retries transient failures, giving up with StorageUnavailableError after the deadline. */
  private retry<T>(work: () => Promise<T>): Promise<T> {
    return retrying(work, { stop: () => this.closed, onRetry: this.onError, deadlineMs: this.deadlineMs });
  }

  /** A transaction that first checks (and share-locks) the lease of `agreementId` when fenced. */
  private transaction<T>(agreementId: string | undefined, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.retry(async () => {
      const epoch = agreementId === undefined ? undefined : this.epoch(agreementId);
      const client = await this.pool.connect();
      let broken = false;
      // Taken out of the pool, the client has no listener of the pool's: a connection dropped
      // mid-transaction (a restart, a failover) would be an uncaught 'error' and stop the server.
      // Its query fails too, and the retry takes a new connection.
      const dropped = () => (broken = true);
      client.on('error', dropped);
      try {
        await client.query('BEGIN');
        if (epoch !== undefined) {
          const held = await client.query(LEASE_CHECK, [agreementId, epoch]);
          if (held.rowCount === 0) throw new LeaseLostError(agreementId!, 'stale epoch');
        }
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        broken ||= isTransient(err);
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw err;
      } finally {
        client.off('error', dropped);
        client.release(broken);
      }
    });
  }

  async loadRoom(room: string): Promise<Uint8Array[]> {
    return this.serial(room, async () => {
      const { rows } = await this.retry(() => this.pool.query<{ data: Buffer }>('SELECT data FROM room_updates WHERE room = $1 ORDER BY seq', [room]));
      // Only logs holding something are noted: a note for every room ever opened would stay for good.
      if (rows.length > 0) this.logLengths.set(room, rows.length);
      else this.logLengths.delete(room);
      return rows.map((r) => view(r.data));
    });
  }

  appendUpdate(room: string, update: Uint8Array): Promise<void> {
    this.logLengths.set(room, (this.logLengths.get(room) ?? 0) + 1);
    const agreementId = agreementOfRoom(room);
    return this.serial(room, () =>
      this.retry(async () => {
        const epoch = this.epoch(agreementId);
        if (epoch === undefined) {
          await this.pool.query('INSERT INTO room_updates (room, data) VALUES ($1, $2)', [room, bytes(update)]);
          return;
        }
        const inserted = await this.pool.query(FENCED_APPEND, [agreementId, epoch, room, bytes(update)]);
        if (inserted.rowCount === 0) throw new LeaseLostError(agreementId, 'stale epoch');
      }),
    );
  }

  pendingLogLength(room: string): number {
    return this.logLengths.get(room) ?? 0;
  }

  /**
   * The room's highest `seq`, read in the room's queue: the appends called before are committed by
   * then, those called after wait behind it. One instance appends to a room at a time (the lease), one
   * after another, so a room's `seq` grows in the order its records were committed.
   */
  logMark(room: string): Promise<LogMark> {
    return this.serial(room, async () => {
      const { rows } = await this.retry(() =>
        this.pool.query<{ seq: string }>('SELECT coalesce(max(seq), 0) AS seq FROM room_updates WHERE room = $1', [room]),
      );
      return Number(rows[0].seq) as LogMark;
    });
  }

  /**
   * One transaction (fenced by the lease): the state goes in, the rows it replaces go out. Up to a
   * mark, the state takes the mark's own `seq`, so it loads before the rows kept after it; when
   * nothing at or before the mark is left, a later compaction replaced it and this state is older.
   */
  async compactRoom(room: string, state: Uint8Array, upTo?: LogMark): Promise<void> {
    const replaced = await this.serial(room, () =>
      this.transaction(this.fence ? agreementOfRoom(room) : undefined, async (client) => {
        if (upTo === undefined) {
          const deleted = await client.query('DELETE FROM room_updates WHERE room = $1', [room]);
          await client.query('INSERT INTO room_updates (room, data) VALUES ($1, $2)', [room, bytes(state)]);
          return deleted.rowCount ?? 0;
        }
        const deleted = await client.query('DELETE FROM room_updates WHERE room = $1 AND seq <= $2', [room, upTo]);
        if (deleted.rowCount === 0 && upTo > 0) return 0;
        await client.query('INSERT INTO room_updates (room, seq, data) VALUES ($1, $2, $3)', [room, upTo, bytes(state)]);
        return deleted.rowCount ?? 0;
      }),
    );
    // The rows after a mark stay in the log; appends called meanwhile were counted as they were called.
    const left = upTo === undefined ? 0 : (this.logLengths.get(room) ?? 0) - replaced;
    if (left > 0) this.logLengths.set(room, left);
    else this.logLengths.delete(room);
  }

  async createAgreement(record: AgreementRecord): Promise<void> {
    await this.retry(() => this.pool.query('INSERT INTO agreements (id, record) VALUES ($1, $2)', [record.id, JSON.stringify(record)]));
  }

  async getAgreement(id: string): Promise<AgreementRecord | undefined> {
    const { rows } = await this.retry(() => this.pool.query<{ record: AgreementRecord }>('SELECT record FROM agreements WHERE id = $1', [id]));
    return rows[0]?.record;
  }

  async addPerson(agreementId: string, person: PersonRecord): Promise<void> {
    await this.transaction(this.fence ? agreementId : undefined, (client) => insertPerson(client, agreementId, person));
  }

  /** One transaction with the agreement's row locked (see changePerson); retried whole, `change` included, when the database drops it. */
  updatePerson(agreementId: string, personId: string, change: PersonChange): Promise<PersonUpdate | undefined> {
    return this.transaction(this.fence ? agreementId : undefined, (client) => changePerson(client, agreementId, personId, change));
  }

  /**
   * Not fenced: an entry is a fact of what this instance saw, true whoever holds the lease when it lands.
   * Fenced, the last person's leave (written after its 60 s grace, the agreement idle since 30 s) was lost.
   */
  async appendAudit(agreementId: string, entry: AuditEntry): Promise<void> {
    await this.retry(() => this.pool.query('INSERT INTO audit_log (agreement_id, entry) VALUES ($1, $2)', [agreementId, JSON.stringify(entry)]));
  }

  async listAudit(agreementId: string): Promise<AuditEntry[]> {
    const { rows } = await this.retry(() =>
      this.pool.query<{ entry: AuditEntry }>('SELECT entry FROM audit_log WHERE agreement_id = $1 ORDER BY seq', [agreementId]),
    );
    return rows.map((r) => r.entry);
  }

  async saveSnapshot(record: SnapshotRecord, state: Uint8Array): Promise<void> {
    await this.transaction(this.fence ? record.agreementId : undefined, (client) =>
      client.query('INSERT INTO snapshots (agreement_id, id, record, state) VALUES ($1, $2, $3, $4)', [
        record.agreementId,
        record.id,
        JSON.stringify(record),
        bytes(state),
      ]),
    );
  }

  async listSnapshots(agreementId: string): Promise<SnapshotRecord[]> {
    const { rows } = await this.retry(() =>
      // The port lists snapshots without their context (megabytes each); loadSnapshot has it.
      this.pool.query<{ record: SnapshotRecord }>("SELECT record - 'context' AS record FROM snapshots WHERE agreement_id = $1 ORDER BY seq", [agreementId]),
    );
    return rows.map((r) => r.record);
  }

  async loadSnapshot(agreementId: string, id: string): Promise<{ record: SnapshotRecord; state: Uint8Array } | undefined> {
    const { rows } = await this.retry(() =>
      this.pool.query<{ record: SnapshotRecord; state: Buffer }>('SELECT record, state FROM snapshots WHERE agreement_id = $1 AND id = $2', [agreementId, id]),
    );
    return rows[0] ? { record: rows[0].record, state: view(rows[0].state) } : undefined;
  }

  async snapshotStates(agreementId: string): Promise<Map<string, StoredState>> {
    // xmin is the transaction that wrote the row's current version: any UPDATE of the state makes a
    // new one. octet_length reads a stored value's size without fetching it.
    const { rows } = await this.retry(() =>
      this.pool.query<{ id: string; bytes: number; stamp: string }>(
        'SELECT id, octet_length(state) AS bytes, xmin::text AS stamp FROM snapshots WHERE agreement_id = $1',
        [agreementId],
      ),
    );
    return new Map(rows.map((r) => [r.id, { bytes: Number(r.bytes), stamp: r.stamp }]));
  }

  /** One secret for every instance: the first to start stores it, the others read it. */
  async loadSecret(generate: () => string): Promise<string> {
    // At start-up: wait for the database as long as it takes, as the migrations did.
    return retrying(
      async () => {
        await this.pool.query("INSERT INTO settings (key, value) VALUES ('auth-secret', $1) ON CONFLICT (key) DO NOTHING", [generate()]);
        const { rows } = await this.pool.query<{ value: string }>("SELECT value FROM settings WHERE key = 'auth-secret'");
        return rows[0].value;
      },
      { stop: () => this.closed, onRetry: this.onError },
    );
  }

  /** A new, higher epoch for the agreement's lease, recorded with the owner's address (one statement, so it waits for writes holding the old one). */
  async claimLease(agreementId: string, ownerUrl: string): Promise<number> {
    const { rows } = await this.retry(() =>
      this.pool.query<{ epoch: string }>(
        `INSERT INTO leases (agreement_id, epoch, owner_url) VALUES ($1, 1, $2)
       ON CONFLICT (agreement_id) DO UPDATE SET epoch = leases.epoch + 1, owner_url = EXCLUDED.owner_url, acquired_at = now()
       RETURNING epoch`,
        [agreementId, ownerUrl],
      ),
    );
    return Number(rows[0].epoch);
  }

  async leaseOwner(agreementId: string): Promise<string | undefined> {
    const { rows } = await this.retry(() => this.pool.query<{ owner_url: string }>('SELECT owner_url FROM leases WHERE agreement_id = $1', [agreementId]));
    return rows[0]?.owner_url;
  }

  /** Answers once the database does; StorageUnavailableError when it does not within the deadline (for /api/health). */
  async probe(): Promise<void> {
    if (this.closed) throw new StorageUnavailableError(new Error('storage closed'));
    await this.retry(() => this.pool.query('SELECT 1'));
  }

  /** Waits for every write under way. */
  async flush(): Promise<void> {
    await this.chains.allIdle();
  }

  /** Waits for writes under way and disconnects (a second call does nothing). */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await this.pool.end();
  }
}
