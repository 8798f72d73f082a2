// Loads drizzle's CommonJS build. Under Node 24, importing drizzle's ESM build leaves ~100 MB of
// resident memory behind (measured: 140 MB RSS for `import 'drizzle-orm'` against 60 MB for the
// CommonJS `require`), which alone would break the engine's 300 MB budget. Types still come from
// the ESM declarations; they are erased at run time.
import { createRequire } from 'node:module';
import type * as OrmModule from 'drizzle-orm';
import type * as SqliteCoreModule from 'drizzle-orm/sqlite-core';
import type * as BetterSqliteModule from 'drizzle-orm/better-sqlite3';
import type * as MigratorModule from 'drizzle-orm/better-sqlite3/migrator';

const require = createRequire(import.meta.url);

export const orm = require('drizzle-orm') as typeof OrmModule;
export const sqliteCore = require('drizzle-orm/sqlite-core') as typeof SqliteCoreModule;
export const betterSqlite = require('drizzle-orm/better-sqlite3') as typeof BetterSqliteModule;
export const migrator = require('drizzle-orm/better-sqlite3/migrator') as typeof MigratorModule;
