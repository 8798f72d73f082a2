// Metadata throughput over the corpus images: the engine's worker pool (exiftool in each worker,
// structure checks, IPC) against one `exiftool -json -n -fast` batch over the same files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pino } from 'pino';
import { roleByName } from '@shoebox/core';
import { WorkerPool } from '@shoebox/media-node/workers/worker-pool';
import { MEDIA_WORKER_ENTRY } from '@shoebox/media-node/worker-entries';
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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-'));
  const argfile = path.join(dir, 'files.txt');
  fs.writeFileSync(argfile, files.join('\n'));
  // The same files split across one exiftool per core: the reference using every core, as we do.
  const cores = os.availableParallelism();
  const parts = Array.from({ length: cores }, (_, i) => {
    const part = path.join(dir, `files-${i}.txt`);
    fs.writeFileSync(part, files.filter((_f, j) => j % cores === i).join('\n'));
    return part;
  });
  const parallelRef = async (): Promise<number> => {
    const started = performance.now();
    await Promise.all(parts.map((p) => timed('perl', [exiftool, '-json', '-n', '-fast', '-@', p])));
    return performance.now() - started;
  };
  const pool = new WorkerPool({
    entry: MEDIA_WORKER_ENTRY,
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
    let parBest = Infinity;
    for (let r = 0; r < ROUNDS; r++) {
      const ref = await timed('perl', [exiftool, '-json', '-n', '-fast', '-@', argfile]);
      refBest = Math.min(refBest, ref.ms);
      parBest = Math.min(parBest, await parallelRef());
      const started = performance.now();
      await Promise.all(files.map((f) => pool.call({ type: 'metadata', path: f, sidecars: [] }).catch(() => null)));
      oursBest = Math.min(oursBest, performance.now() - started);
    }
    return {
      files: files.length,
      ours: { filesPerSecond: round(files.length / (oursBest / 1000), 1), ms: Math.round(oursBest), workers: os.availableParallelism() },
      reference: { tool: 'exiftool -json -n -fast (one batch)', filesPerSecond: round(files.length / (refBest / 1000), 1), ms: Math.round(refBest) },
      ratioToReference: round(refBest / oursBest),
      referenceAllCores: {
        tool: `exiftool -json -n -fast, ${cores} batches in parallel`,
        filesPerSecond: round(files.length / (parBest / 1000), 1),
        ms: Math.round(parBest),
      },
      ratioToReferenceAllCores: round(parBest / oursBest),
      target: 0.8,
    };
  } finally {
    await pool.close();
  }
}
