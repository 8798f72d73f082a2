// The server as a process sees it, on PGlite and on Postgres: /health and /ready, the web app with
// its caching and SPA fallback, the graceful shutdown (readiness goes 503, no new connections, an
// upload in flight finishes, and a stalled one is cut at the deadline), and idle connections: a
// body that stopped arriving is cut, one arriving slowly or a request the server works on is not.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UploadResult } from '@shoebox/core/contract';
import { expectError } from './helpers/api-client.ts';
import { DATABASES, FAST_HASHER, onboardAdmin, startTestServer, type TestServer } from './helpers/test-server.ts';

// Whole servers start here (PGlite migrations, Postgres databases): slow on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const PHOTO = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'corpus', 'jpeg', 'gps', 'DSCN0025.jpg');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A raw connection: write a request in pieces, read the whole answer when the server closes or answers. */
function connect(port: number): Promise<{ socket: net.Socket; answer: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      let data = '';
      const answer = new Promise<string>((done) => {
        socket.on('data', (chunk) => (data += chunk.toString('latin1')));
        socket.on('close', () => done(data));
        socket.on('error', () => done(data));
      });
      resolve({ socket, answer });
    });
    socket.once('error', reject);
  });
}

function statusOf(raw: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
}

function multipartParts(file: string): { head: Buffer; body: Buffer; tail: Buffer; contentType: string } {
  const boundary = '----shoebox-test-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.basename(file)}"\r\nContent-Type: image/jpeg\r\n\r\n`);
  return { head, body: fs.readFileSync(file), tail: Buffer.from(`\r\n--${boundary}--\r\n`), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(DATABASES)('health and graceful shutdown (%s)', (kind) => {
  it('answers /health and /ready, then during shutdown: /ready 503, no new connections, the upload in flight finishes', async () => {
    const t = await startTestServer(kind);
    try {
      const { token } = await onboardAdmin(t);
      const health = await fetch(`${t.base}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${t.base}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });

      // An upload that has sent its headers and half its file.
      const { head, body, tail, contentType } = multipartParts(PHOTO);
      const length = head.length + body.length + tail.length;
      const up = await connect(t.server.port);
      up.socket.write(`POST /api/assets/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: ${contentType}\r\nContent-Length: ${length}\r\n\r\n`);
      up.socket.write(head);
      up.socket.write(body.subarray(0, body.length >> 1));
      // A readiness probe whose request has begun (not an idle connection) when the shutdown starts.
      const probe = await connect(t.server.port);
      probe.socket.write('GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      await sleep(100);

      let stopped = false;
      const stopping = t.server.shutdown().then(() => (stopped = true));
      expect(t.server.isShuttingDown()).toBe(true);
      probe.socket.write('\r\n');
      const probed = await probe.answer;
      expect(statusOf(probed)).toBe(503);
      expect(probed).toMatch(/"code":"SERVICE_UNAVAILABLE"/);
      expect(probed).toMatch(/[Cc]onnection: close/);
      await expect(fetch(`${t.base}/health`)).rejects.toThrow();

      await sleep(400);
      expect(stopped).toBe(false);
      up.socket.write(body.subarray(body.length >> 1));
      up.socket.write(tail);
      const answer = await up.answer;
      expect(statusOf(answer)).toBe(201);
      UploadResult.parse(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)));
      await stopping;
      expect(stopped).toBe(true);
    } finally {
      await t.stop();
    }
  });

  it('cuts a stalled upload at the shutdown deadline and leaves no partial file', async () => {
    const t = await startTestServer(kind, { settings: { SHOEBOX_SHUTDOWN_SECONDS: 1 } });
    try {
      const { token } = await onboardAdmin(t);
      const { head, body, tail, contentType } = multipartParts(PHOTO);
      const up = await connect(t.server.port);
      up.socket.write(`POST /api/assets/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: ${contentType}\r\nContent-Length: ${head.length + body.length + tail.length}\r\n\r\n`);
      up.socket.write(head);
      up.socket.write(body.subarray(0, 1000));
      await sleep(100);
      const started = Date.now();
      await t.server.shutdown();
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(900);
      expect(took).toBeLessThan(20_000);
      await up.answer;
      const library = path.join(t.dataDir, 'storage', 'library');
      const files = fs.existsSync(library) ? fs.readdirSync(library, { recursive: true }).filter((f) => fs.statSync(path.join(library, String(f))).isFile()) : [];
      expect(files).toEqual([]);
      expect(fs.readdirSync(path.join(t.dataDir, 'storage', 'tmp'))).toEqual([]);
    } finally {
      await t.stop();
    }
  });

  it('closes a connection whose body stopped arriving, not one whose body trickles in or that waits for the server', async () => {
    // Checking an unknown e-mail takes 1 s here: longer than the idle timeout.
    const hasher = { ...FAST_HASHER, verifyDummy: async (password: string) => (await sleep(1000), await FAST_HASHER.verifyDummy(password)) };
    const t = await startTestServer(kind, { start: { hasher, http: { idleTimeoutMs: 400 } } });
    const head = (length: number): string =>
      `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;
    try {
      const stalled = await connect(t.server.port);
      stalled.socket.write(`${head(100)}{"email":`);
      const started = Date.now();
      expect(await Promise.race([stalled.answer, sleep(10_000).then(() => 'still open')])).toBe('');
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);

      const body = JSON.stringify({ email: 'nobody@example.org', password: 'wrong password' });
      const slow = await connect(t.server.port);
      slow.socket.write(head(body.length));
      for (const piece of body.match(/.{1,10}/g)!) {
        slow.socket.write(piece);
        await sleep(150);
      }
      expect(statusOf(await slow.answer)).toBe(401);
    } finally {
      await t.stop();
    }
  });

  it('answers /ready 503 when the database does not answer', async () => {
    const t = await startTestServer(kind);
    try {
      await t.server.database.close();
      const res = await fetch(`${t.base}/ready`);
      await expectError(res, 503, 'SERVICE_UNAVAILABLE');
      expect((await fetch(`${t.base}/health`)).status).toBe(200);
    } finally {
      await t.stop();
    }
  });
});

describe('the web app', () => {
  let t: TestServer;
  let ui: string;

  beforeAll(async () => {
    ui = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-ui-'));
    fs.mkdirSync(path.join(ui, 'assets'));
    fs.writeFileSync(path.join(ui, 'index.html'), '<!doctype html><title>Shoebox</title><script type="module" src="/assets/app-1a2b3c.js"></script>');
    fs.writeFileSync(path.join(ui, 'assets', 'app-1a2b3c.js'), 'console.log(1)');
    fs.writeFileSync(path.join(ui, 'sw.js'), 'self.addEventListener("fetch", () => {})');
    fs.writeFileSync(path.join(ui, 'manifest.webmanifest'), '{"name":"Shoebox"}');
    t = await startTestServer('pglite', { settings: { SHOEBOX_UI_DIR: ui }, start: { noUi: false } });
  });
  afterAll(async () => {
    await t?.stop();
    fs.rmSync(ui, { recursive: true, force: true });
  });

  it('serves the build with immutable hashed assets, revalidated pages, worker and manifest, and sends other pages to the app', async () => {
    // The build refers to its files relatively and routes with hashes: other page paths go to `/#…`.
    for (const [page, hash] of [['/albums/123?x=1', '#/albums/123?x=1'], ['/people', '#/people'], ['//evil.example/x', '#//evil.example/x']] as const) {
      const res = await fetch(`${t.base}${page}`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(new URL(res.headers.get('location')!, t.base).href).toBe(`${t.base}/${hash}`);
    }
    for (const page of ['/', '/index.html', '/albums/123']) {
      const res = await fetch(`${t.base}${page}`);
      expect(res.status, page).toBe(200);
      expect(await res.text()).toContain('<title>Shoebox</title>');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
    }
    const asset = await fetch(`${t.base}/assets/app-1a2b3c.js`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    await asset.text();
    for (const file of ['/sw.js', '/manifest.webmanifest']) {
      const res = await fetch(`${t.base}${file}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      await res.text();
    }
    await expectError(await fetch(`${t.base}/assets/gone-123.js`), 404, 'NOT_FOUND');
    await expectError(await fetch(`${t.base}/api/not-a-route`), 404, 'NOT_FOUND');
    await expectError(await fetch(`${t.base}/`, { method: 'POST' }), 404, 'NOT_FOUND');
    // An encoded `../` never reaches a file outside the build.
    const traversal = await fetch(`${t.base}/..%2f..%2fpackage.json`);
    expect(await traversal.text()).not.toContain('"dependencies"');
  });
});
