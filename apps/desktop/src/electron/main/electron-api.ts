// The thin layer between the shell and Electron: the few Electron APIs the app uses, as plain
// interfaces. `electron-adapter.ts` (the only main-process file that imports 'electron') fills it
// from the real modules; tests fill it with fakes. Everything else in the shell is plain TypeScript
// over this interface, so what the tests run is what ships.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PreventableEvent {
  preventDefault(): void;
}

/** A frame that sent an IPC message. */
export interface FrameLike {
  readonly url: string;
}

export interface WebContentsLike {
  readonly id: number;
  readonly mainFrame: FrameLike;
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
  /** Window.open, target=_blank links: the app decides (it always denies). */
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): void;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): void;
  on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string; exitCode: number }) => void): void;
  on(event: 'did-finish-load', listener: () => void): void;
  /** A native drag of files out of the window (to another app). */
  startDrag(item: { file: string; files?: string[]; icon: NativeImageLike }): void;
  reload(): void;
}

export interface NativeImageLike {
  isEmpty(): boolean;
}

/** What the shell sets when it creates the window: the security settings are not optional. */
export interface WindowOptions extends Partial<Rect> {
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  icon?: string;
  webPreferences: {
    preload: string;
    sandbox: true;
    contextIsolation: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    navigateOnDragDrop: false;
    spellcheck: boolean;
  };
}

export interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  close(): void;
  destroy(): void;
  isDestroyed(): boolean;
  isVisible(): boolean;
  isMinimized(): boolean;
  isMaximized(): boolean;
  isFullScreen(): boolean;
  maximize(): void;
  setFullScreen(flag: boolean): void;
  /** The window's bounds when it is neither maximized nor full screen. */
  getNormalBounds(): Rect;
  /** Progress in the taskbar / dock icon: 0..1, or -1 to remove it. */
  setProgressBar(progress: number): void;
  on(event: 'close', listener: (event: PreventableEvent) => void): void;
  on(event: 'closed' | 'resize' | 'move' | 'maximize' | 'unmaximize' | 'enter-full-screen' | 'leave-full-screen' | 'ready-to-show', listener: () => void): void;
}

export interface MenuItemSpec {
  label?: string;
  role?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox';
  accelerator?: string;
  enabled?: boolean;
  checked?: boolean;
  click?: () => void;
  submenu?: MenuItemSpec[];
}

export interface TrayLike {
  setToolTip(text: string): void;
  setContextMenu(template: MenuItemSpec[]): void;
  on(event: 'click', listener: () => void): void;
  destroy(): void;
}

export interface IpcInvokeEvent {
  readonly sender: WebContentsLike;
  /** The frame that sent it; null once that frame navigated away or was destroyed. */
  readonly senderFrame: FrameLike | null;
}

export interface UtilityProcessLike {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  kill(): boolean;
  on(event: 'message', listener: (message: unknown) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  on(event: 'spawn', listener: () => void): void;
  on(event: 'error', listener: (type: string, location: string, report: string) => void): void;
}

export interface CustomSchemeSpec {
  scheme: string;
  privileges: {
    standard?: boolean;
    secure?: boolean;
    supportFetchAPI?: boolean;
    stream?: boolean;
    corsEnabled?: boolean;
    bypassCSP?: boolean;
    allowServiceWorkers?: boolean;
    codeCache?: boolean;
  };
}

export interface LoginItemSettings {
  openAtLogin: boolean;
  /** macOS before 13: start hidden (ignored since; the app reads wasOpenedAtLogin instead). */
  openAsHidden?: boolean;
  /** Windows/Linux: arguments given at login (the app starts hidden with --hidden). */
  args?: string[];
}

export interface ElectronApi {
  readonly platform: NodeJS.Platform;
  readonly isPackaged: boolean;
  /** The app's command line (after the executable), to read --hidden and folders. */
  readonly argv: readonly string[];
  /** userData: the app's own data; resources: process.resourcesPath (packaged) or the app folder. */
  readonly paths: { userData: string; resources: string; appPath: string };

  readonly app: {
    requestSingleInstanceLock(): boolean;
    on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): void;
    on(event: 'window-all-closed' | 'activate' | 'before-quit', listener: (event: PreventableEvent) => void): void;
    on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): void;
    whenReady(): Promise<void>;
    quit(): void;
    exit(code?: number): void;
    setLoginItemSettings(settings: LoginItemSettings): void;
    /** wasOpenedAtLogin (macOS only): this run was started by the login item. */
    getLoginItemSettings(): { openAtLogin: boolean; wasOpenedAtLogin?: boolean };
    /** Dock badge on macOS, launcher badge on Unity (Linux); false where unsupported. */
    setBadgeCount(count: number): boolean;
    /** macOS: the dock icon's menu and visibility. */
    dock?: { hide(): void; show(): Promise<void>; setMenu(template: MenuItemSpec[]): void };
  };

  createWindow(options: WindowOptions): BrowserWindowLike;
  /** The work areas of the connected displays (to put a remembered window back on screen). */
  displayWorkAreas(): Rect[];

  createTray(iconPath: string): TrayLike;
  setApplicationMenu(template: MenuItemSpec[]): void;

  readonly dialog: {
    showOpenDialog(
      window: BrowserWindowLike | null,
      options: { title?: string; properties: ('openDirectory' | 'multiSelections' | 'createDirectory')[] },
    ): Promise<{ canceled: boolean; filePaths: string[] }>;
    showErrorBox(title: string, content: string): void;
  };

  readonly shell: {
    showItemInFolder(fullPath: string): void;
    /** Resolves to '' on success, else the error message. */
    openPath(fullPath: string): Promise<string>;
    openExternal(url: string): Promise<void>;
  };

  readonly protocol: {
    registerSchemesAsPrivileged(schemes: CustomSchemeSpec[]): void;
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  };

  readonly ipcMain: {
    handle(channel: string, handler: (event: IpcInvokeEvent, ...args: unknown[]) => unknown): void;
    removeHandler(channel: string): void;
  };

  readonly utilityProcess: {
    fork(modulePath: string, args: string[], options: { serviceName: string; env?: NodeJS.ProcessEnv; stdio: 'inherit' | 'ignore' }): UtilityProcessLike;
  };

  /** The default session: permission requests (camera, notifications, …) are answered here. */
  readonly session: {
    setPermissionRequestHandler(handler: (contents: WebContentsLike, permission: string, callback: (granted: boolean) => void) => void): void;
    setPermissionCheckHandler(handler: (contents: WebContentsLike | null, permission: string) => boolean): void;
  };

  /** An icon for a native drag (the asset's thumbnail, else the app icon). */
  imageFromPath(path: string): NativeImageLike;
}
