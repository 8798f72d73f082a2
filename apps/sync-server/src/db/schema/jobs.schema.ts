// The Postgres-backed job queue (claimed with FOR UPDATE SKIP LOCKED), its per-lane pause state,
// and server-wide settings. Kept general: the runner decides what payloads and keys mean.
import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ts } from './columns.ts';
import { users } from './users.schema.ts';
import { assets } from './catalog.schema.ts';

export const jobs = pgTable(
  'jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    name: text('name').notNull(),
    lane: text('lane').notNull(),
    payload: jsonb('payload').notNull(),
    /** Whose work it is; null for server-wide jobs. Deleting the user drops their jobs. */
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'cascade' }),
    /** The asset it concerns, if any: removing the asset drops its jobs. */
    assetId: uuid('asset_id').references(() => assets.id, { onDelete: 'cascade' }),
    /** At most one queued or running job per key (a partial unique index); null: no dedupe. */
    dedupeKey: text('dedupe_key'),
    status: text('status', { enum: ['queued', 'running', 'done', 'failed'] }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(3),
    /** Queued again while running (its input changed): run once more when this run ends. */
    rerun: boolean('rerun').notNull().default(false),
    runAfter: ts('run_after').notNull().defaultNow(),
    lockedAt: ts('locked_at'),
    /** Which runner holds it (host:pid:random): a restart finds and requeues its own stale claims. */
    lockedBy: text('locked_by'),
    error: text('error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
  },
  (t) => [
    uniqueIndex('jobs_dedupe_idx').on(t.dedupeKey).where(sql`status IN ('queued', 'running')`),
    index('jobs_claim_idx').on(t.lane, t.status, t.runAfter, t.id),
    index('jobs_owner_idx').on(t.ownerId),
    index('jobs_asset_idx').on(t.assetId),
    index('jobs_running_idx').on(t.lockedBy).where(sql`status = 'running'`),
    // The jobs page: failures, and jobs finished in the last minute per lane (the rate).
    index('jobs_failed_idx').on(t.lane, t.finishedAt).where(sql`status = 'failed'`),
    index('jobs_finished_idx').on(t.finishedAt, t.lane).where(sql`finished_at IS NOT NULL`),
    check('jobs_status_check', sql`status IN ('queued', 'running', 'done', 'failed')`),
  ],
);

export const jobLanes = pgTable('job_lanes', {
  lane: text('lane').primaryKey(),
  paused: boolean('paused').notNull().default(false),
});

/** Server-wide settings (ML settings, the vector index's state, ...), one JSON value per key. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
