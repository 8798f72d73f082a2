// `pnpm bench [name…]`: runs the desktop engine's and the sync server's benchmarks (each in its
// own process, each printing JSON) and prints one merged JSON document.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const suites = [
  { dir: 'apps/desktop', names: ['scan', 'metadata', 'thumbnail', 'browser', 'timeline', 'faces', 'search'] },
  { dir: 'apps/sync-server', names: ['upload'] },
];
const only = process.argv.slice(2);
const unknown = only.filter((n) => !suites.some((s) => s.names.includes(n)));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${suites.flatMap((s) => s.names).join(', ')}`);
  process.exit(2);
}
const results: Record<string, unknown> = {
  machine: { cpus: os.availableParallelism(), memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  startedAt: new Date().toISOString(),
};
for (const suite of suites) {
  const names = only.length ? suite.names.filter((n) => only.includes(n)) : suite.names;
  if (names.length === 0) continue;
  const run = spawnSync(process.execPath, [path.join(root, suite.dir, 'bench', 'run-all.ts'), ...names], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  try {
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    delete out.machine;
    delete out.startedAt;
    Object.assign(results, out);
  } catch {
    for (const n of names) results[n] = { error: `the ${suite.dir} benchmarks exited with ${run.status} and printed no JSON` };
  }
}
console.log(JSON.stringify(results, null, 2));
