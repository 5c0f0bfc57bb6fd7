import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { fromSharedText } from '../editor/fromSharedText';
import { crossesObjectiveEdge, editKeepingObjectiveShape, SHAPE_KEPT } from './keepForeignObjectives';

// Only objectives already in the text: a paste that brings one over such a selection is left to the other guards.
const noObjectivePut = () => false;

/**
 * Delete, Backspace, Cut, typing and pasting over a selection that runs out of an objective's field
 * into a paragraph or another objective (or from a paragraph into a field) take the selected words,
 * as in any word processor: the field's rest from the caret, the following fields' words, the
 * paragraph's selected words. Made by ProseMirror, the edit joined the paragraph's rest into the
 * field, taking the objective's later fields with it: the fact-field guard refused that (nothing
 * happened, nothing was said), or, from a heading into a title, the title's words joined the heading.
 * The objective keeps every field and fact, the paragraph's rest stays in its paragraph.
 */
export const KeepObjectiveShape = Extension.create({
  name: 'keepObjectiveShape',
  addProseMirrorPlugins() {
    let view: EditorView | null = null;
    return [
      new Plugin({
        key: new PluginKey('keepObjectiveShape'),
        view(editorView) {
          view = editorView;
          return { destroy: () => (view = null) };
        },
        filterTransaction(tr, state) {
          if (!tr.docChanged || tr.getMeta(SHAPE_KEPT)) return true;
          if (fromSharedText(tr)) return true;
          if (!crossesObjectiveEdge(state)) return true;
          const remade = editKeepingObjectiveShape(state, tr, [], noObjectivePut);
          // Another kind of edit (a mark, a drop): the guards after this one judge it as it is.
          if (!remade) return true;
          // Not from inside the dispatch being refused: that dispatch ends by putting this state back.
          queueMicrotask(() => {
            if (view?.state === state) view.dispatch(remade);
          });
          return false;
        },
      }),
    ];
  },
});
