import * as Y from 'yjs';
import { anchorAt, contentFragment, resolveAnchor, textBetween } from '#shared/anchors';
import { caucusRoom, contentRoom, recordsRoom } from '#shared/rooms';
import type { ThreadAnchor } from '#shared/threads';
import { setThreadAnchor, threadAnchor, threadsOf } from '#shared/threadStore';
import type { RoomManager } from '../../rooms/RoomManager';
import type { Storage } from '../../storage/port';
import { readRoom, writeRoom } from '../../records/write';
import { applyInSlices } from '../../rooms/applyInSlices';

interface Move {
  threadId: string;
  was: ThreadAnchor;
  anchor: ThreadAnchor;
}

/**
 * After a restore, anchors threads again whose passage the restored text holds. A restore
 * rewrites what differs as new text, so an anchor stuck to the old characters reads as
 * deleted although the passage is back. The restored text is the snapshot's content, so a
 * passage found at positions `from..to` in the snapshot's state is at the same positions
 * in the live text now (checked by comparing the text there); the anchor moves to it.
 * Answers how many threads were anchored again.
 */
export async function reanchorAfterRestore(deps: { rooms: RoomManager; storage: Storage }, agreementId: string, snapshotState: Uint8Array): Promise<number> {
  const record = await deps.storage.getAgreement(agreementId);
  if (!record) return 0;
  const past = new Y.Doc();
  // Read only when a thread needs it (most restores have none), and a slice at a time: applied at once, the
  // state of 40 pages reworded for months held every room's sync for 200 ms and more.
  let pastRead: Promise<void> | undefined;
  const readPast = () => (pastRead ??= deps.rooms.inPieces(contentRoom(agreementId), [snapshotState]).then((pieces) => applyInSlices(past, pieces)));
  let moved = 0;
  try {
    const pastFragment = contentFragment(past);
    for (const room of [recordsRoom(agreementId), ...record.parties.map((p) => caucusRoom(agreementId, p.id))]) {
      const threads = await readRoom(deps.rooms, room, (doc) =>
        [...threadsOf(doc).entries()].flatMap(([id, entry]) => {
          const anchor = threadAnchor(entry);
          return anchor ? [{ id, anchor }] : [];
        }),
      );
      if (threads.length === 0) continue;
      await readPast();
      const moves = await readRoom(deps.rooms, contentRoom(agreementId), (doc) => {
        const fragment = contentFragment(doc);
        const found: Move[] = [];
        for (const thread of threads) {
          const anchor = thread.anchor;
          const then = resolveAnchor(past, pastFragment, anchor);
          if (!then || then.detached) continue;
          const now = resolveAnchor(doc, fragment, anchor);
          if (now && !now.detached && now.from === then.from && now.to === then.to) continue;
          if (textBetween(pastFragment, then.from, then.to) !== textBetween(fragment, then.from, then.to)) continue;
          found.push({ threadId: thread.id, was: anchor, anchor: anchorAt(fragment, then.from, then.to) });
        }
        return found;
      });
      if (moves.length === 0) continue;
      moved += await writeRoom(deps.rooms, room, (doc) => {
        const map = threadsOf(doc);
        let count = 0;
        for (const move of moves) {
          const entry = map.get(move.threadId);
          const anchor = entry && threadAnchor(entry);
          // Unless the thread changed meanwhile (the anchor keeper may have moved it already).
          if (!anchor || anchor.start !== move.was.start || anchor.end !== move.was.end) continue;
          setThreadAnchor(map, move.threadId, move.anchor);
          count++;
        }
        return count;
      });
    }
  } finally {
    past.destroy();
  }
  return moved;
}
