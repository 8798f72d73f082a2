// The sync server's benchmarks (`pnpm bench upload`): one JSON document on stdout.
import { uploadBench } from './upload.bench.ts';

const only = process.argv.slice(2);
const benches: Record<string, () => Promise<Record<string, unknown>>> = { upload: uploadBench };
const results: Record<string, unknown> = {};
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
