// Jobs that should be queued and are not: ML work that was skipped (models arrived later, ML was
// off, a model changed) and uploads whose metadata job was never queued (the server stopped between
// the two). Run at start (and the ML part when models arrive), in slices.
import { setImmediate as nextTick } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { PgJobQueue } from './job.pg.queue.ts';
import type { SqlDb } from './sql-exec.ts';

const SLICE = 1_000;

export interface BackfillTask {
  task: 'faces' | 'clip';
  /** The model tag results must carry to count as done. */
  model: string;
}

export async function queueMissingMlJobs(db: SqlDb, queue: PgJobQueue, tasks: readonly BackfillTask[]): Promise<number> {
  let queued = 0;
  for (const { task, model } of tasks) {
    let after: string | null = null;
    for (;;) {
      const rows: { id: string; owner_id: string }[] = await db.rows(sql`
        SELECT a.id, a.owner_id FROM assets a JOIN derivatives d ON d.asset_id = a.id
        WHERE a.offline = false AND a.visibility <> 'removed' AND a.status = 'ok'
          AND d.preview_path IS NOT NULL AND d.preview_checksum = a.checksum
          AND NOT EXISTS (SELECT 1 FROM ml_state m WHERE m.asset_id = a.id AND m.task = ${task} AND m.checksum = a.checksum AND m.model = ${model})
          ${after ? sql`AND a.id > ${after}` : sql``}
        ORDER BY a.id LIMIT ${SLICE}`);
      if (rows.length === 0) break;
      queued += await queue.enqueue(rows.map((r) => ({ name: task, payload: { assetId: r.id }, ownerId: r.owner_id })));
      after = rows[rows.length - 1]!.id;
      await nextTick();
    }
  }
  return queued;
}

/** Uploads whose `metadata` job was never queued (the server stopped between the two): queued now. */
export async function queueMissingMetadata(db: SqlDb, queue: PgJobQueue): Promise<number> {
  let queued = 0;
  let after: string | null = null;
  for (;;) {
    const rows: { id: string; owner_id: string }[] = await db.rows(sql`
      SELECT a.id, a.owner_id FROM assets a
      WHERE a.status = 'pending' AND a.visibility <> 'removed'
        AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.asset_id = a.id AND j.name = 'metadata')
        ${after ? sql`AND a.id > ${after}` : sql``}
      ORDER BY a.id LIMIT ${SLICE}`);
    if (rows.length === 0) break;
    queued += await queue.enqueue(rows.map((r) => ({ name: 'metadata' as const, payload: { assetId: r.id }, ownerId: r.owner_id })));
    after = rows[rows.length - 1]!.id;
    await nextTick();
  }
  return queued;
}
