import { useSyncExternalStore } from 'react';
import { APP_BUILD_HEADER } from '#shared/appBuild';

/**
 * Whether a newer version of the app has been deployed since this page loaded. The server names the
 * build it serves on every answer (server/src/http/appBuild.ts); this page's build is the entry script
 * its index.html named. A page left open across a deploy keeps running the old code, and the old
 * build's files are gone: its views that load on demand cannot load, and the new server may refuse
 * what the old code writes. Only a reload fixes that, so the page says so.
 */

/** The build this page runs; none in development, where the server's build is not the page's. */
export const pageBuild = import.meta.env.DEV ? null : (document.querySelector('script[type="module"][src]')?.getAttribute('src') ?? null);

/** What the page says once it runs an older version than the server's. */
export const UPDATED_MESSAGE = 'Common Ground has been updated; reload to keep working.';

let updated = false;
const listeners = new Set<() => void>();

/** Notes the build an answer of the server names. */
export function noteServerBuild(response: Response): void {
  const build = response.headers.get(APP_BUILD_HEADER);
  if (updated || pageBuild === null || build === null || build === pageBuild) return;
  updated = true;
  for (const listener of listeners) listener();
}

/** Asks the server which build it serves (a file of this page's build failed to load): true once it is another. */
export async function checkForUpdate(): Promise<boolean> {
  try {
    noteServerBuild(await fetch('/api/health', { cache: 'no-store' }));
  } catch {
    // Offline: nothing learnt; the file failed for that.
  }
  return updated;
}

/** Checks for a new version whenever Vite could not load a file of a view that loads on demand. */
export function checkForUpdateOnFailedLoads(): void {
  window.addEventListener('vite:preloadError', () => void checkForUpdate());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True once a newer version of the app is deployed than this page runs. */
export function useAppUpdated(): boolean {
  return useSyncExternalStore(subscribe, () => updated);
}
