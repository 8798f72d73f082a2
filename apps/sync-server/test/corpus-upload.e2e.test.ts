// Uploads the whole shared corpus over real HTTP, on PGlite and on the machine's Postgres, and
// follows it through the job queue: media become assets (the same bytes twice are one asset),
// everything else is refused by its content, capture dates match MANIFEST.tsv, originals are filed
// under their capture day, broken files fail with a reason and the rest go on.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UploadResult, type AssetDetail } from '@shoebox/core/contract';
import { CORPUS, hasZone, readManifest } from '@shoebox/media-node/testing/corpus-manifest';
import { DATABASES, onboardAdmin, startTestServer, type TestServer } from './helpers/test-server.ts';
import type { ApiClient } from './helpers/api-client.ts';

vi.setConfig({ testTimeout: 600_000, hookTimeout: 120_000 });

/** Bytes that are no photo or video: refused with 415 whatever their name says. */
const NOT_MEDIA = /\.(xmp|tsv|md)$/i;
const REFUSED_BY_CONTENT = new Set(['broken/self-made/zero-bytes.jpg', 'broken/self-made/text-file-renamed.jpg']);
/** Accepted (they look like media) but unreadable, or with no picture to show: failed by the jobs. */
const FAILED = new Set([
  'broken/corrupt-header.jpg',
  'broken/truncated.png',
  'broken/self-made/truncated-half.jpg',
  'broken/self-made/truncated-4096.heic',
  'raw/truncated/fixture.orf',
  'raw/stubs/CanonRaw.cr2',
  'raw/stubs/CanonRaw.cr3',
  'raw/stubs/DNG.dng',
  'raw/stubs/Nikon.nef',
  'raw/stubs/Panasonic.rw2',
  'raw/stubs/sony_alpha_a7iii_raw_image.ARW',
  'raw/GoPro_Hero7_GOPR8508.GPR',
  'video/future42603.mp4',
  'video/quicktime-mjpeg.mov',
]);

function corpusFiles(): string[] {
  return fs
    .readdirSync(CORPUS, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(CORPUS, path.join(d.parentPath, d.name)))
    .sort();
}

const sha1 = (file: string): string => crypto.createHash('sha1').update(fs.readFileSync(file)).digest('hex');

interface Sent {
  rel: string;
  status: number;
  body: unknown;
}

async function uploadFile(t: TestServer, token: string, rel: string): Promise<Sent> {
  const file = path.join(CORPUS, rel);
  const form = new FormData();
  form.set('file', await fs.openAsBlob(file), path.basename(rel));
  const res = await fetch(`${t.base}/api/assets/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { rel, status: res.status, body: JSON.parse(await res.text()) as unknown };
}

/** Runs `fn` over the items, `width` at a time. */
async function inParallel<T, R>(items: readonly T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

async function waitForIdle(api: ApiClient, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const status = await api.call('getJobsStatus', { query: { failures: 0 } });
    if (status.lanes.every((l) => l.queued === 0 && l.running === 0)) return;
    if (Date.now() > deadline) throw new Error(`jobs still busy after ${limitMs} ms: ${JSON.stringify(status.lanes)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

for (const kind of DATABASES) {
  describe(`${kind}: the whole corpus uploaded over HTTP`, () => {
    let t: TestServer;
    let admin: { api: ApiClient; token: string; userId: string };
    let sent: Sent[];
    const files = corpusFiles();
    const manifest = readManifest();
    const byRel = new Map<string, AssetDetail>();

    beforeAll(async () => {
      t = await startTestServer(kind, { settings: { SHOEBOX_MEDIA_WORKERS: 2 } });
      admin = await onboardAdmin(t);
    });
    afterAll(async () => {
      await t?.stop();
    });

    it('answers 201 for new media, 200 pointing at the first copy for the same bytes again, 415 for the rest', async () => {
      expect(files.length).toBeGreaterThan(150);
      sent = await inParallel(files, 4, (rel) => uploadFile(t, admin.token, rel));
      const unexpected = sent.filter((s) => ![200, 201, 415].includes(s.status)).map((s) => `${s.rel}: ${s.status} ${JSON.stringify(s.body)}`);
      expect(unexpected).toEqual([]);

      const refused = sent.filter((s) => s.status === 415).map((s) => s.rel).sort();
      expect(refused).toEqual(files.filter((f) => NOT_MEDIA.test(f) || REFUSED_BY_CONTENT.has(f)).sort());
      for (const s of sent.filter((x) => x.status === 415)) {
        expect((s.body as { error: { code: string } }).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      }

      // Same bytes, one asset: the first upload of each checksum created it, later ones point at it.
      const accepted = sent.filter((s) => s.status !== 415).map((s) => ({ ...s, result: UploadResult.parse(s.body) }));
      const byChecksum = new Map<string, typeof accepted>();
      for (const a of accepted) {
        expect(a.result.checksum).toBe(sha1(path.join(CORPUS, a.rel)));
        byChecksum.set(a.result.checksum, [...(byChecksum.get(a.result.checksum) ?? []), a]);
      }
      for (const group of byChecksum.values()) {
        expect(group.filter((g) => g.result.status === 'created'), group.map((g) => g.rel).join(', ')).toHaveLength(1);
        expect(new Set(group.map((g) => g.result.id)).size).toBe(1);
        for (const g of group) expect(g.status).toBe(g.result.status === 'created' ? 201 : 200);
      }
      expect([...byChecksum.values()].some((g) => g.length > 1)).toBe(true);

      const check = await admin.api.call('bulkCheckAssets', { body: { checksums: [...byChecksum.keys()] } });
      expect(check.results.every((r) => r.assetId !== null)).toBe(true);
    });

    it('runs every upload through the jobs: broken files fail with a reason, the rest are ready', async () => {
      await waitForIdle(admin.api, 480_000);
      for (const s of sent.filter((x) => x.status === 201)) {
        const { id } = UploadResult.parse(s.body);
        byRel.set(s.rel, await admin.api.call('getAsset', { params: { id } }));
      }
      const failed = [...byRel].filter(([, a]) => a.status === 'failed').map(([rel]) => rel).sort();
      const created = new Set(byRel.keys());
      expect(failed).toEqual([...FAILED].filter((f) => created.has(f)).sort());
      for (const rel of failed) expect(byRel.get(rel)!.error, rel).toMatch(/\w{4,}/);
      expect([...byRel.values()].filter((a) => a.status === 'pending').map((a) => a.fileName)).toEqual([]);
    });

    it('reads capture times to the second, offsets included, and files each original under its capture day', async () => {
      const wrong: string[] = [];
      const misfiled: string[] = [];
      for (const row of manifest) {
        const a = byRel.get(row.path);
        if (!a || a.status !== 'ok') continue;
        if (row.takenAt) {
          if (hasZone(row.takenAt)) {
            const ok = hasZone(a.takenAt) && Math.floor(Date.parse(a.takenAt) / 1000) === Math.floor(Date.parse(row.takenAt) / 1000);
            if (!ok) wrong.push(`${row.path}: ${a.takenAt} != ${row.takenAt}`);
          } else if (a.takenAt.slice(0, 19) !== row.takenAt.slice(0, 19)) {
            wrong.push(`${row.path}: ${a.takenAt} != ${row.takenAt}`);
          }
        }
        // <storage>/library/<owner>/<YYYY>/<YYYY-MM-DD>/<name>: the day the picture was taken, where it was taken.
        const rel = path.relative(path.join(t.dataDir, 'storage', 'library', admin.userId), a.path);
        const day = a.takenAt.slice(0, 10);
        if (a.takenAtSource !== 'mtime' && rel.split(path.sep).slice(0, 2).join('/') !== `${day.slice(0, 4)}/${day}`) {
          misfiled.push(`${row.path}: ${rel} (taken ${a.takenAt})`);
        }
        expect(fs.existsSync(a.path), row.path).toBe(true);
      }
      expect(wrong).toEqual([]);
      expect(misfiled).toEqual([]);
    });

    it('makes one asset of 20 concurrent uploads of the same new bytes, through the whole server', async () => {
      const bytes = Buffer.concat([fs.readFileSync(path.join(CORPUS, 'jpeg/misc/IMG_4120.JPG')), Buffer.from(`concurrent-${kind}`)]);
      const checksum = crypto.createHash('sha1').update(bytes).digest('hex');
      const answers = await Promise.all(
        Array.from({ length: 20 }, async () => {
          const form = new FormData();
          form.set('file', new Blob([bytes]), 'same.jpg');
          const res = await fetch(`${t.base}/api/assets/upload`, { method: 'POST', headers: { authorization: `Bearer ${admin.token}` }, body: form });
          return { status: res.status, result: UploadResult.parse(await res.json()) };
        }),
      );
      expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(19);
      expect(new Set(answers.map((a) => a.result.id)).size).toBe(1);
      expect(answers.every((a) => a.result.checksum === checksum)).toBe(true);
      const check = await admin.api.call('bulkCheckAssets', { body: { checksums: [checksum] } });
      expect(check.results).toEqual([{ checksum, assetId: answers[0]!.result.id }]);
      const asset = await admin.api.call('getAsset', { params: { id: answers[0]!.result.id } });
      expect(fs.readdirSync(path.dirname(asset.path)).filter((n) => n.startsWith('same'))).toHaveLength(1);
    });

    it('shows the ready photos and videos in the timeline, with thumbnails', async () => {
      const buckets = await admin.api.call('getTimeBuckets', { query: {} });
      const inTimeline = buckets.reduce((n, b) => n + b.count, 0);
      const visible = [...byRel.values()].filter((a) => a.status === 'ok');
      expect(inTimeline).toBeGreaterThan(100);
      expect(inTimeline).toBeLessThanOrEqual(visible.length);
      const first = await admin.api.call('getTimeBucket', { query: { timeBucket: buckets[0]!.timeBucket } });
      for (const cell of first.assets.slice(0, 5)) {
        const res = await admin.api.send('getAssetThumbnail', { params: { id: cell.id } });
        expect(res.status, cell.fileName).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/webp');
        expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(200);
      }
    });
  });
}
