// The tray (menu bar on macOS) icon: the way back to a window closed to the background, indexing
// progress in its tooltip and first menu line, and the few commands that make sense without the
// window (add a folder, rescan, pause or resume indexing, quit).
import type { ElectronApi, MenuItemSpec, TrayLike } from './electron-api.ts';
import { progressLabel, type IndexingState } from './indexing-progress.ts';

export interface TrayCommands {
  open(): void;
  addFolder(): void;
  rescan(): void;
  setPaused(paused: boolean): void;
  quit(): void;
}

export function trayMenu(state: IndexingState, commands: TrayCommands): MenuItemSpec[] {
  return [
    { label: progressLabel(state), enabled: false },
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
  private shown = '';

  constructor(api: Pick<ElectronApi, 'createTray' | 'platform'>, iconPath: string, commands: TrayCommands, initial: IndexingState) {
    this.tray = api.createTray(iconPath);
    this.commands = commands;
    // Windows and Linux open the window on a click; in the macOS menu bar a click shows the menu.
    if (api.platform !== 'darwin') this.tray.on('click', () => commands.open());
    this.showProgress(initial);
  }

  showProgress(state: IndexingState): void {
    const label = progressLabel(state);
    const key = `${label}|${state.paused}`;
    if (key === this.shown) return;
    this.shown = key;
    this.tray.setToolTip(`Shoebox — ${label}`);
    this.tray.setContextMenu(trayMenu(state, this.commands));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
