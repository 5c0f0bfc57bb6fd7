import { Extension } from '@tiptap/core';
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

/** The objective `type` is, or is a field of, or null. */
function objectiveOf(type: AnyType): Y.XmlElement | null {
  if (!(type instanceof Y.XmlElement)) return null;
  if (type.nodeName === OBJECTIVE) return type;
  const parent = type._item?.parent;
  return parent instanceof Y.XmlElement && parent.nodeName === OBJECTIVE ? parent : null;
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
 * Whether an undo taking back the step whose insertions are `ours` may delete `type`, a block,
 * field or text the step made, for the words in it: not while it holds someone else's.
 */
function goes(type: AnyType, ours: Ours): boolean {
  const objective = objectiveOf(type);
  // An objective stays whole or goes whole: the server refuses one with a field missing.
  if (objective && objective._item && ours(objective._item)) return !holdsOthersWords(objective, ours) || hasTwin(objective);
  if (objective && type !== objective && fieldTwice(type as Y.XmlElement, objective)) return true;
  return !holdsOthersWords(type, ours);
}

/**
 * Makes the undos and redos of `undoManager` keep other people's words. Yjs deletes every block
 * the step taken back made, with whatever is in it; the binding keeps only a paragraph (or a text)
 * that still holds words. So a heading made, a list item started or an objective inserted went
 * with the words another person had typed into it since, on every page. Here anything the step
 * made stays while it holds words the step did not write (its own words in it still go: Yjs
 * deletes children first), with its attributes (a heading's level, an objective's id); an
 * objective stays with every field, unless the undo put back the objective it was moved from, or
 * a field the step replaced (one id, or one field, twice is refused too). Returns how to stop.
 */
export function keepOthersWords(undoManager: Y.UndoManager): () => void {
  /** The insertions of the step being taken back (read before Yjs pops it off its stack). */
  let taking: Y.UndoManager['undoStack'][number]['insertions'] | null = null;
  /**
   * Each block's fate, decided once per undo: its attributes are filtered before it (Yjs goes from
   * the newest item back), and an objective without its id would no longer match its twin.
   */
  const decided = new Map<AnyType, boolean>();
  const before = (tr: Y.Transaction) => {
    if (tr.origin !== undoManager) return;
    const stack = undoManager.undoing ? undoManager.undoStack : undoManager.redoStack;
    taking = stack.length > 0 ? stack[stack.length - 1].insertions : null;
    decided.clear();
  };
  const after = (tr: Y.Transaction) => {
    if (tr.origin !== undoManager) return;
    taking = null;
    decided.clear();
  };
  undoManager.doc.on('beforeTransaction', before);
  undoManager.doc.on('afterTransaction', after);
  undoManager.deleteFilter = (item) => {
    const insertions = taking;
    if (insertions === null) return defaultDeleteFilter(item, defaultProtectedNodes);
    const ours: Ours = (i) => Y.isDeleted(insertions, i.id);
    const fate = (type: AnyType) => decided.get(type) ?? decided.set(type, goes(type, ours)).get(type)!;
    const parent = item.parent;
    // An attribute of a block the step made goes, or stays, with it.
    if (item.parentSub !== null && parent instanceof Y.XmlElement && parent._item && ours(parent._item)) return fate(parent);
    if (!(item.content instanceof Y.ContentType)) return defaultDeleteFilter(item, defaultProtectedNodes);
    const type = item.content.type;
    // The binding's own filter still keeps a paragraph that holds words once the step's are gone (an objective's parts go by the objective's fate).
    return fate(type) && (objectiveOf(type) !== null || defaultDeleteFilter(item, defaultProtectedNodes));
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
      return { destroy: undoManager ? keepOthersWords(undoManager) : undefined };
    },
  });
}

export const UndoKeepsOthersWords = Extension.create({
  name: 'undoKeepsOthersWords',
  addProseMirrorPlugins: () => [undoKeepsOthersWordsPlugin()],
});
