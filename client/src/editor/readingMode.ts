import { Extension, type Editor } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { fromSharedText } from './fromSharedText';

const readingModeKey = new PluginKey<boolean>('readingMode');

/** Whether the text is open for reading only (a legal reviewer not suggesting, an observer). */
export function inReadingMode(state: EditorState): boolean {
  return readingModeKey.getState(state) === true;
}

/** Whether this person may change the text in this editor now. */
export function canChangeText(editor: Editor): boolean {
  return editor.isEditable && !inReadingMode(editor.state);
}

export function setReadingMode(view: EditorView, active: boolean): void {
  if (inReadingMode(view.state) !== active) view.dispatch(view.state.tr.setMeta(readingModeKey, active));
}

/**
 * A text its reader may not change, still reachable by keyboard: Tab focuses it, the arrow keys
 * move a caret, Shift and the arrows select, and Ctrl+Alt+M comments on the selection. With the
 * editor not editable (as before) a keyboard-only legal reviewer or observer could do none of
 * that. Every change of the text they make is refused before it applies (a transaction that
 * changes the document and does not come from the shared text); typing, pasting and dropping are
 * stopped before the browser touches the page, and Tab leaves the text as it does a read-only field.
 */
export const ReadingMode = Extension.create<{ active: boolean }>({
  name: 'readingMode',
  addOptions: () => ({ active: false }),
  addProseMirrorPlugins() {
    const initial = this.options.active;
    /** The last key pressed in the text was Escape: Tab then leaves it. */
    let escaped = false;
    return [
      new Plugin<boolean>({
        key: readingModeKey,
        state: {
          init: () => initial,
          apply: (tr, active) => (tr.getMeta(readingModeKey) as boolean | undefined) ?? active,
        },
        filterTransaction: (tr, state) => !inReadingMode(state) || !tr.docChanged || fromSharedText(tr),
        props: {
          // inputmode none: a tablet opens no on-screen keyboard for a text nobody there may type in.
          attributes: (state): Record<string, string> => (inReadingMode(state) ? { 'aria-readonly': 'true', spellcheck: 'false', inputmode: 'none' } : {}),
          handleTextInput: (view) => inReadingMode(view.state),
          handlePaste: (view) => inReadingMode(view.state),
          handleDrop: (view) => inReadingMode(view.state),
          handleDOMEvents: {
            // Handled here, the editor's keymaps never see it (a list would take Tab to indent): the browser moves the focus on.
            // A writer leaves the same way with Escape first (WCAG 2.1.2: no keyboard trap; the editor says so, AgreementEditor.tsx).
            keydown: (view, event) => {
              const leave = (inReadingMode(view.state) || escaped) && event.key === 'Tab' && !event.ctrlKey && !event.altKey && !event.metaKey;
              escaped = event.key === 'Escape';
              return leave;
            },
            beforeinput: (view, event) => {
              if (!inReadingMode(view.state)) return false;
              if (event.cancelable) event.preventDefault();
              return true;
            },
          },
        },
      }),
    ];
  },
});
