import { useSyncExternalStore, type MouseEvent } from 'react';

export type Route = { name: 'home' } | { name: 'agreement'; id: string } | { name: 'not-found' };

const NAVIGATE_EVENT = 'cg:navigate';

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '/index.html') return { name: 'home' };
  const match = /^\/a\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname);
  if (match) return { name: 'agreement', id: match[1] };
  return { name: 'not-found' };
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

const getPath = () => window.location.pathname;

/** The current route, re-rendering on back/forward and on {@link navigate}. */
export function useRoute(): Route {
  const path = useSyncExternalStore(subscribe, getPath);
  return parseRoute(path);
}

/** Client-side navigation to a path on this origin (hash included). */
export function navigate(to: string): void {
  window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
  window.scrollTo(0, 0);
}

/** Click handler for plain links that should navigate without a page load. */
export function onLinkClick(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.getAttribute('href') ?? '/');
}
