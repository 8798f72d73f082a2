// Start at login on Linux, where Electron's setLoginItemSettings does nothing: an XDG autostart
// entry (~/.config/autostart/shoebox.desktop) that desktop environments run at login.
import fs from 'node:fs';
import path from 'node:path';
import type { LoginItemSettings } from './electron-api.ts';

const FILE_NAME = 'shoebox.desktop';

/** A desktop-entry Exec argument: quoted, with the characters the spec reserves escaped. */
function execArg(arg: string): string {
  return `"${arg.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
}

/** Writes or removes the entry in `autostartDir` (XDG_CONFIG_HOME/autostart). */
export function setLinuxAutostart(autostartDir: string, executable: string, settings: LoginItemSettings): void {
  const file = path.join(autostartDir, FILE_NAME);
  if (!settings.openAtLogin) {
    fs.rmSync(file, { force: true });
    return;
  }
  const exec = [executable, ...(settings.args ?? [])].map(execArg).join(' ');
  fs.mkdirSync(autostartDir, { recursive: true });
  fs.writeFileSync(file, [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Shoebox',
    'Comment=Keeps your photo library indexed',
    `Exec=${exec}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n'));
}

export function linuxAutostartEnabled(autostartDir: string): boolean {
  return fs.existsSync(path.join(autostartDir, FILE_NAME));
}
