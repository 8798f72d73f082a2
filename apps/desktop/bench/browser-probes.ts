// In-page measurement code for the browser benchmark; Playwright serialises each function into
// Chromium, so each is self-contained. Paint times come from the Element Timing API
// (`elementtiming="thumbnail"`), main-thread stalls from the Long Tasks API. The desktop's tsconfig
// has no DOM library (engine code must not touch a DOM), so the browser globals used here are
// declared in this module only.

interface Rect {
  top: number;
  bottom: number;
  left: number;
  right: number;
  height: number;
}
interface ProbeElement {
  getBoundingClientRect(): Rect;
}
interface Scroller extends ProbeElement {
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
}
interface ProbeEntry {
  startTime: number;
  duration: number;
  identifier?: string;
  renderTime?: number;
  loadTime?: number;
  element?: ProbeElement | null;
}
interface ProbeState {
  /** Paint time of each thumbnail painted so far, ms since navigation start. */
  paints: number[];
  paintOf: Map<ProbeElement, number>;
  longTasks: { start: number; duration: number }[];
}
declare const window: { innerWidth: number; innerHeight: number; __shoeboxBench?: ProbeState };
declare const document: {
  querySelector(selector: string): Scroller | null;
  querySelectorAll(selector: string): Iterable<ProbeElement>;
};
declare function requestAnimationFrame(callback: (now: number) => void): number;
declare class PerformanceObserver {
  constructor(callback: (list: { getEntries(): ProbeEntry[] }) => void);
  observe(options: { type: string; buffered?: boolean }): void;
}

export interface FirstPaint {
  /** Earliest thumbnail paint, ms after navigation start; null when none painted. */
  firstMs: number | null;
  paintedWithinBudget: number;
  paintedTotal: number;
  /** Thumbnails in the viewport when measuring ended, and when the last of them painted. */
  inViewport: number;
  screenfulMs: number | null;
}

export interface ScrollRun {
  found: boolean;
  scrollHeight: number;
  reachedBottom: boolean;
  durationMs: number;
  frames: number;
  maxFrameGapMs: number;
  longTasks: number;
  maxLongTaskMs: number;
  /** Sum over long tasks of their time beyond 50 ms (Total Blocking Time, restricted to the scroll). */
  blockingMs: number;
}

/** Init script: observers installed before the page's own scripts run. */
export function installProbes(): void {
  const state: ProbeState = { paints: [], paintOf: new Map(), longTasks: [] };
  window.__shoeboxBench = state;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.identifier !== 'thumbnail') continue;
      const t = e.renderTime || e.loadTime || e.startTime;
      state.paints.push(t);
      if (e.element) state.paintOf.set(e.element, t);
    }
  }).observe({ type: 'element', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) state.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/**
 * Resolves once a thumbnail has painted and `settleMs` more have passed (and never before
 * `budgetMs`), or at `timeoutMs` after navigation start with whatever has painted by then.
 */
export function awaitFirstPaint(opts: { selector: string; budgetMs: number; settleMs: number; timeoutMs: number }): Promise<FirstPaint> {
  return new Promise((resolve) => {
    const state = window.__shoeboxBench!;
    const tick = (): void => {
      const now = performance.now();
      const first = state.paints.length ? Math.min(...state.paints) : null;
      const done = first !== null ? now >= Math.max(opts.budgetMs, first + opts.settleMs) : now >= opts.timeoutMs;
      if (!done && now < opts.timeoutMs) return void setTimeout(tick, 50);
      const visible = Array.from(document.querySelectorAll(opts.selector)).filter((el) => {
        const r = el.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth;
      });
      const times = visible.map((el) => state.paintOf.get(el));
      const all = times.length > 0 && times.every((t) => t !== undefined);
      resolve({
        firstMs: first,
        paintedWithinBudget: state.paints.filter((t) => t <= opts.budgetMs).length,
        paintedTotal: state.paints.length,
        inViewport: visible.length,
        screenfulMs: all ? Math.max(...(times as number[])) : null,
      });
    };
    tick();
  });
}

/** Scrolls the scroller from top to bottom, one step per animation frame over `durationMs`. */
export function scrollThrough(opts: { selector: string; durationMs: number; quietMs: number }): Promise<ScrollRun> {
  return new Promise((resolve) => {
    const state = window.__shoeboxBench!;
    const el = document.querySelector(opts.selector);
    const empty = { scrollHeight: 0, reachedBottom: false, durationMs: 0, frames: 0, maxFrameGapMs: 0, longTasks: 0, maxLongTaskMs: 0, blockingMs: 0 };
    if (!el) return resolve({ found: false, ...empty });
    el.scrollTop = 0;
    let start = 0;
    let last = 0;
    let frames = 0;
    let maxGap = 0;
    const finish = (end: number): void => {
      const reachedBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      // Long-task entries arrive after the task; wait for the tail of the scroll to report.
      setTimeout(() => {
        const tasks = state.longTasks.filter((t) => t.start + t.duration >= start && t.start <= end + opts.quietMs);
        resolve({
          found: true,
          scrollHeight: el.scrollHeight,
          reachedBottom,
          durationMs: end - start,
          frames,
          maxFrameGapMs: maxGap,
          longTasks: tasks.length,
          maxLongTaskMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
          blockingMs: tasks.reduce((s, t) => s + Math.max(0, t.duration - 50), 0),
        });
      }, opts.quietMs);
    };
    const step = (now: number): void => {
      if (!start) start = last = now;
      frames++;
      maxGap = Math.max(maxGap, now - last);
      last = now;
      const t = Math.min(1, (now - start) / opts.durationMs);
      // The height can change while scrolling (months measured as they load): aim at the current bottom.
      el.scrollTop = t * (el.scrollHeight - el.clientHeight);
      if (t < 1) requestAnimationFrame(step);
      else finish(now);
    };
    requestAnimationFrame(step);
  });
}

/** performance.now() in the page, to bracket an interaction driven from outside (the scrubber drag). */
export function pageNow(): number {
  return performance.now();
}

/** The long tasks that overlap [from, to], after waiting `quietMs` for late entries. */
export function longTasksBetween(opts: { from: number; to: number; quietMs: number }): Promise<{ count: number; maxMs: number; blockingMs: number }> {
  return new Promise((resolve) => {
    setTimeout(() => {
      const tasks = window.__shoeboxBench!.longTasks.filter((t) => t.start + t.duration >= opts.from && t.start <= opts.to + opts.quietMs);
      resolve({
        count: tasks.length,
        maxMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
        blockingMs: tasks.reduce((s, t) => s + Math.max(0, t.duration - 50), 0),
      });
    }, opts.quietMs);
  });
}

/** Whether the scroller sits at its bottom. */
export function atBottom(selector: string): boolean {
  const el = document.querySelector(selector);
  return !!el && el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
}

export function scrollToTop(selector: string): void {
  const el = document.querySelector(selector);
  if (el) el.scrollTop = 0;
}
