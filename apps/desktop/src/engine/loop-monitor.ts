// Measures the main thread's event-loop delay while the engine works and keeps the figures of the
// last run in the catalog, where `shoebox status --json` reads them.
import { monitorEventLoopDelay } from 'node:perf_hooks';

type IntervalHistogram = ReturnType<typeof monitorEventLoopDelay>;

/**
 * The histogram records the whole interval between two ticks of a timer armed every
 * RESOLUTION_MS; the loop's delay is what exceeds that interval.
 */
const RESOLUTION_MS = 5;
const delayMs = (ns: number): number => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);
import type { Sqlite } from '../db/connection.ts';

export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  samples: number;
  measuredAt: string;
}

export class LoopMonitor {
  private readonly sqlite: Sqlite;
  private histogram: IntervalHistogram | null = null;

  constructor(sqlite: Sqlite) {
    this.sqlite = sqlite;
  }

  start(): void {
    if (this.histogram) return;
    this.histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.histogram.enable();
  }

  snapshot(): LoopDelay | null {
    const h = this.histogram;
    if (!h || h.count === 0) return null;
    return {
      p50Ms: delayMs(h.percentile(50)),
      p99Ms: delayMs(h.percentile(99)),
      maxMs: delayMs(h.max),
      samples: h.count,
      measuredAt: new Date().toISOString(),
    };
  }

  /** Stores the figures so that another process can report them. */
  save(): void {
    const s = this.snapshot();
    if (!s) return;
    this.sqlite
      .prepare(`INSERT INTO meta (key, value) VALUES ('event_loop_delay', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`)
      .run(JSON.stringify(s));
  }

  stop(): void {
    this.histogram?.disable();
    this.histogram = null;
  }

  static load(sqlite: Sqlite): LoopDelay | null {
    const row = sqlite.prepare(`SELECT value FROM meta WHERE key = 'event_loop_delay'`).get() as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as LoopDelay) : null;
  }
}
