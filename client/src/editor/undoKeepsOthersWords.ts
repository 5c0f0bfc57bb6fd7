import { Extension } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { defaultDeleteFilter, defaultProtectedNodes, yUndoPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { OBJECTIVE } from '#shared/objective';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs's types are generic over their events: any type of the text
type AnyType = Y.AbstractType<any>;
type Ours = (item: Y.Item) => boolean;

/** Whether `type`, or anything inside it, holds live words that are not `ours`. */
function holdsOthersWords(type: AnyType, ours: Ours): boolean {
  for (let item = type._start; item !== null; item = item.right) {
    if (item.deleted) continue;
    if (item.content instanceof Y.ContentType) {
      if (holdsOthersWords(item.content.type, ours)) return true;
    } else if (item.countable && !ours(item)) return true;
  }
  return false;
}

/** Yjs's own `followRedone` (not exported): the item a redo made of `id`'s, and how far into it `id` lies. */
function followRedone(store: Y.Doc['store'], id: Y.ID): { item: Y.Item; diff: number } | null {
  let next: Y.ID | null = id;
  let diff = 0;
  let item: Y.AbstractStruct;
  do {
    if (diff > 0) next = Y.createID(next.client, next.clock + diff);
    item = Y.getItem(store, next);
    diff = next.clock - item.id.clock;
    next = item instanceof Y.Item ? item.redone : null;
  } while (next !== null && item instanceof Y.Item);
  return item instanceof Y.Item ? { item, diff } : null;
}

/**
 * The items an undo taking back `insertions` deletes, as Yjs picks them: those the step inserted,
 * and for one a redo has since put back, the copy the redo made (with an id of its own). Read in
 * the undo's transaction before Yjs pops the step (splitting items where Yjs then splits them too).
 */
function itemsOfStep(tr: Y.Transaction, insertions: Y.UndoManager['undoStack'][number]['insertions']): Ours {
  const copies = new Map<number, [number, number][]>();
  Y.iterateDeletedStructs(tr, insertions, (struct) => {
    if (!(struct instanceof Y.Item) || struct.redone === null) return;
    const found = followRedone(tr.doc.store, struct.id);
    if (!found) return;
    const { item, diff } = found;
    const ranges = copies.get(item.id.client) ?? copies.set(item.id.client, []).get(item.id.client)!;
    ranges.push([item.id.clock + diff, item.id.clock + item.length]);
  });
  return (i) => Y.isDeleted(insertions, i.id) || (copies.get(i.id.client)?.some(([from, to]) => i.id.clock >= from && i.id.clock < to) ?? false);
}

/** The outermost element or text around `type` (itself included) that the step being taken back made. */
function madeByStep(type: AnyType, ours: Ours): AnyType {
  let root = type;
  for (let parent = root._item?.parent; parent instanceof Y.AbstractType && parent._item && ours(parent._item); parent = parent._item.parent) root = parent;
  return root;
}

/** Whether `field`'s objective holds another live field of its kind (the undo put back the field the step replaced). */
function fieldTwice(field: Y.XmlElement, objective: Y.XmlElement): boolean {
  return objective.toArray().some((child) => child !== field && child instanceof Y.XmlElement && child.nodeName === field.nodeName);
}

/** Whether another live objective in the text has the id of `objective` (the undo put back the one the step moved). */
function hasTwin(objective: Y.XmlElement): boolean {
  const id = objective.getAttribute('id');
  let root: AnyType = objective;
  while (root._item?.parent instanceof Y.AbstractType) root = root._item.parent;
  if (!(root instanceof Y.XmlFragment)) return false;
  for (const el of root.createTreeWalker((el) => el instanceof Y.XmlElement && el.nodeName === OBJECTIVE)) {
    if (el !== objective && (el as Y.XmlElement).getAttribute('id') === id) return true;
  }
  return false;
}

/**
 * Whether `made`, the outermost block (or field, or text) the step made there, would stay for its
 * own sake: while it holds someone else's words, unless one objective, or one objective's field,
 * would then stand twice (the undo put back the objective the step moved, or the field it replaced).
 */
function wantsToStay(made: AnyType, ours: Ours): boolean {
  if (!holdsOthersWords(made, ours)) return false;
  if (!(made instanceof Y.XmlElement)) return true;
  if (made.nodeName === OBJECTIVE) return !hasTwin(made);
  const parent = made._item?.parent;
  return !(parent instanceof Y.XmlElement && parent.nodeName === OBJECTIVE && fieldTwice(made, parent));
}

/** Whether the schema takes `parent`'s live blocks, those the step made only where `stays` says so. */
function validAfter(parent: AnyType, schema: Schema, ours: Ours, stays: (child: AnyType) => boolean): boolean {
  const type = parent instanceof Y.XmlElement ? schema.nodes[parent.nodeName] : schema.topNodeType;
  // Words and inline nodes go anywhere in a paragraph or heading.
  if (!type || type.isTextblock) return true;
  let match: ReturnType<typeof type.contentMatch.matchType> = type.contentMatch;
  for (let item = parent._start; item !== null && match; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentType) || !(item.content.type instanceof Y.XmlElement)) continue;
    if (ours(item) && !stays(item.content.type)) continue;
    const child = schema.nodes[item.content.type.nodeName];
    match = child ? match.matchType(child) : null;
  }
  return !!match?.validEnd;
}

/**
 * Makes the undos and redos of `undoManager` keep other people's words. Yjs deletes every block
 * the step taken back made, with whatever is in it; the binding keeps only a paragraph (or a text)
 * that still holds words. So a heading made, a list item started or an objective inserted went
 * with the words another person had typed into it since, on every page. Here what the step made
 * stays, whole, while it holds words the step did not write: every block, field, text and
 * attribute in it (a heading's level, an objective's id, an empty paragraph), only the step's own
 * words gone. Anything less could leave a block its schema refuses (a list item without its first
 * paragraph), which the binding deletes, words and all. Not when one objective, or one field of
 * an objective, would stand twice: the undo put back the objective the step moved, or the field it
 * replaced (the server refuses both). Returns how to stop.
 */
export function keepOthersWords(undoManager: Y.UndoManager, schema: Schema): () => void {
  type StackItem = Y.UndoManager['undoStack'][number];
  /**
   * The undo's transaction, its stack as it was before Yjs popped anything, and the items of each
   * step it takes back. One undo can pop several steps: Yjs goes on to the next when one changes
   * nothing (everything it made already deleted), all in one transaction.
   */
  let undoing: { tr: Y.Transaction; stack: StackItem[]; before: StackItem[]; items: Map<StackItem, Ours> } | null = null;
  /** The step whose items the caches below describe. */
  let current: StackItem | null = null;
  /**
   * Each block's fate, decided once per step: its attributes are filtered before it (Yjs goes from
   * the newest item back), and an objective without its id would no longer match its twin.
   */
  const wanted = new Map<AnyType, boolean>();
  /** Whether each parent of what the step made stays valid with the blocks that want to stay in it. */
  const decided = new Map<AnyType, 'wanted' | 'all' | 'none'>();
  const before = (tr: Y.Transaction) => {
    if (tr.origin !== undoManager) return;
    const stack = undoManager.undoing ? undoManager.undoStack : undoManager.redoStack;
    undoing = { tr, stack, before: stack.slice(), items: new Map() };
    current = null;
  };
  const after = (tr: Y.Transaction) => {
    if (tr.origin !== undoManager) return;
    undoing = null;
    current = null;
    wanted.clear();
    decided.clear();
  };
  /** The items of the step Yjs is taking back now (the one it popped last), or null outside an undo or redo. */
  const stepItems = (): Ours | null => {
    if (undoing === null) return null;
    const step = undoing.before[undoing.stack.length];
    if (step === undefined) return null;
    if (step !== current) {
      current = step;
      wanted.clear();
      decided.clear();
    }
    return undoing.items.get(step) ?? undoing.items.set(step, itemsOfStep(undoing.tr, step.insertions)).get(step)!;
  };
  undoManager.doc.on('beforeTransaction', before);
  undoManager.doc.on('afterTransaction', after);
  undoManager.deleteFilter = (item) => {
    const ours = stepItems();
    if (ours === null) return defaultDeleteFilter(item, defaultProtectedNodes);
    const wants = (made: AnyType) => wanted.get(made) ?? wanted.set(made, wantsToStay(made, ours)).get(made)!;
    // What the step made stays whole where it holds others' words, if its parent then stays a block the
    // schema takes; where it would not, whatever the step made in that parent stays (its words gone), if
    // that is taken. The binding deletes a block its schema refuses, words and all, in a change of its
    // own, and then fails to show the text (a list item left without its first paragraph, say).
    const fateIn = (parent: AnyType): 'wanted' | 'all' | 'none' => {
      if (validAfter(parent, schema, ours, wants)) return 'wanted';
      return validAfter(parent, schema, ours, () => true) ? 'all' : 'wanted';
    };
    const kept = (type: AnyType) => {
      const made = madeByStep(type, ours);
      const parent = made._item?.parent;
      if (!(parent instanceof Y.AbstractType)) return wants(made);
      const fate = decided.get(parent) ?? decided.set(parent, fateIn(parent)).get(parent)!;
      return fate === 'all' || wants(made);
    };
    const parent = item.parent;
    // An attribute of a block the step made (a heading's level, an objective's id) goes, or stays, with it.
    if (item.parentSub !== null && parent instanceof Y.XmlElement && parent._item && ours(parent._item)) return !kept(parent);
    if (!(item.content instanceof Y.ContentType)) return defaultDeleteFilter(item, defaultProtectedNodes);
    return !kept(item.content.type) && defaultDeleteFilter(item, defaultProtectedNodes);
  };
  return () => {
    undoManager.doc.off('beforeTransaction', before);
    undoManager.doc.off('afterTransaction', after);
  };
}

/** Installs {@link keepOthersWords} on the text's undo manager (the Collaboration extension's). */
export function undoKeepsOthersWordsPlugin(): Plugin {
  return new Plugin({
    key: new PluginKey('undoKeepsOthersWords'),
    view: (view) => {
      const undoManager = yUndoPluginKey.getState(view.state)?.undoManager as Y.UndoManager | undefined;
      return { destroy: undoManager ? keepOthersWords(undoManager, view.state.schema) : undefined };
    },
  });
}

export const UndoKeepsOthersWords = Extension.create({
  name: 'undoKeepsOthersWords',
  addProseMirrorPlugins: () => [undoKeepsOthersWordsPlugin()],
});
