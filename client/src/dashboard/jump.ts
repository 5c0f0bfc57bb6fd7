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

/** Scrolls the editor to an objective block (its node view carries the id). */
export function jumpToObjective(id: string): void {
  jumpToElement(() => document.querySelector(`[data-objective-id="${CSS.escape(id)}"]`), 'center');
}

/** Scrolls the editor to its n-th heading (outline order is document order). */
export function jumpToHeading(index: number): void {
  jumpToElement(() => document.querySelectorAll('.ProseMirror :is(h1, h2, h3, h4, h5, h6)')[index] ?? null, 'start');
}
