import type { Logger } from '../log';
import type { RoomManager } from '../rooms/RoomManager';
import type { LeaseManager } from './leases';

/** Where an agreement is served: here, or by the instance at `ownerUrl` (unknown while nobody can tell). */
export type Route = { local: true } | { local: false; ownerUrl: string | undefined };

/** Decides which instance serves each agreement. */
export interface Ownership {
  /** Several instances share the data (PostgreSQL), so requests may have to be forwarded. */
  readonly clustered: boolean;
  route(agreementId: string): Promise<Route>;
  /** Keeps the agreement's lease while work for it runs here (a request being served); call the answer when it is done. */
  hold(agreementId: string): () => void;
  close(): Promise<void>;
}

/** One process with its own data (lowdb): it serves everything itself. */
export class SoloOwnership implements Ownership {
  readonly clustered = false;
  async route(): Promise<Route> {
    return { local: true };
  }
  hold(): () => void {
    return () => {};
  }
  async close(): Promise<void> {}
}

/**
 * Several instances on one database: an agreement is served where its lease is held,
 * taken by whichever instance is asked first while nobody holds it. A lease whose
 * agreement has had no room open here for `idleMs` is given back, so they do not pile up.
 * A lost lease drops the agreement's rooms here at once.
 */
export class LeasedOwnership implements Ownership {
  readonly clustered = true;
  private readonly lastUsed = new Map<string, number>();
  /** Requests being served here, by agreement: a slow one (an export, a diff) may hold no room while it works. */
  private readonly busy = new Map<string, number>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly leases: LeaseManager,
    private readonly rooms: RoomManager,
    /** Whether an agreement exists: no lease is taken for an id nobody created. */
    private readonly exists: (agreementId: string) => Promise<boolean>,
    private readonly log: Logger,
    private readonly idleMs: number,
  ) {
    leases.onLost.push((agreementId) => {
      this.lastUsed.delete(agreementId);
      void rooms.dropAgreement(agreementId, 'lease lost');
    });
    this.sweeper = setInterval(() => void this.releaseIdle(), Math.max(250, Math.min(idleMs / 2, 10_000)));
    this.sweeper.unref();
  }

  async route(agreementId: string): Promise<Route> {
    if (this.leases.epochOf(agreementId) === undefined && !(await this.exists(agreementId))) return { local: true };
    const result = await this.leases.acquire(agreementId);
    // Only what it serves: every id anyone asked about (made up, or served elsewhere) was kept for good.
    if (result.held) this.lastUsed.set(agreementId, Date.now());
    return result.held ? { local: true } : { local: false, ownerUrl: result.ownerUrl };
  }

  hold(agreementId: string): () => void {
    this.busy.set(agreementId, (this.busy.get(agreementId) ?? 0) + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const left = this.busy.get(agreementId)! - 1;
      if (left > 0) this.busy.set(agreementId, left);
      else this.busy.delete(agreementId);
      // Idle from the end of the work, not its start.
      if (this.leases.epochOf(agreementId) !== undefined) this.lastUsed.set(agreementId, Date.now());
    };
  }

  /** How many agreements it keeps a time or a count for (for tests: only those whose lease it holds). */
  get agreementsRemembered(): number {
    return new Set([...this.lastUsed.keys(), ...this.busy.keys()]).size;
  }

  private async releaseIdle(): Promise<void> {
    const open = this.rooms.openAgreements();
    const now = Date.now();
    for (const agreementId of this.leases.heldAgreements()) {
      // Released under a request still at work, its last writes (a snapshot being stored) failed on the fence.
      if (open.has(agreementId) || this.busy.has(agreementId) || now - (this.lastUsed.get(agreementId) ?? 0) < this.idleMs) continue;
      this.lastUsed.delete(agreementId);
      await this.leases.release(agreementId).catch((err: unknown) => this.log.warn({ err, agreementId }, 'releasing a lease failed'));
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await this.leases.close();
  }
}
