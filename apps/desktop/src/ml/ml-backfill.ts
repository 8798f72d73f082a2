// Queues the ML jobs that were skipped: assets whose preview is ready but which have no faces or
// CLIP result for their current content and model (models arrived later, ML was off, a model
// changed). Runs at start and whenever models arrive or a feature is switched on, in slices so
// the main thread stays responsive on large libraries.
import { setImmediate as nextTick } from 'node:timers/promises';
import type { Sqlite } from '../db/connection.ts';
import type { JobQueue } from '../jobs/job.queue.ts';

const SLICE = 2_000;

export interface BackfillTask {
  task: 'faces' | 'clip';
  /** The model tag results must carry to count as done. */
  model: string;
}

export async function queueMissingMlJobs(sqlite: Sqlite, queue: JobQueue, tasks: readonly BackfillTask[]): Promise<number> {
  let queued = 0;
  for (const { task, model } of tasks) {
    const select = sqlite.prepare(`SELECT a.id FROM assets a JOIN derivatives d ON d.asset_id = a.id
      WHERE a.rowid > ? AND a.offline = 0 AND a.visibility != 'removed' AND a.status = 'ok'
        AND d.preview_path IS NOT NULL AND d.preview_checksum = a.checksum
        AND NOT EXISTS (SELECT 1 FROM ml_state m WHERE m.asset_id = a.id AND m.task = ? AND m.checksum = a.checksum AND m.model = ?)
      ORDER BY a.rowid LIMIT ?`);
    const rowOf = sqlite.prepare(`SELECT rowid FROM assets WHERE id = ?`).pluck();
    let after = 0;
    for (;;) {
      const ids = select.pluck().all(after, task, model, SLICE) as string[];
      if (ids.length === 0) break;
      queued += sqlite.transaction(() => queue.enqueue(ids.map((assetId) => ({ name: task, payload: { assetId } }))))();
      after = rowOf.get(ids[ids.length - 1]) as number;
      await nextTick();
    }
  }
  return queued;
}
