import * as Y from 'yjs';
import type { Node as PMNode } from '@tiptap/pm/model';
import { contentFragment } from '#shared/anchors';
import { documentSchema } from '#shared/schema';
import { blockReader, type BlockReader } from './blockReads';
import type { Room } from '../../rooms/Room';
import type { RoomManager } from '../../rooms/RoomManager';
import { applyInSlices } from '../../rooms/applyInSlices';

/** A copy of a live text nobody read for this long is dropped (it costs as much memory as the text). */
const FORGET_AFTER_MS = 120_000;

interface Shadow {
  copy: Y.Doc;
  /** The copy read as ProseMirror, until the next change. */
  read: PMNode | undefined;
  /** Reads the copy block by block, each block read anew only after a change inside it. */
  blocks: BlockReader;
  forgetTimer: NodeJS.Timeout;
  forget: () => void;
}

const shadows = new WeakMap<Y.Doc, Shadow>();

/**
 * The live text as a ProseMirror node, read from a copy of it: converting may drop nodes the
 * schema rejects, and a read must never change the live doc. The copy is made once (in slices by
 * {@link followText}, which the services await first; at once otherwise) and then
 * kept current with each of the text's updates (applied as they happen, a fraction of a
 * millisecond each), and its reading is kept until the next change, then made anew only for the
 * blocks that changed (blockReads.ts). Making a fresh copy for
 * every read cost 33 ms for 40 pages and 338 ms for 40 pages reworded for months (applying the
 * whole state), on the event loop, for each suggestion made, accepted or rejected.
 */
export function proseMirrorOf(doc: Y.Doc): PMNode {
  const shadow = shadows.get(doc) ?? follow(doc);
  shadow.forgetTimer.refresh();
  shadow.read ??= shadow.blocks.read();
  return shadow.read;
}

/** Copies being made in slices, by live doc: a second reader waits for the same one. */
const making = new WeakMap<Y.Doc, Promise<void>>();

/**
 * Makes the copy of a room's text that {@link proseMirrorOf} reads, without holding the event loop:
 * from the room's whole state as it keeps it for readers, its big parts cut in the document worker,
 * applied a few milliseconds at a time. Made at once, copying 40 pages reworded for months held every
 * room's sync for 450 to 550 ms, at the first suggestion after two quiet minutes. Once this resolves,
 * the copy follows the text synchronously, so work that reads it right after (in the same step) sees
 * the text as it is.
 */
export function followText(rooms: RoomManager, room: Room): Promise<void> {
  if (shadows.has(room.doc)) return Promise.resolve();
  let made = making.get(room.doc);
  if (!made) {
    made = copyInSlices(rooms, room).finally(() => making.delete(room.doc));
    making.set(room.doc, made);
  }
  return made;
}

async function copyInSlices(rooms: RoomManager, room: Room): Promise<void> {
  const doc = room.doc;
  const copy = new Y.Doc();
  // Listening before the room's state is read: a change made meanwhile is applied twice at worst (harmless in Yjs), never missed.
  const missed: Uint8Array[] = [];
  const miss = (update: Uint8Array) => missed.push(update);
  doc.on('update', miss);
  try {
    await applyInSlices(copy, await rooms.inPieces(room.name, await room.wholeState()));
  } catch (err) {
    copy.destroy();
    throw err;
  } finally {
    doc.off('update', miss);
  }
  // Made at once meanwhile by a reader that did not wait (proseMirrorOf alone).
  if (shadows.has(doc)) return copy.destroy();
  copy.transact(() => missed.forEach((update) => Y.applyUpdate(copy, update)));
  // Read too, in slices: the first read of the whole copy took 48 ms and more at once. The copy follows the text meanwhile.
  await follow(doc, copy).blocks.readAhead();
}

function follow(doc: Y.Doc, copy = copyOf(doc)): Shadow {
  const onUpdate = (update: Uint8Array) => {
    Y.applyUpdate(copy, update);
    shadow.read = undefined;
  };
  const forget = () => {
    clearTimeout(shadow.forgetTimer);
    doc.off('update', onUpdate);
    doc.off('destroy', forget);
    shadows.delete(doc);
    copy.destroy();
  };
  const shadow: Shadow = {
    copy,
    read: undefined,
    blocks: blockReader(contentFragment(copy), documentSchema()),
    forgetTimer: setTimeout(forget, FORGET_AFTER_MS),
    forget,
  };
  shadow.forgetTimer.unref();
  // Registered on the live doc: its 'update' runs synchronously at the end of each transaction,
  // so a read right after a change (an accepted suggestion, then the next) sees it.
  doc.on('update', onUpdate);
  doc.on('destroy', forget);
  shadows.set(doc, shadow);
  return shadow;
}

/** A copy made at once, for a reader that did not wait for {@link followText}. */
function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}
