// Uploads over real HTTP: the corpus lands byte-exact under its capture day, duplicates (also 20
// at once) yield one asset, owners are kept apart, and client names never leave the storage root.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UploadResult } from '@shoebox/core/contract';
import { MetadataExtractor } from '@shoebox/media-node/media/metadata.extractor';
import { captureDateFromMetadata } from '../src/uploads/index.ts';
import {
  BACKEND_KINDS, corpusFile, corpusRows, listFiles, manifestCaptureDate, multipart, openBackend, post, sha1File, startServer,
  uploadFile, type Backend, type TestServer,
} from './upload.fixtures.ts';

const UNSUPPORTED = new Set(['TXT', '(empty)', 'XMP']);
const localDay = (d: Date): string =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** A small JPEG with `tag` appended after its end marker: different bytes, still a JPEG. */
function jpegVariant(tag: string): Buffer {
  return Buffer.concat([readFileSync(corpusFile('jpeg/cameras-small/Canon_40D.jpg')), Buffer.from(`\n${tag}`)]);
}

async function uploadBuffer(s: TestServer, owner: string, name: string, bytes: Buffer, fields: Record<string, string> = {}) {
  const form = multipart({ fields, files: [{ name, source: bytes }] });
  return post(s.url, { owner, body: form.body, contentType: form.contentType, length: form.length });
}

describe.each(BACKEND_KINDS)('uploads over real HTTP (%s)', (kind) => {
  let backend: Backend;
  const servers: TestServer[] = [];
  beforeAll(async () => {
    backend = await openBackend(kind);
  }, 60_000);
  afterAll(async () => {
    await backend?.close();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  async function server(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
    const s = await startServer({ ...options, backend });
    servers.push(s);
    return s;
  }

  it('stores the whole corpus byte-exact under each capture day, and refuses what is not media', async () => {
    // Files over 256 KB are hashed on the worker thread, the others inline: both paths see real data.
    const s = await server({ captureDate: manifestCaptureDate(), hashOffloadBytes: 256 * 1024 });
    const owner = await s.newOwner();
    const rows = corpusRows();
    const ids = new Map<string, string>(); // sha1 -> asset id
    let created = 0;
    // Four at a time: a phone's upload queue.
    for (let i = 0; i < rows.length; i += 4) {
      await Promise.all(rows.slice(i, i + 4).map(async (row) => {
        const file = corpusFile(row.path);
        const answer = await uploadFile(s, owner, file);
        if (UNSUPPORTED.has(row.fileType)) {
          expect(answer.status, row.path).toBe(415);
          expect(answer.body).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
          return;
        }
        expect([200, 201], `${row.path}: ${JSON.stringify(answer.body)}`).toContain(answer.status);
        const result = UploadResult.parse(answer.body);
        const sha1 = await sha1File(file);
        expect(result.checksum).toBe(sha1);
        if (answer.status === 201) created++;
        const known = ids.get(sha1);
        if (known) expect(result.id).toBe(known);
        ids.set(sha1, result.id);
      }));
    }
    const assets = (await s.assets(owner));
    expect(assets).toHaveLength(ids.size);
    expect(created).toBe(ids.size);
    expect(s.uploaded).toHaveLength(ids.size);
    const bySha1 = new Map(rows.filter((r) => !UNSUPPORTED.has(r.fileType)).map((r) => [readFileSync(corpusFile(r.path)), r] as const)
      .map(([bytes, r]) => [createHash('sha1').update(bytes).digest('hex'), r]));
    for (const asset of assets) {
      // The stored bytes are the uploaded bytes.
      expect(await sha1File(asset.path)).toBe(asset.checksum);
      expect((await stat(asset.path)).size).toBe(asset.size);
      // library/<owner>/<YYYY>/<YYYY-MM-DD>/<name>, the day from the manifest's capture time.
      const rel = path.relative(s.root, asset.path).split(path.sep);
      expect(rel.slice(0, 2)).toEqual(['library', owner]);
      expect(rel).toHaveLength(5);
      const row = bySha1.get(asset.checksum)!;
      const expectedDay = row.takenAt ? row.takenAt.slice(0, 10) : localDay(new Date());
      expect(rel[3], row.path).toBe(expectedDay);
      expect(rel[2]).toBe(expectedDay.slice(0, 4));
    }
    for (const row of s.memory?.assets(owner) ?? []) expect(row.takenAt).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    // Nothing is left in tmp/, and only these files are in the library.
    expect(await listFiles(path.join(s.root, 'tmp'))).toEqual([]);
    expect((await listFiles(path.join(s.root, 'library'))).length).toBe(ids.size);
  });

  it('names by content: a JPEG named .png is stored as .jpg, a NEF keeps its RAW extension', async () => {
    const s = await server();
    const owner = await s.newOwner();
    const jpeg = await uploadFile(s, owner, corpusFile('broken/jpeg-named.png'));
    expect(jpeg.status).toBe(201);
    const nef = corpusRows().find((r) => r.fileType === 'NEF')!;
    const raw = await uploadFile(s, owner, corpusFile(nef.path));
    expect(raw.status).toBe(201);
    const heic = await uploadFile(s, owner, corpusFile('heic/elodie-photo.heic'), { name: 'holiday.HEIF' });
    const byId = new Map((await s.assets(owner)).map((a) => [a.id, a]));
    const j = byId.get(UploadResult.parse(jpeg.body).id)!;
    expect(path.basename(j.path)).toBe('jpeg-named.jpg');
    expect(j).toMatchObject({ mimeType: 'image/jpeg', format: 'jpeg', type: 'image', fileName: 'jpeg-named.jpg' });
    const n = byId.get(UploadResult.parse(raw.body).id)!;
    expect(n.path.endsWith('.nef')).toBe(true);
    expect(n).toMatchObject({ mimeType: 'image/x-nikon-nef', format: 'nef' });
    const h = byId.get(UploadResult.parse(heic.body).id)!;
    expect(path.basename(h.path)).toBe('holiday.heif');
    const mov = await uploadFile(s, owner, corpusFile('video/with-gps.mov'));
    expect((await s.assets(owner)).find((a) => a.id === UploadResult.parse(mov.body).id)).toMatchObject({ type: 'video', mimeType: 'video/quicktime' });
  });

  it('answers a sequential duplicate with 200 and the same id, keeping one file', async () => {
    const s = await server();
    const owner = await s.newOwner();
    const file = corpusFile('jpeg/gps/DSCN0010.jpg');
    const first = await uploadFile(s, owner, file);
    const second = await uploadFile(s, owner, file, { name: 'renamed.jpg' });
    const copy = await uploadFile(s, owner, corpusFile('duplicates/self-made/copy-of-DSCN0010.jpg'));
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(copy.status).toBe(200);
    const a = UploadResult.parse(first.body);
    expect(UploadResult.parse(second.body)).toEqual({ id: a.id, status: 'duplicate', checksum: a.checksum });
    expect(UploadResult.parse(copy.body).id).toBe(a.id);
    expect((await s.assets(owner))).toHaveLength(1);
    expect(await listFiles(path.join(s.root, 'library'))).toHaveLength(1);
    expect(s.uploaded).toEqual([{ ownerId: owner, assetId: a.id }]);
  });

  it('turns 20 concurrent uploads of one file into one asset: 1 × 201 and 19 × 200 with its id', async () => {
    const s = await server({ captureDate: manifestCaptureDate() });
    const owner = await s.newOwner();
    const file = corpusFile('heic/IMG_2682.heic');
    const answers = await Promise.all(Array.from({ length: 20 }, () => uploadFile(s, owner, file)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([...Array<number>(19).fill(200), 201]);
    const results = answers.map((a) => UploadResult.parse(a.body));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.status === 'created')).toHaveLength(1);
    expect((await s.assets(owner))).toHaveLength(1);
    const files = await listFiles(path.join(s.root, 'library'));
    expect(files).toEqual([path.join(owner, '2019', '2019-03-21', 'IMG_2682.heic')]);
    expect(await listFiles(path.join(s.root, 'tmp'))).toEqual([]);
    expect(s.uploaded).toHaveLength(1);
    expect(s.uploads.inFlight()).toBe(0);
  });

  it('two servers on one database and storage: 2 × 10 concurrent uploads of one file still make one asset', async () => {
    // The in-process lock cannot see the other server: the database's unique index decides.
    const a = await server({ captureDate: manifestCaptureDate() });
    const b = await server({ captureDate: manifestCaptureDate(), storageRoot: a.root });
    const owner = await a.newOwner();
    const file = corpusFile('jpeg/gps/DSCN0025.jpg');
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => uploadFile(i % 2 ? b : a, owner, file)));
    expect(answers.map((x) => x.status).sort()).toEqual([...Array<number>(19).fill(200), 201]);
    expect(new Set(answers.map((x) => UploadResult.parse(x.body).id)).size).toBe(1);
    expect(await a.assets(owner)).toHaveLength(1);
    expect(await listFiles(path.join(a.root, 'library'))).toEqual([path.join(owner, '2008', '2008-10-22', 'DSCN0025.jpg')]);
    expect(await listFiles(path.join(a.root, 'tmp'))).toEqual([]);
    expect(a.uploaded.length + b.uploaded.length).toBe(1);
  });

  it('keeps owners apart: the same bytes for two owners are two assets, in two folders', async () => {
    const s = await server();
    const owners = [await s.newOwner(), await s.newOwner(), await s.newOwner()];
    const files = ['jpeg/cameras-small/Nikon_D70.jpg', 'gif/example-static.gif', 'png/screenshot.png', 'video/isom-avc1.mp4', 'avif/Irvine_CA.avif'];
    const answers = await Promise.all(owners.flatMap((o) => files.map(async (f) => ({ o, f, a: await uploadFile(s, o, corpusFile(f)) }))));
    for (const { a } of answers) expect(a.status).toBe(201);
    for (const o of owners) {
      const assets = (await s.assets(o));
      expect(assets).toHaveLength(files.length);
      for (const asset of assets) expect(path.relative(s.root, asset.path).split(path.sep).slice(0, 2)).toEqual(['library', o]);
    }
    const ids = answers.map(({ a }) => UploadResult.parse(a.body).id);
    expect(new Set(ids).size).toBe(owners.length * files.length);
    // The same file again for one owner is a duplicate of that owner's asset only.
    const again = await uploadFile(s, owners[1]!, corpusFile(files[0]!));
    expect(again.status).toBe(200);
    const mine = answers.find(({ o, f }) => o === owners[1] && f === files[0])!;
    expect(UploadResult.parse(again.body).id).toBe(UploadResult.parse(mine.a.body).id);
  });

  it('files by the client date, else the upload day, when the file has no capture date', async () => {
    let calls = 0;
    const s = await server({
      captureDate: async () => {
        calls++;
        if (calls === 2) throw new Error('exiftool died');
        if (calls === 3) return new Promise(() => undefined); // never answers
        return null;
      },
      captureDateTimeoutMs: 200,
    });
    const owner = await s.newOwner();
    const withClientDate = await uploadBuffer(s, owner, 'a.jpg', jpegVariant('a'), { fileCreatedAt: '2021-06-15T23:30:00-07:00' });
    const whenReaderThrows = await uploadBuffer(s, owner, 'b.jpg', jpegVariant('b'), { fileCreatedAt: '2020-02-29T10:00:00' });
    const whenReaderHangs = await uploadBuffer(s, owner, 'c.jpg', jpegVariant('c'));
    const noDate = await uploadBuffer(s, owner, 'd.jpg', jpegVariant('d'));
    for (const a of [withClientDate, whenReaderThrows, whenReaderHangs, noDate]) expect(a.status).toBe(201);
    const today = localDay(new Date());
    expect(await listFiles(path.join(s.root, 'library', owner))).toEqual([
      path.join('2020', '2020-02-29', 'b.jpg'),
      path.join('2021', '2021-06-15', 'a.jpg'),
      path.join(today.slice(0, 4), today, 'c.jpg'),
      path.join(today.slice(0, 4), today, 'd.jpg'),
    ].sort());
    // What the repository is given (the database keeps its own representation of it).
    const a = s.memory?.assets(owner).find((r) => r.fileName === 'a.jpg');
    if (s.memory) {
      expect(a?.takenAt).toBe('2021-06-16T06:30:00.000Z');
      expect(a?.fileCreatedAt).toBe('2021-06-15T23:30:00-07:00');
    }
  });

  it('adds a suffix when the name is taken and never overwrites a file', async () => {
    const s = await server({ captureDate: async () => ({ takenAt: new Date('2022-05-01T12:00:00Z') }) });
    const owner = await s.newOwner();
    const answers = [];
    for (const tag of ['1', '2', '3']) answers.push(await uploadBuffer(s, owner, 'IMG_0001.JPG', jpegVariant(tag)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    const dir = path.join(s.root, 'library', owner, '2022', '2022-05-01');
    expect(await listFiles(dir)).toEqual(['IMG_0001 (1).JPG', 'IMG_0001 (2).JPG', 'IMG_0001.JPG'].map((n) => n.replace('.JPG', '.jpg')).sort());
    expect(await readFile(path.join(dir, 'IMG_0001.jpg'))).toEqual(jpegVariant('1'));
    expect(await readFile(path.join(dir, 'IMG_0001 (2).jpg'))).toEqual(jpegVariant('3'));
  });

  it('keeps every client-supplied name inside the storage root, as one safe segment', async () => {
    const s = await server({ captureDate: async () => ({ takenAt: new Date('2023-01-02T03:04:05Z') }) });
    const owner = await s.newOwner();
    const long = `${'ä'.repeat(400)}.jpg`;
    const names: Array<[string, string | RegExp]> = [
      ['../../etc/passwd.jpg', 'passwd.jpg'],
      ['..\\..\\x.jpg', 'x.jpg'],
      ['/etc/shadow.jpg', 'shadow.jpg'],
      ['C:\\Windows\\System32\\evil.jpg', 'evil.jpg'],
      ['..', 'upload.jpg'],
      ['.hidden.jpg', 'hidden.jpg'],
      ['...jpg', 'upload (1).jpg'], // the name above took upload.jpg
      ['CON.jpg', '_CON.jpg'],
      ['nul', '_nul.jpg'],
      ['photo\u202Egpj.exe', 'photo_gpj.jpg'],
      ['a\u0001b\u007fc.jpg', 'a_b_c.jpg'],
      ['%2e%2e%2f%2e%2e%2fx.jpg', '%2e%2e%2f%2e%2e%2fx.jpg'],
      ['-rf.jpg', 'rf.jpg'],
      ['my photo <1>?.jpeg', 'my photo _1__.jpeg'],
      [long, /^ä+\.jpg$/],
      ['a\u0000b.jpg', /^(a_b|b)\.jpg$/],
    ];
    for (const [i, [name, expected]] of names.entries()) {
      const answer = await uploadBuffer(s, owner, name, jpegVariant(`t${i}`));
      // busboy refuses control characters in a part header (400); that is as safe as cleaning them.
      if (/[\u0000-\u001f\u007f]/.test(name) && answer.status === 400) continue;
      expect(answer.status, name).toBe(201);
      const asset = (await s.assets(owner)).find((a) => a.id === UploadResult.parse(answer.body).id)!;
      const dir = path.join(s.root, 'library', owner, '2023', '2023-01-02');
      expect(path.dirname(asset.path), name).toBe(dir);
      const base = path.basename(asset.path);
      if (typeof expected === 'string') expect(base, name).toBe(expected);
      else expect(base, name).toMatch(expected);
      expect(Buffer.byteLength(base)).toBeLessThanOrEqual(200);
      expect(asset.fileName).toBe(base.replace(/ \(\d+\)(?=\.\w+$)/, '')); // the safe name, before any collision suffix
    }
    // Nothing was written anywhere else.
    const all = await listFiles(s.root);
    expect(all.every((f) => f.startsWith(path.join('library', owner, '2023', '2023-01-02') + path.sep))).toBe(true);
    expect(all).toHaveLength((await s.assets(owner)).length);
  });

  it('decodes RFC 5987 file names and still strips their folders', async () => {
    const s = await server();
    const owner = await s.newOwner();
    const boundary = 'xyzBOUNDARYxyz';
    const bytes = jpegVariant('rfc5987');
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''..%2F..%2F%C3%A9t%C3%A9.jpg\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const answer = await post(s.url, { owner, body, contentType: `multipart/form-data; boundary=${boundary}` });
    expect(answer.status).toBe(201);
    expect(path.basename((await s.assets(owner))[0]!.path)).toBe('été.jpg');
  });
});

describe('uploads with the media worker reading the capture date (exiftool)', () => {
  const extractor = new MetadataExtractor();
  let s: TestServer | undefined;
  afterAll(async () => {
    await s?.close();
    await extractor.end();
  });

  it('files each upload under the day the file itself names, in its own time zone', async () => {
    s = await startServer({ captureDate: captureDateFromMetadata((file) => extractor.extract(file)) });
    const owner = await s.newOwner();
    const cases: Array<[string, string]> = [
      ['heic/IMG_2682.heic', '2019-03-21'],
      ['video/with-gps.mov', '2019-07-24'],
      ['live-photo/IMG_3589.mov', '2020-04-17'],
      ['jpeg/gps-edge/huawei-gps-error.jpg', '2020-06-16'],
      ['jpeg/cameras-small/Canon_40D.jpg', '2008-05-30'],
      ['nometa/noexif.jpg', '2016-02-29'], // no date inside: the client's fileCreatedAt
    ];
    for (const [file, day] of cases) {
      const answer = await uploadFile(s, owner, corpusFile(file), { fields: { fileCreatedAt: '2016-02-29T12:00:00+01:00' } });
      expect(answer.status, file).toBe(201);
      const asset = (await s.assets(owner)).find((a) => a.id === UploadResult.parse(answer.body).id)!;
      expect(path.relative(s.root, path.dirname(asset.path)), file).toBe(path.join('library', owner, day.slice(0, 4), day));
    }
  }, 60_000);
});

