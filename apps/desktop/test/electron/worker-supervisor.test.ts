// The media workers as utility processes: the real engine's pool over utilityLauncher, whose
// processes run the real media worker entry through its parentPort path. A worker killed (kill -9)
// in the middle of a job is replaced, the job runs again and the library ends complete, while the
// engine keeps answering; closing the engine ends the workers with the shutdown message.
import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine, LOCAL_OWNER } from '../../src/engine/engine.ts';
import { utilityLauncher } from '../../src/electron/main/utility-launcher.ts';
import { CORPUS, tempDir } from '../helpers/cli.ts';
import { FakeElectron, type FakeUtilityProcess } from './fake-electron.ts';

const silent = pino({ level: 'silent' });
// A video (probed, framed and transcoded: Chromium cannot play Motion JPEG) and a RAW make
// requests that take a while; the photos are quick.
const FILES = [
  'video/Canon_S40_MVI_0121.AVI', 'raw/canon_eos_6d.dng',
  'jpeg/cameras-small/Canon_40D.jpg', 'jpeg/cameras-small/Nikon_D70.jpg',
];
/** The job that made each kind of worker request. */
const JOB_OF: Record<string, string> = { metadata: 'metadata', thumbnail: 'thumbnail', preview: 'preview', video: 'transcode' };

const engines: Engine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('worker supervisor (utility processes)', () => {
  it('replaces a worker killed mid-job, retries its job, and every asset ends complete', async () => {
    const library = tempDir('sup-lib');
    for (const rel of FILES) fs.copyFileSync(path.join(CORPUS, rel), path.join(library, path.basename(rel)));
    const fake = new FakeElectron({ userData: tempDir('sup-user') });
    const engine = new Engine({ dataDir: tempDir('sup-data'), mode: 'desktop', log: silent, workers: 1, launcher: utilityLauncher(fake) });
    engines.push(engine);
    await engine.library.add(LOCAL_OWNER, library);
    engine.startJobs();
    await engine.scanner.scan({ retryFailed: false });

    // The first request a worker holds (its first metadata reads wait for exiftool to start): the
    // worker to kill. Later kinds of request would only wait longer for their retry (a transcode's
    // first retry comes after 30 s).
    const [victim, request] = await until<[FakeUtilityProcess, { type: string; path?: unknown; input?: unknown }]>(() => {
      for (const f of fake.forks) {
        const r = f.inFlight.values().next();
        if (!r.done) return [f, r.value];
      }
      return undefined;
    }, 'a request in a worker');
    const pid = victim.pid!;
    expect(victim.modulePath).toMatch(/media\.worker\.ts$/);
    process.kill(pid, 'SIGKILL');

    // The pool starts a new process in its place; the engine answers meanwhile.
    const replacement = await until(() => fake.forks.find((f) => f !== victim && f.pid !== undefined), 'a new worker');
    expect(replacement.pid).not.toBe(pid);
    expect(await engine.handlers.getServerInfo({ params: {}, query: {}, body: undefined } as never, { ownerId: LOCAL_OWNER })).toMatchObject({
      name: 'shoebox', mode: 'desktop',
    });
    await engine.whenIdle();
    expect(engine.pool().restarts).toBeGreaterThanOrEqual(1);
    expect(victim.exitSignal).toBe('SIGKILL');
    expect(alive(pid)).toBe(false);

    const { sqlite } = engine.catalog;
    const assets = sqlite.prepare(`
      SELECT a.id, a.path, a.status, a.error, d.thumbnail_path AS thumb, d.video_state AS videoState, d.video_path AS videoPath
      FROM assets a LEFT JOIN derivatives d ON d.asset_id = a.id ORDER BY a.path`).all() as {
        id: string; path: string; status: string; error: string | null; thumb: string | null; videoState: string | null; videoPath: string | null;
      }[];
    expect(assets.map((a) => `${path.basename(a.path)}: ${a.status}${a.error ? ` ${a.error}` : ''}`).sort())
      .toEqual(FILES.map((f) => `${path.basename(f)}: ok`).sort());
    for (const a of assets) expect(a.thumb && fs.existsSync(path.join(engine.dataDir, a.thumb)), a.path).toBe(true);

    // The killed request's job ran again, in the new worker, and its asset got everything.
    const killedPath = request.type === 'metadata' ? (request.path as string) : (request.input as { path: string }).path;
    const killed = assets.find((a) => a.path === killedPath)!;
    expect(killed).toBeDefined();
    const job = sqlite.prepare(`SELECT state, attempts FROM jobs WHERE name = ? AND asset_id = ?`)
      .get(JOB_OF[request.type], killed.id) as { state: string; attempts: number };
    expect(job).toEqual({ state: 'done', attempts: 2 });
    // The video was transcoded too (in the new worker).
    const video = assets.find((a) => a.path.endsWith('.AVI'))!;
    expect(video.videoState).toBe('transcoded');
    expect(fs.existsSync(path.join(engine.dataDir, video.videoPath!))).toBe(true);
    expect(sqlite.prepare(`SELECT count(*) FROM jobs WHERE state = 'failed'`).pluck().get()).toBe(0);

    // Closing asks each worker to end (over its parentPort) and they exit cleanly.
    await engine.close();
    engines.splice(0);
    const live = fake.forks.filter((f) => f !== victim);
    expect(live.length).toBeGreaterThanOrEqual(1);
    for (const f of fake.forks) expect(f.stray, 'messages that bypassed the parentPort').toEqual([]);
    for (const f of live) {
      expect(f.posted).toContainEqual({ type: 'shutdown' });
      expect({ code: f.exitCode, signal: f.exitSignal }).toEqual({ code: 0, signal: null });
    }
  });

  it('runs the ML worker over the same launcher and replaces it when it dies', async () => {
    const fake = new FakeElectron({ userData: tempDir('sup-user') });
    const engine = new Engine({ dataDir: tempDir('sup-data'), mode: 'desktop', log: silent, workers: 1, launcher: utilityLauncher(fake) });
    engines.push(engine);
    expect((await engine.ml.memory()).rssBytes).toBeGreaterThan(0);
    const first = fake.forks.find((f) => f.serviceName === 'ML worker')!;
    expect(first.modulePath).toMatch(/ml\.worker\.ts$/);
    const pid = first.pid!;
    process.kill(pid, 'SIGKILL');
    await until(() => (first.pid === undefined ? true : undefined), 'the ML worker to die');
    // The next request goes to a new ML worker.
    expect((await engine.ml.memory()).rssBytes).toBeGreaterThan(0);
    expect(engine.ml.pid()).not.toBe(pid);
    const second = fake.forks.filter((f) => f.serviceName === 'ML worker').at(-1)!;
    expect(second).not.toBe(first);
    await engine.close();
    engines.splice(0);
    expect({ code: second.exitCode, signal: second.exitSignal, stray: second.stray }).toEqual({ code: 0, signal: null, stray: [] });
  });
});
