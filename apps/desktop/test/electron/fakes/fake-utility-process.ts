// The fake utility process: a real Node child running a worker entry through the parentPort shim.
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { UtilityProcessLike } from '../../../src/electron/main/electron-api.ts';
import type { AnyListener } from './fake-window.ts';

const SHIM = path.join(import.meta.dirname, '..', 'parent-port.shim.ts');

/**
 * A utility process: a Node child running the entry through the parentPort shim. Messages travel
 * in `{ port: message }` envelopes that only the shim's parentPort opens, so a worker that read
 * Node's IPC channel directly would get nothing it understands, and what it sent that way lands
 * in `stray` instead of reaching the pool.
 */
export class FakeUtilityProcess implements UtilityProcessLike {
  readonly child: ChildProcess;
  readonly modulePath: string;
  readonly serviceName: string;
  /** Requests posted (messages with an id) that have no reply yet. */
  readonly inFlight = new Map<number, { type: string } & Record<string, unknown>>();
  readonly posted: unknown[] = [];
  readonly stray: unknown[] = [];
  private readonly listeners: ((message: unknown) => void)[] = [];
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  private exited = false;

  constructor(modulePath: string, args: string[], options: { serviceName: string; env?: NodeJS.ProcessEnv; stdio: 'inherit' | 'ignore' }) {
    this.modulePath = modulePath;
    this.serviceName = options.serviceName;
    this.child = fork(SHIM, [modulePath, ...args], {
      env: options.env ?? process.env,
      execArgv: [],
      serialization: 'advanced',
      stdio: options.stdio === 'ignore' ? ['ignore', 'ignore', 'ignore', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.once('exit', (code, signal) => {
      this.exited = true;
      this.exitCode = code;
      this.exitSignal = signal;
    });
    this.child.on('message', (envelope) => {
      if (envelope === null || typeof envelope !== 'object' || !('port' in envelope)) {
        this.stray.push(envelope);
        return;
      }
      const message = envelope.port;
      const id = (message as { id?: unknown } | null)?.id;
      if (typeof id === 'number') this.inFlight.delete(id);
      for (const listener of this.listeners) listener(message);
    });
  }

  get pid(): number | undefined {
    return this.exited ? undefined : this.child.pid;
  }

  postMessage(message: unknown): void {
    this.posted.push(message);
    const request = message as { id?: unknown; type: string } & Record<string, unknown>;
    if (typeof request?.id === 'number') this.inFlight.set(request.id, request);
    if (this.child.connected) this.child.send({ port: message });
  }

  kill(): boolean {
    return this.child.kill('SIGTERM');
  }

  on(event: string, listener: AnyListener): void {
    switch (event) {
      case 'message':
        this.listeners.push(listener);
        break;
      case 'exit':
        // Electron reports an exit code only: a signal shows as 128 + its number.
        this.child.once('exit', (code, signal) => listener(code ?? 128 + (signal ? os.constants.signals[signal] : 0)));
        break;
      case 'spawn':
        this.child.on('spawn', () => listener());
        break;
      case 'error':
        this.child.on('error', (error) => listener('FatalError', error.message, error.stack ?? ''));
        break;
      default:
        throw new Error(`unknown utility process event ${event}`);
    }
  }
}

