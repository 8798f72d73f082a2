// The Electron entry (bundled to out/main/main.js): builds the ElectronApi from the real modules and
// starts the app. The preload and the renderer are found beside this bundle, as the build lays
// them out (out/preload/preload.cjs, out/renderer/).
import path from 'node:path';
import { electronApi } from './electron-adapter.ts';
import { startDesktopApp } from './desktop-app.ts';

const here = import.meta.dirname;
const api = electronApi();

// The model manifest: shipped in the app's resources when packaged, the repository's otherwise.
// The engine finds it through SHOEBOX_MODELS_MANIFEST (its default is relative to media-node's
// sources, which a bundle does not have); a value the user set wins.
process.env.SHOEBOX_MODELS_MANIFEST ||= api.isPackaged
  ? path.join(api.paths.resources, 'models', 'manifest.json')
  : path.resolve(here, '..', '..', '..', '..', 'resources', 'models', 'manifest.json');

// Ctrl-C in a terminal (a development run) quits as the menu does: the engine closes first.
process.once('SIGINT', () => api.app.quit());
process.once('SIGTERM', () => api.app.quit());

startDesktopApp(api, {
  preloadPath: path.join(here, '..', 'preload', 'preload.cjs'),
  rendererDir: path.join(here, '..', 'renderer'),
}).catch((error: unknown) => {
  api.dialog.showErrorBox('Shoebox could not start', error instanceof Error ? (error.stack ?? error.message) : String(error));
  api.app.exit(1);
});
