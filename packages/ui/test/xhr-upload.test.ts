// The upload request: multipart fields before the file, progress scaled to the file's bytes, the
// server's answers turned into outcomes or failures that say what the queue should do.
import { describe, expect, it } from 'vitest';
import { outcomeOf, xhrSender } from '../src/upload/xhr-upload.ts';
import { UploadFailure, type UploadItem } from '../src/upload/upload-types.ts';

const ASSET = '6c3f6a3e-9d7b-4c1e-8f2a-1b2c3d4e5f60';

function failure(fn: () => unknown): UploadFailure {
  try {
    fn();
  } catch (error) {
    if (error instanceof UploadFailure) return error;
    throw error;
  }
  throw new Error('no failure');
}

describe('outcomeOf', () => {
  it('reads created and duplicate answers', () => {
    expect(outcomeOf(201, JSON.stringify({ id: ASSET, status: 'created', checksum: 'a'.repeat(40) }))).toEqual({ status: 'created', assetId: ASSET, checksum: 'a'.repeat(40) });
    expect(outcomeOf(200, JSON.stringify({ id: ASSET, status: 'duplicate', checksum: 'b'.repeat(40) }))).toMatchObject({ status: 'duplicate', assetId: ASSET });
  });

  it('keeps the server’s reason for a refused file and does not retry it', () => {
    const tooBig = failure(() => outcomeOf(413, JSON.stringify({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'the file is larger than 10 GiB' } })));
    expect(tooBig).toMatchObject({ kind: 'rejected', status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The file is larger than 10 GiB.' });
    const notMedia = failure(() => outcomeOf(415, JSON.stringify({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'not a photo or video (text/plain)' } })));
    expect(notMedia).toMatchObject({ kind: 'rejected', message: 'Not a photo or video (text/plain).' });
    expect(failure(() => outcomeOf(422, JSON.stringify({ error: { code: 'CHECKSUM_MISMATCH', message: 'the file changed on the way' } })))).toMatchObject({ kind: 'rejected' });
    expect(failure(() => outcomeOf(413, '<html>nginx</html>'))).toMatchObject({ kind: 'rejected', message: 'The file is larger than the server accepts.' });
  });

  it('retries server trouble, and holds for a login on 401', () => {
    expect(failure(() => outcomeOf(503, JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'shutting down' } })))).toMatchObject({ kind: 'server' });
    expect(failure(() => outcomeOf(502, 'Bad gateway'))).toMatchObject({ kind: 'server' });
    expect(failure(() => outcomeOf(429, '', '30'))).toMatchObject({ kind: 'server', message: 'The server is busy; trying again in 30 s.' });
    expect(failure(() => outcomeOf(401, JSON.stringify({ error: { code: 'UNAUTHORIZED', message: 'no session' } })))).toMatchObject({ kind: 'unauthorized' });
    expect(failure(() => outcomeOf(200, 'not json'))).toMatchObject({ kind: 'server' });
  });
});

class FakeXhr {
  static last: FakeXhr;
  method = '';
  url = '';
  body: FormData | null = null;
  status = 0;
  responseType = '';
  response: string = '';
  responseText = '';
  aborted = false;
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  getResponseHeader() {
    return null;
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.response = JSON.stringify(body);
    this.onload?.();
  }
}

const item: UploadItem = {
  id: 'x', name: 'IMG_0001.HEIC', size: 1000, type: 'image/heic', lastModified: Date.parse('2024-05-01T10:00:00Z'), addedAt: 0, order: 0,
  status: 'uploading', sent: 0, attempts: 0, retryAt: null, error: null, checksum: null, assetId: null,
};

describe('xhrSender', () => {
  const send = xhrSender({ url: '/api/assets/upload', deviceId: 'web-1234', createXhr: () => new FakeXhr() as unknown as XMLHttpRequest });

  it('posts the fields, then the file, and scales progress to the file', async () => {
    const progress: number[] = [];
    const done = send({ item, file: new Blob([new Uint8Array(1000)]), checksum: 'c'.repeat(40) }, (n) => progress.push(n), new AbortController().signal);
    const xhr = FakeXhr.last;
    expect([xhr.method, xhr.url]).toEqual(['POST', '/api/assets/upload']);
    const fields = [...xhr.body!.entries()].map(([k, v]) => [k, typeof v === 'string' ? v : `file:${(v as File).name}`]);
    expect(fields).toEqual([
      ['fileCreatedAt', '2024-05-01T10:00:00.000Z'],
      ['fileModifiedAt', '2024-05-01T10:00:00.000Z'],
      ['deviceId', 'web-1234'],
      ['deviceAssetId', `IMG_0001.HEIC-1000-${item.lastModified}`],
      ['checksum', 'c'.repeat(40)],
      ['file', 'file:IMG_0001.HEIC'],
    ]);
    xhr.upload.onprogress!({ lengthComputable: true, loaded: 600, total: 1200 });
    xhr.upload.onprogress!({ lengthComputable: true, loaded: 1200, total: 1200 });
    expect(progress).toEqual([500, 1000]);
    xhr.answer(201, { id: ASSET, status: 'created', checksum: 'c'.repeat(40) });
    expect(await done).toEqual({ status: 'created', assetId: ASSET, checksum: 'c'.repeat(40) });
  });

  it('reports a dropped connection as a network failure, and a stop as an abort', async () => {
    const lost = send({ item, file: new Blob(['x']), checksum: null }, () => {}, new AbortController().signal);
    FakeXhr.last.onerror!();
    await expect(lost).rejects.toMatchObject({ kind: 'network' });

    const controller = new AbortController();
    const stopped = send({ item, file: new Blob(['x']), checksum: null }, () => {}, controller.signal);
    controller.abort();
    expect(FakeXhr.last.aborted).toBe(true);
    await expect(stopped).rejects.toMatchObject({ name: 'AbortError' });
  });
});
