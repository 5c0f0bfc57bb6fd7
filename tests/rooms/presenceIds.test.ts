import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { Room } from '../../server/src/rooms/Room';
import { MAX_PRESENCE_IDS } from '../../server/src/rooms/presence';
import { MessageType } from '../../server/src/rooms/messages';
import { MemoryRoomStorage, MemorySocket, awarenessEntriesFrame, awarenessFrame } from '../support/memoryRoom';

async function openRoom() {
  const storage = new MemoryRoomStorage();
  return Room.load('agreement-1', storage.port, []);
}

/** How many presence entries the room has sent `socket`, in all its awareness messages. */
function entriesSent(socket: MemorySocket): number {
  let entries = 0;
  for (const message of socket.received) {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) === MessageType.Awareness) entries += decoding.readVarUint(decoding.createDecoder(decoding.readVarUint8Array(decoder)));
  }
  return entries;
}

describe('presence ids in a room', () => {
  it(`a connection speaks for ${MAX_PRESENCE_IDS} ids at most, and the same id many times in one message is relayed once`, async () => {
    const room = await openRoom();
    const flood = new MemorySocket();
    const watcher = new MemorySocket();
    room.join(flood, { canWrite: false, personId: 'p-olly', presence: { name: 'Olly' } });
    room.join(watcher, { canWrite: true, personId: 'p-brook', presence: { name: 'Brook' } });
    room.receive(flood, awarenessEntriesFrame(Array.from({ length: 50 }, (_, i) => [1000 + i, 1, {}])));
    room.receive(flood, awarenessEntriesFrame(Array.from({ length: 50 }, (_, i) => [2000 + i, 1, {}])));
    expect([...watcher.awareness.getStates().values()].filter((state) => state.user?.name === 'Olly')).toHaveLength(MAX_PRESENCE_IDS);
    const before = entriesSent(watcher);
    room.receive(flood, awarenessEntriesFrame(Array.from({ length: 500 }, (_, i) => [1000, 2 + i, { ui: { i } }])));
    expect(entriesSent(watcher) - before).toBe(1);
    expect(watcher.awareness.getStates().get(1000)).toEqual({ ui: { i: 499 }, user: { name: 'Olly' } });
  });

  it("a presence the server timed out is nobody's to hold until its person speaks again; another person still cannot take it", async () => {
    const room = await openRoom();
    const lena = new MemorySocket();
    const mallory = new MemorySocket();
    const watcher = new MemorySocket();
    room.join(lena, { canWrite: true, personId: 'p-lena', presence: { name: 'Lena' } });
    room.join(mallory, { canWrite: true, personId: 'p-mallory', presence: { name: 'Mallory' } });
    room.join(watcher, { canWrite: true, personId: 'p-ben', presence: { name: 'Ben' } });
    room.receive(lena, awarenessFrame(42, 1, {}));
    expect(watcher.awareness.getStates().get(42)).toEqual({ user: { name: 'Lena' } });

    awarenessProtocol.removeAwarenessStates(room.awareness, [42], 'timeout');
    expect(watcher.awareness.getStates().has(42)).toBe(false);
    room.receive(mallory, awarenessFrame(42, 2 ** 40, {}));
    expect(room.awareness.getStates().has(42)).toBe(false);

    // A reconnect of Lena's (same person, new connection) takes it back.
    room.leave(lena);
    const back = new MemorySocket();
    room.join(back, { canWrite: true, personId: 'p-lena', presence: { name: 'Lena' } });
    room.receive(back, awarenessFrame(42, 2, {}));
    expect(watcher.awareness.getStates().get(42)).toEqual({ user: { name: 'Lena' } });
    // Mallory leaving removes nothing of Lena's: she never held it.
    room.leave(mallory);
    expect(watcher.awareness.getStates().get(42)).toEqual({ user: { name: 'Lena' } });
  });

  it('a reconnecting client whose state is behind the removal is told of it, and its re-announcement is shown', async () => {
    const room = await openRoom();
    const lena = new MemorySocket();
    const watcher = new MemorySocket();
    room.join(lena, { canWrite: true, personId: 'p-lena', presence: { name: 'Lena' } });
    room.join(watcher, { canWrite: true, personId: 'p-ben', presence: { name: 'Ben' } });
    room.receive(lena, awarenessFrame(42, 3, {}));
    room.leave(lena);
    expect(watcher.awareness.getStates().has(42)).toBe(false);

    // The stock provider re-sends its state with the clock it had; the server's removal has that clock.
    const back = new MemorySocket();
    room.join(back, { canWrite: true, personId: 'p-lena', presence: { name: 'Lena' } });
    const sent = back.received.length;
    room.receive(back, awarenessFrame(42, 3, {}));
    expect(back.received.slice(sent).some((m) => m[0] === MessageType.Awareness)).toBe(true);
    room.receive(back, awarenessFrame(42, 4, {}));
    expect(watcher.awareness.getStates().get(42)).toEqual({ user: { name: 'Lena' } });
  });
});

it('remembers each room’s presence ids past its unload, and forgets the rooms opened longest ago past its bound', async () => {
  const { PresenceMemory } = await import('../../server/src/rooms/presenceMemory');
  const memory = new PresenceMemory(3);
  memory.of('a').set(1, 'lena').set(2, 'ben');
  expect(memory.of('a').get(1)).toBe('lena'); // opened again: the same bindings
  memory.of('b').set(3, 'amina');
  memory.of('c').set(4, 'noor');
  memory.of('d'); // 4 ids past a bound of 3: room a, opened longest ago, goes
  expect(memory.of('b').get(3)).toBe('amina');
  expect(memory.of('a').size).toBe(0);
});
