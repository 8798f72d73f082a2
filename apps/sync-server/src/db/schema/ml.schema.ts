// People, faces, ML progress and CLIP embeddings, per owner (mirrors the desktop's ML tables).
// Vectors are stored as real[] everywhere; where the server has pgvector, a hand-written step
// (../vector.sql.ts) adds a generated `vector` column beside them for fast exact ranking.
import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, doublePrecision, index, jsonb, pgTable, primaryKey, real, text, unique, uuid } from 'drizzle-orm/pg-core';
import { ts } from './columns.ts';
import { ofAsset, owner } from './catalog.schema.ts';

/** People: clusters of one owner's faces; a name and visibility the user gives them. */
export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey(),
    ownerId: owner(),
    name: text('name').notNull().default(''),
    hidden: boolean('hidden').notNull().default(false),
    /** The face shown for the person, when the user chose one; else the best-detected face serves. */
    coverFaceId: uuid('cover_face_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [unique('people_id_owner_key').on(t.id, t.ownerId), index('people_owner_idx').on(t.ownerId)],
);

/**
 * Faces found in an asset's preview: box and landmarks as fractions of the upright picture, the
 * embedding MobileFaceNet's L2-normalised 128 floats.
 */
export const faces = pgTable(
  'faces',
  {
    id: uuid('id').primaryKey(),
    ownerId: owner(),
    assetId: uuid('asset_id').notNull(),
    /** Always a person of the same owner (the repositories only assign within an owner). */
    personId: uuid('person_id').references(() => people.id, { onDelete: 'set null' }),
    /** machine (clustering) | user (placed by hand: re-clustering leaves it alone); null without a person. */
    assignedBy: text('assigned_by', { enum: ['machine', 'user'] }),
    /** The user took it out of every person: clustering leaves it alone. */
    rejected: boolean('rejected').notNull().default(false),
    /** Clustering has looked at it. */
    clustered: boolean('clustered').notNull().default(false),
    x: doublePrecision('x').notNull(),
    y: doublePrecision('y').notNull(),
    width: doublePrecision('width').notNull(),
    height: doublePrecision('height').notNull(),
    /** [[x,y]×5]: eyes, nose tip, mouth corners (the subject's right first). */
    landmarks: jsonb('landmarks').$type<[number, number][]>().notNull(),
    score: doublePrecision('score').notNull(),
    embedding: real('embedding').array().notNull(),
    /** The cropped face (webp), relative to the data folder. */
    thumbnailPath: text('thumbnail_path'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    ofAsset(t.assetId, t.ownerId),
    index('faces_asset_idx').on(t.assetId),
    index('faces_person_idx').on(t.personId),
    index('faces_unclustered_idx').on(t.ownerId).where(sql`clustered = false`),
    check('faces_assigned_by_check', sql`assigned_by IS NULL OR assigned_by IN ('machine', 'user')`),
  ],
);

/** Which ML work is done for an asset, per task: the content and model it ran with, or why it failed. */
export const mlState = pgTable(
  'ml_state',
  {
    assetId: uuid('asset_id').notNull(),
    ownerId: owner(),
    task: text('task', { enum: ['faces', 'clip'] }).notNull(),
    checksum: text('checksum').notNull(),
    model: text('model').notNull(),
    error: text('error'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.assetId, t.task] }), ofAsset(t.assetId, t.ownerId)],
);

/** CLIP image embeddings, one per asset (unit length). `id` breaks ties in ranking, as on the desktop. */
export const smartEmbeddings = pgTable(
  'smart_embeddings',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    assetId: uuid('asset_id').notNull(),
    ownerId: owner(),
    model: text('model').notNull(),
    embedding: real('embedding').array().notNull(),
  },
  (t) => [
    unique('smart_embeddings_asset_key').on(t.assetId),
    ofAsset(t.assetId, t.ownerId),
    index('smart_embeddings_owner_idx').on(t.ownerId, t.model),
  ],
);
