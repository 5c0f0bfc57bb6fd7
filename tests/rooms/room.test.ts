import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { Author } from '#shared/records';
import { Room } from '../../server/src/rooms/Room';
import { RoomManager } from '../../server/src/rooms/RoomManager';
import { ProtocolError } from '../../server/src/rooms/socket';
import { carriesChanges } from '../../server/src/rooms/messages';
import type { TransactionOrigin } from '../../server/src/rooms/origin';
import { writeRoom } from '../../server/src/records/write';
import { MemoryRoomStorage, MemorySocket, awarenessFrame, nextTurn, typed, updateFrame } from '../support/memoryRoom';
import { waitFor } from '../support/poll';
import type { LogMark } from '../../server/src/storage/port';

const amina: Author = { personId: 'p-amina', name: 'Amina', role: 'negotiator', party: 'ngo' };
const silentLog = { error() {}, warn() {}, info() {}, debug() {} };

async function openRoom(storage = new MemoryRoomStorage()) {
  return { storage, room: await Room.load('agreement-1', storage.port, await storage.loadRoom('agreement-1')) };
}

// Fast tests of one Room over in-memory sockets; tests/collab checks the same through real websockets.
describe('a room in memory', () => {
  it('merges the updates of one turn into one message, stores it before relaying, and sends that one message to everyone, its sender included (the echo confirms its edits)', async () => {
    const { storage, room } = await openRoom();
    const writer = new MemorySocket();
    const reader = new MemorySocket();
    room.join(writer, { canWrite: true });
    room.join(reader, { canWrite: true });
    room.receive(writer, updateFrame(typed('Shared ')));
    room.receive(writer, updateFrame(typed('vision')));
    expect(storage.appends).toHaveLength(0); // nothing relayed or stored before the turn ends
    await nextTurn();
    expect(storage.appends).toHaveLength(1);
    expect(reader.updatesReceived).toBe(1);
    expect(writer.updatesReceived).toBe(1);
    expect(reader.doc.getText('t').length).toBe('Shared vision'.length);
  });

  it('drops updates from a connection that may not write: nothing applied, relayed or stored', async () => {
    const { storage, room } = await openRoom();
    const observer = new MemorySocket();
    const other = new MemorySocket();
    room.join(observer, { canWrite: false });
    room.join(other, { canWrite: true });
    room.receive(observer, updateFrame(typed('not allowed')));
    await nextTurn();
    expect(room.doc.getText('t').toString()).toBe('');
    expect(room.droppedUpdates).toBe(1);
    expect(storage.appends).toHaveLength(0);
    expect(other.updatesReceived).toBe(0);
  });

  it('sends a joining connection the whole state through sync step 1 and 2', async () => {
    const storage = new MemoryRoomStorage();
    storage.appendUpdate('agreement-1', typed('Stored before the restart.'));
    const { room } = await openRoom(storage);
    const late = new MemorySocket();
    room.join(late, { canWrite: false });
    // The client's sync step 1 (its empty state vector) is answered with everything it lacks.
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep1(encoder, late.doc);
    room.receive(late, encoding.toUint8Array(encoder));
    expect(late.doc.getText('t').toString()).toBe('Stored before the restart.');
  });

  it("stamps a connection's presence with who the server knows it is", async () => {
    const { room } = await openRoom();
    const mallory = new MemorySocket();
    const watcher = new MemorySocket();
    room.join(mallory, { canWrite: true, personId: 'p-amina', presence: { name: 'Amina', role: 'negotiator' } });
    room.join(watcher, { canWrite: true });
    room.receive(mallory, awarenessFrame(42, 1, { user: { name: 'The Broker', role: 'broker', color: '#f00' } }));
    expect(watcher.awareness.getStates().get(42)).toEqual({ user: { name: 'Amina', role: 'negotiator', color: '#f00' } });
  });

  it('refuses a malformed or unknown message with a ProtocolError (the socket layer closes with 4400)', async () => {
    const { room } = await openRoom();
    const socket = new MemorySocket();
    room.join(socket, { canWrite: true });
    expect(() => room.receive(socket, new Uint8Array([0, 7]))).toThrow(ProtocolError);
    expect(() => room.receive(socket, new Uint8Array([9]))).toThrow(ProtocolError);
    expect(() => room.receive(socket, new Uint8Array([0, 2, 200]))).toThrow(ProtocolError);
  });
});

describe('room extensions and transaction origins', () => {
  it('tell an extension of each load, change (with a typed origin) and unload, in order', async () => {
    const storage = new MemoryRoomStorage();
    const rooms = new RoomManager(storage.port, silentLog);
    const seen: string[] = [];
    const origins: TransactionOrigin[] = [];
    rooms.use({
      afterLoad: (room) => seen.push(`load ${room.name}`),
      onChange: (room, transaction, origin) => {
        if (transaction.changed.size === 0) return;
        seen.push(`change ${room.name} by ${origin.kind}`);
        origins.push(origin);
      },
      beforeUnload: (room) => seen.push(`unload ${room.name} (doc still there: ${!room.doc.isDestroyed})`),
    });

    const room = await rooms.acquire('agreement-1');
    const socket = new MemorySocket();
    room.join(socket, { canWrite: true, author: amina });
    room.receive(socket, updateFrame(typed('typed by Amina')));
    await writeRoom(rooms, 'agreement-1', (doc) => doc.getMap('meta').set('phase', 'scoping'));
    room.leave(socket);
    rooms.release(room);
    await waitFor(() => seen.some((s) => s.startsWith('unload')), { what: 'unload' });

    expect(seen).toEqual(['load agreement-1', 'change agreement-1 by client', 'change agreement-1 by server', 'unload agreement-1 (doc still there: true)']);
    expect(origins[0]).toEqual({ kind: 'client', socket, author: amina, vouchesFor: expect.any(Function), vouchedDeletions: expect.any(Function) });
    expect(origins[1]).toEqual({ kind: 'server' });
  });

  it('a failing extension is logged and never stops a room from loading', async () => {
    const storage = new MemoryRoomStorage();
    const errors: unknown[] = [];
    const rooms = new RoomManager(storage.port, { ...silentLog, error: (obj) => errors.push(obj) });
    rooms.use({
      afterLoad: () => {
        throw new Error('broken extension');
      },
    });
    const room = await rooms.acquire('agreement-1');
    expect(room.closed).toBe(false);
    expect(errors).toHaveLength(1);
    rooms.release(room);
    await rooms.closeAll();
  });
});

describe('a room unloading when idle', () => {
  /** Storage whose next compactions wait to be let through, or fail. */
  class HeldStorage extends MemoryRoomStorage {
    hold = false;
    fail = false;
    private readonly waiting: (() => void)[] = [];
    override async compactRoom(room: string, state: Uint8Array, upTo?: LogMark): Promise<void> {
      if (this.hold) await new Promise<void>((resolve) => this.waiting.push(resolve));
      if (this.fail) throw new Error('disk full');
      await super.compactRoom(room, state, upTo);
    }
    letThrough(): void {
      for (const resolve of this.waiting.splice(0)) resolve();
    }
    get held(): number {
      return this.waiting.length;
    }
  }

  /** A room released after a change, whose unloading writes one more change (as an extension's beforeUnload may). */
  async function releasedRoom(storage: HeldStorage, errors: unknown[] = []) {
    const rooms = new RoomManager(storage.port, { ...silentLog, error: (obj) => errors.push(obj) });
    rooms.use({ beforeUnload: (room) => room.doc.getMap('meta').set('closedAt', 'now') });
    const room = await rooms.acquire('agreement-1');
    await writeRoom(rooms, 'agreement-1', (doc) => doc.getMap('meta').set('phase', 'scoping'));
    storage.hold = true;
    rooms.release(room);
    // The compaction before the unload, then (once it is let through) the unload's own.
    await waitFor(() => storage.held === 1, { what: 'the first compaction' });
    storage.letThrough();
    await waitFor(() => storage.held === 1 && rooms.openRooms === 0, { what: "the unload's compaction" });
    return rooms;
  }

  it('is stored before closeAll returns, though it had already left the open rooms', async () => {
    const storage = new HeldStorage();
    const rooms = await releasedRoom(storage);
    let closed = false;
    const closing = rooms.closeAll().then(() => (closed = true));
    await nextTurn();
    await nextTurn();
    expect(closed).toBe(false);
    storage.hold = false;
    storage.letThrough();
    await closing;
    const stored = new Y.Doc();
    for (const update of await storage.loadRoom('agreement-1')) Y.applyUpdate(stored, update);
    expect(stored.getMap('meta').get('closedAt')).toBe('now');
  });

  it('that fails to store its last change logs the failure; nothing is left unhandled to stop the server', async () => {
    const storage = new HeldStorage();
    const errors: unknown[] = [];
    const rooms = await releasedRoom(storage, errors);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      storage.fail = true;
      storage.letThrough();
      await waitFor(() => errors.length > 0, { what: 'the failure logged' });
      await rooms.closeAll();
      await nextTurn();
      expect(unhandled).toEqual([]);
      expect(JSON.stringify(errors[0])).toContain('agreement-1');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  // What a connection closed before it was let in still brings its room (server/src/ws/collab.ts): its changes only.
  it('tells changes (sync step 2, updates) from presence, sync requests and unreadable frames', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'clause');
    const step2 = encoding.createEncoder();
    encoding.writeVarUint(step2, 0);
    syncProtocol.writeSyncStep2(step2, doc);
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, 0);
    syncProtocol.writeSyncStep1(step1, doc);
    expect(carriesChanges(updateFrame(typed('x')))).toBe(true);
    expect(carriesChanges(encoding.toUint8Array(step2))).toBe(true);
    expect(carriesChanges(encoding.toUint8Array(step1))).toBe(false);
    expect(carriesChanges(awarenessFrame(7, 1, { user: { name: 'Amina' } }))).toBe(false);
    expect(carriesChanges(new Uint8Array([]))).toBe(false);
    expect(carriesChanges(new Uint8Array([0]))).toBe(false);
  });
});
