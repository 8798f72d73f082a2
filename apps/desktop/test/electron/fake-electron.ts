// A complete fake of ElectronApi that records what the shell does: windows and web contents with
// their events, the tray, menus, dialogs, shell, protocol, IPC (with an `invoke` helper), the
// session's permission handlers, the app's lifecycle (ready, quit, exit, single instance) and
// utility processes, which are real Node processes running the worker entry with a parentPort.
// It enforces Electron's ordering rules: schemes before ready; windows, trays, protocol handlers
// and the session after. Its parts (window, tray, app, utility process) live in fakes/.
import fs from 'node:fs';
import path from 'node:path';
import type {
  BrowserWindowLike, CustomSchemeSpec, ElectronApi, FrameLike, IpcInvokeEvent, MenuItemSpec, NativeImageLike, Rect,
  WebContentsLike, WindowOptions,
} from '../../src/electron/main/electron-api.ts';
import { FakeApp } from './fakes/fake-app.ts';
import { FakeTray } from './fakes/fake-tray.ts';
import { FakeUtilityProcess } from './fakes/fake-utility-process.ts';
import { FakeEvent, FakeWebContents, FakeWindow } from './fakes/fake-window.ts';

export { FakeApp, FakeEvent, FakeTray, FakeUtilityProcess, FakeWebContents, FakeWindow };
export { findMenuItem } from './fakes/fake-tray.ts';

export interface FakeOptions {
  platform?: NodeJS.Platform;
  isPackaged?: boolean;
  argv?: string[];
  /** macOS: the login item started this run. */
  openedAtLogin?: boolean;
  userData: string;
  workAreas?: Rect[];
}

export class FakeElectron implements ElectronApi {
  readonly platform: NodeJS.Platform;
  readonly isPackaged: boolean;
  readonly argv: readonly string[];
  readonly paths: { userData: string; resources: string; appPath: string };
  readonly app: FakeApp;
  readonly windows: FakeWindow[] = [];
  readonly trays: FakeTray[] = [];
  readonly forks: FakeUtilityProcess[] = [];
  workAreas: Rect[];
  applicationMenu: MenuItemSpec[] | null = null;
  readonly errorBoxes: { title: string; content: string }[] = [];
  readonly openDialogs: { window: BrowserWindowLike | null; options: { title?: string; properties: string[] } }[] = [];
  dialogAnswer: { canceled: boolean; filePaths: string[] } = { canceled: true, filePaths: [] };
  readonly shown: string[] = [];
  readonly opened: string[] = [];
  readonly external: string[] = [];
  readonly privileged: { schemes: CustomSchemeSpec[]; beforeReady: boolean }[] = [];
  readonly protocols = new Map<string, (request: Request) => Response | Promise<Response>>();
  readonly ipcHandlers = new Map<string, (event: IpcInvokeEvent, ...args: unknown[]) => unknown>();
  permissionRequestHandler: ((contents: WebContentsLike, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  permissionCheckHandler: ((contents: WebContentsLike | null, permission: string) => boolean) | null = null;

  constructor(opts: FakeOptions) {
    this.platform = opts.platform ?? 'linux';
    this.isPackaged = opts.isPackaged ?? false;
    this.argv = opts.argv ?? [];
    this.paths = { userData: opts.userData, resources: path.join(opts.userData, 'resources'), appPath: opts.userData };
    this.workAreas = opts.workAreas ?? [{ x: 0, y: 0, width: 1920, height: 1040 }];
    this.app = new FakeApp(this, this.platform);
    this.app.openedAtLogin = opts.openedAtLogin ?? false;
  }

  private requireReady(what: string): void {
    if (!this.app.ready) throw new Error(`${what} cannot be used before the app is ready`);
  }

  openWindows(): FakeWindow[] {
    return this.windows.filter((w) => !w.destroyed);
  }

  /** Electron's rule: the last window closed emits window-all-closed, or quits when nobody listens. */
  windowClosed(): void {
    if (this.openWindows().length > 0 || this.app.exitCode !== null) return;
    if (this.app.listenerCount('window-all-closed') > 0) this.app.emit('window-all-closed', new FakeEvent());
    else this.app.quit();
  }

  createWindow(options: WindowOptions): FakeWindow {
    this.requireReady('BrowserWindow');
    const w = new FakeWindow(this, options);
    this.windows.push(w);
    this.app.emit('web-contents-created', {}, w.webContents);
    return w;
  }

  displayWorkAreas(): Rect[] {
    return this.workAreas.map((a) => ({ ...a }));
  }

  createTray(iconPath: string): FakeTray {
    this.requireReady('Tray');
    const tray = new FakeTray(iconPath);
    this.trays.push(tray);
    return tray;
  }

  setApplicationMenu(template: MenuItemSpec[]): void {
    this.applicationMenu = template;
  }

  readonly dialog = {
    showOpenDialog: (window: BrowserWindowLike | null, options: { title?: string; properties: ('openDirectory' | 'multiSelections' | 'createDirectory')[] }) => {
      this.openDialogs.push({ window, options });
      return Promise.resolve(this.dialogAnswer);
    },
    showErrorBox: (title: string, content: string) => {
      this.errorBoxes.push({ title, content });
    },
  };

  readonly shell = {
    showItemInFolder: (fullPath: string) => {
      this.shown.push(fullPath);
    },
    openPath: (fullPath: string) => {
      this.opened.push(fullPath);
      return Promise.resolve('');
    },
    openExternal: (url: string) => {
      this.external.push(url);
      return Promise.resolve();
    },
  };

  readonly protocol = {
    registerSchemesAsPrivileged: (schemes: CustomSchemeSpec[]) => {
      if (this.app.ready) throw new Error('registerSchemesAsPrivileged must be called before the app is ready');
      this.privileged.push({ schemes, beforeReady: !this.app.ready });
    },
    handle: (scheme: string, handler: (request: Request) => Response | Promise<Response>) => {
      this.requireReady('protocol.handle');
      if (this.protocols.has(scheme)) throw new Error(`${scheme} is already handled`);
      this.protocols.set(scheme, handler);
    },
  };

  /** A request to a registered custom protocol, as the renderer would make it. */
  async fetch(url: string, init?: RequestInit): Promise<Response> {
    const scheme = new URL(url).protocol.slice(0, -1);
    const handler = this.protocols.get(scheme);
    if (!handler) throw new Error(`no handler for ${scheme}:`);
    return await handler(new Request(url, init));
  }

  readonly ipcMain = {
    handle: (channel: string, handler: (event: IpcInvokeEvent, ...args: unknown[]) => unknown) => {
      if (this.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      this.ipcHandlers.set(channel, handler);
    },
    removeHandler: (channel: string) => {
      this.ipcHandlers.delete(channel);
    },
    /** ipcRenderer.invoke from the renderer that `event` describes. */
    invoke: async (channel: string, event: IpcInvokeEvent, ...args: unknown[]): Promise<unknown> => {
      const handler = this.ipcHandlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return await handler(event, ...args);
    },
  };

  /** The IPC event of a message from this web contents' main frame. */
  static eventFrom(contents: FakeWebContents, frame: FrameLike | null = contents.mainFrame): IpcInvokeEvent {
    return { sender: contents, senderFrame: frame };
  }

  readonly utilityProcess = {
    fork: (modulePath: string, args: string[], options: { serviceName: string; env?: NodeJS.ProcessEnv; stdio: 'inherit' | 'ignore' }) => {
      const child = new FakeUtilityProcess(modulePath, args, options);
      this.forks.push(child);
      return child;
    },
  };

  readonly session = {
    setPermissionRequestHandler: (handler: (contents: WebContentsLike, permission: string, callback: (granted: boolean) => void) => void) => {
      this.requireReady('session.defaultSession');
      this.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler: (handler: (contents: WebContentsLike | null, permission: string) => boolean) => {
      this.requireReady('session.defaultSession');
      this.permissionCheckHandler = handler;
    },
  };

  /** What a page asking for a permission gets (Electron grants everything when no handler is set). */
  requestPermission(contents: WebContentsLike, permission: string): Promise<boolean> {
    const handler = this.permissionRequestHandler;
    if (!handler) return Promise.resolve(true);
    return new Promise((resolve) => handler(contents, permission, resolve));
  }

  imageFromPath(p: string): NativeImageLike & { path: string } {
    return { path: p, isEmpty: () => !fs.existsSync(p) };
  }
}
