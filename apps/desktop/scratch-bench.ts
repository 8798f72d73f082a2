import fs from 'node:fs';
import { MetadataExtractor } from './src/media/metadata.extractor.ts';
const files = fs.readFileSync('/tmp/scratch/files.txt', 'utf8').trim().split('\n');
const procs = Number(process.argv[2] ?? 1);
const ex = new MetadataExtractor({ maxProcs: procs });
await ex.extract(files[0]!);
for (let round = 0; round < 2; round++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(files.map((f) => ex.extract(f)));
  const c = process.cpuUsage(c0);
  console.log('procs', procs, 'wall', Math.round(performance.now() - t0), 'node cpu', Math.round((c.user + c.system) / 1000));
}
await ex.end();
