// The desktop app's own calls, beside the route table: what only a native shell can do (a folder
// picker, the file manager, the default app, dragging files out, the app's settings). The Electron
// preload exposes exactly these plus the routes; main parses every input with these schemas.
import { z } from 'zod';

/** Settings of the desktop app itself (the library's settings are routes). */
export const AppSettings = z
  .object({
    /** Closing the window keeps the app (and indexing) running in the tray / menu bar. */
    keepRunningInBackground: z.boolean(),
    /** The app starts (hidden, in the tray) when the user logs in. */
    startAtLogin: z.boolean(),
  })
  .meta({ id: 'AppSettings' });
export type AppSettings = z.infer<typeof AppSettings>;

export const DEFAULT_APP_SETTINGS: AppSettings = { keepRunningInBackground: true, startAtLogin: false };

const AssetRef = z.object({ assetId: z.uuid() }).strict();

/** Each desktop call: its input and output schemas. Inputs are validated in main, like routes. */
export const desktopCalls = {
  /** The native folder picker; answers the chosen folders (none when cancelled). */
  pickFolders: {
    input: z.object({ title: z.string().max(200).optional() }).strict(),
    output: z.object({ folders: z.array(z.string()) }),
  },
  /** Shows the asset's file selected in the system's file manager. */
  revealInFolder: { input: AssetRef, output: z.object({ ok: z.literal(true) }) },
  /** Opens the asset's file with the app the system associates with it. */
  openWithDefaultApp: { input: AssetRef, output: z.object({ ok: z.literal(true) }) },
  /** Starts a native drag of the assets' files (to another app, a folder, a mail). */
  startDrag: {
    input: z.object({ assetIds: z.array(z.uuid()).min(1).max(500) }).strict(),
    output: z.object({ ok: z.literal(true) }),
  },
  getAppSettings: { input: z.object({}).strict(), output: AppSettings },
  updateAppSettings: { input: AppSettings.partial().strict(), output: AppSettings },
} as const;

export type DesktopCalls = typeof desktopCalls;
export type DesktopCallKey = keyof DesktopCalls;
export const desktopCallKeys = Object.keys(desktopCalls) as DesktopCallKey[];
export type DesktopCallInput<K extends DesktopCallKey> = z.input<DesktopCalls[K]['input']>;
export type DesktopCallOutput<K extends DesktopCallKey> = z.infer<DesktopCalls[K]['output']>;

/** The IPC channels: one for the routes, one for the desktop calls, one for events from main. */
export const IPC_CHANNELS = {
  invoke: 'shoebox:invoke',
  desktop: 'shoebox:desktop',
  event: 'shoebox:event',
} as const;

/** What an IPC answer carries: the output, or the contract's error (status and ErrorBody). */
export type IpcResult =
  | { ok: true; data: unknown }
  | { ok: false; status: number; body: { error: { code: string; message: string; details?: { path: string; message: string }[] } } };

/** Events main pushes to the window (indexing progress, a menu command). */
export type DesktopEvent =
  | { type: 'progress'; scanning: boolean; pending: number; running: number; done: number; failed: number }
  /** A menu or tray command the window carries out (navigate: go to `path` inside the app). */
  | { type: 'command'; command: 'add-folder' | 'rescan' | 'navigate'; path?: string };

/**
 * `window.shoebox` in the Electron renderer (set by the preload, frozen by contextBridge).
 * Absent in a browser: the UI then talks HTTP.
 */
export interface DesktopBridge {
  /** The platform the app runs on, for shortcuts and wording ("Show in Finder"). */
  readonly platform: 'darwin' | 'win32' | 'linux' | string;
  /** One contract route by key: known keys only; the answer is IpcResult. */
  invoke(routeKey: string, input: unknown): Promise<IpcResult>;
  /** One desktop call by key: known keys only. */
  desktop(call: string, input: unknown): Promise<IpcResult>;
  /** Events from main; returns the unsubscribe. */
  onEvent(listener: (event: DesktopEvent) => void): () => void;
}
