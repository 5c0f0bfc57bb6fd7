import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../log';
import type { Fence, LeaseStore } from '../storage/fence';

/** What acquiring an agreement's lease found: this instance holds it, or another one may. */
export type LeaseResult = { held: true } | { held: false; ownerUrl: string | undefined };

/** A 64-bit advisory lock key per agreement (hashtext's 32 bits would let two agreements collide). */
export function lockKey(agreementId: string): string {
  return createHash('sha256').update(`common-ground:agreement:${agreementId}`).digest().readBigInt64BE(0).toString();
}

/**
 * One owner per agreement. The lease is a PostgreSQL session-level advisory lock held on a
 * connection of its own (PostgreSQL lets go of it the moment this process dies or the
 * connection is cut), plus an epoch in `leases` that grows with every new holder and that
 * every write checks ({@link Fence}). When the connection is lost, every lease is lost
 * with it: listeners drop those agreements at once, and any write still under way fails on
 * the epoch as soon as another instance takes over.
 */
export class LeaseManager implements Fence {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly held = new Map<string, number>();
  private readonly acquiring = new Map<string, Promise<LeaseResult>>();
  /** Called with each agreement whose lease this instance lost. */
  readonly onLost: ((agreementId: string) => void)[] = [];
  private closed = false;
  /** Until when this instance takes no lease after losing its connection (Date.now()). */
  private quietUntil = 0;

  constructor(
    private readonly url: string,
    private readonly store: LeaseStore,
    /** This instance's internal address, recorded with each lease so the others can forward to it. */
    private readonly instanceUrl: () => string,
    private readonly log: Logger,
    {
      graceMs = 1000,
      deadlineMs = 3000,
    }: {
      /**
       * After losing its lock connection an instance takes no lease for this long: whatever cut
       * it off (a network partition, an overloaded process) may strike again, so the agreements
       * go to the instances that kept their connection when there are any.
       */
      graceMs?: number;
      /** Longest wait for the lock connection to connect or answer (a database cut off answers nothing). */
      deadlineMs?: number;
    } = {},
  ) {
    this.graceMs = graceMs;
    this.deadlineMs = deadlineMs;
  }
  private readonly graceMs: number;
  private readonly deadlineMs: number;

  epochOf(agreementId: string): number | undefined {
    return this.held.get(agreementId);
  }

  heldAgreements(): string[] {
    return [...this.held.keys()];
  }

  /** Takes the agreement's lease when nobody holds it; otherwise says who recorded it last. */
  acquire(agreementId: string): Promise<LeaseResult> {
    if (this.held.has(agreementId)) return Promise.resolve({ held: true });
    let pending = this.acquiring.get(agreementId);
    if (!pending) {
      pending = this.tryAcquire(agreementId).finally(() => this.acquiring.delete(agreementId));
      this.acquiring.set(agreementId, pending);
    }
    return pending;
  }

  private async tryAcquire(agreementId: string): Promise<LeaseResult> {
    if (this.closed) throw new Error('lease manager closed');
    if (Date.now() < this.quietUntil) return this.heldElsewhere(agreementId);
    const client = await this.connection();
    const key = lockKey(agreementId);
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
    if (!rows[0].locked) return this.heldElsewhere(agreementId);
    try {
      const epoch = await this.store.claimLease(agreementId, this.instanceUrl());
      // The connection (and with it the lock) may have died while the epoch was being claimed.
      if (this.client !== client) throw new Error('lease connection lost while claiming');
      this.held.set(agreementId, epoch);
      this.log.info({ agreementId, epoch }, 'lease acquired');
      return { held: true };
    } catch (err) {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => {});
      throw err;
    }
  }

  /** Who holds the lease, as last recorded; a record naming this instance is stale (it would forward to itself). */
  private async heldElsewhere(agreementId: string): Promise<LeaseResult> {
    const ownerUrl = await this.store.leaseOwner(agreementId);
    return { held: false, ownerUrl: ownerUrl === this.instanceUrl() ? undefined : ownerUrl };
  }

  /** Gives the lease back (its rooms are unloaded): the next instance asked takes it. */
  async release(agreementId: string): Promise<void> {
    if (!this.held.delete(agreementId)) return;
    await this.client?.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey(agreementId)]).catch(() => {});
    this.log.debug({ agreementId }, 'lease released');
  }

  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      // Named after the instance, so an operator can tell whose locks a connection holds.
      const client = new pg.Client({
        connectionString: this.url,
        application_name: `common-ground lease ${this.instanceUrl()}`.slice(0, 63),
        connectionTimeoutMillis: this.deadlineMs,
        query_timeout: this.deadlineMs,
      });
      client.on('error', (err) => this.lose(client, err));
      client.on('end', () => this.lose(client, new Error('lease connection ended')));
      try {
        await client.connect();
      } catch (err) {
        void client.end().catch(() => {});
        throw err;
      }
      this.client = client;
      return client;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** The lock connection is gone, and every advisory lock with it. */
  private lose(client: pg.Client, err: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.quietUntil = Date.now() + this.graceMs;
    void client.end().catch(() => {});
    const lost = [...this.held.keys()];
    this.held.clear();
    if (!this.closed) this.log.warn({ err, agreements: lost.length }, 'lease connection lost: every lease with it');
    for (const agreementId of lost) {
      for (const listener of this.onLost) listener(agreementId);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.held.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}
