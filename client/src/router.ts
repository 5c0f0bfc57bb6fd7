import { useSyncExternalStore, type MouseEvent } from 'react';
import { mayLeavePage } from './ui/leaveGuard';

export type Route = { name: 'home' } | { name: 'agreement'; id: string } | { name: 'not-found' };

const NAVIGATE_EVENT = 'cg:navigate';

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '/index.html') return { name: 'home' };
  const match = /^\/a\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname);
  if (match) return { name: 'agreement', id: match[1] };
  return { name: 'not-found' };
}

/**
 * Where the app's history entries are: each entry the app makes holds its place (`cgIndex`), so a
 * back or forward the person turns down is undone exactly (`history.go` the other way), keeping
 * the entries after it. An entry without one (another document's) is undone by a new entry.
 */
type EntryState = { cgIndex?: number } | null;

let shownPath = '';
let shownIndex = 0;
let watching = false;

const entryIndex = (): number | undefined => {
  const index = (window.history.state as EntryState)?.cgIndex;
  return typeof index === 'number' ? index : undefined;
};

function watchHistory(): void {
  if (watching) return;
  watching = true;
  shownPath = window.location.pathname;
  shownIndex = entryIndex() ?? 0;
  if (entryIndex() === undefined) window.history.replaceState({ ...window.history.state, cgIndex: 0 }, '');
  window.addEventListener('popstate', onHistoryMove);
}

/** Back or forward within the app's own entries: the page is not unloaded, so the browser asks nothing. */
function onHistoryMove(): void {
  const { pathname } = window.location;
  // Only the hash moved, or this is the undoing of a move turned down: the same page.
  if (pathname !== shownPath && !mayLeavePage()) {
    const index = entryIndex();
    if (index !== undefined) {
      window.history.go(shownIndex - index);
    } else {
      shownIndex += 1;
      window.history.pushState({ cgIndex: shownIndex }, '', shownPath);
    }
    return;
  }
  shownPath = pathname;
  shownIndex = entryIndex() ?? shownIndex;
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

function subscribe(onChange: () => void): () => void {
  watchHistory();
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => window.removeEventListener(NAVIGATE_EVENT, onChange);
}

const getPath = () => window.location.pathname;

/** The current route, re-rendering on back/forward and on {@link navigate}. */
export function useRoute(): Route {
  const path = useSyncExternalStore(subscribe, getPath);
  return parseRoute(path);
}

/**
 * Client-side navigation to a path on this origin (hash included), without asking: the app's own
 * step (a new agreement opened once created). A person's click goes through {@link onLinkClick}.
 */
export function navigate(to: string): void {
  watchHistory();
  shownIndex += 1;
  window.history.pushState({ cgIndex: shownIndex }, '', to);
  shownPath = window.location.pathname;
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
  window.scrollTo(0, 0);
}

/** Click handler for plain links that should navigate without a page load. */
export function onLinkClick(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  if (!mayLeavePage()) return;
  navigate(event.currentTarget.getAttribute('href') ?? '/');
}
