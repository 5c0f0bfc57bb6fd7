/** How many exact scrolls may follow the smooth one; each lays out the blocks it passed. */
const MAX_CORRECTIONS = 6;
/** How long a smooth scroll may take before it counts as over, for a browser without `scrollend`. */
const SMOOTH_SCROLL_MS = 1500;
/** What a person does to take over the scrolling. */
const TAKE_OVER = ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const;

/**
 * Scrolls the window to one of the text's blocks and keeps at it until the block is there.
 *
 * The browser skips the layout of blocks off screen (`content-visibility: auto`, editor.css) and
 * counts each at an estimated height, so a scroll lands where the block would be if they were
 * that tall: a negotiator joining a session on a section far down landed 1,600px past it. The
 * blocks a scroll passes are then laid out at their real height, so scrolling again from there
 * comes closer each time; it stops once a scroll no longer moves. A person who scrolls, clicks or
 * types meanwhile takes over. Returns a function that stops it.
 */
export function scrollToBlock(target: Element, block: 'start' | 'center'): () => void {
  let corrections = 0;
  let frame = 0;
  const stop = () => {
    clearTimeout(timer);
    cancelAnimationFrame(frame);
    removeEventListener('scrollend', correct);
    for (const type of TAKE_OVER) removeEventListener(type, stop, true);
  };
  function correct() {
    clearTimeout(timer);
    removeEventListener('scrollend', correct);
    if (!target.isConnected) return stop();
    const before = scrollY;
    target.scrollIntoView({ block, behavior: 'instant' });
    if (scrollY === before || ++corrections >= MAX_CORRECTIONS) return stop();
    // The frame after the scroll lays out the blocks now on screen; the one after shows where they put the target.
    frame = requestAnimationFrame(() => (frame = requestAnimationFrame(correct)));
  }
  const timer = setTimeout(correct, SMOOTH_SCROLL_MS);
  for (const type of TAKE_OVER) addEventListener(type, stop, { capture: true, passive: true });
  addEventListener('scrollend', correct);
  target.scrollIntoView({ block, behavior: 'smooth' });
  return stop;
}
