import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { yUndoPluginKey } from '@tiptap/y-tiptap';

/** Closes the text's current undo step: what comes next is a step of its own. */
function closeUndoStep(view: EditorView): void {
  yUndoPluginKey.getState(view.state)?.undoManager.stopCapturing();
}

/**
 * Makes a paste or a drop an undo step of its own. The shared history merges changes made within
 * half a second of each other, so Ctrl+Z after typing "Annex A:" and pasting at once took the typed
 * words with the paste, and typing straight after a paste went with it. The step is closed before
 * ProseMirror handles the event and again once it has written the change (it does so within the
 * event, clipboard data in hand, and the binding writes the shared text within the same dispatch).
 */
export const PasteUndoStep = Extension.create({
  name: 'pasteUndoStep',
  addProseMirrorPlugins() {
    const ownStep = (view: EditorView) => {
      closeUndoStep(view);
      queueMicrotask(() => closeUndoStep(view));
      return false;
    };
    return [new Plugin({ key: new PluginKey('pasteUndoStep'), props: { handleDOMEvents: { paste: ownStep, drop: ownStep } } })];
  },
});
