// Metadata throughput over the corpus images: the engine's worker pool (exiftool in each worker,
// structure checks, IPC) against one `exiftool -json -n -fast` batch over the same files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pino } from 'pino';
import { roleByName } from '@shoebox/core';
import { WorkerPool } from '../src/workers/worker-pool.ts';
import { CORPUS, round, timed } from './bench-utils.ts';

const ROUNDS = 3;

function corpusImages(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (roleByName(e.name) === 'image') out.push(full);
    }
  };
  walk(CORPUS);
  return out.sort();
}

function vendoredExiftool(): string {
  const require = createRequire(import.meta.url);
  const vendored = path.dirname(require.resolve('exiftool-vendored/package.json'));
  const pl = path.dirname(createRequire(path.join(vendored, 'package.json')).resolve('exiftool-vendored.pl/package.json'));
  return path.join(pl, 'bin', 'exiftool');
}

export async function metadataBench(): Promise<Record<string, unknown>> {
  const files = corpusImages();
  const exiftool = vendoredExiftool();
  const argfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-')), 'files.txt');
  fs.writeFileSync(argfile, files.join('\n'));
  const pool = new WorkerPool({
    entry: path.resolve(import.meta.dirname, '../src/workers/media.worker.ts'),
    size: os.availableParallelism(),
    init: { exiftoolProcs: 1 },
    perWorker: 4,
    log: pino({ level: 'silent' }),
  });
  try {
    // Warm both: perl start-up and the page cache are not what is measured.
    await Promise.all(files.slice(0, 4).map((f) => pool.call({ type: 'metadata', path: f, sidecars: [] })));
    await timed('perl', [exiftool, '-json', '-n', '-fast', '-@', argfile]);
    let oursBest = Infinity;
    let refBest = Infinity;
    for (let r = 0; r < ROUNDS; r++) {
      const ref = await timed('perl', [exiftool, '-json', '-n', '-fast', '-@', argfile]);
      refBest = Math.min(refBest, ref.ms);
      const started = performance.now();
      await Promise.all(files.map((f) => pool.call({ type: 'metadata', path: f, sidecars: [] }).catch(() => null)));
      oursBest = Math.min(oursBest, performance.now() - started);
    }
    return {
      files: files.length,
      ours: { filesPerSecond: round(files.length / (oursBest / 1000), 1), ms: Math.round(oursBest), workers: os.availableParallelism() },
      reference: { tool: 'exiftool -json -n -fast (one batch)', filesPerSecond: round(files.length / (refBest / 1000), 1), ms: Math.round(refBest) },
      ratioToReference: round(refBest / oursBest),
      target: 0.8,
    };
  } finally {
    await pool.close();
  }
}
