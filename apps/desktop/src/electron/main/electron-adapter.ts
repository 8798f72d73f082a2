// The one main-process file that imports 'electron': it fills ElectronApi from the real modules,
// wrapping where Electron's shapes differ (menus from plain templates, web contents and windows
// behind their *Like interfaces, the default session reached only once the app is ready).
import path from 'node:path';
import {
  app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, protocol, screen, session, shell, Tray, utilityProcess,
  type MenuItemConstructorOptions, type NativeImage, type WebContents,
} from 'electron';
import type {
  BrowserWindowLike, ElectronApi, MenuItemSpec, PreventableEvent, Rect, TrayLike, UtilityProcessLike, WebContentsLike,
} from './electron-api.ts';
import { linuxAutostartEnabled, setLinuxAutostart } from './linux-autostart.ts';
import { env } from '../../env.ts';

type Listener = (...args: never[]) => void;

function toMenuItem(spec: MenuItemSpec): MenuItemConstructorOptions {
  const { click, submenu, role, ...rest } = spec;
  return {
    ...rest,
    ...(role ? { role: role as MenuItemConstructorOptions['role'] } : {}),
    ...(click ? { click: () => click() } : {}),
    ...(submenu ? { submenu: submenu.map(toMenuItem) } : {}),
  };
}

function buildMenu(template: MenuItemSpec[]): Menu {
  return Menu.buildFromTemplate(template.map(toMenuItem));
}

// One wrapper per web contents: the guards keep a set of the contents they have seen.
const wrappedContents = new WeakMap<WebContents, WebContentsLike>();

function wrapContents(wc: WebContents): WebContentsLike {
  const known = wrappedContents.get(wc);
  if (known) return known;
  const on = (event: string, listener: Listener): void => {
    const call = listener as (...args: unknown[]) => void;
    switch (event) {
      case 'will-navigate':
        wc.on('will-navigate', (e, url) => call(e, url));
        break;
      case 'will-redirect':
        wc.on('will-redirect', (e, url) => call(e, url));
        break;
      case 'will-attach-webview':
        wc.on(event, (e) => call(e));
        break;
      case 'render-process-gone':
        wc.on(event, (e, details) => call(e, { reason: details.reason, exitCode: details.exitCode }));
        break;
      case 'did-finish-load':
        wc.on(event, () => call());
        break;
      default:
        throw new Error(`unsupported web contents event ${event}`);
    }
  };
  const wrapped: WebContentsLike = {
    id: wc.id,
    get mainFrame() {
      // The very WebFrameMain object IPC events carry as senderFrame (trusted-sender compares them).
      return wc.mainFrame;
    },
    send: (channel, payload) => wc.send(channel, payload),
    isDestroyed: () => wc.isDestroyed(),
    setWindowOpenHandler: (handler) => wc.setWindowOpenHandler((details) => handler({ url: details.url })),
    on: on as WebContentsLike['on'],
    startDrag: (item) => wc.startDrag({ file: item.file, ...(item.files ? { files: item.files } : {}), icon: item.icon as NativeImage }),
    reload: () => wc.reload(),
  };
  wrappedContents.set(wc, wrapped);
  return wrapped;
}

const realWindows = new WeakMap<BrowserWindowLike, BrowserWindow>();

function wrapWindow(win: BrowserWindow): BrowserWindowLike {
  const contents = wrapContents(win.webContents);
  const on = (event: string, listener: Listener): void => {
    const call = listener as (...args: unknown[]) => void;
    if (event === 'close') win.on('close', (e) => call(e));
    else win.on(event as 'closed', () => call());
  };
  const wrapped: BrowserWindowLike = {
    webContents: contents,
    loadURL: (url) => win.loadURL(url),
    show: () => win.show(),
    hide: () => win.hide(),
    focus: () => win.focus(),
    restore: () => win.restore(),
    close: () => win.close(),
    destroy: () => win.destroy(),
    isDestroyed: () => win.isDestroyed(),
    isVisible: () => win.isVisible(),
    isMinimized: () => win.isMinimized(),
    isMaximized: () => win.isMaximized(),
    isFullScreen: () => win.isFullScreen(),
    maximize: () => win.maximize(),
    setFullScreen: (flag) => win.setFullScreen(flag),
    getNormalBounds: () => win.getNormalBounds(),
    setProgressBar: (value) => win.setProgressBar(value),
    on: on as BrowserWindowLike['on'],
  };
  realWindows.set(wrapped, win);
  return wrapped;
}

function trayImage(iconPath: string): NativeImage {
  const image = nativeImage.createFromPath(iconPath);
  if (image.isEmpty()) return image;
  // The menu bar wants a 16 pt icon (22 px is the usual tray size elsewhere).
  return image.resize({ width: process.platform === 'darwin' ? 16 : 22, quality: 'best' });
}

function wrapTray(tray: Tray): TrayLike {
  return {
    setToolTip: (text) => tray.setToolTip(text),
    setContextMenu: (template) => tray.setContextMenu(buildMenu(template)),
    on: (_event, listener) => {
      tray.on('click', () => listener());
    },
    destroy: () => tray.destroy(),
  };
}

function wrapUtilityProcess(child: Electron.UtilityProcess): UtilityProcessLike {
  const on = (event: string, listener: Listener): void => {
    const call = listener as (...args: unknown[]) => void;
    switch (event) {
      case 'message':
        child.on('message', (message: unknown) => call(message));
        break;
      case 'exit':
        child.on('exit', (code) => call(code));
        break;
      case 'spawn':
        child.on('spawn', () => call());
        break;
      case 'error':
        child.on('error', (type, location, report) => call(type, location, report));
        break;
      default:
        throw new Error(`unsupported utility process event ${event}`);
    }
  };
  return {
    get pid() {
      return child.pid;
    },
    postMessage: (message) => child.postMessage(message),
    kill: () => child.kill(),
    on: on as UtilityProcessLike['on'],
  };
}

/** window-all-closed carries no event: the shell's listener gets one whose preventDefault does nothing. */
const NO_EVENT: PreventableEvent = { preventDefault: () => undefined };

/**
 * The ElectronApi of this process. `name` fixes the userData folder (the npm package's name would
 * otherwise name it in a development build); it must be set before anything reads the path.
 */
export function electronApi(name = 'Shoebox'): ElectronApi {
  app.setName(name);
  app.setPath('userData', path.join(app.getPath('appData'), name));
  const dock = app.dock;
  // Electron's login items are macOS and Windows only; Linux desktops read XDG autostart entries
  // (appData is XDG_CONFIG_HOME there).
  const autostartDir = path.join(app.getPath('appData'), 'autostart');
  const linux = process.platform === 'linux';
  const appOn = (event: string, listener: Listener): void => {
    const call = listener as (...args: unknown[]) => void;
    switch (event) {
      case 'second-instance':
        app.on('second-instance', (e, argv) => call(e, argv));
        break;
      case 'window-all-closed':
        app.on('window-all-closed', () => call(NO_EVENT));
        break;
      case 'activate':
        app.on('activate', (e) => call(e));
        break;
      case 'before-quit':
        app.on('before-quit', (e) => call(e));
        break;
      case 'web-contents-created':
        app.on('web-contents-created', (e, contents) => call(e, wrapContents(contents)));
        break;
      default:
        throw new Error(`unsupported app event ${event}`);
    }
  };
  return {
    platform: process.platform,
    isPackaged: app.isPackaged,
    // `electron path/to/main.js` (a development run) has the script before the app's arguments.
    argv: process.argv.slice(process.defaultApp ? 2 : 1),
    paths: { userData: app.getPath('userData'), resources: process.resourcesPath, appPath: app.getAppPath() },
    app: {
      requestSingleInstanceLock: () => app.requestSingleInstanceLock(),
      on: appOn as ElectronApi['app']['on'],
      whenReady: () => app.whenReady(),
      quit: () => app.quit(),
      exit: (code) => app.exit(code),
      setLoginItemSettings: (settings) =>
        // An AppImage starts from its own file: process.execPath lies in a mount that is gone after exit.
        linux ? setLinuxAutostart(autostartDir, env().APPIMAGE ?? process.execPath, settings) : app.setLoginItemSettings(settings),
      getLoginItemSettings: () => {
        if (linux) return { openAtLogin: linuxAutostartEnabled(autostartDir) };
        const settings = app.getLoginItemSettings();
        // macOS 13+ ignores openAsHidden: a login start is known only by wasOpenedAtLogin.
        return process.platform === 'darwin'
          ? { openAtLogin: settings.openAtLogin, wasOpenedAtLogin: settings.wasOpenedAtLogin }
          : { openAtLogin: settings.openAtLogin };
      },
      setBadgeCount: (count) => app.setBadgeCount(count),
      ...(dock
        ? { dock: { hide: () => dock.hide(), show: () => dock.show(), setMenu: (template: MenuItemSpec[]) => dock.setMenu(buildMenu(template)) } }
        : {}),
    },
    createWindow: (options) => wrapWindow(new BrowserWindow(options)),
    displayWorkAreas: (): Rect[] => {
      const primary = screen.getPrimaryDisplay().id;
      // The primary display first: a window that fits nowhere is centred on it.
      return screen.getAllDisplays()
        .sort((a, b) => Number(b.id === primary) - Number(a.id === primary))
        .map((d) => d.workArea);
    },
    createTray: (iconPath) => wrapTray(new Tray(trayImage(iconPath))),
    setApplicationMenu: (template) => Menu.setApplicationMenu(buildMenu(template)),
    dialog: {
      showOpenDialog: (window, options) => {
        const parent = window ? realWindows.get(window) : undefined;
        return parent ? dialog.showOpenDialog(parent, options) : dialog.showOpenDialog(options);
      },
      showErrorBox: (title, content) => dialog.showErrorBox(title, content),
    },
    shell: {
      showItemInFolder: (fullPath) => shell.showItemInFolder(fullPath),
      openPath: (fullPath) => shell.openPath(fullPath),
      openExternal: (url) => shell.openExternal(url),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes) => protocol.registerSchemesAsPrivileged(schemes),
      handle: (scheme, handler) => protocol.handle(scheme, handler),
    },
    ipcMain: {
      handle: (channel, handler) =>
        ipcMain.handle(channel, (event, ...args: unknown[]) =>
          handler({ sender: wrapContents(event.sender), senderFrame: event.senderFrame }, ...args)),
      removeHandler: (channel) => ipcMain.removeHandler(channel),
    },
    utilityProcess: {
      fork: (modulePath, args, options) => wrapUtilityProcess(utilityProcess.fork(modulePath, args, options)),
    },
    // The default session exists once the app is ready; the shell installs its handlers after that.
    session: {
      setPermissionRequestHandler: (handler) =>
        session.defaultSession.setPermissionRequestHandler((wc, permission, callback) => handler(wrapContents(wc), permission, callback)),
      setPermissionCheckHandler: (handler) =>
        session.defaultSession.setPermissionCheckHandler((wc, permission) => handler(wc ? wrapContents(wc) : null, permission)),
    },
    imageFromPath: (p) => nativeImage.createFromPath(p),
  };
}
