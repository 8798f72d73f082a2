// The IPC bridge over a fake ipcMain: every JSON route of the contract reaches its handler with its
// parsed input, file routes and unknown keys are refused, foreign senders get 403 without reaching
// a handler, and errors (validation, a real engine's AppErrors) come back in the contract's shape.
// The desktop calls reach their implementations with validated input.
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppError, DEFAULT_APP_SETTINGS, ErrorBody, IPC_CHANNELS, isFileRoute, routeKeys, routes,
  type IpcResult, type RouteHandlers, type RouteKey, type RouteSpec, type Routes,
} from '@shoebox/core/contract';
import { Engine } from '../../src/engine/engine.ts';
import { createDesktopCalls } from '../../src/electron/main/desktop-calls.ts';
import type { BrowserWindowLike, ElectronApi } from '../../src/electron/main/electron-api.ts';
import { registerIpcBridge } from '../../src/electron/main/ipc-bridge.ts';
import { trustedSender } from '../../src/electron/main/trusted-sender.ts';
import { tempDir } from '../helpers/cli.ts';
import {
  FakeIpcMain, MemorySettings, fakeContents, fakeImage, ipcEvent, spyHandlers, type FakeContents, type Spy,
} from './fakes/ipc-fakes.ts';

type JsonRouteKey = { [K in RouteKey]: Routes[K]['response'] extends { kind: 'file' } ? never : K }[RouteKey];
interface Sample { params?: unknown; query?: unknown; body?: unknown }

const A = '5b0c8a52-5d0c-4f0e-9a43-1f0b9f7c2a11';
const B = '9d7e6f10-2c3b-4a5d-8e9f-0a1b2c3d4e5f';

/** A valid input for every JSON route: a new route without one fails the coverage test below. */
const SAMPLES: Record<JsonRouteKey, Sample> = {
  getServerInfo: {},
  listRoots: {},
  addRoot: { body: { path: '/home/me/Pictures' } },
  removeRoot: { params: { id: A } },
  scanLibrary: { body: {} },
  listAssets: { query: { page: '2', type: 'image' } },
  getAsset: { params: { id: A } },
  updateAsset: { params: { id: A }, body: { isFavorite: true } },
  updateAssets: { body: { ids: [A, B], rating: 3 } },
  getTimeBuckets: { query: { favorite: 'true' } },
  getTimeBucket: { query: { timeBucket: '2024-05-01', type: 'video' } },
  getFolders: {},
  getSearchFacets: {},
  listAlbums: { query: { assetId: A } },
  createAlbum: { body: { name: '  Holiday  ', assetIds: [A] } },
  getAlbum: { params: { id: A } },
  updateAlbum: { params: { id: A }, body: { coverAssetId: null } },
  deleteAlbum: { params: { id: A } },
  addAlbumAssets: { params: { id: A }, body: { ids: [B] } },
  removeAlbumAssets: { params: { id: A }, body: { ids: [B] } },
  restoreTrash: { body: { ids: [A] } },
  emptyTrash: { body: {} },
  getJobsStatus: { query: { failures: '7' } },
  setLanePaused: { params: { lane: 'media' }, body: { paused: true } },
  retryFailedJobs: { body: { lane: 'io' } },
  listPeople: { query: { withHidden: '1', minFaces: '3' } },
  createPerson: { body: { name: 'Ada', faceIds: [A] } },
  getPerson: { params: { id: A } },
  updatePerson: { params: { id: A }, body: { hidden: true } },
  mergePeople: { params: { id: A }, body: { ids: [B] } },
  listPersonFaces: { params: { id: A }, query: {} },
  reclusterPeople: { body: {} },
  getAssetFaces: { params: { id: A } },
  assignFace: { params: { id: A }, body: { personId: null } },
  smartSearch: { query: { q: ' a red boat ' } },
  getSimilarAssets: { params: { id: A }, query: { limit: '5' } },
  getMlStatus: {},
  updateMlSettings: { body: { faces: false } },
  downloadModel: { params: { id: 'yunet' } },
  tokenize: { query: { text: 'a dog' } },
};

const APP_WINDOW = 7;
const silent = pino({ level: 'silent' });

function expected(route: RouteSpec, sample: Sample): unknown {
  return {
    params: route.params ? route.params.parse(sample.params ?? {}) : {},
    query: route.query ? route.query.parse(sample.query ?? {}) : {},
    body: route.body ? route.body.parse(sample.body ?? {}) : undefined,
  };
}

interface Harness {
  ipc: FakeIpcMain;
  spy: Spy;
  app: FakeContents;
  logLines: string[];
  shellCalls: { reveal: string[]; open: string[] };
  dialogCalls: { window: BrowserWindowLike | null; options: unknown }[];
  settings: MemorySettings;
  files: Record<string, string>;
  dispose(): void;
  invoke(key: unknown, input?: unknown, event?: ReturnType<typeof ipcEvent>): Promise<IpcResult>;
  desktop(call: unknown, input?: unknown, event?: ReturnType<typeof ipcEvent>): Promise<IpcResult>;
}

let fileDir: string;

beforeAll(() => {
  fileDir = tempDir('ipc-files');
  fs.writeFileSync(path.join(fileDir, 'a.jpg'), 'a');
  fs.writeFileSync(path.join(fileDir, 'b.jpg'), 'b');
});

function harness(opts: { handlers?: RouteHandlers; dialog?: { canceled: boolean; filePaths: string[] }; openPathAnswer?: string; emptyIcon?: boolean } = {}): Harness {
  const ipc = new FakeIpcMain();
  const spy = spyHandlers();
  const app = fakeContents(APP_WINDOW);
  const logLines: string[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => logLines.push(line) });
  const shellCalls = { reveal: [] as string[], open: [] as string[] };
  const dialogCalls: Harness['dialogCalls'] = [];
  const settings = new MemorySettings();
  const files: Record<string, string> = { [A]: path.join(fileDir, 'a.jpg'), [B]: path.join(fileDir, 'b.jpg') };
  const parent = { name: 'the app window' } as unknown as BrowserWindowLike;
  const dialog: ElectronApi['dialog'] = {
    showOpenDialog: async (window, options) => {
      dialogCalls.push({ window, options });
      return opts.dialog ?? { canceled: true, filePaths: [] };
    },
    showErrorBox: () => undefined,
  };
  const shell: ElectronApi['shell'] = {
    showItemInFolder: (p) => void shellCalls.reveal.push(p),
    openPath: async (p) => {
      shellCalls.open.push(p);
      return opts.openPathAnswer ?? '';
    },
    openExternal: async () => undefined,
  };
  const desktop = createDesktopCalls({
    dialog, shell, settings,
    imageFromPath: () => fakeImage(opts.emptyIcon ?? false),
    assetFile: (id) => {
      const file = files[id];
      if (!file) throw new AppError('ASSET_NOT_FOUND', `no asset with id ${id}`);
      return file;
    },
    dragIcon: (id) => `${files[id]}.thumb.webp`,
    windowOf: (event) => (event.sender.id === APP_WINDOW ? parent : null),
  });
  const bridge = registerIpcBridge({
    ipcMain: ipc,
    handlers: opts.handlers ?? spy.handlers,
    context: () => ({ ownerId: 'local' }),
    desktop,
    isTrustedSender: trustedSender(() => [APP_WINDOW, 8]),
    log,
  });
  return {
    ipc, spy, app, logLines, shellCalls, dialogCalls, settings, files,
    dispose: () => bridge.dispose(),
    invoke: async (key, input, event = ipcEvent(app)) => (await ipc.invoke(IPC_CHANNELS.invoke, event, { key, input })) as IpcResult,
    desktop: async (call, input, event = ipcEvent(app)) => (await ipc.invoke(IPC_CHANNELS.desktop, event, { key: call, input })) as IpcResult,
  };
}

function expectError(result: IpcResult, status: number, code: string): ErrorBody {
  if (result.ok) throw new Error(`expected ${status} ${code}, got success ${JSON.stringify(result.data)}`);
  const body = ErrorBody.parse(result.body);
  expect({ status: result.status, code: body.error.code }).toEqual({ status, code });
  expect(body.error.message.length).toBeGreaterThan(3);
  return body;
}

const jsonKeys = routeKeys.filter((k) => !isFileRoute(routes[k]));
const fileKeys = routeKeys.filter((k) => isFileRoute(routes[k]));

describe('IPC bridge: routes', () => {
  it('has a sample input for every JSON route of the contract, and only for those', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...jsonKeys].sort());
    expect(fileKeys.sort()).toEqual([
      'getAssetOriginal', 'getAssetPreview', 'getAssetThumbnail', 'getAssetVideo', 'getFaceThumbnail', 'getPersonThumbnail',
    ]);
  });

  it('every contract route reaches its handler with its parsed input', async () => {
    const h = harness();
    for (const key of jsonKeys) {
      const sample = SAMPLES[key as JsonRouteKey];
      const before = h.spy.calls.length;
      const result = await h.invoke(key, sample);
      expect(result, key).toEqual({ ok: true, data: { answeredBy: key, at: 42 } });
      expect(h.spy.calls.length, key).toBe(before + 1);
      const call = h.spy.calls.at(-1)!;
      expect(call.key).toBe(key);
      expect(call.input, key).toEqual(expected(routes[key], sample));
      expect(call.ctx).toEqual({ ownerId: 'local' });
    }
    expect(h.spy.calls.map((c) => c.key)).toEqual(jsonKeys);
  });

  it('hands handlers the schemas’ output: defaults, coercions and trimming applied', async () => {
    const h = harness();
    const inputOf = async (key: RouteKey, sample: Sample): Promise<unknown> => {
      expect((await h.invoke(key, sample)).ok).toBe(true);
      return h.spy.calls.at(-1)!.input;
    };
    expect(await inputOf('listAssets', { query: { page: '2', type: 'image' } }))
      .toEqual({ params: {}, query: { page: 2, size: 100, order: 'desc', type: 'image' }, body: undefined });
    expect(await inputOf('getJobsStatus', {})).toEqual({ params: {}, query: { failures: 50 }, body: undefined });
    expect(await inputOf('listPeople', { query: { withHidden: '1', minFaces: '3' } }))
      .toEqual({ params: {}, query: { withHidden: true, minFaces: 3 }, body: undefined });
    expect(await inputOf('createAlbum', { body: { name: '  Holiday  ' } })).toEqual({ params: {}, query: {}, body: { name: 'Holiday' } });
    expect(await inputOf('emptyTrash', {})).toEqual({ params: {}, query: {}, body: { deleteFiles: false } });
    // A route without input takes none, whatever is sent.
    expect(await inputOf('getServerInfo', undefined as unknown as Sample)).toEqual({ params: {}, query: {}, body: undefined });
  });

  it('refuses file routes over IPC and points to the shoebox:// URL', async () => {
    const h = harness();
    for (const key of fileKeys) {
      const body = expectError(await h.invoke(key, { params: { id: A } }), 405, 'NOT_SUPPORTED');
      expect(body.error.message).toContain(`shoebox://app${routes[key].path}`);
    }
    expect(h.spy.calls).toEqual([]);
  });

  it('refuses unknown route keys, malformed messages and unknown channels', async () => {
    const h = harness();
    expectError(await h.invoke('deleteEverything', {}), 404, 'NOT_FOUND');
    expectError(await h.invoke('__proto__', {}), 404, 'NOT_FOUND');
    expectError(await h.invoke('toString', {}), 404, 'NOT_FOUND');
    const event = ipcEvent(h.app);
    expectError((await h.ipc.invoke(IPC_CHANNELS.invoke, event, 'getServerInfo')) as IpcResult, 400, 'BAD_REQUEST');
    expectError((await h.ipc.invoke(IPC_CHANNELS.invoke, event, [{ key: 'getServerInfo' }])) as IpcResult, 400, 'BAD_REQUEST');
    expectError((await h.ipc.invoke(IPC_CHANNELS.invoke, event)) as IpcResult, 400, 'BAD_REQUEST');
    expectError((await h.ipc.invoke(IPC_CHANNELS.invoke, event, { key: 'getServerInfo' }, { extra: 1 })) as IpcResult, 400, 'BAD_REQUEST');
    expectError((await h.ipc.invoke(IPC_CHANNELS.invoke, event, { key: 'getServerInfo', input: {}, as: 'admin' })) as IpcResult, 400, 'BAD_REQUEST');
    expectError(await h.invoke('getAsset', 'not an object'), 400, 'BAD_REQUEST');
    expectError(await h.invoke('getAsset', { params: { id: A }, headers: {} }), 400, 'BAD_REQUEST');
    expect(h.spy.calls).toEqual([]);
    // Only the two channels are answered; the event channel and anything else has no handler.
    expect([...h.ipc.handlers.keys()].sort()).toEqual([IPC_CHANNELS.desktop, IPC_CHANNELS.invoke].sort());
    await expect(h.ipc.invoke(IPC_CHANNELS.event, event, { key: 'getServerInfo' })).rejects.toThrow(/No handler registered/);
    await expect(h.ipc.invoke('shoebox:eval', event, { key: 'getServerInfo' })).rejects.toThrow(/No handler registered/);
    h.dispose();
    expect(h.ipc.handlers.size).toBe(0);
    await expect(h.ipc.invoke(IPC_CHANNELS.invoke, event, { key: 'getServerInfo' })).rejects.toThrow(/No handler registered/);
  });

  it('answers invalid input with VALIDATION_FAILED naming the field', async () => {
    const h = harness();
    const body = expectError(await h.invoke('getAsset', { params: { id: 'not-a-uuid' } }), 400, 'VALIDATION_FAILED');
    expect(body.error.details?.map((d) => d.path)).toEqual(['params.id']);
    const patch = expectError(await h.invoke('updateAsset', { params: { id: A }, body: { rating: 9 } }), 400, 'VALIDATION_FAILED');
    expect(patch.error.details?.[0]?.path).toBe('body.rating');
    const query = expectError(await h.invoke('getTimeBucket', { query: { timeBucket: '2024-13-01' } }), 400, 'VALIDATION_FAILED');
    expect(query.error.details?.[0]?.path).toBe('query.timeBucket');
    expect(h.spy.calls).toEqual([]);
  });
});

describe('IPC bridge: senders', () => {
  it('refuses foreign senders with 403 before any handler runs, and logs a warning', async () => {
    const h = harness();
    const other = fakeContents(99);
    const evil = fakeContents(APP_WINDOW, 'https://evil.example/index.html');
    const file = fakeContents(APP_WINDOW, 'file:///home/me/page.html');
    const lookalike = fakeContents(APP_WINDOW, 'shoebox://app.evil.example/index.html');
    const userinfo = fakeContents(APP_WINDOW, 'shoebox://evil@app/index.html');
    const foreign = [
      ['another webContents', ipcEvent(other)],
      ['a subframe of the app window', ipcEvent(h.app, 'sub')],
      ['a frame that is gone', ipcEvent(h.app, 'none')],
      ['another origin', ipcEvent(evil)],
      ['a file:// page', ipcEvent(file)],
      ['a look-alike host', ipcEvent(lookalike)],
      ['credentials in the URL', ipcEvent(userinfo)],
    ] as const;
    for (const [what, event] of foreign) {
      expectError(await h.invoke('getServerInfo', {}, event), 403, 'FORBIDDEN');
      expectError(await h.desktop('getAppSettings', {}, event), 403, 'FORBIDDEN');
      expect(h.spy.calls, what).toEqual([]);
    }
    expect(h.dialogCalls).toEqual([]);
    const warnings = h.logLines.map((l) => JSON.parse(l) as { level: number; msg: string; senderId: number });
    expect(warnings).toHaveLength(foreign.length * 2);
    expect(warnings.every((w) => w.level === 40 && /untrusted sender/.test(w.msg))).toBe(true);
    expect(warnings[0]!.senderId).toBe(99);
    // The app window itself, and the app's second window, are heard.
    expect((await h.invoke('getServerInfo', {})).ok).toBe(true);
    expect((await h.invoke('getServerInfo', {}, ipcEvent(fakeContents(8)))).ok).toBe(true);
  });

  it('reads what a real WebFrameMain adds: a parent, detached, and its own origin', () => {
    const trusted = trustedSender(() => [APP_WINDOW]);
    const withFrame = (frame: object): boolean => {
      const contents = { ...fakeContents(APP_WINDOW), mainFrame: { url: 'shoebox://app/people', ...frame } };
      return trusted({ sender: contents, senderFrame: contents.mainFrame });
    };
    expect(withFrame({ parent: null, detached: false, origin: 'shoebox://app' })).toBe(true);
    expect(withFrame({ parent: { url: 'shoebox://app/' }, detached: false, origin: 'shoebox://app' })).toBe(false);
    expect(withFrame({ parent: null, detached: true, origin: 'shoebox://app' })).toBe(false);
    expect(withFrame({ parent: null, detached: false, origin: 'null' })).toBe(false);
    expect(trustedSender(() => [APP_WINDOW], 'https://other.example')({ sender: fakeContents(APP_WINDOW), senderFrame: null })).toBe(false);
  });

  it('stops trusting a window whose page navigated away from the app', async () => {
    const h = harness();
    expect((await h.invoke('listRoots', {})).ok).toBe(true);
    h.app.navigate('https://evil.example/');
    expectError(await h.invoke('listRoots', {}), 403, 'FORBIDDEN');
    expect(h.spy.calls).toHaveLength(1);
  });
});

describe('IPC bridge: a real engine', () => {
  let engine: Engine;

  beforeAll(() => {
    engine = new Engine({ dataDir: tempDir('ipc-engine'), mode: 'desktop', log: silent, workers: 1 });
  });

  afterAll(async () => {
    await engine.close();
  });

  it('brings back the engine’s answers and its AppErrors in the contract’s error shape', async () => {
    const h = harness({ handlers: engine.handlers });
    const info = await h.invoke('getServerInfo', {});
    if (!info.ok) throw new Error(JSON.stringify(info));
    expect(routes.getServerInfo.response.parse(info.data)).toMatchObject({ name: 'shoebox', mode: 'desktop', roots: 0 });
    const missing = expectError(await h.invoke('getAsset', { params: { id: A } }), 404, 'ASSET_NOT_FOUND');
    expect(missing.error.message).toContain(A);
    expectError(await h.invoke('getAlbum', { params: { id: B } }), 404, 'ALBUM_NOT_FOUND');
    expectError(await h.invoke('addRoot', { body: { path: path.join(fileDir, 'no-such-folder') } }), 422, 'FOLDER_NOT_FOUND');
    const root = await h.invoke('addRoot', { body: { path: fileDir } });
    if (!root.ok) throw new Error(JSON.stringify(root));
    expect(routes.addRoot.response.parse(root.data).path).toBe(fs.realpathSync(fileDir));
    expectError(await h.invoke('addRoot', { body: { path: fileDir } }), 409, 'ROOT_ALREADY_EXISTS');
  });
});

describe('IPC bridge: desktop calls', () => {
  it('pickFolders opens the folder picker on the calling window and answers [] when cancelled', async () => {
    const cancelled = harness();
    expect(await cancelled.desktop('pickFolders', { title: 'Add folders' })).toEqual({ ok: true, data: { folders: [] } });
    expect(cancelled.dialogCalls).toEqual([{
      window: { name: 'the app window' },
      options: { title: 'Add folders', properties: ['openDirectory', 'multiSelections', 'createDirectory'] },
    }]);
    const chosen = harness({ dialog: { canceled: false, filePaths: ['/home/me/Pictures', '/media/usb/DCIM'] } });
    expect(await chosen.desktop('pickFolders', {})).toEqual({ ok: true, data: { folders: ['/home/me/Pictures', '/media/usb/DCIM'] } });
    expect(chosen.dialogCalls[0]!.options).toEqual({ properties: ['openDirectory', 'multiSelections', 'createDirectory'] });
    expectError(await chosen.desktop('pickFolders', { title: 'x'.repeat(201) }), 400, 'VALIDATION_FAILED');
    expectError(await chosen.desktop('pickFolders', { multiple: true }), 400, 'VALIDATION_FAILED');
  });

  it('revealInFolder shows the asset’s file; a bad id is a 400 and an unknown one a 404', async () => {
    const h = harness();
    expect(await h.desktop('revealInFolder', { assetId: A })).toEqual({ ok: true, data: { ok: true } });
    expect(h.shellCalls.reveal).toEqual([path.join(fileDir, 'a.jpg')]);
    const bad = expectError(await h.desktop('revealInFolder', { assetId: 'a.jpg' }), 400, 'VALIDATION_FAILED');
    expect(bad.error.details?.[0]?.path).toBe('input.assetId');
    expectError(await h.desktop('revealInFolder', { assetId: '00000000-0000-4000-8000-000000000000' }), 404, 'ASSET_NOT_FOUND');
    h.files[B] = path.join(fileDir, 'gone.jpg');
    expectError(await h.desktop('revealInFolder', { assetId: B }), 404, 'FILE_OFFLINE');
    expect(h.shellCalls.reveal).toHaveLength(1);
  });

  it('openWithDefaultApp opens the file and turns the shell’s failure into an error', async () => {
    const ok = harness();
    expect(await ok.desktop('openWithDefaultApp', { assetId: B })).toEqual({ ok: true, data: { ok: true } });
    expect(ok.shellCalls.open).toEqual([path.join(fileDir, 'b.jpg')]);
    const failing = harness({ openPathAnswer: 'No application knows how to open this file' });
    const body = expectError(await failing.desktop('openWithDefaultApp', { assetId: B }), 500, 'INTERNAL');
    expect(body.error.message).toContain('No application knows how to open this file');
    failing.files[A] = path.join(fileDir, 'gone.jpg');
    expectError(await failing.desktop('openWithDefaultApp', { assetId: A }), 404, 'FILE_OFFLINE');
    expect(failing.shellCalls.open).toHaveLength(1);
  });

  it('openWithDefaultApp opens only photo and video file types; reveal and drag take any file', async () => {
    // Files the library indexed for their first bytes: a script that starts like a JPEG would be
    // run by the OS, not shown.
    const jpegHead = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
    const risky: Record<string, string> = {};
    for (const name of ['run.cmd', 'page.hta', 'job.wsf', 'script.vbe', 'saver.scr', 'task.ps1', 'tool.jar', 'NOEXT', 'photo.jpg.bat']) {
      risky[name] = path.join(fileDir, name);
      fs.writeFileSync(risky[name], jpegHead);
    }
    // A name that says photo but points at a script, and a folder named like a photo.
    risky['alias.jpg'] = path.join(fileDir, 'alias.jpg');
    fs.symlinkSync(risky['run.cmd']!, risky['alias.jpg']);
    risky['album.jpg'] = path.join(fileDir, 'album.jpg');
    fs.mkdirSync(risky['album.jpg']);
    const h = harness();
    for (const [name, file] of Object.entries(risky)) {
      h.files[A] = file;
      const body = expectError(await h.desktop('openWithDefaultApp', { assetId: A }), 405, 'NOT_SUPPORTED');
      expect(body.error.message, name).toContain('not a photo or video');
    }
    expect(h.shellCalls.open).toEqual([]);
    // Upper-case photo and video extensions are photos and videos.
    for (const name of ['IMG_0001.JPG', 'clip.MOV', 'raw.cr3']) {
      h.files[A] = path.join(fileDir, name);
      fs.writeFileSync(h.files[A], jpegHead);
      expect(await h.desktop('openWithDefaultApp', { assetId: A }), name).toEqual({ ok: true, data: { ok: true } });
    }
    expect(h.shellCalls.open.map((f) => path.basename(f))).toEqual(['IMG_0001.JPG', 'clip.MOV', 'raw.cr3']);
    h.files[A] = risky['run.cmd']!;
    expect(await h.desktop('revealInFolder', { assetId: A })).toEqual({ ok: true, data: { ok: true } });
    expect(await h.desktop('startDrag', { assetIds: [A] })).toEqual({ ok: true, data: { ok: true } });
    expect({ reveal: h.shellCalls.reveal, drag: h.app.drags[0]!.file }).toEqual({ reveal: [risky['run.cmd']], drag: risky['run.cmd'] });
  });

  it('startDrag drags the assets’ files out of the calling window; offline files are refused', async () => {
    const h = harness();
    expect(await h.desktop('startDrag', { assetIds: [A, B] })).toEqual({ ok: true, data: { ok: true } });
    expect(h.app.drags).toHaveLength(1);
    expect(h.app.drags[0]).toMatchObject({ file: path.join(fileDir, 'a.jpg'), files: [path.join(fileDir, 'a.jpg'), path.join(fileDir, 'b.jpg')] });
    expect(h.app.drags[0]!.icon.isEmpty()).toBe(false);
    h.files[B] = path.join(fileDir, 'gone.jpg');
    expectError(await h.desktop('startDrag', { assetIds: [A, B] }), 404, 'FILE_OFFLINE');
    expectError(await h.desktop('startDrag', { assetIds: [] }), 400, 'VALIDATION_FAILED');
    expect(h.app.drags).toHaveLength(1);
    const noIcon = harness({ emptyIcon: true });
    expectError(await noIcon.desktop('startDrag', { assetIds: [A] }), 500, 'INTERNAL');
    expect(noIcon.app.drags).toHaveLength(0);
  });

  it('reads and updates the app settings through the settings port', async () => {
    const h = harness();
    expect(await h.desktop('getAppSettings', {})).toEqual({ ok: true, data: DEFAULT_APP_SETTINGS });
    expect(await h.desktop('updateAppSettings', { startAtLogin: true })).toEqual({
      ok: true, data: { ...DEFAULT_APP_SETTINGS, startAtLogin: true },
    });
    expect(h.settings.value.startAtLogin).toBe(true);
    expectError(await h.desktop('updateAppSettings', { startAtLogin: 'yes' }), 400, 'VALIDATION_FAILED');
    expectError(await h.desktop('updateAppSettings', { theme: 'dark' }), 400, 'VALIDATION_FAILED');
    expect(h.settings.value).toEqual({ ...DEFAULT_APP_SETTINGS, startAtLogin: true });
  });

  it('refuses unknown desktop calls and malformed messages', async () => {
    const h = harness();
    expectError(await h.desktop('runShellCommand', { command: 'rm -rf /' }), 404, 'NOT_FOUND');
    expectError(await h.desktop('getServerInfo', {}), 404, 'NOT_FOUND');
    expectError(await h.desktop('hasOwnProperty', {}), 404, 'NOT_FOUND');
    expectError((await h.ipc.invoke(IPC_CHANNELS.desktop, ipcEvent(h.app), null)) as IpcResult, 400, 'BAD_REQUEST');
    expect(h.dialogCalls).toEqual([]);
    expect(h.shellCalls).toEqual({ reveal: [], open: [] });
  });
});
