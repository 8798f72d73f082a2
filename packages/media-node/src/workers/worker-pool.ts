// A pool of worker processes: requests go to the least busy worker; a worker that dies is
// replaced, and the requests it held fail so that their jobs are retried.
import type { Logger } from 'pino';
import { forkLauncher, type WorkerChild, type WorkerLauncher } from './worker-launcher.ts';
import { PoolClosedError, WorkerTaskError, type WorkerReply, type WorkerRequest } from './worker.protocol.ts';

export type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** A request that runs longer than this is stuck (a decoder hung): its worker is replaced. */
  timeoutMs?: number | undefined;
  timer?: NodeJS.Timeout;
}

interface Slot {
  child: WorkerChild;
  exited: boolean;
  ready: Promise<void>;
  pending: Map<number, Pending>;
  alive: boolean;
  startedAt: number;
}

/** What job handlers need from the pool. */
export interface MediaWorkers {
  call<T>(body: RequestBody, opts?: { timeoutMs?: number }): Promise<T>;
}

export interface WorkerPoolOptions {
  entry: string;
  size: number;
  /** Sent to each worker as `{ type: 'init', settings }` before any request. */
  init: Record<string, unknown>;
  /** What the workers are, for log lines and errors ("media worker"). */
  name?: string;
  /** Requests in flight per worker before the pool queues them. */
  perWorker: number;
  /** Environment of the worker processes (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** How a worker process starts (default: child_process.fork; Electron: utilityProcess.fork). */
  launcher?: WorkerLauncher;
  log: Logger;
}

/** A pool of worker processes answering requests of type `Body` (media requests by default). */
export class WorkerPool<Body extends { type: string } = RequestBody> {
  private readonly opts: WorkerPoolOptions;
  private readonly slots: Slot[] = [];
  private readonly waiting: { body: Body; pending: Pending }[] = [];
  private nextId = 1;
  private closed = false;
  private crashStreak = 0;
  restarts = 0;

  constructor(opts: WorkerPoolOptions) {
    this.opts = opts;
    for (let i = 0; i < opts.size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const launch = this.opts.launcher ?? forkLauncher;
    const child = launch(this.opts.entry, { env: this.opts.env, name: this.name() });
    const slot: Slot = { child, exited: false, pending: new Map(), alive: true, ready: Promise.resolve(), startedAt: Date.now() };
    let ready: () => void = () => undefined;
    slot.ready = new Promise<void>((resolve, reject) => {
      ready = resolve;
      child.onExit(() => reject(new Error('worker exited before it was ready')));
    });
    slot.ready.catch(() => undefined);
    child.onMessage((m: unknown) => {
      if ((m as { type?: string } | null)?.type === 'ready') ready();
      else this.onReply(slot, m as WorkerReply);
    });
    child.onExit((code, signal) => {
      slot.exited = true;
      this.onExit(slot, code, signal);
    });
    child.onError((error) => this.opts.log.error({ err: error }, `${this.name()} error`));
    child.send({ type: 'init', settings: this.opts.init });
    return slot;
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    if (typeof reply?.id !== 'number') return;
    const p = slot.pending.get(reply.id);
    if (!p) return;
    slot.pending.delete(reply.id);
    if (p.timer) clearTimeout(p.timer);
    if (reply.ok) p.resolve(reply.result);
    else p.reject(new WorkerTaskError(reply.error ?? 'worker error', reply.failure ?? 'transient'));
    this.drain();
  }

  private onExit(slot: Slot, code: number | null, signal: string | null): void {
    slot.alive = false;
    const reason = this.closed
      ? new PoolClosedError()
      : new Error(`${this.name()} exited (${signal ?? `code ${code}`}) while processing`);
    for (const p of slot.pending.values()) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(reason);
    }
    slot.pending.clear();
    const index = this.slots.indexOf(slot);
    if (this.closed || index < 0) return;
    this.restarts++;
    // A worker that keeps dying right after it starts is restarted ever more slowly (up to 30 s).
    const quick = Date.now() - slot.startedAt < 5_000;
    this.crashStreak = quick ? this.crashStreak + 1 : 0;
    const delay = quick ? Math.min(30_000, 250 * 2 ** this.crashStreak) : 0;
    this.opts.log.warn({ code, signal, delay }, `${this.name()} exited; starting a new one`);
    const respawn = (): void => {
      if (this.closed) return;
      this.slots[index] = this.spawn();
      this.drain();
    };
    if (delay) setTimeout(respawn, delay).unref();
    else respawn();
  }

  /** `timeoutMs`: the request's time limit once a worker has it (none by default). */
  private name(): string {
    return this.opts.name ?? 'media worker';
  }

  call<T>(body: Body, opts: { timeoutMs?: number } = {}): Promise<T> {
    if (this.closed) return Promise.reject(new PoolClosedError());
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ body, pending: { resolve: resolve as (v: unknown) => void, reject, timeoutMs: opts.timeoutMs } });
      this.drain();
    });
  }

  /** A stuck request fails, and its worker (whatever else it holds fails too) is replaced. */
  private expire(slot: Slot, id: number, body: Body, timeoutMs: number): void {
    const p = slot.pending.get(id);
    if (!p) return;
    slot.pending.delete(id);
    p.reject(new Error(`the ${body.type} request took longer than ${Math.round(timeoutMs / 1000)} s`));
    this.opts.log.warn({ type: body.type, timeoutMs }, `${this.name()} request timed out; replacing the worker`);
    // No new request goes to it while it dies; its exit fails what it still holds and replaces it.
    slot.alive = false;
    slot.child.kill();
  }

  private drain(): void {
    while (this.waiting.length > 0) {
      let best: Slot | undefined;
      for (const s of this.slots) {
        if (s.alive && s.pending.size < this.opts.perWorker && (!best || s.pending.size < best.pending.size)) best = s;
      }
      if (!best) return;
      const item = this.waiting.shift()!;
      const id = this.nextId++;
      best.pending.set(id, item.pending);
      const slot = best;
      slot.ready.then(
        () => {
          if (!slot.alive) return;
          slot.child.send({ ...item.body, id });
          const limit = item.pending.timeoutMs;
          if (limit) item.pending.timer = setTimeout(() => this.expire(slot, id, item.body, limit), limit);
        },
        () => undefined,
      );
    }
  }

  pids(): number[] {
    return this.slots.map((s) => s.child.pid ?? -1);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.pending.reject(new PoolClosedError());
    await Promise.all(
      this.slots.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.exited) return resolve();
            const timer = setTimeout(() => s.child.kill(), 5_000);
            s.child.onExit(() => {
              clearTimeout(timer);
              resolve();
            });
            s.child.shutdown();
          }),
      ),
    );
  }
}
