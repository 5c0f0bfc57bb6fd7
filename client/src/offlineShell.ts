/**
 * Registers the service worker that keeps the app shell on the device, so an agreement
 * can be reopened (and its unsent edits kept in IndexedDB) while offline.
 */
export function registerOfflineShell(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch((err: unknown) => console.warn('offline support unavailable', err));
  });
}
