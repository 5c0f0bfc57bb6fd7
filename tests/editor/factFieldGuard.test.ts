import { expect, it } from 'vitest';
import { joinForward } from '@tiptap/pm/commands';
import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import { documentSchema } from '#shared/schema';
import { dropsFactFields } from '../../client/src/objectives/factFieldGuard';
import { legacyObjective, objective, paragraph } from '../support/document';

/** The editor's state on `blocks`, the caret at the end of the first objective's revisit trigger. */
function atTriggerEnd(...blocks: object[]) {
  const doc = documentSchema().nodeFromJSON({ type: 'doc', content: blocks });
  let end = -1;
  doc.descendants((node, pos) => {
    if (end < 0 && node.type.name === 'objectiveTrigger') end = pos + 1 + node.content.size;
    return end < 0;
  });
  return EditorState.create({ doc, selection: TextSelection.create(doc, end) });
}

/** What Delete does there (joinForward, as the editor's keymap), or null when it does nothing. */
function deleteForward(state: EditorState): Transaction | null {
  let made: Transaction | null = null;
  joinForward(state, (tr) => (made = tr));
  return made;
}

// The schema lets an objective's owners and indicators fields be missing (texts stored before they
// existed must read), so Delete at the end of the revisit trigger joined the owners into it, and the
// server refused the objective that was left (six fields, each once): the page lost its connection.
it('an edit that would drop an objective’s owners or indicators field is told apart; typing, and an objective stored without them, are not', () => {
  const state = atTriggerEnd(objective('o1', { title: 'Safe water', trigger: 'Drought' }, { owners: 'Amina' }), paragraph('After'));
  const joined = deleteForward(state);
  expect(joined, 'Delete at the end of the trigger does something').not.toBeNull();
  expect(dropsFactFields(joined!)).toBe(true);
  expect(dropsFactFields(state.tr.insertText(' in the dry season'))).toBe(false);
  // A selection from the trigger into the paragraph after the objective, deleted.
  const across = state.tr.delete(state.selection.from - 3, state.doc.content.size - 2);
  expect(dropsFactFields(across)).toBe(true);
  // The whole objective deleted drops nothing of one left behind.
  expect(dropsFactFields(state.tr.delete(0, state.doc.child(0).nodeSize))).toBe(false);

  const legacy = atTriggerEnd(legacyObjective('o1', { title: 'Safe water', trigger: 'Drought' }, { owners: 'Amina' }), paragraph('After'));
  expect(dropsFactFields(legacy.tr.insertText(' in the dry season'))).toBe(false);
});
