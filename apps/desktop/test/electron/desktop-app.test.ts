// The Electron shell over fake Electron APIs and a real engine on a temporary library: single
// instance, the secure window and its guards, the remembered window, closing to the tray or
// quitting (within a time limit when the engine hangs), progress in the tray / taskbar / renderer,
// the menus, start at login, a hidden login start (--hidden, or macOS's wasOpenedAtLogin), and the
// IPC bridge and protocol being wired to the engine.
import fs from 'node:fs';
import path from 'node:path';
import { IPC_CHANNELS, ServerInfo, type DesktopEvent, type IpcResult } from '@shoebox/core/contract';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACCELERATORS, appMenuTemplate } from '../../src/electron/main/app-menu.ts';
import { startDesktopApp, type DesktopApp } from '../../src/electron/main/desktop-app.ts';
import { centredOn } from '../../src/electron/main/window-state.ts';
import { CORPUS, tempDir } from '../helpers/cli.ts';
import { FakeElectron, FakeWebContents, findMenuItem, type FakeOptions, type FakeWindow } from './fake-electron.ts';

const silent = pino({ level: 'silent' });
const UI_ICONS = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'packages', 'ui', 'public', 'icons');
const running: { app: DesktopApp; fake: FakeElectron }[] = [];

interface Started {
  app: DesktopApp;
  fake: FakeElectron;
  dataDir: string;
}

async function start(
  opts: Partial<FakeOptions> = {}, dirs: { userData?: string; dataDir?: string } = {}, appOptions: { quitTimeoutMs?: number } = {},
): Promise<Started> {
  const userData = dirs.userData ?? tempDir('app-user');
  const dataDir = dirs.dataDir ?? tempDir('app-data');
  const rendererDir = path.join(userData, 'renderer');
  fs.mkdirSync(rendererDir, { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Shoebox</title>');
  fs.mkdirSync(path.join(rendererDir, 'icons'), { recursive: true });
  fs.copyFileSync(path.join(UI_ICONS, 'icon-192.png'), path.join(rendererDir, 'icons', 'icon-192.png'));
  const fake = new FakeElectron({ userData, ...opts });
  const app = await startDesktopApp(fake, {
    preloadPath: '/app/out/preload/preload.cjs', rendererDir, dataDir, log: silent, workers: 1, progressIntervalMs: 50, ...appOptions,
  });
  running.push({ app, fake });
  return { app, fake, dataDir };
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function mainWindow(fake: FakeElectron): FakeWindow {
  const w = fake.windows.at(-1);
  if (!w) throw new Error('no window');
  return w;
}

async function call(fake: FakeElectron, channel: string, key: string, input: unknown, from?: FakeWebContents): Promise<IpcResult> {
  const sender = from ?? mainWindow(fake).webContents;
  return (await fake.ipcMain.invoke(channel, FakeElectron.eventFrom(sender), { key, input })) as IpcResult;
}

afterEach(async () => {
  for (const { app, fake } of running.splice(0)) {
    if (app.status === 'running' && fake.app.exitCode === null) app.quit();
    await app.stopped;
  }
});

describe('desktop app', () => {
  it('a second launch quits at once: no window, no engine, no lock on the library', async () => {
    const dataDir = path.join(tempDir('app-data'), 'library');
    const fake = new FakeElectron({ userData: tempDir('app-user') });
    fake.app.lockGranted = false;
    const app = await startDesktopApp(fake, { preloadPath: '/p.cjs', rendererDir: '/r', dataDir, log: silent });
    expect(app.status).toBe('second-instance');
    expect(app.engine).toBeNull();
    expect(fake.app.quitCalls).toBe(1);
    expect(fake.windows).toEqual([]);
    expect(fake.trays).toEqual([]);
    expect(fake.privileged).toEqual([]);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('opens the secure window on shoebox://app/, and a second launch brings it back', async () => {
    const { app, fake } = await start();
    expect(app.status).toBe('running');
    const w = mainWindow(fake);
    expect(w.options.webPreferences).toEqual({
      preload: '/app/out/preload/preload.cjs', sandbox: true, contextIsolation: true, nodeIntegration: false,
      nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false,
      webviewTag: false, navigateOnDragDrop: false, spellcheck: true,
    });
    expect(w.options.show).toBe(false);
    expect(w.loaded).toEqual(['shoebox://app/']);
    await until(() => w.visible, 'the window to show');

    w.minimize();
    w.hide();
    const focused = w.focusCount;
    fake.app.secondInstance(['--hidden']);
    expect(w.visible).toBe(false);
    fake.app.secondInstance([]);
    expect({ visible: w.visible, minimized: w.minimized, focused: w.focusCount > focused }).toEqual({ visible: true, minimized: false, focused: true });
    expect(fake.windows).toHaveLength(1);
  });

  it('keeps every page on the app: no navigation away, no new window, no webview, no permission', async () => {
    const { fake } = await start();
    const contents = mainWindow(fake).webContents;
    expect(contents.navigate('https://evil.example/')).toBe(false);
    expect(contents.navigate('file:///etc/passwd')).toBe(false);
    expect(contents.navigate('shoebox://other/')).toBe(false);
    expect(contents.redirect('http://127.0.0.1:8080/')).toBe(false);
    expect(contents.navigate('shoebox://app/people')).toBe(true);
    expect(contents.open('https://example.com/licence')).toBe('deny');
    expect(contents.open('file:///etc/passwd')).toBe('deny');
    // A web link opens in the user's browser, anything else nowhere.
    expect(fake.external).toEqual(['https://example.com/licence']);
    expect(contents.attachWebview()).toBe(false);
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      expect(await fake.requestPermission(contents, permission), permission).toBe(false);
    }
    expect(fake.permissionCheckHandler!(contents, 'media')).toBe(false);
    // The video player's full screen is the one thing the app's own page may have.
    expect(await fake.requestPermission(contents, 'fullscreen')).toBe(true);
    contents.navigate('https://evil.example/');
    const stranger = new FakeWebContents();
    stranger.mainFrame.url = 'https://evil.example/';
    expect(await fake.requestPermission(stranger, 'fullscreen')).toBe(false);

    // Any other web contents that ever appears is guarded the same way.
    fake.app.emit('web-contents-created', {}, stranger);
    expect(stranger.open('https://example.com/')).toBe('deny');
    expect(stranger.navigate('https://elsewhere.example/')).toBe(false);
    expect(stranger.attachWebview()).toBe(false);
  });

  it('registers the scheme before ready, then the protocol and the IPC bridge over the engine', async () => {
    const { fake } = await start();
    expect(fake.privileged).toHaveLength(1);
    expect(fake.privileged[0]!.beforeReady).toBe(true);
    expect(fake.privileged[0]!.schemes[0]).toMatchObject({ scheme: 'shoebox', privileges: { standard: true, secure: true } });
    expect([...fake.protocols.keys()]).toEqual(['shoebox']);
    expect([...fake.ipcHandlers.keys()].sort()).toEqual([IPC_CHANNELS.desktop, IPC_CHANNELS.invoke].sort());

    const info = await call(fake, IPC_CHANNELS.invoke, 'getServerInfo', {});
    expect(info.ok).toBe(true);
    expect(ServerInfo.parse(info.ok ? info.data : null).mode).toBe('desktop');
    const stranger = new FakeWebContents();
    stranger.mainFrame.url = 'shoebox://app/';
    expect(await call(fake, IPC_CHANNELS.invoke, 'getServerInfo', {}, stranger)).toMatchObject({ ok: false, status: 403 });
    expect(await call(fake, IPC_CHANNELS.desktop, 'getAppSettings', {})).toEqual({
      ok: true, data: { keepRunningInBackground: true, startAtLogin: false },
    });
    const page = await fake.fetch('shoebox://app/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Shoebox</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('puts the window back where it was, and on screen when its display is gone', async () => {
    const userData = tempDir('app-user');
    const monitor = { x: 1920, y: 0, width: 2560, height: 1400 };
    fs.writeFileSync(path.join(userData, 'window-state.json'), JSON.stringify({
      x: 2100, y: 50, width: 1500, height: 1000, maximized: true, fullScreen: false,
    }));
    const first = await start({ workAreas: [{ x: 0, y: 0, width: 1920, height: 1040 }, monitor] }, { userData });
    const w = mainWindow(first.fake);
    expect(w.options).toMatchObject({ x: 2100, y: 50, width: 1500, height: 1000 });
    await until(() => w.visible, 'the window to show');
    expect(w.maximized).toBe(true);
    first.app.quit();
    await first.app.stopped;

    const laptop = { x: 0, y: 0, width: 1366, height: 740 };
    const second = await start({ workAreas: [laptop] }, { userData });
    expect(mainWindow(second.fake).options).toMatchObject(centredOn(laptop));
  });

  it('closing the window keeps the app and the engine running in the tray; Quit closes the engine', async () => {
    const { app, fake, dataDir } = await start();
    const w = mainWindow(fake);
    await until(() => w.visible, 'the window to show');
    w.close();
    expect({ destroyed: w.destroyed, visible: w.visible }).toEqual({ destroyed: false, visible: false });
    expect(fake.app.exitCode).toBeNull();
    expect((await call(fake, IPC_CHANNELS.invoke, 'getServerInfo', {})).ok).toBe(true);
    expect(fake.trays[0]!.destroyed).toBe(false);

    fake.trays[0]!.click('Quit Shoebox');
    await app.stopped;
    expect(fake.app.exitCode).toBe(0);
    expect(w.destroyed).toBe(true);
    expect(fake.trays[0]!.destroyed).toBe(true);
    expect(fake.ipcHandlers.size).toBe(0);
    // The engine closed and let go of the library.
    expect(fs.existsSync(path.join(dataDir, 'engine.lock'))).toBe(false);
    expect(() => app.engine!.catalog.sqlite.prepare('SELECT 1').get()).toThrow();
    // A launch during or after the quit opens nothing.
    fake.app.secondInstance([]);
    expect(fake.openWindows()).toEqual([]);
  });

  it('Quit ends the app even when the engine never closes: the lock is released and it exits with 1', async () => {
    const { app, fake, dataDir } = await start({}, {}, { quitTimeoutMs: 300 });
    await until(() => mainWindow(fake).visible, 'the window to show');
    const engine = app.engine!;
    const close = vi.spyOn(engine, 'close').mockReturnValue(new Promise<void>(() => undefined));
    try {
      const quitAt = Date.now();
      fake.trays[0]!.click('Quit Shoebox');
      await until(() => fake.app.exitCode !== null, 'the app to exit', 5_000);
      expect(Date.now() - quitAt).toBeGreaterThanOrEqual(290);
      await app.stopped;
      expect(fake.app.exitCode).toBe(1);
      expect(close).toHaveBeenCalledTimes(1);
      expect(fs.existsSync(path.join(dataDir, 'engine.lock'))).toBe(false);
      expect({ windows: fake.openWindows().length, tray: fake.trays[0]!.destroyed }).toEqual({ windows: 0, tray: true });
    } finally {
      close.mockRestore();
      await engine.close();
    }
  });

  it('on macOS a window closed to the menu bar takes the dock icon with it, and the dock brings it back', async () => {
    const { fake } = await start({ platform: 'darwin' });
    const w = mainWindow(fake);
    await until(() => w.visible, 'the window to show');
    const dock = fake.app.dock!;
    expect(dock.menu.map((m) => m.label)).toEqual(['Add Folder…', 'Rescan Library']);
    w.close();
    expect({ visible: w.visible, dockHidden: dock.hidden }).toEqual({ visible: false, dockHidden: true });
    fake.app.emit('activate', {});
    expect({ visible: w.visible, dockHidden: dock.hidden }).toEqual({ visible: true, dockHidden: false });
  });

  it('without keepRunningInBackground, closing the window quits after closing the engine', async () => {
    const { app, fake, dataDir } = await start();
    await until(() => mainWindow(fake).visible, 'the window to show');
    expect(await call(fake, IPC_CHANNELS.desktop, 'updateAppSettings', { keepRunningInBackground: false })).toMatchObject({ ok: true });
    expect(fs.existsSync(path.join(dataDir, 'engine.lock'))).toBe(true);
    mainWindow(fake).close();
    await app.stopped;
    expect(fake.app.exitCode).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'engine.lock'))).toBe(false);
  });

  it('shows indexing progress in the tray, the taskbar, the dock badge and the renderer while it indexes; desktop calls reach its files', async () => {
    const { app, fake } = await start();
    const w = mainWindow(fake);
    await until(() => w.visible, 'the window to show');
    const library = tempDir('app-lib');
    for (const name of ['Canon_40D.jpg', 'Nikon_D70.jpg', 'Pentax_K10D.jpg', 'Sony_HDR-HC3.jpg']) {
      const file = path.join(library, name);
      fs.copyFileSync(path.join(CORPUS, 'jpeg', 'cameras-small', name), file);
      // Files written a while ago: the watcher need not wait for them to settle.
      fs.utimesSync(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    }
    // The start-up scan is over: the scan asked for below walks the new folder.
    await until(() => !app.engine!.scanner.busy, 'the start-up scan to end');
    expect(await call(fake, IPC_CHANNELS.invoke, 'addRoot', { body: { path: library } })).toMatchObject({ ok: true });
    // The watcher may well find the new folder's files first.
    expect(await call(fake, IPC_CHANNELS.invoke, 'scanLibrary', { body: { retryFailed: false } })).toMatchObject({ ok: true });
    const tray = fake.trays[0]!;
    await until(() => tray.tooltips.some((t) => /Indexing: \d+ of \d+/.test(t)), 'progress in the tray');
    await until(() => tray.tooltips.at(-1) === 'Shoebox — Library up to date', 'the tray to say the library is up to date');
    const info = await call(fake, IPC_CHANNELS.invoke, 'getServerInfo', {});
    expect(ServerInfo.parse(info.ok ? info.data : null).assets).toMatchObject({ image: 4, failed: 0 });

    expect(w.progress.some((p) => p >= 0 && p < 1)).toBe(true);
    expect(w.progress.at(-1)).toBe(-1);
    expect(fake.app.badgeCounts.some((n) => n > 0)).toBe(true);
    expect(fake.app.badgeCounts.at(-1)).toBe(0);
    const events = w.webContents.payloads(IPC_CHANNELS.event) as DesktopEvent[];
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.some((e) => e.scanning || e.pending + e.running > 0)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ scanning: false, pending: 0, running: 0, failed: 0 });
    expect(progress.at(-1)!.done).toBeGreaterThanOrEqual(8);
    // The media work ran in utility processes (through the parentPort path).
    expect(fake.forks.map((f) => f.serviceName)).toContain('media worker');

    // The desktop calls reach the library's files: reveal, open, drag; an offline file is refused.
    const rows = app.engine!.catalog.sqlite.prepare('SELECT id, path FROM assets ORDER BY path').all() as { id: string; path: string }[];
    const [first, second] = [rows[0]!, rows[1]!];
    expect(await call(fake, IPC_CHANNELS.desktop, 'revealInFolder', { assetId: first.id })).toEqual({ ok: true, data: { ok: true } });
    expect(await call(fake, IPC_CHANNELS.desktop, 'openWithDefaultApp', { assetId: first.id })).toEqual({ ok: true, data: { ok: true } });
    expect(await call(fake, IPC_CHANNELS.desktop, 'startDrag', { assetIds: [first.id, second.id] })).toEqual({ ok: true, data: { ok: true } });
    expect({ shown: fake.shown, opened: fake.opened }).toEqual({ shown: [first.path], opened: [first.path] });
    expect(w.webContents.drags[0]).toMatchObject({ file: first.path, files: [first.path, second.path] });
    // The protocol serves the library's files (the allowed folders are its roots and the data folder).
    const thumb = await fake.fetch(`shoebox://app/api/assets/${first.id}/thumbnail`);
    expect({ status: thumb.status, type: thumb.headers.get('content-type') }).toEqual({ status: 200, type: 'image/webp' });
    const original = await fake.fetch(`shoebox://app/api/assets/${first.id}/original`, { headers: { range: 'bytes=0-9' } });
    expect({ status: original.status, bytes: (await original.arrayBuffer()).byteLength }).toEqual({ status: 206, bytes: 10 });
    app.engine!.catalog.sqlite.prepare('UPDATE assets SET offline = 1 WHERE id = ?').run(second.id);
    expect(await call(fake, IPC_CHANNELS.desktop, 'revealInFolder', { assetId: second.id }))
      .toMatchObject({ ok: false, status: 404, body: { error: { code: 'FILE_OFFLINE' } } });
    expect(await call(fake, IPC_CHANNELS.desktop, 'revealInFolder', { assetId: '01890000-0000-7000-8000-000000000000' }))
      .toMatchObject({ ok: false, status: 404, body: { error: { code: 'ASSET_NOT_FOUND' } } });
  });

  it('pauses, resumes and rescans from the tray, and the tray\'s and menu\'s commands reach the window', async () => {
    const { app, fake } = await start();
    const w = mainWindow(fake);
    await until(() => w.visible, 'the window to show');
    const tray = fake.trays[0]!;
    tray.click('Pause Indexing');
    expect([...app.engine!.queue.pausedLanes()].sort()).toEqual(['io', 'media', 'ml']);
    expect(findMenuItem(tray.menu, 'Resume Indexing')).toBeDefined();
    tray.click('Resume Indexing');
    expect([...app.engine!.queue.pausedLanes()]).toEqual([]);

    w.close();
    expect(w.visible).toBe(false);
    // With the window closed, a rescan from the tray runs in main.
    await until(() => !app.engine!.scanner.busy, 'the start-up scan to end');
    tray.click('Rescan Library');
    expect(app.engine!.scanner.busy).toBe(true);
    tray.click('Add Folder…');
    expect(w.visible).toBe(true);
    findMenuItem(fake.applicationMenu!, 'Settings')!.click!();
    const commands = (w.webContents.payloads(IPC_CHANNELS.event) as DesktopEvent[]).filter((e) => e.type === 'command');
    expect(commands).toEqual([
      { type: 'command', command: 'add-folder' },
      { type: 'command', command: 'navigate', path: '/settings' },
    ]);
  });

  it('has the native menus with the usual roles and shortcuts on each platform', async () => {
    const { fake } = await start();
    const menu = fake.applicationMenu!;
    expect(findMenuItem(menu, 'Add Folder…')!.accelerator).toBe('CmdOrCtrl+O');
    expect(findMenuItem(menu, 'Rescan Library')!.accelerator).toBe('CmdOrCtrl+Shift+R');
    expect(findMenuItem(menu, 'Settings')!.accelerator).toBe('CmdOrCtrl+,');
    for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen', 'reload', 'quit']) {
      expect(findMenuItem(menu, role), role).toBeDefined();
    }
    expect(menu.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);

    const noop = { addFolder: () => undefined, rescan: () => undefined, navigate: () => undefined, openLogFolder: () => undefined };
    const mac = appMenuTemplate({ platform: 'darwin', isPackaged: true }, noop);
    expect(mac.map((m) => m.label)).toEqual(['Shoebox', 'File', 'Edit', 'View', 'Window', 'Help']);
    const appMenu = mac[0]!.submenu!;
    for (const role of ['about', 'hide', 'quit']) expect(findMenuItem(appMenu, role), role).toBeDefined();
    expect(findMenuItem(appMenu, 'Settings…')!.accelerator).toBe(ACCELERATORS.settings);
    // A packaged app has no reload or developer tools.
    expect(findMenuItem(mac, 'reload')).toBeUndefined();
    expect(findMenuItem(mac, 'toggleDevTools')).toBeUndefined();
  });

  it('maps start at login to the login item', async () => {
    const { fake } = await start();
    await until(() => mainWindow(fake).visible, 'the window to show');
    expect(await call(fake, IPC_CHANNELS.desktop, 'updateAppSettings', { startAtLogin: true })).toEqual({
      ok: true, data: { keepRunningInBackground: true, startAtLogin: true },
    });
    expect(fake.app.loginItems).toEqual([{ openAtLogin: true, openAsHidden: true, args: ['--hidden'] }]);
  });

  it('a login start (--hidden) stays in the tray until the tray opens the window', async () => {
    const { fake } = await start({ argv: ['--hidden'] });
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.windows).toEqual([]);
    expect(fake.trays).toHaveLength(1);
    // A click on the tray icon opens it (Windows, Linux), as its menu's Open Shoebox does.
    fake.trays[0]!.emit('click');
    const w = mainWindow(fake);
    expect(w.loaded).toEqual(['shoebox://app/']);
    await until(() => w.visible, 'the window to show');
    w.close();
    fake.trays[0]!.click('Open Shoebox');
    expect(w.visible).toBe(true);
    expect(fake.windows).toHaveLength(1);
  });

  it('on macOS a login start (wasOpenedAtLogin, no arguments: macOS 13+ passes none) stays in the menu bar', async () => {
    const mac = await start({ platform: 'darwin', openedAtLogin: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(mac.fake.windows).toEqual([]);
    expect(mac.fake.trays).toHaveLength(1);
    mac.fake.trays[0]!.click('Open Shoebox');
    await until(() => mainWindow(mac.fake).visible, 'the window to show');
    expect(mac.fake.windows).toHaveLength(1);
  });

  it('a library another process works on: says so and quits', async () => {
    const dataDir = tempDir('app-data');
    // The parent of this test process is alive and not us: the lock is held.
    fs.writeFileSync(path.join(dataDir, 'engine.lock'), String(process.ppid));
    const { app, fake } = await start({}, { dataDir });
    expect(app.status).toBe('failed');
    expect(fake.errorBoxes).toHaveLength(1);
    expect(fake.errorBoxes[0]!.content).toContain(`pid ${process.ppid}`);
    expect(fake.app.quitCalls).toBe(1);
    expect(fake.windows).toEqual([]);
    expect(fs.readFileSync(path.join(dataDir, 'engine.lock'), 'utf8')).toBe(String(process.ppid));
  });
});
