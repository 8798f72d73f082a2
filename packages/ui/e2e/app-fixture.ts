// What an e2e test file needs: its own copy of the indexed corpus served by `shoebox serve`, one
// Chromium, pages that record their console errors, opening the app at a hash route, screenshots.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { launchChromium } from './chromium.ts';
import { sel } from './selectors.ts';
import { REPO, startServer, type ShoeboxServer } from './shoebox-server.ts';

export const SCREENSHOTS = path.join(REPO, 'test-artifacts', 'screenshots');

export interface ShoeboxFixture {
  readonly server: ShoeboxServer;
  readonly browser: Browser;
  /** The copy of ../shared/corpus the catalog points at (shared by every file in the run). */
  readonly library: string;
  /** A page in a fresh browser context (no cookies, empty cache) that records console errors. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** newPage, then openApp at the hash route. */
  open(hashPath?: string, options?: BrowserContextOptions): Promise<Page>;
}

/**
 * Call once at the top of a test file. beforeAll copies the indexed data folder (so favourites,
 * trash and albums made here stay here), starts `serve` on the copy and launches Chromium; afterAll
 * closes both and deletes the copy. The library folder itself is shared: a test that deletes
 * original files (empty trash with deleteFiles) must be the only one that needs them.
 */
export function useShoebox(): ShoeboxFixture {
  let server: ShoeboxServer | undefined;
  let browser: Browser | undefined;
  let dataDir: string | undefined;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(inject('shoeboxScratch'), 'data-'));
    fs.cpSync(inject('shoeboxData'), dataDir, { recursive: true });
    [server, browser] = await Promise.all([startServer(dataDir), launchChromium()]);
  });

  afterAll(async () => {
    await Promise.allSettled([browser?.close(), server?.close()]);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useShoebox: the ${what} is not ready (use it inside a test or hook)`);
    return value;
  };

  const fixture: ShoeboxFixture = {
    get server() {
      return ready(server, 'server');
    },
    get browser() {
      return ready(browser, 'browser');
    },
    get library() {
      return inject('shoeboxLibrary');
    },
    async newPage(options = {}) {
      const context = await fixture.browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
      const page = await context.newPage();
      recordErrors(page);
      page.once('close', () => void context.close().catch(() => undefined));
      return page;
    },
    async open(hashPath = '#/', options = {}) {
      const page = await fixture.newPage(options);
      await openApp(page, fixture.server, hashPath);
      return page;
    },
  };
  return fixture;
}

const errorsOf = new WeakMap<Page, string[]>();

function recordErrors(page: Page): void {
  const errors: string[] = [];
  errorsOf.set(page, errors);
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
}

/** Console errors (failed loads and CSP violations show up here too) and uncaught exceptions so far. */
export function consoleErrors(page: Page): string[] {
  return [...(errorsOf.get(page) ?? [])];
}

/**
 * Opens the app through the token URL (which sets the session cookie) at a hash route such as
 * `#/`, `#/albums` or `#/search`, and waits for the load event. Returns the document's response.
 */
export async function openApp(page: Page, server: ShoeboxServer, hashPath = '#/'): Promise<Response> {
  const hash = hashPath.startsWith('#') ? hashPath : `#${hashPath}`;
  const response = await page.goto(`${server.url}${hash}`, { waitUntil: 'load' });
  if (!response) throw new Error(`no response for ${server.origin}/${hash}`);
  return response;
}

/**
 * Waits for the network to go quiet (no request for 500 ms), for at most `timeoutMs`: an app that
 * polls or holds a stream open never goes quiet, and that is not a failure here.
 */
export async function settle(page: Page, timeoutMs = 5_000): Promise<void> {
  await page.waitForLoadState('networkidle', { timeout: timeoutMs }).catch(() => undefined);
}

/** Waits until at least `min` thumbnail images have loaded and decoded; returns how many have. */
export async function waitForThumbnails(page: Page, min = 1, timeoutMs = 10_000): Promise<number> {
  const handle = await page.waitForFunction(
    ({ selector, min }) => {
      const loaded = [...document.querySelectorAll<HTMLImageElement>(selector)].filter((img) => img.complete && img.naturalWidth > 0);
      return loaded.length >= min ? loaded.length : false;
    },
    { selector: sel.thumbImage, min },
    { timeout: timeoutMs },
  );
  return (await handle.jsonValue()) as number;
}

/** Saves a PNG of the viewport to test-artifacts/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: file });
  return file;
}
