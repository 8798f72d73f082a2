// The remembered window: saved as it moves and when it closes, put back where it was when a
// display can show it, centred on the first display when not, and a corrupt file is no obstacle.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_SIZE, WindowStateStore, centredOn, isOnScreen } from '../../src/electron/main/window-state.ts';
import { tempDir } from '../helpers/cli.ts';
import { FakeElectron, type FakeWindow } from './fake-electron.ts';

const LAPTOP = { x: 0, y: 0, width: 1440, height: 875 };
const MONITOR = { x: 1440, y: -200, width: 2560, height: 1400 };

async function windowOn(dir: string): Promise<FakeWindow> {
  const fake = new FakeElectron({ userData: dir });
  await fake.app.whenReady();
  return fake.createWindow({
    x: 100, y: 100, width: 1000, height: 700, minWidth: 400, minHeight: 300, show: true, title: 't', backgroundColor: '#000',
    webPreferences: {
      preload: '/p.cjs', sandbox: true, contextIsolation: true, nodeIntegration: false, nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false,
      navigateOnDragDrop: false, spellcheck: true,
    },
  });
}

describe('window state', () => {
  it('opens a first window at the default size, centred on the first display', () => {
    const store = new WindowStateStore(tempDir('winstate'));
    expect(store.initial([LAPTOP, MONITOR])).toEqual({
      bounds: { x: 80, y: 28, width: DEFAULT_WINDOW_SIZE.width, height: DEFAULT_WINDOW_SIZE.height }, maximized: false, fullScreen: false,
    });
    // A display smaller than the default gets a window that fits it.
    expect(centredOn({ x: 0, y: 0, width: 1024, height: 600 })).toEqual({ x: 0, y: 0, width: 1024, height: 600 });
  });

  it('saves where the window is as it moves (debounced) and when it closes, and puts it back there', async () => {
    const dir = tempDir('winstate');
    const store = new WindowStateStore(dir);
    const w = await windowOn(dir);
    store.track(w);
    w.setBounds({ x: 1600, y: 10, width: 1200, height: 900 });
    const file = path.join(dir, 'window-state.json');
    expect(fs.existsSync(file)).toBe(false);
    await new Promise((r) => setTimeout(r, 700));
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ x: 1600, y: 10, width: 1200, height: 900, maximized: false, fullScreen: false });

    w.maximize();
    w.close();
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ x: 1600, maximized: true });
    expect(new WindowStateStore(dir).initial([LAPTOP, MONITOR])).toEqual({
      bounds: { x: 1600, y: 10, width: 1200, height: 900 }, maximized: true, fullScreen: false,
    });
  });

  it('does not restore a window onto a display that is gone: it centres the default size on the first one', async () => {
    const dir = tempDir('winstate');
    const store = new WindowStateStore(dir);
    const w = await windowOn(dir);
    store.track(w);
    w.setBounds({ x: 2000, y: 100, width: 1400, height: 1000 });
    w.setFullScreen(true);
    store.flush();
    // The monitor was unplugged: only the laptop's screen is left.
    expect(new WindowStateStore(dir).initial([LAPTOP])).toEqual({
      bounds: centredOn(LAPTOP), maximized: false, fullScreen: false,
    });
    // A sliver on screen is not enough to grab the window by its title bar.
    expect(isOnScreen({ x: 1420, y: 100, width: 800, height: 600 }, [LAPTOP])).toBe(false);
    expect(isOnScreen({ x: 1300, y: 100, width: 800, height: 600 }, [LAPTOP])).toBe(true);
  });

  it('survives a corrupt or invalid file and writes a good one again', async () => {
    const dir = tempDir('winstate');
    const file = path.join(dir, 'window-state.json');
    for (const content of ['{"x": 10, "y":', '{"x":"a","y":0,"width":10,"height":10,"maximized":false,"fullScreen":false}', '[]']) {
      fs.writeFileSync(file, content);
      expect(new WindowStateStore(dir).initial([LAPTOP]).bounds).toEqual(centredOn(LAPTOP));
    }
    const store = new WindowStateStore(dir);
    const w = await windowOn(dir);
    store.track(w);
    w.close();
    expect(new WindowStateStore(dir).initial([LAPTOP]).bounds).toEqual({ x: 100, y: 100, width: 1000, height: 700 });
  });
});
