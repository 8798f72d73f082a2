// The fake's windows and their web contents, with the event emitter every fake part shares:
// listeners recorded per event, emitted by the tests as Electron would.
import type {
  BrowserWindowLike, NativeImageLike, PreventableEvent, Rect, WebContentsLike, WindowOptions,
} from '../../../src/electron/main/electron-api.ts';
import type { FakeElectron } from '../fake-electron.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- listeners of every event shape
export type AnyListener = (...args: any[]) => void;

export class FakeEvent implements PreventableEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class Emitter {
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

