/** How many exact scrolls may follow the smooth one; each lays out the blocks it passed. */
const MAX_CORRECTIONS = 6;
/** Frames without movement after which the smooth scroll counts as over. `scrollend` is not
 *  enough: it did not come at all in about half the runs of the test in tests/e2e/brokerWalk. */
const STILL_FRAMES = 5;
/** Beyond this many window heights away, the jump is made at once: a smooth scroll across thirty
 *  pages took over a second and laid out every block it passed. Near jumps keep the motion that
 *  shows where the text went. */
const FAR_SCREENS = 2;
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
 *
 * `find` is asked again before each scroll: the editor may replace the block's element meanwhile
 * (the rest of a long text arriving), and a scroll to the old, detached one goes nowhere.
 */
export function scrollToBlock(find: () => Element | null, block: 'start' | 'center'): () => void {
  let corrections = 0;
  let frame = 0;
  let last = NaN;
  let still = 0;
  const stop = () => {
    cancelAnimationFrame(frame);
    for (const type of TAKE_OVER) removeEventListener(type, stop, true);
  };
  // Watches the smooth scroll frame by frame until it has stopped moving.
  const watch = () => {
    still = scrollY === last ? still + 1 : 0;
    last = scrollY;
    if (still >= STILL_FRAMES) correct();
    else frame = requestAnimationFrame(watch);
  };
  function correct() {
    const target = find();
    if (!target) return stop();
    const before = scrollY;
    target.scrollIntoView({ block, behavior: 'instant' });
    if (scrollY === before || ++corrections >= MAX_CORRECTIONS) return stop();
    // The frame after the scroll lays out the blocks now on screen; the one after shows where they put the target.
    frame = requestAnimationFrame(() => (frame = requestAnimationFrame(correct)));
  }
  for (const type of TAKE_OVER) addEventListener(type, stop, { capture: true, passive: true });
  const target = find();
  const far = target !== null && Math.abs(target.getBoundingClientRect().top) > FAR_SCREENS * innerHeight;
  if (far || matchMedia('(prefers-reduced-motion: reduce)').matches) {
    target?.scrollIntoView({ block, behavior: 'instant' });
    // No motion to wait out: correct once the frame after has laid out the blocks now on screen.
    frame = requestAnimationFrame(() => (frame = requestAnimationFrame(correct)));
  } else {
    target?.scrollIntoView({ block, behavior: 'smooth' });
    frame = requestAnimationFrame(watch);
  }
  return stop;
}
