// Debian's Chromium driven by playwright-core (no browser download), with the flags a headless
// container needs. The locator is shared with the browser benchmark in scripts/.
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../../scripts/chromium-path.ts';

export { findChromium };

export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    ...options,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}
