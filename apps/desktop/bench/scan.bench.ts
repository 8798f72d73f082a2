// Crawl-and-insert and unchanged-rescan throughput on a generated tree of small files, with the
// engine's peak memory; references in the same run: `find | xargs sha1sum` (crawl + hash) and
// `find -printf` (crawl + stat).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { round, shoeboxArgs, timed, type Timed } from './bench-utils.ts';

const FILES = Number(process.env.BENCH_SCAN_FILES ?? 100_000);
const PER_DIR = 200;

function generateTree(root: string): void {
  const pool = randomBytes(1 << 20);
  for (let i = 0; i < FILES; i++) {
    const group = Math.floor(i / PER_DIR);
    const dir = path.join(root, `y${2000 + (group % 25)}`, `d${String(group).padStart(4, "0")}`);
    if (i % PER_DIR === 0) fs.mkdirSync(dir, { recursive: true });
    const size = 256 + (i % 1792);
    const offset = (i * 7919) % (pool.length - size - 8);
    const body = Buffer.concat([pool.subarray(offset, offset + size), Buffer.from(i.toString(16).padStart(8, '0'))]);
    fs.writeFileSync(path.join(dir, `IMG_${String(i).padStart(6, '0')}.jpg`), body);
  }
}

function scanMs(stderr: string): number {
  const m = /in (\d+) ms: (\d+) files/.exec(stderr);
  if (!m) throw new Error(`unexpected scan output: ${stderr}`);
  return Number(m[1]);
}

/** Files per second of a scan (as it reports its own duration) against a reference command. */
function throughput(run: Timed, target: number, tool: string, reference: Timed): Record<string, unknown> {
  const ms = scanMs(run.stderr);
  return {
    filesPerSecond: Math.round(FILES / (ms / 1000)),
    scanMs: ms,
    processWallMs: Math.round(run.ms),
    target,
    reference: { tool, filesPerSecond: Math.round(FILES / (reference.ms / 1000)) },
    ratioToReference: round(reference.ms / ms),
  };
}

export async function scanBench(): Promise<Record<string, unknown>> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-tree-'));
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-data-'));
  try {
    generateTree(root);
    const node = process.execPath;
    const env = { ...process.env, SHOEBOX_LOG_LEVEL: 'error' };
    await timed(node, shoeboxArgs(data, 'add', root), { env });
    // Drop nothing from the page cache (no root rights assumed); warm it the same way for everyone.
    await timed('find', [root, '-type', 'f', '-printf', '.']);

    const refHash = await timed('sh', ['-c', `find "${root}" -type f -print0 | xargs -0 -P 2 sha1sum > /dev/null`]);
    const first = await timed(node, shoeboxArgs(data, 'scan'), { env });
    if (first.code !== 0) throw new Error(`scan failed: ${first.stderr}`);
    const refStat = await timed('find', [root, '-type', 'f', '-printf', '%s %T@\n'], {});
    const again = await timed(node, shoeboxArgs(data, 'scan'), { env });
    if (again.code !== 0) throw new Error(`rescan failed: ${again.stderr}`);

    return {
      files: FILES,
      crawlInsert: throughput(first, 10_000, 'find | xargs -P2 sha1sum', refHash),
      rescanUnchanged: throughput(again, 50_000, 'find -printf "%s %T@"', refStat),
      peakRssMb: { scan: first.peakRssMb, rescan: again.peakRssMb, target: 300 },
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(data, { recursive: true, force: true });
  }
}
