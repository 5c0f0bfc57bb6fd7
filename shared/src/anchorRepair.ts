import * as Y from 'yjs';
import { type AnyType, anchorAt, childTypes, decodePosition, nodeSize, resolveAnchor } from './anchors';
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

/**
 * Non-whitespace characters of the text with the ProseMirror position of each, and whether
 * `transaction` inserted it (read from the items, as a delta would not tell).
 */
function flatText(fragment: Y.XmlFragment, transaction: Y.Transaction): { text: string; positions: number[]; inserted: boolean[] } {
  let text = '';
  const positions: number[] = [];
  const inserted: boolean[] = [];
  const visit = (type: AnyType, start: number) => {
    let pos = start;
    for (const child of childTypes(type)) {
      if (child instanceof Y.XmlText) {
        let offset = 0;
        for (let item = (child as AnyType)._start; item !== null; item = item.right) {
          if (item.deleted || !item.countable) continue;
          if (item.content instanceof Y.ContentString) {
            const str = item.content.str;
            const before = transaction.beforeState.get(item.id.client) ?? 0;
            for (let i = 0; i < str.length; i++) {
              if (isSpace(str[i])) continue;
              text += str[i];
              positions.push(pos + offset + i);
              inserted.push(item.id.clock + i >= before);
            }
          }
          offset += item.length;
        }
      } else if (child instanceof Y.XmlElement) {
        visit(child, pos + 1);
      }
      pos += nodeSize(child);
    }
  };
  visit(fragment as AnyType, 0);
  return { text, positions, inserted };
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
  return (anchor, quote) => {
    const words = quote.replace(/\s+/g, '');
    if (words.length === 0 || words.length > inserted || !mayBeDetached(doc, anchor)) return null;
    try {
      const current = resolveAnchor(doc, fragment, anchor);
      if (current && !current.detached) return null;
      flat ??= flatText(fragment, transaction);
      const now = flat;
      const was = current ? now.positions.findIndex((pos) => pos >= current.from) : 0;
      const near = was < 0 ? now.text.length : was;
      let best = -1;
      for (let at = now.text.indexOf(words); at >= 0; at = now.text.indexOf(words, at + 1)) {
        if (!now.inserted.slice(at, at + words.length).every(Boolean)) continue;
        if (best < 0 || Math.abs(at - near) < Math.abs(best - near)) best = at;
      }
      if (best < 0) return null;
      return anchorAt(fragment, now.positions[best], now.positions[best + words.length - 1] + 1);
    } catch {
      return null;
    }
  };
}
