// The Electron renderer's transport over a fake bridge: a route's answer is parsed like over HTTP,
// main's refusals become the same ApiError (code, status, validation details), path and query
// values travel as a URL would carry them, and the default client picks IPC only when the preload
// has set window.shoebox. callDesktop parses the desktop calls' answers the same way.
import { describe, expect, it } from 'vitest';
import { defaultClient } from '../src/api/api-context.tsx';
import { ApiError, createClient } from '../src/api/client.ts';
import { ipcTransport } from '../src/api/ipc-transport.ts';
import { callDesktop, desktopBridge } from '../src/desktop/desktop-bridge.ts';
import { fakeBridge, installBridge, IpcError } from './fake-bridge.ts';

const ID = '5f0c8a43-4a57-4a8e-9a43-2f1d6c1d2b11';
const ROOT = { id: ID, path: '/photos', createdAt: '2024-01-01T00:00:00Z', lastScanAt: null, assetCount: 0, online: true };

describe('ipcTransport', () => {
  it('answers with the route’s parsed output and sends params, query and body', async () => {
    const bridge = fakeBridge();
    bridge.routes.listRoots = () => [ROOT];
    bridge.routes.addRoot = () => ROOT;
    bridge.routes.getJobsStatus = () => ({ lanes: [], recentFailures: [] });
    const client = createClient(ipcTransport(bridge));
    expect(await client.call('listRoots')).toEqual([ROOT]);
    expect(await client.call('addRoot', { body: { path: '/photos' } })).toEqual(ROOT);
    await client.call('getJobsStatus', { query: { failures: 200 } });
    expect(bridge.invokes).toEqual([
      { key: 'listRoots', input: { params: undefined, query: undefined, body: undefined } },
      { key: 'addRoot', input: { params: undefined, query: undefined, body: { path: '/photos' } } },
      // As in a URL: main parses the query with the schemas Express uses.
      { key: 'getJobsStatus', input: { params: undefined, query: { failures: '200' }, body: undefined } },
    ]);
  });

  it('turns a refusal into the ApiError fetch would throw, with its code, status and details', async () => {
    const bridge = fakeBridge();
    bridge.routes.getAsset = () => {
      throw new IpcError(404, 'ASSET_NOT_FOUND', `no asset ${ID}`);
    };
    bridge.routes.addRoot = () => {
      throw new IpcError(400, 'VALIDATION_FAILED', 'invalid input', [{ path: 'body.path', message: 'Too small' }]);
    };
    const client = createClient(ipcTransport(bridge));
    const missing = await client.call('getAsset', { params: { id: ID } }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiError);
    expect(missing).toMatchObject({ status: 404, code: 'ASSET_NOT_FOUND', message: `no asset ${ID}` });
    expect(bridge.invokes[0]).toEqual({ key: 'getAsset', input: { params: { id: ID }, query: undefined, body: undefined } });
    const invalid = await client.call('addRoot', { body: { path: '' } }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', details: [{ path: 'body.path', message: 'Too small' }] });
  });

  it('rejects an output that does not match the contract', async () => {
    const bridge = fakeBridge();
    bridge.routes.listRoots = () => [{ id: 'not-a-uuid' }];
    await expect(createClient(ipcTransport(bridge)).call('listRoots')).rejects.toThrow();
  });
});

describe('defaultClient', () => {
  it('talks IPC when the preload set window.shoebox, and keeps file URLs relative', async () => {
    const bridge = fakeBridge();
    bridge.routes.listRoots = () => [];
    installBridge(bridge);
    const client = defaultClient();
    expect(await client.call('listRoots')).toEqual([]);
    expect(bridge.invokes.map((i) => i.key)).toEqual(['listRoots']);
    // Electron's protocol serves the page and answers these paths.
    expect(client.fileUrl('getAssetThumbnail', { params: { id: ID } })).toBe(`/api/assets/${ID}/thumbnail`);
  });

  it('uses fetch in a browser', async () => {
    expect(desktopBridge()).toBeNull();
    const seen: string[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = async (url) => {
      seen.push(String(url));
      return new Response('[]', { status: 200 });
    };
    try {
      expect(await defaultClient().call('listRoots')).toEqual([]);
    } finally {
      globalThis.fetch = original;
    }
    expect(seen).toEqual(['/api/library/roots']);
  });
});

describe('callDesktop', () => {
  it('parses the answer with the call’s output schema and throws ApiError on a refusal', async () => {
    const bridge = fakeBridge();
    bridge.answers.pickFolders = () => ({ folders: ['/a', '/b'] });
    bridge.answers.revealInFolder = () => {
      throw new IpcError(404, 'FILE_OFFLINE', 'the original of a.jpg is offline');
    };
    bridge.answers.getAppSettings = () => ({ keepRunningInBackground: 'yes' });
    installBridge(bridge);
    expect(await callDesktop('pickFolders', {})).toEqual({ folders: ['/a', '/b'] });
    await expect(callDesktop('revealInFolder', { assetId: ID })).rejects.toMatchObject({ status: 404, code: 'FILE_OFFLINE' });
    await expect(callDesktop('getAppSettings', {})).rejects.toThrow();
    expect(bridge.desktopCalls.map((c) => c.call)).toEqual(['pickFolders', 'revealInFolder', 'getAppSettings']);
  });

  it('refuses in a browser', async () => {
    await expect(callDesktop('pickFolders', {})).rejects.toThrow(/desktop app/);
  });
});
