// Smart search over the catalog: the vector index ranks, the grid's filter SQL restricts, and the
// ranked ids come back as grid cells with their scores.
import type { RankedAsset } from '@shoebox/core/contract';
import type { SmartSearchIndex, TimelineFilter } from '@shoebox/core';
import type { Sqlite } from '../db/connection.ts';
import type { ClipVectorIndex } from '../search/clip-vector-index.ts';
import { TIMELINE_COLUMNS, toTimelineAsset, type TimelineRow } from './asset.mapper.ts';
import { timelineFilterSql } from './timeline-filter.sql.ts';

export class SmartSearchSqlite implements SmartSearchIndex {
  private readonly sqlite: Sqlite;
  private readonly vectors: ClipVectorIndex;
  private readonly model: () => string;

  constructor(sqlite: Sqlite, vectors: ClipVectorIndex, model: () => string) {
    this.sqlite = sqlite;
    this.vectors = vectors;
    this.model = model;
  }

  search(_ownerId: string, vector: Float32Array, filter: TimelineFilter, limit: number, excludeAssetId?: string): RankedAsset[] {
    const hits = this.vectors.search(vector, {
      limit,
      filter: timelineFilterSql(filter, 'lookup'),
      model: this.model(),
      ...(excludeAssetId ? { excludeAssetId } : {}),
    });
    if (hits.length === 0) return [];
    const rows = this.sqlite
      .prepare(`SELECT ${TIMELINE_COLUMNS} FROM assets a WHERE a.id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(hits.map((h) => h.assetId))) as TimelineRow[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const ranked: RankedAsset[] = [];
    for (const h of hits) {
      const row = byId.get(h.assetId);
      if (row) ranked.push({ ...toTimelineAsset(row), score: h.score });
    }
    return ranked;
  }

  embedding(_ownerId: string, assetId: string): Float32Array | null {
    return this.vectors.get(assetId);
  }

  assetExists(_ownerId: string, assetId: string): boolean {
    return this.sqlite.prepare(`SELECT 1 FROM assets WHERE id = ? AND visibility != 'removed'`).get(assetId) !== undefined;
  }

  count(): number {
    return this.vectors.count();
  }

  modelId(): string {
    return this.model();
  }
}
