import * as Y from 'yjs';
import { type AnyType, type BlockStarts, anchorAt, childTypes, decodePosition, measureBlocks, nodeSize, resolveAnchor } from './anchors';
import type { ThreadAnchor } from './threads';

/**
 * Repairing anchors that a structural edit broke. The editor binding rewrites text when a
 * paragraph is split, joined, wrapped in a list or turned into a heading: the characters an
 * anchor sticks to are deleted and the same text is inserted anew, so the passage would look
 * deleted although every word of it is still there. Within the transaction that did it (its
 * deleted items still hold their text), the passage's text as it was and where it stood can be
 * read, and the same text found again at the same place in the new text.
 */

/** The next item after `item` in document order, deleted ones included. */
function nextItem(item: Y.Item): Y.Item | null {
  if (item.content instanceof Y.ContentType) {
    const start = (item.content.type as AnyType)._start;
    if (start) return start;
  }
  let current: Y.Item | null = item;
  while (current) {
    if (current.right) return current.right;
    const parent: unknown = current.parent;
    current = parent instanceof Y.AbstractType ? (parent as AnyType)._item : null;
  }
  return null;
}

/** Whether an item was in the document before the transaction (inserted earlier, not deleted earlier). */
function liveBefore(item: Y.Item, transaction: Y.Transaction): boolean {
  if (item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0)) return false;
  return !item.deleted || Y.isDeleted(transaction.deleteSet, item.id);
}

function isSpace(char: string): boolean {
  return /\s/.test(char);
}

/**
 * The passage's text before the transaction (whitespace left out) and how many
 * non-whitespace characters of the document came before it.
 */
function passageBefore(fragment: Y.XmlFragment, startId: Y.ID, endId: Y.ID, transaction: Y.Transaction): { text: string; index: number } | null {
  let index = 0;
  let text = '';
  let inside = false;
  let steps = 0;
  for (let item = (fragment as AnyType)._start; item; item = nextItem(item)) {
    if (++steps > 1_000_000) return null;
    const str = item.content instanceof Y.ContentString && liveBefore(item, transaction) ? item.content.str : null;
    for (let i = 0; i < item.length; i++) {
      const clock = item.id.clock + i;
      if (!inside && item.id.client === startId.client && clock === startId.clock) inside = true;
      if (str !== null && !isSpace(str[i])) {
        if (inside) text += str[i];
        else index++;
      }
      if (inside && item.id.client === endId.client && clock === endId.clock) return { text, index };
    }
  }
  return null;
}

/** Flat text: the non-whitespace characters read, the ProseMirror position of each, and whether the transaction inserted it. */
interface FlatText {
  text: string;
  positions: number[];
  inserted: boolean[];
}

/** Reads one node's non-whitespace characters into `into`; `pos` is where the node starts. */
function readNode(node: AnyType, pos: number, transaction: Y.Transaction, into: FlatText): void {
  if (node instanceof Y.XmlText) {
    let offset = 0;
    for (let item = node._start; item !== null; item = item.right) {
      if (item.deleted || !item.countable) continue;
      if (item.content instanceof Y.ContentString) {
        const str = item.content.str;
        const before = transaction.beforeState.get(item.id.client) ?? 0;
        for (let i = 0; i < str.length; i++) {
          if (isSpace(str[i])) continue;
          into.text += str[i];
          into.positions.push(pos + offset + i);
          into.inserted.push(item.id.clock + i >= before);
        }
      }
      offset += item.length;
    }
  } else if (node instanceof Y.XmlElement) {
    let at = pos + 1;
    for (const child of childTypes(node)) {
      readNode(child, at, transaction, into);
      at += nodeSize(child);
    }
  }
}

const emptyFlat = (): FlatText => ({ text: '', positions: [], inserted: [] });

/** The whole text, flat (read from the items, as a delta would not tell what was inserted). */
function flatText(fragment: Y.XmlFragment, transaction: Y.Transaction): FlatText {
  const flat = emptyFlat();
  let pos = 0;
  for (const block of childTypes(fragment as AnyType)) {
    readNode(block, pos, transaction, flat);
    pos += nodeSize(block);
  }
  return flat;
}

/**
 * Only the top-level blocks in `only`, flat; between two that are not next to each other a
 * space stands for what is left out (flat text has no spaces, so no passage is found across it).
 */
function flatBlocks(fragment: Y.XmlFragment, only: Set<AnyType>, blocks: BlockStarts, transaction: Y.Transaction): FlatText {
  const flat = emptyFlat();
  let joined = false;
  for (const block of childTypes(fragment as AnyType)) {
    const start = blocks.get(block);
    if (!only.has(block) || start === undefined) {
      if (joined) {
        flat.text += ' ';
        flat.positions.push(-1);
        flat.inserted.push(false);
      }
      joined = false;
      continue;
    }
    readNode(block, start, transaction, flat);
    joined = true;
  }
  return flat;
}

/** The top-level blocks holding something `transaction` inserted (read from the new items alone). */
function insertedBlocks(doc: Y.Doc, fragment: Y.XmlFragment, transaction: Y.Transaction): Set<AnyType> {
  const found = new Set<AnyType>();
  for (const [client, after] of transaction.afterState) {
    const before = transaction.beforeState.get(client) ?? 0;
    const structs = doc.store.clients.get(client);
    if (after <= before || !structs) continue;
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const struct = structs[i];
      if (!(struct instanceof Y.Item) || struct.deleted) continue;
      const block = topLevelBlock(fragment, struct);
      if (block) found.add(block);
    }
  }
  return found;
}

/** The top-level block an item is in (or is), null when it is not in the text. */
function topLevelBlock(fragment: Y.XmlFragment, item: Y.Item): AnyType | null {
  for (let current: Y.Item | null = item; current !== null;) {
    const parent: unknown = current.parent;
    if (parent === fragment) return current.content instanceof Y.ContentType ? (current.content.type as AnyType) : null;
    if (!(parent instanceof Y.AbstractType)) return null;
    current = (parent as AnyType)._item;
  }
  return null;
}

/** How far (in non-whitespace characters) a passage may have moved within one transaction and still be found again. */
const REPAIR_DISTANCE = 64;

/**
 * A new anchor for a passage whose first or last character `transaction` deleted, when the
 * passage's text is still there at (about) the same place; null when it is really gone,
 * changed, or not this transaction's doing. Call it from `afterTransaction`.
 */
export function repairAnchor(doc: Y.Doc, fragment: Y.XmlFragment, anchor: ThreadAnchor, transaction: Y.Transaction): ThreadAnchor | null {
  const start = decodePosition(anchor.start);
  const end = decodePosition(anchor.end);
  if (!start?.item || !end?.item) return null;
  if (!Y.isDeleted(transaction.deleteSet, start.item) && !Y.isDeleted(transaction.deleteSet, end.item)) return null;
  try {
    const before = passageBefore(fragment, start.item, end.item, transaction);
    if (!before || before.text.length === 0) return null;
    const now = flatText(fragment, transaction);
    let best = -1;
    for (let at = now.text.indexOf(before.text); at >= 0; at = now.text.indexOf(before.text, at + 1)) {
      if (best < 0 || Math.abs(at - before.index) < Math.abs(best - before.index)) best = at;
    }
    if (best < 0 || Math.abs(best - before.index) > REPAIR_DISTANCE) return null;
    const from = now.positions[best];
    const to = now.positions[best + before.text.length - 1] + 1;
    const repaired = anchorAt(fragment, from, to);
    // Nothing to do when the anchor still covers exactly this passage.
    const current = resolveAnchor(doc, fragment, anchor);
    if (current && !current.detached && current.from === from && current.to === to) return null;
    return repaired;
  } catch {
    return null;
  }
}

/** How many characters (and formatting marks) a transaction added to the document. */
export function insertedCount(transaction: Y.Transaction): number {
  let count = 0;
  for (const [client, clock] of transaction.afterState) count += clock - (transaction.beforeState.get(client) ?? 0);
  return count;
}

/** Whether an anchor's first or last character is deleted (or not told apart here): only then can it be detached. */
function mayBeDetached(doc: Y.Doc, anchor: ThreadAnchor): boolean {
  for (const encoded of [anchor.start, anchor.end]) {
    const id = decodePosition(encoded)?.item;
    if (!id) return true;
    try {
      if (Y.getItem(doc.store, id).deleted) return true;
    } catch {
      return true;
    }
  }
  return false;
}

/**
 * New anchors for detached threads whose words `transaction` put back: a deletion undone (the
 * editor's undo inserts the words anew, and the anchor stays on the deleted ones), or a cut
 * passage pasted elsewhere. Only words this one transaction inserted count, the occurrence
 * nearest where the passage was first: the same words typed again letter by letter are not
 * the passage. Answers a function of a thread's anchor and its quote (the passage's text when
 * the thread was started): null when the thread is not detached or its words are not among
 * those inserted. The text is read once, for the first thread that is detached.
 */
export function anchorRestorer(doc: Y.Doc, fragment: Y.XmlFragment, transaction: Y.Transaction): (anchor: ThreadAnchor, quote: string) => ThreadAnchor | null {
  const inserted = insertedCount(transaction);
  let flat: ReturnType<typeof flatText> | undefined;
  let blocks: BlockStarts | undefined;
  return (anchor, quote) => {
    const words = quote.replace(/\s+/g, '');
    if (words.length === 0 || words.length > inserted || !mayBeDetached(doc, anchor)) return null;
    try {
      blocks ??= measureBlocks(fragment);
      const current = resolveAnchor(doc, fragment, anchor, blocks);
      if (current && !current.detached) return null;
      // Only the blocks this change wrote in are read: the whole text on every paste took 100 ms for 40 pages.
      flat ??= flatBlocks(fragment, insertedBlocks(doc, fragment, transaction), blocks, transaction);
      const now = flat;
      const near = current?.from ?? 0;
      let best = -1;
      for (let at = now.text.indexOf(words); at >= 0; at = now.text.indexOf(words, at + 1)) {
        if (!now.inserted.slice(at, at + words.length).every(Boolean)) continue;
        if (best < 0 || Math.abs(now.positions[at] - near) < Math.abs(now.positions[best] - near)) best = at;
      }
      if (best < 0) return null;
      return anchorAt(fragment, now.positions[best], now.positions[best + words.length - 1] + 1);
    } catch {
      return null;
    }
  };
}
