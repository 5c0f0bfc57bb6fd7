import type { TiptapEditorHTMLElement } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import { scrollToBlock } from '../editor/scrollToBlock';

/** Stops the jump under way, if any: a second click takes over from the first. */
let stopJump = () => {};

/**
 * Scrolls to a block of the text and keeps at it until it is there. A plain smooth scroll landed
 * past a far section of a long agreement (blocks not yet laid out count at an estimated height,
 * see scrollToBlock), as following the broker and a thread's "show this passage" used to.
 */
export function jumpToElement(find: () => Element | null, block: 'start' | 'center'): void {
  stopJump();
  stopJump = find() ? scrollToBlock(find, block) : () => {};
}

/**
 * Jumps to a block and puts the caret at its start, with the keyboard's focus, as a thread's
 * "show this passage" does. Left on the panel's button, a screen reader said nothing of where the
 * text went, and Tab into the text took the caret back where it was, pages away.
 */
function jumpInto(find: () => Element | null, block: 'start' | 'center'): void {
  const target = find();
  const editor = target?.closest<TiptapEditorHTMLElement>('.ProseMirror')?.editor;
  if (target && editor && !editor.isDestroyed) {
    const { view } = editor;
    const start = view.state.doc.resolve(view.posAtDOM(target, 0));
    // No scrollIntoView: scrollToBlock lands the block clear of the toolbar; the focus must not scroll.
    view.dispatch(view.state.tr.setSelection(TextSelection.near(start)));
    view.focus();
  }
  jumpToElement(find, block);
}

/** Scrolls the editor to an objective block (its node view carries the id). */
export function jumpToObjective(id: string): void {
  jumpInto(() => document.querySelector(`[data-objective-id="${CSS.escape(id)}"]`), 'center');
}

/** Scrolls the editor to its n-th heading (outline order is document order). */
export function jumpToHeading(index: number): void {
  jumpInto(() => document.querySelectorAll('.ProseMirror :is(h1, h2, h3, h4, h5, h6)')[index] ?? null, 'start');
}
