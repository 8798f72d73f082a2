// A read-only catalog connection for worker threads (the scanner reads what is already known).
// Kept apart from connection.ts so that a thread does not load drizzle and the migrations.
import path from 'node:path';
import Database from 'better-sqlite3';

export function openCatalogReadOnly(dataDir: string): Database.Database {
  const sqlite = new Database(path.join(dataDir, 'library.db'), { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 10000');
  return sqlite;
}
