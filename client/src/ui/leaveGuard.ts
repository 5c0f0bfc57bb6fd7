import { useEffect } from 'react';

/**
 * What closing the page now would lose or leave unsent (the text's unconfirmed changes, a comment
 * being written): while anything is held, the browser asks before the tab closes or the page is
 * left. The listener is there only while something is held, or was a moment ago: a page with a
 * `beforeunload` listener is kept out of some browsers' back/forward cache.
 */
const holds = new Set<symbol>();

function askBeforeLeaving(event: BeforeUnloadEvent): void {
  // Held no more, the listener lingers (below) but asks nothing.
  if (holds.size === 0) return;
  // Browsers show their own words; both calls are needed across the browsers people use.
  event.preventDefault();
  event.returnValue = '';
}

/**
 * How long the listener stays once nothing is held. Each keystroke is held until the server
 * confirms it, milliseconds later: adding and removing the listener for each (Chromium tells its
 * browser process each time) cost about 0.3 ms of every keystroke (bench, 2026-12-05).
 */
const LINGER_MS = 5_000;
let listening = false;
let lingering: ReturnType<typeof setTimeout> | undefined;

function listen(): void {
  clearTimeout(lingering);
  lingering = undefined;
  if (listening) return;
  window.addEventListener('beforeunload', askBeforeLeaving);
  listening = true;
}

function stopListeningSoon(): void {
  clearTimeout(lingering);
  lingering = setTimeout(() => {
    lingering = undefined;
    if (holds.size > 0) return;
    window.removeEventListener('beforeunload', askBeforeLeaving);
    listening = false;
  }, LINGER_MS);
}

/** The app's own question before it changes page itself (its links, back and forward between its pages). */
const LEAVE_QUESTION = 'Leave this page? What you wrote and have not sent yet may be lost.';

/**
 * Whether the person may leave now: yes when nothing is held, else their answer to the app's
 * question. The browser asks only when the page unloads; the app's own navigation does not unload it.
 */
export function mayLeavePage(): boolean {
  return holds.size === 0 || window.confirm(LEAVE_QUESTION);
}

/** Holds the page open (the browser asks before leaving) until the returned function is called. */
export function holdPageOpen(): () => void {
  const hold = Symbol('hold');
  listen();
  holds.add(hold);
  return () => {
    if (holds.delete(hold) && holds.size === 0) stopListeningSoon();
  };
}

/** Holds the page open while `held` is true and the component is mounted. */
export function useHoldPageOpen(held: boolean): void {
  useEffect(() => (held ? holdPageOpen() : undefined), [held]);
}

/** Holds the page open whenever `isHeld()` is true, checked each time `subscribe` calls back; returns the stop. */
export function holdPageOpenWhile(isHeld: () => boolean, subscribe: (changed: () => void) => () => void): () => void {
  let release: (() => void) | null = null;
  const check = () => {
    if (isHeld() === (release !== null)) return;
    if (release) {
      release();
      release = null;
    } else {
      release = holdPageOpen();
    }
  };
  const unsubscribe = subscribe(check);
  check();
  return () => {
    unsubscribe();
    release?.();
    release = null;
  };
}
