import type { Command, Plugin } from '@tiptap/pm/state';

/*
 * Stands in for ProseMirror's history in the browser build (vite.config.ts): the text's undo is
 * Yjs's (the Collaboration extension), and StarterKit's undoRedo is configured off (shared/src/schema.ts),
 * yet StarterKit's import of it brought prosemirror-history and rope-sequence into the agreement page.
 * Called, it says so: turning undoRedo on again needs this alias gone.
 */
const off = (): never => {
  throw new Error('ProseMirror history is left out of this build (vite.config.ts); undo is Yjs’s');
};
export const history = (): Plugin => off();
export const undo: Command = () => off();
export const redo: Command = () => off();
