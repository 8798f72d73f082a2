// The CLI's commands. Each opens the engine on the data folder, does one thing and closes it.
import { randomBytes } from 'node:crypto';
import { AppError } from '@shoebox/core/contract';
import type { RegenerateScope } from '@shoebox/core';
import type { Logger } from 'pino';
import { Engine } from '../engine/engine.ts';
import { LOCAL_OWNER } from '../engine/engine.ts';
import { LoopMonitor } from '../engine/loop-monitor.ts';
import { acquireDataLock } from '../engine/data-lock.ts';
import { assetReport } from './asset-report.ts';
import { Progress } from './progress.ts';

export interface GlobalOptions {
  data: string;
  log: Logger;
}

function open(g: GlobalOptions): Engine {
  return new Engine({ dataDir: g.data, mode: 'headless', log: g.log });
}

export async function withEngine<T>(g: GlobalOptions, fn: (engine: Engine) => Promise<T> | T): Promise<T> {
  const engine = open(g);
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

export async function addCommand(g: GlobalOptions, folders: string[]): Promise<void> {
  await withEngine(g, async (engine) => {
    for (const folder of folders) {
      const root = await engine.library.add(LOCAL_OWNER, folder);
      console.log(`added ${root.path}`);
    }
  });
}

export async function removeCommand(g: GlobalOptions, folder: string): Promise<void> {
  await withEngine(g, async (engine) => {
    const root = await engine.library.find(LOCAL_OWNER, folder);
    if (!root) throw new AppError('ROOT_NOT_FOUND', `not a library folder: ${folder}`);
    const removed = await engine.library.remove(LOCAL_OWNER, root.id);
    console.log(`removed ${root.path} (${removed} assets left the catalog; no file was touched)`);
  });
}

/** Resolves when the queue is empty, showing job progress meanwhile. */
async function runQueue(engine: Engine, progress: Progress): Promise<void> {
  const total = (): { done: number; all: number; failed: number } => {
    const s = engine.queue.status(0);
    let done = 0;
    let all = 0;
    let failed = 0;
    for (const l of s.lanes) {
      done += l.done + l.failed;
      failed += l.failed;
      all += l.done + l.failed + l.queued + l.running;
    }
    return { done, all, failed };
  };
  const timer = setInterval(() => {
    const t = total();
    progress.update('processing', t.done, t.all, t.failed ? `${t.failed} failed` : '');
  }, 250);
  try {
    await engine.whenIdle();
  } finally {
    clearInterval(timer);
  }
  const t = total();
  progress.finish(`processed ${t.all} jobs, ${t.failed} failed`);
}

/**
 * Runs a command that writes to the library: holds the data-folder lock, and on Ctrl-C closes the
 * engine (recording the jobs in flight) before it exits.
 */
export async function withWritingEngine(g: GlobalOptions, fn: (engine: Engine) => Promise<void>): Promise<void> {
  const unlock = acquireDataLock(g.data);
  const engine = open(g);
  const stop = (): void => {
    void engine.close().finally(() => {
      unlock();
      process.exit(130);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await fn(engine);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await engine.close();
    unlock();
  }
}

export async function scanCommand(g: GlobalOptions, opts: { wait?: boolean; retryFailed?: boolean }): Promise<void> {
  await withWritingEngine(g, async (engine) => {
    if (opts.wait) engine.startJobs();
    const progress = new Progress();
    const result = await engine.scanner.scan({ retryFailed: opts.retryFailed ?? false }, (p) => {
      progress.update('scanning', p.seen, null, `${p.added} new`);
    });
    progress.finish(
      `scanned ${result.roots} folders in ${result.durationMs} ms: ${result.seen} files, ${result.added} new, ` +
        `${result.changed} changed, ${result.moved} moved, ${result.duplicates} duplicates, ${result.offline} offline, ` +
        `${result.unchanged} unchanged${result.failed ? `, ${result.failed} unreadable` : ''}; ${result.jobsQueued} jobs queued`,
    );
    if (opts.wait) await runQueue(engine, progress);
  });
}

export async function regenerateCommand(g: GlobalOptions, opts: { thumbnails?: boolean; videos?: boolean }): Promise<void> {
  const both = !opts.thumbnails && !opts.videos;
  const scope: RegenerateScope[] = [...(both || opts.thumbnails ? ['images' as const] : []), ...(both || opts.videos ? ['videos' as const] : [])];
  await withWritingEngine(g, async (engine) => {
    const { sqlite } = engine.catalog;
    const known = sqlite.prepare('SELECT 1 FROM assets WHERE id = ?');
    const swept = await engine.derivatives.sweep((id) => known.get(id) !== undefined);
    const queued = sqlite.transaction(() => {
      // Thumbnails (and previews) of every photo and video; their follow-ups carry the scope on,
      // so with --videos too the transcodes are remade after the poster frames.
      const byScope = scope.includes('images')
        ? `SELECT id FROM assets WHERE status = 'ok' AND offline = 0 AND visibility != 'removed'`
        : `SELECT id FROM assets WHERE status = 'ok' AND offline = 0 AND visibility != 'removed' AND type = 'video'`;
      const ids = sqlite.prepare(byScope).pluck().all() as string[];
      const name = scope.includes('images') ? ('thumbnail' as const) : ('transcode' as const);
      return engine.queue.enqueue(ids.map((assetId) => ({ name, payload: { assetId, force: scope } })));
    }).immediate();
    console.log(`regenerating ${scope.join(' and ')} for ${queued} assets${swept ? ` (removed ${swept} files no asset owns)` : ''}`);
    engine.startJobs();
    await runQueue(engine, new Progress());
  });
}

export async function statusCommand(g: GlobalOptions, opts: { json?: boolean }): Promise<void> {
  await withEngine(g, async (engine) => {
    const { sqlite } = engine.catalog;
    const a = sqlite
      .prepare(`
        SELECT
          coalesce(sum(type = 'image' AND visibility = 'timeline' AND duplicate_of IS NULL), 0) AS image,
          coalesce(sum(type = 'video' AND visibility = 'timeline' AND duplicate_of IS NULL), 0) AS video,
          coalesce(sum(visibility = 'hidden'), 0) AS livePhotoVideos,
          coalesce(sum(duplicate_of IS NOT NULL), 0) AS duplicates,
          coalesce(sum(status = 'pending'), 0) AS pending,
          coalesce(sum(status = 'failed'), 0) AS failed,
          coalesce(sum(offline = 1), 0) AS offline,
          count(*) AS files
        FROM assets WHERE visibility != 'removed'`)
      .get() as Record<string, number>;
    const jobs = engine.queue.status(50);
    const status = {
      dataDir: engine.dataDir,
      roots: await engine.library.list(LOCAL_OWNER),
      assets: a,
      jobs: jobs.lanes,
      failures: jobs.recentFailures,
      eventLoopDelay: LoopMonitor.load(sqlite),
    };
    if (opts.json) {
      console.log(JSON.stringify(status, null, 2));
      return;
    }
    console.log(`data folder: ${status.dataDir}`);
    for (const r of status.roots) console.log(`folder: ${r.path} (${r.assetCount} files${r.online ? '' : ', OFFLINE'})`);
    console.log(`assets: ${a.image} photos, ${a.video} videos; ${a.duplicates} duplicates, ${a.pending} pending, ${a.failed} failed, ${a.offline} offline`);
    for (const l of jobs.lanes) {
      if (l.queued + l.running + l.done + l.failed === 0) continue;
      console.log(`jobs ${l.lane}: ${l.queued} queued, ${l.running} running, ${l.done} done, ${l.failed} failed${l.paused ? ' (paused)' : ''}`);
    }
    for (const f of jobs.recentFailures.slice(0, 20)) console.log(`failed: ${f.path ?? f.name}: ${f.error}`);
    if (status.eventLoopDelay) console.log(`event-loop delay (last run): p99 ${status.eventLoopDelay.p99Ms} ms`);
  });
}

export async function assetsCommand(g: GlobalOptions, opts: { json?: boolean; failed?: boolean }): Promise<void> {
  await withEngine(g, (engine) => {
    const rows = assetReport(engine.catalog.sqlite, engine.dataDir, { failed: opts.failed ?? false });
    if (opts.json) {
      console.log(JSON.stringify(rows, null, 2));
      return;
    }
    for (const r of rows) {
      const size = r.width && r.height ? `${r.width}x${r.height}` : '-';
      const camera = [r.make, r.model].filter(Boolean).join(' ') || '-';
      console.log(`${r.status.padEnd(7)} ${r.type.padEnd(5)} ${r.takenAt.padEnd(29)} ${size.padEnd(11)} ${camera.padEnd(24)} ${r.path}${r.error ? `  (${r.error})` : ''}`);
    }
    console.error(`${rows.length} assets`);
  });
}

export async function serveCommand(g: GlobalOptions, opts: { port: string; scan: boolean; watch: boolean }): Promise<void> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError('BAD_REQUEST', `invalid port: ${opts.port}`);
  const unlock = acquireDataLock(g.data);
  const engine = open(g);
  const token = randomBytes(24).toString('base64url');
  // Express loads only for `serve`: the other commands stay light.
  const { startServer } = await import('../http/http.server.ts');
  const server = await startServer(engine, { port, token, log: g.log.child({ component: 'http' }) }).catch(async (error: unknown) => {
    await engine.close();
    unlock();
    throw error;
  });
  engine.startJobs();
  if (opts.watch) engine.startWatching();
  console.log('Shoebox is serving your library on this computer only. Open:');
  console.log(server.url);
  const saver = setInterval(() => engine.loop.save(), 10_000);
  const shutdown = (): void => {
    clearInterval(saver);
    void server.close().then(() => engine.close()).finally(() => {
      unlock();
      process.exit(0);
    });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  if (opts.scan) {
    engine.scanner.scan({ retryFailed: false }).catch((error: unknown) => g.log.error({ err: error }, 'scan failed'));
  }
}
