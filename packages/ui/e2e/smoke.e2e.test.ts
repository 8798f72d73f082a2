// The served app loads in Chromium: the page through the token URL, its CSP, a clean console.
import { describe, expect, it } from 'vitest';
import { consoleErrors, openApp, screenshot, settle, useShoebox } from './app-fixture.ts';

const app = useShoebox();

describe('shoebox serve in Chromium', () => {
  it('serves the app at the token URL with a CSP, a clean console and the title Shoebox', async () => {
    const page = await app.newPage();
    const response = await openApp(page, app.server, '#/');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^text\/html/);
    expect(response.headers()['content-security-policy']).toMatch(/default-src/);
    // Let the app start and make its first API calls, whose failures would log.
    await settle(page);
    expect(await page.evaluate(() => document.title)).toBe('Shoebox');
    await screenshot(page, 'smoke-home');
    expect(consoleErrors(page)).toEqual([]);
    await page.close();
  });
});
