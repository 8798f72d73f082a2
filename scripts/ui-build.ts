// Builds packages/ui into its dist/ when a source file is newer than the last build. Shared by the
// UI's end-to-end tests and the browser benchmark, which both load the build through `shoebox serve`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const UI_DIR = path.resolve(import.meta.dirname, '..', 'packages', 'ui');
export const UI_DIST = path.join(UI_DIR, 'dist');

/** What goes into the build: sources, the page, static files and the build's own configuration. */
const INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'];

function newestMtime(file: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file shows as a newer directory
  for (const name of fs.readdirSync(file)) newest = Math.max(newest, newestMtime(path.join(file, name)));
  return newest;
}

export interface UiBuild {
  built: boolean;
  ms: number;
}

/** Runs `vite build` in packages/ui unless dist/index.html is newer than every input. */
export function ensureUiBuilt(): UiBuild {
  const started = performance.now();
  const builtAt = newestMtime(path.join(UI_DIST, 'index.html'));
  const changedAt = Math.max(...INPUTS.map((p) => newestMtime(path.join(UI_DIR, p))));
  if (builtAt > changedAt) return { built: false, ms: 0 };
  const vite = path.join(UI_DIR, 'node_modules', 'vite', 'bin', 'vite.js');
  // NODE_ENV from a test runner (vitest sets `test`) would make Vite bundle React's development build.
  const env = { ...process.env, NODE_ENV: 'production' };
  const run = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: UI_DIR, encoding: 'utf8', env });
  if (run.status !== 0) {
    throw new Error(`vite build in packages/ui failed (exit ${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
  }
  return { built: true, ms: Math.round(performance.now() - started) };
}

// `node scripts/ui-build.ts`: build when needed (scripts/start.sh runs this before serving).
if (import.meta.main) {
  const build = ensureUiBuilt();
  process.stderr.write(build.built ? `built the UI in ${(build.ms / 1000).toFixed(1)} s\n` : 'the UI build is up to date\n');
}
