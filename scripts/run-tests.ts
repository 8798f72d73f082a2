// Runs each package's vitest suite in turn and prints one closing tally line for the whole run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const packages = ['packages/core', 'packages/media-node', 'packages/ui', 'apps/desktop', 'apps/sync-server'];
let passed = 0;
let failed = 0;
let skipped = 0;
let broken = false;

for (const pkg of packages) {
  const dir = path.join(root, pkg);
  if (!fs.existsSync(path.join(dir, 'vitest.config.ts'))) continue;
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-vitest-')), 'report.json');
  console.error(`\n== ${pkg}`);
  const run = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    { cwd: dir, stdio: 'inherit', env: process.env },
  );
  if (fs.existsSync(report)) {
    const r = JSON.parse(fs.readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + r.numTodoTests;
  }
  if (run.status !== 0) broken = true;
}

console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (broken && failed === 0) console.error('a test run failed outside its tests (see above)');
process.exit(broken || failed > 0 || passed === 0 ? 1 : 0);
