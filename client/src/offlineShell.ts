/**
 * Registers the service worker that keeps the app shell on the device, so an agreement
 * can be reopened (and its unsent edits kept in IndexedDB) while offline.
 *
 * On a first visit the worker's install downloads and stores every file of the app. Started at
 * the page's `load` event, it competed with the agreement's own opening (its websocket, its text,
 * its first frames) for the network and the processor: 0.3 s of a 40-page agreement's cold load
 * here, 0.8 s with the processor slowed 3× (issue 17, bench/README.md). So a page that opens an
 * agreement registers it once the agreement is shown, and every page only in a pause of the
 * person's typing and clicking (the install would take processor time from their keystrokes) and
 * when the main thread is quiet.
 */

import { pageBuild } from './appUpdate';

/** Longest wait for the agreement to be shown: one that never opens (refused, offline, access ended) still gets the worker. */
const SHOWN_FALLBACK_MS = 15_000;
/** An idle period this long means no frame is pending: nothing is being built or drawn. */
const QUIET_IDLE_MS = 40;
/** Longest wait for such a period (a page that animates all the time never has one). */
const QUIET_FALLBACK_MS = 5_000;
/** A pause this long in typing, clicking and scrolling lets the install run. */
const PAUSE_MS = 2_000;
/** Longest wait for such a pause: someone typing without one for a minute still gets the worker. */
const PAUSE_FALLBACK_MS = 60_000;
const INPUT_EVENTS = ['keydown', 'pointerdown', 'wheel'] as const;

let pageShown: () => void = () => {};
const shown = new Promise<void>((resolve) => {
  pageShown = resolve;
});

/** Said by the agreement's page once its text is in and its editor is up. */
export function notePageShown(): void {
  pageShown();
}

/** `afterPageShown`: this page opens an agreement, and the worker waits for {@link notePageShown}. */
export function registerOfflineShell({ afterPageShown }: { afterPageShown: boolean }): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  window.addEventListener('load', () => {
    const ready = afterPageShown ? Promise.race([shown, delay(SHOWN_FALLBACK_MS)]) : Promise.resolve();
    ready
      .then(whenPersonPauses)
      .then(whenQuiet)
      // The build in the address installs the worker anew for each build (client/public/sw.js).
      .then(() => navigator.serviceWorker.register(pageBuild === null ? '/sw.js' : `/sw.js?build=${encodeURIComponent(pageBuild)}`))
      .catch((err: unknown) => console.warn('offline support unavailable', err));
  });
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves once the person has not typed, clicked or scrolled for {@link PAUSE_MS}. */
function whenPersonPauses(): Promise<void> {
  const giveUpAt = performance.now() + PAUSE_FALLBACK_MS;
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const paused = () => {
      for (const type of INPUT_EVENTS) window.removeEventListener(type, restart, true);
      resolve();
    };
    const restart = () => {
      clearTimeout(timer);
      timer = setTimeout(paused, Math.max(0, Math.min(PAUSE_MS, giveUpAt - performance.now())));
    };
    for (const type of INPUT_EVENTS) window.addEventListener(type, restart, { capture: true, passive: true });
    restart();
  });
}

/** Resolves in an idle period of at least {@link QUIET_IDLE_MS}: after a long text's last slice is drawn, say. */
function whenQuiet(): Promise<void> {
  if (typeof requestIdleCallback !== 'function') return delay(1_000);
  const giveUpAt = performance.now() + QUIET_FALLBACK_MS;
  return new Promise((resolve) => {
    const check = (deadline: IdleDeadline) => {
      const left = giveUpAt - performance.now();
      if (deadline.didTimeout || left <= 0 || deadline.timeRemaining() >= QUIET_IDLE_MS) resolve();
      else requestIdleCallback(check, { timeout: left });
    };
    requestIdleCallback(check, { timeout: QUIET_FALLBACK_MS });
  });
}
