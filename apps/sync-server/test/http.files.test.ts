// Served files: only from inside the storage roots (symlinks followed), and anything that is not an
// image or video leaves as an inert download.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileResult } from '@shoebox/core/contract';
import { StorageRoots, sendFileResult } from '../src/http/file-response.ts';
import { expectError } from './helpers/api-client.ts';

let dir: string;
let root: string;
let outside: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-files-'));
  root = path.join(dir, 'storage');
  outside = path.join(dir, 'secret.txt');
  fs.mkdirSync(path.join(root, 'a'), { recursive: true });
  fs.writeFileSync(path.join(root, 'a', 'photo.jpg'), 'jpeg bytes');
  fs.writeFileSync(path.join(root, 'a', 'page.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
  fs.writeFileSync(outside, 'secret');
  fs.symlinkSync(outside, path.join(root, 'a', 'link.jpg'));
  fs.symlinkSync(dir, path.join(root, 'up'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('storage roots', () => {
  it('answers the real path of files inside, and null for anything that leads out', async () => {
    const roots = new StorageRoots([root, path.join(dir, 'not-made-yet')]);
    expect(await roots.contain(path.join(root, 'a', 'photo.jpg'))).toBe(fs.realpathSync(path.join(root, 'a', 'photo.jpg')));
    expect(await roots.contain(outside)).toBeNull();
    expect(await roots.contain(path.join(root, 'a', 'link.jpg'))).toBeNull();
    expect(await roots.contain(path.join(root, 'up', 'secret.txt'))).toBeNull();
    expect(await roots.contain(path.join(root, 'a', '..', '..', 'secret.txt'))).toBeNull();
    expect(await roots.contain('a/photo.jpg')).toBeNull();
    expect(await roots.contain(root)).toBeNull();
    await expect(roots.contain(path.join(root, 'missing.jpg'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('sending a file result', () => {
  let base: string;
  let server: ReturnType<express.Express['listen']>;
  beforeAll(async () => {
    const app = express();
    const roots = new StorageRoots([root]);
    const files: Record<string, FileResult> = {
      photo: { filePath: path.join(root, 'a', 'photo.jpg'), contentType: 'image/jpeg', cacheSeconds: 86_400 },
      svg: { filePath: path.join(root, 'a', 'page.svg'), contentType: 'image/svg+xml', cacheSeconds: 86_400 },
      html: { filePath: path.join(root, 'a', 'photo.jpg'), contentType: 'text/html', fileName: 'x.html' },
      escape: { filePath: path.join(root, 'a', 'link.jpg'), contentType: 'image/jpeg' },
      gone: { filePath: path.join(root, 'a', 'gone.jpg'), contentType: 'image/jpeg' },
    };
    app.get('/:name', (req, res) => void sendFileResult(req, res, files[req.params.name]!, roots, pino({ level: 'silent' })));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('caches thumbnails privately for a day', async () => {
    const res = await fetch(`${base}/photo`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, max-age=86400');
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(await res.text()).toBe('jpeg bytes');
  });

  it('sends SVG and other types as downloads in a sandbox', async () => {
    for (const name of ['svg', 'html']) {
      const res = await fetch(`${base}/${name}`);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment/);
      expect(res.headers.get('content-security-policy')).toContain('sandbox');
      await res.text();
    }
  });

  it('refuses a file outside the roots, and says a missing one is offline', async () => {
    await expectError(await fetch(`${base}/escape`), 404, 'NOT_FOUND');
    await expectError(await fetch(`${base}/gone`), 404, 'FILE_OFFLINE');
  });
});
