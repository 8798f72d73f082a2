// Indexing progress from a fake engine: counts per burst of work, read at most once per interval,
// scans shown while they run, pausing shown as paused rather than as work going on.
import type { JobLane, JobsStatus } from '@shoebox/core/contract';
import { describe, expect, it } from 'vitest';
import { IndexingProgress, progressLabel, type IndexingState } from '../../src/electron/main/indexing-progress.ts';

class FakeEngine {
  counts = { queued: 0, running: 0, done: 0, failed: 0 };
  paused = false;
  reads = 0;
  private settled: (() => void)[] = [];

  readonly queue = {
    status: (): JobsStatus => {
      this.reads++;
      const lanes = (['io', 'media', 'ml', 'sync'] as JobLane[]).map((lane) => ({
        lane, queued: 0, running: 0, done: 0, failed: 0, paused: this.paused, perMinute: 0,
      }));
      Object.assign(lanes[1]!, this.counts);
      return { lanes, recentFailures: [] };
    },
    hasWork: () => !this.paused && this.counts.queued + this.counts.running > 0,
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
});
