// The one app window: created with the secure web preferences (sandboxed renderer, context
// isolation, no Node, the bundled preload only), guarded against navigation, new windows and
// webviews, put back where it was, and hidden instead of closed while the app keeps running in
// the background. Events for the renderer wait until the page has loaded.
import type { DesktopEvent } from '@shoebox/core/contract';
import { IPC_CHANNELS } from '@shoebox/core/contract';
import type { Logger } from 'pino';
import type { BrowserWindowLike, ElectronApi, WindowOptions } from './electron-api.ts';
import { guardWebContents } from './web-security.ts';
import type { WindowStateStore } from './window-state.ts';

export interface MainWindowOptions {
  preloadPath: string;
  /** The app's origin (shoebox://app): navigation anywhere else is refused. */
  appOrigin: string;
  /** What the window loads (the app origin's root). */
  url: string;
  iconPath?: string | undefined;
  state: WindowStateStore;
  log: Logger;
  /** Asked when the user closes the window: true hides it and the app runs on in the tray. */
  hideOnClose: () => boolean;
  /** A page finished loading (first load or a reload): the renderer can take events now. */
  onLoaded?: (window: BrowserWindowLike) => void;
}

/** The web preferences the window is created with: none of them is negotiable. */
export function secureWebPreferences(preloadPath: string): WindowOptions['webPreferences'] {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: true,
  };
}

const MAX_QUEUED_EVENTS = 20;
/** A renderer that crashes again within this time is not reloaded again (it would loop). */
const RELOAD_GRACE_MS = 10_000;

export class MainWindow {
  private readonly api: ElectronApi;
  private readonly opts: MainWindowOptions;
  private window: BrowserWindowLike | null = null;
  private loaded = false;
  private queued: DesktopEvent[] = [];
  private quitting = false;
  private lastCrashAt = 0;

  constructor(api: ElectronApi, opts: MainWindowOptions) {
    this.api = api;
    this.opts = opts;
  }

  /** The window, when one is open (shown or hidden in the tray). */
  current(): BrowserWindowLike | null {
    return this.window && !this.window.isDestroyed() ? this.window : null;
  }

  /** The web contents ids IPC may come from. */
  contentsIds(): number[] {
    const w = this.current();
    return w ? [w.webContents.id] : [];
  }

  /** Brings the window to the front: creates it if there is none, restores it if minimised. */
  show(): BrowserWindowLike {
    const existing = this.current();
    if (!existing) return this.create();
    if (existing.isMinimized()) existing.restore();
    existing.show();
    existing.focus();
    void this.api.app.dock?.show();
    return existing;
  }

  /** From now on a close really closes (the app is quitting). */
  allowClose(): void {
    this.quitting = true;
  }

  /** Sends an event to the renderer, or keeps it until the page has loaded. */
  send(event: DesktopEvent): void {
    const w = this.current();
    if (w && this.loaded && !w.webContents.isDestroyed()) {
      w.webContents.send(IPC_CHANNELS.event, event);
      return;
    }
    // Progress is sent again once loaded: only commands are worth keeping.
    if (event.type !== 'command') return;
    this.queued.push(event);
    if (this.queued.length > MAX_QUEUED_EVENTS) this.queued.shift();
  }

  private create(): BrowserWindowLike {
    const { state, log } = this.opts;
    const initial = state.initial(this.api.displayWorkAreas());
    const w = this.api.createWindow({
      ...initial.bounds,
      minWidth: 720,
      minHeight: 480,
      show: false,
      title: 'Shoebox',
      backgroundColor: '#1a1e24',
      ...(this.opts.iconPath ? { icon: this.opts.iconPath } : {}),
      webPreferences: secureWebPreferences(this.opts.preloadPath),
    });
    this.window = w;
    this.loaded = false;
    guardWebContents(w.webContents, this.opts.appOrigin, this.api.shell);
    state.track(w);
    w.on('ready-to-show', () => {
      if (initial.maximized) w.maximize();
      if (initial.fullScreen) w.setFullScreen(true);
      w.show();
      w.focus();
    });
    w.on('close', (event) => {
      if (this.quitting || !this.opts.hideOnClose()) return;
      event.preventDefault();
      w.hide();
      // macOS: a tray app with no window leaves the dock (it comes back with the window).
      this.api.app.dock?.hide();
    });
    w.on('closed', () => {
      if (this.window === w) this.window = null;
      this.loaded = false;
    });
    w.webContents.on('did-finish-load', () => {
      this.loaded = true;
      for (const event of this.queued.splice(0)) w.webContents.send(IPC_CHANNELS.event, event);
      this.opts.onLoaded?.(w);
    });
    w.webContents.on('render-process-gone', (_event, details) => {
      log.error({ reason: details.reason, exitCode: details.exitCode }, 'the window\'s renderer ended');
      if (details.reason === 'clean-exit' || w.isDestroyed()) return;
      const now = Date.now();
      if (now - this.lastCrashAt < RELOAD_GRACE_MS) return;
      this.lastCrashAt = now;
      this.loaded = false;
      w.webContents.reload();
    });
    w.loadURL(this.opts.url).catch((error: unknown) => log.error({ err: error }, 'could not load the app into the window'));
    void this.api.app.dock?.show();
    return w;
  }
}
