// The native application menu, with the roles and shortcuts each platform expects: macOS has the
// app menu (About, Settings…, Hide, Quit), the others put Settings and Quit under File. Commands the
// UI carries out (add a folder, rescan, go to settings) are sent to the window as DesktopEvents.
import type { MenuItemSpec } from './electron-api.ts';

export interface MenuCommands {
  addFolder(): void;
  rescan(): void;
  /** Shows the window at a path inside the app ('/settings'). */
  navigate(path: string): void;
  openLogFolder(): void;
}

export interface MenuContext {
  platform: NodeJS.Platform;
  /** Reload and the developer tools are for development builds only. */
  isPackaged: boolean;
}

export const ACCELERATORS = {
  addFolder: 'CmdOrCtrl+O',
  rescan: 'CmdOrCtrl+Shift+R',
  settings: 'CmdOrCtrl+,',
} as const;

const SEPARATOR: MenuItemSpec = { type: 'separator' };

export function appMenuTemplate(ctx: MenuContext, commands: MenuCommands): MenuItemSpec[] {
  const mac = ctx.platform === 'darwin';
  const settings: MenuItemSpec = {
    label: mac ? 'Settings…' : 'Settings', accelerator: ACCELERATORS.settings, click: () => commands.navigate('/settings'),
  };
  const appMenu: MenuItemSpec = {
    label: 'Shoebox',
    submenu: [
      { role: 'about' }, SEPARATOR, settings, SEPARATOR, { role: 'services' }, SEPARATOR,
      { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, SEPARATOR, { role: 'quit' },
    ],
  };
  const file: MenuItemSpec = {
    label: 'File',
    submenu: [
      { label: 'Add Folder…', accelerator: ACCELERATORS.addFolder, click: () => commands.addFolder() },
      { label: 'Rescan Library', accelerator: ACCELERATORS.rescan, click: () => commands.rescan() },
      SEPARATOR,
      ...(mac ? [{ role: 'close' }] : [settings, SEPARATOR, { role: 'close' }, { role: 'quit' }]),
    ],
  };
  const edit: MenuItemSpec = {
    label: 'Edit',
    submenu: [
      { role: 'undo' }, { role: 'redo' }, SEPARATOR, { role: 'cut' }, { role: 'copy' }, { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' }] : []), { role: 'delete' }, { role: 'selectAll' },
    ],
  };
  const view: MenuItemSpec = {
    label: 'View',
    submenu: [
      ...(ctx.isPackaged ? [] : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, SEPARATOR]),
      { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, SEPARATOR, { role: 'togglefullscreen' },
    ],
  };
  const window: MenuItemSpec = {
    label: 'Window',
    role: 'windowMenu',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, SEPARATOR, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  };
  const help: MenuItemSpec = {
    label: 'Help',
    role: 'help',
    submenu: [
      { label: 'Show Log Folder', click: () => commands.openLogFolder() },
      ...(mac ? [] : [SEPARATOR, { role: 'about' }]),
    ],
  };
  return [...(mac ? [appMenu] : []), file, edit, view, window, help];
}

/** The dock menu (macOS): the tray's commands, which the dock offers there too. */
export function dockMenuTemplate(commands: Pick<MenuCommands, 'addFolder' | 'rescan'>): MenuItemSpec[] {
  return [
    { label: 'Add Folder…', click: () => commands.addFolder() },
    { label: 'Rescan Library', click: () => commands.rescan() },
  ];
}
