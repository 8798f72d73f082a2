// A synthetic catalog of any size for benchmarks and browser tests: rows written straight into a
// real catalog (the engine's own migrations), spread over ten years with one month as large as
// asked, a few cameras, and derivatives rows pointing at a handful of real WebP thumbnails and
// JPEG previews made here with sharp, so the UI shows pictures. About 1% is archived (never in the
// big month, whose timeline bucket holds exactly its count). Every asset is `ok` with its
// derivatives current, and the root folder exists but is empty: `shoebox serve --no-scan` queues
// nothing. (A scan would find the files missing and mark them offline.)
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';
import { DERIVATIVE_VERSION, monthOf, takenAtUtcMs, uuidv7 } from '@shoebox/core';
import { openCatalog } from '../src/db/connection.ts';
import { seededRandom } from '../src/search/vector-math.ts';

export interface SyntheticLibraryOptions {
  assets: number;
  /** The month that gets exactly `bigMonthCount` assets (`YYYY-MM` or `YYYY-MM-01`); default 2021-06. */
  bigMonth?: string;
  bigMonthCount?: number;
  /** Months covered, ending with December 2025; default 120 (ten years). */
  months?: number;
  /** A seed for the pseudo-random spread, so two runs build the same library. */
  seed?: number;
}

export interface SyntheticLibrary {
  dataDir: string;
  rootId: string;
  rootPath: string;
  assets: number;
  months: number;
  bigMonth: string;
  bigMonthCount: number;
  firstMonth: string;
  lastMonth: string;
  cameras: { make: string; model: string }[];
  /** Distinct thumbnail files the rows share. */
  thumbnails: number;
}

const CAMERAS = [
  { make: 'Apple', model: 'iPhone 13', fileType: 'HEIC', mime: 'image/heic' },
  { make: 'Canon', model: 'Canon EOS 40D', fileType: 'JPEG', mime: 'image/jpeg' },
  { make: 'NIKON', model: 'COOLPIX P6000', fileType: 'JPEG', mime: 'image/jpeg' },
  { make: 'samsung', model: 'SM-G991B', fileType: 'JPEG', mime: 'image/jpeg' },
  { make: 'FUJIFILM', model: 'X-T30', fileType: 'JPEG', mime: 'image/jpeg' },
];
const PICTURES = 8;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function monthList(count: number): string[] {
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const total = 2025 * 12 + 11 - i;
    out.push(`${Math.floor(total / 12)}-${pad((total % 12) + 1)}-01`);
  }
  return out;
}

interface Picture {
  thumb: string;
  preview: string;
  thumbWidth: number;
  thumbHeight: number;
  previewWidth: number;
  previewHeight: number;
  thumbhash: string;
  portrait: boolean;
}

/** A few gradient pictures: the thumbnails, previews and thumbhashes every row points at. */
async function makePictures(dataDir: string): Promise<Picture[]> {
  const dir = path.join(dataDir, 'synthetic');
  fs.mkdirSync(dir, { recursive: true });
  const out: Picture[] = [];
  for (let i = 0; i < PICTURES; i++) {
    const portrait = i % 4 === 3;
    const [w, h] = portrait ? [1080, 1440] : [1440, 1080];
    const hue = Math.round((i * 360) / PICTURES);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
      <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
        <stop offset="0" stop-color="hsl(${hue},70%,65%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},60%,30%)"/>
      </linearGradient></defs>
      <rect width="100%" height="100%" fill="url(#g)"/>
      <circle cx="${w * 0.7}" cy="${h * 0.35}" r="${Math.min(w, h) * 0.12}" fill="hsl(${(hue + 180) % 360},80%,80%)"/>
    </svg>`;
    const base = sharp(Buffer.from(svg));
    const preview = `synthetic/preview-${i}.jpg`;
    const thumb = `synthetic/thumb-${i}.webp`;
    await base.clone().jpeg({ quality: 80 }).toFile(path.join(dataDir, preview));
    const t = await base.clone().resize(portrait ? { width: 250 } : { height: 250 }).webp({ quality: 75 }).toFile(path.join(dataDir, thumb));
    const small = await base.clone().resize(portrait ? { height: 100 } : { width: 100 }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const thumbhash = Buffer.from(rgbaToThumbHash(small.info.width, small.info.height, small.data)).toString('base64');
    out.push({ thumb, preview, thumbWidth: t.width, thumbHeight: t.height, previewWidth: w, previewHeight: h, thumbhash, portrait });
  }
  return out;
}

/** How many assets each month gets: `bigMonthCount` in the big month, the rest spread with some variance. */
function spread(months: string[], total: number, bigMonth: string, bigCount: number, rnd: () => number): Map<string, number> {
  const others = months.filter((m) => m !== bigMonth);
  const rest = Math.max(0, total - bigCount);
  const weights = others.map(() => 0.5 + rnd());
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = new Map<string, number>(others.map((m, i) => [m, Math.floor((rest * weights[i]!) / sum)]));
  let left = rest - [...counts.values()].reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % others.length, left--) counts.set(others[i]!, counts.get(others[i]!)! + 1);
  counts.set(bigMonth, Math.min(bigCount, total));
  return counts;
}

/** Builds the library in `dataDir` (created when missing); also callable with `{ dataDir, ...options }`. */
export async function createSyntheticLibrary(dataDir: string, opts: SyntheticLibraryOptions): Promise<SyntheticLibrary>;
export async function createSyntheticLibrary(opts: SyntheticLibraryOptions & { dataDir: string }): Promise<SyntheticLibrary>;
export async function createSyntheticLibrary(
  first: string | (SyntheticLibraryOptions & { dataDir: string }), second?: SyntheticLibraryOptions,
): Promise<SyntheticLibrary> {
  const dataDir = typeof first === 'string' ? first : first.dataDir;
  const opts = typeof first === 'string' ? second! : first;
  const rnd = seededRandom(opts.seed ?? 20240601);
  const months = monthList(opts.months ?? 120);
  const bigMonth = monthOf(`${(opts.bigMonth ?? '2021-06').slice(0, 7)}-01T00:00:00`);
  if (!months.includes(bigMonth)) throw new Error(`big month ${bigMonth} is outside ${months[0]}..${months.at(-1)}`);
  const bigMonthCount = opts.bigMonthCount ?? 2000;
  fs.mkdirSync(dataDir, { recursive: true });
  const rootPath = path.join(fs.realpathSync(dataDir), 'library');
  fs.mkdirSync(rootPath, { recursive: true });
  const pictures = await makePictures(dataDir);
  const catalog = openCatalog(dataDir);
  const { sqlite } = catalog;
  const rootId = uuidv7();
  const counts = spread(months, opts.assets, bigMonth, bigMonthCount, rnd);
  const insertAsset = sqlite.prepare(`
    INSERT INTO assets (id, root_id, path, dir, file_name, size, mtime_ms, checksum, type, format, status, taken_local,
      taken_utc_ms, tz_offset_min, taken_source, month, width, height, orientation, duration, is_favorite, is_archived,
      rating, thumbhash, created_at, updated_at)
    VALUES (@id, @rootId, @path, @dir, @fileName, @size, @mtimeMs, @checksum, @type, @format, 'ok', @local,
      @utc, @offset, 'offset', @month, @width, @height, 1, @duration, @favorite, @archived, @rating, @thumbhash, @now, @now)`);
  const insertExif = sqlite.prepare(`
    INSERT INTO exif (asset_id, make, model, latitude, longitude, file_type, mime_type)
    VALUES (@id, @make, @model, @lat, @lon, @fileType, @mime)`);
  const insertDerivatives = sqlite.prepare(`
    INSERT INTO derivatives (asset_id, thumbnail_path, thumbnail_width, thumbnail_height, thumbnail_source, thumbnail_checksum,
      thumbnail_version, preview_path, preview_width, preview_height, preview_checksum, preview_version, video_state, video_error, updated_at)
    VALUES (@id, @thumb, @thumbWidth, @thumbHeight, 'decoded', @checksum, @version, @preview, @previewWidth, @previewHeight,
      @checksum, @version, @videoState, @videoError, @now)`);
  const now = Date.now();
  let n = 0;
  sqlite.transaction(() => {
    sqlite.prepare(`INSERT INTO library_roots (id, path, created_at, last_scan_at) VALUES (?, ?, ?, ?)`).run(rootId, rootPath, now, now);
    for (const month of months) {
      const count = counts.get(month) ?? 0;
      const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
      const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
      const dir = path.join(rootPath, String(y), pad(m));
      for (let i = 0; i < count; i++, n++) {
        const local = `${month.slice(0, 8)}${pad(1 + Math.floor(rnd() * days))}T${pad(Math.floor(rnd() * 24))}:${pad(Math.floor(rnd() * 60))}:${pad(Math.floor(rnd() * 60))}`;
        const offset = m >= 4 && m <= 10 ? 120 : 60;
        const video = rnd() < 0.05;
        const camera = CAMERAS[Math.floor(rnd() * CAMERAS.length)]!;
        const pic = pictures[n % PICTURES]!;
        const id = uuidv7();
        const checksum = createHash('sha1').update(`synthetic-${n}`).digest('hex');
        const ext = video ? 'mp4' : camera.fileType === 'HEIC' ? 'heic' : 'jpg';
        const fileName = `${video ? 'VID' : 'IMG'}_${pad(n, 6)}.${ext}`;
        insertAsset.run({
          id, rootId, path: path.join(dir, fileName), dir, fileName, size: 1_000_000 + Math.floor(rnd() * 4_000_000),
          mtimeMs: takenAtUtcMs({ local, offsetMinutes: offset }), checksum, type: video ? 'video' : 'image', format: video ? 'MP4' : camera.fileType,
          local, utc: takenAtUtcMs({ local, offsetMinutes: offset }), offset, month,
          width: pic.portrait ? 3024 : 4032, height: pic.portrait ? 4032 : 3024, duration: video ? Math.round(rnd() * 600) / 10 : null,
          favorite: rnd() < 0.03 ? 1 : 0, archived: month !== bigMonth && rnd() < 0.01 ? 1 : 0, rating: rnd() < 0.1 ? 1 + Math.floor(rnd() * 5) : null,
          thumbhash: pic.thumbhash, now,
        });
        const located = rnd() < 0.3;
        insertExif.run({
          id, make: camera.make, model: camera.model, lat: located ? 40 + rnd() * 10 : null, lon: located ? rnd() * 20 : null,
          fileType: video ? 'MP4' : camera.fileType, mime: video ? 'video/mp4' : camera.mime,
        });
        insertDerivatives.run({
          id, checksum, version: DERIVATIVE_VERSION, now, thumb: pic.thumb, thumbWidth: pic.thumbWidth, thumbHeight: pic.thumbHeight,
          preview: pic.preview, previewWidth: pic.previewWidth, previewHeight: pic.previewHeight,
          // There is no video to play: the viewer says so instead of waiting for a transcode.
          videoState: video ? 'failed' : null, videoError: video ? 'synthetic library: no video file' : null,
        });
      }
    }
  }).immediate();
  catalog.close();
  return {
    dataDir, rootId, rootPath, assets: n, months: months.length, bigMonth, bigMonthCount: counts.get(bigMonth) ?? 0,
    firstMonth: months[0]!, lastMonth: months.at(-1)!, cameras: CAMERAS.map(({ make, model }) => ({ make, model })), thumbnails: PICTURES,
  };
}
