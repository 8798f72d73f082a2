// The fake app: lifecycle (ready, quit, exit), single instance, login items and the dock.
import type { LoginItemSettings, MenuItemSpec } from '../../../src/electron/main/electron-api.ts';
import type { FakeElectron } from '../fake-electron.ts';
import { Emitter, FakeEvent } from './fake-window.ts';

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

