// The shared test corpus and its MANIFEST.tsv (expected values from independent sources), for the
// media tests of this package and of the apps that run its pipeline.
import fs from 'node:fs';
import path from 'node:path';

/** ../shared/corpus next to the repository, as a real path (the engine stores canonical paths). */
export const CORPUS = fs.realpathSync(path.resolve(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'corpus'));

export interface ManifestRow {
  path: string;
  sha256: string;
  fileType: string;
  takenAt: string;
  lat: number | null;
  lon: number | null;
  width: number | null;
  height: number | null;
  orientation: number | null;
  make: string;
  model: string;
  duration: number | null;
  notes: string;
}

const num = (s: string | undefined): number | null => (s === undefined || s.trim() === '' ? null : Number(s));

export function readManifest(): ManifestRow[] {
  const [header, ...lines] = fs.readFileSync(path.join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').filter(Boolean);
  const cols = header!.split('\t');
  const at = (name: string): number => cols.indexOf(name);
  return lines.map((line) => {
    const f = line.split('\t');
    return {
      path: f[at('path')]!,
      sha256: f[at('sha256')] ?? '',
      fileType: f[at('file_type')] ?? '',
      takenAt: f[at('taken_at')] ?? '',
      lat: num(f[at('gps_lat')]),
      lon: num(f[at('gps_lon')]),
      width: num(f[at('width')]),
      height: num(f[at('height')]),
      orientation: num(f[at('orientation')]),
      make: f[at('make')] ?? '',
      model: f[at('model')] ?? '',
      duration: num(f[at('duration_s')]),
      notes: f[at('notes')] ?? '',
    };
  });
}

/** Displayed size: the manifest gives stored size; orientations 5-8 and 90/270 rotations swap it. */
export function displayedSize(row: ManifestRow, all?: readonly ManifestRow[]): { width: number; height: number } | null {
  if (row.width === null || row.height === null) return null;
  // Copies carry the original's values but not its notes (where rotations are told).
  const original = /exact duplicate of (\S+)/.exec(row.notes)?.[1];
  const source = original && all?.find((r) => r.path === original);
  if (source) return displayedSize(source);
  const rotated =
    (row.orientation !== null && row.orientation >= 5) || /rotation -?90\b|rotation 270|irot=3/.test(row.notes);
  return rotated ? { width: row.height, height: row.width } : { width: row.width, height: row.height };
}

/** Whether a manifest time carries a zone (offset or Z). */
export function hasZone(iso: string): boolean {
  return /(Z|[+-]\d{2}:\d{2})$/.test(iso);
}
