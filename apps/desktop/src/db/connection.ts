// Opens the catalog: WAL mode, a busy timeout, foreign keys, and the migrations applied at start.
import path from 'node:path';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { betterSqlite, migrator } from './drizzle.runtime.ts';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema>;
export type Sqlite = Database.Database;

export interface Catalog {
  sqlite: Sqlite;
  db: Db;
  close(): void;
}

const MIGRATIONS = path.join(import.meta.dirname, 'migrations');

export function catalogPath(dataDir: string): string {
  return path.join(dataDir, 'library.db');
}

function applyPragmas(sqlite: Sqlite): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('cache_size = -32000');
}

/** Opens (creating when needed) the catalog in a data folder and brings its schema up to date. */
export function openCatalog(dataDir: string): Catalog {
  fs.mkdirSync(dataDir, { recursive: true });
  const sqlite = new Database(catalogPath(dataDir));
  applyPragmas(sqlite);
  const db = betterSqlite.drizzle(sqlite, { schema });
  migrator.migrate(db, { migrationsFolder: MIGRATIONS });
  return { sqlite, db, close: () => sqlite.close() };
}
