// The preload's bridge (`window.shoebox`) over a fake ipcRenderer: only the contract's route keys
// and the desktop calls reach IPC, in the one message shape; events reach listeners as bare
// payloads; nothing else is exposed.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, desktopCallKeys, routeKeys, type DesktopEvent, type IpcResult } from '@shoebox/core/contract';
import { createBridge, type IpcRendererPort } from '../../src/electron/preload/bridge.ts';

type Listener = (event: unknown, payload: unknown) => void;

class FakeIpcRenderer implements IpcRendererPort {
  readonly sent: { channel: string; message: unknown }[] = [];
  readonly listeners = new Map<string, Listener[]>();
  answer: (message: unknown) => Promise<unknown> = async () => ({ ok: true, data: 'answered' });

  invoke(channel: string, message: unknown): Promise<unknown> {
    this.sent.push({ channel, message });
    return this.answer(message);
  }

  on(channel: string, listener: Listener): this {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    return this;
  }

  removeListener(channel: string, listener: Listener): this {
    this.listeners.set(channel, (this.listeners.get(channel) ?? []).filter((l) => l !== listener));
    return this;
  }

  /** Main sends an event: Electron calls each listener with its IpcRendererEvent and the payload. */
  emit(channel: string, payload: unknown): void {
    const rendererEvent = { sender: { invoke: 'the real ipcRenderer' }, ports: [] };
    for (const listener of this.listeners.get(channel) ?? []) listener(rendererEvent, payload);
  }
}

describe('preload bridge', () => {
  it('exposes the platform, invoke, desktop and onEvent, frozen, and nothing else', () => {
    const bridge = createBridge(new FakeIpcRenderer(), 'darwin');
    expect(Object.keys(bridge).sort()).toEqual(['desktop', 'invoke', 'onEvent', 'platform']);
    expect(bridge.platform).toBe('darwin');
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('sends every route key of the contract on the invoke channel as { key, input }', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc, 'linux');
    for (const key of routeKeys) {
      expect(await bridge.invoke(key, { params: { id: key } })).toEqual({ ok: true, data: 'answered' });
    }
    expect(ipc.sent).toEqual(routeKeys.map((key) => ({ channel: IPC_CHANNELS.invoke, message: { key, input: { params: { id: key } } } })));
  });

  it('sends every desktop call on the desktop channel', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc, 'win32');
    for (const call of desktopCallKeys) await bridge.desktop(call, {});
    expect(ipc.sent).toEqual(desktopCallKeys.map((key) => ({ channel: IPC_CHANNELS.desktop, message: { key, input: {} } })));
    expect(desktopCallKeys.sort()).toEqual(['getAppSettings', 'openWithDefaultApp', 'pickFolders', 'revealInFolder', 'startDrag', 'updateAppSettings']);
  });

  it('rejects unknown keys in the preload: they never reach IPC', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc, 'linux');
    const unknown: unknown[] = ['deleteEverything', '__proto__', 'constructor', 'toString', '', 42, null, undefined, { key: 'getAsset' }];
    for (const key of unknown) {
      await expect(bridge.invoke(key as string, {})).rejects.toThrow(/unknown route/);
      await expect(bridge.desktop(key as string, {})).rejects.toThrow(/unknown desktop call/);
    }
    // A route key is not a desktop call, nor the other way round.
    await expect(bridge.desktop('getServerInfo', {})).rejects.toThrow(/unknown desktop call/);
    await expect(bridge.invoke('pickFolders', {})).rejects.toThrow(/unknown route/);
    // The sync server's own routes are not the desktop's.
    await expect(bridge.invoke('login', {})).rejects.toThrow(/unknown route/);
    expect(ipc.sent).toEqual([]);
  });

  it('passes main’s error answers through and turns a failed invoke into an INTERNAL result', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc, 'linux');
    const notFound: IpcResult = { ok: false, status: 404, body: { error: { code: 'ASSET_NOT_FOUND', message: 'no asset with id x' } } };
    ipc.answer = async () => notFound;
    expect(await bridge.invoke('getAsset', {})).toEqual(notFound);
    ipc.answer = () => Promise.reject(new Error("No handler registered for 'shoebox:invoke'"));
    const failed = await bridge.invoke('getAsset', {});
    expect(failed).toMatchObject({ ok: false, status: 500, body: { error: { code: 'INTERNAL' } } });
    expect(failed.ok ? '' : failed.body.error.message).toContain('No handler registered');
  });

  it('hands listeners the event payload only, through one IPC listener, and unsubscribes', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc, 'linux');
    const first: unknown[][] = [];
    const second: unknown[][] = [];
    const offFirst = bridge.onEvent((...args: unknown[]) => void first.push(args));
    const offSecond = bridge.onEvent((...args: unknown[]) => void second.push(args));
    expect(ipc.listeners.get(IPC_CHANNELS.event)).toHaveLength(1);
    const progress: DesktopEvent = { type: 'progress', scanning: true, pending: 3, running: 1, done: 10, failed: 0 };
    ipc.emit(IPC_CHANNELS.event, progress);
    expect(first).toEqual([[progress]]);
    expect(second).toEqual([[progress]]);
    offFirst();
    offFirst();
    const command: DesktopEvent = { type: 'command', command: 'navigate', path: '/people' };
    ipc.emit(IPC_CHANNELS.event, command);
    expect(first).toEqual([[progress]]);
    expect(second).toEqual([[progress], [command]]);
    offSecond();
    expect(ipc.listeners.get(IPC_CHANNELS.event)).toEqual([]);
    // Events on other channels never reach the page.
    bridge.onEvent((...args: unknown[]) => void first.push(args));
    ipc.emit('shoebox:other', progress);
    expect(first).toEqual([[progress]]);
  });

  it('keeps calling the other listeners when one throws, and reports the error', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc, 'linux');
    const seen: unknown[] = [];
    const reported = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      bridge.onEvent(() => {
        throw new Error('listener failed');
      });
      bridge.onEvent((event) => void seen.push(event));
      ipc.emit(IPC_CHANNELS.event, { type: 'command', command: 'rescan' });
      expect(seen).toEqual([{ type: 'command', command: 'rescan' }]);
      expect(reported).toHaveBeenCalledTimes(1);
      expect((reported.mock.calls[0]![1] as Error).message).toBe('listener failed');
    } finally {
      reported.mockRestore();
    }
  });

  it('preload.ts exposes only the bridge, as window.shoebox, from contextBridge and ipcRenderer', () => {
    const source = fs.readFileSync(path.resolve(import.meta.dirname, '../../src/electron/preload/preload.ts'), 'utf8');
    const code = source.split('\n').filter((line) => !line.startsWith('//')).join('\n');
    expect(code).toContain("import { contextBridge, ipcRenderer } from 'electron';");
    expect(code.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(code).toContain("contextBridge.exposeInMainWorld('shoebox', createBridge(ipcRenderer, process.platform));");
  });
});
