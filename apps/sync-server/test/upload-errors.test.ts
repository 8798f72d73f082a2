// Refused uploads: every answer is the contract's error shape with the right status, and nothing
// is left behind (no asset, no temp file, nothing in the library).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, UploadResult } from '@shoebox/core/contract';
import type { startServer} from './upload.fixtures.ts';
import {
  BACKEND_KINDS, corpusFile, listFiles, multipart, openBackend, post, sha1File, uploadFile,
  type Answer, type Backend, type TestServer,
  trackedServers,
} from './upload.fixtures.ts';

const tracked = trackedServers();
const server = tracked;

const JPEG = corpusFile('jpeg/cameras-small/Nikon_D70.jpg');
const jpegBytes = (): Buffer => readFileSync(JPEG);

function expectError(answer: Answer, status: number, code: string): ErrorBody {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  const body = ErrorBody.parse(answer.body);
  expect(body.error.code).toBe(code);
  return body;
}

async function expectNothingLeft(s: TestServer): Promise<void> {
  expect(s.uploads.inFlight()).toBe(0);
  expect(await s.assets()).toEqual([]);
  expect(await listFiles(path.join(s.root, 'tmp'))).toEqual([]);
  expect(await listFiles(path.join(s.root, 'library'))).toEqual([]);
  expect(s.uploaded).toEqual([]);
}

async function send(s: TestServer, form: Parameters<typeof multipart>[0], owner?: string): Promise<Answer> {
  owner ??= await s.newOwner();
  const m = multipart(form);
  return post(s.url, { owner, body: m.body, contentType: m.contentType, length: m.length });
}

describe.each(BACKEND_KINDS)('refused uploads (%s)', (kind) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await openBackend(kind);
  }, 60_000);
  afterAll(async () => {
    await backend?.close();
  });
  const server = (options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> => tracked({ ...options, backend });

  it('401 without a caller', async () => {
    const s = await server();
    expectError(await send(s, { files: [{ name: 'a.jpg', source: jpegBytes() }] }, ''), 401, 'UNAUTHORIZED');
    await expectNothingLeft(s);
  });

  it('400 for a body that is not multipart, or malformed multipart', async () => {
    const s = await server();
    const owner = await s.newOwner();
    expectError(await post(s.url, { owner, body: Buffer.from('{"file":1}'), contentType: 'application/json' }), 400, 'BAD_REQUEST');
    expectError(await post(s.url, { owner, body: Buffer.from('hello'), contentType: 'multipart/form-data' }), 400, 'BAD_REQUEST');
    // Garbage with a boundary, a part header without its blank line, a body cut before the end.
    expectError(await post(s.url, { owner, body: Buffer.from('garbage'), contentType: 'multipart/form-data; boundary=XX' }), 400, 'BAD_REQUEST');
    expectError(await post(s.url, {
      owner, contentType: 'multipart/form-data; boundary=XX',
      body: Buffer.from('--XX\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nno blank line'),
    }), 400, 'BAD_REQUEST');
    const cut = Buffer.concat([
      Buffer.from('--XX\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n'),
      jpegBytes(),
    ]);
    expectError(await post(s.url, { owner, body: cut, contentType: 'multipart/form-data; boundary=XX' }), 400, 'BAD_REQUEST');
    await expectNothingLeft(s);
  });

  it('400 without a file part, with the file as a plain field, with two files or a file under another name', async () => {
    const s = await server();
    expectError(await send(s, { fields: { deviceId: 'phone' } }), 400, 'BAD_REQUEST');
    expectError(await send(s, { fields: { file: 'not a file' } }), 400, 'BAD_REQUEST');
    expectError(await send(s, { files: [{ name: 'a.jpg', source: jpegBytes() }, { name: 'b.jpg', source: jpegBytes() }] }), 400, 'BAD_REQUEST');
    expectError(await send(s, { files: [{ field: 'photo', name: 'a.jpg', source: jpegBytes() }] }), 400, 'BAD_REQUEST');
    expectError(await send(s, { files: [{ field: 'photo', name: 'a.jpg', source: jpegBytes() }, { name: 'b.jpg', source: jpegBytes() }] }), 400, 'BAD_REQUEST');
    await expectNothingLeft(s);
  });

  it('400 VALIDATION_FAILED for bad fields, before or after the file', async () => {
    const s = await server();
    const bad = expectError(await send(s, { fields: { fileCreatedAt: 'yesterday' }, files: [{ name: 'a.jpg', source: jpegBytes() }] }), 400, 'VALIDATION_FAILED');
    expect(bad.error.details?.[0]?.path).toBe('fields.fileCreatedAt');
    expectError(await send(s, { files: [{ name: 'a.jpg', source: jpegBytes() }], trailingFields: { checksum: 'abc' } }), 400, 'VALIDATION_FAILED');
    expectError(await send(s, { fields: { deviceAssetId: 'x'.repeat(501) }, files: [{ name: 'a.jpg', source: jpegBytes() }] }), 400, 'VALIDATION_FAILED');
    expectError(await send(s, { fields: { deviceId: 'x'.repeat(10_000) }, files: [{ name: 'a.jpg', source: jpegBytes() }] }), 400, 'VALIDATION_FAILED');
    // The same field twice is ambiguous.
    const m = multipart({ files: [{ name: 'a.jpg', source: jpegBytes() }], fields: { deviceId: 'a' }, trailingFields: { deviceId: 'b' } });
    expectError(await post(s.url, { owner: await s.newOwner(), body: m.body, contentType: m.contentType, length: m.length }), 400, 'VALIDATION_FAILED');
    await expectNothingLeft(s);
  });

  it('415 for content that is not a photo or video, whatever its name and Content-Type say', async () => {
    const s = await server();
    const cases: Array<[string, Buffer]> = [
      ['text-file-renamed.jpg', readFileSync(corpusFile('broken/self-made/text-file-renamed.jpg'))],
      ['zero-bytes.jpg', Buffer.alloc(0)],
      ['sidecar.jpg', readFileSync(corpusFile('sidecar/iphone_7.xmp'))],
      ['song.mp4', Buffer.concat([Buffer.from('\0\0\0\x20ftypM4A \0\0\0\0M4A mp42isom\0\0\0\0', 'latin1'), Buffer.alloc(2000)])],
      ['page.png', Buffer.from('<!doctype html><html><script>alert(1)</script></html>')],
    ];
    for (const [name, bytes] of cases) {
      expectError(await send(s, { files: [{ name, source: bytes, contentType: 'image/jpeg' }] }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    await expectNothingLeft(s);
  });

  it("422 when the client's checksum is not the received bytes'; a matching one (any case) is accepted", async () => {
    const s = await server();
    const owner = await s.newOwner();
    const sha1 = await sha1File(JPEG);
    const wrong = sha1.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expectError(await send(s, { fields: { checksum: wrong }, files: [{ name: 'a.jpg', source: jpegBytes() }] }, owner), 422, 'CHECKSUM_MISMATCH');
    expectError(await send(s, { files: [{ name: 'a.jpg', source: jpegBytes() }], trailingFields: { checksum: wrong } }, owner), 422, 'CHECKSUM_MISMATCH');
    await expectNothingLeft(s);
    const ok = await uploadFile(s, owner, JPEG, { fields: { checksum: sha1.toUpperCase() } });
    expect(ok.status).toBe(201);
    expect(UploadResult.parse(ok.body).checksum).toBe(sha1);
  });

  it('503 with Retry-After once the server is closing', async () => {
    const s = await server();
    s.uploads.close();
    const answer = await uploadFile(s, await s.newOwner(), JPEG);
    expectError(answer, 503, 'SERVICE_UNAVAILABLE');
    expect(answer.headers['retry-after']).toBe('10');
    await expectNothingLeft(s);
  });

  it('413 early from Content-Length, and mid-stream for a chunked body; the client gets the answer', async () => {
    const s = await server({ maxBytes: 64 * 1024 });
    const big = readFileSync(corpusFile('jpeg/cameras/Nikon D5000.jpg')); // 262 KB
    const early = await send(s, { files: [{ name: 'big.jpg', source: big }] });
    expectError(early, 413, 'PAYLOAD_TOO_LARGE');
    // No Content-Length: only the stream can tell.
    const m = multipart({ files: [{ name: 'big.jpg', source: corpusFile('jpeg/cameras/Nikon D5000.jpg') }] });
    expect(m.length).toBeNull();
    expectError(await post(s.url, { owner: await s.newOwner(), body: m.body, contentType: m.contentType }), 413, 'PAYLOAD_TOO_LARGE');
    // Slightly over the limit with an honest Content-Length passes the early check and fails in the stream.
    const over = Buffer.concat([big.subarray(0, 64 * 1024), Buffer.from('x')]);
    expectError(await send(s, { files: [{ name: 'over.jpg', source: over }] }), 413, 'PAYLOAD_TOO_LARGE');
    await expectNothingLeft(s);
    // Exactly the limit is fine.
    const exact = await send(s, { files: [{ name: 'exact.jpg', source: big.subarray(0, 64 * 1024) }] });
    expect(exact.status).toBe(201);
  });

});

describe('refused uploads (memory)', () => {
  it('a failed insert leaves no file; a concurrent winner in another process turns ours into a duplicate', async () => {
    const s = await server();
    const owner = await s.newOwner();
    s.memory!.beforeInsert = () => {
      throw new Error('database is down');
    };
    const failed = await uploadFile(s, owner, JPEG);
    expectError(failed, 500, 'INTERNAL');
    await expectNothingLeft(s);

    // Another server process records the same bytes between our check and our insert.
    let winner = '';
    s.memory!.beforeInsert = (asset) => {
      s.memory!.beforeInsert = null;
      winner = randomUUID();
      s.memory!.rows.set(`${asset.ownerId}:${asset.checksum}`, { ...asset, path: path.join(s.root, 'library', 'elsewhere.jpg'), id: winner });
    };
    const lost = await uploadFile(s, owner, JPEG);
    expect(lost.status).toBe(200);
    expect(UploadResult.parse(lost.body)).toMatchObject({ id: winner, status: 'duplicate' });
    expect(await listFiles(path.join(s.root, 'library'))).toEqual([]);
    expect(await listFiles(path.join(s.root, 'tmp'))).toEqual([]);
    expect(s.uploaded).toEqual([]);
  });
});
