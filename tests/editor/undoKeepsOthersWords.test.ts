import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Node as PMNode } from '@tiptap/pm/model';
import { TextSelection } from '@tiptap/pm/state';
import { setBlockType, splitBlock } from '@tiptap/pm/commands';
import { splitListItem, wrapInList } from '@tiptap/pm/schema-list';
import { prosemirrorJSONToYXmlFragment, redo, undo, ySyncPlugin, yUndoPlugin, yUndoPluginKey } from '@tiptap/y-tiptap';
import type { JSONContent } from '@tiptap/core';
import { CONTENT_FIELD } from '#shared/rooms';
import { documentSchema } from '#shared/schema';
import { OBJECTIVE, OBJECTIVE_CHILDREN } from '#shared/objective';
import { undoKeepsOthersWordsPlugin } from '../../client/src/editor/undoKeepsOthersWords';
import { HeadlessView, loadingRest } from './headlessView';
import { waitFor } from '../support/poll';
import { objective, paragraph } from '../support/document';

/**
 * Nia's undo must take back her own step, never the words Ben typed into it since. Yjs's undo
 * deletes every block the step made with what is in it; y-tiptap's delete filter keeps only a
 * paragraph that still holds words, so a heading, a list item, a list or an objective went with
 * Ben's words (expected [ 'paragraph: Body.', …(1) ] to deeply equal [ 'heading:  and budget', …(2) ];
 * expected 'paragraph: Report yearly. Pay on time…' to contain ' Within 30 days.'; expected [] to
 * deeply equal [ 'o1' ]). The undo manager's filter (client/src/editor/undoKeepsOthersWords.ts)
 * keeps what the step made, whole, while it holds others' words, where its parent stays a block the
 * schema takes. Two things it missed, in a randomized two-editor run (typing, splits, headings,
 * lists, joins, objectives, undo and redo; 1,400 runs): one undo can take back several steps (Yjs
 * goes on to the next when one changes nothing), and a step a redo put back is made of copies with
 * ids of their own; it read only the first step's insertions, so an objective was left with the one
 * field holding Ben's words, which the binding then deleted, his words with it.
 */
const schema = documentSchema();
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** Nia's and Ben's editors, each on a Y.Doc of its own, kept in step both ways, on `content`. */
async function niaAndBen(content: JSONContent[]) {
  const niaDoc = new Y.Doc();
  const benDoc = new Y.Doc();
  niaDoc.on('update', (update: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(benDoc, update, 'remote'));
  benDoc.on('update', (update: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(niaDoc, update, 'remote'));
  prosemirrorJSONToYXmlFragment(schema, { type: 'doc', content }, benDoc.getXmlFragment(CONTENT_FIELD));
  const editor = (doc: Y.Doc) => new HeadlessView(schema, [ySyncPlugin(doc.getXmlFragment(CONTENT_FIELD)), yUndoPlugin(), undoKeepsOthersWordsPlugin()]);
  const nia = editor(niaDoc);
  const ben = editor(benDoc);
  await waitFor(() => !loadingRest(nia) && !loadingRest(ben) && nia.state.doc.childCount === content.length, { what: 'both texts shown' });
  cleanup = () => (nia.destroy(), ben.destroy());
  /** Nia's change, made in a step of its own (as after a pause of half a second). */
  const niaDoes = (change: (view: HeadlessView) => void) => {
    change(nia);
    yUndoPluginKey.getState(nia.state)!.undoManager.stopCapturing();
  };
  return { nia, ben, niaDoes };
}

/** The position just after the first `words` in the text. */
function after(view: HeadlessView, words: string): number {
  let at = -1;
  view.state.doc.descendants((node, pos) => {
    if (at < 0 && node.isText && node.text!.includes(words)) at = pos + node.text!.indexOf(words) + words.length;
  });
  if (at < 0) throw new Error(`"${words}" is not in the text`);
  return at;
}

const caretAfter = (view: HeadlessView, words: string) => view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, after(view, words))));
const typeAfter = (view: HeadlessView, words: string, typed: string) => view.dispatch(view.state.tr.insertText(typed, after(view, words)));

/** Each block as "type: words" (list items and objective fields one by one). */
function blocks(doc: PMNode): string[] {
  const seen: string[] = [];
  doc.descendants((node) => {
    if (!node.isTextblock) return true;
    seen.push(`${node.type.name}: ${node.textContent}`);
    return false;
  });
  return seen;
}

/** Nia's text holds objective o1 alone, whole (every field, the schema satisfied), its title Ben's words; both texts alike. */
function expectFirstObjectiveKeptWithBensWords(nia: HeadlessView, ben: HeadlessView): void {
  const objectives: PMNode[] = [];
  nia.state.doc.forEach((node) => void (node.type.name === OBJECTIVE && objectives.push(node)));
  expect(objectives.map((o) => o.attrs.id)).toEqual(['o1']);
  expect(objectives[0].content.content.map((field) => field.type.name)).toEqual(OBJECTIVE_CHILDREN);
  expect(objectives[0].firstChild!.textContent).toBe(' for all');
  expect(() => nia.state.doc.check()).not.toThrow();
  expect(nia.state.doc.eq(ben.state.doc)).toBe(true);
}

describe("Nia's undo keeps the words Ben typed into what she takes back", () => {
  it('a heading she made: his words stay, in a heading of their own, and Redo gives hers back', async () => {
    const { nia, ben, niaDoes } = await niaAndBen([paragraph('Scope of work'), paragraph('Body.')]);
    niaDoes((view) => {
      caretAfter(view, 'Scope');
      setBlockType(schema.nodes.heading, { level: 2 })(view.state, view.dispatch.bind(view));
    });
    typeAfter(ben, 'Scope of work', ' and budget');

    undo(nia.state);
    expect(blocks(nia.state.doc).sort()).toEqual(['heading:  and budget', 'paragraph: Body.', 'paragraph: Scope of work']);
    expect(nia.state.doc.firstChild!.attrs.level).toBe(2);
    expect(nia.state.doc.eq(ben.state.doc)).toBe(true);
    redo(nia.state);
    expect(blocks(nia.state.doc)).toEqual(['heading: Scope of work and budget', 'paragraph: Body.']);
  });

  it('a list item she started and a list she made: his words stay', async () => {
    const list = { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph('Report yearly. Pay on time.')] }] };
    const { nia, ben, niaDoes } = await niaAndBen([list, paragraph('Deliver water.')]);
    niaDoes((view) => {
      caretAfter(view, 'Report yearly. ');
      splitListItem(schema.nodes.listItem)(view.state, view.dispatch.bind(view));
    });
    niaDoes((view) => {
      caretAfter(view, 'Deliver');
      wrapInList(schema.nodes.bulletList)(view.state, view.dispatch.bind(view));
    });
    typeAfter(ben, 'Pay on time.', ' Within 30 days.');
    typeAfter(ben, 'Deliver water.', ' To every village.');

    undo(nia.state);
    undo(nia.state);
    const seen = blocks(nia.state.doc).join(' | ');
    expect(seen).toContain(' Within 30 days.');
    expect(seen).toContain(' To every village.');
    expect(nia.state.doc.textContent).toContain('Report yearly. Pay on time.');
    expect(nia.state.doc.eq(ben.state.doc)).toBe(true);
  });

  it('an objective she inserted stays whole, every field with it, while it holds his words; without them it goes whole', async () => {
    const { nia, ben, niaDoes } = await niaAndBen([paragraph('Intro.')]);
    niaDoes((view) => view.dispatch(view.state.tr.insert(view.state.doc.content.size, schema.nodeFromJSON(objective('o1', { title: 'Clean water' })))));
    niaDoes((view) => view.dispatch(view.state.tr.insert(view.state.doc.content.size, schema.nodeFromJSON(objective('o2', { title: 'Quick win' })))));
    typeAfter(ben, 'Clean water', ' for all');

    undo(nia.state);
    undo(nia.state);
    expectFirstObjectiveKeptWithBensWords(nia, ben);
  });

  it('her undo that takes back two steps at once (Ben had deleted all the later one wrote) keeps the objective of the first whole, with his words', async () => {
    const { nia, ben, niaDoes } = await niaAndBen([paragraph('Intro.')]);
    niaDoes((view) => view.dispatch(view.state.tr.insert(view.state.doc.content.size, schema.nodeFromJSON(objective('o1', { title: 'Clean water' })))));
    typeAfter(ben, 'Clean water', ' for all');
    niaDoes((view) => typeAfter(view, 'Intro.', ' More.'));
    ben.dispatch(ben.state.tr.delete(after(ben, 'Intro.'), after(ben, 'Intro. More.')));

    undo(nia.state);
    expectFirstObjectiveKeptWithBensWords(nia, ben);
  });

  it('an objective she moved goes back where it was, once: never twice beside the copy he typed into', async () => {
    const { nia, ben, niaDoes } = await niaAndBen([objective('o1', { title: 'Clean water' }), paragraph('Intro.')]);
    niaDoes((view) => {
      const moved = view.state.doc.child(0);
      view.dispatch(view.state.tr.delete(0, moved.nodeSize).insert(view.state.doc.content.size - moved.nodeSize, moved));
    });
    expect(blocks(ben.state.doc)[0]).toBe('paragraph: Intro.');
    typeAfter(ben, 'Clean water', ' for all');

    undo(nia.state);
    const ids: string[] = [];
    nia.state.doc.forEach((node) => void (node.type.name === OBJECTIVE && ids.push(String(node.attrs.id))));
    expect(ids).toEqual(['o1']);
    expect(blocks(nia.state.doc)[0]).toBe('objectiveTitle: Clean water');
    expect(nia.state.doc.eq(ben.state.doc)).toBe(true);
  });
});

/**
 * Found by the randomized two-editor run (seeds 60, 130, 596 and 1381 of 1,400; this is seed 130
 * shrunk): one person alone splits a paragraph, takes it back, splits it elsewhere, makes the first
 * part a heading and takes both back. Her page read "Alpha beta gamma." and every other page
 * "Alpha beta. gamma", for good (expected false to be true). Yjs's undo put back the "." the second
 * split moved after one neighbour and recorded it before another, left of the first (yjs/yjs#794,
 * patched in patches/yjs+13.6.33.patch; in Yjs alone: tests/shared/yjsUndo.test.ts).
 */
it('a split taken back, another split and a heading taken back: every page reads the same text', async () => {
  const { nia, ben, niaDoes } = await niaAndBen([paragraph('Alpha beta gamma.'), paragraph('Delta epsilon.')]);
  niaDoes((view) => {
    caretAfter(view, 'Alpha beta');
    splitBlock(view.state, view.dispatch.bind(view));
  });
  undo(nia.state);
  niaDoes((view) => {
    caretAfter(view, 'Alpha beta gamma');
    splitBlock(view.state, view.dispatch.bind(view));
  });
  niaDoes((view) => {
    caretAfter(view, 'Al');
    setBlockType(schema.nodes.heading, { level: 2 })(view.state, view.dispatch.bind(view));
  });
  undo(nia.state);
  undo(nia.state);

  expect(nia.state.doc.textContent).toBe('Alpha beta gamma.Delta epsilon.');
  expect(nia.state.doc.eq(ben.state.doc)).toBe(true);
});
