// The Electron app's composition root: one instance per user, the same engine as the headless CLI
// (same data folder, same lock, same workers, here as utility processes), and around it the window,
// the IPC bridge, the shoebox:// protocol, the tray, the menus and the progress shown in them.
// Everything Electron is reached through ElectronApi, so tests run all of this with fakes.
import path from 'node:path';
import { AppError, type DesktopEvent, type RouteHandlers } from '@shoebox/core/contract';
import type { Level, Logger } from 'pino';
import { defaultDataDir, env } from '../../env.ts';
import { acquireDataLock } from '../../engine/data-lock.ts';
import { Engine, LOCAL_OWNER } from '../../engine/engine.ts';
import { appMenuTemplate, dockMenuTemplate, type MenuCommands } from './app-menu.ts';
import { createAppLogger } from './app-logger.ts';
import { APP_ORIGIN, registerAppProtocol, registerAppScheme } from './app-protocol.ts';
import { AppSettingsStore, HIDDEN_FLAG } from './app-settings.store.ts';
import { createDesktopCalls } from './desktop-calls.ts';
import type { ElectronApi } from './electron-api.ts';
import { IndexingProgress, INDEXING_LANES, showProgress } from './indexing-progress.ts';
import { registerIpcBridge } from './ipc-bridge.ts';
import { MainWindow } from './main-window.ts';
import { AppTray, type TrayCommands } from './tray.ts';
import { trustedSender } from './trusted-sender.ts';
import { utilityLauncher } from './utility-launcher.ts';
import { installAppGuards, restrictPermissions } from './web-security.ts';
import { WindowStateStore } from './window-state.ts';

export interface DesktopAppOptions {
  /** The bundled preload (out/preload/preload.cjs). */
  preloadPath: string;
  /** The renderer's build (out/renderer). */
  rendererDir: string;
  /** The library's data folder; default: the CLI's (SHOEBOX_DATA, else the per-user folder), so `shoebox` and the app share one library. */
  dataDir?: string;
  /** The app icon (window, tray, drag image); default: the renderer build's icons/icon-192.png. */
  iconPath?: string;
  /** Default: a pino log in userData/logs (and stderr in a development build). */
  log?: Logger;
  /** Media worker processes; default: the engine's (SHOEBOX_WORKERS, else one per core). */
  workers?: number;
  /** Scan the library's folders at start, as `shoebox serve` does (default true). */
  scanAtStart?: boolean;
  /** How often progress is read while work goes on (default 1 s). */
  progressIntervalMs?: number;
  /** How long Quit waits for the engine to close before the app exits anyway (default 20 s). */
  quitTimeoutMs?: number;
}

export type DesktopAppStatus = 'running' | 'second-instance' | 'failed';

export interface DesktopApp {
  readonly status: DesktopAppStatus;
  readonly engine: Engine | null;
  readonly window: MainWindow | null;
  readonly settings: AppSettingsStore | null;
  readonly progress: IndexingProgress | null;
  /** Resolves once the app has shut down (the engine closed, the lock released). */
  readonly stopped: Promise<void>;
  /** Quits as the menu's Quit does. */
  quit(): void;
}

function inert(api: ElectronApi, status: DesktopAppStatus): DesktopApp {
  return {
    status, engine: null, window: null, settings: null, progress: null, stopped: Promise.resolve(), quit: () => api.app.quit(),
  };
}

function logLevel(): Level {
  const configured = env().SHOEBOX_LOG_LEVEL;
  // The app's file log keeps info lines (what it did, for bug reports) unless asked for more.
  return configured === 'trace' || configured === 'debug' ? configured : 'info';
}

/** The asset's original when the library has it and it is online (for reveal, open and drag). */
function assetFileOf(engine: Engine): (assetId: string) => string {
  const stmt = engine.catalog.sqlite.prepare(`SELECT path, offline FROM assets WHERE id = ? AND visibility != 'removed'`);
  return (assetId) => {
    const row = stmt.get(assetId) as { path: string; offline: number } | undefined;
    if (!row) throw new AppError('ASSET_NOT_FOUND', `no asset ${assetId}`);
    if (row.offline) throw new AppError('FILE_OFFLINE', `the file of asset ${assetId} is offline (its drive may be disconnected)`);
    return row.path;
  };
}

export async function startDesktopApp(api: ElectronApi, options: DesktopAppOptions): Promise<DesktopApp> {
  // A second launch hands over to the first (its 'second-instance' shows the window) and leaves
  // before touching the library.
  if (!api.app.requestSingleInstanceLock()) {
    api.app.quit();
    return inert(api, 'second-instance');
  }
  // Both must happen before the app is ready.
  registerAppScheme(api.protocol);
  installAppGuards(api, APP_ORIGIN);
  let showRequested = false;
  let shown: MainWindow | null = null;
  let quitting = false;
  api.app.on('second-instance', (_event, argv) => {
    // A login start while the app already runs changes nothing; nor does anything once quitting.
    if (argv.includes(HIDDEN_FLAG) || quitting) return;
    if (shown) shown.show();
    else showRequested = true;
  });

  await api.app.whenReady();
  // A login start stays in the tray: Windows and Linux pass --hidden; macOS 13+ ignores both the
  // arguments and openAsHidden, and tells a login start by wasOpenedAtLogin instead.
  const startHidden = api.argv.includes(HIDDEN_FLAG)
    || (api.platform === 'darwin' && api.app.getLoginItemSettings().wasOpenedAtLogin === true);
  restrictPermissions(api, APP_ORIGIN);
  const logger = options.log ? null : createAppLogger(api.paths.userData, { level: logLevel(), toStderr: !api.isPackaged });
  const log = options.log ?? logger!.log;
  const logsDir = logger?.dir ?? path.join(api.paths.userData, 'logs');
  const dataDir = path.resolve(options.dataDir ?? env().SHOEBOX_DATA ?? defaultDataDir());

  let unlock: () => void;
  let engine: Engine;
  try {
    unlock = acquireDataLock(dataDir);
  } catch (error) {
    log.error({ err: error }, 'could not take the library');
    api.dialog.showErrorBox('Shoebox cannot open your library', error instanceof Error ? error.message : String(error));
    logger?.flush();
    api.app.quit();
    return inert(api, 'failed');
  }
  try {
    engine = new Engine({
      dataDir, mode: 'desktop', log, launcher: utilityLauncher(api), ...(options.workers ? { workers: options.workers } : {}),
    });
  } catch (error) {
    unlock();
    log.error({ err: error }, 'could not open the library');
    api.dialog.showErrorBox('Shoebox cannot open your library', `${error instanceof Error ? error.message : String(error)}\n\nLibrary: ${dataDir}`);
    logger?.flush();
    api.app.quit();
    return inert(api, 'failed');
  }
  log.info({ packaged: api.isPackaged, hidden: startHidden }, 'Shoebox started');

  const iconPath = options.iconPath ?? path.join(options.rendererDir, 'icons', 'icon-192.png');
  const settings = new AppSettingsStore(api.paths.userData, api.app);
  const windowState = new WindowStateStore(api.paths.userData);
  const progress = new IndexingProgress(engine, { ...(options.progressIntervalMs ? { intervalMs: options.progressIntervalMs } : {}) });
  let republish: (force?: boolean) => void = () => undefined;
  const win = new MainWindow(api, {
    preloadPath: options.preloadPath, appOrigin: APP_ORIGIN, url: `${APP_ORIGIN}/`, iconPath, state: windowState,
    log: log.child({ component: 'window' }),
    hideOnClose: () => settings.get().keepRunningInBackground,
    onLoaded: () => republish(true),
  });
  shown = win;

  // Scans from anywhere (start-up, the tray, the UI's scan route) show as "scanning".
  const handlers: RouteHandlers = {
    ...engine.handlers,
    scanLibrary: (input, ctx) => progress.track(engine.handlers.scanLibrary(input, ctx)),
  };
  const scan = (): void => {
    progress.track(engine.scanner.scan({ retryFailed: false })).catch((error: unknown) => log.error({ err: error }, 'scan failed'));
  };
  const command = (event: Extract<DesktopEvent, { type: 'command' }>): void => {
    win.show();
    win.send(event);
  };
  const commands: TrayCommands & MenuCommands = {
    open: () => win.show(),
    addFolder: () => command({ type: 'command', command: 'add-folder' }),
    // With the window open the UI scans (and shows what it found); without it main does.
    rescan: () => {
      const w = win.current();
      if (w?.isVisible()) win.send({ type: 'command', command: 'rescan' });
      else scan();
    },
    navigate: (to) => command({ type: 'command', command: 'navigate', path: to }),
    setPaused: (paused) => {
      for (const lane of INDEXING_LANES) engine.queue.setPaused(lane, paused);
      progress.refresh();
    },
    openLogFolder: () => {
      void api.shell.openPath(logsDir);
    },
    quit: () => api.app.quit(),
  };

  const bridge = registerIpcBridge({
    ipcMain: api.ipcMain,
    handlers,
    context: () => ({ ownerId: LOCAL_OWNER }),
    desktop: createDesktopCalls({
      dialog: api.dialog,
      shell: api.shell,
      imageFromPath: (p) => api.imageFromPath(p),
      assetFile: assetFileOf(engine),
      // Thumbnails are WebP, which Electron's images cannot read: the drag shows the app icon.
      dragIcon: () => iconPath,
      settings,
      windowOf: (event) => {
        const w = win.current();
        return w && w.webContents.id === event.sender.id ? w : null;
      },
    }),
    isTrustedSender: trustedSender(() => win.contentsIds(), APP_ORIGIN),
    log: log.child({ component: 'ipc' }),
  });
  registerAppProtocol(api.protocol, {
    handlers,
    context: () => ({ ownerId: LOCAL_OWNER }),
    rendererDir: options.rendererDir,
    // The data folder first: most requests are for its thumbnails.
    allowedRoots: () => [engine.dataDir, ...engine.roots.rows().map((r) => r.path)],
    log: log.child({ component: 'protocol' }),
  });

  const tray = new AppTray(api, iconPath, commands, progress.current(), {
    ...(options.progressIntervalMs ? { tooltipIntervalMs: options.progressIntervalMs } : {}),
  });
  api.setApplicationMenu(appMenuTemplate({ platform: api.platform, isPackaged: api.isPackaged }, commands));
  api.app.dock?.setMenu(dockMenuTemplate(commands));
  republish = showProgress(progress, {
    window: () => win.current(),
    app: api.app,
    tray: (state) => tray.showProgress(state),
    send: (event) => win.send(event),
  });

  // The event loop's delay is kept for `shoebox status`, as `shoebox serve` does.
  const loopSaver = setInterval(() => engine.loop.save(), 10_000);
  loopSaver.unref();
  let stopping: Promise<void> | null = null;
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });
  // Quit must end even when the engine does not close (a worker or a write that hangs): otherwise
  // the app would stay, without window or tray, holding the single-instance lock and the library.
  const quitTimeoutMs = options.quitTimeoutMs ?? 20_000;
  let exited = false;
  const exit = (code: number): void => {
    if (exited) return;
    exited = true;
    unlock();
    log.info({ code }, 'stopped');
    logger?.flush();
    resolveStopped();
    api.app.exit(code);
  };
  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      log.info('quitting: finishing the jobs in flight');
      clearInterval(loopSaver);
      win.allowClose();
      // Closing saves the window's place and ends the renderer before the engine goes.
      win.current()?.close();
      windowState.flush();
      progress.dispose();
      tray.destroy();
      bridge.dispose();
      // Exit code 1 when forced: whoever started the app (a terminal, a script, a session) learns
      // it did not stop cleanly. Nothing is lost: jobs left running are queued again at the next
      // start, and SQLite's journal keeps the library consistent.
      const watchdog = setTimeout(() => {
        log.error({ timeoutMs: quitTimeoutMs }, 'the engine did not close in time: exiting anyway');
        exit(1);
      }, quitTimeoutMs);
      try {
        await engine.close();
      } catch (error) {
        log.error({ err: error }, 'the engine did not close cleanly');
      }
      clearTimeout(watchdog);
      exit(0);
    })();
    return stopping;
  };

  api.app.on('before-quit', (event) => {
    quitting = true;
    win.allowClose();
    // The engine closes first (jobs finish or are requeued), then the app exits.
    event.preventDefault();
    void shutdown();
  });
  api.app.on('window-all-closed', () => {
    if (!quitting && !settings.get().keepRunningInBackground) api.app.quit();
  });
  // macOS: a click on the dock icon brings the window back.
  api.app.on('activate', () => {
    if (!quitting) win.show();
  });

  engine.startJobs();
  engine.startWatching();
  if (options.scanAtStart ?? true) scan();
  if (!startHidden || showRequested) win.show();
  republish(true);

  return {
    status: 'running', engine, window: win, settings, progress, stopped, quit: () => api.app.quit(),
  };
}
