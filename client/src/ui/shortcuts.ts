/** Keyboard shortcuts as this person's keyboard names them (Tiptap's `Mod` is ⌘ on a Mac). */
export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const mod = isMac ? '⌘' : 'Ctrl+';
/** Comment on the selected passage (`Mod-Alt-m`, comments/highlights.ts). */
export const COMMENT_SHORTCUT = isMac ? '⌥⌘M' : 'Ctrl+Alt+M';
