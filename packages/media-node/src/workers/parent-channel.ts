// The worker's side of its link to the engine, the same code under both launchers: Node's IPC
// channel (`process.send`) in a `child_process.fork` child, Electron's `process.parentPort` in a
// `utilityProcess.fork` child. A `shutdown` message or the channel closing asks the worker to end.

interface ElectronParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export interface ParentChannel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onShutdown(listener: () => void): void;
}

export const SHUTDOWN_MESSAGE = { type: 'shutdown' } as const;

function isShutdown(message: unknown): boolean {
  return (message as { type?: unknown } | null)?.type === 'shutdown';
}

export function parentChannel(): ParentChannel {
  const port = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  const shutdownListeners: (() => void)[] = [];
  let shuttingDown = false;
  const shutdown = (): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    for (const listener of shutdownListeners) listener();
  };
  const messageListeners: ((message: unknown) => void)[] = [];
  const deliver = (message: unknown): void => {
    if (isShutdown(message)) return shutdown();
    for (const listener of messageListeners) listener(message);
  };
  if (port) {
    port.on('message', (event) => deliver(event.data));
  } else {
    process.on('message', deliver);
    process.on('disconnect', shutdown);
  }
  return {
    send(message) {
      if (port) port.postMessage(message);
      else if (process.connected) process.send?.(message);
    },
    onMessage(listener) {
      messageListeners.push(listener);
    },
    onShutdown(listener) {
      shutdownListeners.push(listener);
    },
  };
}
