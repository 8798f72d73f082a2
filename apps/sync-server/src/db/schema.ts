// The sync server's Postgres schema (drizzle): users and auth, the catalog, ML, and the job queue.
// Migrations in ./migrations are generated from it by drizzle-kit (`pnpm db:generate`) and run at
// open; pgvector's extras are applied after them where the extension exists (vector.sql.ts).
export * from './schema/users.schema.ts';
export * from './schema/catalog.schema.ts';
export * from './schema/ml.schema.ts';
export * from './schema/jobs.schema.ts';
