// The real electron-vite build (electron-build.fixture.ts): the layout the code looks for (workers,
// scan thread, migrations beside main.js), main as loadable ESM with every npm package external and a production dependency, the preload
// as one CommonJS file that requires only 'electron', the renderer with relative asset URLs; and
// the bundled media and ML workers started and answering, as the app starts them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MlClient } from '@shoebox/media-node/ml/ml-client';
import { WorkerPool } from '@shoebox/media-node/workers/worker-pool';
import { CONTENT_SECURITY_POLICY } from '../../src/electron/main/content-security.ts';
import { CORPUS } from '../helpers/cli.ts';
import { APP_DIR as APP, buildElectronApp } from './electron-build.fixture.ts';

const WORKSPACE = path.resolve(APP, '..', '..');
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const log = pino({ level: 'silent' });

let out: string;
let mainFiles: string[];
let sources: Map<string, string>;

beforeAll(async () => {
  out = await buildElectronApp();
  mainFiles = listFiles(path.join(out, 'main')).filter((f) => f.endsWith('.js'));
  sources = new Map(mainFiles.map((f) => [f, fs.readFileSync(f, 'utf8')]));
}, 60_000);

afterAll(() => {
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

describe('the Electron build', () => {
  it('lays out main, the worker entries, the scan thread and the migrations as the code looks for them', () => {
    for (const entry of ['main.js', 'workers/media.worker.js', 'ml/ml.worker.js', 'scan.thread.js']) {
      expect(fs.existsSync(path.join(out, 'main', entry)), entry).toBe(true);
    }
    const migrations = path.join(APP, 'src', 'db', 'migrations');
    for (const file of listFiles(migrations)) {
      const copied = path.join(out, 'main', 'migrations', path.relative(migrations, file));
      expect(fs.readFileSync(copied, 'utf8')).toBe(fs.readFileSync(file, 'utf8'));
    }
    // Each module that finds a file beside itself (import.meta.dirname) is in a folder where it is.
    const besideItself: [RegExp, string][] = [
      [/import\.meta\.dirname,\s*["']migrations["']\)/, 'migrations/meta/_journal.json'],
      [/import\.meta\.dirname,\s*["']workers["'],\s*`media\.worker\$\{/, 'workers/media.worker.js'],
      [/import\.meta\.dirname,\s*["']ml["'],\s*`ml\.worker\$\{/, 'ml/ml.worker.js'],
      [/import\.meta\.dirname,\s*`scan\.thread\$\{/, 'scan.thread.js'],
    ];
    for (const [pattern, target] of besideItself) {
      const users = mainFiles.filter((f) => pattern.test(sources.get(f)!));
      expect(users.length, String(pattern)).toBeGreaterThan(0);
      for (const file of users) expect(fs.existsSync(path.join(path.dirname(file), target)), `${file} → ${target}`).toBe(true);
    }
  });

  it('emits main as ES modules that Node parses, with no npm code and no workspace paths inside', () => {
    for (const file of mainFiles) {
      execFileSync(process.execPath, ['--check', file], { stdio: 'pipe' });
      const code = sources.get(file)!;
      expect(code, file).not.toMatch(/^\/\/#region .*node_modules\//m);
      expect(code, file).not.toMatch(/^(module\.exports|exports\.)/m);
      for (const specifier of specifiers(code)) {
        expect(specifier.startsWith('@shoebox/') || path.isAbsolute(specifier) || specifier.includes('packages/'), `${file}: ${specifier}`).toBe(false);
      }
    }
  });

  it('keeps every npm package external, each one a production dependency of the app', () => {
    const pkg = readJson<{ dependencies: Record<string, string>; devDependencies: Record<string, string> }>(path.join(APP, 'package.json'));
    const external = new Set<string>();
    for (const file of mainFiles) {
      for (const specifier of specifiers(sources.get(file)!)) {
        if (specifier.startsWith('.') || BUILTINS.has(specifier)) continue;
        external.add(packageName(specifier));
      }
    }
    // The native modules, and what is found through createRequire, stay outside the bundle.
    expect([...external]).toEqual(expect.arrayContaining([
      'electron', 'better-sqlite3', 'sqlite-vec', 'sharp', 'onnxruntime-node', 'exiftool-vendored', 'drizzle-orm',
      'ffmpeg-static', 'libheif-js', '@jsquash/jxl',
    ]));
    external.delete('electron');
    expect([...external].filter((name) => !(name in pkg.dependencies)).sort()).toEqual([]);
    expect(pkg.devDependencies).toHaveProperty('electron');
    expect(pkg.dependencies).not.toHaveProperty('electron');
    // The same ranges as the workspace packages that import them, so the bundle loads what the tests ran.
    for (const lib of ['core', 'media-node']) {
      const declared = readJson<{ dependencies: Record<string, string> }>(path.join(WORKSPACE, 'packages', lib, 'package.json')).dependencies;
      for (const [name, range] of Object.entries(declared)) {
        if (external.has(name)) expect(pkg.dependencies[name], `${name} in ${lib}`).toBe(range);
      }
    }
  });

  it('bundles the preload into one CommonJS file that requires only electron and exposes window.shoebox', () => {
    const file = path.join(out, 'preload', 'preload.cjs');
    const code = fs.readFileSync(file, 'utf8');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect([...new Set(specifiers(code))]).toEqual(['electron']);
    // Run it as Electron runs a sandboxed preload: a require that knows 'electron' and nothing else.
    const exposed = new Map<string, unknown>();
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
      ipcRenderer: { invoke: async () => ({ ok: true, data: null }), on: () => undefined, removeListener: () => undefined },
    };
    const sandboxRequire = (id: string): unknown => {
      if (id === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${id}`);
    };
    const module = { exports: {} };
    vm.runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, process: { platform: 'linux', env: {} }, queueMicrotask }, { filename: file });
    expect([...exposed.keys()]).toEqual(['shoebox']);
    const bridge = exposed.get('shoebox') as Record<string, unknown>;
    for (const method of ['invoke', 'desktop', 'onEvent']) expect(typeof bridge[method], method).toBe('function');
  });

  it('builds the renderer from packages/ui with relative asset URLs (it loads from shoebox://app/)', () => {
    const renderer = path.join(out, 'renderer');
    const html = fs.readFileSync(path.join(renderer, 'index.html'), 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      expect(asset, asset).toMatch(/^\.\//);
      expect(fs.existsSync(path.join(renderer, asset)), asset).toBe(true);
    }
    // The pages' CSP is in the page too, ahead of every script and stylesheet (a second guard to
    // the protocol's header); frame-ancestors has no effect in a meta tag, so only it is left out.
    const metas = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/gi)]
      .map((m) => m[1]!.replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&'));
    expect(metas).toEqual([CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", '')]);
    expect(metas[0]).not.toContain('frame-ancestors');
    expect(metas[0]).toContain("script-src 'self'");
    expect(html.search(/http-equiv="Content-Security-Policy"/i)).toBeLessThan(html.search(/<script|<link rel="stylesheet"/));
    // packages/ui's public files come along: the service worker, and the icon the shell uses for
    // its window, tray and drags (desktop-app.ts: <renderer>/icons/icon-192.png).
    expect(fs.existsSync(path.join(renderer, 'sw.js'))).toBe(true);
    expect(fs.existsSync(path.join(renderer, 'icons', 'icon-192.png'))).toBe(true);
  });

  it('runs the bundled media worker: exiftool, sharp, and the libheif and libjxl WebAssembly decoders', async () => {
    const pool = new WorkerPool({ entry: path.join(out, 'main', 'workers', 'media.worker.js'), size: 1, init: { exiftoolProcs: 1 }, perWorker: 4, log });
    const thumbs = fs.mkdtempSync(path.join(out, 'thumbs-'));
    try {
      const meta = await pool.call<{ ok: boolean; metadata: { make: string } }>({ type: 'metadata', path: path.join(CORPUS, 'jpeg/gps/DSCN0010.jpg'), sidecars: [] });
      expect(meta.metadata.make).toBe('NIKON');
      for (const [name, fileType] of [['heic/IMG_2682.heic', 'HEIC'], ['jxl/8bit-sRGB.jxl', 'JXL']] as const) {
        const base = path.join(thumbs, path.basename(name));
        const made = await pool.call<{ thumbnail: { width: number; height: number } }>({
          type: 'thumbnail',
          input: { path: path.join(CORPUS, name), assetType: 'image', fileType, duration: null, orientation: null },
          out: { thumbnail: `${base}.webp`, previewBase: `${base}.preview` },
        });
        expect(Math.min(made.thumbnail.width, made.thumbnail.height), name).toBeGreaterThan(0);
        expect(fs.statSync(`${base}.webp`).size, name).toBeGreaterThan(0);
      }
    } finally {
      await pool.close();
    }
  });

  it('runs the bundled ML worker (onnxruntime-node loads from the app\'s dependencies)', async () => {
    // A bundle cannot find the manifest relative to media-node's sources: the app names it in the
    // environment (main.ts: <resources>/models/manifest.json), and so does this test.
    const env = { ...process.env, SHOEBOX_MODELS_MANIFEST: path.join(WORKSPACE, 'resources', 'models', 'manifest.json') };
    const ml = new MlClient({ entry: path.join(out, 'main', 'ml', 'ml.worker.js'), modelsDir: path.join(out, 'models'), env, log, threads: 1 });
    try {
      const memory = await ml.memory();
      expect(memory.rssBytes).toBeGreaterThan(0);
      expect(memory.loaded).toEqual([]);
    } finally {
      await ml.close();
    }
  });
});

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** Module specifiers a bundle loads: imports, dynamic imports, require() and createRequire()() / .resolve(). */
function specifiers(code: string): string[] {
  const patterns = [
    /^\s*import\s+(?:[\w$*{}\s,]+\s+from\s+)?["']([^"']+)["']/gm,
    /^\s*export\s+[\w$*{}\s,]+\s+from\s+["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
    /createRequire\([^)]*\)(?:\.resolve)?\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return patterns.flatMap((p) => [...code.matchAll(p)].map((m) => m[1]!));
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}
