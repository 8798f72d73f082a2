// Smart search over Postgres, per owner: embeddings ranked by cosine similarity within a grid's
// filter (timeline-filter.pg.ts), best first, ties by insertion order, as the desktop ranks them
// exactly. With pgvector the generated `embedding_vec` column is ranked by its C cosine distance;
// without it the cosine is summed in SQL (fine for the few thousand photos of a small library;
// pgvector is what makes a large one fast).
import { and, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { RankedAsset } from '@shoebox/core/contract';
import type { SmartSearchIndex, TimelineFilter } from '@shoebox/core';
import type { Db } from '../db/database.ts';
import { smartEmbeddings } from '../db/schema.ts';
import { toTimelineAsset } from './asset.pg.mapper.ts';
import { first, isUuid, run, uuidList } from './pg.query.ts';
import { filterIdsValid, timelineWhere } from './timeline-filter.pg.ts';
import { TIMELINE_COLUMNS, a } from './timeline.pg.queries.ts';

/** A copy of `v` with unit length; throws on an empty, zero or non-finite vector. */
export function normalised(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  if (v.length === 0 || !Number.isFinite(sum) || sum === 0) throw new Error('embedding must be a non-zero, finite vector');
  const out = new Float32Array(v.length);
  const k = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * k;
  return out;
}

const s = alias(smartEmbeddings, 's');

const realArray = (v: Float32Array) => sql`${sql.param(Array.from(v))}::real[]`;

export class SmartSearchPg implements SmartSearchIndex {
  private readonly db: Db;
  private readonly hasVector: boolean;
  private readonly model: () => string;

  constructor(db: Db, hasVector: boolean, model: () => string) {
    this.db = db;
    this.hasVector = hasVector;
    this.model = model;
  }

  async search(ownerId: string, vector: Float32Array, filter: TimelineFilter, limit: number, excludeAssetId?: string): Promise<RankedAsset[]> {
    const n = Math.floor(limit);
    if (!(n > 0) || !isUuid(ownerId) || !filterIdsValid(filter, isUuid)) return [];
    const q = normalised(vector);
    const score = this.hasVector
      ? sql`(1 - (s.embedding_vec <=> ${`[${Array.from(q).join(',')}]`}::vector))`
      // Divided by the stored vector's length: rows written without upsert() may not be unit length.
      : sql`(SELECT sum(x::float8 * y::float8) / nullif(sqrt(sum(x::float8 * x::float8)), 0) FROM unnest(s.embedding, ${realArray(q)}) AS t(x, y))`;
    const found = await this.db
      .select({ ...TIMELINE_COLUMNS, score: sql<number>`${score}`.mapWith(Number).as('score') })
      .from(a)
      .innerJoin(s, sql`s.asset_id = a.id`)
      .where(and(
        timelineWhere(ownerId, filter),
        sql`s.owner_id = ${ownerId} AND s.model = ${this.model()} AND cardinality(s.embedding) = ${q.length}::int`,
        excludeAssetId ? sql`s.asset_id <> ${isUuid(excludeAssetId) ? excludeAssetId : null}::uuid` : undefined,
      ))
      .orderBy(sql`score DESC, s.id`)
      .limit(n);
    return found.map(({ score, ...row }) => ({ ...toTimelineAsset(row), score }));
  }

  async embedding(ownerId: string, assetId: string): Promise<Float32Array | null> {
    if (!isUuid(ownerId) || !isUuid(assetId)) return null;
    const row = await first<{ embedding: number[] }>(this.db, sql`SELECT embedding FROM smart_embeddings
      WHERE asset_id = ${assetId} AND owner_id = ${ownerId}`);
    return row ? Float32Array.from(row.embedding) : null;
  }

  async assetExists(ownerId: string, assetId: string): Promise<boolean> {
    if (!isUuid(ownerId) || !isUuid(assetId)) return false;
    return await first(this.db, sql`SELECT 1 AS ok FROM assets WHERE id = ${assetId} AND owner_id = ${ownerId} AND visibility <> 'removed'`) !== null;
  }

  async count(ownerId: string): Promise<number> {
    if (!isUuid(ownerId)) return 0;
    return (await first<{ n: number }>(this.db, sql`SELECT count(*)::int AS n FROM smart_embeddings WHERE owner_id = ${ownerId}`))?.n ?? 0;
  }

  modelId(): string {
    return this.model();
  }

  /** Stores an asset's embedding (normalised), replacing any; false when the owner has no such asset. */
  async upsert(ownerId: string, assetId: string, model: string, embedding: Float32Array): Promise<boolean> {
    if (!isUuid(ownerId) || !isUuid(assetId)) return false;
    const v = normalised(embedding);
    return await run(this.db, sql`INSERT INTO smart_embeddings (asset_id, owner_id, model, embedding)
      SELECT a.id, a.owner_id, ${model}, ${realArray(v)} FROM assets a WHERE a.id = ${assetId} AND a.owner_id = ${ownerId}
      ON CONFLICT (asset_id) DO UPDATE SET model = excluded.model, embedding = excluded.embedding`) > 0;
  }

  /** Deletes the embeddings of these assets (deleting an asset removes its own, by cascade). */
  async remove(ownerId: string, assetIds: readonly string[]): Promise<number> {
    if (!isUuid(ownerId) || assetIds.length === 0) return 0;
    return await run(this.db, sql`DELETE FROM smart_embeddings WHERE owner_id = ${ownerId} AND asset_id = ANY(${uuidList(assetIds)})`);
  }
}
