// The SQLite catalog's tables (drizzle). Migrations in ./migrations are generated from this file
// by drizzle-kit (`pnpm db:generate`) and applied at start.
import { orm, sqliteCore } from './drizzle.runtime.ts';

const { sql } = orm;
const { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } = sqliteCore;

export const libraryRoots = sqliteTable('library_roots', {
  id: text('id').primaryKey(),
  path: text('path').notNull().unique(),
  createdAt: integer('created_at').notNull(),
  lastScanAt: integer('last_scan_at'),
});

export const assets = sqliteTable(
  'assets',
  {
    id: text('id').primaryKey(),
    rootId: text('root_id').notNull().references(() => libraryRoots.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    dir: text('dir').notNull(),
    fileName: text('file_name').notNull(),
    size: integer('size').notNull(),
    mtimeMs: integer('mtime_ms').notNull(),
    checksum: text('checksum').notNull(),
    /** image | video; from the extension at discovery, corrected from content by the metadata job. */
    type: text('type', { enum: ['image', 'video'] }).notNull(),
    format: text('format'),
    status: text('status', { enum: ['pending', 'ok', 'failed'] }).notNull().default('pending'),
    error: text('error'),
    offline: integer('offline', { mode: 'boolean' }).notNull().default(false),
    /**
     * timeline | hidden (the motion part of a Live Photo) | removed (a tombstone: taken out of the
     * library with its file left on disk; never shown, and a rescan leaves its path alone).
     */
    visibility: text('visibility', { enum: ['timeline', 'hidden', 'removed'] }).notNull().default('timeline'),
    takenLocal: text('taken_local'),
    takenUtcMs: integer('taken_utc_ms'),
    tzOffsetMin: integer('tz_offset_min'),
    takenSource: text('taken_source', { enum: ['offset', 'gps', 'local', 'utc', 'mtime'] }),
    /** First day of the capture month in local time (YYYY-MM-01): the timeline bucket. */
    month: text('month'),
    width: integer('width'),
    height: integer('height'),
    orientation: integer('orientation'),
    duration: real('duration'),
    isFavorite: integer('is_favorite', { mode: 'boolean' }).notNull().default(false),
    isArchived: integer('is_archived', { mode: 'boolean' }).notNull().default(false),
    trashedAt: integer('trashed_at'),
    rating: integer('rating'),
    description: text('description'),
    contentIdentifier: text('content_identifier'),
    livePhotoVideoId: text('live_photo_video_id'),
    motionPhoto: integer('motion_photo', { mode: 'boolean' }).notNull().default(false),
    motionVideoOffset: integer('motion_video_offset'),
    motionVideoLength: integer('motion_video_length'),
    duplicateOf: text('duplicate_of'),
    /** JSON array of sidecar and companion paths (a.jpg.xmp, a.xmp, a.THM). */
    sidecars: text('sidecars').notNull().default('[]'),
    /** Names and mtimes of the sidecars: a rescan re-reads metadata when it changes. */
    sidecarSig: text('sidecar_sig').notNull().default(''),
    /** base64 thumbhash: the grid's placeholder, read with every timeline row. */
    thumbhash: text('thumbhash'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('assets_path_idx').on(t.path),
    index('assets_root_idx').on(t.rootId),
    index('assets_checksum_idx').on(t.checksum),
    index('assets_taken_idx').on(t.takenUtcMs),
    index('assets_cid_idx').on(t.contentIdentifier).where(sql`content_identifier IS NOT NULL`),
    // The grids (the timeline, an album, a folder, favourites, the archive): months counted and one
    // month read from the index alone; the trash has its own. The WHERE must match the timeline
    // SQL's terms word for word (timeline-filter.sql.ts). They replace a (month, taken) index that
    // the planner preferred, without statistics, at the cost of a table read per asset.
    index('assets_visible_idx')
      .on(t.month, t.isArchived, t.takenUtcMs, t.id, t.isFavorite, t.type)
      .where(sql`visibility = 'timeline' AND duplicate_of IS NULL AND trashed_at IS NULL AND status != 'failed' AND month IS NOT NULL`),
    index('assets_trash_idx').on(t.month, t.takenUtcMs, t.id).where(sql`trashed_at IS NOT NULL`),
    index('assets_dir_idx').on(t.dir),
    index('assets_duplicate_idx').on(t.duplicateOf).where(sql`duplicate_of IS NOT NULL`),
  ],
);

export const exif = sqliteTable('exif', {
  assetId: text('asset_id').primaryKey().references(() => assets.id, { onDelete: 'cascade' }),
  make: text('make'),
  model: text('model'),
  lens: text('lens'),
  fNumber: real('f_number'),
  exposureTime: text('exposure_time'),
  iso: integer('iso'),
  focalLength: real('focal_length'),
  latitude: real('latitude'),
  longitude: real('longitude'),
  altitude: real('altitude'),
  videoCodec: text('video_codec'),
  fileType: text('file_type'),
  mimeType: text('mime_type'),
  keywords: text('keywords').notNull().default('[]'),
  warnings: text('warnings').notNull().default('[]'),
});

/**
 * What the media pipeline made for an asset, per derivative: the file (relative to the data
 * folder), its size, or why it could not be made. `checksum` and `version` say which content and
 * which pipeline it was made from, so a changed file or a new pipeline remakes it.
 */
export const derivatives = sqliteTable('derivatives', {
  assetId: text('asset_id').primaryKey().references(() => assets.id, { onDelete: 'cascade' }),
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
  updatedAt: integer('updated_at').notNull(),
});

/** Albums: hand-picked sets of assets. The cover is a choice; without one the newest asset serves. */
export const albums = sqliteTable(
  'albums',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description'),
    coverAssetId: text('cover_asset_id').references(() => assets.id, { onDelete: 'set null' }),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  // Deleting an asset looks up the albums it covers.
  (t) => [index('albums_cover_idx').on(t.coverAssetId).where(sql`cover_asset_id IS NOT NULL`)],
);

export const albumAssets = sqliteTable(
  'album_assets',
  {
    albumId: text('album_id').notNull().references(() => albums.id, { onDelete: 'cascade' }),
    assetId: text('asset_id').notNull().references(() => assets.id, { onDelete: 'cascade' }),
    addedAt: integer('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.albumId, t.assetId] }), index('album_assets_asset_idx').on(t.assetId)],
);

export const jobs = sqliteTable(
  'jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    lane: text('lane', { enum: ['io', 'media', 'ml', 'sync'] }).notNull(),
    payload: text('payload').notNull(),
    assetId: text('asset_id'),
    /** One row per (job name, subject): re-queuing revives the row instead of adding one. */
    dedupeKey: text('dedupe_key').notNull(),
    state: text('state', { enum: ['queued', 'running', 'done', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** Queued again while running: run once more when this run ends (its input changed). */
    rerun: integer('rerun', { mode: 'boolean' }).notNull().default(false),
    maxAttempts: integer('max_attempts').notNull(),
    runAfterMs: integer('run_after_ms').notNull().default(0),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    finishedAt: integer('finished_at'),
  },
  (t) => [
    uniqueIndex('jobs_dedupe_idx').on(t.dedupeKey),
    index('jobs_claim_idx').on(t.lane, t.state, t.runAfterMs, t.id),
    index('jobs_asset_idx').on(t.assetId),
    index('jobs_failed_idx').on(t.state, t.finishedAt).where(sql`state = 'failed'`),
    // The jobs page's rate: jobs finished in the last minute, per lane.
    index('jobs_finished_idx').on(t.finishedAt, t.lane).where(sql`finished_at IS NOT NULL`),
  ],
);

export const laneState = sqliteTable('lane_state', {
  lane: text('lane').primaryKey(),
  paused: integer('paused', { mode: 'boolean' }).notNull().default(false),
});

export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** People: clusters of faces; a name and visibility the user gives them. */
export const people = sqliteTable(
  'people',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull().default(''),
    hidden: integer('hidden', { mode: 'boolean' }).notNull().default(false),
    /** The face shown for the person, when the user chose one; else the best-detected face serves. */
    coverFaceId: text('cover_face_id'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
);

/**
 * Faces found in an asset's preview. The box and landmarks are fractions of the displayed
 * (upright) picture; the embedding is MobileFaceNet's L2-normalised 128 float32s.
 */
export const faces = sqliteTable(
  'faces',
  {
    id: text('id').primaryKey(),
    assetId: text('asset_id').notNull().references(() => assets.id, { onDelete: 'cascade' }),
    personId: text('person_id').references(() => people.id, { onDelete: 'set null' }),
    /** machine (clustering) | user (placed by hand: re-clustering leaves it alone); null without a person. */
    assignedBy: text('assigned_by', { enum: ['machine', 'user'] }),
    /** The user took it out of every person: clustering leaves it alone. */
    rejected: integer('rejected', { mode: 'boolean' }).notNull().default(false),
    /** Clustering has looked at it (a face that found no person waits for similar ones). */
    clustered: integer('clustered', { mode: 'boolean' }).notNull().default(false),
    x: real('x').notNull(),
    y: real('y').notNull(),
    width: real('width').notNull(),
    height: real('height').notNull(),
    /** JSON [[x,y]×5]: eyes, nose tip, mouth corners (the subject's right first). */
    landmarks: text('landmarks').notNull(),
    score: real('score').notNull(),
    embedding: sqliteCore.blob('embedding', { mode: 'buffer' }).notNull(),
    /** The cropped face (webp), relative to the data folder. */
    thumbnailPath: text('thumbnail_path'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('faces_asset_idx').on(t.assetId),
    index('faces_person_idx').on(t.personId),
    index('faces_unclustered_idx').on(t.clustered).where(sql`clustered = 0`),
  ],
);

/**
 * Which ML work is done for an asset: per task (faces, clip), the content (checksum) and model it
 * ran with, or why it failed. A changed file or another model runs it again.
 */
export const mlState = sqliteTable(
  'ml_state',
  {
    assetId: text('asset_id').notNull().references(() => assets.id, { onDelete: 'cascade' }),
    task: text('task', { enum: ['faces', 'clip'] }).notNull(),
    checksum: text('checksum').notNull(),
    model: text('model').notNull(),
    error: text('error'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.assetId, t.task] })],
);

/** CLIP image embeddings, one per asset (float32, L2-normalised). The vector index is built from it. */
export const smartEmbeddings = sqliteTable(
  'smart_embeddings',
  {
    /** Integer key shared with the sqlite-vec index. */
    rowId: integer('row_id').primaryKey({ autoIncrement: true }),
    assetId: text('asset_id').notNull().references(() => assets.id, { onDelete: 'cascade' }),
    model: text('model').notNull(),
    embedding: sqliteCore.blob('embedding', { mode: 'buffer' }).notNull(),
  },
  (t) => [uniqueIndex('smart_embeddings_asset_idx').on(t.assetId)],
);
