import fs from 'node:fs';
import path from 'node:path';
import { MetadataExtractor } from './src/media/metadata.extractor.ts';
const CORPUS = '/work/shared/corpus';
const [header, ...lines] = fs.readFileSync(path.join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').filter(Boolean);
const cols = header!.split('\t');
const rows = lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
const ex = new MetadataExtractor();
const t0 = performance.now();
const results = await Promise.all(rows.map(async (r) => [r, await ex.extract(path.join(CORPUS, r.path), r.path === 'sidecar/IMG_5910.jpg' ? [path.join(CORPUS, 'sidecar/IMG_5910.xmp')] : r.path === 'sidecar/iphone_7.heic' ? [path.join(CORPUS, 'sidecar/iphone_7.xmp')] : [])] as const));
console.error('time', Math.round(performance.now() - t0));
for (const [r, res] of results) {
  if (!res.ok) { console.log(r.path, 'FAIL', res.error); continue; }
  const m = res.metadata;
  const t = m.takenAt;
  const ts = t ? t.local + (t.offsetMinutes === null ? '' : (t.offsetMinutes >= 0 ? '+' : '-') + String(Math.floor(Math.abs(t.offsetMinutes) / 60)).padStart(2, '0') + ':' + String(Math.abs(t.offsetMinutes) % 60).padStart(2, '0')) + ' ' + t.source : null;
  console.log(r.path, '|', ts, '| exp', r.taken_at, '|', m.latitude, m.longitude, 'exp', r.gps_lat, r.gps_lon, '|', m.width + 'x' + m.height, 'o' + m.orientation, 'exp', r.width + 'x' + r.height, 'o' + r.orientation, '|', m.make, '/', m.model, '|', m.duration, m.videoCodec, '|', m.motionPhoto, JSON.stringify(m.motionPhotoVideo), m.contentIdentifier, '|', res.problem, '|', m.lens, m.fNumber, m.exposureTime, m.iso, m.focalLength, m.altitude, m.rating, JSON.stringify(m.description), JSON.stringify(m.keywords));
}
await ex.end();
