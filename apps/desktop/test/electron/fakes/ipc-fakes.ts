// Small fakes of Electron's IPC side for the bridge tests: an ipcMain that behaves like the real
// one (one handler per channel, "No handler registered" for others, structured clone both ways),
// webContents and frames with the identity rules of WebFrameMain, IPC events built from them, spy
// route handlers and an in-memory settings port.
import { DEFAULT_APP_SETTINGS, routeKeys, type AppSettings, type RequestContext, type RouteHandlers } from '@shoebox/core/contract';
import type { AppSettingsPort } from '../../../src/electron/main/desktop-calls.ts';
import type {
  ElectronApi, FrameLike, IpcInvokeEvent, NativeImageLike, WebContentsLike,
} from '../../../src/electron/main/electron-api.ts';

type Handler = (event: IpcInvokeEvent, ...args: unknown[]) => unknown;
type IpcMain = ElectronApi['ipcMain'];

export class FakeIpcMain implements IpcMain {
  readonly handlers = new Map<string, Handler>();

  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** What a renderer's ipcRenderer.invoke reaches: the arguments and the answer are cloned. */
  async invoke(channel: string, event: IpcInvokeEvent, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    return structuredClone(await handler(event, ...structuredClone(args)));
  }
}

export interface DragItem {
  file: string;
  files?: string[];
  icon: NativeImageLike;
}

export interface FakeContents extends WebContentsLike {
  readonly drags: DragItem[];
  /** A subframe (an iframe) of this page. */
  readonly subFrame: FrameLike;
  navigate(url: string): void;
}

export function fakeContents(id: number, url = 'shoebox://app/index.html'): FakeContents {
  const mainFrame = { url };
  const subFrame = { url };
  const drags: DragItem[] = [];
  return {
    id,
    mainFrame,
    subFrame,
    drags,
    navigate(next: string) {
      mainFrame.url = next;
      subFrame.url = next;
    },
    send: () => undefined,
    isDestroyed: () => false,
    setWindowOpenHandler: () => undefined,
    on: () => undefined,
    startDrag(item: DragItem) {
      drags.push(item);
    },
    reload: () => undefined,
  };
}

/** An IPC event from the main frame of `contents` (or its subframe, or no frame at all). */
export function ipcEvent(contents: FakeContents, frame: 'main' | 'sub' | 'none' = 'main'): IpcInvokeEvent {
  return { sender: contents, senderFrame: frame === 'main' ? contents.mainFrame : frame === 'sub' ? contents.subFrame : null };
}

export function fakeImage(empty = false): NativeImageLike {
  return { isEmpty: () => empty };
}

export interface Spy {
  handlers: RouteHandlers;
  calls: { key: string; input: unknown; ctx: RequestContext }[];
}

/** A handler for every route key that records its input and answers who it is. */
export function spyHandlers(): Spy {
  const calls: Spy['calls'] = [];
  const entries = routeKeys.map((key) => [key, async (input: unknown, ctx: RequestContext) => {
    calls.push({ key, input, ctx });
    return { answeredBy: key, at: 42 };
  }]);
  return { handlers: Object.fromEntries(entries) as unknown as RouteHandlers, calls };
}

/** The app settings in memory (the shell's store keeps them in a file). */
export class MemorySettings implements AppSettingsPort {
  value: AppSettings = { ...DEFAULT_APP_SETTINGS };
  get(): AppSettings {
    return this.value;
  }
  update(patch: Partial<AppSettings>): AppSettings {
    this.value = { ...this.value, ...patch };
    return this.value;
  }
}
