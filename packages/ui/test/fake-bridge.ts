// A fake of the Electron preload's bridge (`window.shoebox`): records each desktop call and route,
// answers them from handlers the test sets, and lets the test push main's events. No Electron.
import { onTestFinished } from 'vitest';
import type { DesktopBridge, DesktopCallKey, DesktopEvent, IpcResult } from '@shoebox/core/contract';

type Answer = (input: unknown) => unknown;

export interface FakeBridge extends DesktopBridge {
  /** Every desktop call, in order, with its input. */
  desktopCalls: { call: string; input: unknown }[];
  /** Every route invoked, in order, with its input. */
  invokes: { key: string; input: unknown }[];
  /** Answers per desktop call: a value is the output; throwing an IpcError answers ok:false. */
  answers: Partial<Record<DesktopCallKey, Answer>>;
  /** Answers per route key (for tests of the IPC transport). */
  routes: Record<string, Answer>;
  /** Main pushes an event to every listener. */
  emit(event: DesktopEvent): void;
  listeners: Set<(event: DesktopEvent) => void>;
}

/** What main answers when a call or route is refused: the contract's status and error body. */
export class IpcError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: { path: string; message: string }[] | undefined;
  constructor(status: number, code: string, message: string, details?: { path: string; message: string }[]) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

async function answer(fn: Answer | undefined, what: string, input: unknown): Promise<IpcResult> {
  if (!fn) return { ok: false, status: 404, body: { error: { code: 'NOT_FOUND', message: `fake bridge has no ${what}` } } };
  try {
    return { ok: true, data: await fn(input) };
  } catch (error) {
    if (!(error instanceof IpcError)) throw error;
    return { ok: false, status: error.status, body: { error: { code: error.code, message: error.message, ...(error.details && { details: error.details }) } } };
  }
}

export function fakeBridge(platform = 'darwin'): FakeBridge {
  const bridge: FakeBridge = {
    platform,
    desktopCalls: [],
    invokes: [],
    answers: {
      revealInFolder: () => ({ ok: true }),
      openWithDefaultApp: () => ({ ok: true }),
      startDrag: () => ({ ok: true }),
      pickFolders: () => ({ folders: [] }),
    },
    routes: {},
    listeners: new Set(),
    invoke(key, input) {
      bridge.invokes.push({ key, input });
      return answer(bridge.routes[key], key, input);
    },
    desktop(call, input) {
      bridge.desktopCalls.push({ call, input });
      return answer(bridge.answers[call as DesktopCallKey], call, input);
    },
    onEvent(listener) {
      bridge.listeners.add(listener);
      return () => bridge.listeners.delete(listener);
    },
    emit(event) {
      for (const l of [...bridge.listeners]) l(event);
    },
  };
  return bridge;
}

/**
 * Puts the bridge where the preload would (`window.shoebox`) for the running test: it is taken
 * away when the test ends, or earlier by the returned function.
 */
export function installBridge(bridge: FakeBridge): () => void {
  window.shoebox = bridge;
  const remove = (): void => {
    delete window.shoebox;
  };
  onTestFinished(remove);
  return remove;
}

/** The desktop calls of one kind, with their inputs. */
export function desktopCallsOf(bridge: FakeBridge, call: DesktopCallKey): unknown[] {
  return bridge.desktopCalls.filter((c) => c.call === call).map((c) => c.input);
}
