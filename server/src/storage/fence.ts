/**
 * Fencing for storage shared by several instances: the epoch of the lease this instance
 * holds on an agreement. Every write for an agreement checks it in the same transaction,
 * so an instance that lost its lease (a newer epoch exists) can no longer write for it.
 */
export interface Fence {
  /** The epoch held on `agreementId`, or undefined when this instance does not hold its lease. */
  epochOf(agreementId: string): number | undefined;
}

/** A write refused because this instance does not (or no longer) own the agreement. */
export class LeaseLostError extends Error {
  readonly statusCode = 503;
  constructor(
    readonly agreementId: string,
    readonly why: 'not held' | 'stale epoch',
  ) {
    super(`this instance no longer owns agreement ${agreementId} (${why})`);
  }
}

/** The agreement a room belongs to: room names start with the agreement id (`<id>.records`, `<id>.authorship`…). */
export function agreementOfRoom(room: string): string {
  return room.split('.')[0];
}

/** Where leases are recorded: the fencing epoch and the owner's address, in the shared database. */
export interface LeaseStore {
  /** Records this instance as the agreement's owner with a new, higher epoch; returns it. */
  claimLease(agreementId: string, ownerUrl: string): Promise<number>;
  /** The address of the instance that last claimed the agreement. */
  leaseOwner(agreementId: string): Promise<string | undefined>;
}
