import * as Y from 'yjs';

type DeleteRange = { clock: number; len: number };

/** How many local changes the server has not confirmed yet, and since when. */
export interface UnsentSummary {
  count: number;
  /** Date.now() of the oldest unconfirmed change; undefined when all are confirmed. */
  since?: number;
}

/**
 * Tracks which local changes the server has stored. The server echoes every update it stores
 * to every connection, its sender included, and announces its state vector on each connect:
 * a change is confirmed once the server's clocks cover what it inserted and a server message
 * has carried what it deleted.
 */
export class UnsentChanges {
  private readonly confirmed = new Map<number, number>();
  private readonly wanted = new Map<number, number>();
  private deletes: { client: number; range: DeleteRange }[] = [];
  private count = 0;
  private since: number | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly doc: Y.Doc,
    /** Origins of changes that came from the server (the provider), which need no confirming. */
    private readonly isRemote: (origin: unknown) => boolean,
  ) {
    doc.on('update', this.onUpdate);
  }

  get summary(): UnsentSummary {
    return { count: this.count, since: this.since };
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The server's state vector (it holds at least this). */
  serverState(stateVector: Map<number, number>): void {
    for (const [client, clock] of stateVector) this.confirm(client, clock);
    this.settle();
  }

  /** An update the server sent: it holds these structs and deletions. */
  serverUpdate(update: Uint8Array): void {
    // With nothing waiting, an update confirms nothing: a later local change is newer than all it
    // holds. Reading it would cost the whole of it again, and the first sync of a long, much
    // reworded text is a megabyte read in the task that shows it (80 ms of a 1.3 s freeze).
    if (this.wanted.size === 0 && this.deletes.length === 0) return;
    const { to } = Y.parseUpdateMeta(update);
    for (const [client, clock] of to) this.confirm(client, clock);
    if (this.deletes.length > 0) {
      const { ds } = Y.decodeUpdate(update);
      const received = ds.clients as Map<number, DeleteRange[]>;
      for (const ranges of received.values()) ranges.sort((a, b) => a.clock - b.clock);
      // A search per waiting deletion: a text reworded for months holds tens of thousands of
      // deleted ranges, and comparing every waiting one with every received one took seconds.
      this.deletes = this.deletes.filter(({ client, range }) => !covers(received.get(client), range));
    }
    this.settle();
  }

  /** Whether the server may lack some of the `length` items this device wrote from `clock` on as `client`. */
  isUnconfirmed(client: number, clock: number, length: number): boolean {
    return this.wanted.has(client) && clock + length > (this.confirmed.get(client) ?? 0);
  }

  destroy(): void {
    this.doc.off('update', this.onUpdate);
    this.listeners.clear();
  }

  /**
   * Read off the transaction, not the update's bytes: they say the same (Yjs writes them from it),
   * and decoding them twice cost 32 ms of the task that applies this device's stored copy of a
   * 60-page text on a return visit.
   */
  private readonly onUpdate = (_update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
    if (this.isRemote(origin)) return;
    let news = false;
    for (const [client, clock] of transaction.afterState) {
      if (clock === (transaction.beforeState.get(client) ?? 0)) continue;
      if (clock > (this.confirmed.get(client) ?? 0)) {
        this.wanted.set(client, Math.max(clock, this.wanted.get(client) ?? 0));
        news = true;
      }
    }
    for (const [client, ranges] of transaction.deleteSet.clients as Map<number, DeleteRange[]>) {
      for (const range of ranges) this.deletes.push({ client, range: { clock: range.clock, len: range.len } });
      news ||= ranges.length > 0;
    }
    if (!news) return;
    this.count++;
    this.since ??= Date.now();
    this.emit();
  };

  private confirm(client: number, clock: number): void {
    if (clock > (this.confirmed.get(client) ?? 0)) this.confirmed.set(client, clock);
    if ((this.wanted.get(client) ?? 0) <= clock) this.wanted.delete(client);
  }

  private settle(): void {
    if (this.count === 0 || this.wanted.size > 0 || this.deletes.length > 0) return;
    this.count = 0;
    this.since = undefined;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

/** Whether one of `ranges` (sorted by clock) holds all of `range`. */
function covers(ranges: DeleteRange[] | undefined, range: DeleteRange): boolean {
  if (!ranges) return false;
  // The last range starting at or before `range` is the only one that can hold it: received ranges do not overlap.
  let low = 0;
  let high = ranges.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (ranges[middle].clock <= range.clock) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found >= 0 && range.clock + range.len <= ranges[found].clock + ranges[found].len;
}
