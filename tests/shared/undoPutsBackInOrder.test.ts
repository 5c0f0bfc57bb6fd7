import { expect, it } from 'vitest';
import * as Y from 'yjs';

/**
 * Yjs's undo puts deleted words back as copies, each placed by the neighbours it records (origin
 * and rightOrigin). For a copy of words that an earlier undo had itself put back, in a block that
 * was replaced since (the block a heading replaced), Yjs 13.6.33 recorded a right neighbour lying
 * left of the left one: the undoing page placed the words one way, and every page that read the
 * record (and the server's copy) another: expected '<paragraph>Alpha beta. gamma</paragra…' to be
 * '<paragraph>Alpha beta gamma.</paragra…'. yjs/yjs#794; patched in patches/yjs+13.6.33.patch.
 */

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

it('a split taken back, another split and a heading taken back: the undoing page and every other read the same words', () => {
  const doc = new Y.Doc();
  const other = new Y.Doc();
  doc.on('update', (update: Uint8Array) => Y.applyUpdate(other, update));
  const text = doc.getXmlFragment('content');
  text.insert(0, [block('paragraph', 'Alpha beta gamma.'), block('paragraph', 'Delta epsilon.')]);
  const undoManager = new Y.UndoManager(text);
  /** One step of the person's, as one transaction of the binding's, undone on its own. */
  const step = (change: () => void) => {
    doc.transact(change);
    undoManager.stopCapturing();
  };
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
