// The desktop app around the pages, over a fake bridge: the first-run welcome (no folders yet)
// picks folders natively, adds each (refusals said per folder), scans and opens the timeline; the
// App settings switches save through the bridge and roll back when refused; main's events navigate,
// rescan, add folders and report indexing, which refreshes the grid. In a browser: today's screens.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { act, configure, fireEvent, renderHook, screen, waitFor } from '@testing-library/react';
import type { AppSettings, LibraryRoot, ScanResult } from '@shoebox/core/contract';
import { ApiError } from '../src/api/client.ts';
import { useThrottle } from '../src/desktop/desktop-shell.tsx';
import { fakeLayout, fakeLibrary, uuid, type FakeLibrary } from './fake-api.ts';
import { desktopCallsOf, fakeBridge, installBridge, IpcError, type FakeBridge } from './fake-bridge.ts';
import { renderApp, sent } from './render.tsx';

beforeAll(() => {
  fakeLayout();
  // The whole app renders (session, welcome, grid): generous waits for a busy two-core machine.
  configure({ asyncUtilTimeout: 5000 });
});

const SCAN: ScanResult = { roots: 1, seen: 6, added: 6, changed: 0, moved: 0, duplicates: 0, offline: 0, unchanged: 0, failed: 0, jobsQueued: 12, durationMs: 40 };

/** A desktop library whose folders the test controls; addRoot refuses paths under /refused. */
function library(roots: LibraryRoot[] = []): FakeLibrary {
  const lib = fakeLibrary(1, 6);
  lib.routes.getServerInfo = () => ({
    name: 'shoebox', version: '1.0.0', mode: 'desktop', apiVersion: 1, assets: { image: 6, video: 0, failed: 0, offline: 0 }, roots: roots.length, startedAt: '2024-01-01T00:00:00Z',
  });
  lib.routes.listRoots = () => roots;
  lib.routes.getFolders = () => [];
  lib.routes.addRoot = (input) => {
    const path = input.body?.path as string;
    if (path.startsWith('/refused')) throw new ApiError(409, 'ROOT_OVERLAPS', `${path} overlaps a library folder`);
    const root = { id: uuid(800 + roots.length), path, createdAt: '2024-01-01T00:00:00Z', lastScanAt: null, assetCount: 0, online: true };
    roots.push(root);
    return root;
  };
  lib.routes.scanLibrary = () => SCAN;
  return lib;
}

function desktop(): FakeBridge {
  const bridge = fakeBridge('darwin');
  installBridge(bridge);
  return bridge;
}

const location = () => screen.getByTestId('location').textContent;

describe('first run', () => {
  it('welcomes, picks folders natively, adds each, scans and opens the timeline', async () => {
    const bridge = desktop();
    bridge.answers.pickFolders = () => ({ folders: ['/home/me/Pictures', '/refused/old'] });
    const lib = library();
    let finishScan: (r: ScanResult) => void = () => {};
    lib.routes.scanLibrary = () => new Promise<ScanResult>((resolve) => (finishScan = resolve));
    renderApp(lib, '/folders');
    // A screen of its own, not a dialog over an empty grid.
    expect(await screen.findByTestId('welcome')).toBeTruthy();
    expect(screen.queryByTestId('nav-photos')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Choose folders…' }));
    expect(await screen.findByRole('heading', { name: 'Photos' })).toBeTruthy();
    expect(location()).toBe('/');
    expect(desktopCallsOf(bridge, 'pickFolders')).toHaveLength(1);
    expect(sent(lib, 'addRoot')).toEqual([{ body: { path: '/home/me/Pictures' } }, { body: { path: '/refused/old' } }]);
    // The timeline is open while the scan still runs: it fills as indexing goes.
    expect(sent(lib, 'scanLibrary')).toEqual([{ body: { retryFailed: false } }]);
    expect((await screen.findByRole('alert')).textContent).toMatch(/^\/refused\/old: \/refused\/old overlaps a library folder/);
    await waitFor(() => expect(screen.getAllByTestId('thumb').length).toBe(6));
    finishScan(SCAN);
    expect(await screen.findByText(/^Scan finished: 6 new/)).toBeTruthy();
  });

  it('stays, saying why, when every chosen folder is refused; a cancelled picker adds nothing', async () => {
    const bridge = desktop();
    let chosen: string[] = [];
    bridge.answers.pickFolders = () => ({ folders: chosen });
    const lib = library();
    renderApp(lib, '/');
    fireEvent.click(await screen.findByTestId('welcome-choose'));
    await waitFor(() => expect(desktopCallsOf(bridge, 'pickFolders')).toHaveLength(1));
    expect(lib.calls).not.toContain('addRoot');
    chosen = ['/refused/a', '/refused/b'];
    fireEvent.click(screen.getByTestId('welcome-choose'));
    const errors = await screen.findByTestId('welcome-errors');
    expect(errors.textContent).toContain('These folders could not be added');
    expect(errors.querySelectorAll('li')).toHaveLength(2);
    expect(errors.textContent).toContain('/refused/b: /refused/b overlaps a library folder');
    expect(screen.getByTestId('welcome')).toBeTruthy();
    expect(lib.calls).not.toContain('scanLibrary');
  });

  it('can be skipped into the app', async () => {
    desktop();
    const lib = library();
    renderApp(lib, '/');
    fireEvent.click(await screen.findByTestId('welcome-skip'));
    expect(await screen.findByRole('heading', { name: 'Photos' })).toBeTruthy();
    expect(screen.queryByTestId('welcome')).toBeNull();
    expect(lib.calls).not.toContain('addRoot');
  });

  it('is not shown in a browser (shoebox serve), where Settings has the path field', async () => {
    const lib = library();
    renderApp(lib, '/');
    expect(await screen.findByRole('heading', { name: 'Photos' })).toBeTruthy();
    expect(screen.queryByTestId('welcome')).toBeNull();
  });

  it('opens straight into the app when there are folders', async () => {
    desktop();
    const lib = library([{ id: uuid(900), path: '/photos', createdAt: '2024-01-01T00:00:00Z', lastScanAt: null, assetCount: 6, online: true }]);
    renderApp(lib, '/');
    await waitFor(() => expect(screen.getAllByTestId('thumb').length).toBe(6));
    expect(screen.queryByTestId('welcome')).toBeNull();
  });
});

describe('the App settings', () => {
  it('reads the switches from the bridge and saves each change, putting it back when refused', async () => {
    const bridge = desktop();
    const saved: AppSettings = { keepRunningInBackground: true, startAtLogin: false };
    let refuse = false;
    let release: () => void = () => {};
    bridge.answers.getAppSettings = () => ({ ...saved });
    bridge.answers.updateAppSettings = async (patch) => {
      if (refuse) {
        await new Promise<void>((resolve) => (release = resolve));
        throw new IpcError(500, 'INTERNAL', 'login items are not available');
      }
      Object.assign(saved, patch);
      return { ...saved };
    };
    renderApp(library([{ id: uuid(900), path: '/photos', createdAt: '2024-01-01T00:00:00Z', lastScanAt: null, assetCount: 6, online: true }]), '/settings');
    const atLogin = (await screen.findByTestId('app-start-at-login')) as HTMLInputElement;
    const keep = screen.getByTestId('app-keep-running') as HTMLInputElement;
    expect([keep.checked, atLogin.checked]).toEqual([true, false]);
    expect(screen.getByRole('heading', { name: 'App' })).toBeTruthy();
    fireEvent.click(atLogin);
    await waitFor(() => expect(desktopCallsOf(bridge, 'updateAppSettings')).toEqual([{ startAtLogin: true }]));
    await waitFor(() => expect(atLogin.checked).toBe(true));
    expect(saved.startAtLogin).toBe(true);

    refuse = true;
    fireEvent.click(keep);
    // Optimistic: off at once, back on when main refuses.
    await waitFor(() => expect(keep.checked).toBe(false));
    release();
    await waitFor(() => expect(keep.checked).toBe(true));
    expect(await screen.findByText(/internal problem \(login items are not available\)/)).toBeTruthy();
    expect(desktopCallsOf(bridge, 'updateAppSettings')).toEqual([{ startAtLogin: true }, { keepRunningInBackground: false }]);
  });

  it('adds folders with the native picker; a browser types the path and has no App section', async () => {
    const bridge = fakeBridge('darwin');
    const removeBridge = installBridge(bridge);
    bridge.answers.pickFolders = () => ({ folders: ['/home/me/More'] });
    const roots = [{ id: uuid(900), path: '/photos', createdAt: '2024-01-01T00:00:00Z', lastScanAt: null, assetCount: 6, online: true }];
    const lib = library(roots);
    const view = renderApp(lib, '/settings');
    expect(screen.queryByTestId('root-path')).toBeNull();
    fireEvent.click(await screen.findByTestId('add-folders'));
    await waitFor(() => expect(sent(lib, 'addRoot')).toEqual([{ body: { path: '/home/me/More' } }]));
    await waitFor(() => expect(sent(lib, 'scanLibrary')).toHaveLength(1));
    expect(await screen.findByText('/home/me/More')).toBeTruthy();
    view.unmount();
    removeBridge();

    renderApp(library(roots), '/settings');
    expect(await screen.findByTestId('root-path')).toBeTruthy();
    expect(screen.queryByTestId('add-folders')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'App' })).toBeNull();
    expect(screen.queryByTestId('welcome')).toBeNull();
  });
});

describe('events from main', () => {
  const withFolder = () => library([{ id: uuid(900), path: '/photos', createdAt: '2024-01-01T00:00:00Z', lastScanAt: null, assetCount: 6, online: true }]);

  it('navigates inside the app only, rescans, and adds folders on the menu’s commands', async () => {
    const bridge = desktop();
    bridge.answers.pickFolders = () => ({ folders: ['/home/me/New'] });
    const lib = withFolder();
    renderApp(lib, '/');
    await screen.findByRole('heading', { name: 'Photos' });
    act(() => bridge.emit({ type: 'command', command: 'navigate', path: '/albums' }));
    expect(await screen.findByRole('heading', { name: 'Albums' })).toBeTruthy();
    expect(location()).toBe('/albums');
    act(() => bridge.emit({ type: 'command', command: 'navigate', path: '//elsewhere.example/x' }));
    act(() => bridge.emit({ type: 'command', command: 'navigate', path: 'https://elsewhere.example/' }));
    expect(location()).toBe('/albums');
    act(() => bridge.emit({ type: 'command', command: 'rescan' }));
    await waitFor(() => expect(sent(lib, 'scanLibrary')).toEqual([{ body: { retryFailed: false } }]));
    act(() => bridge.emit({ type: 'command', command: 'add-folder' }));
    await waitFor(() => expect(sent(lib, 'addRoot')).toEqual([{ body: { path: '/home/me/New' } }]));
  });

  it('shows indexing progress and refreshes the grid when it changes', async () => {
    const bridge = desktop();
    const lib = withFolder();
    renderApp(lib, '/');
    await waitFor(() => expect(screen.getAllByTestId('thumb').length).toBe(6));
    const buckets = () => lib.calls.filter((c) => c === 'getTimeBuckets').length;
    const before = buckets();
    act(() => bridge.emit({ type: 'progress', scanning: false, pending: 1200, running: 34, done: 10, failed: 0 }));
    expect((await screen.findByTestId('indexing-status')).textContent).toBe('Indexing · 1,234 to go');
    await waitFor(() => expect(buckets()).toBe(before + 1));
    act(() => bridge.emit({ type: 'progress', scanning: false, pending: 0, running: 0, done: 1244, failed: 0 }));
    await waitFor(() => expect(screen.queryByTestId('indexing-status')).toBeNull());
  });
});

describe('useThrottle', () => {
  it('runs at once, then at most once per interval, always ending with the last request', () => {
    vi.useFakeTimers();
    try {
      const fire = vi.fn();
      const { result } = renderHook(() => useThrottle(fire, 2000));
      result.current();
      expect(fire).toHaveBeenCalledTimes(1);
      for (let i = 0; i < 10; i++) {
        vi.advanceTimersByTime(100);
        result.current();
      }
      expect(fire).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(1000);
      expect(fire).toHaveBeenCalledTimes(2);
      vi.advanceTimersByTime(5000);
      expect(fire).toHaveBeenCalledTimes(2);
      result.current();
      expect(fire).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
