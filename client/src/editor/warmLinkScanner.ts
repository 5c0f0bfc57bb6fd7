import { tokenize } from 'linkifyjs';

/** The longest idle stretch a browser offers is 50 ms; building linkify's scanner takes about 20 here. */
const IDLE_NEEDED_MS = 30;
/** A page never idle that long (a session of many typists on a slow laptop) builds it anyway then. */
const GIVE_UP_AFTER_MS = 15_000;

/**
 * Builds linkify's scanner (what Tiptap's autolink reads a word with) in an idle stretch once the
 * text is open. It is built on first use, which is the person's first space typed after a word:
 * 20 ms or so inside that keystroke, over a frame's budget on its own. The shared text's changes
 * never reach autolink (their writers linked them), so nothing else builds it sooner.
 * Returns a function that cancels the wait.
 */
export function warmLinkScannerWhenIdle(): () => void {
  if (typeof requestIdleCallback !== 'function') return () => {};
  const giveUpAt = performance.now() + GIVE_UP_AFTER_MS;
  let request = 0;
  const check = (deadline: IdleDeadline) => {
    if (deadline.didTimeout || deadline.timeRemaining() >= IDLE_NEEDED_MS || performance.now() >= giveUpAt) tokenize('');
    else request = requestIdleCallback(check, { timeout: Math.max(1, giveUpAt - performance.now()) });
  };
  request = requestIdleCallback(check, { timeout: GIVE_UP_AFTER_MS });
  return () => cancelIdleCallback(request);
}
