// electron-builder.yml against the schema electron-builder itself validates with (app-builder-lib's
// scheme.json, compiled with the same ajv options), and the settings the installers depend on:
// the four targets, every native file of the production dependencies unpacked from the asar, the
// model manifest in the resources, and the build output in the app.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';

const APP = path.resolve(import.meta.dirname, '..', '..');
const CONFIG_FILE = path.join(APP, 'electron-builder.yml');

interface FileSet {
  from: string;
  to: string;
}

interface BuilderConfig {
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  extraResources: FileSet[];
  linux: { target: string[]; category: string; maintainer: string };
  mac: { target: string[]; category: string; hardenedRuntime: boolean; entitlements: string; entitlementsInherit: string };
  win: { target: string[] };
  nsis: { oneClick: boolean; perMachine: boolean; allowToChangeInstallationDirectory: boolean };
}

const config = YAML.parse(fs.readFileSync(CONFIG_FILE, 'utf8')) as BuilderConfig;

/** app-builder-lib is electron-builder's dependency, not ours: find it from electron-builder's folder. */
function appBuilderLibDir(): string {
  const fromApp = createRequire(path.join(APP, 'package.json'));
  const fromBuilder = createRequire(fromApp.resolve('electron-builder/package.json'));
  return path.dirname(fromBuilder.resolve('app-builder-lib/package.json'));
}

let validate: ValidateFunction;

beforeAll(() => {
  const schema = JSON.parse(fs.readFileSync(path.join(appBuilderLibDir(), 'scheme.json'), 'utf8')) as object;
  // The options of app-builder-lib's util/config/schemaValidator.js, so the verdict is electron-builder's.
  validate = new Ajv({ allErrors: true, coerceTypes: true, strict: false }).compile(schema);
});

/** A fresh copy, so a test can break it without touching the others' view. */
function copy(): Record<string, unknown> {
  return structuredClone(config) as unknown as Record<string, unknown>;
}

describe('electron-builder.yml', () => {
  it('matches electron-builder\'s configuration schema', () => {
    const valid = validate(copy());
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('is rejected by the same validator when a key is unknown or a value has the wrong type', () => {
    const misspelt = { ...copy(), asarUnpacked: config.asarUnpack };
    expect(validate(misspelt)).toBe(false);
    expect(validate.errors?.some((e) => e.keyword === 'additionalProperties' && e.params.additionalProperty === 'asarUnpacked')).toBe(true);

    const wrongType = copy();
    wrongType.nsis = { ...config.nsis, oneClick: 'sometimes' };
    expect(validate(wrongType)).toBe(false);
    expect(validate.errors?.some((e) => e.instancePath === '/nsis/oneClick' && e.keyword === 'type')).toBe(true);

    const unknownNested = copy();
    unknownNested.mac = { ...config.mac, hardenedRuntim: true };
    expect(validate(unknownNested)).toBe(false);
  });

  it('builds AppImage and deb on Linux, dmg on macOS and an assisted per-user NSIS installer on Windows', () => {
    expect(config.productName).toBe('Shoebox');
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.linux.category.split(';')[0]).toBe('Graphics');
    expect(config.linux.maintainer).toMatch(/<[^@\s]+@[^>\s]+>/);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.mac.category).toBe('public.app-category.photography');
    expect(config.win.target).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true });
  });

  it('packs the electron-vite build, without source maps, and rebuilds native modules for Electron', () => {
    expect(config.files).toContain('out/**/*');
    expect(config.files).toContain('!out/**/*.map');
    expect(config.files).toContain('package.json');
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(true);
    const pkg = JSON.parse(fs.readFileSync(path.join(APP, 'package.json'), 'utf8')) as { main: string };
    expect(path.matchesGlob(pkg.main, 'out/**/*')).toBe(true);
  });

  it('ships the model manifest as <resources>/models/manifest.json, from a file that exists', () => {
    const manifest = config.extraResources.find((r) => r.to === 'models/manifest.json');
    expect(manifest).toBeDefined();
    const source = path.resolve(APP, manifest!.from);
    expect(source).toBe(path.resolve(APP, '..', '..', 'resources', 'models', 'manifest.json'));
    expect((JSON.parse(fs.readFileSync(source, 'utf8')) as { models: unknown[] }).models.length).toBeGreaterThan(0);
  });

  it('finds the macOS entitlements and the app icon in build/', () => {
    expect(config.directories.buildResources).toBe('build');
    const entitlements = fs.readFileSync(path.join(APP, config.mac.entitlements), 'utf8');
    expect(config.mac.entitlementsInherit).toBe(config.mac.entitlements);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(entitlements).toContain('com.apple.security.cs.allow-jit');
    expect(entitlements).toContain('com.apple.security.cs.disable-library-validation');
    // electron-builder derives the .icns, .ico and Linux icons from build/icon.png (at least 512 px).
    const png = fs.readFileSync(path.join(APP, 'build', 'icon.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
  });

  it('unpacks every native binary and spawned executable of the production dependencies from the asar', () => {
    const natives = nativeFilesOfProductionDependencies();
    // Those the app cannot work without are all among them (a sanity check of the walk itself).
    for (const expected of [
      /^node_modules\/better-sqlite3\/.*\.node$/,
      /^node_modules\/@img\/sharp-[^/]+\/lib\/sharp-.*\.node$/,
      /^node_modules\/@img\/sharp-libvips-[^/]+\/lib\/libvips-cpp\./,
      /^node_modules\/onnxruntime-node\/bin\/.*\.node$/,
      /^node_modules\/sqlite-vec-[^/]+\/vec0\./,
      /^node_modules\/exiftool-vendored\.(pl|exe)\/bin\/exiftool/,
    ]) {
      expect(natives.some((f) => expected.test(f)), String(expected)).toBe(true);
    }
    const packed = natives.filter((f) => !config.asarUnpack.some((glob) => path.matchesGlob(f, glob)));
    expect(packed).toEqual([]);
    // ffmpeg-static's binary is there only where its download ran; the folder is unpacked either way.
    expect(path.matchesGlob('node_modules/ffmpeg-static/ffmpeg', config.asarUnpack.find((g) => g.includes('ffmpeg-static')) ?? '')).toBe(true);
  });
});

/** Where Node would find package `name` from `fromDir` (the real folder: pnpm links into its store). */
function packageDir(name: string, fromDir: string): string | null {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate);
    if (path.dirname(dir) === dir) return null;
  }
}

const NATIVE = /\.(node|so(\.\d+)*|dylib|dll|exe)$/;

/**
 * The files of apps/desktop's production dependency closure (as electron-builder collects it:
 * dependencies and installed optional dependencies) that the OS loads or runs, as paths inside the
 * app (`node_modules/<package>/<file>`): shared libraries and addons, and exiftool, which
 * exiftool-vendored runs as a child process.
 */
function nativeFilesOfProductionDependencies(): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  const visit = (name: string, fromDir: string): void => {
    const dir = packageDir(name, fromDir);
    if (dir === null || seen.has(dir)) return; // null: an optional dependency for another platform
    seen.add(dir);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const entry of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      const file = entry.split(path.sep).join('/');
      if (file.split('/').includes('node_modules')) continue; // nested packages are visited as dependencies
      if (NATIVE.test(file) || /^exiftool-vendored\.(pl|exe)\/bin\/exiftool(\.exe)?$/.test(`${name}/${file}`)) {
        found.push(`node_modules/${name}/${file}`);
      }
    }
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) visit(dep, dir);
  };
  const app = JSON.parse(fs.readFileSync(path.join(APP, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const dep of Object.keys(app.dependencies)) visit(dep, APP);
  return found;
}
