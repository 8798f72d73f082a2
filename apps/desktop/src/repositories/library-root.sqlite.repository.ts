// LibraryRootRepository over the SQLite catalog.
import fs from 'node:fs';
import type { LibraryRoot } from '@shoebox/core/contract';
import { uuidv7, type LibraryRootRepository } from '@shoebox/core';
import type { Catalog } from '../db/connection.ts';
import { assets, libraryRoots } from '../db/schema.ts';
import { orm } from '../db/drizzle.runtime.ts';

const { and, count, eq, ne } = orm;

type RootRow = typeof libraryRoots.$inferSelect;

export class LibraryRootSqliteRepository implements LibraryRootRepository {
  private readonly catalog: Catalog;
  private readonly onAssetsRemoved: (ids: string[]) => void;
  private readonly changeListeners = new Set<() => void>();

  /** `onAssetsRemoved` runs after the assets of a removed folder left the catalog. */
  constructor(catalog: Catalog, onAssetsRemoved: (ids: string[]) => void = () => undefined) {
    this.catalog = catalog;
    this.onAssetsRemoved = onAssetsRemoved;
  }

  /** Runs `listener` after a folder is added or removed (the watcher follows); returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  private toDto(row: RootRow): LibraryRoot {
    const n = this.catalog.db.select({ n: count() }).from(assets)
      .where(and(eq(assets.rootId, row.id), ne(assets.visibility, 'removed'))).get()?.n ?? 0;
    return {
      id: row.id,
      path: row.path,
      createdAt: new Date(row.createdAt).toISOString(),
      lastScanAt: row.lastScanAt === null ? null : new Date(row.lastScanAt).toISOString(),
      assetCount: n,
      online: fs.existsSync(row.path),
    };
  }

  rows(): RootRow[] {
    return this.catalog.db.select().from(libraryRoots).orderBy(libraryRoots.path).all();
  }

  list(_ownerId: string): LibraryRoot[] {
    return this.rows().map((r) => this.toDto(r));
  }

  get(_ownerId: string, id: string): LibraryRoot | null {
    const row = this.catalog.db.select().from(libraryRoots).where(eq(libraryRoots.id, id)).get();
    return row ? this.toDto(row) : null;
  }

  add(_ownerId: string, path: string): LibraryRoot {
    const row: RootRow = { id: uuidv7(), path, createdAt: Date.now(), lastScanAt: null };
    this.catalog.db.insert(libraryRoots).values(row).run();
    this.changed();
    return this.toDto(row);
  }

  remove(_ownerId: string, id: string): number {
    const { sqlite } = this.catalog;
    const { ids, assetCount } = sqlite.transaction(() => {
      const gone = sqlite.prepare('SELECT id FROM assets WHERE root_id = ?').pluck().all(id) as string[];
      // Tombstones go too, but are not counted: they were no longer assets (as in toDto's count).
      const counted = sqlite.prepare(`SELECT count(*) FROM assets WHERE root_id = ? AND visibility != 'removed'`).pluck().get(id) as number;
      // Jobs reference assets by id only; drop the ones whose asset goes with the root.
      sqlite.prepare('DELETE FROM jobs WHERE asset_id IN (SELECT id FROM assets WHERE root_id = ?)').run(id);
      this.catalog.db.delete(libraryRoots).where(eq(libraryRoots.id, id)).run();
      return { ids: gone, assetCount: counted };
    })();
    this.onAssetsRemoved(ids);
    this.changed();
    return assetCount;
  }

  markScanned(id: string, at: number): void {
    this.catalog.db.update(libraryRoots).set({ lastScanAt: at }).where(eq(libraryRoots.id, id)).run();
  }
}
