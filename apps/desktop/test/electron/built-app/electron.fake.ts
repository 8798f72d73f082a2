// A stand-in for the 'electron' module itself, for running the BUILT app (out/main/main.js) under
// plain Node: the real adapter (electron-adapter.ts, bundled) then talks to these classes exactly
// as it talks to Electron's. Utility processes are real Node children running the bundled worker
// entries through parent-port.shim.ts. What happens is kept in `recorded` for the driver.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';

const SHIM = path.join(import.meta.dirname, '..', 'parent-port.shim.ts');

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export const recorded = {
  ready: false,
  privilegedBeforeReady: null as boolean | null,
  schemes: [] as unknown[],
  windows: [] as BrowserWindow[],
  handlers: new Map<string, Handler>(),
  protocols: new Map<string, (request: Request) => Promise<Response>>(),
  trays: [] as Tray[],
  forks: [] as { modulePath: string; serviceName: string; child: ChildProcess }[],
  permissionRequest: null as null | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void),
  exitCode: null as number | null,
  errorBoxes: [] as string[],
};

const preventable = (): { prevented: boolean; preventDefault(): void } => ({
  prevented: false,
  preventDefault() {
    this.prevented = true;
  },
});

class App extends EventEmitter {
  readonly isPackaged = false;
  private readonly paths: Record<string, string> = { appData: process.env.SMOKE_APPDATA ?? '' };
  name = '';
  setName(name: string): void {
    this.name = name;
  }
  setPath(key: string, value: string): void {
    this.paths[key] = value;
  }
  getPath(key: string): string {
    const value = this.paths[key];
    if (!value) throw new Error(`no path ${key}`);
    return value;
  }
  getAppPath(): string {
    return process.cwd();
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  whenReady(): Promise<void> {
    return new Promise((resolve) => setTimeout(() => {
      recorded.ready = true;
      resolve();
    }, 20));
  }
  quit(): void {
    const event = preventable();
    this.emit('before-quit', event);
    if (!event.prevented) this.exit(0);
  }
  exit(code = 0): void {
    recorded.exitCode = code;
    this.emit('smoke-exit', code);
  }
  setLoginItemSettings(): void {}
  getLoginItemSettings(): { openAtLogin: boolean } {
    return { openAtLogin: false };
  }
  setBadgeCount(): boolean {
    return true;
  }
  readonly dock = undefined;
}

export const app = new App();

class WebContents extends EventEmitter {
  static next = 1;
  readonly id = WebContents.next++;
  readonly mainFrame = { url: '', parent: null, detached: false };
  readonly sent: [string, unknown][] = [];
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  isDestroyed(): boolean {
    return false;
  }
  windowOpenHandler: ((details: { url: string }) => unknown) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => unknown): void {
    this.windowOpenHandler = handler;
  }
  startDrag(): void {}
  reload(): void {}
}

export class BrowserWindow extends EventEmitter {
  readonly options: Record<string, unknown>;
  readonly webContents = new WebContents();
  url = '';
  private visible = false;
  private destroyed = false;
  progress: number | null = null;
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    recorded.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url: string): Promise<void> {
    this.url = url;
    this.webContents.mainFrame.url = url;
    setImmediate(() => {
      this.emit('ready-to-show');
      this.webContents.emit('did-finish-load');
    });
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {}
  restore(): void {}
  close(): void {
    const event = preventable();
    this.emit('close', event);
    if (!event.prevented) this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('closed');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isMinimized(): boolean {
    return false;
  }
  isMaximized(): boolean {
    return false;
  }
  isFullScreen(): boolean {
    return false;
  }
  maximize(): void {}
  setFullScreen(): void {}
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { x: 10, y: 10, width: 1200, height: 800 };
  }
  setProgressBar(progress: number): void {
    this.progress = progress;
  }
}

export class Tray extends EventEmitter {
  toolTip = '';
  constructor() {
    super();
    recorded.trays.push(this);
  }
  setToolTip(text: string): void {
    this.toolTip = text;
  }
  setContextMenu(): void {}
  destroy(): void {}
}

export const Menu = {
  buildFromTemplate: (template: unknown[]) => ({ template }),
  setApplicationMenu: () => undefined,
};

export const screen = {
  getPrimaryDisplay: () => ({ id: 1 }),
  getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
};

export const dialog = {
  showErrorBox: (title: string, content: string) => recorded.errorBoxes.push(`${title}: ${content}`),
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
};

export const shell = {
  showItemInFolder: () => undefined,
  openPath: async () => '',
  openExternal: async () => undefined,
};

export const nativeImage = {
  createFromPath: (file: string) => ({
    isEmpty: () => !fs.existsSync(file),
    resize() {
      return this;
    },
  }),
};

export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown[]) => {
    recorded.privilegedBeforeReady = !recorded.ready;
    recorded.schemes.push(...schemes);
  },
  handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
    if (!recorded.ready) throw new Error('protocol.handle before the app is ready');
    recorded.protocols.set(scheme, handler);
  },
};

export const ipcMain = {
  handle: (channel: string, handler: Handler) => {
    if (recorded.handlers.has(channel)) throw new Error(`a second handler for ${channel}`);
    recorded.handlers.set(channel, handler);
  },
  removeHandler: (channel: string) => recorded.handlers.delete(channel),
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (handler: typeof recorded.permissionRequest) => {
      recorded.permissionRequest = handler;
    },
    setPermissionCheckHandler: () => undefined,
  },
};

/** Electron's UtilityProcess over a Node child: messages travel in `{ port }` envelopes (the shim's). */
class UtilityProcess extends EventEmitter {
  private readonly child: ChildProcess;
  constructor(child: ChildProcess) {
    super();
    this.child = child;
    child.on('message', (envelope: { port?: unknown }) => this.emit('message', envelope.port));
    child.once('spawn', () => this.emit('spawn'));
    child.once('exit', (code) => this.emit('exit', code ?? 1));
  }
  get pid(): number | undefined {
    return this.child.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }
  postMessage(message: unknown): void {
    if (this.child.connected) this.child.send({ port: message });
  }
  kill(): boolean {
    return this.child.kill();
  }
}

export const utilityProcess = {
  fork: (modulePath: string, args: string[], options: { serviceName: string; env?: NodeJS.ProcessEnv }) => {
    const child = fork(SHIM, [modulePath, ...args], {
      env: options.env ?? process.env, execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    recorded.forks.push({ modulePath, serviceName: options.serviceName, child });
    return new UtilityProcess(child);
  },
};

export default { app, BrowserWindow, Tray, Menu, screen, dialog, shell, nativeImage, protocol, ipcMain, session, utilityProcess };
