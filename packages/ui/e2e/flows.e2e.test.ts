// The app's main flows in Chromium against `shoebox serve` on the indexed corpus: the timeline
// shows every asset, the scrubber lands on the month pointed at, the viewer opens and plays a
// video, favourite / album / trash / restore survive a reload, and a camera search finds exactly
// the files MANIFEST.tsv names. Screenshots of every page go to test-artifacts/screenshots.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleErrors, openApp, screenshot, useShoebox, waitForThumbnails } from './app-fixture.ts';
import { sel } from './selectors.ts';
import { REPO, runShoebox } from './shoebox-server.ts';

const app = useShoebox();

interface CliAsset {
  id: string; path: string; type: string; status: string; duplicateOf: string | null; model: string | null;
  videoState: string | null; livePhotoVideo: string | null;
}

async function cliAssets(): Promise<CliAsset[]> {
  return JSON.parse(await runShoebox(app.server.dataDir, ['assets', '--json'])) as CliAsset[];
}

/** Scrolls the grid from top to bottom and collects every thumbnail it renders on the way. */
async function collectAll(page: Page): Promise<Set<string>> {
  const ids = await page.evaluate(async (s) => {
    const scroller = document.querySelector<HTMLElement>(s.timelineScroller)!;
    const seen = new Set<string>();
    const frame = () => new Promise((r) => setTimeout(r, 120));
    scroller.scrollTop = 0;
    await frame();
    for (let guard = 0; guard < 400; guard++) {
      for (const el of document.querySelectorAll<HTMLElement>(s.thumb)) seen.add(el.dataset.assetId!);
      if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2) break;
      scroller.scrollTop += scroller.clientHeight * 0.8;
      await frame();
      await frame();
    }
    for (const el of document.querySelectorAll<HTMLElement>(s.thumb)) seen.add(el.dataset.assetId!);
    return [...seen];
  }, { timelineScroller: sel.timelineScroller, thumb: sel.thumb });
  return new Set(ids);
}

/** The month whose header is at (or nearest above) the top of the scroller. */
async function topMonth(page: Page): Promise<string | null> {
  return page.evaluate((s) => {
    const scroller = document.querySelector<HTMLElement>(s.timelineScroller)!;
    const top = scroller.getBoundingClientRect().top;
    let best: string | null = null;
    for (const m of document.querySelectorAll<HTMLElement>('[data-testid="month"]')) {
      const r = m.getBoundingClientRect();
      if (r.top <= top + 4 && r.bottom > top + 4) best = m.dataset.month ?? null;
    }
    return best;
  }, { timelineScroller: sel.timelineScroller });
}

/**
 * The files of one camera model in MANIFEST.tsv, grouped by content: the library shows one asset
 * per group (a duplicate's copies are hidden behind whichever was indexed first).
 */
function manifestFilesOfModel(model: string): string[][] {
  const lines = fs.readFileSync(path.resolve(REPO, '..', 'shared', 'corpus', 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const head = lines[0]!.split('\t');
  const col = (name: string) => head.indexOf(name);
  const groups = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const f = line.split('\t');
    if (f[col('model')] !== model || f[col('path')]!.startsWith('broken/') || f[col('path')]!.endsWith('.xmp')) continue;
    const sha = f[col('sha256')]!;
    groups.set(sha, [...(groups.get(sha) ?? []), path.basename(f[col('path')]!)].sort());
  }
  return [...groups.values()].sort((a, b) => a[0]!.localeCompare(b[0]!));
}

describe('the app in Chromium', () => {
  it('shows every asset of the library in the timeline, with the month counts', async () => {
    const expected = (await cliAssets()).filter((a) => a.status === 'ok' && a.duplicateOf === null);
    expect(expected.length).toBeGreaterThan(100);
    const page = await app.open('#/');
    await waitForThumbnails(page, 5);
    await screenshot(page, 'timeline');
    const headerTotal = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="month-header"] .muted')].length);
    expect(headerTotal).toBeGreaterThan(0);
    const seen = await collectAll(page);
    expect([...seen].sort()).toEqual(expected.map((a) => a.id).sort());
    // Virtualised: at no point is the whole library in the DOM.
    const inDom = await page.locator(sel.thumb).count();
    expect(inDom).toBeLessThan(expected.length);
    expect(consoleErrors(page)).toEqual([]);
    await page.close();
  });

  it('lands on the month the date scrubber is dragged to', async () => {
    const page = await app.open('#/');
    await waitForThumbnails(page, 3);
    const months = await page.locator('[data-testid="scrubber-month"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.month!));
    expect(months.length).toBeGreaterThan(10);
    for (const month of ['2008-10-01', months[Math.floor(months.length * 0.6)]!]) {
      const seg = page.locator(`[data-testid="scrubber-month"][data-month="${month}"]`);
      const box = (await seg.boundingBox())!;
      const scrub = (await page.locator(sel.scrubber).boundingBox())!;
      // Press above the target, drag onto the start of its slice, let go.
      await page.mouse.move(scrub.x + scrub.width / 2, scrub.y + 10);
      await page.mouse.down();
      await page.mouse.move(scrub.x + scrub.width / 2, box.y + Math.min(1, box.height / 3), { steps: 8 });
      await page.mouse.up();
      await expect.poll(() => topMonth(page), { timeout: 5000 }).toBe(month);
      await page.waitForSelector(`[data-testid="month"][data-month="${month}"] ${sel.thumb}`);
    }
    await screenshot(page, 'timeline-scrubbed');
    await page.close();
  });

  it('opens the viewer on a photo with its info, and plays and seeks a transcoded video', async () => {
    const all = await cliAssets();
    // DSCN0010.jpg has a copy in duplicates/: open whichever of the two the timeline shows.
    const photo = all.find((a) => a.path.includes('DSCN0010') && a.duplicateOf === null && a.status === 'ok')!;
    const video = all.find((a) => a.videoState === 'transcoded' && a.status === 'ok')!;
    expect(video).toBeTruthy();

    const page = await app.open(`#/?asset=${photo.id}`);
    await page.waitForSelector('[data-testid="viewer-image"]');
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="viewer-image"]');
      return !!img && img.complete && img.naturalWidth >= 640;
    });
    await expect.poll(() => page.locator('[data-testid="info-camera"]').textContent()).toMatch(/COOLPIX P6000/);
    expect(await page.locator('[data-testid="info-gps"]').textContent()).toMatch(/43\.46\d+° N, 11\.88\d+° E/);
    expect(await page.locator('[data-testid="info-date"]').textContent()).toMatch(/2008/);
    await screenshot(page, 'viewer-photo');
    // Arrow keys move through the grid's order.
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => new URL(page.url()).hash).not.toContain(photo.id);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => new URL(page.url()).hash).toContain(photo.id);

    await openApp(page, app.server, `#/?asset=${video.id}`);
    const v = page.locator('[data-testid="viewer-video"]');
    await v.waitFor();
    const played = await v.evaluate(async (el: HTMLVideoElement) => {
      el.muted = true;
      await el.play();
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`stuck at ${el.currentTime}`)), 15_000);
        const check = () => (el.currentTime > 0.3 ? (clearTimeout(t), resolve()) : requestAnimationFrame(check));
        check();
      });
      const target = Math.min(el.duration * 0.6, el.duration - 0.2);
      await new Promise<void>((resolve) => {
        el.addEventListener('seeked', () => resolve(), { once: true });
        el.currentTime = target;
      });
      return { duration: el.duration, at: el.currentTime, target, width: el.videoWidth, error: el.error?.message ?? null };
    });
    expect(played.error).toBeNull();
    expect(played.width).toBeGreaterThan(0);
    expect(Math.abs(played.at - played.target)).toBeLessThan(1);
    await screenshot(page, 'viewer-video');

    // A Live Photo: the still, and its motion (the hidden .mov, transcoded) on demand.
    const live = all.find((a) => a.path.endsWith('live-photo/IMG_3589.HEIC'))!;
    expect(live.livePhotoVideo).toMatch(/IMG_3589\.mov$/);
    await openApp(page, app.server, `#/?asset=${live.id}`);
    await page.locator('[data-testid="live-button"]').click();
    const motion = page.locator('[data-testid="live-video"]');
    await motion.waitFor();
    const moved = await motion.evaluate(async (el: HTMLVideoElement) => {
      el.muted = true;
      await el.play().catch(() => undefined);
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`Live Photo motion stuck at ${el.currentTime}`)), 15_000);
        const check = () => (el.currentTime > 0.2 ? (clearTimeout(t), resolve()) : requestAnimationFrame(check));
        check();
      });
      return el.videoWidth;
    });
    expect(moved).toBeGreaterThan(0);
    await screenshot(page, 'viewer-live-photo');
    expect(consoleErrors(page)).toEqual([]);
    await page.close();
  });

  it('keeps a favourite, an album, a trash and a restore across reloads', async () => {
    const all = await cliAssets();
    const a = all.find((x) => x.path.endsWith('jpeg/gps/DSCN0025.jpg'))!;
    const page = await app.open(`#/?asset=${a.id}`);
    const fav = page.locator('[data-testid="viewer-favorite"]');
    await fav.waitFor();
    expect(await fav.getAttribute('aria-pressed')).toBe('false');
    await fav.click();
    await expect.poll(() => fav.getAttribute('aria-pressed')).toBe('true');
    await page.reload();
    await expect.poll(() => page.locator('[data-testid="viewer-favorite"]').getAttribute('aria-pressed')).toBe('true');
    await openApp(page, app.server, '#/favorites');
    await page.waitForSelector(sel.thumbWithId(a.id));
    await screenshot(page, 'favourites');

    // Album: select two photos on the timeline, add them to a new album.
    await openApp(page, app.server, '#/');
    await waitForThumbnails(page, 3);
    const checks = page.locator('[data-testid="thumb-select"]');
    await checks.nth(0).click();
    await checks.nth(1).click();
    await expect.poll(() => page.locator('[data-testid="selection-count"]').textContent()).toBe('2 selected');
    const picked = await page.locator(sel.thumb).evaluateAll((els) => els.slice(0, 2).map((e) => (e as HTMLElement).dataset.assetId!));
    await page.locator('[data-testid="sel-add-album"]').click();
    await page.locator('[data-testid="new-album-name"]').fill('Trip to the coast');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="selection-bar"]', { state: 'detached' });
    await page.reload();
    await openApp(page, app.server, '#/albums');
    const card = page.locator('[data-testid="album-card"]', { hasText: 'Trip to the coast' });
    await card.waitFor();
    expect(await card.textContent()).toMatch(/2 items/);
    await screenshot(page, 'albums');
    await card.click();
    await page.waitForSelector(sel.thumb);
    const inAlbum = await page.locator(sel.thumb).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.assetId!));
    expect(inAlbum.sort()).toEqual(picked.sort());
    await screenshot(page, 'album');

    // Trash from the viewer, find it in the trash after a reload, restore it, reload again.
    await openApp(page, app.server, `#/?asset=${a.id}`);
    await page.locator('[data-testid="viewer-trash"]').click();
    await page.getByText('Moved 1 item to the trash').waitFor();
    await openApp(page, app.server, '#/trash');
    await page.reload();
    await page.waitForSelector(sel.thumbWithId(a.id));
    await screenshot(page, 'trash');
    await page.locator(`${sel.thumbWithId(a.id)} ~ [data-testid="thumb-select"]`).click();
    await page.locator('[data-testid="sel-restore"]').click();
    await page.waitForSelector(sel.thumbWithId(a.id), { state: 'detached' });
    await page.reload();
    await page.waitForSelector('.empty');
    expect(await page.locator(sel.thumbWithId(a.id)).count()).toBe(0);
    await openApp(page, app.server, `#/?asset=${a.id}`);
    await expect.poll(() => page.locator('[data-testid="viewer-trash"]').count()).toBe(1);
    await expect.poll(() => page.locator('[data-testid="viewer-favorite"]').getAttribute('aria-pressed')).toBe('true');
    expect(consoleErrors(page)).toEqual([]);
    await page.close();
  });

  it('finds exactly the photos of one camera model', async () => {
    const expected = manifestFilesOfModel('COOLPIX P6000');
    expect(expected).toEqual([['DSCN0010.jpg', 'copy-of-DSCN0010.jpg'], ['DSCN0025.jpg']]);
    const page = await app.open('#/search');
    const camera = page.locator('[data-testid="search-camera"]');
    await expect.poll(() => camera.locator('option').count()).toBeGreaterThan(5);
    const value = await camera.locator('option', { hasText: 'COOLPIX P6000' }).getAttribute('value');
    await camera.selectOption(value!);
    await waitForThumbnails(page, expected.length);
    await page.waitForTimeout(300);
    const alts = await page.locator(`${sel.thumb} img`).evaluateAll((els) => els.map((e) => (e as HTMLImageElement).alt));
    const names = alts.map((n) => n.split(' ')[1]!.replace(/,$/, ''));
    expect(names).toHaveLength(expected.length);
    for (const group of expected) expect(names.filter((n) => group.includes(n))).toHaveLength(1);
    await screenshot(page, 'search-camera');
    await page.close();
  });

  it('renders every other page, the shortcuts and both themes, on a laptop and a phone', async () => {
    const pages: [string, string][] = [
      ['#/folders', 'folders'], ['#/archive', 'archive'], ['#/jobs', 'jobs'], ['#/settings', 'settings'],
      ['#/search?type=video', 'search-videos'],
    ];
    const page = await app.open('#/');
    await waitForThumbnails(page, 3);
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid="shortcuts"]');
    await screenshot(page, 'shortcuts');
    await page.keyboard.press('Escape');
    for (const [hash, name] of pages) {
      await openApp(page, app.server, hash);
      await page.waitForSelector('.page-header h1');
      await page.waitForTimeout(400);
      await screenshot(page, name);
    }
    await openApp(page, app.server, '#/folders');
    await page.locator('button[aria-label="Expand jpeg"]').click();
    await page.locator('[data-testid="folder"][data-path$="/gps"]').click();
    await page.waitForSelector(sel.thumb);
    expect(await page.locator(sel.thumb).count()).toBe(2);
    await screenshot(page, 'folder-gps');
    await page.locator('[data-testid="theme-toggle"]').click();
    await openApp(page, app.server, '#/');
    await waitForThumbnails(page, 3);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.waitForTimeout(400);
    await screenshot(page, 'timeline-dark');
    expect(consoleErrors(page)).toEqual([]);
    await page.close();

    const phone = await app.open('#/', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await waitForThumbnails(phone, 3);
    await screenshot(phone, 'phone-timeline');
    await phone.locator('button[aria-label="Menu"]').click();
    await phone.waitForSelector('.sidebar.is-open');
    await phone.waitForTimeout(400); // the drawer slides in
    await screenshot(phone, 'phone-menu');
    expect(consoleErrors(phone)).toEqual([]);
    await phone.close();
  });
});
