// `pnpm bench`: runs every benchmark and prints one JSON document. Not part of the tests.
import os from 'node:os';
import { browserBench } from './browser.bench.ts';
import { facesBench } from './faces.bench.ts';
import { metadataBench } from './metadata.bench.ts';
import { scanBench } from './scan.bench.ts';
import { searchBench } from './search.bench.ts';
import { thumbnailBench } from './thumbnail.bench.ts';
import { timelineBench } from './timeline.bench.ts';

const only = process.argv.slice(2);
const benches: Record<string, () => Promise<Record<string, unknown>>> = {
  scan: scanBench,
  metadata: metadataBench,
  thumbnail: thumbnailBench,
  browser: browserBench,
  timeline: timelineBench,
  faces: facesBench,
  search: searchBench,
};

const results: Record<string, unknown> = {
  machine: { cpus: os.availableParallelism(), memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  startedAt: new Date().toISOString(),
};
for (const [name, run] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue;
  process.stderr.write(`bench ${name}...\n`);
  try {
    results[name] = await run();
  } catch (error) {
    results[name] = { error: error instanceof Error ? error.message : String(error) };
  }
}
console.log(JSON.stringify(results, null, 2));
