// The app shell, kept on the device so an agreement reopens while offline: its text
// then comes from IndexedDB (y-indexeddb) and merges when the connection is back.
// API calls and websockets are never cached: they are live data.
// One cache per build of the app: the page registers this worker with its build in the address
// (offlineShell.ts), so a deploy's first page installs it anew, storing the whole new build, and the
// old build's cache is dropped once it takes over. With one name for every build the worker was
// installed once: later builds were stored only as far as pages loaded them, the rest did not open
// offline, and every old build stayed on the device.
const CACHE = `cg-shell-${new URL(self.location.href).searchParams.get('build') ?? 'v1'}`;
const SHELL = '/index.html';

// Everything the build made (lazy chunks included) is cached at install, so the
// agreement page opens offline even if it was never opened online on this device.
self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const manifest = await (await fetch('/asset-manifest.json', { cache: 'no-store' })).json();
      const files = new Set();
      for (const chunk of Object.values(manifest)) {
        files.add(`/${chunk.file}`);
        for (const css of chunk.css ?? []) files.add(`/${css}`);
        // Files a chunk loads by URL: the worker that cuts a long text's copy (piecewiseSync.ts).
        for (const asset of chunk.assets ?? []) files.add(`/${asset}`);
      }
      await cache.addAll([...files]);
      const shell = await fetch('/', { cache: 'no-store' });
      if (shell.ok) await cache.put(SHELL, shell);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

function isAsset(url) {
  const { origin, pathname } = new URL(url, self.location.origin);
  return origin === self.location.origin && pathname.startsWith('/assets/');
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/collab/')) return;

  if (request.mode === 'navigate') {
    // Network first, so a new release is picked up at once; the cached shell when offline.
    event.respondWith(
      fetch(request)
        .then(async (response) => {
          if (response.ok) await (await caches.open(CACHE)).put(SHELL, response.clone());
          return response;
        })
        .catch(async () => (await caches.match(SHELL)) ?? Response.error()),
    );
    return;
  }
  if (isAsset(request.url)) {
    // Asset names carry a content hash: a cached one is never stale.
    event.respondWith(
      caches.match(request).then(
        (hit) =>
          hit ??
          fetch(request).then(async (response) => {
            if (response.ok) await (await caches.open(CACHE)).put(request, response.clone());
            return response;
          }),
      ),
    );
  }
});
