/** Scrolls the editor to an objective block (its node view carries the id). */
export function jumpToObjective(id: string): void {
  document.querySelector(`[data-objective-id="${CSS.escape(id)}"]`)?.scrollIntoView({ behavior: 'smooth', block: 'center' });
}

/** Scrolls the editor to its n-th heading (outline order is document order). */
export function jumpToHeading(index: number): void {
  document.querySelectorAll('.ProseMirror :is(h1, h2, h3, h4, h5, h6)')[index]?.scrollIntoView({ behavior: 'smooth', block: 'start' });
}
