// What an app hands the port-conformance suites: its adapters over an empty store, and a way to
// put rows in that store directly (the ports have no "insert an asset": the scanner does that).
import type { AssetType, AssetStatus, TakenAtSource } from '../contract/schemas/asset.schemas.ts';
import type { FaceBox } from '../contract/schemas/people.schemas.ts';
import type { AlbumRepository, AssetRepository, LibraryRootRepository, TrashRepository } from '../ports/library.ports.ts';
import type { PeopleRepository, SmartSearchIndex } from '../ports/ml.ports.ts';
import type { z } from 'zod';

/** A library root (a watched folder) that assets belong to. */
export interface SeedRoot {
  id: string;
  /** Absolute folder; need not exist on disk. */
  path: string;
}

/** One asset row as the scanner and the metadata job would have left it. */
export interface SeedAsset {
  /** uuid. */
  id: string;
  /** The root (seeded first with seedRoots). */
  rootId: string;
  type: z.infer<typeof AssetType>;
  /** Absolute path of the original; its folder (dirname) is what folders() groups by. */
  path: string;
  /** The path's last segment. */
  fileName: string;
  size: number;
  /** 40 lowercase hex digits. */
  checksum: string;
  /** File mtime, ISO 8601 UTC ("2024-01-01T00:00:00.000Z"). */
  mtime: string;
  /** Local capture time without offset ("2024-03-05T10:00:00"); null before metadata (then hidden from grids). */
  takenLocal: string | null;
  /** UTC offset of takenLocal in minutes; null when unknown (takenLocal is then read as if UTC). */
  offsetMinutes: number | null;
  /** Where the capture time came from; null with takenLocal null. */
  takenSource: z.infer<typeof TakenAtSource> | null;
  width: number | null;
  height: number | null;
  orientation: number | null;
  /** Seconds (videos). */
  duration: number | null;
  isFavorite: boolean;
  isArchived: boolean;
  /** ISO 8601 UTC when trashed, else null. */
  trashedAt: string | null;
  /** -1..5 or null. */
  rating: number | null;
  description: string | null;
  status: z.infer<typeof AssetStatus>;
  /** Error of a failed read. */
  error: string | null;
  /** The file's folder or drive is not there right now. */
  offline: boolean;
  /** 'hidden' is the motion part of a Live Photo (never in a grid or list). */
  visibility: 'timeline' | 'hidden';
  /** The hidden video of a Live Photo (an asset seeded with visibility 'hidden'). */
  livePhotoVideoId: string | null;
  motionPhoto: boolean;
  /** Another asset with the same content that is shown instead of this one. */
  duplicateOf: string | null;
  /** Absolute paths of the asset's sidecars. */
  sidecars: string[];
  /** base64 thumbhash. */
  thumbhash: string | null;
  /** Exif, null when no exif row exists (not read yet). Empty strings are not used. */
  exif: SeedExif | null;
}

/** The exif row of an asset: the fields the filters, facets and detail read. */
export interface SeedExif {
  make: string | null;
  model: string | null;
  lens: string | null;
  /** As exiftool names it: JPEG, HEIC, MP4… */
  fileType: string | null;
  mimeType: string | null;
  latitude: number | null;
  longitude: number | null;
  iso: number | null;
  keywords: string[];
}

/** A person row. Seeded after the faces' assets. */
export interface SeedPerson {
  id: string;
  name: string;
  hidden: boolean;
  /** The chosen cover face; null to fall back to the best-detected face. */
  coverFaceId: string | null;
  /** ISO 8601 UTC. */
  createdAt: string;
}

/** A face row. Seeded after its asset and its person. */
export interface SeedFace {
  id: string;
  assetId: string;
  personId: string | null;
  /** Who placed it in its person; null without a person. */
  assignedBy: 'machine' | 'user' | null;
  box: FaceBox;
  /** Detector confidence 0..1; the best-detected face maximises score × width × height. */
  score: number;
  /** Relative path of the face crop, or null when not made (any value, it is not read from disk). */
  thumbnailPath: string | null;
}

/** A CLIP image embedding for an asset, stored under the index's current model. */
export interface SeedEmbedding {
  assetId: string;
  /** Any length the suite chooses (the same for all vectors of a test); not necessarily normalised. */
  vector: Float32Array;
}

/**
 * One app's adapters over a store of its own. The suites call reset() before every test and read
 * the repository properties after it (an adapter may hand out new instances on reset).
 */
export interface ConformanceFixture {
  /** The owner every test reads and writes as. */
  ownerId: string;
  /** A second owner for isolation tests; null when the adapter is single-owner (isolation tests are skipped). */
  otherOwnerId: string | null;
  /**
   * Whether `roots.add` adds folders (the desktop). The sync server stores uploads and has no
   * folders of its own: there `add` must refuse with NOT_SUPPORTED and change nothing.
   */
  rootsAddable: boolean;
  assets: AssetRepository;
  albums: AlbumRepository;
  trash: TrashRepository;
  people: PeopleRepository;
  roots: LibraryRootRepository;
  /** Omitted when the app has no vector index: the smart-search suite is skipped. */
  smartSearch?: SmartSearchIndex | undefined;
  seedRoots(ownerId: string, roots: readonly SeedRoot[]): Promise<void>;
  seedAssets(ownerId: string, assets: readonly SeedAsset[]): Promise<void>;
  seedPeople(ownerId: string, people: readonly SeedPerson[], faces: readonly SeedFace[]): Promise<void>;
  seedEmbeddings(ownerId: string, embeddings: readonly SeedEmbedding[]): Promise<void>;
  /** Empties every table (all owners) and any cache, so each test starts from nothing. */
  reset(): Promise<void>;
  /** Releases the store; called once after the suite. */
  close(): Promise<void>;
}
