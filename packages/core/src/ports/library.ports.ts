// Ports the library use cases depend on. Adapters: SQLite (desktop), Postgres (sync server).
import type { AssetDetail, AssetListQuery, AssetPage, AssetSummary } from '../contract/schemas/asset.schemas.ts';
import type { LibraryRoot, ScanResult } from '../contract/schemas/library.schemas.ts';
import type { JobsStatus } from '../contract/schemas/job.schemas.ts';
import type { DerivativeKind } from '../media/derivatives.ts';

export interface TimelineFilter {
  favorite?: boolean | undefined;
  archived?: boolean | undefined;
  trashed?: boolean | undefined;
  type?: 'image' | 'video' | undefined;
  rootId?: string | undefined;
}

export interface OriginalFile {
  path: string;
  fileName: string;
  mimeType: string | null;
  offline: boolean;
}

export interface DerivativeFile {
  /** Absolute path, or null when it has not been made (yet, or it failed: see `error`). */
  path: string | null;
  contentType: string | null;
  error: string | null;
  /** The derivative is the original file itself (a video that plays as it is). */
  isOriginal: boolean;
  offline: boolean;
}

export interface AssetRepository {
  list(ownerId: string, query: AssetListQuery): AssetPage;
  get(ownerId: string, id: string): AssetDetail | null;
  original(ownerId: string, id: string): OriginalFile | null;
  /** A derivative's file when it has been made; null when the asset does not exist. */
  derivative(ownerId: string, id: string, kind: DerivativeKind): DerivativeFile | null;
  timelineBuckets(ownerId: string, filter: TimelineFilter): { timeBucket: string; count: number }[];
  timelineBucket(ownerId: string, filter: TimelineFilter, timeBucket: string): AssetSummary[];
  counts(ownerId: string): { image: number; video: number; failed: number; offline: number };
}

export interface LibraryRootRepository {
  list(ownerId: string): LibraryRoot[];
  get(ownerId: string, id: string): LibraryRoot | null;
  add(ownerId: string, path: string): LibraryRoot;
  /** Removes the root and its assets from the catalog; returns how many assets went. */
  remove(ownerId: string, id: string): number;
}

export interface JobStatusReader {
  status(failures: number): JobsStatus;
}

/** What the library needs from the file system, kept narrow so core stays free of node:*. */
export interface FolderProbe {
  /** The canonical absolute path of an existing folder, or null when it is not a folder. */
  resolveFolder(path: string): string | null;
  exists(path: string): boolean;
}

export interface Scanner {
  scan(options: { retryFailed: boolean }): Promise<ScanResult>;
}
