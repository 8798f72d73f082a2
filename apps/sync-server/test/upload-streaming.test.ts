// The streaming side of uploads: an aborted or stalled upload leaves nothing, shutdown drains or
// aborts what is in flight, crash leftovers are swept (tmp) or moved aside (library), and a large
// upload over the limit is refused at once.
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, UploadResult } from '@shoebox/core/contract';
import { stopHashWorker } from '../src/uploads/index.ts';
import type { startServer} from './upload.fixtures.ts';
import {
  BACKEND_KINDS, corpusFile, listFiles, multipart, openBackend, post, randomJpeg, uploadFile, waitFor,
  type Backend, type TestServer,
  trackedServers,
} from './upload.fixtures.ts';

const tracked = trackedServers();
const server = tracked;

const JPEG = readFileSync(corpusFile('jpeg/cameras/Nikon D5000.jpg'));
const tmpFiles = (s: TestServer): Promise<string[]> => listFiles(path.join(s.root, 'tmp'));

/** Starts an upload whose body is sent by hand: the head of the form and `firstBytes` of the file. */
function startManualUpload(s: TestServer, file: Buffer, firstBytes: number, owner: string = randomUUID(), agent: http.Agent | false = false) {
  const boundary = `b${randomUUID()}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.jpg"\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const req = http.request(s.url, {
    method: 'POST',
    agent,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(head.length + file.length + tail.length),
      'x-test-owner': owner,
    },
  });
  req.on('error', () => undefined);
  const response = new Promise<{ status: number; body: unknown }>((resolve) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
      res.on('error', () => undefined);
    });
  });
  req.write(Buffer.concat([head, file.subarray(0, firstBytes)]));
  return {
    req,
    response,
    finish: () => req.end(Buffer.concat([file.subarray(firstBytes), tail])),
  };
}

describe('interrupted uploads', () => {
  it('an upload the client aborts mid-body leaves no asset and no temp file', async () => {
    const s = await server();
    const upload = startManualUpload(s, JPEG, 100_000);
    await waitFor(async () => (await tmpFiles(s)).length === 1 && s.uploads.inFlight() === 1);
    upload.req.destroy();
    await waitFor(() => s.uploads.inFlight() === 0);
    expect(await tmpFiles(s)).toEqual([]);
    expect(await s.assets()).toEqual([]);
    expect(await listFiles(path.join(s.root, 'library'))).toEqual([]);
  });

  it('a large upload aborted while the server writes leaves nothing either', async () => {
    const s = await server({ maxBytes: 1024 ** 3 });
    const m = multipart({ files: [{ name: 'big.jpg', size: 200 * 1024 * 1024, source: () => randomJpeg(200 * 1024 * 1024, createHash('sha1')) }] });
    const req = http.request(s.url, {
      method: 'POST', agent: false,
      headers: { 'content-type': m.contentType, 'content-length': String(m.length), 'x-test-owner': randomUUID() },
    });
    req.on('error', () => undefined);
    m.body.pipe(req);
    let received = 0;
    await waitFor(async () => {
      const files = await tmpFiles(s);
      if (files.length !== 1) return false;
      received = (await stat(path.join(s.root, 'tmp', files[0]!))).size;
      return received > 5 * 1024 * 1024;
    }, 20_000);
    m.body.unpipe(req);
    m.body.destroy();
    req.destroy();
    await waitFor(() => s.uploads.inFlight() === 0);
    expect(await tmpFiles(s)).toEqual([]);
    expect(await s.assets()).toEqual([]);
  });

  it('a 200 MB upload over the limit gets its 413 at once, with or without Content-Length', async () => {
    const s = await server({ maxBytes: 1024 * 1024, lingerMs: 300 });
    for (const declared of [true, false]) {
      const size = 200 * 1024 * 1024;
      const m = multipart({ files: [{ name: 'big.jpg', size, source: () => randomJpeg(size, createHash('sha1')) }] });
      const started = Date.now();
      const answer = await post(s.url, { owner: randomUUID(), body: m.body, contentType: m.contentType, length: declared ? m.length : null });
      expect(answer.status).toBe(413);
      expect(ErrorBody.parse(answer.body).error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(Date.now() - started).toBeLessThan(3000);
      m.body.destroy();
      await waitFor(() => s.uploads.inFlight() === 0);
      expect(await tmpFiles(s)).toEqual([]);
    }
    expect(await s.assets()).toEqual([]);
  });

  it('after an early answer the rest of the body is discarded for lingerMs, then the connection is closed', async () => {
    const s = await server({ maxBytes: 1024, lingerMs: 300 });
    // A keep-alive client (one sending `Connection: close` closes the connection itself on the answer).
    const agent = new http.Agent({ keepAlive: true });
    const upload = startManualUpload(s, JPEG, 5000, randomUUID(), agent); // over the limit after 1 KB
    const answer = await upload.response;
    expect(answer.status).toBe(413);
    const closedAt = new Promise<number>((resolve) => upload.req.socket!.once('close', () => resolve(Date.now())));
    const answeredAt = Date.now();
    // A client that keeps sending slowly is cut off after the linger time.
    const drip = setInterval(() => upload.req.write(Buffer.alloc(100)), 20);
    const closed = await closedAt;
    clearInterval(drip);
    expect(closed - answeredAt).toBeGreaterThanOrEqual(200);
    expect(closed - answeredAt).toBeLessThan(3000);
    agent.destroy();
    expect(s.uploads.inFlight()).toBe(0);
    expect(await tmpFiles(s)).toEqual([]);
  });

  it('a `Connection: close` client that sends its whole 21 MB body before reading still gets the 413', async () => {
    const s = await server({ maxBytes: 1024 });
    const m = multipart({ files: [{ name: 'big.jpg', source: Buffer.concat(Array<Buffer>(80).fill(JPEG)) }] });
    const chunks: Buffer[] = [];
    for await (const c of m.body) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const socket = net.connect(s.port, '127.0.0.1');
    await once(socket, 'connect');
    const received: Buffer[] = [];
    socket.on('data', (c: Buffer) => received.push(c));
    socket.on('error', () => undefined);
    socket.pause(); // read nothing until everything is sent
    socket.write(`POST /api/assets/upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\nx-test-owner: ${randomUUID()}\r\n` +
      `Content-Type: ${m.contentType}\r\nContent-Length: ${body.length}\r\n\r\n`);
    for (let at = 0; at < body.length; at += 16 * 1024) {
      if (!socket.write(body.subarray(at, at + 16 * 1024))) await once(socket, 'drain');
    }
    socket.resume();
    await once(socket, 'close');
    const text = Buffer.concat(received).toString('latin1');
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text).toContain('PAYLOAD_TOO_LARGE');
  });

  it('a stalled upload times out and is removed', async () => {
    const s = await server({ idleTimeoutMs: 300, lingerMs: 200 });
    const upload = startManualUpload(s, JPEG, 50_000);
    const answer = await upload.response;
    expect(answer.status).toBe(400);
    expect(ErrorBody.parse(answer.body).error.message).toMatch(/stalled/);
    await waitFor(() => s.uploads.inFlight() === 0);
    expect(await tmpFiles(s)).toEqual([]);
  });
});

describe('hashing worker', () => {
  it('a failed hashing worker fails the upload with 500 and leaves nothing; the next upload gets a new worker', async () => {
    const s = await server({ hashOffloadBytes: 1024 });
    const upload = startManualUpload(s, JPEG, 100_000);
    await waitFor(async () => (await tmpFiles(s)).length === 1);
    await stopHashWorker();
    upload.finish();
    const answer = await upload.response;
    expect(answer.status).toBe(500);
    expect(ErrorBody.parse(answer.body).error.code).toBe('INTERNAL');
    await waitFor(() => s.uploads.inFlight() === 0);
    expect(await tmpFiles(s)).toEqual([]);
    expect(await s.assets()).toEqual([]);
    const again = await uploadFile(s, await s.newOwner(), corpusFile('jpeg/cameras/Nikon D5000.jpg'));
    expect(again.status).toBe(201);
  });
});

describe('shutdown', () => {
  it('drain() refuses new uploads with 503 and waits for those in flight', async () => {
    const s = await server();
    const slow = startManualUpload(s, JPEG, 10_000);
    await waitFor(() => s.uploads.inFlight() === 1);
    let drained: boolean | null = null;
    const draining = s.uploads.drain(10_000).then((d) => (drained = d));
    expect(s.uploads.closing).toBe(true);
    const refused = await uploadFile(s, randomUUID(), corpusFile('jpeg/cameras-small/Nikon_D70.jpg'));
    expect(refused.status).toBe(503);
    expect(drained).toBeNull();
    slow.finish();
    const answer = await slow.response;
    expect(answer.status).toBe(201);
    UploadResult.parse(answer.body);
    await draining;
    expect(drained).toBe(true);
  });

  it('after a drain timeout, abortAll() ends the uploads still receiving and removes their temp files', async () => {
    const s = await server();
    const stuck = startManualUpload(s, JPEG, 10_000);
    await waitFor(async () => s.uploads.inFlight() === 1 && (await tmpFiles(s)).length === 1);
    expect(await s.uploads.drain(100)).toBe(false);
    s.uploads.abortAll();
    const answer = await stuck.response;
    expect(answer.status).toBe(503);
    await waitFor(() => s.uploads.inFlight() === 0);
    expect(await tmpFiles(s)).toEqual([]);
    expect(await s.uploads.drain(100)).toBe(true);
  });
});

describe.each(BACKEND_KINDS)('crash leftovers (%s)', (kind) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await openBackend(kind);
  }, 60_000);
  afterAll(async () => {
    await backend?.close();
  });
  const server = (options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> => tracked({ ...options, backend });

  it('sweepTemp() removes what crashed uploads left in tmp/, never an upload in flight', async () => {
    const s = await server();
    await writeFile(path.join(s.root, 'tmp', `${randomUUID()}.part`), 'partial');
    await writeFile(path.join(s.root, 'tmp', `${randomUUID()}.jpg`), 'partial');
    const live = startManualUpload(s, JPEG, 10_000, await s.newOwner());
    await waitFor(async () => (await tmpFiles(s)).length === 3);
    expect(await s.uploads.sweepTemp()).toBe(2);
    expect(await tmpFiles(s)).toHaveLength(1);
    live.finish();
    expect((await live.response).status).toBe(201);
    expect(await tmpFiles(s)).toEqual([]);
  });

  it('scanOrphans() reports library files without an asset and moves them aside, never deleting', async () => {
    const s = await server();
    const owner = await s.newOwner();
    expect((await uploadFile(s, owner, corpusFile('jpeg/cameras-small/Nikon_D70.jpg'))).status).toBe(201);
    const known = (await s.assets(owner))[0]!.path;
    const orphanDir = path.join(s.root, 'library', owner, '2020', '2020-01-01');
    await mkdir(orphanDir, { recursive: true });
    const orphan = path.join(orphanDir, 'orphan.jpg');
    await writeFile(orphan, 'left by a crash');

    const report = await s.uploads.scanOrphans({ moveAside: false });
    expect(report).toEqual({ orphans: [orphan], movedTo: null });
    expect(await readFile(orphan, 'utf8')).toBe('left by a crash');

    const moved = await s.uploads.scanOrphans();
    expect(moved.orphans).toEqual([orphan]);
    expect(moved.movedTo).not.toBeNull();
    expect(path.dirname(moved.movedTo!)).toBe(path.join(s.root, 'orphans'));
    expect(await readFile(path.join(moved.movedTo!, owner, '2020', '2020-01-01', 'orphan.jpg'), 'utf8')).toBe('left by a crash');
    expect(await listFiles(path.join(s.root, 'library'))).toEqual([path.relative(path.join(s.root, 'library'), known)]);
    expect((await s.uploads.scanOrphans()).orphans).toEqual([]);
  });

  it('moves nothing when most of the library looks orphaned (a moved storage root?)', async () => {
    const s = await server();
    const dir = path.join(s.root, 'library', randomUUID(), '2020', '2020-01-01');
    await mkdir(dir, { recursive: true });
    for (let i = 0; i < 12; i++) await writeFile(path.join(dir, `${i}.jpg`), 'x');
    const report = await s.uploads.scanOrphans();
    expect(report.orphans).toHaveLength(12);
    expect(report.movedTo).toBeNull();
    expect(await listFiles(dir)).toHaveLength(12);
  });
});
