import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { RoomManager } from '../../server/src/rooms/RoomManager';
import type { Room } from '../../server/src/rooms/Room';
import { SERVER_ORIGIN } from '../../server/src/rooms/origin';
import { readText } from '../../server/src/documents/textRead';
import { LowdbStorage } from '../../server/src/storage/lowdbStorage';
import { contentRoom } from '#shared/rooms';
import { longAgreement, reword, writeDocument } from '../support/document';
import { waitFor } from '../support/poll';
import { removeDir, tempDir } from '../support/server';

// A room unloading stores its last compaction, then frees its doc, without anyone waiting. A person
// opening the agreement meanwhile loaded a second copy from storage and typed into it. When the old
// copy's state could not be encoded in the document worker (it failed, or the server was closing), it
// was encoded on the loop with a mark taken then: after the new copy's records, which its state lacks,
// and so replaced them. The words lived on only in the new copy's memory: a crash, and they were gone.

const silentLog = { error() {}, warn() {}, info() {}, debug() {} };
const ROOM = contentRoom('agreement1');

/** Types `words` at the start of the first paragraph, as the server writes. */
function typeInto(room: Room, words: string): void {
  const paragraph = room.doc.getXmlFragment('content').get(1) as Y.XmlElement;
  room.doc.transact(() => (paragraph.get(0) as Y.XmlText).insert(0, words), SERVER_ORIGIN);
}

/** The words at the start of the first paragraph, where {@link typeInto} types. */
function opening(doc: Y.Doc): string {
  const paragraph = doc.getXmlFragment('content').get(1) as Y.XmlElement;
  return (paragraph.get(0) as Y.XmlText).toString().slice(0, 'Three. Two. One. '.length);
}

/** A gate a test opens (or breaks) when it chooses. */
function gate() {
  let open = () => {};
  let fail = (_err: Error) => {};
  const passed = new Promise<void>((resolve, reject) => ((open = resolve), (fail = reject)));
  return { passed, open: () => open(), fail: (err: Error) => fail(err) };
}

it('a room opened again while its previous copy unloads holds every change, and a restart loses none', async () => {
  const dir = await tempDir('cg-reload-');
  try {
    const storage = await LowdbStorage.open({ dataDir: dir });
    const source = new Y.Doc();
    writeDocument(source, longAgreement(12));
    reword(source, 2);
    await storage.compactRoom(ROOM, Y.encodeStateAsUpdate(source));

    // The document worker: each encoding waits at its own gate, then encodes (this thread, the worker's very code) or fails.
    const gates: ReturnType<typeof gate>[] = [];
    const encodeState = async (parts: Uint8Array[]) => {
      const turn = gate();
      gates.push(turn);
      await turn.passed;
      return readText(parts, 'state').state!;
    };
    const rooms = new RoomManager(storage, silentLog, undefined, undefined, encodeState);

    const first = await rooms.acquire(ROOM);
    typeInto(first, 'One. ');
    await first.whenStored();
    // A compaction under way (as every 2,000 updates) when the last person types and leaves.
    const compacting = first.compact();
    await waitFor(() => gates.length === 1, { what: 'the first compaction encoding away' });
    typeInto(first, 'Two. ');
    await first.whenStored();
    rooms.release(first);
    gates[0].open();
    await compacting;
    // The unload's own compaction, for the words typed after the first one's mark, is being encoded.
    await waitFor(() => gates.length === 2, { what: "the unload's compaction encoding away" });
    expect(rooms.openRooms).toBe(0);

    let loads = 0;
    const loadRoom = storage.loadRoom.bind(storage);
    storage.loadRoom = (room) => (loads++, loadRoom(room));
    const reopening = rooms.acquire(ROOM);
    // Opened at once (as before the fix), the second copy takes words before the first is stored.
    let second: Room | undefined;
    if (loads > 0) {
      second = await reopening;
      typeInto(second, 'Three. ');
      await second.whenStored();
    }
    // The worker is closing: the old copy encodes its state on the loop.
    gates[1].fail(new Error('closing'));
    await waitFor(() => first.doc.isDestroyed, { what: 'the first copy unloaded' });
    if (!second) {
      second = await reopening;
      typeInto(second, 'Three. ');
      await second.whenStored();
    }
    expect(opening(second.doc)).toBe('Three. Two. One. ');

    // What is on disk now, before the second copy ever compacts, is what a crash leaves.
    await storage.close();
    const restarted = await LowdbStorage.open({ dataDir: dir });
    const back = new Y.Doc();
    for (const update of await restarted.loadRoom(ROOM)) Y.applyUpdate(back, update);
    await restarted.close();
    expect(opening(back)).toBe('Three. Two. One. ');
  } finally {
    await removeDir(dir);
  }
});
