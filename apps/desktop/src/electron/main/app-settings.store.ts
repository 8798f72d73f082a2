// The desktop app's own settings (keep running in the background, start at login) in a JSON file
// in userData, validated with the contract's schema. A missing or corrupt file means the defaults;
// changing "start at login" registers or removes the login item with the system.
import fs from 'node:fs';
import path from 'node:path';
import { AppSettings, DEFAULT_APP_SETTINGS } from '@shoebox/core/contract';
import type { ElectronApi } from './electron-api.ts';

/** A login start runs the app hidden in the tray; main.ts reads this flag. */
export const HIDDEN_FLAG = '--hidden';

const Patch = AppSettings.partial().strict();

export class AppSettingsStore {
  private readonly file: string;
  private readonly app: Pick<ElectronApi['app'], 'setLoginItemSettings'>;
  private current: AppSettings;

  constructor(userDataDir: string, app: Pick<ElectronApi['app'], 'setLoginItemSettings'>, fileName = 'settings.json') {
    this.file = path.join(userDataDir, fileName);
    this.app = app;
    this.current = this.read();
  }

  private read(): AppSettings {
    try {
      const raw: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      // Settings a newer or older version did not have take their defaults.
      const parsed = AppSettings.safeParse({ ...DEFAULT_APP_SETTINGS, ...(raw as object) });
      return parsed.success ? parsed.data : { ...DEFAULT_APP_SETTINGS };
    } catch {
      return { ...DEFAULT_APP_SETTINGS };
    }
  }

  get(): AppSettings {
    return { ...this.current };
  }

  /** Applies a partial change (validated), saves it and answers the settings now in force. */
  update(patch: Partial<AppSettings>): AppSettings {
    const change = Patch.parse(patch);
    const next = AppSettings.parse({ ...this.current, ...change });
    if (change.startAtLogin !== undefined) {
      // --hidden is Windows' and Linux's way, openAsHidden older macOS's; macOS 13+ ignores both and
      // the app asks wasOpenedAtLogin at start. Either way a login start stays in the tray.
      this.app.setLoginItemSettings({ openAtLogin: next.startAtLogin, openAsHidden: true, args: [HIDDEN_FLAG] });
    }
    this.write(next);
    this.current = next;
    return this.get();
  }

  private write(settings: AppSettings): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(settings, null, 2));
    fs.renameSync(tmp, this.file);
  }
}
