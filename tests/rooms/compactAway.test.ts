import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { Room } from '../../server/src/rooms/Room';
import { readText } from '../../server/src/documents/textRead';
import { SERVER_ORIGIN } from '../../server/src/rooms/origin';
import { KEEP_FROM_BYTES } from '../../server/src/rooms/newcomerState';
import { MemoryRoomStorage, MemorySocket } from '../support/memoryRoom';
import { contentString } from '../support/clients';
import { longAgreement, reword, writeDocument } from '../support/document';

// The compaction as a room's last person left, or every 2,000 updates while people type, encoded the
// whole state on the event loop: 35 to 116 ms for 40 pages reworded for months, during which no other
// room's keystrokes moved. It is now encoded in the document worker (here: its very code, readText, in
// this thread), from the state kept for newcomers and the batches since, and replaces only the records
// it holds.

/** A room loaded from a long text's stored state (kept for newcomers), each encoding away counted, and held while `hold` is pending. */
async function longRoom(hold?: Promise<void>) {
  const source = new Y.Doc();
  writeDocument(source, longAgreement(12));
  reword(source, 2);
  const state = Y.encodeStateAsUpdate(source);
  expect(state.length).toBeGreaterThan(KEEP_FROM_BYTES);
  const storage = new MemoryRoomStorage();
  storage.states.set('r', state);
  const room = await Room.load('r', storage.port, await storage.loadRoom('r'));
  const away = { count: 0 };
  room.encodeState = async (parts) => {
    away.count++;
    await hold;
    return readText(parts, 'state').state!;
  };
  return { storage, room, away };
}

/** What the room's storage holds, replayed. */
async function stored(storage: MemoryRoomStorage): Promise<Y.Doc> {
  const doc = new Y.Doc();
  for (const update of await storage.loadRoom('r')) Y.applyUpdate(doc, update);
  return doc;
}

/** Types `words` at the start of the first paragraph, as the server writes. */
function typeInto(room: Room, words: string): void {
  const paragraph = room.doc.getXmlFragment('content').get(1) as Y.XmlElement;
  room.doc.transact(() => (paragraph.get(0) as Y.XmlText).insert(0, words), SERVER_ORIGIN);
}

it('a room nobody is connected to is compacted from a state encoded away, and holds every change', async () => {
  const { storage, room, away } = await longRoom();
  typeInto(room, 'Last words. ');
  await room.whenStored();
  await room.compact();
  expect(away.count).toBe(1);
  expect(storage.logs.get('r')).toBeUndefined();
  const back = await stored(storage);
  expect(contentString(back)).toBe(contentString(room.doc));
  expect(Y.encodeStateVector(back)).toEqual(Y.encodeStateVector(room.doc));
});

it('a change made while the state is encoded away is not lost: it stays in the log after the state', async () => {
  let release = () => {};
  const { storage, room, away } = await longRoom(new Promise<void>((resolve) => (release = resolve)));
  typeInto(room, 'Before. ');
  await room.whenStored();
  const compacting = room.compact();
  await new Promise((resolve) => setImmediate(resolve));
  expect(away.count).toBe(1);
  typeInto(room, 'Meanwhile. ');
  release();
  await compacting;
  await room.whenStored();
  expect(storage.logs.get('r')).toHaveLength(1);
  const back = await stored(storage);
  expect(contentString(back)).toContain('Meanwhile. Before. ');
  expect(contentString(back)).toBe(contentString(room.doc));
});

it('a room someone is connected to is compacted from a state encoded away too', async () => {
  const { storage, room, away } = await longRoom();
  room.join(new MemorySocket(), { canWrite: true, author: { personId: 'p1', name: 'Nia' } } as never);
  typeInto(room, 'Typed. ');
  await room.whenStored();
  await room.compact();
  expect(away.count).toBe(1);
  expect(contentString(await stored(storage))).toBe(contentString(room.doc));
});
