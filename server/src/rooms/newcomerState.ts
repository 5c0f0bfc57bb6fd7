import * as Y from 'yjs';
import { mergeMany } from './mergeUpdates';

/**
 * A room's whole state from this size on is kept, encoded, for newcomers. Encoding it anew
 * for each one held the event loop, and every other person's keystrokes with it: 46 ms a
 * newcomer for 40 pages reworded for months (1.1 MB), against 6 ms for 40 pages written
 * once (172 KB). Below this size the copy would cost more memory than the encoding costs time.
 */
export const KEEP_FROM_BYTES = 128 * 1024;

/** Once the changes since the kept state outgrow this share of it, the next newcomer encodes anew. */
const TAIL_SHARE = 1 / 8;
/** Deletions noted between two newcomers, at most; past it the next newcomer gets the whole state encoded anew. */
const MAX_UNSORTED_DELETIONS = 10_000;

/** A batch of changes relayed, with the last change it holds. */
interface Batch {
  update: Uint8Array;
  upTo: number;
}

/** A writer's earliest clock a transaction deleted, and the change it came in. */
interface Deletion {
  client: number;
  clock: number;
  at: number;
}

/** What a newcomer holding nothing is sent: the whole state as of change `upTo`, then what changed since. */
export interface NewcomerAnswer {
  state: Uint8Array;
  upTo: number;
  since: Uint8Array | undefined;
}

/**
 * The whole state of a room, encoded once and shared by every newcomer who holds nothing (a
 * first visit, a stock client): the state as of one change, and the batches relayed since.
 * The same content as a fresh encoding, so a newcomer ends in the same state.
 */
export class NewcomerState {
  private state: { update: Uint8Array; upTo: number } | undefined;
  /** Batches relayed after the kept state, in order, each with the last change it holds; merged into one when a newcomer asks. */
  private since: Batch[] = [];
  /** The last change relayed. */
  private latest = 0;
  /**
   * Deletions noted since the kept state, with the change each came in: a state a compaction encoded
   * away, as of an earlier change, needs those made after it (see {@link offer}).
   */
  private recent: Deletion[] = [];
  private recentOverflow = false;
  private sinceBytes = 0;
  /** Something the kept state holds was deleted since: its words are still in it. */
  private holdsDeleted = false;
  /** Something written after the kept state was deleted since: its words are in the batches since, not in the state. */
  private sinceHoldsDeleted = false;
  /**
   * Deletions not yet sorted into the two above: sorting needs the kept state's vector, read from its
   * bytes, which is a newcomer's cost to pay, not the deleting keystroke's.
   */
  private unsorted: Deletion[] = [];
  /** The kept state's state vector: the room's when it was kept, or read from its bytes the first time a deletion needs it. */
  private keptVector: { encoded: Uint8Array; clocks: Map<number, number> } | undefined;

  /**
   * `roomVector`: the room's state vector now, which is the kept state's whenever the state kept is the room's
   * whole state at that moment. Reading it from the kept bytes instead decodes all of them: 17 to 34 ms for 40
   * pages reworded for months (1.1 MB), paid by the first newcomer after a correction, on the event loop.
   */
  constructor(private readonly roomVector?: () => Uint8Array) {}

  /**
   * The kept answer, or a fresh one from `encode` (the whole state as of change `upTo`, the
   * room's latest), kept when big enough. `encodeSince` encodes the room's changes after a state
   * vector, as the room holds them now: deleted words are no longer in it. It need carry no deletion
   * of what the kept state holds (those make the whole state encoded anew): changesSince.ts.
   */
  answer(encode: () => Uint8Array, upTo: number, encodeSince?: (stateVector: Uint8Array) => Uint8Array): NewcomerAnswer {
    this.sortDeletions();
    if (this.holdsDeleted || (this.sinceHoldsDeleted && !encodeSince)) this.forget();
    if (!this.state) {
      const update = encode();
      if (update.length < KEEP_FROM_BYTES) {
        this.recent = this.recent.filter((deletion) => deletion.at > upTo);
        return { state: update, upTo, since: undefined };
      }
      this.keep(update, upTo, this.roomVector?.());
      return { state: update, upTo, since: undefined };
    }
    if (this.sinceHoldsDeleted && encodeSince) {
      // Typing corrected (the common deletion): only the changes since are encoded anew, a fraction
      // of the whole state's cost (a 40-page text reworded for months: the whole took 100 ms or more
      // a newcomer while others typed). Batches relayed after this may repeat some: harmless in Yjs.
      const since = encodeSince(this.vector().encoded);
      this.since = [{ update: since, upTo }];
      this.sinceBytes = since.length;
      this.sinceHoldsDeleted = false;
    }
    if (this.since.length > 1) this.since = [{ update: mergeMany(this.since.map((batch) => batch.update)), upTo: this.since[this.since.length - 1].upTo }];
    return { state: this.state.update, upTo: this.state.upTo, since: this.since[0]?.update };
  }

  /**
   * What a room was loaded from, in order (its stored state, then its log): a first update big
   * enough is kept, the rest as the changes since, so even the first newcomer costs no encoding
   * (unless the log deletes something). Their sum is the whole text whatever the first one is.
   */
  loaded(stored: Uint8Array[]): void {
    if (stored.length === 0 || stored[0].length < KEEP_FROM_BYTES) return;
    // Loaded from the stored state alone, the room holds exactly it; with a log after it, more.
    this.keep(ownBytes(stored[0]), 0, stored.length === 1 ? this.roomVector?.() : undefined);
    for (const update of stored.slice(1)) this.relayed(ownBytes(update), 1);
    // A log that deletes holds the deleted words as they were written: kept for readers, not for newcomers.
    this.holdsDeleted = stored.slice(1).some(deletesAnything);
  }

  /**
   * The same as {@link answer}, with the changes since as the batches they came in: a reader
   * that applies them in order (the document worker) needs no merge on the main thread.
   */
  parts(encode: () => Uint8Array, upTo: number): Uint8Array[] {
    return this.keptParts() ?? [this.answer(encode, upTo).state];
  }

  /** The kept state and the batches since, when a state is kept: the whole text with no encoding. */
  keptParts(): Uint8Array[] | undefined {
    return this.state && [this.state.update, ...this.since.map((batch) => batch.update)];
  }

  /**
   * The room's whole state as of change `upTo`, encoded for another reason (a compaction), with its
   * state vector when known: kept if big enough, at no cost. Encoded away while people typed, it is
   * older than the batches relayed meanwhile: they are kept after it, and the deletions made meanwhile
   * are sorted against it at the next newcomer (its bytes still hold their words). When those batches
   * are not all known here (no state was kept, or a newer one is), it is not kept.
   */
  offer(update: Uint8Array, upTo: number, vector: Uint8Array | undefined): void {
    if (update.length < KEEP_FROM_BYTES) return;
    let after: Batch[] = [];
    if (upTo < this.latest) {
      if (!this.state || this.state.upTo > upTo) return;
      after = this.since.filter((batch) => batch.upTo > upTo);
    }
    const overflow = this.recentOverflow;
    this.keep(update, upTo, vector);
    this.since = after;
    this.sinceBytes = after.reduce((bytes, batch) => bytes + batch.update.length, 0);
    this.unsorted = [...this.recent];
    if (overflow) this.holdsDeleted = true;
  }

  /**
   * A batch of changes relayed to everyone, holding the changes up to `upTo`. A batch older
   * than the kept state changes nothing; one partly older is kept whole (applying a change
   * twice is harmless in Yjs).
   */
  relayed(update: Uint8Array, upTo: number): void {
    this.latest = Math.max(this.latest, upTo);
    if (!this.state) {
      // With no state kept, only a state as of the latest change can be offered: older deletions do not matter.
      if (this.recent.length > 0) this.recent = this.recent.filter((deletion) => deletion.at > this.latest);
      this.recentOverflow = false;
      return;
    }
    if (upTo <= this.state.upTo) return;
    this.since.push({ update, upTo });
    this.sinceBytes += update.length;
    if (this.sinceBytes > this.state.update.length * TAIL_SHARE) this.forget();
  }

  /**
   * Something was deleted: the kept state and the batches since still hold its words as they were
   * written (a comment deleted at once, a paste undone). A newcomer must not be sent them, whatever
   * its page shows: the next one is answered with the whole room encoded anew when the kept state
   * holds them, or else with the changes since encoded anew beside it. Only noted here (this runs in
   * the deleting person's keystroke); sorted at the next newcomer. The server's own readers
   * ({@link parts}) read them as the room does, and go on using them.
   */
  deleted(deleteSet: Y.Transaction['deleteSet'], at: number): void {
    // Only each writer's earliest deleted clock matters: below the kept state's, the state holds it.
    const earliest = [...deleteSet.clients].map(([client, ranges]): Deletion => ({
      client,
      clock: ranges.reduce((least: number, range: { clock: number }) => Math.min(least, range.clock), Infinity),
      at,
    }));
    if (this.recent.length + earliest.length <= MAX_UNSORTED_DELETIONS) this.recent.push(...earliest);
    else this.recentOverflow = true;
    if (!this.state || this.holdsDeleted) return;
    this.unsorted.push(...earliest);
    // A long run of deletions with no newcomer: past this many, the next one encodes the whole state anew.
    if (this.unsorted.length > MAX_UNSORTED_DELETIONS) {
      this.holdsDeleted = true;
      this.unsorted = [];
    }
  }

  private sortDeletions(): void {
    if (this.unsorted.length === 0 || !this.state) return;
    const { clocks } = this.vector();
    for (const { client, clock } of this.unsorted) {
      // An item the kept state holds has a clock below the state's for its writer.
      if (clock < (clocks.get(client) ?? 0)) this.holdsDeleted = true;
      else this.sinceHoldsDeleted = true;
    }
    this.unsorted = [];
  }

  private vector(): { encoded: Uint8Array; clocks: Map<number, number> } {
    if (!this.keptVector) {
      const encoded = Y.encodeStateVectorFromUpdate(this.state!.update);
      this.keptVector = { encoded, clocks: Y.decodeStateVector(encoded) };
    }
    return this.keptVector;
  }

  private forget(): void {
    this.holdsDeleted = this.sinceHoldsDeleted = false;
    this.unsorted = [];
    this.keptVector = undefined;
    this.state = undefined;
    this.since = [];
    this.sinceBytes = 0;
  }

  private keep(update: Uint8Array, upTo: number, vector: Uint8Array | undefined): void {
    this.holdsDeleted = this.sinceHoldsDeleted = false;
    this.unsorted = [];
    this.keptVector = vector && { encoded: vector, clocks: Y.decodeStateVector(vector) };
    this.state = { update, upTo };
    this.recent = this.recent.filter((deletion) => deletion.at > upTo);
    this.recentOverflow = false;
    this.since = [];
    this.sinceBytes = 0;
  }
}

/** Whether a SyncStep1's state vector names nothing: the sender holds no change at all. */
export function holdsNothing(stateVector: Uint8Array): boolean {
  return Y.decodeStateVector(stateVector).size === 0;
}

/**
 * A stored log's updates are views of the whole file read at load: kept as they are, they would
 * keep the file in memory, and each read posted to the worker would copy all of it.
 */
function ownBytes(update: Uint8Array): Uint8Array {
  return update.byteLength === update.buffer.byteLength ? update : update.slice();
}

/** Whether an update deletes anything (its delete set names something). */
function deletesAnything(update: Uint8Array): boolean {
  return Y.decodeUpdate(update).ds.clients.size > 0;
}
