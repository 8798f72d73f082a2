// The desktop app's file actions over a fake bridge: the viewer's "Show in Finder/Explorer/folder"
// and "Open with default app" (buttons and R / O), the same for one selected item, dragging
// thumbnails and the viewer's picture out (one, or the whole selection), refusals as toasts; and in
// a browser none of it.
import { beforeAll, describe, expect, it } from 'vitest';
import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { revealLabel } from '../src/desktop/desktop-bridge.ts';
import { fakeLayout, fakeLibrary, uuid } from './fake-api.ts';
import { desktopCallsOf, fakeBridge, installBridge, IpcError, type FakeBridge } from './fake-bridge.ts';
import { withMl } from './fake-ml.ts';
import { renderAt } from './render.tsx';

beforeAll(() => {
  fakeLayout();
  // Generous waits for a busy two-core machine; a passing test does not wait for them.
  configure({ asyncUtilTimeout: 5000 });
});

const ROOT = { id: uuid(900), path: '/photos', createdAt: '2024-01-01T00:00:00Z', lastScanAt: null, assetCount: 6, online: true };

function library() {
  const lib = fakeLibrary(1, 6);
  withMl(lib, {});
  lib.routes.listRoots = () => [ROOT];
  return lib;
}

function desktop(platform = 'darwin'): FakeBridge {
  const bridge = fakeBridge(platform);
  installBridge(bridge);
  return bridge;
}

describe('in the viewer', () => {
  it('shows the file in Finder and opens it with its default app, by button and by key', async () => {
    const bridge = desktop('darwin');
    const lib = library();
    const photo = lib.assets[1]!;
    renderAt(lib, `/?asset=${photo.id}`);
    fireEvent.click(await screen.findByRole('button', { name: 'Show in Finder (R)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Open with default app (O)' }));
    await waitFor(() => expect(desktopCallsOf(bridge, 'openWithDefaultApp')).toEqual([{ assetId: photo.id }]));
    expect(desktopCallsOf(bridge, 'revealInFolder')).toEqual([{ assetId: photo.id }]);
    fireEvent.keyDown(window, { key: 'r' });
    fireEvent.keyDown(window, { key: 'o' });
    await waitFor(() => expect(desktopCallsOf(bridge, 'openWithDefaultApp')).toHaveLength(2));
    expect(desktopCallsOf(bridge, 'revealInFolder')).toEqual([{ assetId: photo.id }, { assetId: photo.id }]);
  });

  it('names the file manager of each system', async () => {
    expect([revealLabel('darwin'), revealLabel('win32'), revealLabel('linux')]).toEqual(['Show in Finder', 'Show in Explorer', 'Show in folder']);
    desktop('win32');
    const lib = library();
    renderAt(lib, `/?asset=${lib.assets[1]!.id}`);
    expect(await screen.findByRole('button', { name: 'Show in Explorer (R)' })).toBeTruthy();
  });

  it('says in a toast when the file is offline', async () => {
    const bridge = desktop('linux');
    bridge.answers.openWithDefaultApp = () => {
      throw new IpcError(404, 'FILE_OFFLINE', 'the original of IMG_2.JPG is offline');
    };
    const lib = library();
    renderAt(lib, `/?asset=${lib.assets[1]!.id}`);
    fireEvent.click(await screen.findByRole('button', { name: 'Open with default app (O)' }));
    const toast = await screen.findByRole('alert');
    expect(toast.textContent).toMatch(/^The original of IMG_2\.JPG is offline: its folder or drive is not there right now/);
  });

  it('drags the picture out while it is not zoomed in', async () => {
    const bridge = desktop();
    const lib = library();
    const photo = lib.assets[1]!;
    renderAt(lib, `/?asset=${photo.id}`);
    const img = await screen.findByTestId('viewer-image');
    expect(img.getAttribute('draggable')).toBe('true');
    // The browser's own drag is cancelled; main starts a native one with the file.
    expect(fireEvent.dragStart(img)).toBe(false);
    await waitFor(() => expect(desktopCallsOf(bridge, 'startDrag')).toEqual([{ assetIds: [photo.id] }]));
  });
});

describe('in the grid', () => {
  it('drags a thumbnail out alone, or with the whole selection when it is selected', async () => {
    const bridge = desktop();
    const lib = library();
    renderAt(lib, '/');
    await waitFor(() => expect(screen.getAllByTestId('thumb').length).toBe(6));
    const thumbs = screen.getAllByTestId('thumb');
    const id = (i: number) => thumbs[i]!.dataset.assetId!;
    expect(thumbs.every((t) => t.getAttribute('draggable') === 'true')).toBe(true);
    expect(fireEvent.dragStart(thumbs[0]!)).toBe(false);
    const checks = screen.getAllByTestId('thumb-select');
    fireEvent.click(checks[2]!);
    fireEvent.click(checks[4]!);
    fireEvent.dragStart(thumbs[4]!);
    fireEvent.dragStart(thumbs[1]!);
    await waitFor(() => expect(desktopCallsOf(bridge, 'startDrag')).toHaveLength(3));
    expect(desktopCallsOf(bridge, 'startDrag')).toEqual([
      { assetIds: [id(0)] },
      { assetIds: [id(2), id(4)] },
      { assetIds: [id(1)] },
    ]);
  });

  it('offers Show in folder and Open for exactly one selected item', async () => {
    const bridge = desktop('linux');
    const lib = library();
    renderAt(lib, '/');
    await waitFor(() => expect(screen.getAllByTestId('thumb').length).toBe(6));
    const checks = screen.getAllByTestId('thumb-select');
    fireEvent.click(checks[3]!);
    const bar = screen.getByTestId('selection-bar');
    fireEvent.click(within(bar).getByTestId('sel-reveal'));
    expect(within(bar).getByTestId('sel-reveal').textContent).toBe('Show in folder');
    fireEvent.click(within(bar).getByTestId('sel-open-default'));
    const id = screen.getAllByTestId('thumb')[3]!.dataset.assetId!;
    await waitFor(() => expect(desktopCallsOf(bridge, 'openWithDefaultApp')).toEqual([{ assetId: id }]));
    expect(desktopCallsOf(bridge, 'revealInFolder')).toEqual([{ assetId: id }]);
    fireEvent.click(checks[4]!);
    expect(within(bar).queryByTestId('sel-reveal')).toBeNull();
    expect(within(bar).queryByTestId('sel-open-default')).toBeNull();
  });
});

describe('in a browser', () => {
  it('shows none of the desktop controls, and nothing is draggable', async () => {
    const lib = library();
    const photo = lib.assets[1]!;
    const view = renderAt(lib, `/?asset=${photo.id}`);
    await screen.findByRole('dialog', { name: `Viewing ${photo.fileName}` });
    expect(screen.getByTestId('viewer-download')).toBeTruthy();
    expect(screen.queryByTestId('viewer-reveal')).toBeNull();
    expect(screen.queryByTestId('viewer-open-default')).toBeNull();
    expect(screen.getByTestId('viewer-image').getAttribute('draggable')).toBe('false');
    view.unmount();

    renderAt(lib, '/');
    await waitFor(() => expect(screen.getAllByTestId('thumb').length).toBe(6));
    expect(screen.getAllByTestId('thumb').some((t) => t.hasAttribute('draggable'))).toBe(false);
    fireEvent.click(screen.getAllByTestId('thumb-select')[0]!);
    expect(screen.getByTestId('selection-bar')).toBeTruthy();
    expect(screen.queryByTestId('sel-reveal')).toBeNull();
    expect(screen.queryByTestId('indexing-status')).toBeNull();
    fireEvent.keyDown(window, { key: '?' });
    expect(within(await screen.findByTestId('shortcuts')).queryByText(/Show the file in its folder/)).toBeNull();
  });
});
