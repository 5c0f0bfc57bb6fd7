import * as Y from 'yjs';
import type { Storage } from '../storage/port';
import { StorageUnavailableError } from '../storage/unavailable';
import { CloseCode, STORAGE_UNAVAILABLE_REASON } from '#shared/protocol';
import type { DeleteSet } from '#shared/deleteSets';
import { syncStep1Message, updateMessage } from './messages';
import { KeptState } from './keptState';
import type { KnownState } from './guards/unknownPart';
import { applyInSlices, cutLarge, type UpdateCutter } from './applyInSlices';
import type { JoinOptions, RoomSocket } from './socket';
import type { ClientOrigin } from './origin';
import { COMPACT_AFTER_UPDATES, RoomLog } from './roomLog';
import type { PresenceBindings } from './presence';
import { newConnection, type Connection } from './connection';
import { RoomPresence } from './roomPresence';
import type { PresenceScreen } from './presenceScreen';
import { applyClientChanges, type UpdateGuard, type WriteRules } from './clientWrites';
import { readMessage, type MessageHandlers } from './incomingMessages';
import { answerSyncStep1 } from './syncAnswer';

export type { UpdateGuard, UpdateSource } from './clientWrites';

/** Removes from a freshly loaded document what no reader can read; answers whether it changed anything. */
export type LoadRepair = (doc: Y.Doc) => boolean;

/** Cuts a big stored update into pieces that, applied in order, have its effect (applyInSlices.ts). */
export type LoadCutter = UpdateCutter;

/**
 * One live Y.Doc and the connections editing it. Knows nothing of the network:
 * it talks to {@link RoomSocket}s. Updates arriving in one event-loop turn are merged
 * into one message, encoded once and sent to everyone, and appended to storage once.
 */
export class Room {
  readonly doc = new Y.Doc();
  private readonly connections = new Map<RoomSocket, Connection>();
  private readonly presence = new RoomPresence(this.doc, this.connections, (clientId) => this.writerOf?.(clientId), {
    broadcast: (message) => this.broadcast(message),
    writersNamed: (origin, clientIds) => this.onWritersNamed(origin, clientIds),
  });
  readonly awareness = this.presence.awareness;
  /** Its changes on their way to storage, then to its connections. */
  private readonly log: RoomLog;
  /** Encodes a whole text from updates that apply in order, away from the event loop (set by the manager: the document worker). */
  encodeState: ((parts: Uint8Array[]) => Promise<Uint8Array>) | undefined;
  /** Told once when an update cannot be stored (the manager drops the agreement's rooms). */
  onStoreFailure: (err: unknown) => void = () => {};
  /** Connections plus commands currently using the room; it unloads at zero. */
  holds = 0;
  /** Set once the room is being unloaded; a closed room is never handed out again. */
  closed = false;
  /** While set, no connection's update is applied, whoever sent it (a suggest-only agreement); the server's own writes and presence still go through. */
  clientWritesLocked = false;
  /** Updates dropped because their connection may not write, or the text is full (for tests and metrics). */
  droppedUpdates = 0;
  /** Set by the feature that owns this kind of room (the text's schema check). */
  updateGuard: UpdateGuard | undefined;
  /** The state kept for newcomers, the kept delete set and the changes not stored yet. */
  private readonly kept = new KeptState(this.doc);
  /** The person who wrote the text with a Yjs client id (the authorship log), set by the feature that keeps it: their presence id too. */
  writerOf: ((clientId: number) => string | undefined) | undefined;
  /** Told when a connection that may write names client ids as its person's: their MESSAGE_WRITER_IDS, or a presence id (namedWriters.ts). */
  onWritersNamed: (origin: ClientOrigin, clientIds: number[]) => void = () => {};
  /** Told when a connection that may write names what its device deleted (MESSAGE_WRITER_DELETIONS). */
  onDeletionsNamed: (origin: ClientOrigin, deleted: DeleteSet) => void = () => {};

  /** Whether a client's change is applied (clientWrites.ts). */
  private readonly writeRules: WriteRules = {
    locked: () => this.clientWritesLocked,
    guard: () => this.updateGuard,
    presentAs: (clientId) => this.presence.personOf(clientId),
    dropped: () => this.droppedUpdates++,
  };
  /** What each kind of message does (incomingMessages.ts). */
  private readonly handlers: MessageHandlers = {
    syncStep1: (socket, connection, stateVector) =>
      answerSyncStep1({ doc: this.doc, kept: this.kept, log: this.log }, socket, stateVector, this.connections.get(socket), () => this.connections.has(socket)),
    changes: (socket, connection, update, answering) => applyClientChanges(this.doc, socket, connection, update, answering, this.writeRules),
    presence: (socket, connection, update) => this.presence.receive(socket, connection, update),
    presenceQuery: (socket) => this.presence.answerQuery(socket),
    writersNamed: (connection, clientIds) => this.onWritersNamed(connection.origin, clientIds),
    deletionsNamed: (connection, deleted) => this.onDeletionsNamed(connection.origin, deleted),
  };

  /** Screens who sees whose presence in full from now on (undefined: everyone sees everyone), as the feature that owns the rule says (presenceScreen.ts). */
  screenPresence(screen: PresenceScreen | undefined): void {
    this.presence.screenWith(screen);
  }

  /** Keeps whose presence each id has been in `bindings` (set as the room loads, by the feature that keeps them), so it outlives this load. */
  keepPresenceIn(bindings: PresenceBindings): void {
    this.presence.keepIn(bindings);
  }

  private constructor(
    readonly name: string,
    private readonly storage: Storage,
  ) {
    this.log = new RoomLog(name, storage, this.doc, {
      stored: (merged, upTo) => {
        this.kept.stored(merged, upTo);
        // Sent to everyone, its senders included: the echo is how a client knows its edit is stored
        // (the Yjs 14 provider and our connection badge rely on it), and it costs no extra encoding.
        this.broadcast(updateMessage(merged));
      },
      compacted: (state, upTo, vector) => this.kept.newcomers.offer(state, upTo, vector),
      failed: (err) => this.onStoreFailure(err),
      encodeAway: () => this.kept.encodedAway(this.encodeState),
    });
  }

  private listen(): void {
    this.doc.on('update', (update: Uint8Array) => {
      this.log.add(update);
      if (!this.log.error) this.kept.changed(update, this.log.changeCount);
    });
    this.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      // Its update is counted after this (Yjs emits 'update' after 'afterTransaction'): it becomes the next change.
      if (transaction.deleteSet.clients.size > 0) this.kept.newcomers.deleted(transaction.deleteSet, this.log.changeCount + 1);
    });
    this.presence.listen();
  }

  /**
   * Creates a room from its stored history, yielding to the event loop every few
   * milliseconds so a long log does not stall the other rooms. Updates are applied one
   * by one before any update listener exists: with a listener Yjs re-encodes every
   * update, and Y.mergeUpdates slows down sharply with the number of inputs.
   */
  static async load(name: string, storage: Storage, stored: Uint8Array[], repair?: LoadRepair, cut?: LoadCutter): Promise<Room> {
    const room = new Room(name, storage);
    await applyInSlices(room.doc, cut ? await cutLarge(stored, cut) : stored);
    // Before anyone listens: the repair is not an update anyone is sent, only the stored state changes.
    const repaired = repair?.(room.doc) ?? false;
    await room.kept.loaded(stored, repaired);
    room.listen();
    if (repaired || stored.length > COMPACT_AFTER_UPDATES) void room.compact(repaired).catch(() => {});
    return room;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Presence clocks kept (a test of the bound reads it). */
  get presenceClocksKept(): number {
    return this.presence.clocksKept;
  }

  join(socket: RoomSocket, options: JoinOptions): void {
    // Dropped between its load and this join (the lease was lost): reconnecting finds the new owner.
    const failed = this.log.error;
    if (failed) {
      if (failed.err instanceof StorageUnavailableError) return socket.close(CloseCode.TryAgainLater, STORAGE_UNAVAILABLE_REASON);
      return socket.close(CloseCode.OwnerLost, 'the agreement moved; reconnect');
    }
    const connection = newConnection(socket, options, (clientId) => this.presence.personOf(clientId));
    this.connections.set(socket, connection);
    socket.send(syncStep1Message(this.doc));
    this.presence.greet(socket);
  }

  leave(socket: RoomSocket): void {
    const connection = this.connections.get(socket);
    if (!connection) return;
    this.connections.delete(socket);
    connection.replies.dispose();
    this.presence.left(connection);
  }

  /** Handles one binary frame of a joined socket. Throws a ProtocolError for a bad one (incomingMessages.ts). */
  receive(socket: RoomSocket, message: Uint8Array): void {
    const connection = this.connections.get(socket);
    if (!connection) return;
    readMessage(message, socket, connection, this.handlers);
  }

  /** What the room holds, for the update guard to take from a client's update only what is new to it (keptState.ts). */
  knownState(): KnownState {
    return this.kept.knownState();
  }

  /** Stores what this turn changed now rather than at the turn's end (the rest follows a commit under way). */
  flushOutbox(): void {
    this.log.flush();
  }

  /**
   * The whole text with every change made so far, as updates that apply in order: for a long
   * text, the state kept for newcomers and what changed since, so reading it costs no encoding.
   */
  async wholeState(): Promise<Uint8Array[]> {
    // Once every change is stored, the kept state and the batches relayed since hold them all.
    await this.whenStored();
    return this.kept.parts(this.log.changeCount);
  }

  /**
   * The whole text as it is at this moment, as updates that apply in order, with no encoding; undefined
   * when none is kept (keptState.ts). Taken in the same synchronous step as a change, it is the text before it.
   */
  wholeStateNow(): Uint8Array[] | undefined {
    return this.kept.now();
  }

  /** Runs `work`; changes made meanwhile are stored (and relayed) once it is done (RoomLog.storeAfter). */
  storeAfter<T>(work: () => Promise<T>): Promise<T> {
    return this.log.storeAfter(work);
  }

  /** Resolves once every change made so far is stored (server-written records answer after it). */
  whenStored(): Promise<void> {
    return this.log.whenStored();
  }

  /** Closes every connection (with a code the stock client reconnects after) and stores nothing more. */
  drop(code: number, reason: string): void {
    this.log.fail(new Error(reason));
    for (const socket of [...this.connections.keys()]) socket.close(code, reason);
  }

  private broadcast(message: Uint8Array): void {
    for (const socket of this.connections.keys()) socket.send(message);
  }

  /** How many compactions wrote a state encoded away from the event loop (the document worker), and how many one encoded here. */
  get compactions(): { away: number; here: number } {
    return { ...this.log.compactions };
  }

  /** Replaces the stored log by the current state (`force`: even with an empty log, after a repair). */
  compact(force = false): Promise<void> {
    return this.log.compact(force);
  }

  /** Stores what is left (unless the room was dropped) and frees the document. */
  async unload(): Promise<void> {
    if (!this.log.error) await this.compact();
    this.kept.destroy();
    this.presence.destroy();
    this.doc.destroy();
  }
}
