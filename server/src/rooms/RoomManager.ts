import type * as Y from 'yjs';
import type { Logger } from '../log';
import type { Storage } from '../storage/port';
import { LeaseLostError, agreementOfRoom } from '../storage/fence';
import { STORAGE_RETRY_AFTER_SECONDS, StorageUnavailableError } from '../storage/unavailable';
import { CloseCode, STORAGE_UNAVAILABLE_REASON } from '#shared/protocol';
import type { RoomExtension } from './extension';
import { SERVER_ORIGIN, type TransactionOrigin } from './origin';
import { Room, type LoadCutter } from './Room';
import { cutLarge } from './applyInSlices';

/** How long a room loaded ahead of a person's join is held for them by default (see {@link RoomManager.loadAhead}). */
export const LOAD_AHEAD_HOLD_MS = 15_000;

/** A hold on a room loaded ahead: its room once loaded, and the timer that lets it go if nobody comes. */
interface AheadHold {
  room?: Room;
  timer: NodeJS.Timeout;
}

/**
 * Keeps one live {@link Room} per open document: loaded on first use, unloaded once
 * nothing holds it and its state is stored. Concurrent first joins share one load.
 */
export class RoomManager {
  private readonly rooms = new Map<string, Promise<Room>>();
  /**
   * Rooms that left `rooms` and are storing what is left (see unloadWhenIdle), by name. A copy loaded
   * meanwhile would append records that the old copy's last compaction, lacking them, may replace.
   */
  private readonly unloading = new Map<string, Promise<void>>();
  /**
   * Agreements dropped because storage refused a write, and until when their rooms are not handed
   * out: refused before any sync, the clients' backoff grows and the page says why, where a room
   * loaded again at once took the resent edit, failed to store it and dropped everyone, five times a second.
   */
  private readonly refusedUntil = new Map<string, { until: number; err: StorageUnavailableError }>();
  /** What features do as rooms load, change and unload, in the order they were added. */
  private readonly extensions: RoomExtension[] = [];
  /** Rooms loaded ahead of a person's join, held until someone joins or the hold ends (one hold a room at most). */
  private readonly aheadHolds = new Map<string, AheadHold>();

  constructor(
    private readonly storage: Storage,
    private readonly log: Logger,
    /** With several instances: whether this one owns the agreement (holds its lease); rooms load only where it does. */
    private readonly owns: (agreementId: string) => boolean = () => true,
    /** Cuts a big stored update into pieces a load applies between yields (off the event loop: the document worker). */
    private readonly cutForLoad?: LoadCutter,
    /** Encodes a whole text from updates that apply in order (off the event loop: the document worker), for a compaction as a room unloads. */
    private readonly encodeState?: (parts: Uint8Array[]) => Promise<Uint8Array>,
  ) {}

  /** Adds a feature's room hooks (app.ts wires them before any room loads). */
  use(extension: RoomExtension): void {
    this.extensions.push(extension);
  }

  /** Loads (or finds) a room and holds it until {@link release}. */
  async acquire(name: string): Promise<Room> {
    const agreementId = agreementOfRoom(name);
    if (!this.owns(agreementId)) throw new LeaseLostError(agreementId, 'not held');
    const refused = this.refusedUntil.get(agreementId);
    if (refused && performance.now() < refused.until) throw refused.err;
    this.refusedUntil.delete(agreementId);
    for (;;) {
      let pending = this.rooms.get(name);
      const unloading = this.unloading.get(name);
      if (!pending && unloading) {
        // Its previous copy still stores its last compaction: load after it, from what it stored.
        await unloading;
        continue;
      }
      if (!pending) {
        pending = this.load(name);
        this.rooms.set(name, pending);
        pending.catch(() => this.rooms.delete(name));
      }
      const room = await pending;
      // It may have been unloaded while we waited: then load it afresh.
      if (room.closed) continue;
      room.holds++;
      return room;
    }
  }

  /**
   * Starts loading a room a person is about to join (their page asked for the agreement and is still fetching its
   * code), and holds it until someone joins ({@link joined}) or `holdMs` pass: the join then finds it loaded instead
   * of waiting for the load. Best effort: a room this instance may not load, or that fails to, is left to the join,
   * which reports it. One hold a room, however often it is asked for.
   */
  loadAhead(name: string, holdMs = LOAD_AHEAD_HOLD_MS): void {
    if (holdMs <= 0 || this.rooms.has(name) || this.aheadHolds.has(name)) return;
    const hold: AheadHold = { timer: setTimeout(() => this.endAheadHold(name, hold), holdMs) };
    hold.timer.unref();
    this.aheadHolds.set(name, hold);
    this.acquire(name).then(
      (room) => {
        if (this.aheadHolds.get(name) === hold) hold.room = room;
        else this.release(room);
      },
      () => this.endAheadHold(name, hold),
    );
  }

  /** A person joined the room: from now on its connections keep it loaded, not a hold taken ahead for them. */
  joined(name: string): void {
    const hold = this.aheadHolds.get(name);
    if (hold) this.endAheadHold(name, hold);
  }

  private endAheadHold(name: string, hold: AheadHold): void {
    if (this.aheadHolds.get(name) !== hold) return;
    this.aheadHolds.delete(name);
    clearTimeout(hold.timer);
    // Still loading: released as it arrives (see loadAhead). Dropped or closed meanwhile: nothing is held any more.
    if (hold.room && !hold.room.closed) this.release(hold.room);
  }

  release(room: Room): void {
    room.holds--;
    if (room.holds > 0) return;
    void this.unloadWhenIdle(room);
  }

  /** Runs `work` on a held room and waits until what it changed is stored, then releases it (for server-written changes). */
  async with<T>(name: string, work: (room: Room) => T | Promise<T>): Promise<T> {
    const room = await this.acquire(name);
    try {
      const result = await work(room);
      await room.whenStored();
      return result;
    } finally {
      this.release(room);
    }
  }

  /** Rooms currently in memory. */
  get openRooms(): number {
    return this.rooms.size;
  }

  /** The extension of class `kind` in use, if any (for tests that count what one keeps). */
  extension<T extends RoomExtension>(kind: abstract new (...args: never[]) => T): T | undefined {
    return this.extensions.find((extension): extension is T => extension instanceof kind);
  }

  /** Names of the rooms currently in memory. */
  openRoomNames(): string[] {
    return [...this.rooms.keys()];
  }

  /** Ids of the agreements that have a room in memory. */
  openAgreements(): Set<string> {
    return new Set(this.openRoomNames().map(agreementOfRoom));
  }

  /**
   * Lets go of every room of an agreement without storing anything more (its lease is lost:
   * another instance may write it now). Connections close with a code the stock client
   * reconnects after; whatever they sent that was not stored they send again on resync.
   */
  async dropAgreement(agreementId: string, reason: string, code: number = CloseCode.OwnerLost): Promise<void> {
    const dropped = [...this.rooms].filter(([name]) => agreementOfRoom(name) === agreementId);
    for (const [name] of dropped) this.rooms.delete(name);
    const rooms = await Promise.all(dropped.map(([, pending]) => pending.catch(() => undefined)));
    for (const room of rooms) {
      if (!room || room.closed) continue;
      room.closed = true;
      room.drop(code, reason);
      this.notify(room, 'beforeUnload', (extension) => extension.beforeUnload?.(room));
      await room.unload();
    }
    if (rooms.length > 0) this.log.warn({ agreementId, rooms: rooms.length, reason }, 'agreement dropped');
  }

  /** `updates` with each big one cut into pieces that apply in order (in the worker), for work that applies a whole text in slices. */
  inPieces(room: string, updates: Uint8Array[]): Promise<Uint8Array[]> {
    return this.cutForLoad ? cutLarge(updates, (update) => this.cutOrWhole(room, update)) : Promise.resolve(updates);
  }

  /** The update's pieces, or the update itself when cutting fails (applied whole, as before cutting existed). */
  private async cutOrWhole(room: string, update: Uint8Array): Promise<Uint8Array[]> {
    try {
      return await this.cutForLoad!(update);
    } catch (err) {
      this.log.warn({ err, room }, 'cutting a stored update failed; applying it whole');
      return [update];
    }
  }

  private async load(name: string): Promise<Room> {
    const started = performance.now();
    const updates = await this.storage.loadRoom(name);
    // Every extension may repair what it owns before anyone listens (see RoomExtension.repairOnLoad).
    const repair = (doc: Y.Doc) => this.extensions.reduce((changed, extension) => (extension.repairOnLoad?.(name, doc) ?? false) || changed, false);
    const cut = this.cutForLoad && ((update: Uint8Array) => this.cutOrWhole(name, update));
    const room = await Room.load(name, this.storage, updates, repair, cut);
    room.encodeState = this.encodeState;
    room.onStoreFailure = (err) => {
      if (err instanceof StorageUnavailableError) {
        // Nothing unstored was relayed, and each writer's client still holds its own edits: it
        // reconnects (1013), is refused until the database or disk takes writes again, then sends them on resync.
        this.log.warn({ err, room: name }, 'storage is unavailable; dropping the agreement here until it takes writes again');
        this.refusedUntil.set(agreementOfRoom(name), { until: performance.now() + STORAGE_RETRY_AFTER_SECONDS * 1000, err });
        void this.dropAgreement(agreementOfRoom(name), STORAGE_UNAVAILABLE_REASON, CloseCode.TryAgainLater);
        return;
      }
      this.log.error({ err, room: name }, 'storing an update failed for good; dropping the agreement here');
      void this.dropAgreement(agreementOfRoom(name), 'storage refused the update');
    };
    room.onWritersNamed = (origin, clientIds) => this.notify(room, 'onWritersNamed', (extension) => extension.onWritersNamed?.(room, origin, clientIds));
    room.onDeletionsNamed = (origin, deleted) => this.notify(room, 'onDeletionsNamed', (extension) => extension.onDeletionsNamed?.(room, origin, deleted));
    this.notify(room, 'afterLoad', (extension) => extension.afterLoad?.(room));
    try {
      await Promise.all(this.extensions.map((extension) => extension.ready?.(room) ?? Promise.resolve()));
    } catch (err) {
      // An extension could not get ready (a guard that cannot tell what is allowed): hand out nothing.
      this.log.error({ err, room: name }, 'room extension could not get ready; the room is not opened');
      room.closed = true;
      this.notify(room, 'beforeUnload', (extension) => extension.beforeUnload?.(room));
      await room.unload();
      throw err;
    }
    if (this.extensions.some((extension) => extension.onChange)) {
      room.doc.on('afterTransaction', (transaction: Y.Transaction) => {
        // Only the room's own loading runs without an origin, and that is over before this listener exists.
        const origin: TransactionOrigin = transaction.origin ?? SERVER_ORIGIN;
        this.notify(room, 'onChange', (extension) => extension.onChange?.(room, transaction, origin));
      });
    }
    this.log.debug({ room: name, updates: updates.length, ms: Math.round(performance.now() - started) }, 'room loaded');
    return room;
  }

  private async unloadWhenIdle(room: Room): Promise<void> {
    try {
      await room.compact();
    } catch (err) {
      this.log.error({ err, room: room.name }, 'storing room before unload failed');
      return; // keep it in memory rather than lose edits
    }
    // Someone may have joined while the state was being written.
    if (room.holds > 0 || room.closed) return;
    room.closed = true;
    this.rooms.delete(room.name);
    this.notify(room, 'beforeUnload', (extension) => extension.beforeUnload?.(room));
    // Out of the open rooms but not yet stored: closeAll waits for it. Its failure is logged (this
    // runs unawaited; a rejection left unhandled would stop the server and every session in it).
    const unloading = room.unload().then(
      () => this.log.debug({ room: room.name }, 'room unloaded'),
      (err: unknown) => this.log.error({ err, room: room.name }, 'storing a room as it unloaded failed'),
    );
    this.unloading.set(room.name, unloading);
    await unloading;
    if (this.unloading.get(room.name) === unloading) this.unloading.delete(room.name);
  }

  /** A failing extension is logged; it never stops a room from loading, changing or unloading. */
  private notify(room: Room, hook: keyof RoomExtension, call: (extension: RoomExtension) => void): void {
    for (const extension of this.extensions) {
      try {
        call(extension);
      } catch (err) {
        this.log.error({ err, room: room.name, hook }, 'room extension failed');
      }
    }
  }

  /** Stores every open room (for shutdown). */
  async closeAll(): Promise<void> {
    // The rooms close below; a hold let go here would only start an unload beside it.
    for (const hold of this.aheadHolds.values()) clearTimeout(hold.timer);
    this.aheadHolds.clear();
    // A room whose load failed has nothing to store (the failure reached whoever asked for it).
    const loaded = await Promise.all([...this.rooms.values()].map((p) => p.catch(() => undefined)));
    const rooms = loaded.filter((room) => room !== undefined);
    this.rooms.clear();
    for (const room of rooms) room.closed = true;
    for (const room of rooms) this.notify(room, 'beforeUnload', (extension) => extension.beforeUnload?.(room));
    await Promise.all([...rooms.map((room) => room.unload()), ...this.unloading.values()]);
  }
}
