// Drives one page through the browser benchmark's measurements: a cold navigation to the first
// thumbnails painted, a programmatic scroll top to bottom, and a drag of the date scrubber. Every
// wait has a timeout, so a page without thumbnails (or without a timeline) is reported, not hung on.
import type { Browser, Page } from 'playwright-core';
import {
  atBottom, awaitFirstPaint, installProbes, longTasksBetween, pageNow, scrollThrough, scrollToTop, type FirstPaint, type ScrollRun,
} from './browser-probes.ts';

export const VIEWPORT = { width: 1280, height: 800 };
export const SELECTORS = {
  scroller: '[data-testid="timeline-scroller"]',
  thumbnail: 'img[elementtiming="thumbnail"]',
  scrubber: '[data-testid="scrubber"]',
};
/** The budget: navigation to the first thumbnails painted. */
export const PAINT_BUDGET_MS = 1500;
const PAINT_TIMEOUT_MS = 10_000;
const QUIET_MS = 300;

export interface Target {
  url: string;
  /** What must exist before scrolling (the reference adds its long grid after the first paint). */
  readySelector: string;
}

export interface Navigation extends FirstPaint {
  status: number | null;
  error?: string;
}

async function openPage(browser: Browser, url: string): Promise<{ page: Page; status: number | null; error?: string }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript(installProbes);
  const page = await context.newPage();
  page.once('close', () => void context.close().catch(() => undefined));
  try {
    const response = await page.goto(url, { waitUntil: 'commit', timeout: PAINT_TIMEOUT_MS });
    return { page, status: response?.status() ?? null };
  } catch (error) {
    return { page, status: null, error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

function firstPaint(page: Page): Promise<FirstPaint> {
  return page.evaluate(awaitFirstPaint, { selector: SELECTORS.thumbnail, budgetMs: PAINT_BUDGET_MS, settleMs: 500, timeoutMs: PAINT_TIMEOUT_MS });
}

/** A fresh browser context (empty cache, no cookies) navigating to the target once. */
export async function coldNavigation(browser: Browser, target: Target): Promise<Navigation> {
  const { page, status, error } = await openPage(browser, target.url);
  try {
    if (error) return { status, error, firstMs: null, paintedWithinBudget: 0, paintedTotal: 0, inViewport: 0, screenfulMs: null };
    return { status, ...(await firstPaint(page)) };
  } finally {
    await page.close();
  }
}

export interface DragRun {
  found: boolean;
  reachedBottom: boolean;
  durationMs: number;
  longTasks: number;
  maxLongTaskMs: number;
  blockingMs: number;
}

export interface ScrollResult {
  status: number | null;
  error?: string;
  scroll: ScrollRun;
  /** null when the page has no `[data-testid="scrubber"]`. */
  scrubber: DragRun | null;
}

const NOT_FOUND: ScrollRun = {
  found: false, scrollHeight: 0, reachedBottom: false, durationMs: 0, frames: 0, maxFrameGapMs: 0, longTasks: 0, maxLongTaskMs: 0, blockingMs: 0,
};

/** Loads the target, lets it paint, then scrolls top to bottom over `durationMs`, then drags the scrubber. */
export async function fastScroll(browser: Browser, target: Target, durationMs: number): Promise<ScrollResult> {
  const { page, status, error } = await openPage(browser, target.url);
  try {
    if (error) return { status, error, scroll: NOT_FOUND, scrubber: null };
    await firstPaint(page);
    const ready = await page.waitForSelector(target.readySelector, { timeout: PAINT_TIMEOUT_MS }).then(() => true, () => false);
    if (!ready) return { status, error: `no ${target.readySelector} within ${PAINT_TIMEOUT_MS} ms`, scroll: NOT_FOUND, scrubber: null };
    const scroll = await page.evaluate(scrollThrough, { selector: SELECTORS.scroller, durationMs, quietMs: QUIET_MS });
    const scrubber = await dragScrubber(page, durationMs);
    return { status, scroll, scrubber };
  } finally {
    await page.close();
  }
}

/** Back to the top, then drags the scrubber's handle from its top to its bottom in even steps. */
async function dragScrubber(page: Page, durationMs: number): Promise<DragRun | null> {
  const box = await page.locator(SELECTORS.scrubber).first().boundingBox({ timeout: 1_000 }).catch(() => null);
  if (!box) return null;
  await page.evaluate(scrollToTop, SELECTORS.scroller);
  await page.waitForTimeout(500);
  const x = box.x + box.width / 2;
  const steps = Math.max(10, Math.round(durationMs / 33));
  await page.mouse.move(x, box.y + 1);
  const from = await page.evaluate(pageNow);
  await page.mouse.down();
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(x, box.y + 1 + ((box.height - 2) * i) / steps);
    await page.waitForTimeout(durationMs / steps / 2); // each move already takes a round trip
  }
  await page.mouse.up();
  const to = await page.evaluate(pageNow);
  const tasks = await page.evaluate(longTasksBetween, { from, to, quietMs: QUIET_MS });
  return {
    found: true,
    reachedBottom: await page.evaluate(atBottom, SELECTORS.scroller),
    durationMs: to - from,
    longTasks: tasks.count,
    maxLongTaskMs: tasks.maxMs,
    blockingMs: tasks.blockingMs,
  };
}
