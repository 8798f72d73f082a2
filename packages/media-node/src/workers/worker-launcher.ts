// How a worker process is started. Headless, a worker is a `child_process.fork` child; in the
// Electron app it is a `utilityProcess.fork` child, whose launcher the shell supplies. The pool sees
// only this interface, so both run the same pool, the same entries and the same protocol.
import { fork } from 'node:child_process';

export interface WorkerChild {
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Once, when the process has ended (a crash, a kill or a clean exit). */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  onError(listener: (error: Error) => void): void;
  /** Ends it now (a stuck or unwanted worker). */
  kill(): void;
  /** Asks it to finish and exit: it stops reading requests and ends its tools. */
  shutdown(): void;
}

export interface LaunchOptions {
  /** Environment of the process (default: the parent's). */
  env?: NodeJS.ProcessEnv | undefined;
  /** What it is ("media worker"), for the process list and logs. */
  name: string;
}

export type WorkerLauncher = (entry: string, opts: LaunchOptions) => WorkerChild;

/** A `child_process.fork` child speaking the advanced (structured clone) serialization. */
export const forkLauncher: WorkerLauncher = (entry, opts) => {
  const child = fork(entry, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced', ...(opts.env ? { env: opts.env } : {}),
  });
  return {
    get pid() {
      return child.pid;
    },
    send(message) {
      if (child.connected) child.send(message as object);
    },
    onMessage(listener) {
      child.on('message', listener);
    },
    onExit(listener) {
      child.once('exit', (code, signal) => listener(code, signal));
    },
    onError(listener) {
      child.on('error', listener);
    },
    kill() {
      child.kill('SIGKILL');
    },
    shutdown() {
      if (child.connected) child.disconnect();
    },
  };
};
