// The tray over a fake: its menu is rebuilt only when what the menu shows changes (indexing,
// paused, up to date), never for a count, while the tooltip follows the counts at most once per
// interval and always ends on the last state.
import { describe, expect, it } from 'vitest';
import type { IndexingState } from '../../src/electron/main/indexing-progress.ts';
import { AppTray, type TrayCommands } from '../../src/electron/main/tray.ts';
import { FakeTray, findMenuItem } from './fake-electron.ts';

const IDLE: IndexingState = {
  type: 'progress', scanning: false, pending: 0, running: 0, done: 0, failed: 0, paused: false, waiting: 0, fraction: -1,
};

function working(done: number, total: number, extra: Partial<IndexingState> = {}): IndexingState {
  return { ...IDLE, pending: total - done - 1, running: 1, done, fraction: done / total, ...extra };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await wait(5);
  }
}

function tray(tooltipIntervalMs: number): { app: AppTray; fake: FakeTray; paused: boolean[] } {
  let fake: FakeTray | null = null;
  const paused: boolean[] = [];
  const commands: TrayCommands = {
    open: () => undefined, addFolder: () => undefined, rescan: () => undefined, quit: () => undefined,
    setPaused: (p) => void paused.push(p),
  };
  const app = new AppTray({ platform: 'linux', createTray: (icon) => (fake = new FakeTray(icon)) }, '/icon.png', commands, IDLE, { tooltipIntervalMs });
  return { app, fake: fake!, paused };
}

describe('tray', () => {
  it('rebuilds its menu only when its status line or the pause item changes', () => {
    const { app, fake, paused } = tray(0);
    expect(fake.menuBuilds).toBe(1);
    expect(fake.menu[0]).toMatchObject({ label: 'Library up to date', enabled: false });
    for (let done = 0; done < 100; done++) app.showProgress(working(done, 100, { scanning: done < 10 }));
    expect(fake.menuBuilds).toBe(2);
    expect(fake.menu[0]!.label).toBe('Indexing…');
    // The counts are in the tooltip.
    expect(fake.tooltips.at(-1)).toBe('Shoebox — Indexing: 99 of 100');

    app.showProgress({ ...IDLE, paused: true, waiting: 40 });
    app.showProgress({ ...IDLE, paused: true, waiting: 39 });
    expect(fake.menuBuilds).toBe(3);
    expect(fake.menu[0]!.label).toBe('Indexing paused');
    fake.click('Resume Indexing');
    expect(paused).toEqual([false]);
    app.showProgress(working(1, 40));
    expect(fake.menuBuilds).toBe(4);
    expect(findMenuItem(fake.menu, 'Pause Indexing')).toBeDefined();
    app.showProgress(IDLE);
    app.showProgress({ ...IDLE, done: 40 });
    expect(fake.menuBuilds).toBe(5);
    expect(fake.menu[0]!.label).toBe('Library up to date');
    app.destroy();
  });

  it('changes the tooltip at most once per interval, ending on the last state', async () => {
    const { app, fake } = tray(80);
    expect(fake.tooltips).toEqual(['Shoebox — Library up to date']);
    for (let done = 0; done < 50; done++) app.showProgress(working(done, 50));
    // The first change waits out the interval since the last one; the ones after it are merged.
    expect(fake.tooltips).toHaveLength(1);
    await until(() => fake.tooltips.length > 1, 'the merged tooltip');
    expect(fake.tooltips).toEqual(['Shoebox — Library up to date', 'Shoebox — Indexing: 49 of 50']);
    app.showProgress({ ...IDLE, done: 50 });
    await until(() => fake.tooltips.length > 2, 'the last tooltip');
    expect(fake.tooltips.at(-1)).toBe('Shoebox — Library up to date');
    // A change after a quiet spell shows at once.
    await wait(100);
    app.showProgress(working(0, 3));
    expect(fake.tooltips.at(-1)).toBe('Shoebox — Indexing: 0 of 3');
    // Nothing is set on a destroyed tray.
    app.showProgress(working(1, 3));
    app.destroy();
    await wait(120);
    expect(fake.tooltips.at(-1)).toBe('Shoebox — Indexing: 0 of 3');
  });
});
