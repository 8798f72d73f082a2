// A complete fake of ElectronApi that records what the shell does: windows and web contents with
// their events, the tray, menus, dialogs, shell, protocol, IPC (with an `invoke` helper), the
// session's permission handlers, the app's lifecycle (ready, quit, exit, single instance) and
// utility processes, which are real Node processes running the worker entry with a parentPort.
// It enforces Electron's ordering rules: schemes before ready; windows, trays, protocol handlers
// and the session after.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  BrowserWindowLike, CustomSchemeSpec, ElectronApi, FrameLike, IpcInvokeEvent, LoginItemSettings, MenuItemSpec,
  NativeImageLike, PreventableEvent, Rect, TrayLike, UtilityProcessLike, WebContentsLike, WindowOptions,
} from '../../src/electron/main/electron-api.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- listeners of every event shape
type AnyListener = (...args: any[]) => void;

export class FakeEvent implements PreventableEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

class Emitter {
  private readonly listeners = new Map<string, AnyListener[]>();

  on(event: string, listener: AnyListener): void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener);
    this.listeners.set(event, list);
  }

  emit(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(...args);
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

let nextContentsId = 1;

export class FakeWebContents extends Emitter implements WebContentsLike {
  readonly id = nextContentsId++;
  /** One object per frame, as Electron hands out (trusted-sender compares identities). */
  readonly mainFrame: { url: string } = { url: '' };
  readonly sent: { channel: string; payload: unknown }[] = [];
  readonly drags: { file: string; files?: string[]; icon: NativeImageLike }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  reloads = 0;
  destroyed = false;

  send(channel: string, payload: unknown): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, payload });
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }

  startDrag(item: { file: string; files?: string[]; icon: NativeImageLike }): void {
    this.drags.push(item);
  }

  reload(): void {
    this.reloads++;
    setImmediate(() => this.emit('did-finish-load'));
  }

  /** The page tries to go to `url`: answers whether it went. */
  navigate(url: string): boolean {
    const event = new FakeEvent();
    this.emit('will-navigate', event, url);
    if (!event.defaultPrevented) this.mainFrame.url = url;
    return !event.defaultPrevented;
  }

  /** A redirect during a navigation: answers whether it was followed. */
  redirect(url: string): boolean {
    const event = new FakeEvent();
    this.emit('will-redirect', event, url);
    return !event.defaultPrevented;
  }

  /** window.open(url): what the handler decided ('allow' when there is none, as in Electron). */
  open(url: string): 'allow' | 'deny' {
    return this.windowOpenHandler ? this.windowOpenHandler({ url }).action : 'allow';
  }

  /** A <webview> is about to attach: answers whether it may. */
  attachWebview(): boolean {
    const event = new FakeEvent();
    this.emit('will-attach-webview', event);
    return !event.defaultPrevented;
  }

  /** The payloads sent on one channel. */
  payloads(channel: string): unknown[] {
    return this.sent.filter((s) => s.channel === channel).map((s) => s.payload);
  }
}

export class FakeWindow extends Emitter implements BrowserWindowLike {
  readonly webContents = new FakeWebContents();
  readonly options: WindowOptions;
  readonly loaded: string[] = [];
  readonly progress: number[] = [];
  bounds: Rect;
  visible = false;
  minimized = false;
  maximized = false;
  fullScreen = false;
  destroyed = false;
  focusCount = 0;
  private readonly owner: FakeElectron;

  constructor(owner: FakeElectron, options: WindowOptions) {
    super();
    this.owner = owner;
    this.options = options;
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    this.visible = options.show;
  }

  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    this.webContents.mainFrame.url = url;
    setImmediate(() => {
      if (this.destroyed) return;
      this.emit('ready-to-show');
      this.webContents.emit('did-finish-load');
    });
    return Promise.resolve();
  }

  show(): void {
    this.visible = true;
    this.minimized = false;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focusCount++;
  }
  restore(): void {
    this.minimized = false;
  }
  /** The user minimises the window. */
  minimize(): void {
    this.minimized = true;
  }

  close(): void {
    if (this.destroyed) return;
    const event = new FakeEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroyed = true;
    this.emit('closed');
    this.owner.windowClosed();
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isFullScreen(): boolean {
    return this.fullScreen;
  }
  maximize(): void {
    this.maximized = true;
    this.emit('maximize');
  }
  setFullScreen(flag: boolean): void {
    this.fullScreen = flag;
    this.emit(flag ? 'enter-full-screen' : 'leave-full-screen');
  }
  getNormalBounds(): Rect {
    return { ...this.bounds };
  }
  setProgressBar(progress: number): void {
    this.progress.push(progress);
  }

  /** The user moves or resizes the window. */
  setBounds(bounds: Rect): void {
    this.bounds = { ...bounds };
    this.emit('move');
    this.emit('resize');
  }
}

export class FakeTray extends Emitter implements TrayLike {
  readonly iconPath: string;
  readonly tooltips: string[] = [];
  menu: MenuItemSpec[] = [];
  /** How many times a context menu was set (each one a new native menu). */
  menuBuilds = 0;
  destroyed = false;

  constructor(iconPath: string) {
    super();
    this.iconPath = iconPath;
  }

  setToolTip(text: string): void {
    this.tooltips.push(text);
  }
  setContextMenu(template: MenuItemSpec[]): void {
    this.menu = template;
    this.menuBuilds++;
  }
  destroy(): void {
    this.destroyed = true;
  }

  /** Clicks the menu item with this label. */
  click(label: string): void {
    const item = findMenuItem(this.menu, label);
    if (!item?.click) throw new Error(`no tray menu item ${label}`);
    item.click();
  }
}

/** The first item with this label or role, anywhere in the menu. */
export function findMenuItem(template: readonly MenuItemSpec[], labelOrRole: string): MenuItemSpec | undefined {
  for (const item of template) {
    if (item.label === labelOrRole || item.role === labelOrRole) return item;
    const inner = item.submenu ? findMenuItem(item.submenu, labelOrRole) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

const SHIM = path.join(import.meta.dirname, 'parent-port.shim.ts');

/**
 * A utility process: a Node child running the entry through the parentPort shim. Messages travel
 * in `{ port: message }` envelopes that only the shim's parentPort opens, so a worker that read
 * Node's IPC channel directly would get nothing it understands, and what it sent that way lands
 * in `stray` instead of reaching the pool.
 */
export class FakeUtilityProcess implements UtilityProcessLike {
  readonly child: ChildProcess;
  readonly modulePath: string;
  readonly serviceName: string;
  /** Requests posted (messages with an id) that have no reply yet. */
  readonly inFlight = new Map<number, { type: string } & Record<string, unknown>>();
  readonly posted: unknown[] = [];
  readonly stray: unknown[] = [];
  private readonly listeners: ((message: unknown) => void)[] = [];
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  private exited = false;

  constructor(modulePath: string, args: string[], options: { serviceName: string; env?: NodeJS.ProcessEnv; stdio: 'inherit' | 'ignore' }) {
    this.modulePath = modulePath;
    this.serviceName = options.serviceName;
    this.child = fork(SHIM, [modulePath, ...args], {
      env: options.env ?? process.env,
      execArgv: [],
      serialization: 'advanced',
      stdio: options.stdio === 'ignore' ? ['ignore', 'ignore', 'ignore', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.once('exit', (code, signal) => {
      this.exited = true;
      this.exitCode = code;
      this.exitSignal = signal;
    });
    this.child.on('message', (envelope) => {
      if (envelope === null || typeof envelope !== 'object' || !('port' in envelope)) {
        this.stray.push(envelope);
        return;
      }
      const message = envelope.port;
      const id = (message as { id?: unknown } | null)?.id;
      if (typeof id === 'number') this.inFlight.delete(id);
      for (const listener of this.listeners) listener(message);
    });
  }

  get pid(): number | undefined {
    return this.exited ? undefined : this.child.pid;
  }

  postMessage(message: unknown): void {
    this.posted.push(message);
    const request = message as { id?: unknown; type: string } & Record<string, unknown>;
    if (typeof request?.id === 'number') this.inFlight.set(request.id, request);
    if (this.child.connected) this.child.send({ port: message });
  }

  kill(): boolean {
    return this.child.kill('SIGTERM');
  }

  on(event: string, listener: AnyListener): void {
    switch (event) {
      case 'message':
        this.listeners.push(listener);
        break;
      case 'exit':
        // Electron reports an exit code only: a signal shows as 128 + its number.
        this.child.once('exit', (code, signal) => listener(code ?? 128 + (signal ? os.constants.signals[signal] : 0)));
        break;
      case 'spawn':
        this.child.on('spawn', () => listener());
        break;
      case 'error':
        this.child.on('error', (error) => listener('FatalError', error.message, error.stack ?? ''));
        break;
      default:
        throw new Error(`unknown utility process event ${event}`);
    }
  }
}

export class FakeApp extends Emitter {
  lockGranted = true;
  ready = false;
  quitCalls = 0;
  quitted = false;
  exitCode: number | null = null;
  readonly loginItems: LoginItemSettings[] = [];
  /** macOS: this run was started by the login item (getLoginItemSettings().wasOpenedAtLogin). */
  openedAtLogin = false;
  private readonly platform: NodeJS.Platform;
  readonly badgeCounts: number[] = [];
  dock?: { hidden: boolean; menu: MenuItemSpec[]; hide(): void; show(): Promise<void>; setMenu(template: MenuItemSpec[]): void };
  private readonly owner: FakeElectron;
  private readyPromise: Promise<void> | null = null;

  constructor(owner: FakeElectron, platform: NodeJS.Platform) {
    super();
    this.owner = owner;
    this.platform = platform;
    if (platform === 'darwin') {
      const dock = {
        hidden: false,
        menu: [] as MenuItemSpec[],
        hide: () => {
          dock.hidden = true;
        },
        show: () => {
          dock.hidden = false;
          return Promise.resolve();
        },
        setMenu: (template: MenuItemSpec[]) => {
          dock.menu = template;
        },
      };
      this.dock = dock;
    }
  }

  requestSingleInstanceLock(): boolean {
    return this.lockGranted;
  }

  /** Ready on the next turn of the event loop, as after the main script's first run. */
  whenReady(): Promise<void> {
    this.readyPromise ??= new Promise((resolve) => setImmediate(() => {
      this.ready = true;
      resolve();
    }));
    return this.readyPromise;
  }

  quit(): void {
    this.quitCalls++;
    const event = new FakeEvent();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    for (const w of this.owner.openWindows()) {
      w.close();
      if (!w.destroyed) return;
    }
    this.quitted = true;
  }

  exit(code = 0): void {
    this.exitCode = code;
    for (const w of this.owner.openWindows()) w.destroy();
  }

  setLoginItemSettings(settings: LoginItemSettings): void {
    this.loginItems.push(settings);
  }
  getLoginItemSettings(): { openAtLogin: boolean; wasOpenedAtLogin?: boolean } {
    const openAtLogin = this.loginItems.at(-1)?.openAtLogin ?? false;
    // As the adapter answers: wasOpenedAtLogin exists on macOS only.
    return this.platform === 'darwin' ? { openAtLogin, wasOpenedAtLogin: this.openedAtLogin } : { openAtLogin };
  }
  setBadgeCount(count: number): boolean {
    this.badgeCounts.push(count);
    return true;
  }

  /** Another launch of the app. */
  secondInstance(argv: string[] = []): void {
    this.emit('second-instance', {}, argv);
  }
}

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
