import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import type { DecorationSet } from '@tiptap/pm/view';
import { redo, undo, ySyncPluginKey, yUndoPluginKey } from '@tiptap/y-tiptap';
import { SUGGESTIONS_META, type SuggestionsController } from './SuggestionsController';
import { formatChangeOf, textChangeOf } from './localChange';
import { compositionInput } from './compositionInput';
import { drawSuggestions } from './suggestionDecorations';
import { refusedAtObjectiveEdge } from './objectiveEdge';

export const suggestionsPluginKey = new PluginKey<DecorationSet>('suggestions');

/**
 * Suggesting mode and suggestions in the text. While the controller says edits are
 * suggestions, every local edit is refused before it reaches the text (and so Yjs) and
 * handed to the controller as a change of text; remote changes pass. Open suggestions
 * and the draft are drawn as decorations, never marks: nothing is written into the text.
 */
export const SuggestMode = Extension.create<{ controller: SuggestionsController | null }>({
  name: 'suggestMode',
  // Above the editor's other filters (the own-objective guard, 100): while suggesting no local edit
  // reaches the text, so this one takes it first and the guards have nothing to refuse; below
  // Collaboration (1000), whose undo and redo commands these replace.
  priority: 200,

  addOptions() {
    return { controller: null };
  },

  onCreate() {
    this.options.controller?.setEditor(this.editor);
  },

  onDestroy() {
    this.options.controller?.setEditor(null);
  },

  onBlur() {
    void this.options.controller?.sendDraft();
  },

  // Collaboration's undo and redo (Yjs's) write the person's own earlier edits straight into the text,
  // past suggesting mode: while suggesting, Undo takes back the draft's typing and Redo does nothing.
  // These replace Collaboration's commands of the same names (commands of a lower priority merge
  // later), which its Mod-z and Mod-y shortcuts and the toolbar call.
  addCommands() {
    const { controller } = this.options;
    return {
      undo:
        () =>
        ({ tr, state, dispatch }) => {
          tr.setMeta('preventDispatch', true);
          if (controller?.suggesting) return dispatch ? controller.undoDraft() : controller.canUndoDraft;
          if (yUndoPluginKey.getState(state)?.undoManager.undoStack.length === 0) return false;
          return dispatch ? undo(state) : true;
        },
      redo:
        () =>
        ({ tr, state, dispatch }) => {
          tr.setMeta('preventDispatch', true);
          if (controller?.suggesting) return false;
          if (yUndoPluginKey.getState(state)?.undoManager.redoStack.length === 0) return false;
          return dispatch ? redo(state) : true;
        },
    };
  },

  addProseMirrorPlugins() {
    const { controller } = this.options;
    if (!controller) return [];

    const composition = compositionInput(controller);

    return [
      new Plugin<DecorationSet>({
        key: suggestionsPluginKey,
        state: {
          init: (_, state) => drawSuggestions(controller, state.doc),
          apply: (tr, previous, _old, state) => {
            if (tr.docChanged) composition.map(tr.mapping);
            return tr.getMeta(SUGGESTIONS_META) || tr.docChanged ? drawSuggestions(controller, state.doc) : previous;
          },
        },
        filterTransaction(tr, state) {
          if (!tr.docChanged || !controller.suggesting) return true;
          // Remote edits (and the binding's own bookkeeping) arrive through y-sync: let them in.
          if (tr.getMeta(ySyncPluginKey)) return true;
          // What plugins append (a trailing paragraph after a remote change) is nobody's suggestion: keep it out quietly.
          if (tr.getMeta('appendedTransaction')) return false;
          const format = formatChangeOf(tr);
          if (format) {
            queueMicrotask(() => void controller.suggestFormat(format));
            return false;
          }
          if (composition.inputComposed) return false;
          // Read as ProseMirror made the edit, it joined the paragraph into the field: said, not guessed at.
          if (refusedAtObjectiveEdge(state, controller)) return false;
          const change = textChangeOf(tr);
          // Not from inside the dispatch that asked: the controller dispatches the caret move itself.
          queueMicrotask(() => controller.takeLocalChange(change));
          return false;
        },
        props: {
          decorations: (state) => suggestionsPluginKey.getState(state),
          attributes: (): Record<string, string> => (controller.suggesting ? { 'data-suggesting': 'true' } : {}),
          handleDOMEvents: composition.handlers,
        },
      }),
    ];
  },
});
