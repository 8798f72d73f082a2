// Runs the real electron-vite build (electron.vite.config.ts) into a scratch folder inside the app,
// where Node resolves the externals from apps/desktop/node_modules as the packaged app resolves
// them from its own. Shared by the tests of the build's layout and of the built app itself.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'electron-vite';

export const APP_DIR = path.resolve(import.meta.dirname, '..', '..');

/** Builds main, preload and renderer into a new folder; returns it (remove it when done). */
export async function buildElectronApp(): Promise<string> {
  const cache = path.join(APP_DIR, 'node_modules', '.cache');
  fs.mkdirSync(cache, { recursive: true });
  const out = fs.mkdtempSync(path.join(cache, 'electron-build-'));
  await build({ configFile: path.join(APP_DIR, 'electron.vite.config.ts'), root: APP_DIR, mode: 'production', logLevel: 'warn', build: { outDir: out } });
  // As in the packaged app, where apps/desktop/package.json ("type": "module") sits above out/.
  fs.writeFileSync(path.join(out, 'package.json'), JSON.stringify({ type: 'module' }));
  return out;
}
