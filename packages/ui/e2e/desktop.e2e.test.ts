// The desktop app's UI in Chromium: the page gets a `window.shoebox` bridge before it loads (as the
// Electron preload gives it), whose routes go to a real `shoebox serve` and whose desktop calls are
// recorded. A first run on an empty library: the welcome screen, the native folder picker, the
// folder indexed and shown, then "Show in folder" from the viewer, all without a console error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '@shoebox/core/contract';
import { consoleErrors, screenshot, waitForThumbnails } from './app-fixture.ts';
import { launchChromium } from './chromium.ts';
import { sel } from './selectors.ts';
import { REPO, startServer, type ShoeboxServer } from './shoebox-server.ts';

const CORPUS = path.resolve(REPO, '..', 'shared', 'corpus');
const PHOTOS = ['jpeg/gps/DSCN0010.jpg', 'jpeg/gps/DSCN0025.jpg', 'heic/IMG_2682.heic'];

let tmp: string;
let library: string;
let server: ShoeboxServer;
let browser: Browser;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-desktop-e2e-'));
  library = path.join(tmp, 'Photos');
  fs.mkdirSync(library);
  for (const photo of PHOTOS) fs.copyFileSync(path.join(CORPUS, photo), path.join(library, path.basename(photo)));
  const data = path.join(tmp, 'data');
  fs.mkdirSync(data);
  [server, browser] = await Promise.all([startServer(data), launchChromium()]);
});

afterAll(async () => {
  await Promise.allSettled([browser?.close(), server?.close()]);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Installed before the app's scripts run, like the preload's contextBridge. */
function installBridge(args: { routes: Record<string, { method: string; path: string }>; folder: string }): void {
  const calls: { call: string; input: unknown }[] = [];
  (window as unknown as { __desktopCalls: typeof calls }).__desktopCalls = calls;
  let settings = { keepRunningInBackground: true, startAtLogin: false };
  const bridge = {
    platform: 'linux',
    async invoke(key: string, input: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown }) {
      const route = args.routes[key];
      if (!route) return { ok: false, status: 404, body: { error: { code: 'NOT_FOUND', message: `unknown route ${key}` } } };
      const url = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(String(input.params?.[name])));
      const query = new URLSearchParams(Object.entries(input.query ?? {}).filter(([, v]) => v !== undefined) as [string, string][]);
      const res = await fetch(`${url}${query.size ? `?${query}` : ''}`, {
        method: route.method.toUpperCase(),
        credentials: 'same-origin',
        ...(input.body !== undefined ? { body: JSON.stringify(input.body), headers: { 'content-type': 'application/json' } } : {}),
      });
      const text = await res.text();
      const json: unknown = text ? JSON.parse(text) : undefined;
      return res.ok ? { ok: true, data: json } : { ok: false, status: res.status, body: json };
    },
    async desktop(call: string, input: unknown) {
      calls.push({ call, input });
      switch (call) {
        case 'pickFolders':
          return { ok: true, data: { folders: [args.folder] } };
        case 'getAppSettings':
          return { ok: true, data: settings };
        case 'updateAppSettings':
          settings = { ...settings, ...(input as object) };
          return { ok: true, data: settings };
        default:
          return { ok: true, data: { ok: true } };
      }
    },
    // Main reports indexing progress about once a second while work goes on; the UI refreshes the
    // timeline when it changes. Here: a changing report every second, as if work never ended.
    onEvent(listener: (event: unknown) => void) {
      let done = 0;
      const timer = setInterval(() => listener({ type: 'progress', scanning: false, pending: 1, running: 1, done: ++done, failed: 0 }), 1000);
      return () => clearInterval(timer);
    },
  };
  Object.defineProperty(window, 'shoebox', { value: Object.freeze(bridge) });
}

async function desktopCalls(page: Page): Promise<{ call: string; input: unknown }[]> {
  return page.evaluate(() => (window as unknown as { __desktopCalls: { call: string; input: unknown }[] }).__desktopCalls);
}

describe('the desktop UI over a bridge', () => {
  it('welcomes a first run, adds the picked folder, shows its photos and reveals one in the file manager', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const routes = Object.fromEntries(Object.entries(apiRoutes).map(([key, r]) => [key, { method: r.method, path: r.path }]));
    await context.addInitScript(installBridge, { routes, folder: library });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${new URL(r.url()).pathname}`));
    await page.goto(`${server.url}#/`, { waitUntil: 'load' });

    const choose = page.getByRole('button', { name: 'Choose folders…' });
    await choose.waitFor({ timeout: 15_000 });
    await screenshot(page, 'desktop-welcome');
    await choose.click();
    await waitForThumbnails(page, PHOTOS.length, 60_000);
    await screenshot(page, 'desktop-timeline');
    const roots = await (await server.fetch('/api/library/roots')).json() as { path: string }[];
    expect(roots.map((r) => r.path)).toEqual([library]);
    expect((await desktopCalls(page)).map((c) => c.call)).toContain('pickFolders');

    await page.locator(sel.thumb).first().click();
    const reveal = page.getByTestId('viewer-reveal');
    await reveal.waitFor({ timeout: 10_000 });
    await reveal.click();
    const revealed = (await desktopCalls(page)).find((c) => c.call === 'revealInFolder');
    expect(revealed?.input).toEqual({ assetId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(errors).toEqual([]);
    expect(consoleErrors(page)).toEqual([]);
    await context.close();
  }, 120_000);
});
