// Ports the library use cases depend on. Adapters: SQLite (desktop), Postgres (sync server).
import type { AssetBulkUpdate, AssetDetail, AssetListQuery, AssetPage, AssetPatch } from '../contract/schemas/asset.schemas.ts';
import type { TimelineAsset, TimelineFilter } from '../contract/schemas/timeline.schemas.ts';
import type { FolderEntry, SearchFacets } from '../contract/schemas/browse.schemas.ts';
import type { LibraryRoot, ScanResult } from '../contract/schemas/library.schemas.ts';
import type { JobLane, JobsStatus } from '../contract/schemas/job.schemas.ts';
import type { DerivativeKind } from '../media/derivatives.ts';

export type { TimelineFilter };

/** A port answers directly (SQLite, synchronous) or later (Postgres): services await either. */
export type Awaitable<T> = T | Promise<T>;

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
  list(ownerId: string, query: AssetListQuery): Awaitable<AssetPage>;
  get(ownerId: string, id: string): Awaitable<AssetDetail | null>;
  original(ownerId: string, id: string): Awaitable<OriginalFile | null>;
  /** A derivative's file when it has been made; null when the asset does not exist. */
  derivative(ownerId: string, id: string, kind: DerivativeKind): Awaitable<DerivativeFile | null>;
  timelineBuckets(ownerId: string, filter: TimelineFilter): Awaitable<{ timeBucket: string; count: number }[]>;
  timelineBucket(ownerId: string, filter: TimelineFilter, timeBucket: string): Awaitable<TimelineAsset[]>;
  counts(ownerId: string): Awaitable<{ image: number; video: number; failed: number; offline: number }>;
  /** Applies a patch; false when the asset does not exist. Trashing sets trashedAt to now. */
  update(ownerId: string, id: string, patch: AssetPatch): Awaitable<boolean>;
  /** Applies the same changes to every listed asset that exists; returns how many changed. */
  updateMany(ownerId: string, update: AssetBulkUpdate): Awaitable<number>;
  /** Every folder that directly holds visible assets, sorted by path. */
  folders(ownerId: string): Awaitable<FolderEntry[]>;
  facets(ownerId: string): Awaitable<SearchFacets>;
}

/** A trashed asset as emptying the trash needs it. */
export interface TrashedAsset {
  id: string;
  path: string;
  /** Its folder or drive is not there right now: its file cannot be deleted. */
  offline: boolean;
  /** Sidecars that belong to this asset alone (a shared `IMG_1.xmp` is never deleted). */
  sidecars: string[];
  livePhotoVideo: { id: string; path: string } | null;
}

/** The trash's files and catalog rows. */
export interface TrashRepository {
  /** Restores the listed trashed assets, or all of them; returns how many. */
  restore(ownerId: string, ids: readonly string[] | undefined): Awaitable<number>;
  /** The trashed assets to empty (the listed ones that are in the trash, or all), with their files. */
  trashed(ownerId: string, ids: readonly string[] | undefined): Awaitable<TrashedAsset[]>;
  /** Whether the asset is still in the trash (it may have been restored while the trash empties). */
  isTrashed(ownerId: string, id: string): Awaitable<boolean>;
  /**
   * Removes trashed assets (and the hidden video of a Live Photo) from the library; assets no
   * longer in the trash are left alone. Removes them with their album
   * entries and derivatives. `keepTombstone` leaves a hidden row behind so a rescan does not bring
   * back a file that is still on disk.
   */
  purge(ownerId: string, ids: readonly string[], keepTombstone: boolean): Awaitable<number>;
}

export interface AlbumRecord {
  id: string;
  name: string;
  description: string | null;
  assetCount: number;
  coverAssetId: string | null;
  coverThumbhash: string | null;
  startDate: string | null;
  endDate: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AlbumRepository {
  list(ownerId: string, filter: { assetId?: string | undefined }): Awaitable<AlbumRecord[]>;
  get(ownerId: string, id: string): Awaitable<AlbumRecord | null>;
  create(ownerId: string, input: { name: string; description: string | null; assetIds: readonly string[] }): Awaitable<AlbumRecord>;
  /** Returns false when the album does not exist. */
  update(ownerId: string, id: string, patch: { name?: string | undefined; description?: string | null | undefined; coverAssetId?: string | null | undefined }): Awaitable<boolean>;
  delete(ownerId: string, id: string): Awaitable<boolean>;
  /** Adds the listed assets that exist and are not in it yet; returns how many were added. */
  addAssets(ownerId: string, id: string, assetIds: readonly string[]): Awaitable<number>;
  removeAssets(ownerId: string, id: string, assetIds: readonly string[]): Awaitable<number>;
  /** Whether the asset is in the album (a cover must be). */
  contains(ownerId: string, id: string, assetId: string): Awaitable<boolean>;
}

/** Deletes files of emptied trash: the only place Shoebox deletes a user's file. */
export interface FileRemover {
  /** Deletes a file; resolves with an error message instead of throwing. Missing files count as deleted. */
  remove(path: string): Promise<string | null>;
}

export interface LibraryRootRepository {
  list(ownerId: string): Awaitable<LibraryRoot[]>;
  get(ownerId: string, id: string): Awaitable<LibraryRoot | null>;
  add(ownerId: string, path: string): Awaitable<LibraryRoot>;
  /** Removes the root and its assets from the catalog; returns how many assets went. */
  remove(ownerId: string, id: string): Awaitable<number>;
}

export interface JobStatusReader {
  status(failures: number): Awaitable<JobsStatus>;
}

export interface JobControl extends JobStatusReader {
  setPaused(lane: JobLane, paused: boolean): Awaitable<void>;
  /** Queues failed jobs again (of one lane, or all); returns how many. */
  retryFailed(lane: JobLane | undefined): Awaitable<number>;
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
