// Indexes the whole shared corpus through the CLI and checks every file against MANIFEST.tsv:
// each is an asset, a paired part of one, a sidecar, or failed with a reason; expected values match.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, assets, shoeboxOk, tempDir, type AssetJson } from './helpers/cli.ts';
import { displayedSize, hasZone, readManifest, type ManifestRow } from '@shoebox/media-node/testing/corpus-manifest';

/** Files whose metadata cannot be read: broken. */
const BROKEN = new Set([
  'broken/self-made/zero-bytes.jpg',
  'broken/self-made/text-file-renamed.jpg',
  'broken/corrupt-header.jpg',
  'broken/truncated.png',
  'broken/self-made/truncated-half.jpg',
  'broken/self-made/truncated-4096.heic',
  'raw/truncated/fixture.orf',
]);
/** Metadata is fine, but there is no picture to show (see corpus-derivatives.test.ts). */
const NO_PICTURE = new Set([
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
const EXPECTED_FAILED = new Set([...BROKEN, ...NO_PICTURE]);

const manifest = readManifest();
let list: AssetJson[];
let byPath: Map<string, AssetJson>;
let status: { assets: Record<string, number>; jobs: { lane: string; queued: number; running: number; failed: number }[]; failures: unknown[] };

const abs = (rel: string): string => path.join(CORPUS, rel);
const rowsWithAsset = (): [ManifestRow, AssetJson][] =>
  manifest.flatMap((row) => {
    const a = byPath.get(abs(row.path));
    return a ? [[row, a] as [ManifestRow, AssetJson]] : [];
  });

beforeAll(() => {
  const data = tempDir('corpus');
  shoeboxOk(data, ['add', CORPUS]);
  shoeboxOk(data, ['scan', '--wait']);
  list = assets(data);
  byPath = new Map(list.map((a) => [a.path, a]));
  status = JSON.parse(shoeboxOk(data, ['status', '--json'])) as typeof status;
}, 300_000);

describe('indexing ../shared/corpus', () => {
  it('accounts for every file in the manifest', () => {
    const unaccounted: string[] = [];
    for (const row of manifest) {
      const p = abs(row.path);
      if (byPath.has(p)) continue;
      if (list.some((a) => a.livePhotoVideo === p || a.sidecars.includes(p))) continue;
      if (row.path.toLowerCase().endsWith('.xmp')) continue; // a sidecar with no image of its own
      unaccounted.push(row.path);
    }
    expect(unaccounted).toEqual([]);
  });

  it('fails exactly the broken files, each with a reason, and nothing else', () => {
    const failed = list.filter((a) => a.status === 'failed').map((a) => path.relative(CORPUS, a.path)).sort();
    expect(failed).toEqual([...EXPECTED_FAILED].sort());
    for (const a of list.filter((x) => x.status === 'failed')) expect(a.error, a.path).toMatch(/\w{4,}/);
    expect(list.filter((a) => a.status === 'pending')).toEqual([]);
  });

  it('keeps what can be read from a truncated file that still has its EXIF', () => {
    const a = byPath.get(abs('broken/self-made/truncated-half.jpg'))!;
    expect(a.status).toBe('failed');
    expect(a.error).toMatch(/truncat/i);
    expect(a.make).toBe('HTC');
  });

  it('matches capture times to the second, offsets included', () => {
    const wrong: string[] = [];
    for (const [row, a] of rowsWithAsset()) {
      if (!row.takenAt) continue;
      if (hasZone(row.takenAt)) {
        const ok = hasZone(a.takenAt) && Math.floor(Date.parse(a.takenAt) / 1000) === Math.floor(Date.parse(row.takenAt) / 1000);
        if (!ok) wrong.push(`${row.path}: ${a.takenAt} != ${row.takenAt}`);
      } else if (a.takenAt.slice(0, 19) !== row.takenAt.slice(0, 19)) {
        wrong.push(`${row.path}: ${a.takenAt} != ${row.takenAt}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('matches GPS within 1e-5 and reports none where there is none', () => {
    const wrong: string[] = [];
    for (const [row, a] of rowsWithAsset()) {
      if (row.lat === null || row.lon === null) {
        if (a.latitude !== null && !row.path.startsWith('broken/')) wrong.push(`${row.path}: has ${a.latitude},${a.longitude}, expected none`);
        continue;
      }
      if (a.latitude === null || a.longitude === null || Math.abs(a.latitude - row.lat) > 1e-5 || Math.abs(a.longitude - row.lon) > 1e-5) {
        wrong.push(`${row.path}: ${a.latitude},${a.longitude} != ${row.lat},${row.lon}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('matches displayed dimensions (orientation and rotation applied)', () => {
    const wrong: string[] = [];
    for (const [row, a] of rowsWithAsset()) {
      // Duplicates copy the original's expected values but not its notes: read the original's.
      const notes = manifest.filter((r) => r.sha256 === row.sha256).map((r) => r.notes).join(' | ');
      const want = displayedSize({ ...row, notes });
      if (!want || BROKEN.has(row.path)) continue;
      if (a.width !== want.width || a.height !== want.height) wrong.push(`${row.path}: ${a.width}x${a.height} != ${want.width}x${want.height}`);
    }
    expect(wrong).toEqual([]);
  });

  it('matches make and model', () => {
    const wrong: string[] = [];
    for (const [row, a] of rowsWithAsset()) {
      if (row.make && a.make !== row.make) wrong.push(`${row.path}: make ${a.make} != ${row.make}`);
      if (row.model && a.model !== row.model) wrong.push(`${row.path}: model ${a.model} != ${row.model}`);
    }
    expect(wrong).toEqual([]);
  });

  it('matches video durations within 0.1 s', () => {
    const wrong: string[] = [];
    for (const [row, a] of rowsWithAsset()) {
      if (row.duration === null || a.type !== 'video') continue;
      if (a.duration === null || Math.abs(a.duration - row.duration) > 0.1) wrong.push(`${row.path}: ${a.duration} != ${row.duration}`);
    }
    expect(wrong).toEqual([]);
    const videos = list.filter((a) => a.type === 'video').map((a) => path.relative(CORPUS, a.path));
    expect(videos).toContain('video/with-gps.mov');
    expect(videos).not.toContain('avif/animated-sequence.avif');
  });

  it('records byte-identical files as duplicates of one asset', () => {
    const groups = new Map<string, string[]>();
    for (const row of manifest) if (byPath.has(abs(row.path))) groups.set(row.sha256, [...(groups.get(row.sha256) ?? []), row.path]);
    let pairs = 0;
    for (const paths of groups.values()) {
      if (paths.length < 2 || paths.some((p) => BROKEN.has(p))) continue;
      const members = paths.map((p) => byPath.get(abs(p))!);
      const primaries = members.filter((m) => m.duplicateOf === null);
      expect(primaries, paths.join(', ')).toHaveLength(1);
      for (const m of members) if (m !== primaries[0]) expect(m.duplicateOf).toBe(primaries[0]!.id);
      pairs++;
    }
    expect(pairs).toBeGreaterThanOrEqual(5);
    expect(list.filter((a) => a.duplicateOf !== null).every((a) => a.checksum === list.find((p) => p.id === a.duplicateOf)?.checksum)).toBe(true);
  });

  it('pairs the Live Photo and recognises Motion Photos', () => {
    const still = byPath.get(abs('live-photo/IMG_3589.HEIC'))!;
    expect(still.livePhotoVideo).toBe(abs('live-photo/IMG_3589.mov'));
    expect(byPath.has(abs('live-photo/IMG_3589.mov'))).toBe(false);
    expect(byPath.get(abs('motion-photo/samsung-one-ui-6.heic'))!.motionPhoto).toBe(true);
    expect(byPath.get(abs('motion-photo/synthetic-PXL_20231006_063000139.MP.jpg'))!.motionPhoto).toBe(true);
    expect(byPath.get(abs('motion-photo/pixel_8-not-motion.jpg'))!.motionPhoto).toBe(false);
    expect(list.filter((a) => a.motionPhoto).length).toBe(2);
  });

  it('reads XMP sidecars, which take precedence', () => {
    const jpg = byPath.get(abs('sidecar/IMG_5910.jpg'))!;
    expect(jpg.sidecars).toEqual([abs('sidecar/IMG_5910.xmp')]);
    expect(jpg.rating).toBe(3);
    expect(jpg.keywords).toEqual(expect.arrayContaining(['Alvin the Squirrel']));
    const dng = byPath.get(abs('raw/canon_eos_6d.dng'))!;
    expect(dng.sidecars).toEqual([abs('raw/canon_eos_6d.xmp')]);
    expect(byPath.get(abs('raw/Canon_PowerShotG2_CRW_0304.CRW'))!.sidecars).toEqual([abs('raw/Canon_PowerShotG2_CRW_0304.THM')]);
  });

  it('identifies content over extension and hashes with SHA-1', () => {
    expect(byPath.get(abs('broken/jpeg-named.png'))!.status).toBe('ok');
    expect(byPath.get(abs('broken/wrong-extension-jpeg.heic'))!.status).toBe('ok');
    for (const a of list) expect(a.checksum).toMatch(/^[0-9a-f]{40}$/);
    const empty = byPath.get(abs('broken/self-made/zero-bytes.jpg'))!;
    expect(empty.checksum).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });

  it('reports assets, jobs and failures in status --json', () => {
    expect(status.assets.image).toBeGreaterThan(100);
    expect(status.assets.video).toBeGreaterThanOrEqual(9);
    const io = status.jobs.find((l) => l.lane === 'io')!;
    expect(io.queued + io.running).toBe(0);
    expect(io.failed).toBe(BROKEN.size);
    const media = status.jobs.find((l) => l.lane === 'media')!;
    expect(media.queued + media.running).toBe(0);
    expect(media.failed).toBe(NO_PICTURE.size);
    expect(status.failures).toHaveLength(EXPECTED_FAILED.size);
  });
});
