import { describe, expect, it } from 'vitest';
import { Fragment, Slice, type Node as PMNode } from '@tiptap/pm/model';
import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import { deleteSelection, splitBlock, toggleMark } from '@tiptap/pm/commands';
import { wrapInList } from '@tiptap/pm/schema-list';
import { documentSchema } from '#shared/schema';
import { formatChangeOf, textChangeOf, type TextChange } from '../../client/src/suggestions/localChange';
import { foldIntoDraft, type DraftChange } from '../../client/src/suggestions/draft';
import { suggestionOf } from '../../client/src/suggestions/suggestionOf';

/**
 * What the editor in Suggesting mode makes of Enter, pastes and deletions across blocks:
 * the transaction ProseMirror would dispatch is read as a change of text (line breaks
 * for paragraph breaks), folded into the draft, and turned into what the server stores.
 */
const schema = documentSchema();
const P = (text: string) => schema.nodes.paragraph!.create(null, text ? schema.text(text) : null);
const doc = schema.nodes.doc!.create(null, [P('The parties share the cost.'), P('Either party may leave.'), P('Disputes go to mediation.')]);

/** Where `text` starts (or ends, with `end`) in the document. */
function pos(text: string, end = false): number {
  let found = -1;
  doc.descendants((node, at) => {
    const i = node.isText ? (node.text ?? '').indexOf(text) : -1;
    if (found < 0 && i >= 0) found = at + i + (end ? text.length : 0);
  });
  if (found < 0) throw new Error(`"${text}" is not in the document`);
  return found;
}

/** The transaction a command makes on the document with a selection, as the editor would dispatch it (and refuse). */
function run(from: number, to: number, command: (state: EditorState, dispatch: (tr: Transaction) => void) => boolean): TextChange | null {
  const state = EditorState.create({ doc, selection: TextSelection.create(doc, from, to) });
  let made: Transaction | undefined;
  expect(command(state, (tr) => (made = tr))).toBe(true);
  return textChangeOf(made!);
}

const typing = (text: string) => (state: EditorState, dispatch: (tr: Transaction) => void) => (dispatch(state.tr.insertText(text)), true);
const pasting = (slice: Slice) => (state: EditorState, dispatch: (tr: Transaction) => void) => (dispatch(state.tr.replaceSelection(slice)), true);

/** Folds changes made one after the other at the draft's caret, as the controller does. */
function fold(first: TextChange, ...rest: ((caret: number) => TextChange | null)[]): DraftChange {
  let draft: DraftChange = { ...first };
  let caret = first.to;
  for (const next of rest) {
    const folded = foldIntoDraft(draft, next(caret)!);
    expect(folded).not.toBeNull();
    draft = folded!.draft;
    caret = folded!.caret;
  }
  return draft;
}

const text = (nodes: { content?: { text?: string }[] }[]) => nodes.map((n) => (n.content ?? []).map((t) => t.text).join(''));

describe('whole-block suggestions from the editor', () => {
  it('Enter at the end of a paragraph and typing suggests a new paragraph after it', () => {
    const end = pos('cost.', true);
    const enter = run(end, end, splitBlock);
    expect(enter).toEqual({ from: end, to: end, text: '\n' });
    const draft = fold(enter!, ...[...'New clause.'].map((ch) => (caret: number) => run(caret, caret, typing(ch))));
    expect(draft).toEqual({ from: end, to: end, text: '\nNew clause.' });
    const change = suggestionOf(doc, draft);
    expect(change).toMatchObject({ kind: 'blocks', from: end + 1, to: end + 1 });
    expect(change?.kind === 'blocks' && text(change.blocks)).toEqual(['New clause.']);
  });

  it('Enter in the middle of a paragraph suggests the split: the paragraph replaced by its two halves', () => {
    const at = pos(' share');
    const change = suggestionOf(doc, run(at, at, splitBlock)!);
    expect(change).toMatchObject({ kind: 'blocks', from: 0, to: doc.child(0).nodeSize });
    expect(change?.kind === 'blocks' && text(change.blocks)).toEqual(['The parties', ' share the cost.']);
  });

  it('a paragraph selected and deleted is suggested as that paragraph deleted, however it was selected', () => {
    const second = { from: doc.child(0).nodeSize, to: doc.child(0).nodeSize + doc.child(1).nodeSize };
    // Its text alone (a triple click), from the end of the one before, or up to the start of the next.
    for (const [from, to] of [
      [pos('Either'), pos('leave.', true)],
      [pos('cost.', true), pos('leave.', true)],
      [pos('Either'), pos('Disputes')],
    ] as const) {
      const change = run(from, to, deleteSelection);
      expect(change, `${from}..${to}`).not.toBeNull();
      expect(suggestionOf(doc, change!), `${from}..${to}`).toEqual({ kind: 'blocks', ...second, blocks: [] });
    }
  });

  it('a deletion across blocks, and a selection across blocks typed over, replace the blocks they touch', () => {
    const from = pos('cost');
    const to = pos('may');
    const deleted = run(from, to, deleteSelection);
    expect(deleted).toEqual({ from, to, text: '' });
    const change = suggestionOf(doc, deleted!);
    expect(change).toMatchObject({ kind: 'blocks', from: 0, to: doc.child(0).nodeSize + doc.child(1).nodeSize });
    expect(change?.kind === 'blocks' && text(change.blocks)).toEqual(['The parties share the may leave.']);

    const replaced = run(from, to, typing('burden; either party '));
    expect(replaced).toEqual({ from, to, text: 'burden; either party ' });
    const again = suggestionOf(doc, replaced!);
    expect(again?.kind === 'blocks' && text(again.blocks)).toEqual(['The parties share the burden; either party may leave.']);
  });

  it('several paragraphs pasted into a paragraph suggest the paragraphs they make', () => {
    const at = pos('cost.', true);
    const slice = new Slice(Fragment.from([P('First new.'), P('Second new.')]), 1, 1);
    const pasted = run(at, at, pasting(slice));
    expect(pasted).toEqual({ from: at, to: at, text: 'First new.\nSecond new.' });
    const change = suggestionOf(doc, pasted!);
    expect(change).toMatchObject({ kind: 'blocks', from: 0, to: doc.child(0).nodeSize });
    expect(change?.kind === 'blocks' && text(change.blocks)).toEqual(['The parties share the cost.First new.', 'Second new.']);
  });

  it('a change inside one paragraph stays a change of text; a list made is not suggested', () => {
    expect(suggestionOf(doc, run(pos('cost'), pos('cost', true), typing('burden'))!)).toEqual({
      kind: 'text',
      from: pos('cost'),
      to: pos('cost', true),
      text: 'burden',
    });
    expect(run(pos('Either'), pos('Either'), wrapInList(schema.nodes.bulletList!))).toBeNull();
  });

  it('the blocks suggested fit the schema where they go', () => {
    const end = pos('mediation.', true);
    const change = suggestionOf(doc, { from: end, to: end, text: '\n\nAnnex.' });
    expect(change).toMatchObject({ kind: 'blocks', from: doc.content.size, to: doc.content.size });
    if (change?.kind !== 'blocks') throw new Error('not blocks');
    const blocks = Fragment.fromJSON(schema, change.blocks);
    expect(doc.canReplace(doc.childCount, doc.childCount, blocks)).toBe(true);
    expect(text(change.blocks)).toEqual(['', 'Annex.']);
    const unchanged: PMNode = doc;
    expect(suggestionOf(unchanged, { from: end, to: end, text: '' })).toEqual({ kind: 'text', from: end, to: end, text: '' });
  });

  it('formatting alone (bold over a passage, across paragraphs too) is read as a formatting change; anything mixed in is not', () => {
    const transaction = (from: number, to: number, command: (state: EditorState, dispatch: (tr: Transaction) => void) => boolean) => {
      const state = EditorState.create({ doc, selection: TextSelection.create(doc, from, to) });
      let made: Transaction | undefined;
      expect(command(state, (tr) => (made = tr))).toBe(true);
      return made!;
    };
    const bold = toggleMark(schema.marks.bold!);
    expect(formatChangeOf(transaction(pos('share'), pos('share', true), bold))).toEqual({ mark: 'bold', on: true, from: pos('share'), to: pos('share', true) });
    expect(formatChangeOf(transaction(pos('cost'), pos('Either', true), bold))).toEqual({ mark: 'bold', on: true, from: pos('cost'), to: pos('Either', true) });
    const typed = transaction(
      pos('share'),
      pos('share', true),
      (state, dispatch) => (dispatch(state.tr.addMark(pos('share'), pos('share', true), schema.marks.bold!.create()).insertText('x', 1)), true),
    );
    expect(formatChangeOf(typed)).toBeNull();
    const linked = transaction(pos('share'), pos('share', true), toggleMark(schema.marks.link!, { href: 'https://example.org' }));
    expect(formatChangeOf(linked)).toBeNull();
  });
});
