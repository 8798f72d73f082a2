// Indexing progress from a fake engine: counts per burst of work, read at most once per interval,
// scans shown while they run, pausing shown as paused rather than as work going on, and jobs that
// only wait out a retry delay read when due (or every waiting interval), not every interval.
import type { JobLane, JobsStatus } from '@shoebox/core/contract';
import { describe, expect, it } from 'vitest';
import { IndexingProgress, progressLabel, type IndexingState } from '../../src/electron/main/indexing-progress.ts';

class FakeEngine {
  counts = { queued: 0, running: 0, done: 0, failed: 0 };
  paused = false;
  /** Lanes paused on their own (the jobs page pauses one lane). */
  pausedLanes = new Set<JobLane>();
  reads = 0;
  /** When the next queued job is due (ms), as the queue answers; null: none queued. */
  due: number | null = 0;
  dueAsked: string[][] = [];
  private settled: (() => void)[] = [];

  readonly queue = {
    status: (): JobsStatus => {
      this.reads++;
      const lanes = (['io', 'media', 'ml', 'sync'] as JobLane[]).map((lane) => ({
        lane, queued: 0, running: 0, done: 0, failed: 0, paused: this.paused || this.pausedLanes.has(lane), perMinute: 0,
      }));
      Object.assign(lanes[1]!, this.counts);
      return { lanes, recentFailures: [] };
    },
    hasWork: () => !this.paused && this.counts.queued + this.counts.running > 0,
    nextDueIn: (lanes: readonly JobLane[]): number | null => {
      this.dueAsked.push([...lanes]);
      return this.due;
    },
  };
  readonly runner = { onSettled: (l: () => void) => void this.settled.push(l) };
  readonly scanner = { busy: false };

  settle(): void {
    for (const l of this.settled) l();
  }
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('indexing progress', () => {
  it('counts from the start of each burst of work, reads at most once per interval, and ends idle', async () => {
    const engine = new FakeEngine();
    // An earlier session's finished work is not this burst's.
    engine.counts = { queued: 0, running: 0, done: 500, failed: 3 };
    const progress = new IndexingProgress(engine, { intervalMs: 40 });
    const seen: IndexingState[] = [];
    progress.onChange((s) => seen.push(s));

    engine.counts = { queued: 6, running: 2, done: 502, failed: 3 };
    const readsBefore = engine.reads;
    for (let i = 0; i < 50; i++) engine.settle();
    await wait(10);
    expect(engine.reads - readsBefore).toBe(1);
    expect(progress.current()).toMatchObject({ pending: 6, running: 2, done: 2, failed: 0, fraction: 0.2 });
    expect(progressLabel(progress.current())).toBe('Indexing: 2 of 10');

    engine.counts = { queued: 0, running: 0, done: 511, failed: 4 };
    await wait(60);
    // Idle: no bar, and what the burst did.
    expect(progress.current()).toMatchObject({ pending: 0, running: 0, done: 11, failed: 1, fraction: -1, scanning: false });
    expect(progressLabel(progress.current())).toBe('Library up to date');

    // The next burst starts from zero again.
    engine.counts = { queued: 1, running: 0, done: 511, failed: 4 };
    engine.settle();
    await wait(60);
    expect(progress.current()).toMatchObject({ pending: 1, done: 0, failed: 0, fraction: 0 });
    progress.dispose();
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });

  it('shows a scan while it runs, and paused lanes as paused', async () => {
    const engine = new FakeEngine();
    const progress = new IndexingProgress(engine, { intervalMs: 20 });
    let finish: () => void = () => undefined;
    void progress.track(new Promise<void>((resolve) => {
      finish = resolve;
    }));
    await wait(30);
    expect(progress.current()).toMatchObject({ scanning: true, fraction: 0 });
    expect(progressLabel(progress.current())).toBe('Scanning folders…');
    finish();
    await wait(50);
    expect(progress.current()).toMatchObject({ scanning: false, fraction: -1 });
    // A scan nobody tracked (the watcher's) shows as well.
    engine.scanner.busy = true;
    expect(progress.refresh()).toMatchObject({ scanning: true });
    engine.scanner.busy = false;
    expect(progress.refresh()).toMatchObject({ scanning: false });

    engine.paused = true;
    engine.counts = { queued: 7, running: 0, done: 0, failed: 0 };
    const state = progress.refresh();
    // Paused work is not work going on: no bar, no count to go, but the tray says it waits.
    expect(state).toMatchObject({ pending: 0, paused: true, waiting: 7, fraction: -1 });
    expect(progressLabel(state)).toBe('Indexing paused (7 waiting)');
    progress.dispose();
  });

  it('reads slowly while queued jobs only wait out a retry delay, when the next is due, and at once when one settles', async () => {
    const engine = new FakeEngine();
    // Three jobs wait for their retry, ten minutes away; nothing runs.
    engine.counts = { queued: 3, running: 0, done: 0, failed: 1 };
    engine.due = 600_000;
    const progress = new IndexingProgress(engine, { intervalMs: 10, waitingIntervalMs: 250 });
    expect(progress.refresh()).toMatchObject({ pending: 3, running: 0 });
    expect(engine.dueAsked.at(-1)).toEqual(['io', 'media', 'ml']);
    let reads = engine.reads;
    await wait(150);
    // Every 10 ms before: now nothing until the waiting interval.
    expect(engine.reads - reads).toBe(0);
    await wait(250);
    expect(engine.reads - reads).toBeGreaterThanOrEqual(1);
    expect(engine.reads - reads).toBeLessThanOrEqual(2);

    // The next job is due soon: read when it is, not later.
    engine.due = 60;
    progress.refresh();
    reads = engine.reads;
    await wait(30);
    expect(engine.reads - reads).toBe(0);
    await wait(80);
    expect(engine.reads - reads).toBeGreaterThanOrEqual(1);
    expect(engine.reads - reads).toBeLessThanOrEqual(3);

    // A job that settles (it ran after all) brings the next reading forward, and work that runs
    // is read every interval again.
    engine.due = 600_000;
    progress.refresh();
    reads = engine.reads;
    engine.counts = { queued: 2, running: 1, done: 1, failed: 1 };
    engine.settle();
    await wait(100);
    expect(engine.reads - reads).toBeGreaterThanOrEqual(3);
    expect(progress.current()).toMatchObject({ pending: 2, running: 1, done: 1 });

    // A paused lane is not asked about.
    engine.counts = { queued: 2, running: 0, done: 1, failed: 1 };
    engine.pausedLanes.add('ml');
    progress.refresh();
    expect(engine.dueAsked.at(-1)).toEqual(['io', 'media']);
    progress.dispose();
    reads = engine.reads;
    await wait(50);
    expect(engine.reads).toBe(reads);
  });
});
