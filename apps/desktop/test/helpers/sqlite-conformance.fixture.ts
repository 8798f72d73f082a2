// The port-conformance fixture over the desktop's SQLite adapters: a fresh catalog (the engine's
// migrations, sqlite-vec loaded) in a temp folder per test, seeded by plain inserts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monthOf, takenAtUtcMs } from '@shoebox/core';
import type { ConformanceFixture, SeedAsset, SeedEmbedding, SeedFace, SeedPerson, SeedRoot } from '@shoebox/core/testing';
import { openCatalog, type Catalog } from '../../src/db/connection.ts';
import { AlbumSqliteRepository } from '../../src/repositories/album.sqlite.repository.ts';
import { AssetSqliteRepository } from '../../src/repositories/asset.sqlite.repository.ts';
import { LibraryRootSqliteRepository } from '../../src/repositories/library-root.sqlite.repository.ts';
import { PeopleSqliteRepository } from '../../src/repositories/people.sqlite.repository.ts';
import { SmartSearchSqlite } from '../../src/repositories/smart-search.sqlite.ts';
import { TrashSqliteRepository } from '../../src/repositories/trash.sqlite.repository.ts';
import { ClipVectorIndex } from '../../src/search/clip-vector-index.ts';

/** The engine's single owner (engine.ts LOCAL_OWNER); the adapters accept it and ignore it. */
const OWNER = 'local';
const MODEL = 'conformance-clip';

interface Store {
  dir: string;
  catalog: Catalog;
  vectors: ClipVectorIndex;
  assets: AssetSqliteRepository;
  albums: AlbumSqliteRepository;
  trash: TrashSqliteRepository;
  people: PeopleSqliteRepository;
  roots: LibraryRootSqliteRepository;
  smartSearch: SmartSearchSqlite;
}

function openStore(): Store {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-conformance-'));
  const catalog = openCatalog(dir);
  const { sqlite } = catalog;
  const vectors = new ClipVectorIndex(sqlite);
  return {
    dir,
    catalog,
    vectors,
    assets: new AssetSqliteRepository(catalog, dir),
    albums: new AlbumSqliteRepository(sqlite),
    trash: new TrashSqliteRepository(sqlite, () => undefined),
    people: new PeopleSqliteRepository(sqlite, dir),
    roots: new LibraryRootSqliteRepository(catalog),
    smartSearch: new SmartSearchSqlite(sqlite, vectors, () => MODEL),
  };
}

function closeStore(store: Store): void {
  store.catalog.close();
  fs.rmSync(store.dir, { recursive: true, force: true });
}

const ms = (iso: string): number => Date.parse(iso);

function insertAssets(store: Store, rows: readonly SeedAsset[]): void {
  const { sqlite } = store.catalog;
  const now = Date.now();
  const insert = sqlite.prepare(`INSERT INTO assets (id, root_id, path, dir, file_name, size, mtime_ms, checksum, type, format, status, error,
      offline, visibility, taken_local, taken_utc_ms, tz_offset_min, taken_source, month, width, height, orientation, duration,
      is_favorite, is_archived, trashed_at, rating, description, live_photo_video_id, motion_photo, duplicate_of, sidecars, thumbhash,
      created_at, updated_at)
    VALUES (@id, @rootId, @path, @dir, @fileName, @size, @mtimeMs, @checksum, @type, @format, @status, @error,
      @offline, @visibility, @takenLocal, @takenUtcMs, @tzOffsetMin, @takenSource, @month, @width, @height, @orientation, @duration,
      @isFavorite, @isArchived, @trashedAt, @rating, @description, @livePhotoVideoId, @motionPhoto, @duplicateOf, @sidecars, @thumbhash,
      @now, @now)`);
  const insertExif = sqlite.prepare(`INSERT INTO exif (asset_id, make, model, lens, file_type, mime_type, latitude, longitude, iso, keywords)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  sqlite.transaction(() => {
    // Live Photo stills point at videos that may come later in the list: no constraint on that column.
    for (const a of rows) {
      const taken = a.takenLocal === null ? null : { local: a.takenLocal, offsetMinutes: a.offsetMinutes };
      insert.run({
        id: a.id, rootId: a.rootId, path: a.path, dir: path.dirname(a.path), fileName: a.fileName, size: a.size, mtimeMs: ms(a.mtime),
        checksum: a.checksum, type: a.type, format: a.exif?.fileType ?? null, status: a.status, error: a.error, offline: a.offline ? 1 : 0,
        visibility: a.visibility, takenLocal: a.takenLocal, takenUtcMs: taken ? takenAtUtcMs(taken) : null, tzOffsetMin: a.offsetMinutes,
        takenSource: a.takenSource, month: a.takenLocal === null ? null : monthOf(a.takenLocal), width: a.width, height: a.height,
        orientation: a.orientation, duration: a.duration, isFavorite: a.isFavorite ? 1 : 0, isArchived: a.isArchived ? 1 : 0,
        trashedAt: a.trashedAt === null ? null : ms(a.trashedAt), rating: a.rating, description: a.description,
        livePhotoVideoId: a.livePhotoVideoId, motionPhoto: a.motionPhoto ? 1 : 0, duplicateOf: a.duplicateOf,
        sidecars: JSON.stringify(a.sidecars), thumbhash: a.thumbhash, now,
      });
      const e = a.exif;
      if (e) insertExif.run(a.id, e.make, e.model, e.lens, e.fileType, e.mimeType, e.latitude, e.longitude, e.iso, JSON.stringify(e.keywords));
    }
  })();
}

function insertPeople(store: Store, people: readonly SeedPerson[], faces: readonly SeedFace[]): void {
  const { sqlite } = store.catalog;
  const now = Date.now();
  const person = sqlite.prepare(`INSERT INTO people (id, name, hidden, cover_face_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`);
  const face = sqlite.prepare(`INSERT INTO faces (id, asset_id, person_id, assigned_by, rejected, clustered, x, y, width, height, landmarks,
      score, embedding, thumbnail_path, created_at)
    VALUES (?, ?, ?, ?, 0, 1, ?, ?, ?, ?, '[]', ?, ?, ?, ?)`);
  const embedding = Buffer.alloc(128 * 4);
  sqlite.transaction(() => {
    for (const p of people) person.run(p.id, p.name, p.hidden ? 1 : 0, p.coverFaceId, ms(p.createdAt), ms(p.createdAt));
    for (const f of faces) {
      face.run(f.id, f.assetId, f.personId, f.assignedBy, f.box.x, f.box.y, f.box.width, f.box.height, f.score, embedding, f.thumbnailPath, now);
    }
  })();
}

export async function sqliteConformanceFixture(): Promise<ConformanceFixture> {
  let store = openStore();
  return {
    ownerId: OWNER,
    otherOwnerId: null,
    rootsAddable: true,
    get assets() {
      return store.assets;
    },
    get albums() {
      return store.albums;
    },
    get trash() {
      return store.trash;
    },
    get people() {
      return store.people;
    },
    get roots() {
      return store.roots;
    },
    get smartSearch() {
      return store.smartSearch;
    },
    async seedRoots(_ownerId: string, roots: readonly SeedRoot[]) {
      const insert = store.catalog.sqlite.prepare(`INSERT INTO library_roots (id, path, created_at) VALUES (?, ?, ?)`);
      for (const r of roots) insert.run(r.id, r.path, Date.now());
    },
    async seedAssets(_ownerId: string, rows: readonly SeedAsset[]) {
      insertAssets(store, rows);
    },
    async seedPeople(_ownerId: string, people: readonly SeedPerson[], faces: readonly SeedFace[]) {
      insertPeople(store, people, faces);
    },
    async seedEmbeddings(_ownerId: string, embeddings: readonly SeedEmbedding[]) {
      for (const e of embeddings) store.vectors.upsert(e.assetId, MODEL, e.vector);
    },
    async reset() {
      closeStore(store);
      store = openStore();
    },
    async close() {
      closeStore(store);
    },
  };
}
