// The Electron build (electron-vite): main with the worker entries beside it, the preload, and the
// renderer from packages/ui. Output goes to out/{main,preload,renderer}; electron-builder packs it.
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import uiConfig from '../../packages/ui/vite.config.ts';
import { metaContentSecurityPolicy } from './src/electron/main/content-security.ts';

const APP = path.dirname(fileURLToPath(import.meta.url));
const WORKSPACE = path.resolve(APP, '..', '..');
const UI = path.join(WORKSPACE, 'packages', 'ui');
const MEDIA_NODE = path.join(WORKSPACE, 'packages', 'media-node', 'src');

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/**
 * Main bundles the workspace packages (they ship TypeScript sources) and keeps every npm package
 * external: native modules must load from node_modules (unpacked from the asar), several libraries
 * resolve files beside themselves (ffmpeg-static's binary, libheif and libjxl's wasm), and
 * the packaged app installs them as its production dependencies anyway.
 */
function isExternalInMain(id: string): boolean {
  if (id.startsWith('\0') || id.startsWith('.') || path.isAbsolute(id)) return false;
  if (id === 'electron' || id.startsWith('electron/') || BUILTINS.has(id)) return true;
  return !id.startsWith('@shoebox/');
}

function externalizePackages(): Plugin {
  return {
    name: 'shoebox-externalize-packages',
    enforce: 'pre',
    resolveId(source) {
      return isExternalInMain(source) ? { id: source, external: true } : null;
    },
  };
}

/**
 * electron-vite prepends `const require = createRequire(...)` (and __dirname, __filename) to every
 * ESM chunk that mentions `require(`, for CommonJS code bundled into ESM. Main bundles no npm code,
 * and our own sources are ESM: db/drizzle.runtime.ts declares its own `require`, which the shim
 * would declare a second time (a SyntaxError when main.js loads). So the shim is taken out.
 */
function withoutCommonJsShim(): Plugin {
  return {
    name: 'shoebox-without-commonjs-shim',
    configResolved(config) {
      const plugins = config.plugins as Plugin[];
      const shim = plugins.findIndex((p) => p.name === 'vite:esm-shim');
      if (shim >= 0) plugins.splice(shim, 1);
    },
  };
}

/** drizzle's migrator reads the SQL files from `<bundle dir>/migrations` (db/connection.ts). */
function copyMigrations(): Plugin {
  let outDir = '';
  return {
    name: 'shoebox-copy-migrations',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    writeBundle() {
      const target = path.join(outDir, 'migrations');
      fs.rmSync(target, { recursive: true, force: true });
      fs.cpSync(path.join(APP, 'src', 'db', 'migrations'), target, { recursive: true });
    },
  };
}

/**
 * The pages' CSP as a <meta> in the renderer's index.html as well as the protocol's header: should
 * Electron ever not apply a header from protocol.handle, the page still runs only the app's own
 * scripts. It goes right after the charset, before any script or stylesheet it must govern.
 */
function contentSecurityMeta(): Plugin {
  const policy = metaContentSecurityPolicy();
  if (/["&<>]/.test(policy)) throw new Error('the CSP needs escaping to go into an attribute');
  return {
    name: 'shoebox-content-security-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const charset = /<meta charset="[^"]*"\s*\/?>/i;
        if (!charset.test(html)) throw new Error('index.html has no <meta charset> to put the CSP after');
        return html.replace(charset, (meta) => `${meta}\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`);
      },
    },
  };
}

export default defineConfig(({ command, mode }) => ({
  main: {
    plugins: [externalizePackages(), withoutCommonJsShim(), copyMigrations()],
    build: {
      outDir: path.join(APP, 'out', 'main'),
      // Our own rule (isExternalInMain), not electron-vite's list of package.json dependencies: a
      // package missing from that list would be bundled silently (a native one then fails at run
      // time); this way it stays external, and the build test names it.
      externalizeDeps: false,
      sourcemap: mode !== 'production',
      rolldownOptions: {
        // The code finds the bundled workers by their source name with the bundle's extension, beside
        // the module that refers to them (media-node's worker-entries.ts, scanner/scan.service.ts).
        input: {
          main: path.join(APP, 'src', 'electron', 'main', 'main.ts'),
          'workers/media.worker': path.join(MEDIA_NODE, 'workers', 'media.worker.ts'),
          'ml/ml.worker': path.join(MEDIA_NODE, 'ml', 'ml.worker.ts'),
          'scan.thread': path.join(APP, 'src', 'scanner', 'scan.thread.ts'),
        },
        output: {
          format: 'es',
          entryFileNames: '[name].js',
          // Shared chunks sit beside main.js, never in a subfolder: modules that find files with
          // import.meta.dirname (the migrations, the worker entries) then see out/main, as main.js does.
          chunkFileNames: '[name]-[hash].js',
        },
      },
    },
  },
  preload: {
    build: {
      outDir: path.join(APP, 'out', 'preload'),
      // A sandboxed preload runs without Node's module loader: it may require only 'electron', so
      // everything else (core's contract lists, zod) is bundled in, as one CommonJS file.
      externalizeDeps: false,
      sourcemap: mode !== 'production',
      rolldownOptions: {
        input: { preload: path.join(APP, 'src', 'electron', 'preload', 'preload.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  // packages/ui's own build (react, the service worker's precache list, relative base, target),
  // written to out/renderer instead of packages/ui/dist; its relative URLs load from shoebox://app/.
  // Built only: the app always loads its renderer from out/renderer through that protocol (the CSP
  // and the IPC sender checks are written for it), so a dev server would serve nobody. `electron:dev`
  // builds it once and then rebuilds main and preload on change.
  ...(command === 'build' ? { renderer: rendererConfig() } : {}),
}));

function rendererConfig(): UserConfig['renderer'] {
  return {
    ...uiConfig,
    plugins: [...(uiConfig.plugins ?? []), contentSecurityMeta()],
    root: UI,
    base: './',
    build: {
      ...uiConfig.build,
      outDir: path.join(APP, 'out', 'renderer'),
      emptyOutDir: true,
      // electron-vite leaves the renderer unminified; the web build minifies, and so does this one.
      minify: true,
      rolldownOptions: { input: path.join(UI, 'index.html') },
    },
  };
}
