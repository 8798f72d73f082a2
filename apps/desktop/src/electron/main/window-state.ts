// Remembers the main window's size, position and maximized / full-screen state in a JSON file in
// userData, and puts it back at the next start: only where a connected display can show it (a
// monitor unplugged since would leave the window off screen), else centred on the first display.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { BrowserWindowLike, Rect } from './electron-api.ts';

const SavedState = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(100).max(100_000),
  height: z.number().int().min(100).max(100_000),
  maximized: z.boolean(),
  fullScreen: z.boolean(),
});
type SavedState = z.infer<typeof SavedState>;

export interface InitialWindowState {
  bounds: Rect;
  maximized: boolean;
  fullScreen: boolean;
}

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 820 } as const;

/** How much of the window must be on a display to count as visible (a title bar's worth). */
const MIN_VISIBLE = 48;
const SAVE_DELAY_MS = 500;

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/** Whether enough of `bounds` lies on one of the work areas to grab and move it. */
export function isOnScreen(bounds: Rect, workAreas: readonly Rect[]): boolean {
  return workAreas.some((area) => {
    const o = overlap(bounds, area);
    return o.width >= MIN_VISIBLE && o.height >= MIN_VISIBLE;
  });
}

/** The default size (shrunk to fit), centred on the work area. */
export function centredOn(area: Rect, size: { width: number; height: number } = DEFAULT_WINDOW_SIZE): Rect {
  const width = Math.min(size.width, area.width);
  const height = Math.min(size.height, area.height);
  return {
    x: Math.round(area.x + (area.width - width) / 2),
    y: Math.round(area.y + (area.height - height) / 2),
    width,
    height,
  };
}

export class WindowStateStore {
  private readonly file: string;
  private saved: SavedState | null;
  private timer: NodeJS.Timeout | null = null;
  private pendingWrite: (() => void) | null = null;

  constructor(userDataDir: string, fileName = 'window-state.json') {
    this.file = path.join(userDataDir, fileName);
    this.saved = this.read();
  }

  private read(): SavedState | null {
    try {
      const parsed = SavedState.safeParse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      // Missing or unreadable: the window opens with the default size.
      return null;
    }
  }

  /** Where the window opens: as it was when it was last closed if that is on a display now. */
  initial(workAreas: readonly Rect[]): InitialWindowState {
    const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_WINDOW_SIZE };
    const s = this.saved;
    if (s && isOnScreen(s, workAreas)) {
      return { bounds: { x: s.x, y: s.y, width: s.width, height: s.height }, maximized: s.maximized, fullScreen: s.fullScreen };
    }
    return { bounds: centredOn(primary), maximized: s?.maximized ?? false, fullScreen: false };
  }

  /** Saves the window's state as it moves and resizes (debounced) and when it closes. */
  track(window: BrowserWindowLike): void {
    const capture = (): SavedState | null => {
      if (window.isDestroyed()) return null;
      const b = window.getNormalBounds();
      return {
        x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height),
        maximized: window.isMaximized(), fullScreen: window.isFullScreen(),
      };
    };
    const later = (): void => {
      // Read now (the window may be gone when the timer fires), write a moment later.
      const state = capture();
      if (!state) return;
      this.schedule(() => this.write(state));
    };
    for (const event of ['resize', 'move', 'maximize', 'unmaximize', 'enter-full-screen', 'leave-full-screen'] as const) {
      window.on(event, later);
    }
    window.on('close', () => {
      const state = capture();
      if (state) this.write(state);
    });
  }

  private schedule(write: () => void): void {
    this.pendingWrite = write;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), SAVE_DELAY_MS);
  }

  /** Writes a save that is still waiting for its debounce (at quit). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const write = this.pendingWrite;
    this.pendingWrite = null;
    write?.();
  }

  private write(state: SavedState): void {
    this.pendingWrite = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!SavedState.safeParse(state).success) return;
    this.saved = state;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      // Written aside and renamed: a crash mid-write never leaves a half file.
      const tmp = `${this.file}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(state));
      fs.renameSync(tmp, this.file);
    } catch {
      // Remembering the window is a convenience: a read-only profile must not stop the app.
    }
  }
}
