// A phone in Debian's Chromium, driven by playwright-core (no browser download): the repository's
// Chromium locator and container flags (scripts/chromium-path.ts, shared with packages/ui's e2e
// tests), a phone-sized context, pages that record their errors, and screenshots for failures.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../../../scripts/chromium-path.ts';

export const REPO = path.resolve(import.meta.dirname, '..', '..', '..', '..');
export const ARTIFACTS = path.join(REPO, 'test-artifacts', 'sync-server');

/** A 6.1-inch phone (390×844 CSS pixels at 3×), touch, Chrome on Android. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  screen: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
  userAgent:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  locale: 'en-GB',
  timezoneId: 'Europe/London',
};

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), headless: true, args: [...CHROMIUM_ARGS], timeout: 60_000 });
}

export interface PhonePage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** console.error lines (failed loads show up here too). */
  consoleErrors: string[];
  /** Requests that got no answer at all (refused, reset), with their URLs. */
  failedRequests: string[];
  /** Answers with a 4xx or 5xx status: `403 GET /api/jobs`. */
  errorResponses: string[];
}

/** A fresh phone context (no cookies, empty storage) and a page in it that records what went wrong. */
export async function openPhone(browser: Browser, options: BrowserContextOptions = {}): Promise<PhonePage> {
  const context = await browser.newContext({ ...PHONE, ...options });
  const page = await context.newPage();
  const recorded: PhonePage = { context, page, pageErrors: [], consoleErrors: [], failedRequests: [], errorResponses: [] };
  page.on('pageerror', (error) => recorded.pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') recorded.consoleErrors.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) recorded.errorResponses.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
  });
  page.on('requestfailed', (request) => recorded.failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? '?'}`));
  return recorded;
}

/** A full-page PNG under test-artifacts/sync-server/; answers its path (null when the page is gone). */
export async function screenshot(page: Page | undefined, name: string): Promise<string | null> {
  if (!page || page.isClosed()) return null;
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  try {
    await page.screenshot({ path: file, fullPage: true, timeout: 10_000 });
    return file;
  } catch {
    return null;
  }
}
