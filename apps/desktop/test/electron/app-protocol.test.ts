// The shoebox://app protocol handler with a real engine on a scanned temporary library: file
// routes with ranges (originals, video, thumbnails), unknown and invalid ids, files outside the
// library (a moved catalog row, a symlink, a sibling folder whose name extends a root's) refused,
// roots reached through symlinks, a hanging or missing root resolved once rather than per request,
// a CSP that runs nothing on every file and error, and the renderer's static build with its CSP,
// the SPA fallback and traversal attempts refused.
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ErrorBody } from '@shoebox/core/contract';
import { Engine } from '../../src/engine/engine.ts';
import {
  APP_ORIGIN, createAppRequestHandler, registerAppProtocol, registerAppScheme,
} from '../../src/electron/main/app-protocol.ts';
import { CONTENT_SECURITY_POLICY, FILE_CONTENT_SECURITY_POLICY } from '../../src/electron/main/content-security.ts';
import type { CustomSchemeSpec, ElectronApi } from '../../src/electron/main/electron-api.ts';
import { CORPUS, assets, shoeboxOk, tempDir } from '../helpers/cli.ts';

const PHOTO = 'jpeg/gps/DSCN0010.jpg';
const OTHER = 'jpeg/cameras-small/Canon_40D.jpg';
const VIDEO = 'video/with-gps.mov';
const UNKNOWN = '5f0c8a43-4a57-4a8e-9a43-2f1d6c1d2b11';

const INDEX_HTML = '<!doctype html><html><head><script type="module" src="./assets/index-Ab12Cd34.js"></script></head><body></body></html>';
const APP_JS = 'console.log("shoebox");\n';
const SECRET = 'the secret next to the renderer build';

let lib: string;
let data: string;
let outside: string;
let renderer: string;
let engine: Engine;
let handle: (request: Request) => Promise<Response>;
const ids: Record<string, string> = {};
let thumbnail: string;

function get(p: string, init: RequestInit = {}): Promise<Response> {
  return handle(new Request(`${APP_ORIGIN}${p}`, init));
}

async function bytes(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

async function expectError(res: Response, status: number, code: string): Promise<ErrorBody> {
  const body = ErrorBody.parse(await res.json());
  expect({ status: res.status, code: body.error.code }).toEqual({ status, code });
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('content-security-policy')).toBe(FILE_CONTENT_SECURITY_POLICY);
  return body;
}

beforeAll(() => {
  lib = tempDir('protocol-lib');
  data = tempDir('protocol-data');
  outside = tempDir('protocol-outside');
  for (const rel of [PHOTO, OTHER, VIDEO]) {
    fs.mkdirSync(path.dirname(path.join(lib, rel)), { recursive: true });
    fs.copyFileSync(path.join(CORPUS, rel), path.join(lib, rel));
  }
  fs.copyFileSync(path.join(CORPUS, OTHER), path.join(outside, 'secret.jpg'));
  shoeboxOk(data, ['add', lib]);
  shoeboxOk(data, ['scan', '--wait']);
  for (const a of assets(data)) {
    ids[path.relative(fs.realpathSync(lib), a.path)] = a.id;
    if (a.path.endsWith(PHOTO)) thumbnail = a.thumbnailPath!;
  }
  expect(Object.keys(ids).sort()).toEqual([OTHER, PHOTO, VIDEO].sort());

  const site = tempDir('protocol-site');
  renderer = path.join(site, 'renderer');
  fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(renderer, 'index.html'), INDEX_HTML);
  fs.writeFileSync(path.join(renderer, 'assets', 'index-Ab12Cd34.js'), APP_JS);
  fs.writeFileSync(path.join(renderer, 'assets', 'index-Ef56Gh78.css'), 'body{margin:0}');
  fs.writeFileSync(path.join(renderer, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(path.join(renderer, 'manifest.webmanifest'), '{"name":"Shoebox"}');
  fs.writeFileSync(path.join(site, 'secret.txt'), SECRET);

  engine = new Engine({ dataDir: data, mode: 'desktop', log: pino({ level: 'silent' }), workers: 1 });
  handle = createAppRequestHandler({
    handlers: engine.handlers,
    context: () => ({ ownerId: 'local' }),
    rendererDir: renderer,
    allowedRoots: () => [lib, data],
    log: pino({ level: 'silent' }),
  });
}, 180_000);

afterAll(async () => {
  await engine?.close();
});

describe('app protocol: originals with ranges', () => {
  it('serves the whole original without a Range header', async () => {
    const file = fs.readFileSync(path.join(lib, PHOTO));
    const res = await get(`/api/assets/${ids[PHOTO]}/original`);
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      'accept-ranges': 'bytes',
      'content-length': String(file.length),
      'content-type': 'image/jpeg',
      'cache-control': 'public, max-age=0',
      'content-disposition': "inline; filename*=UTF-8''DSCN0010.jpg",
      'x-content-type-options': 'nosniff',
    });
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect((await bytes(res)).equals(file)).toBe(true);
  });

  it('answers single ranges with 206, Content-Range and the exact slice', async () => {
    const file = fs.readFileSync(path.join(lib, PHOTO));
    const size = file.length;
    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      ['bytes=100-', 100, size - 1],
      ['bytes=-50', size - 50, size - 1],
      ['bytes=1000-1000', 1000, 1000],
      [`bytes=${size - 10}-${size + 5000}`, size - 10, size - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await get(`/api/assets/${ids[PHOTO]}/original`, { headers: { range } });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('content-range'), range).toBe(`bytes ${start}-${end}/${size}`);
      expect(res.headers.get('content-length'), range).toBe(String(end - start + 1));
      expect((await bytes(res)).equals(file.subarray(start, end + 1)), range).toBe(true);
    }
  });

  it('answers an unsatisfiable range with 416 and Content-Range: bytes */size', async () => {
    const size = fs.statSync(path.join(lib, PHOTO)).size;
    for (const range of [`bytes=${size}-`, `bytes=${size + 100}-${size + 200}`, 'bytes=-0']) {
      const res = await get(`/api/assets/${ids[PHOTO]}/original`, { headers: { range } });
      expect(res.headers.get('content-range'), range).toBe(`bytes */${size}`);
      await expectError(res, 416, 'RANGE_NOT_SATISFIABLE');
    }
  });

  it('sends the whole file for several ranges or a malformed Range header', async () => {
    const size = fs.statSync(path.join(lib, PHOTO)).size;
    for (const range of ['bytes=0-1,5-6', 'bytes=abc', 'items=0-10', 'bytes=50-10']) {
      const res = await get(`/api/assets/${ids[PHOTO]}/original`, { headers: { range } });
      expect(res.status, range).toBe(200);
      expect((await bytes(res)).length, range).toBe(size);
    }
  });

  it('honours If-Range: a stale validator gets the whole file', async () => {
    const size = fs.statSync(path.join(lib, PHOTO)).size;
    const first = await get(`/api/assets/${ids[PHOTO]}/original`, { method: 'HEAD' });
    const lastModified = first.headers.get('last-modified')!;
    const fresh = await get(`/api/assets/${ids[PHOTO]}/original`, { headers: { range: 'bytes=0-9', 'if-range': lastModified } });
    expect(fresh.status).toBe(206);
    const stale = await get(`/api/assets/${ids[PHOTO]}/original`, { headers: { range: 'bytes=0-9', 'if-range': 'Thu, 01 Jan 1970 00:00:00 GMT' } });
    expect(stale.status).toBe(200);
    expect((await bytes(stale)).length).toBe(size);
  });

  it('answers HEAD with the headers and no body, and downloads as attachments', async () => {
    const size = fs.statSync(path.join(lib, PHOTO)).size;
    const head = await get(`/api/assets/${ids[PHOTO]}/original`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(size));
    expect(head.body).toBeNull();
    const download = await get(`/api/assets/${ids[PHOTO]}/original?download=1`);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="DSCN0010.jpg"');
    expect((await bytes(download)).length).toBe(size);
  });
});

describe('app protocol: derivatives and video', () => {
  it('serves a thumbnail from the data folder, cached for a day', async () => {
    const res = await get(`/api/assets/${ids[PHOTO]}/thumbnail`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
    expect((await bytes(res)).equals(fs.readFileSync(thumbnail))).toBe(true);
  });

  it('serves a video in ranges, as a player seeks through it', async () => {
    const file = fs.readFileSync(path.join(lib, VIDEO));
    const whole = await get(`/api/assets/${ids[VIDEO]}/video`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/quicktime');
    expect((await bytes(whole)).equals(file)).toBe(true);
    const mid = Math.floor(file.length / 2);
    for (const [start, end] of [[0, 1], [0, 65_535], [mid, mid + 4095], [file.length - 8192, file.length - 1]] as const) {
      const res = await get(`/api/assets/${ids[VIDEO]}/video`, { headers: { range: `bytes=${start}-${end}` } });
      expect(res.status).toBe(206);
      expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${file.length}`);
      expect((await bytes(res)).equals(file.subarray(start, end + 1))).toBe(true);
    }
  });

  it('refuses unknown and invalid ids in the contract’s error shape', async () => {
    const missing = await expectError(await get(`/api/assets/${UNKNOWN}/original`), 404, 'ASSET_NOT_FOUND');
    expect(missing.error.message).toContain(UNKNOWN);
    await expectError(await get(`/api/assets/${UNKNOWN}/thumbnail`), 404, 'ASSET_NOT_FOUND');
    await expectError(await get(`/api/people/${UNKNOWN}/thumbnail`), 404, 'PERSON_NOT_FOUND');
    await expectError(await get(`/api/faces/${UNKNOWN}/thumbnail`), 404, 'FACE_NOT_FOUND');
    const invalid = await expectError(await get('/api/assets/not-a-uuid/original'), 400, 'VALIDATION_FAILED');
    expect(invalid.error.details?.[0]?.path).toBe('params.id');
    await expectError(await get(`/api/assets/${ids[PHOTO]}/original?download=maybe`), 400, 'VALIDATION_FAILED');
    // A photo has no playable video.
    await expectError(await get(`/api/assets/${ids[PHOTO]}/video`), 404, 'DERIVATIVE_NOT_FOUND');
  });

  it('does not serve JSON routes or anything else under /api, and only GET and HEAD', async () => {
    const json = await expectError(await get('/api/assets'), 404, 'NOT_FOUND');
    expect(json.error.message).toMatch(/listAssets.*IPC/);
    expect((await expectError(await get(`/api/assets/${ids[PHOTO]}`), 404, 'NOT_FOUND')).error.message).toMatch(/getAsset.*IPC/);
    await expectError(await get('/api/server/info'), 404, 'NOT_FOUND');
    await expectError(await get('/api/nothing-here'), 404, 'NOT_FOUND');
    await expectError(await get('/api'), 404, 'NOT_FOUND');
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await get(`/api/assets/${ids[PHOTO]}/original`, { method, ...(method !== 'DELETE' && { body: '{}' }) });
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      await expectError(res, 405, 'NOT_SUPPORTED');
    }
    await expectError(await get('/index.html', { method: 'POST', body: 'x' }), 405, 'NOT_SUPPORTED');
    await expectError(await handle(new Request(`shoebox://evil/api/assets/${ids[PHOTO]}/original`)), 404, 'NOT_FOUND');
  });
});

describe('app protocol: only files inside the library', () => {
  function movePath(id: string, to: string): void {
    engine.catalog.sqlite.prepare('UPDATE assets SET path = ? WHERE id = ?').run(to, id);
  }

  it('refuses a catalog row pointing outside the library folders', async () => {
    const id = ids[OTHER]!;
    expect((await get(`/api/assets/${id}/original`)).status).toBe(200);
    movePath(id, path.join(outside, 'secret.jpg'));
    const res = await get(`/api/assets/${id}/original`);
    const body = await expectError(res, 403, 'FORBIDDEN');
    expect(body.error.message).not.toContain(outside);
  });

  it('refuses a symlink inside the library that points outside, and follows one that stays inside', async () => {
    const id = ids[OTHER]!;
    const escaping = path.join(lib, 'escape.jpg');
    fs.symlinkSync(path.join(outside, 'secret.jpg'), escaping);
    movePath(id, escaping);
    await expectError(await get(`/api/assets/${id}/original`), 403, 'FORBIDDEN');
    await expectError(await get(`/api/assets/${id}/original`, { headers: { range: 'bytes=0-9' } }), 403, 'FORBIDDEN');
    const staying = path.join(lib, 'alias.jpg');
    fs.symlinkSync(path.join(lib, OTHER), staying);
    movePath(id, staying);
    const res = await get(`/api/assets/${id}/original`);
    expect(res.status).toBe(200);
    expect((await bytes(res)).equals(fs.readFileSync(path.join(lib, OTHER)))).toBe(true);
  });

  it('answers FILE_OFFLINE for a file that is gone', async () => {
    const id = ids[OTHER]!;
    movePath(id, path.join(lib, 'deleted.jpg'));
    await expectError(await get(`/api/assets/${id}/original`), 404, 'FILE_OFFLINE');
    movePath(id, path.join(fs.realpathSync(lib), OTHER));
    expect((await get(`/api/assets/${id}/original`)).status).toBe(200);
  });

  it('refuses everything once the library folders are gone from the allowed roots', async () => {
    const strict = createAppRequestHandler({
      handlers: engine.handlers, context: () => ({ ownerId: 'local' }), rendererDir: renderer, allowedRoots: () => [data],
      log: pino({ level: 'silent' }),
    });
    await expectError(await strict(new Request(`${APP_ORIGIN}/api/assets/${ids[PHOTO]}/original`)), 403, 'FORBIDDEN');
    expect((await strict(new Request(`${APP_ORIGIN}/api/assets/${ids[PHOTO]}/thumbnail`))).status).toBe(200);
  });
});

describe('app protocol: files run nothing', () => {
  it('sends a CSP that allows nothing and sandboxes, with nosniff, on every file answer', async () => {
    const answers: [string, Response][] = [
      ['original', await get(`/api/assets/${ids[PHOTO]}/original`)],
      ['range', await get(`/api/assets/${ids[PHOTO]}/original`, { headers: { range: 'bytes=0-9' } })],
      ['HEAD', await get(`/api/assets/${ids[PHOTO]}/original`, { method: 'HEAD' })],
      ['download', await get(`/api/assets/${ids[PHOTO]}/original?download=1`)],
      ['thumbnail', await get(`/api/assets/${ids[PHOTO]}/thumbnail`)],
      ['preview', await get(`/api/assets/${ids[PHOTO]}/preview`)],
      ['video', await get(`/api/assets/${ids[VIDEO]}/video`, { headers: { range: 'bytes=0-1' } })],
      ['416', await get(`/api/assets/${ids[PHOTO]}/original`, { headers: { range: 'bytes=-0' } })],
      ['404', await get(`/api/assets/${UNKNOWN}/thumbnail`)],
    ];
    for (const [what, res] of answers) {
      expect([res.status < 500, res.headers.get('content-security-policy'), res.headers.get('x-content-type-options')], what)
        .toEqual([true, FILE_CONTENT_SECURITY_POLICY, 'nosniff']);
      await res.body?.cancel();
    }
    // The pages keep theirs.
    expect((await get('/')).headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('app protocol: the library folders, resolved once', () => {
  const realpath = fs.promises.realpath;

  afterEach(() => {
    vi.restoreAllMocks();
  });

  function handler(roots: () => readonly string[], rootRetryMs?: number): (request: Request) => Promise<Response> {
    return createAppRequestHandler({
      handlers: engine.handlers, context: () => ({ ownerId: 'local' }), rendererDir: renderer, allowedRoots: roots,
      log: pino({ level: 'silent' }), ...(rootRetryMs !== undefined && { rootRetryMs }),
    });
  }

  /** The answer, or a failure when it takes longer than a request for a thumbnail may. */
  async function quickly(h: (request: Request) => Promise<Response>, p: string): Promise<Response> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${p} took more than 2 s`)), 2_000);
    });
    try {
      return await Promise.race([h(new Request(`${APP_ORIGIN}${p}`)), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** fs.promises.realpath as the protocol sees it: `hang` never answers, the calls are counted. */
  function watchRealpath(hang: string): Map<string, number> {
    const calls = new Map<string, number>();
    vi.spyOn(fs.promises, 'realpath').mockImplementation(((p: fs.PathLike, options?: unknown) => {
      const key = String(p);
      calls.set(key, (calls.get(key) ?? 0) + 1);
      if (key === hang) return new Promise(() => undefined);
      return realpath(p, options as BufferEncoding);
    }) as typeof fs.promises.realpath);
    return calls;
  }

  it('serves thumbnails and library files while another library folder hangs, and resolves it once', async () => {
    const share = path.join(outside, 'unreachable-share');
    const [realData, realLib] = [fs.realpathSync(data), fs.realpathSync(lib)];
    const calls = watchRealpath(share);
    const h = handler(() => [realData, share, realLib]);
    for (let i = 0; i < 5; i++) {
      expect((await quickly(h, `/api/assets/${ids[PHOTO]}/thumbnail`)).status).toBe(200);
      expect((await quickly(h, `/api/assets/${ids[PHOTO]}/original`)).status).toBe(200);
    }
    // The folders as listed matched: none of them was resolved.
    expect([calls.get(share) ?? 0, calls.get(realData) ?? 0, calls.get(realLib) ?? 0]).toEqual([0, 0, 0]);
  });

  it('resolves each folder once, a folder that fails at most once per retry delay, and again when the list changes', async () => {
    const calls = watchRealpath('');
    const linked = path.join(tempDir('protocol-link'), 'pictures');
    fs.symlinkSync(lib, linked);
    const missing = path.join(outside, 'unplugged-drive');
    let roots: string[] = [data, missing, linked];
    const h = handler(() => roots, 200);
    for (let i = 0; i < 5; i++) expect((await quickly(h, `/api/assets/${ids[PHOTO]}/original`)).status).toBe(200);
    expect([calls.get(linked), calls.get(missing)]).toEqual([1, 1]);
    // A refused file does not retry the failed folder within the delay.
    const id = ids[OTHER]!;
    engine.catalog.sqlite.prepare('UPDATE assets SET path = ? WHERE id = ?').run(path.join(outside, 'secret.jpg'), id);
    try {
      await expectError(await quickly(h, `/api/assets/${id}/original`), 403, 'FORBIDDEN');
      expect([calls.get(linked), calls.get(missing)]).toEqual([1, 1]);
      await new Promise((r) => setTimeout(r, 250));
      await expectError(await quickly(h, `/api/assets/${id}/original`), 403, 'FORBIDDEN');
      await expectError(await quickly(h, `/api/assets/${id}/original`), 403, 'FORBIDDEN');
      expect([calls.get(linked), calls.get(missing)]).toEqual([1, 2]);
      // The drive comes back as a new list of roots: resolved afresh.
      roots = [data, linked];
      expect((await quickly(h, `/api/assets/${ids[PHOTO]}/original`)).status).toBe(200);
      expect(calls.get(linked)).toBe(2);
    } finally {
      engine.catalog.sqlite.prepare('UPDATE assets SET path = ? WHERE id = ?').run(path.join(fs.realpathSync(lib), OTHER), id);
    }
  });

  it('serves a root that is a symlink, by its files\' real paths and through the link', async () => {
    const linked = path.join(tempDir('protocol-link'), 'pictures');
    fs.symlinkSync(lib, linked);
    const h = handler(() => [data, linked]);
    expect((await quickly(h, `/api/assets/${ids[PHOTO]}/original`)).status).toBe(200);
    const id = ids[OTHER]!;
    engine.catalog.sqlite.prepare('UPDATE assets SET path = ? WHERE id = ?').run(path.join(linked, OTHER), id);
    try {
      const res = await quickly(h, `/api/assets/${id}/original`);
      expect(res.status).toBe(200);
      expect((await bytes(res)).equals(fs.readFileSync(path.join(lib, OTHER)))).toBe(true);
    } finally {
      engine.catalog.sqlite.prepare('UPDATE assets SET path = ? WHERE id = ?').run(path.join(fs.realpathSync(lib), OTHER), id);
    }
  });

  it('refuses a folder whose name only begins with a root\'s (/photos2 next to /photos)', async () => {
    const sibling = `${fs.realpathSync(lib)}2`;
    fs.mkdirSync(sibling, { recursive: true });
    fs.copyFileSync(path.join(CORPUS, OTHER), path.join(sibling, 'other.jpg'));
    const id = ids[OTHER]!;
    engine.catalog.sqlite.prepare('UPDATE assets SET path = ? WHERE id = ?').run(path.join(sibling, 'other.jpg'), id);
    try {
      for (const roots of [[data, lib], [data, fs.realpathSync(lib)], [data, `${fs.realpathSync(lib)}${path.sep}`]]) {
        await expectError(await quickly(handler(() => roots), `/api/assets/${id}/original`), 403, 'FORBIDDEN');
      }
      expect((await quickly(handler(() => [data, sibling]), `/api/assets/${id}/original`)).status).toBe(200);
    } finally {
      engine.catalog.sqlite.prepare('UPDATE assets SET path = ? WHERE id = ?').run(path.join(fs.realpathSync(lib), OTHER), id);
    }
  });
});

describe('app protocol: the renderer build', () => {
  it('serves index.html with the strict CSP and nosniff', async () => {
    for (const p of ['/', '/index.html']) {
      const res = await get(p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe(INDEX_HTML);
    }
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; "
      + "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
      + "worker-src 'self'",
    );
  });

  it('serves build files with their MIME types; hashed assets are immutable', async () => {
    const js = await get('/assets/index-Ab12Cd34.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe(APP_JS);
    const types: Record<string, string> = {
      '/assets/index-Ef56Gh78.css': 'text/css; charset=utf-8',
      '/favicon.svg': 'image/svg+xml',
      '/manifest.webmanifest': 'application/manifest+json',
    };
    for (const [p, type] of Object.entries(types)) {
      const res = await get(p);
      expect([res.status, res.headers.get('content-type'), res.headers.get('x-content-type-options')], p).toEqual([200, type, 'nosniff']);
    }
  });

  it('falls back to index.html for app routes, never for missing build files', async () => {
    for (const p of ['/people', '/albums/5f0c8a43-4a57-4a8e-9a43-2f1d6c1d2b11', '/folders?path=%2Fhome']) {
      const res = await get(p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await res.text()).toBe(INDEX_HTML);
    }
    await expectError(await get('/assets/index-missing.js'), 404, 'NOT_FOUND');
    await expectError(await get('/assets/chunk'), 404, 'NOT_FOUND');
    await expectError(await get('/missing.png'), 404, 'NOT_FOUND');
  });

  it('refuses paths that leave the build folder', async () => {
    for (const p of ['/..%2fsecret.txt', '/..%2f..%2fetc/passwd', '/%2e%2e%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/%5c..%5csecret.txt']) {
      const res = await get(p);
      expect([403, 404], p).toContain(res.status);
      const text = await res.text();
      expect(text, p).not.toContain(SECRET);
      expect(ErrorBody.parse(JSON.parse(text)).error.code, p).toMatch(/FORBIDDEN|NOT_FOUND/);
    }
    expect((await get('/..%2fsecret.txt')).status).toBe(403);
    expect((await get('/..%5csecret.txt')).status).toBe(403);
    // On Windows these backslashes would climb out; they are refused on every system.
    expect((await get('/assets%5c..%5c..%5csecret.txt')).status).toBe(403);
    expect((await get('/assets/%5c..%5c..%5csecret.txt')).status).toBe(403);
    expect((await get('/index.html%00.js')).status).toBe(403);
    // The URL parser removes encoded dot segments itself: what is left is a path inside the build.
    const normalised = await get('/%2e%2e/secret.txt');
    expect(normalised.status).toBe(404);
    expect(await normalised.text()).not.toContain(SECRET);
    await expectError(await get('/%E0%A4%A'), 400, 'BAD_REQUEST');
  });
});

describe('app protocol: registration', () => {
  it('registers the scheme as standard and secure, with streaming and no CSP bypass or CORS', () => {
    const registered: CustomSchemeSpec[][] = [];
    const handled: string[] = [];
    const protocol: ElectronApi['protocol'] = {
      registerSchemesAsPrivileged: (schemes) => void registered.push(schemes),
      handle: (scheme) => void handled.push(scheme),
    };
    registerAppScheme(protocol);
    expect(registered).toEqual([[{
      scheme: 'shoebox',
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
    }]]);
    registerAppProtocol(protocol, {
      handlers: engine.handlers, context: () => ({ ownerId: 'local' }), rendererDir: renderer, allowedRoots: () => [lib, data],
      log: pino({ level: 'silent' }),
    });
    expect(handled).toEqual(['shoebox']);
  });
});
