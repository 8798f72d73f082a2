// The installable web app: the manifest and its icons, the page's links to them, and the service
// worker's caching rules (the page network-first, hashed files cache-first, the API never).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const UI = path.resolve(import.meta.dirname, '..');
const PUBLIC = path.join(UI, 'public');

function pngSize(file: string): [number, number] {
  const png = fs.readFileSync(file);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

describe('manifest', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(PUBLIC, 'manifest.webmanifest'), 'utf8')) as {
    name: string; short_name: string; start_url: string; display: string; theme_color: string; background_color: string;
    icons: { src: string; sizes: string; type: string; purpose: string }[];
  };

  it('describes a standalone app called Shoebox that starts at /', () => {
    expect(manifest).toMatchObject({ name: 'Shoebox', short_name: 'Shoebox', start_url: '/', display: 'standalone' });
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it('has 192 and 512 pixel PNG icons, plain and maskable, that exist at their sizes', () => {
    const png = manifest.icons.filter((i) => i.type === 'image/png');
    for (const purpose of ['any', 'maskable']) {
      expect(png.filter((i) => i.purpose === purpose).map((i) => i.sizes).sort()).toEqual(['192x192', '512x512']);
    }
    for (const icon of png) {
      const [w, h] = pngSize(path.join(PUBLIC, icon.src));
      expect(`${w}x${h}`).toBe(icon.sizes);
    }
  });
});

describe('index.html', () => {
  const html = fs.readFileSync(path.join(UI, 'index.html'), 'utf8');
  it('links the manifest, the touch icon and the mobile app tags', () => {
    expect(html).toMatch(/<link rel="manifest" href="\.\/manifest\.webmanifest"/);
    const touch = /<link rel="apple-touch-icon" href="\.\/([^"]+)"/.exec(html)?.[1];
    expect(pngSize(path.join(PUBLIC, touch!))).toEqual([180, 180]);
    expect(html).toContain('name="apple-mobile-web-app-capable" content="yes"');
    expect(html).toContain('name="theme-color"');
    expect(html).toContain('viewport-fit=cover');
  });
});

// The service worker runs here against fakes of its global scope, Cache Storage and the network.
const ORIGIN = 'https://shoebox.lan';
type Handler = (event: Record<string, unknown>) => void;

function loadWorker() {
  const handlers = new Map<string, Handler>();
  const network: string[] = [];
  let offline = false;
  const stores = new Map<string, Map<string, Response>>();
  const href = (r: string | { url: string }) => new URL(typeof r === 'string' ? r : r.url, `${ORIGIN}/sw.js`).href;
  const fakeFetch = async (r: string | { url: string }) => {
    const url = href(r);
    network.push(url.replace(ORIGIN, ''));
    if (offline) throw new TypeError('Failed to fetch');
    return Object.defineProperty(new Response(`body of ${url}`, { status: 200 }), 'type', { value: 'basic' });
  };
  const open = async (name: string) => {
    if (!stores.has(name)) stores.set(name, new Map());
    const map = stores.get(name)!;
    return {
      match: async (r: string | { url: string }) => map.get(href(r))?.clone(),
      put: async (r: string | { url: string }, res: Response) => void map.set(href(r), res),
      add: async (r: string | { url: string }) => void map.set(href(r), await fakeFetch(r)),
    };
  };
  const caches = { open, keys: async () => [...stores.keys()], delete: async (n: string) => stores.delete(n), match: async () => undefined };
  const self = {
    location: new URL(`${ORIGIN}/sw.js`),
    addEventListener: (type: string, fn: Handler) => handlers.set(type, fn),
    skipWaiting: async () => undefined,
    clients: { claim: async () => undefined },
  };
  class RelativeRequest {
    url: string;
    constructor(url: string) {
      this.url = href(url);
    }
  }
  const source = fs.readFileSync(path.join(PUBLIC, 'sw.js'), 'utf8');
  new Function('self', 'caches', 'fetch', 'Request', source)(self, caches, fakeFetch, RelativeRequest);

  const lifecycle = async (type: 'install' | 'activate') => {
    let done: Promise<unknown> = Promise.resolve();
    handlers.get(type)!({ waitUntil: (p: Promise<unknown>) => (done = p) });
    await done;
  };
  /** Dispatches a fetch; answers the response the worker gave, or null when it let it through. */
  const request = async (pathname: string, init: { method?: string; mode?: string } = {}) => {
    const answer: { response: Promise<Response> | null } = { response: null };
    handlers.get('fetch')!({
      request: { url: `${ORIGIN}${pathname}`, method: init.method ?? 'GET', mode: init.mode ?? 'cors' },
      respondWith: (p: Promise<Response>) => (answer.response = p),
      waitUntil: () => undefined,
    });
    return answer.response ? await answer.response : null;
  };
  return { lifecycle, request, network, stores, setOffline: (v: boolean) => (offline = v) };
}

describe('service worker', () => {
  it('precaches the shell on install and drops older caches on activate', async () => {
    const sw = loadWorker();
    sw.stores.set('shoebox-shell-old', new Map());
    await sw.lifecycle('install');
    await sw.lifecycle('activate');
    expect([...sw.stores.keys()]).toEqual(['shoebox-shell-__SHOEBOX_BUILD__']);
    expect(sw.network.sort()).toEqual(['/', '/favicon.svg', '/icons/icon-192.png', '/icons/icon-512.png', '/manifest.webmanifest']);
  });

  it('never answers or caches the API, uploads included', async () => {
    const sw = loadWorker();
    expect(await sw.request('/api/assets/5f0c8a43-4a57-4a8e-9a43-2f1d6c1d2b11/thumbnail')).toBeNull();
    expect(await sw.request('/api/timeline/buckets')).toBeNull();
    expect(await sw.request('/api/assets/upload', { method: 'POST' })).toBeNull();
    expect(await sw.request('/?token=abc', { mode: 'navigate' })).toBeNull();
    expect(sw.network).toEqual([]);
  });

  it('loads the page from the network first and from the cache when offline', async () => {
    const sw = loadWorker();
    const online = await sw.request('/', { mode: 'navigate' });
    expect(await online!.text()).toBe(`body of ${ORIGIN}/`);
    sw.setOffline(true);
    const offline = await sw.request('/', { mode: 'navigate' });
    expect(await offline!.text()).toBe(`body of ${ORIGIN}/`);
    expect(sw.network).toEqual(['/', '/']);
  });

  it('serves hashed build files from the cache once fetched', async () => {
    const sw = loadWorker();
    await sw.request('/assets/index-abc123.js');
    await sw.request('/assets/index-abc123.js');
    expect(sw.network).toEqual(['/assets/index-abc123.js']);
  });
});
