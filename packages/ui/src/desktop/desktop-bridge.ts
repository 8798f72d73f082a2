// The desktop app's bridge as the UI sees it. Electron's preload sets `window.shoebox`; in a browser
// (shoebox serve, the sync server) it is absent, and every desktop-only control stays hidden.
import { desktopCalls, type DesktopBridge, type DesktopCallInput, type DesktopCallKey, type DesktopCallOutput } from '@shoebox/core/contract';
import { unwrapIpcResult } from '../api/ipc-transport.ts';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); undefined in a browser. */
    shoebox?: DesktopBridge;
  }
}

/** The bridge in the desktop app, null in a browser. */
export function desktopBridge(): DesktopBridge | null {
  return typeof window !== 'undefined' && window.shoebox ? window.shoebox : null;
}

/**
 * One desktop call (folder picker, reveal, open, drag, app settings), its answer parsed with the
 * call's output schema. A refusal from main (the file is offline, the input is invalid) throws the
 * ApiError a route would, so it reads the same in a toast.
 */
export async function callDesktop<K extends DesktopCallKey>(
  key: K,
  input: DesktopCallInput<K>,
  bridge: DesktopBridge | null = desktopBridge(),
): Promise<DesktopCallOutput<K>> {
  if (!bridge) throw new Error(`${key} needs the Shoebox desktop app`);
  const data = unwrapIpcResult(await bridge.desktop(key, input));
  return desktopCalls[key].output.parse(data) as DesktopCallOutput<K>;
}

/** What the system calls its file manager, for "Show in …". */
export function revealLabel(platform: string): string {
  if (platform === 'darwin') return 'Show in Finder';
  if (platform === 'win32') return 'Show in Explorer';
  return 'Show in folder';
}
