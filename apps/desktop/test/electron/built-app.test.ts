// The built app (electron-vite's out/main/main.js, its preload and renderer), started under plain
// Node with the 'electron' module replaced by a fake (built-app/): the real adapter, bundle layout,
// utility-process workers from the bundled entries, migrations, protocol, IPC bridge and watcher,
// end to end, as close to the shipped app as this machine (no Electron binary) can run it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS } from '../helpers/cli.ts';
import { APP_DIR, buildElectronApp } from './electron-build.fixture.ts';

const WORKSPACE = path.resolve(APP_DIR, '..', '..');
const PHOTOS = ['jpeg/gps/DSCN0010.jpg', 'heic/IMG_2682.heic', 'jxl/8bit-sRGB.jxl'];

type Finding = { kind: string; data: Record<string, unknown> & { ok?: boolean; status?: number; data?: unknown; body?: unknown } };

let out: string;
let tmp: string;
let findings: Map<string, Finding['data']>;
let exitCode: number | null;
let output = '';

beforeAll(async () => {
  out = await buildElectronApp();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-built-app-'));
  const library = path.join(tmp, 'library');
  fs.mkdirSync(library);
  for (const photo of PHOTOS) fs.copyFileSync(path.join(CORPUS, photo), path.join(library, path.basename(photo)));
  const child = spawn(process.execPath, ['--import', path.join(import.meta.dirname, 'built-app', 'register.ts'), path.join(out, 'main', 'main.js')], {
    cwd: out,
    env: {
      ...process.env,
      SHOEBOX_DATA: path.join(tmp, 'data'),
      SHOEBOX_WORKERS: '1',
      SHOEBOX_LOG_LEVEL: 'warn',
      SHOEBOX_MODELS_MANIFEST: path.join(WORKSPACE, 'resources', 'models', 'manifest.json'),
      SMOKE_APPDATA: path.join(tmp, 'appData'),
      SMOKE_LIBRARY: library,
      SMOKE_EXTRA: path.join(CORPUS, 'jpeg/gps/DSCN0025.jpg'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  exitCode = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  findings = new Map(output.split('\n').filter((l) => l.startsWith('SMOKE ')).map((l) => {
    const f = JSON.parse(l.slice(6)) as Finding;
    return [f.kind, f.data];
  }));
}, 200_000);

afterAll(() => {
  if (out) fs.rmSync(out, { recursive: true, force: true });
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function finding(kind: string): Finding['data'] {
  const data = findings.get(kind);
  if (!data) throw new Error(`the app never reported "${kind}"; its output:\n${output.slice(-4000)}`);
  return data;
}

describe('the built app under a fake Electron', () => {
  it('starts: the scheme is privileged before ready, a sandboxed window loads shoebox://app/, the bridge channels are handled', () => {
    const start = finding('start');
    expect(start.privilegedBeforeReady).toBe(true);
    expect(start.schemes).toEqual([expect.objectContaining({ scheme: 'shoebox', privileges: expect.objectContaining({ standard: true, secure: true, stream: true }) })]);
    expect(start.url).toBe('shoebox://app/');
    expect(start.webPreferences).toMatchObject({
      sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true,
      preload: path.join(out, 'preload', 'preload.cjs'),
    });
    expect(fs.existsSync((start.webPreferences as { preload: string }).preload)).toBe(true);
    expect(start.channels).toEqual(['shoebox:desktop', 'shoebox:invoke']);
  });

  it('serves the renderer build with its CSP and answers the contract over IPC, refusing a stranger', () => {
    expect(finding('page')).toMatchObject({ status: 200, html: true });
    expect(finding('page').type).toMatch(/^text\/html/);
    expect(finding('page').csp).toContain("script-src 'self'");
    expect(finding('info')).toMatchObject({ ok: true, data: { name: 'shoebox', mode: 'desktop' } });
    expect(finding('stranger')).toMatchObject({ ok: false, status: 403 });
    expect(finding('addRoot')).toMatchObject({ ok: true });
  });

  it('indexes the folder in utility-process workers started from the bundled entries, and serves the results', () => {
    const workers = finding('workers') as unknown as { module: string; service: string; alive: boolean }[];
    expect(workers.length).toBeGreaterThan(0);
    expect(workers.map((w) => w.module)).toContain(path.join(out, 'main', 'workers', 'media.worker.js'));
    expect(workers.every((w) => w.alive && w.service.length > 0)).toBe(true);
    const files = finding('files') as { thumbnail: { status: number; type: string; bytes: number }; original: { status: number; range: string; bytes: number } };
    expect(files.thumbnail.status).toBe(200);
    expect(files.thumbnail.type).toBe('image/webp');
    expect(files.thumbnail.bytes).toBeGreaterThan(500);
    expect(files.original.status).toBe(206);
    expect(files.original.range).toMatch(/^bytes 0-9\/\d+$/);
    expect(files.original.bytes).toBe(10);
  });

  it('picks up a file dropped into the folder through the engine\'s watcher', () => {
    expect(finding('watched').ms).toBeLessThan(15_000);
  });

  it('quits cleanly: the engine closes, the workers end, the app exits 0 with no error box', () => {
    expect(finding('quit')).toMatchObject({ code: 0, errorBoxes: [] });
    expect((finding('quit').workers as (number | null)[]).every((c) => c === 0)).toBe(true);
    expect(exitCode).toBe(0);
  });
});
