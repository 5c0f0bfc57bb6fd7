import * as Y from 'yjs';
import type { LogMark, Storage } from '../storage/port';
import { mergeMany } from './mergeUpdates';

/** Compact once a room's log holds this many updates, so a cold load stays fast. */
export const COMPACT_AFTER_UPDATES = 2000;
/**
 * ...but not more often than this while the room is busy: encoding the whole state stalls
 * the event loop for milliseconds that grow with the document, and under a burst of typing
 * a compaction every second showed up in everyone's p99. Unload compacts regardless.
 */
const COMPACT_AT_MOST_EVERY_MS = 30_000;

/** What the room does with its changes once they are stored, and when storing fails. */
export interface RoomLogHooks {
  /** The changes up to `upTo`, merged as `merged`, are stored: send them out. */
  stored(merged: Uint8Array, upTo: number): void;
  /**
   * A compaction wrote `state`, the whole text holding every change up to `upTo` and none after (those
   * may have been relayed meanwhile); `vector` is its state vector when known.
   */
  compacted(state: Uint8Array, upTo: number, vector: Uint8Array | undefined): void;
  /** Storing failed for good (the lease is lost, the database is gone); told once. */
  failed(err: unknown): void;
  /**
   * The whole state as of the changes stored so far, encoded away from the event loop (the document
   * worker): what it encodes is taken at the call, and changes made meanwhile are not in it. Undefined
   * to encode it here, at once.
   */
  encodeAway?(): Promise<Uint8Array> | undefined;
}

/**
 * A room's changes on their way to storage, in order: the updates of one event-loop turn become
 * one stored record; with an adapter that commits asynchronously (PostgreSQL), later turns gather
 * until the commit under way is done (one commit per batch). Nothing is handed on before it is
 * stored, so nobody sees an edit the server could still lose. Also compacts the stored log.
 */
export class RoomLog {
  private outbox: Uint8Array[] = [];
  private flushScheduled = false;
  /** The commit under way when storage commits asynchronously; the next batch waits for it. */
  private storing: Promise<void> | undefined;
  private compacting: Promise<void> | undefined;
  /** Set while a compaction takes its state and mark: no commit starts, so the two name the same changes. */
  private paused = false;
  /** Works under way that hold storing back until they are done (see storeAfter). */
  private holds = 0;
  /** Changes seen, and how many of them are stored: {@link whenStored} waits for the second to catch up. */
  private seen = 0;
  private stored = 0;
  private waiters: { target: number; resolve: () => void; reject: (err: unknown) => void }[] = [];
  /** Why storing failed for good; nothing more is stored then. */
  private failure: { err: unknown } | undefined;
  /** When the log was last compacted (performance.now()); loading counts as a fresh start. */
  private lastCompactedAt = performance.now();
  /** How many compactions wrote a state encoded away from the event loop, and how many one encoded here (for tests and metrics). */
  readonly compactions = { away: 0, here: 0 };

  constructor(
    private readonly name: string,
    private readonly storage: Storage,
    private readonly doc: Y.Doc,
    private readonly hooks: RoomLogHooks,
  ) {}

  /** Changes seen so far (each doc update is one). */
  get changeCount(): number {
    return this.seen;
  }

  /** Changes stored so far. */
  get storedCount(): number {
    return this.stored;
  }

  /** Why storing failed, once it has. */
  get error(): { err: unknown } | undefined {
    return this.failure;
  }

  /** Takes one doc update; it is stored with the rest of this event-loop turn's. */
  add(update: Uint8Array): void {
    this.seen++;
    if (this.failure) return;
    this.outbox.push(update);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Stores what is waiting as one record, unless a commit is under way (it follows that one). */
  flush(): void {
    this.flushScheduled = false;
    if (this.storing || this.paused || this.holds > 0 || this.failure || this.outbox.length === 0) return;
    const updates = this.outbox;
    const upTo = this.seen;
    this.outbox = [];
    const merged = mergeMany(updates);
    let committing: void | Promise<void>;
    try {
      committing = this.storage.appendUpdate(this.name, merged);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (!committing) {
      this.markStored(merged, upTo);
      return;
    }
    this.storing = committing.then(
      () => {
        this.storing = undefined;
        this.markStored(merged, upTo);
        this.flush();
      },
      (err: unknown) => {
        this.storing = undefined;
        this.fail(err);
      },
    );
  }

  /**
   * Runs `work`, storing no change (so relaying none) until it is done: for a change that must not
   * reach the disk before something else does (a restore, before the text it replaces is kept).
   */
  async storeAfter<T>(work: () => Promise<T>): Promise<T> {
    this.holds++;
    try {
      return await work();
    } finally {
      this.holds--;
      this.flush();
    }
  }

  /** Resolves once every change seen so far is stored; rejects if storing fails first. */
  whenStored(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure.err);
    const target = this.seen;
    if (this.stored >= target) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ target, resolve, reject }));
    this.flush();
    return done;
  }

  /** Stops storing for good: what waits is dropped, and everyone waiting is told `err`. */
  fail(err: unknown): void {
    this.outbox = [];
    if (this.failure) return;
    this.failure = { err };
    for (const waiter of this.waiters.splice(0)) waiter.reject(err);
    this.hooks.failed(err);
  }

  /**
   * Replaces the stored records by one state (`force`: even with an empty log, after a repair). The
   * state is encoded in the document worker when the room offers it, from the changes stored so far:
   * it replaces only the records up to a mark taken at the same moment, and what is stored while it is
   * encoded stays after it. Encoding 40 pages reworded for months here held every room's keystrokes
   * for 35 to 116 ms. Updates still waiting for missing history are kept in a state encoded here, so
   * they neither block compaction nor get lost.
   */
  compact(force = false): Promise<void> {
    this.compacting ??= (async () => {
      try {
        if (this.failure) return;
        this.flush();
        await this.whenStored();
        if (!force && this.storage.pendingLogLength(this.name) === 0) return;
        this.lastCompactedAt = performance.now();
        const away = await this.atRest(() => ({ ...this.taken(this.stored), encoding: this.hooks.encodeAway?.() }));
        let { upTo, vector } = away;
        const [encoded, awayMark] = await Promise.all([away.encoding?.catch(() => undefined), away.mark]);
        let state = encoded;
        let mark = awayMark;
        if (this.failure) return;
        if (state) this.compactions.away++;
        else {
          // No worker, or it failed: encoded here, at once, holding every change made.
          const here = await this.atRest(() => ({ ...this.taken(this.seen), state: this.stateWithPending() }));
          ({ upTo, vector, state } = here);
          mark = await here.mark;
          this.compactions.here++;
        }
        // Without changes waiting for missing history, the stored state is what a newcomer is sent.
        if (!this.doc.store.pendingStructs && !this.doc.store.pendingDs) this.hooks.compacted(state, upTo, vector);
        await this.storage.compactRoom(this.name, state, mark);
      } finally {
        this.compacting = undefined;
      }
    })();
    return this.compacting;
  }

  /**
   * Where the stored log stands as a state holding the changes up to `upTo` is taken: its mark, and
   * the state's vector when the room holds exactly those changes (the room's own, read at no cost).
   */
  private taken(upTo: number): { upTo: number; mark: Promise<LogMark>; vector: Uint8Array | undefined } {
    const vector = upTo === this.seen ? Y.encodeStateVector(this.doc) : undefined;
    return { upTo, mark: this.storage.logMark(this.name), vector };
  }

  /**
   * Runs `take` once no commit is under way, holding the next one back meanwhile: then every change
   * whose record was handed to storage is stored and relayed, and a mark taken names exactly those.
   */
  private async atRest<T>(take: () => T): Promise<T> {
    this.paused = true;
    try {
      while (this.storing) await this.storing;
      return take();
    } finally {
      this.paused = false;
      this.flush();
    }
  }

  private markStored(merged: Uint8Array, upTo: number): void {
    this.stored = upTo;
    this.hooks.stored(merged, upTo);
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (waiter.target <= upTo) waiter.resolve();
      else this.waiters.push(waiter);
    }
    if (this.storage.pendingLogLength(this.name) > COMPACT_AFTER_UPDATES && performance.now() - this.lastCompactedAt > COMPACT_AT_MOST_EVERY_MS) {
      void this.compact().catch(() => {});
    }
  }

  private stateWithPending(): Uint8Array {
    const { pendingStructs, pendingDs } = this.doc.store;
    if (!pendingStructs && !pendingDs) return Y.encodeStateAsUpdate(this.doc);
    // Yjs keeps what waits for missing history in its v2 encoding; the log stores v1.
    const merged = Y.mergeUpdatesV2([Y.encodeStateAsUpdateV2(this.doc), ...(pendingStructs ? [pendingStructs.update] : []), ...(pendingDs ? [pendingDs] : [])]);
    return Y.convertUpdateFormatV2ToV1(merged);
  }
}
