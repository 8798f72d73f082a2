// The `window.shoebox` object, built from an ipcRenderer-like port so tests can run it without
// Electron. Only the contract's route keys and the desktop calls pass; anything else is refused
// here, before it reaches main. Listeners get the event's payload, never the IpcRendererEvent
// (which would hand the page a way back to ipcRenderer).
import {
  IPC_CHANNELS, desktopCallKeys, routeKeys, type DesktopBridge, type DesktopEvent, type IpcResult,
} from '@shoebox/core/contract';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererPort {
  invoke(channel: string, message: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

const ROUTE_KEYS: ReadonlySet<string> = new Set(routeKeys);
const DESKTOP_CALLS: ReadonlySet<string> = new Set(desktopCallKeys);

function unreachable(error: unknown): IpcResult {
  const reason = error instanceof Error ? error.message : String(error);
  return { ok: false, status: 500, body: { error: { code: 'INTERNAL', message: `the app's main process did not answer: ${reason}` } } };
}

export function createBridge(ipc: IpcRendererPort, platform: string): DesktopBridge {
  const listeners = new Set<{ listener: (event: DesktopEvent) => void }>();
  const relay = (_event: unknown, payload: unknown): void => {
    for (const entry of [...listeners]) {
      try {
        entry.listener(payload as DesktopEvent);
      } catch (error) {
        // One failing listener must not starve the others; the error still shows in the console.
        console.error('a window.shoebox event listener failed', error);
      }
    }
  };

  async function send(channel: string, key: string, input: unknown): Promise<IpcResult> {
    try {
      return (await ipc.invoke(channel, { key, input })) as IpcResult;
    } catch (error) {
      return unreachable(error);
    }
  }

  return Object.freeze({
    platform,
    invoke(routeKey: string, input: unknown): Promise<IpcResult> {
      if (typeof routeKey !== 'string' || !ROUTE_KEYS.has(routeKey)) {
        return Promise.reject(new TypeError(`unknown route: ${String(routeKey)}`));
      }
      return send(IPC_CHANNELS.invoke, routeKey, input);
    },
    desktop(call: string, input: unknown): Promise<IpcResult> {
      if (typeof call !== 'string' || !DESKTOP_CALLS.has(call)) {
        return Promise.reject(new TypeError(`unknown desktop call: ${String(call)}`));
      }
      return send(IPC_CHANNELS.desktop, call, input);
    },
    onEvent(listener: (event: DesktopEvent) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
      const entry = { listener };
      // One IPC listener for all subscribers, attached while anyone listens.
      if (listeners.size === 0) ipc.on(IPC_CHANNELS.event, relay);
      listeners.add(entry);
      return () => {
        if (!listeners.delete(entry)) return;
        if (listeners.size === 0) ipc.removeListener(IPC_CHANNELS.event, relay);
      };
    },
  });
}
