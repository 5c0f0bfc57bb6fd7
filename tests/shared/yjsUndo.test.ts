import { expect, it } from 'vitest';
import * as Y from 'yjs';

/** Yjs's own undo, without the editor, as patched (patches/yjs+13.6.33.patch, patches/README.md). */

/** A block holding `words`, as the editor's binding writes it: an element holding one text. */
function block(name: string, words: string): Y.XmlElement {
  const text = new Y.XmlText();
  text.insert(0, words);
  const element = new Y.XmlElement(name);
  element.insert(0, [text]);
  return element;
}

const textOf = (element: Y.XmlElement) => element.get(0) as Y.XmlText;

/** `doc`'s text as a page that loads it afresh from the server reads it. */
function readAfresh(doc: Y.Doc): string {
  const fresh = new Y.Doc();
  Y.applyUpdate(fresh, Y.encodeStateAsUpdate(doc));
  return fresh.getXmlFragment('content').toString();
}

/**
 * A person's text holding `blocks`, another person's copy kept in step both ways, and the person's
 * undo manager; `step` makes one change of hers, as one transaction of the binding's, undone on its own.
 */
function textsOf(blocks: Y.XmlElement[]) {
  const doc = new Y.Doc();
  const other = new Y.Doc();
  doc.on('update', (update: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(other, update, 'remote'));
  other.on('update', (update: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(doc, update, 'remote'));
  const text = doc.getXmlFragment('content');
  text.insert(0, blocks);
  const undoManager = new Y.UndoManager(text);
  const step = (change: () => void) => {
    doc.transact(change);
    undoManager.stopCapturing();
  };
  return { doc, other, text, undoManager, step };
}

/**
 * Yjs's undo puts deleted words back as copies, each placed by the neighbours it records (origin
 * and rightOrigin). For a copy of words that an earlier undo had itself put back, in a block that
 * was replaced since (the block a heading replaced), Yjs 13.6.33 recorded a right neighbour lying
 * left of the left one: the undoing page placed the words one way, and every page that read the
 * record (and the server's copy) another: expected '<paragraph>Alpha beta. gamma</paragra…' to be
 * '<paragraph>Alpha beta gamma.</paragra…'. yjs/yjs#794; patched in patches/yjs+13.6.33.patch.
 */
it('a split taken back, another split and a heading taken back: the undoing page and every other read the same words', () => {
  const { doc, other, text, undoManager, step } = textsOf([block('paragraph', 'Alpha beta gamma.'), block('paragraph', 'Delta epsilon.')]);
  const first = () => text.get(0) as Y.XmlElement;

  // Enter after "Alpha beta": the words after the caret move to a new paragraph.
  step(() => {
    textOf(first()).delete(10, 7);
    text.insert(1, [block('paragraph', ' gamma.')]);
  });
  undoManager.undo();
  // Enter after "Alpha beta gamma": the "." the undo put back moves to a new paragraph.
  step(() => {
    textOf(first()).delete(16, 1);
    text.insert(1, [block('paragraph', '.')]);
  });
  // The first paragraph becomes a heading: the binding replaces the block.
  step(() => {
    text.delete(0, 1);
    text.insert(0, [block('heading', 'Alpha beta gamma')]);
  });
  undoManager.undo();
  undoManager.undo();

  const expected = '<paragraph>Alpha beta gamma.</paragraph><paragraph>Delta epsilon.</paragraph>';
  expect(text.toString()).toBe(expected);
  expect(readAfresh(doc)).toBe(expected);
  expect(other.getXmlFragment('content').toString()).toBe(expected);
});

/**
 * Yjs keeps what its undo may need (deleted words, and the copies an undo made) from its garbage
 * collection, but a change that empties the redo stack lets go of every block around what that
 * stack held, the copies the undo stack still needs among them. Once someone deleted such a copy,
 * it was collected, and an undo that puts words back into it threw: TypeError: Cannot read
 * properties of undefined (reading 'client') (redoItem, following the block's copy). Patched in
 * patches/yjs+13.6.33.patch: nothing is put back into a copy collected (it was deleted, so nothing
 * put back into it would show), as with garbage collection off.
 */
it('an undo that puts words back into a paragraph someone else deleted since does nothing there, and does not throw', () => {
  const { doc, other, text, undoManager, step } = textsOf([block('paragraph', 'Alpha beta.'), block('paragraph', 'Intro.')]);
  const words = (index: number) => textOf(text.get(index) as Y.XmlElement);

  step(() => words(0).delete(0, 6));
  step(() => text.delete(0, 1));
  // The paragraph comes back as a copy; typing into it, taken back, leaves that on the redo stack.
  undoManager.undo();
  step(() => words(0).insert(0, 'Now '));
  undoManager.undo();
  // A change elsewhere empties the redo stack; then someone else deletes the copy.
  step(() => words(1).insert(0, 'An '));
  other.transact(() => other.getXmlFragment('content').delete(0, 1));

  undoManager.undo();
  undoManager.undo();
  expect(text.toString()).toBe('<paragraph>Intro.</paragraph>');
  expect(readAfresh(doc)).toBe('<paragraph>Intro.</paragraph>');
  expect(other.getXmlFragment('content').toString()).toBe('<paragraph>Intro.</paragraph>');
});
