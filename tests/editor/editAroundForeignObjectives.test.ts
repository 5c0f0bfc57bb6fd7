import { expect, it } from 'vitest';
import type { JSONContent } from '@tiptap/core';
import { Fragment, Slice, type Node as PMNode } from '@tiptap/pm/model';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { documentSchema } from '#shared/schema';
import { dropsFactFields } from '../../client/src/objectives/factFieldGuard';
import { editAroundForeignObjectives } from '../../client/src/objectives/keepForeignObjectives';
import { heading, objective, paragraph } from '../support/document';

const NGO = 'ngo-party';
/** A business negotiator: every objective but the NGO's own is theirs to write. */
const allowed = (scope: unknown) => scope !== NGO;

const blocks = [heading(2, 'Shared objectives'), objective('o1', { title: 'Restore the river bank' }, { scope: NGO }), paragraph('Closing words.')];

/** Where `text` starts in `doc`. */
function at(doc: PMNode, text: string): number {
  let found = -1;
  doc.descendants((node, pos) => {
    const i = node.isText ? (node.text ?? '').indexOf(text) : -1;
    if (found < 0 && i >= 0) found = pos + i;
    return found < 0;
  });
  if (found < 0) throw new Error(`"${text}" is not in the text`);
  return found;
}

/** The state on `content` with the selection from the start of `from` to the start of `to`. */
function selecting(from: string, to: string, content: JSONContent[] = blocks) {
  const doc = documentSchema().nodeFromJSON({ type: 'doc', content } as JSONContent);
  return EditorState.create({ doc, selection: TextSelection.create(doc, at(doc, from), at(doc, to)) });
}

const texts = (doc: PMNode) => doc.children.map((block) => block.textContent);

// A selection holding another party's own objective was refused whole: the person's own words could not go either.
it('a deletion across another party’s own objective deletes the rest and keeps the objective whole', () => {
  const state = selecting('objectives', 'words');
  const around = editAroundForeignObjectives(state, state.tr.deleteSelection(), allowed);
  expect(around && texts(around.doc)).toEqual(['Shared ', 'Restore the river bank', 'words.']);
  expect(around!.doc.child(1).eq(state.doc.child(1))).toBe(true);
});

it('typing over it replaces the rest; begun inside the objective, the words go where the person’s text resumes', () => {
  const state = selecting('objectives', 'words');
  const typed = editAroundForeignObjectives(state, state.tr.insertText('aims'), allowed);
  expect(typed && texts(typed.doc)).toEqual(['Shared aims', 'Restore the river bank', 'words.']);
  expect(typed!.selection.from).toBe(at(typed!.doc, 'aims') + 4);

  const inside = selecting('river', 'words');
  const resumed = editAroundForeignObjectives(inside, inside.tr.insertText('Final '), allowed);
  expect(resumed && texts(resumed.doc)).toEqual(['Shared objectives', 'Restore the river bank', 'Final words.']);
});

it('a drop, a selection inside the objective alone, and an objective one may write are left to the guard as they are', () => {
  const state = selecting('objectives', 'words');
  expect(editAroundForeignObjectives(state, state.tr.deleteSelection().setMeta('uiEvent', 'drop'), allowed)).toBeNull();
  const inside = selecting('the river', 'bank');
  expect(editAroundForeignObjectives(inside, inside.tr.deleteSelection(), allowed)).toBeNull();
  expect(editAroundForeignObjectives(state, state.tr.deleteSelection(), () => true)).toBeNull();
});

it('a deletion begun inside the objective deletes the person’s words after it and leaves no empty block behind', () => {
  const inside = selecting('Restore', 'words');
  const around = editAroundForeignObjectives(inside, inside.tr.deleteSelection(), allowed);
  expect(around && texts(around.doc)).toEqual(['Shared objectives', 'Restore the river bank', 'words.']);
});

const shared = objective('s1', { title: 'Fund kiosks', band: '40 to 60 kiosks', trigger: 'prices rise' }, { owners: 'Ben' });
/** Each block's children's texts: an objective's fields one by one. */
const fields = (doc: PMNode) =>
  doc.children.map((block) => (block.type.name === 'objective' ? block.children.map((field) => field.textContent) : block.textContent));

// Begun in a shared objective, the rest was cut with the objective's closing: its owners and indicators fields went too, and the editor refused that.
it('a deletion begun in a shared objective before it deletes the words of that objective’s fields and keeps all its fields', () => {
  const state = selecting('60 kiosks', 'words', [shared, ...blocks.slice(1)]);
  const around = editAroundForeignObjectives(state, state.tr.deleteSelection(), allowed);
  expect(around && fields(around.doc)).toEqual([['Fund kiosks', '', '40 to ', '', 'Ben', ''], ['Restore the river bank', '', '', '', '', ''], 'words.']);
  expect(dropsFactFields(around!)).toBe(false);

  const typed = editAroundForeignObjectives(state, state.tr.insertText('x'), allowed);
  expect(typed && fields(typed.doc)[0]).toEqual(['Fund kiosks', '', '40 to x', '', 'Ben', '']);
  expect(typed!.selection.from).toBe(at(typed!.doc, '40 to x') + 7);
});

it('a deletion that ends in a shared objective after it deletes the words before the end and keeps all its fields', () => {
  const state = selecting('objectives', 'kiosks', [...blocks.slice(0, 2), shared]);
  const around = editAroundForeignObjectives(state, state.tr.deleteSelection(), allowed);
  expect(around && fields(around.doc)).toEqual([
    'Shared ',
    ['Restore the river bank', '', '', '', '', ''],
    ['kiosks', '', '40 to 60 kiosks', 'prices rise', 'Ben', ''],
  ]);
  expect(dropsFactFields(around!)).toBe(false);
});

// Pasted over such a selection, the paragraphs split the shared objective at the caret and cut its facts: the editor refused the remade paste, and nothing changed.
it('paragraphs pasted over a selection begun in a shared objective’s field come into that field as its lines', () => {
  const state = selecting('60 kiosks', 'words', [shared, ...blocks.slice(1)]);
  const pasted = new Slice(Fragment.from([paragraph('One.'), paragraph('Two.')].map((p) => state.schema.nodeFromJSON(p))), 1, 1);
  const around = editAroundForeignObjectives(state, state.tr.replaceSelection(pasted), allowed);
  expect(around && fields(around.doc)).toEqual([
    ['Fund kiosks', '', '40 to One.Two.', '', 'Ben', ''],
    ['Restore the river bank', '', '', '', '', ''],
    'words.',
  ]);
  let breaks = 0;
  around!.doc.child(0).descendants((node) => void (breaks += node.type.name === 'hardBreak' ? 1 : 0));
  expect(breaks).toBe(1);
  expect(dropsFactFields(around!)).toBe(false);
});
