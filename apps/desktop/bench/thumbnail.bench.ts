// Thumbnail throughput. JPEG: the engine's media workers (one per core, the thumbnail job's real
// work: decode with shrink-on-load, WebP thumbnail, thumbhash)
// against `vipsthumbnail -s 250` over the same files, one vipsthumbnail per core. HEIC: thumbnails
// per second and the slowest file. Engine: the main thread's event-loop delay during a full index.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { sniffFormat } from '@shoebox/core';
import { WorkerPool } from '@shoebox/media-node/workers/worker-pool';
import { MEDIA_WORKER_ENTRY } from '@shoebox/media-node/worker-entries';
import { CORPUS, round, shoeboxArgs, timed } from './bench-utils.ts';

const ROUNDS = 5;
/** Each round handles the file list this many times, so a round lasts long enough to measure. */
const REPEAT = 4;

const FILE_TYPES = new Map<string, string>();

/** exiftool's FileType, which the metadata job hands the thumbnail job in the engine. */
function fileTypeOf(file: string): string | null {
  return FILE_TYPES.get(file) ?? null;
}

function corpusFiles(format: 'jpeg' | 'heic'): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'broken' && e.name !== 'faces') walk(full);
        continue;
      }
      const head = Buffer.alloc(64);
      const fd = fs.openSync(full, 'r');
      fs.readSync(fd, head, 0, 64, 0);
      fs.closeSync(fd);
      if (sniffFormat(head) === format) {
        out.push(full);
        FILE_TYPES.set(full, format.toUpperCase());
      }
    }
  };
  walk(CORPUS);
  return out.sort();
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err.slice(-300)}`))));
  });
}

/** One vipsthumbnail per core, each over its share of the files. */
async function vipsRound(files: string[], out: string, cores: number, ext: 'jpg' | 'webp'): Promise<number> {
  const chunks: string[][] = Array.from({ length: cores }, () => []);
  files.forEach((f, i) => chunks[i % cores]!.push(f));
  const started = performance.now();
  await Promise.all(chunks.map((chunk, i) => run('vipsthumbnail', ['-s', '250', '-o', path.join(out, `${i}-%s.${ext}`), ...chunk])));
  return performance.now() - started;
}

function pool(cores: number): WorkerPool {
  return new WorkerPool({
    entry: MEDIA_WORKER_ENTRY,
    size: cores,
    init: { exiftoolProcs: 1 },
    perWorker: 4,
    log: pino({ level: 'silent' }),
    env: { ...process.env, VIPS_WARNING: '0' },
  });
}

function thumbnailRequest(file: string, out: string, i: number) {
  return {
    type: 'thumbnail' as const,
    input: { path: file, assetType: 'image' as const, fileType: fileTypeOf(file), duration: null, orientation: null },
    out: { thumbnail: path.join(out, `${i}.webp`), previewBase: path.join(out, `${i}-preview`) },
  };
}

async function engineRound(workers: WorkerPool, files: string[], out: string): Promise<number> {
  const started = performance.now();
  await Promise.all(files.map((f, i) => workers.call(thumbnailRequest(f, out, i))));
  return performance.now() - started;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function thumbnailBench(): Promise<Record<string, unknown>> {
  const cores = os.availableParallelism();
  const jpegs = corpusFiles('jpeg');
  const heics = corpusFiles('heic');
  const work = Array.from({ length: REPEAT }, () => jpegs).flat();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-thumbs-'));
  const workers = pool(cores);
  try {
    // Warm up both (page cache, worker start, WebAssembly compilation).
    await engineRound(workers, jpegs, tmp);
    await vipsRound(jpegs, tmp, cores, 'jpg');
    const ours: number[] = [];
    const vipsJpg: number[] = [];
    const vipsWebp: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // Interleaved, so that both see the same machine.
      ours.push(await engineRound(workers, work, tmp));
      vipsJpg.push(await vipsRound(work, tmp, cores, 'jpg'));
      vipsWebp.push(await vipsRound(work, tmp, cores, 'webp'));
    }
    const perSecond = (ms: number): number => round((work.length / ms) * 1000, 1);

    // HEIC: throughput over all files at once, then each file alone for the slowest.
    await engineRound(workers, heics, tmp);
    const heicRounds: number[] = [];
    for (let r = 0; r < ROUNDS; r++) heicRounds.push(await engineRound(workers, heics, tmp));
    const single: { file: string; ms: number }[] = [];
    for (const [i, f] of heics.entries()) {
      const started = performance.now();
      await workers.call(thumbnailRequest(f, tmp, 10_000 + i));
      single.push({ file: path.relative(CORPUS, f), ms: round(performance.now() - started, 1) });
    }
    const slowest = single.reduce((a, b) => (b.ms > a.ms ? b : a));

    return {
      jpeg: {
        files: jpegs.length,
        thumbnailsPerRound: work.length,
        cores,
        shoeboxPerSecond: perSecond(median(ours)),
        vipsthumbnailPerSecond: perSecond(median(vipsJpg)),
        vipsthumbnailWebpPerSecond: perSecond(median(vipsWebp)),
        ratioVsVipsthumbnail: round(median(vipsJpg) / median(ours), 3),
        ratioVsVipsthumbnailWebp: round(median(vipsWebp) / median(ours), 3),
        target: 0.85,
        note: 'Shoebox writes a WebP thumbnail 250 px on the short side and computes a thumbhash, converting embedded colour profiles to sRGB; `vipsthumbnail -s 250` writes a JPEG 250 px on the long side (about half the pixels) and keeps profiles; the WebP variant gives vipsthumbnail the same output format',
      },
      heic: {
        files: heics.length,
        thumbnailsPerSecond: round((heics.length / median(heicRounds)) * 1000, 1),
        slowest,
        each: single,
      },
      eventLoop: await eventLoopDuringIndex(),
    };
  } finally {
    await workers.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** A full index of the corpus (metadata and every derivative) and the main thread's delay meanwhile. */
async function eventLoopDuringIndex(): Promise<Record<string, unknown>> {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-index-'));
  try {
    const env = { ...process.env, SHOEBOX_LOG_LEVEL: 'error' };
    await timed(process.execPath, shoeboxArgs(data, 'add', CORPUS), { env });
    const index = await timed(process.execPath, shoeboxArgs(data, 'scan', '--wait'), { env });
    const status = await timed(process.execPath, shoeboxArgs(data, 'status', '--json'), { env });
    const parsed = JSON.parse(status.stdout) as { eventLoopDelay: Record<string, number> | null; jobs: { lane: string; done: number }[] };
    return {
      fullIndexMs: round(index.ms, 0),
      jobs: Object.fromEntries(parsed.jobs.map((l) => [l.lane, l.done])),
      eventLoopDelayMs: parsed.eventLoopDelay,
      targetP99Ms: 16,
    };
  } finally {
    fs.rmSync(data, { recursive: true, force: true });
  }
}
