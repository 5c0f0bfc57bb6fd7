import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { LogMark, Storage } from '../../server/src/storage/port';
import type { RoomSocket } from '../../server/src/rooms/socket';
import { MessageType } from '../../server/src/rooms/messages';

/**
 * In-memory stand-ins for fast Room tests: no network, no files. A Room talks only to
 * {@link RoomSocket}s and the storage port, so these exercise the very code the server
 * runs; the real-socket tests in tests/collab check the same over y-websocket.
 */

/** Room storage in memory (only what rooms use: load, append, mark, compact). */
export class MemoryRoomStorage {
  readonly logs = new Map<string, Uint8Array[]>();
  readonly states = new Map<string, Uint8Array>();
  /** Every append, in order, for checking what was stored and when. */
  readonly appends: { room: string; update: Uint8Array }[] = [];

  async loadRoom(room: string): Promise<Uint8Array[]> {
    const state = this.states.get(room);
    return [...(state ? [state] : []), ...(this.logs.get(room) ?? [])];
  }
  appendUpdate(room: string, update: Uint8Array): void {
    this.appends.push({ room, update });
    this.logs.set(room, [...(this.logs.get(room) ?? []), update]);
  }
  /** The number of each room's first log record, as the adapters number them (a log begun after a whole compaction starts after a gap). */
  private readonly firsts = new Map<string, number>();
  async logMark(room: string): Promise<LogMark> {
    return ((this.firsts.get(room) ?? 1) + (this.logs.get(room)?.length ?? 0) - 1) as LogMark;
  }
  async compactRoom(room: string, state: Uint8Array, upTo?: LogMark): Promise<void> {
    const log = this.logs.get(room) ?? [];
    const first = this.firsts.get(room) ?? 1;
    const covered = upTo === undefined ? log.length + 1 : upTo - first + 1;
    // A later compaction holds more than this state.
    if (covered < 0) return;
    this.states.set(room, state);
    if (covered < log.length) this.logs.set(room, log.slice(covered));
    else this.logs.delete(room);
    this.firsts.set(room, first + covered);
  }
  pendingLogLength(room: string): number {
    return this.logs.get(room)?.length ?? 0;
  }
  /** The port, for Room and RoomManager (the agreement and snapshot methods are never called by them). */
  get port(): Storage {
    return this as unknown as Storage;
  }
}

/**
 * A client connection in memory: what the room sends it is applied to its own Y.Doc and
 * Awareness, as the y-websocket client would; what it sends is handed to `deliver`.
 */
export class MemorySocket implements RoomSocket {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  /** Every message the room sent, raw. */
  readonly received: Uint8Array[] = [];
  closedWith?: { code: number; reason: string };
  bufferedAmount = 0;

  send(message: Uint8Array): void {
    this.received.push(message);
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    if (type === MessageType.Sync) {
      // Replies (our sync step 2 to the room's step 1) are dropped: tests send what they mean to.
      syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), this.doc, 'room');
    } else if (type === MessageType.Awareness) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), 'room');
    }
  }

  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
  }

  /** How many update messages (sync type 2) the room relayed to this socket. */
  get updatesReceived(): number {
    return this.received.filter((m) => {
      const decoder = decoding.createDecoder(m);
      return decoding.readVarUint(decoder) === MessageType.Sync && decoding.readVarUint(decoder) === syncProtocol.messageYjsUpdate;
    }).length;
  }
}

/** One sync update message carrying `update`, as a client sends it. */
export function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** An awareness message for `clientId` with `state`. */
export function awarenessFrame(clientId: number, clock: number, state: unknown): Uint8Array {
  return awarenessEntriesFrame([[clientId, clock, state]]);
}

/** One awareness message with the given entries, as a hand-made client would send it. */
export function awarenessEntriesFrame(entries: [clientId: number, clock: number, state: unknown][]): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries.length);
  for (const [clientId, clock, state] of entries) {
    encoding.writeVarUint(update, clientId);
    encoding.writeVarUint(update, clock);
    encoding.writeVarString(update, JSON.stringify(state));
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update));
  return encoding.toUint8Array(encoder);
}

/** The update that typing `text` into a fresh doc's text `t` produces, from a client of its own. */
export function typed(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

/** Lets a turn of the event loop pass (the room flushes its outbox on setImmediate). */
export const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
