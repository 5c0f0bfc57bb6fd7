import * as Y from 'yjs';
import type { ChangeAuthor } from '#shared/snapshots';
import type { Snapshot } from './openVersions';
import { isVisible } from './rewrittenBlocks';

/** A run of a text as `toDelta` answers it: its marks, and `ychange` when it was added or removed. */
export interface DeltaOp {
  insert: unknown;
  attributes?: Record<string, unknown> & { ychange?: Change };
}

type Change = { type: 'added' | 'removed'; author: ChangeAuthor };

/**
 * A text's runs as they stand in either version, each added or removed one attributed to whoever
 * made the change. Yjs attributes a changed stretch by its item's first character, so the answer
 * hangs on where items are split. The live text now comes as the room's kept state and its changes
 * since, and words typed into a paragraph (kept state) that was deleted later (changes since) split
 * its text, where the same state made one first (in a doc that drops what a deleted block held)
 * never had them: such a split is undone here, so the comparison reads the same however the room
 * holds its text.
 */
export function changeDelta(text: Y.XmlText, from: Snapshot, to: Snapshot, authorOf: (kind: 'added' | 'removed', id: Y.ID) => ChangeAuthor): DeltaOp[] {
  const items = new Map<Change, Y.ID>();
  const ops = text.toDelta(to, from, (kind: 'added' | 'removed', id: Y.ID) => {
    const change: Change = { type: kind, author: authorOf(kind, id) };
    items.set(change, id);
    return change;
  }) as DeltaOp[];
  const store = text.doc!.store;
  const out: DeltaOp[] = [];
  let last: Y.Item | null = null;
  for (const op of ops) {
    const change = op.attributes?.ychange;
    const id = change && items.get(change);
    const item = id ? (Y.getItem(store, id) as Y.Item) : null;
    const previous = out.at(-1);
    if (item && last && previous?.attributes?.ychange?.type === change!.type && typeof op.insert === 'string' && splitByGhosts(last, item, from, to)) {
      previous.insert = (previous.insert as string) + op.insert;
    } else out.push(op);
    last = item;
  }
  return out;
}

/**
 * Whether `left` and `right` are one item split only by items that a text made one first would not
 * hold: inserted after `from` into a text deleted by `to` (garbage-collected with it there).
 */
function splitByGhosts(left: Y.Item, right: Y.Item, from: Snapshot, to: Snapshot): boolean {
  if (right.left === left) return false;
  let between = right.left;
  while (between !== null && between !== left && isGhost(between, from, to)) between = between.left;
  return (
    between === left &&
    left.id.client === right.id.client &&
    left.id.clock + left.length === right.id.clock &&
    Y.compareIDs(right.origin, left.lastId) &&
    Y.compareIDs(left.rightOrigin, right.rightOrigin) &&
    left.deleted === right.deleted &&
    left.content.constructor === right.content.constructor
  );
}

function isGhost(item: Y.Item, from: Snapshot, to: Snapshot): boolean {
  const parent = (item.parent as Y.AbstractType<unknown>)._item;
  return (from.sv.get(item.id.client) ?? 0) <= item.id.clock && !isVisible(item, to) && parent !== null && !isVisible(parent, to);
}
