// Builders the suites seed with: valid uuids from small numbers and assets with every field set to
// a plain default, so a test spells out only what it is about.
import type { SeedAsset, SeedExif, SeedFace, SeedPerson, SeedRoot } from './conformance-fixture.ts';

/** A valid (version 4 shaped) uuid made from a small number: `id(1)` is `00000000-0000-4000-8000-000000000001`. */
export function id(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** The root most assets live in, and a second one. */
export const ROOT: SeedRoot = { id: id(0xf001), path: '/library/photos' };
export const OTHER_ROOT: SeedRoot = { id: id(0xf002), path: '/library/scans' };

export function exif(fields: Partial<SeedExif> = {}): SeedExif {
  return { make: null, model: null, lens: null, fileType: null, mimeType: null, latitude: null, longitude: null, iso: null, keywords: [], ...fields };
}

/**
 * An ok, visible image in ROOT taken at `takenLocal` (UTC offset 0 unless given), named after its
 * number. `path` sets the file name too.
 */
export function asset(n: number, fields: Partial<SeedAsset> = {}): SeedAsset {
  const path = fields.path ?? `${ROOT.path}/IMG_${String(n).padStart(4, '0')}.jpg`;
  const takenLocal = fields.takenLocal === undefined ? '2024-05-10T12:00:00' : fields.takenLocal;
  return {
    id: id(n),
    rootId: ROOT.id,
    type: 'image',
    path,
    fileName: path.slice(path.lastIndexOf('/') + 1),
    size: 1000 + n,
    checksum: n.toString(16).padStart(40, '0'),
    mtime: '2024-06-01T00:00:00.000Z',
    takenLocal,
    offsetMinutes: takenLocal === null ? null : 0,
    takenSource: takenLocal === null ? null : 'offset',
    width: 4000,
    height: 3000,
    orientation: 1,
    duration: null,
    isFavorite: false,
    isArchived: false,
    trashedAt: null,
    rating: null,
    description: null,
    status: 'ok',
    error: null,
    offline: false,
    visibility: 'timeline',
    livePhotoVideoId: null,
    motionPhoto: false,
    duplicateOf: null,
    sidecars: [],
    thumbhash: null,
    exif: null,
    ...fields,
  };
}

export function person(n: number, fields: Partial<SeedPerson> = {}): SeedPerson {
  return { id: id(n), name: '', hidden: false, coverFaceId: null, createdAt: `2024-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`, ...fields };
}

/** A face of `assetId` in `personId` (placed by clustering), a 0.2 × 0.2 box at `x`. */
export function face(n: number, assetId: string, personId: string | null, fields: Partial<SeedFace> = {}): SeedFace {
  return {
    id: id(n),
    assetId,
    personId,
    assignedBy: personId ? 'machine' : null,
    box: { x: 0.1, y: 0.1, width: 0.2, height: 0.2 },
    score: 0.9,
    thumbnailPath: null,
    ...fields,
  };
}
