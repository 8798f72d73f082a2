// The tray (menu bar on macOS) icon: the way back to a window closed to the background, indexing
// progress in its tooltip (the counts) and its menu's first line (only what it is doing: indexing,
// paused, up to date), and the few commands that make sense without the window (add a folder,
// rescan, pause or resume indexing, quit). The menu is rebuilt only when what it shows changes:
// a new menu on every count makes some Linux panels flicker or close the menu under the pointer.
import type { ElectronApi, MenuItemSpec, TrayLike } from './electron-api.ts';
import { progressLabel, type IndexingState } from './indexing-progress.ts';

export interface TrayCommands {
  open(): void;
  addFolder(): void;
  rescan(): void;
  setPaused(paused: boolean): void;
  quit(): void;
}

/** The menu's status line: what the library is doing, without the counts that change each second. */
export function trayStatus(s: IndexingState): string {
  if (s.paused && s.waiting > 0) return 'Indexing paused';
  if (s.fraction < 0) return 'Library up to date';
  return 'Indexing…';
}

export function trayMenu(state: IndexingState, commands: TrayCommands): MenuItemSpec[] {
  return [
    { label: trayStatus(state), enabled: false },
    { type: 'separator' },
    { label: 'Open Shoebox', click: () => commands.open() },
    { label: 'Add Folder…', click: () => commands.addFolder() },
    { label: 'Rescan Library', click: () => commands.rescan() },
    state.paused
      ? { label: 'Resume Indexing', click: () => commands.setPaused(false) }
      : { label: 'Pause Indexing', click: () => commands.setPaused(true) },
    { type: 'separator' },
    { label: 'Quit Shoebox', click: () => commands.quit() },
  ];
}

export class AppTray {
  private readonly tray: TrayLike;
  private readonly commands: TrayCommands;
  private readonly tooltipIntervalMs: number;
  private menuShown = '';
  private tooltipShown = '';
  private tooltipNext = '';
  private tooltipAt = 0;
  private tooltipTimer: NodeJS.Timeout | null = null;
  private destroyed = false;

  /** `tooltipIntervalMs`: the least time between two tooltip changes (default 1 s; the last one always shows). */
  constructor(
    api: Pick<ElectronApi, 'createTray' | 'platform'>, iconPath: string, commands: TrayCommands, initial: IndexingState,
    opts: { tooltipIntervalMs?: number } = {},
  ) {
    this.tray = api.createTray(iconPath);
    this.commands = commands;
    this.tooltipIntervalMs = opts.tooltipIntervalMs ?? 1_000;
    // Windows and Linux open the window on a click; in the macOS menu bar a click shows the menu.
    if (api.platform !== 'darwin') this.tray.on('click', () => commands.open());
    this.showProgress(initial);
  }

  showProgress(state: IndexingState): void {
    if (this.destroyed) return;
    const menu = `${trayStatus(state)}|${state.paused}`;
    if (menu !== this.menuShown) {
      this.menuShown = menu;
      this.tray.setContextMenu(trayMenu(state, this.commands));
    }
    this.tooltipNext = `Shoebox — ${progressLabel(state)}`;
    const wait = this.tooltipAt + this.tooltipIntervalMs - Date.now();
    if (wait <= 0) this.applyTooltip();
    else this.tooltipTimer ??= setTimeout(() => this.applyTooltip(), wait);
  }

  private applyTooltip(): void {
    if (this.tooltipTimer) clearTimeout(this.tooltipTimer);
    this.tooltipTimer = null;
    if (this.tooltipNext === this.tooltipShown) return;
    this.tooltipShown = this.tooltipNext;
    this.tooltipAt = Date.now();
    this.tray.setToolTip(this.tooltipShown);
  }

  destroy(): void {
    this.destroyed = true;
    if (this.tooltipTimer) clearTimeout(this.tooltipTimer);
    this.tooltipTimer = null;
    this.tray.destroy();
  }
}
