// The UI in Debian's Chromium on a 100,000-asset synthetic library: navigation to the first
// thumbnails painted (Element Timing; budget 1.5 s) and a fast scroll top to bottom, programmatic
// and by the date scrubber (Long Tasks; budget: none over 50 ms). The reference, in the same run,
// is a bare static page with the same first thumbnails and an equally long grid.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../../scripts/chromium-path.ts';
import { ensureUiBuilt } from '../../../scripts/ui-build.ts';
import { percentile, round } from './bench-utils.ts';
import { coldNavigation, fastScroll, PAINT_BUDGET_MS, SELECTORS, VIEWPORT, type Navigation, type ScrollResult, type Target } from './browser-measure.ts';
import { startReferencePage, type ReferencePage } from './reference-page.ts';
import { startShoeboxServe, type ShoeboxServer } from '../../../scripts/shoebox-serve.ts';
import { createSyntheticLibrary } from './synthetic-library.ts';

const ASSETS = 100_000;
const NAVIGATIONS = 5;
const SCROLLS = 3;
const SCROLL_MS = 3_000;
const LONG_TASK_BUDGET_MS = 50;
const CELL = 200;
const GAP = 4;

/** A percentile (`p` from 0 to 100) rounded to 0.1. */
const pct = (xs: number[], p: number): number | null => {
  const v = percentile(xs, p / 100);
  return v === null ? null : round(v, 1);
};
const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : round(a / b, 2));

interface NavigationSummary {
  runs: number;
  httpStatus: (number | null)[];
  firstThumbnailMs: { p50: number | null; p95: number | null };
  screenfulMs: { p50: number | null; p95: number | null };
  paintedWithinBudget: number | null;
  thumbnailsInViewport: number | null;
  runsWithoutThumbnails?: number;
  note?: string;
  errors?: string[];
}

function summariseNavigations(runs: Navigation[]): NavigationSummary {
  const first = runs.flatMap((r) => (r.firstMs === null ? [] : [r.firstMs]));
  const screenful = runs.flatMap((r) => (r.screenfulMs === null ? [] : [r.screenfulMs]));
  const errors = [...new Set(runs.flatMap((r) => (r.error ? [r.error] : [])))];
  return {
    runs: runs.length,
    httpStatus: [...new Set(runs.map((r) => r.status))],
    firstThumbnailMs: { p50: pct(first, 50), p95: pct(first, 95) },
    screenfulMs: { p50: pct(screenful, 50), p95: pct(screenful, 95) },
    paintedWithinBudget: pct(runs.map((r) => r.paintedWithinBudget), 50),
    thumbnailsInViewport: pct(runs.map((r) => r.inViewport), 50),
    ...(first.length < runs.length ? { runsWithoutThumbnails: runs.length - first.length } : {}),
    ...(first.length === 0 ? { note: 'no img[elementtiming="thumbnail"] painted within 10 s of navigation: the page shows no thumbnails' } : {}),
    ...(errors.length ? { errors } : {}),
  };
}

const median = (xs: number[]): number | null => pct(xs, 50);

function summariseScrolls(runs: ScrollResult[]): Record<string, unknown> {
  const found = runs.filter((r) => r.scroll.found);
  const drags = runs.flatMap((r) => (r.scrubber ? [r.scrubber] : []));
  const errors = [...new Set(runs.flatMap((r) => (r.error ? [r.error] : [])))];
  const perRun = (xs: number[]): number[] => xs.map((x) => round(x, 1));
  return {
    runs: runs.length,
    programmatic: found.length
      ? {
          scrollHeightPx: found[0]!.scroll.scrollHeight,
          reachedBottom: found.every((r) => r.scroll.reachedBottom),
          longTasks: found.map((r) => r.scroll.longTasks),
          maxLongTaskMs: perRun(found.map((r) => r.scroll.maxLongTaskMs)),
          blockingMs: perRun(found.map((r) => r.scroll.blockingMs)),
          meanFrameMs: perRun(found.map((r) => r.scroll.durationMs / Math.max(1, r.scroll.frames))),
          maxFrameGapMs: perRun(found.map((r) => r.scroll.maxFrameGapMs)),
        }
      : { note: 'no [data-testid="timeline-scroller"] to scroll' },
    scrubber: drags.length
      ? {
          reachedBottom: drags.every((d) => d.reachedBottom),
          longTasks: drags.map((d) => d.longTasks),
          maxLongTaskMs: perRun(drags.map((d) => d.maxLongTaskMs)),
          blockingMs: perRun(drags.map((d) => d.blockingMs)),
        }
      : { note: 'no [data-testid="scrubber"] on the page' },
    ...(errors.length ? { errors } : {}),
  };
}

/** The median over runs of one programmatic-scroll figure, or null when nothing was scrolled. */
function scrollFigure(runs: ScrollResult[], pick: (r: ScrollResult['scroll']) => number): number | null {
  return median(runs.filter((r) => r.scroll.found).map((r) => pick(r.scroll)));
}

interface TimelineBucket { timeBucket: string; count: number }

/** The newest assets' thumbnails, as the timeline would show them first, and the library's size. */
async function firstThumbnails(server: ShoeboxServer, n: number): Promise<{ thumbnails: Buffer[]; total: number }> {
  const ids: string[] = [];
  let total = 0;
  const buckets = await server.fetch('/api/timeline/buckets');
  if (buckets.ok) {
    const list = (await buckets.json()) as TimelineBucket[];
    total = list.reduce((s, b) => s + b.count, 0);
    for (const b of list) {
      if (ids.length >= n) break;
      const res = await server.fetch(`/api/timeline/bucket?timeBucket=${b.timeBucket}`);
      if (!res.ok) break;
      ids.push(...((await res.json()) as { assets: { id: string }[] }).assets.map((a) => a.id));
    }
  } else {
    const res = await server.fetch(`/api/assets?size=${n}`);
    const page = (await res.json()) as { total: number; items: { id: string }[] };
    total = page.total;
    ids.push(...page.items.map((a) => a.id));
  }
  const thumbnails: Buffer[] = [];
  for (const id of ids.slice(0, n)) {
    const res = await server.fetch(`/api/assets/${id}/thumbnail`);
    if (res.ok) thumbnails.push(Buffer.from(await res.arrayBuffer()));
  }
  return { thumbnails, total };
}

async function measure(browser: Browser, app: Target, reference: Target): Promise<Record<string, unknown>> {
  // Warm-up: Chromium's first page, the server's first queries, the OS page cache.
  await coldNavigation(browser, app);
  await coldNavigation(browser, reference);
  const navs = { app: [] as Navigation[], reference: [] as Navigation[] };
  const scrolls = { app: [] as ScrollResult[], reference: [] as ScrollResult[] };
  for (let i = 0; i < NAVIGATIONS; i++) {
    // Interleaved, so both see the same machine.
    navs.app.push(await coldNavigation(browser, app));
    navs.reference.push(await coldNavigation(browser, reference));
  }
  for (let i = 0; i < SCROLLS; i++) {
    scrolls.app.push(await fastScroll(browser, app, SCROLL_MS));
    scrolls.reference.push(await fastScroll(browser, reference, SCROLL_MS));
  }
  const shoeboxNav = summariseNavigations(navs.app);
  const referenceNav = summariseNavigations(navs.reference);
  const maxLongTask = (r: ScrollResult['scroll']): number => r.maxLongTaskMs;
  const meanFrame = (r: ScrollResult['scroll']): number => r.durationMs / Math.max(1, r.frames);
  const worstLongTask = Math.max(0, ...scrolls.app.flatMap((r) => [r.scroll.maxLongTaskMs, r.scrubber?.maxLongTaskMs ?? 0]));
  const scrolled = scrolls.app.some((r) => r.scroll.found);
  return {
    firstPaint: {
      shoebox: shoeboxNav,
      reference: referenceNav,
      ratioFirstThumbnail: ratio(shoeboxNav.firstThumbnailMs.p50, referenceNav.firstThumbnailMs.p50),
      ratioScreenful: ratio(shoeboxNav.screenfulMs.p50, referenceNav.screenfulMs.p50),
      budgetMs: PAINT_BUDGET_MS,
      withinBudget: shoeboxNav.screenfulMs.p50 !== null && shoeboxNav.screenfulMs.p50 <= PAINT_BUDGET_MS,
    },
    fastScroll: {
      durationMs: SCROLL_MS,
      shoebox: summariseScrolls(scrolls.app),
      reference: summariseScrolls(scrolls.reference),
      ratioMeanFrame: ratio(scrollFigure(scrolls.app, meanFrame), scrollFigure(scrolls.reference, meanFrame)),
      // null when the reference had no long task at all (the usual case).
      ratioMaxLongTask: ratio(scrollFigure(scrolls.app, maxLongTask), scrollFigure(scrolls.reference, maxLongTask)),
      budgetMaxLongTaskMs: LONG_TASK_BUDGET_MS,
      worstLongTaskMs: scrolled ? round(worstLongTask, 1) : null,
      withinBudget: scrolled && worstLongTask <= LONG_TASK_BUDGET_MS,
    },
  };
}

export async function browserBench(): Promise<Record<string, unknown>> {
  const executablePath = findChromium();
  const build = ensureUiBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-browser-'));
  let server: ShoeboxServer | undefined;
  let browser: Browser | undefined;
  let reference: ReferencePage | undefined;
  try {
    const libraryStarted = performance.now();
    const library = await createSyntheticLibrary({ dataDir: path.join(dir, 'data'), assets: ASSETS });
    const libraryMs = performance.now() - libraryStarted;
    server = await startShoeboxServe(library.dataDir, { timeoutMs: 60_000 });
    browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
    const sample = await firstThumbnails(server, 60);
    reference = await startReferencePage({
      thumbnails: sample.thumbnails, total: sample.total || ASSETS, cell: CELL, gap: GAP, viewportWidth: VIEWPORT.width, viewportHeight: VIEWPORT.height,
    });
    const results = await measure(
      browser,
      { url: `${server.url}#/`, readySelector: SELECTORS.scroller },
      { url: reference.url, readySelector: reference.readySelector },
    );
    return {
      assets: library.assets,
      timelineAssets: sample.total,
      chromium: browser.version(),
      viewport: VIEWPORT,
      uiBuild: build.built ? { builtMs: build.ms } : 'up to date',
      syntheticLibraryMs: round(libraryMs, 0),
      referenceThumbnails: sample.thumbnails.length,
      ...results,
      note: `ratios are Shoebox / reference (higher is slower); p50/p95 over ${NAVIGATIONS} cold navigations (new browser context each), ${SCROLLS} scroll runs of ${SCROLL_MS} ms`,
    };
  } finally {
    await browser?.close().catch(() => undefined);
    await reference?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
