// The app's own settings: defaults, saved changes, a corrupt file, invalid changes refused, and
// "start at login" registered with the system as a hidden start.
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_APP_SETTINGS } from '@shoebox/core/contract';
import { describe, expect, it } from 'vitest';
import { AppSettingsStore } from '../../src/electron/main/app-settings.store.ts';
import type { LoginItemSettings } from '../../src/electron/main/electron-api.ts';
import { linuxAutostartEnabled, setLinuxAutostart } from '../../src/electron/main/linux-autostart.ts';
import { tempDir } from '../helpers/cli.ts';

function loginItems(): { calls: LoginItemSettings[]; setLoginItemSettings(s: LoginItemSettings): void } {
  const calls: LoginItemSettings[] = [];
  return { calls, setLoginItemSettings: (s) => calls.push(s) };
}

describe('app settings', () => {
  it('starts from the defaults and keeps changes across restarts', () => {
    const dir = tempDir('settings');
    const app = loginItems();
    const store = new AppSettingsStore(dir, app);
    expect(store.get()).toEqual(DEFAULT_APP_SETTINGS);
    expect(store.update({ keepRunningInBackground: false })).toEqual({ ...DEFAULT_APP_SETTINGS, keepRunningInBackground: false });
    // Not a login-item change: the system is left alone.
    expect(app.calls).toEqual([]);
    expect(new AppSettingsStore(dir, app).get()).toEqual({ ...DEFAULT_APP_SETTINGS, keepRunningInBackground: false });
  });

  it('registers start at login as a hidden start, and removes it', () => {
    const app = loginItems();
    const store = new AppSettingsStore(tempDir('settings'), app);
    store.update({ startAtLogin: true });
    store.update({ startAtLogin: false });
    expect(app.calls).toEqual([
      { openAtLogin: true, openAsHidden: true, args: ['--hidden'] },
      { openAtLogin: false, openAsHidden: true, args: ['--hidden'] },
    ]);
    expect(store.get().startAtLogin).toBe(false);
  });

  it('falls back to the defaults on a corrupt or invalid file, and fills in settings an older file lacks', () => {
    const dir = tempDir('settings');
    const file = path.join(dir, 'settings.json');
    fs.writeFileSync(file, '{"keepRunningInBackground": fal');
    expect(new AppSettingsStore(dir, loginItems()).get()).toEqual(DEFAULT_APP_SETTINGS);
    fs.writeFileSync(file, JSON.stringify({ keepRunningInBackground: 'yes', startAtLogin: true }));
    expect(new AppSettingsStore(dir, loginItems()).get()).toEqual(DEFAULT_APP_SETTINGS);
    fs.writeFileSync(file, JSON.stringify({ startAtLogin: true }));
    expect(new AppSettingsStore(dir, loginItems()).get()).toEqual({ ...DEFAULT_APP_SETTINGS, startAtLogin: true });
  });

  it('refuses an invalid change and keeps what was there', () => {
    const dir = tempDir('settings');
    const app = loginItems();
    const store = new AppSettingsStore(dir, app);
    expect(() => store.update({ startAtLogin: 'yes' } as unknown as { startAtLogin: boolean })).toThrow();
    expect(() => store.update({ theme: 'dark' } as unknown as { startAtLogin: boolean })).toThrow();
    expect(store.get()).toEqual(DEFAULT_APP_SETTINGS);
    expect(app.calls).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'settings.json'))).toBe(false);
  });

  it('starts at login on Linux through an XDG autostart entry that starts hidden', () => {
    const dir = path.join(tempDir('settings'), 'autostart');
    const store = new AppSettingsStore(tempDir('settings'), { setLoginItemSettings: (s) => setLinuxAutostart(dir, '/opt/Shoe "box"/shoebox', s) });
    store.update({ startAtLogin: true });
    expect(linuxAutostartEnabled(dir)).toBe(true);
    const entry = fs.readFileSync(path.join(dir, 'shoebox.desktop'), 'utf8');
    expect(entry).toContain('[Desktop Entry]\nType=Application\n');
    expect(entry).toContain('Exec="/opt/Shoe \\"box\\"/shoebox" "--hidden"\n');
    store.update({ startAtLogin: false });
    expect(linuxAutostartEnabled(dir)).toBe(false);
  });
});
