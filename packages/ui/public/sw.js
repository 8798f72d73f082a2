// Shoebox's service worker: keeps the app shell so the installed web app opens at once and
// survives a flaky connection. The page is fetched from the network first (a new build shows up
// on the next start) and from the cache when offline; the hashed build files never change, so
// they come from the cache first. The API (/api/…: data, thumbnails, originals, uploads) is never
// cached or touched: it always goes straight to the server with the session cookie.
//
// `vite build` writes the build's id and its file list into the two constants below (see
// vite.config.ts); unbuilt (the dev server), they stay as they are and nothing is precached.
const BUILD = '__SHOEBOX_BUILD__';
const PRECACHE = [/* __SHOEBOX_PRECACHE__ */];

const CACHE = `shoebox-shell-${BUILD}`;
const SHELL = ['./', './manifest.webmanifest', './favicon.svg', './icons/icon-192.png', './icons/icon-512.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // One missing file must not stop the rest (or the worker) from installing.
      await Promise.all([...SHELL, ...PRECACHE].map((url) => cache.add(new Request(url, { cache: 'reload', credentials: 'same-origin' })).catch(() => undefined)));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('shoebox-shell-') && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

function isApi(url) {
  return url.pathname === '/api' || url.pathname.startsWith('/api/');
}

function isHashedAsset(url) {
  return url.pathname.startsWith('/assets/');
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') await cache.put('./', response.clone());
    return response;
  } catch (error) {
    const cached = (await cache.match('./')) ?? (await cache.match(request));
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  return response;
}

async function staleWhileRevalidate(request, event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  const fresh = fetch(request).then(async (response) => {
    if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(fresh.catch(() => undefined));
    return cached;
  }
  return fresh;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || isApi(url)) return;
  // The desktop's one-time token link must reach the server, which turns it into a cookie.
  if (url.searchParams.has('token')) return;
  if (request.mode === 'navigate' || url.pathname === '/' || url.pathname === '/index.html') {
    event.respondWith(networkFirst(request));
  } else if (isHashedAsset(url)) {
    event.respondWith(cacheFirst(request));
  } else if (SHELL.some((path) => new URL(path, self.location.href).pathname === url.pathname)) {
    event.respondWith(staleWhileRevalidate(request, event));
  }
});
