import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { redo, undo } from '@tiptap/y-tiptap';

/**
 * Keeps the browser's own undo out of the text. Chromium keeps one undo history per page: a Ctrl+Z
 * in a field (a stance's reason, a comment) once its own typing was undone, or on a control inside
 * the text, went on into the text and took back the last words typed there in the DOM, behind the
 * editor and its shared history. The editor's own undo (the text's history) runs instead, and only
 * when the text has the focus; from anywhere else nothing happens.
 */
export const NoNativeUndo = Extension.create({
  name: 'noNativeUndo',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('noNativeUndo'),
        props: {
          handleDOMEvents: {
            beforeinput: (view, event) => {
              if (event.inputType !== 'historyUndo' && event.inputType !== 'historyRedo') return false;
              event.preventDefault();
              if (view.hasFocus()) (event.inputType === 'historyUndo' ? undo : redo)(view.state);
              return true;
            },
          },
        },
      }),
    ];
  },
});
