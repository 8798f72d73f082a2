// The catalog: assets (originals in the server's storage), their exif and derivatives, albums,
// and the desktop library folders some assets come from. It mirrors the desktop's SQLite tables
// (apps/desktop/src/db/schema.ts) with an owner on every row, so the Postgres adapters answer
// exactly as the SQLite ones. Rows that belong to an asset, album or root repeat its owner and
// reference it through (id, owner_id): the database itself refuses to put one user's asset in
// another user's album. Uploads hold each owner's content once (unique (owner_id, checksum) among
// live rows); the root, offline and duplicate columns serve assets synced from a desktop library
// and are plain defaults for uploads.
import { sql } from 'drizzle-orm';
import {
  bigint, boolean, check, doublePrecision, foreignKey, index, integer, pgTable, primaryKey, text, unique, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { ctext, ts } from './columns.ts';
import { users } from './users.schema.ts';

export const owner = () => uuid('owner_id').notNull().references(() => users.id, { onDelete: 'cascade' });

/**
 * Desktop library folders whose assets this server holds (filled by desktop sync). The server
 * scans no folder itself: adding one through the API is not supported, and uploads belong to no
 * root (the API shows the owner's id as their root).
 */
export const libraryRoots = pgTable(
  'library_roots',
  {
    id: uuid('id').primaryKey(),
    ownerId: owner(),
    /** Absolute path on the desktop it comes from. */
    path: ctext('path').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastScanAt: ts('last_scan_at'),
  },
  (t) => [unique('library_roots_id_owner_key').on(t.id, t.ownerId), unique('library_roots_owner_path_key').on(t.ownerId, t.path)],
);

export const assets = pgTable(
  'assets',
  {
    id: uuid('id').primaryKey(),
    ownerId: owner(),
    /**
     * The desktop library folder the asset comes from (sync); null for uploads, whose root is the
     * owner's storage: the API shows the owner's id there. Removing the root removes its assets.
     */
    rootId: uuid('root_id'),
    /** SHA-1 of the content, 40 lower-case hex digits. */
    checksum: text('checksum').notNull(),
    /** Absolute path of the original inside the storage root. */
    path: ctext('path').notNull(),
    /** Its folder: the folder list and the non-recursive folder filter. */
    dir: ctext('dir').notNull(),
    fileName: text('file_name').notNull(),
    /** Sniffed from the content at upload. */
    mimeType: text('mime_type'),
    format: text('format'),
    type: text('type', { enum: ['image', 'video'] }).notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    /**
     * The file's modification time: the client's, else the date the upload was filed under. The
     * capture time falls back to it until metadata is read (the desktop's mtime_ms).
     */
    mtime: ts('mtime').notNull(),
    status: text('status', { enum: ['pending', 'ok', 'failed'] }).notNull().default('pending'),
    error: text('error'),
    /** The original cannot be reached right now (storage not mounted); false for uploads. */
    offline: boolean('offline').notNull().default(false),
    /**
     * timeline | hidden (the motion part of a Live Photo) | removed (a tombstone: taken out of the
     * library with its file left in storage, which the orphan sweep must leave alone).
     */
    visibility: text('visibility', { enum: ['timeline', 'hidden', 'removed'] }).notNull().default('timeline'),
    /** The capture instant (UTC) the lists order by; null until metadata is read (taken_utc_ms). */
    takenAt: ts('taken_at'),
    /** Local wall-clock capture time, `YYYY-MM-DDTHH:mm:ss[.sss]`; null until metadata is read. */
    takenLocal: ctext('taken_local'),
    tzOffsetMin: integer('tz_offset_min'),
    takenSource: text('taken_source', { enum: ['offset', 'gps', 'local', 'utc', 'mtime'] }),
    /** First day of the capture month in local time (YYYY-MM-01): the timeline bucket. */
    month: ctext('month'),
    width: integer('width'),
    height: integer('height'),
    orientation: integer('orientation'),
    duration: doublePrecision('duration'),
    isFavorite: boolean('is_favorite').notNull().default(false),
    isArchived: boolean('is_archived').notNull().default(false),
    trashedAt: ts('trashed_at'),
    rating: integer('rating'),
    description: text('description'),
    /** base64 thumbhash: the grid's placeholder. */
    thumbhash: text('thumbhash'),
    contentIdentifier: text('content_identifier'),
    livePhotoVideoId: uuid('live_photo_video_id'),
    motionPhoto: boolean('motion_photo').notNull().default(false),
    motionVideoOffset: bigint('motion_video_offset', { mode: 'number' }),
    motionVideoLength: bigint('motion_video_length', { mode: 'number' }),
    /** Another asset with the same content shown instead of this one (desktop libraries only). */
    duplicateOf: uuid('duplicate_of'),
    /** Sidecar files stored with the original (absolute paths). */
    sidecars: text('sidecars').array().notNull().default(sql`'{}'::text[]`),
    deviceId: text('device_id'),
    deviceAssetId: text('device_asset_id'),
    fileCreatedAt: ts('file_created_at'),
    fileModifiedAt: ts('file_modified_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.rootId, t.ownerId], foreignColumns: [libraryRoots.id, libraryRoots.ownerId] }).onDelete('cascade'),
    index('assets_root_idx').on(t.rootId).where(sql`root_id IS NOT NULL`),
    // One asset per content and owner; concurrent uploads of one file meet here. A tombstone
    // does not count: uploading its content again makes a new asset, and the tombstone keeps
    // the old file known (the orphan sweep leaves it alone).
    uniqueIndex('assets_owner_checksum_idx').on(t.ownerId, t.checksum).where(sql`visibility <> 'removed'`),
    // The target of the (id, owner_id) references below.
    unique('assets_id_owner_key').on(t.id, t.ownerId),
    // Two live assets never share a file (deleting one would delete the other's original).
    uniqueIndex('assets_path_idx').on(t.path).where(sql`visibility <> 'removed'`),
    // The grids: months counted and one month read per owner. The WHERE matches the timeline SQL's
    // constant terms word for word (timeline-filter.pg.ts) so the planner can use it.
    index('assets_visible_idx')
      .on(t.ownerId, t.month, t.isArchived, t.takenAt, t.id)
      .where(sql`visibility = 'timeline' AND duplicate_of IS NULL AND trashed_at IS NULL AND status <> 'failed' AND month IS NOT NULL`),
    index('assets_trash_idx').on(t.ownerId, t.month, t.takenAt, t.id).where(sql`trashed_at IS NOT NULL`),
    // The list: newest first with unread assets last, as SQLite orders NULLs.
    index('assets_taken_idx').on(t.ownerId, t.takenAt.desc().nullsLast(), t.id.desc()),
    index('assets_duplicate_idx').on(t.duplicateOf).where(sql`duplicate_of IS NOT NULL`),
    index('assets_dir_idx').on(t.ownerId, t.dir),
    index('assets_cid_idx').on(t.ownerId, t.contentIdentifier).where(sql`content_identifier IS NOT NULL`),
    index('assets_live_video_idx').on(t.livePhotoVideoId).where(sql`live_photo_video_id IS NOT NULL`),
    index('assets_device_idx').on(t.ownerId, t.deviceId, t.deviceAssetId).where(sql`device_asset_id IS NOT NULL`),
    check('assets_checksum_check', sql`checksum ~ '^[0-9a-f]{40}$'`),
    check('assets_type_check', sql`type IN ('image', 'video')`),
    check('assets_status_check', sql`status IN ('pending', 'ok', 'failed')`),
    check('assets_visibility_check', sql`visibility IN ('timeline', 'hidden', 'removed')`),
    check('assets_rating_check', sql`rating IS NULL OR rating BETWEEN -1 AND 5`),
  ],
);

/** The asset a row belongs to, by (id, owner): the row cannot point at another owner's asset. */
export const ofAsset = (assetId: AnyPgColumn, ownerId: AnyPgColumn) =>
  foreignKey({ columns: [assetId, ownerId], foreignColumns: [assets.id, assets.ownerId] }).onDelete('cascade');

export const exif = pgTable(
  'exif',
  {
    assetId: uuid('asset_id').primaryKey(),
    ownerId: owner(),
    make: ctext('make'),
    model: ctext('model'),
    lens: text('lens'),
    fNumber: doublePrecision('f_number'),
    exposureTime: text('exposure_time'),
    iso: integer('iso'),
    focalLength: doublePrecision('focal_length'),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    altitude: doublePrecision('altitude'),
    videoCodec: text('video_codec'),
    fileType: ctext('file_type'),
    mimeType: text('mime_type'),
    keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
    warnings: text('warnings').array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [ofAsset(t.assetId, t.ownerId)],
);

/**
 * What the media pipeline made for an asset (as on the desktop): paths relative to the data
 * folder, sizes, or why it failed; checksum and version say what it was made from.
 */
export const derivatives = pgTable(
  'derivatives',
  {
    assetId: uuid('asset_id').primaryKey(),
    ownerId: owner(),
    thumbnailPath: text('thumbnail_path'),
    thumbnailWidth: integer('thumbnail_width'),
    thumbnailHeight: integer('thumbnail_height'),
    /** decoded | embedded | frame: where the thumbnail's pixels came from. */
    thumbnailSource: text('thumbnail_source'),
    thumbnailChecksum: text('thumbnail_checksum'),
    thumbnailVersion: integer('thumbnail_version'),
    thumbnailError: text('thumbnail_error'),
    previewPath: text('preview_path'),
    previewWidth: integer('preview_width'),
    previewHeight: integer('preview_height'),
    previewChecksum: text('preview_checksum'),
    previewVersion: integer('preview_version'),
    previewError: text('preview_error'),
    /** original (plays as it is) | transcoded | failed; null until the transcode job has run. */
    videoState: text('video_state', { enum: ['original', 'transcoded', 'failed'] }),
    videoPath: text('video_path'),
    videoChecksum: text('video_checksum'),
    videoVersion: integer('video_version'),
    videoError: text('video_error'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [ofAsset(t.assetId, t.ownerId)],
);

/** Albums: hand-picked sets of one owner's assets. The cover is a choice; else the newest serves. */
export const albums = pgTable(
  'albums',
  {
    id: uuid('id').primaryKey(),
    ownerId: owner(),
    name: text('name').notNull(),
    description: text('description'),
    coverAssetId: uuid('cover_asset_id').references(() => assets.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    unique('albums_id_owner_key').on(t.id, t.ownerId),
    index('albums_owner_idx').on(t.ownerId, t.updatedAt, t.id),
    index('albums_cover_idx').on(t.coverAssetId).where(sql`cover_asset_id IS NOT NULL`),
  ],
);

export const albumAssets = pgTable(
  'album_assets',
  {
    albumId: uuid('album_id').notNull(),
    assetId: uuid('asset_id').notNull(),
    ownerId: owner(),
    addedAt: ts('added_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.albumId, t.assetId] }),
    foreignKey({ columns: [t.albumId, t.ownerId], foreignColumns: [albums.id, albums.ownerId] }).onDelete('cascade'),
    ofAsset(t.assetId, t.ownerId),
    index('album_assets_asset_idx').on(t.assetId),
  ],
);
