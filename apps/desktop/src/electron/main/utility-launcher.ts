// Worker processes as Electron utility processes: the WorkerLauncher the engine's media pool and ML
// client use inside the app, so the same worker entries, pool and protocol run as in headless mode
// (there each worker is a child_process.fork child). The worker side is parent-channel.ts, which
// reads `process.parentPort` in a utility process.
import type { WorkerChild, WorkerLauncher } from '@shoebox/media-node/workers/worker-launcher';
import { SHUTDOWN_MESSAGE } from '@shoebox/media-node/workers/parent-channel';
import type { ElectronApi } from './electron-api.ts';

export function utilityLauncher(api: Pick<ElectronApi, 'utilityProcess'>): WorkerLauncher {
  return (entry, opts) => {
    const child = api.utilityProcess.fork(entry, [], {
      serviceName: opts.name,
      stdio: 'inherit',
      ...(opts.env ? { env: opts.env } : {}),
    });
    let exitCode: number | null = null;
    let exited = false;
    const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
    // Electron emits 'exit' once; listeners added after it still hear of it (the pool waits for
    // every worker's exit when it closes, some of which may have ended already).
    child.on('exit', (code) => {
      exited = true;
      exitCode = code;
      for (const listener of exitListeners.splice(0)) listener(code, null);
    });
    // Messages posted before the process has spawned are queued by Electron, like the init message
    // the pool sends right away.
    const post = (message: unknown): void => {
      if (exited) return;
      try {
        child.postMessage(message);
      } catch {
        // The process ended between the check and the post: its 'exit' fails what it held.
      }
    };
    const worker: WorkerChild = {
      get pid() {
        return child.pid;
      },
      send: post,
      onMessage(listener) {
        child.on('message', listener);
      },
      onExit(listener) {
        if (exited) queueMicrotask(() => listener(exitCode, null));
        else exitListeners.push(listener);
      },
      onError(listener) {
        child.on('error', (type, location) => listener(new Error(`${opts.name}: ${type} at ${location}`)));
      },
      kill() {
        if (!exited) child.kill();
      },
      shutdown() {
        post(SHUTDOWN_MESSAGE);
      },
    };
    return worker;
  };
}
