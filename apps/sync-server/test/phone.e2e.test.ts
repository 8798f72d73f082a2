// The web app on a phone, end to end: the real sync server (PGlite in a temporary data folder,
// serving the packages/ui build over HTTP) and Debian's Chromium as a 390×844 touch phone. Signs
// in through the page, uploads two photos of ../shared/corpus through the upload screen's file
// input, and finds them in the timeline: two cells whose thumbnails load, no sideways scrolling,
// and exactly those two assets on the server for that user.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobsStatus } from '@shoebox/core/contract';
import { ensureUiBuilt } from '../../../scripts/ui-build.ts';
import type { ApiClient } from './helpers/api-client.ts';
import { ARTIFACTS, launchChromium, openPhone, REPO, screenshot, type PhonePage } from './helpers/phone-browser.ts';
import { createUser, onboardAdmin, startTestServer, type TestServer } from './helpers/test-server.ts';

const CORPUS = path.resolve(REPO, '..', 'shared', 'corpus');
/** Two small, ordinary camera JPEGs with an EXIF capture date (two different months). */
const PHOTOS = ['jpeg/misc/gopro_hd2.jpg', 'jpeg/misc/IMG_4120.JPG'] as const;
const PHONE_WIDTH = 390;
const FAILURE_SHOT = 'phone-e2e-failure';

const SECOND = 1000;
const STEP = 30 * SECOND; // one screen's worth of waiting
const UPLOADS = 60 * SECOND;
const JOBS = 120 * SECOND; // metadata + thumbnail of two small JPEGs, worker processes starting cold

interface ManifestRow {
  path: string;
  fileType: string;
  takenAt: string;
  bytes: number;
}

function manifestRows(paths: readonly string[]): ManifestRow[] {
  const [header, ...lines] = fs.readFileSync(path.join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').filter(Boolean);
  const cols = header!.split('\t');
  const at = (name: string) => cols.indexOf(name);
  const rows = lines.map((line) => line.split('\t')).map((c) => ({
    path: c[at('path')]!, fileType: c[at('file_type')]!, takenAt: c[at('taken_at')]!, bytes: Number(c[at('bytes')]),
  }));
  return paths.map((p) => {
    const row = rows.find((r) => r.path === p);
    if (!row) throw new Error(`${p} is not in ${CORPUS}/MANIFEST.tsv`);
    return row;
  });
}

/** Polls `read` until `done` holds; throws early when `broken` names a failure, and at the deadline with the last value. */
async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  o: { timeoutMs: number; intervalMs?: number; broken?: (value: T) => string | null },
): Promise<T> {
  const deadline = Date.now() + o.timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    const failure = o.broken?.(last);
    if (failure) throw new Error(`${what}: ${failure} (${JSON.stringify(last)})`);
    if (Date.now() > deadline) throw new Error(`${what}: not within ${o.timeoutMs / SECOND} s; last seen ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 250));
  }
}

/** The upload rows as the person reads them: file name and status text. */
function uploadRows(page: Page): Promise<{ name: string; status: string }[]> {
  return page.$$eval('[data-testid="upload-row"]', (rows) =>
    rows.map((row) => ({
      name: row.querySelector('[data-testid="upload-name"]')?.textContent ?? '',
      status: row.querySelector('[data-testid="upload-status"]')?.textContent ?? '',
    })),
  );
}

interface GridCell {
  id: string;
  label: string;
  src: string;
  complete: boolean;
  naturalWidth: number;
}

function gridCells(page: Page): Promise<GridCell[]> {
  return page.$$eval('[data-testid="thumb"]', (buttons) =>
    buttons.map((b) => {
      const img = b.querySelector('img');
      return {
        id: b.getAttribute('data-asset-id') ?? '',
        label: b.getAttribute('aria-label') ?? '',
        src: img?.currentSrc ?? '',
        complete: img?.complete ?? false,
        naturalWidth: img?.naturalWidth ?? 0,
      };
    }),
  );
}

/** How wide the document is, against the viewport (anything wider scrolls sideways). */
function pageWidth(page: Page): Promise<{ scrollWidth: number; clientWidth: number }> {
  return page.evaluate(() => {
    // Runs in the page (this project's Node typings have no DOM).
    type Box = { scrollWidth: number; clientWidth: number };
    const doc = (globalThis as unknown as { document: { scrollingElement: Box | null; documentElement: Box } }).document;
    const el = doc.scrollingElement ?? doc.documentElement;
    return { scrollWidth: el.scrollWidth, clientWidth: el.clientWidth };
  });
}

const pendingJobs = (s: JobsStatus): number => s.lanes.reduce((n, l) => n + l.queued + l.running, 0);
const seenJobs = (s: JobsStatus): number => s.lanes.reduce((n, l) => n + l.queued + l.running + l.done + l.failed, 0);

describe('the web app on a phone (PGlite)', () => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let admin: ApiClient;
  let user: ApiClient;
  const phoneUser = { email: 'phone@example.org', password: 'phone@example.org password' }; // createUser's password
  const photos = manifestRows(PHOTOS);
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await step();
    } finally {
      timings[name] = Math.round(performance.now() - started);
    }
  };

  beforeAll(async () => {
    for (const p of photos) {
      // Ordinary photos: JPEG, with a capture date, and small enough to go up at once.
      expect(p.fileType, p.path).toBe('JPEG');
      expect(p.takenAt, p.path).not.toBe('');
      expect(p.bytes, p.path).toBeLessThan(200_000);
      expect(fs.statSync(path.join(CORPUS, p.path)).size, p.path).toBe(p.bytes);
    }
    // The server serves packages/ui/dist: build it when a source is newer than the build.
    const build = await timed('ui build', async () => ensureUiBuilt());
    if (build.built) process.stderr.write(`[phone e2e] built the UI in ${(build.ms / SECOND).toFixed(1)} s\n`);
    expect(fs.existsSync(path.join(REPO, 'packages', 'ui', 'dist', 'index.html'))).toBe(true);

    fs.rmSync(path.join(ARTIFACTS, `${FAILURE_SHOT}.png`), { force: true }); // a previous run's
    // Each is kept as soon as it is up, so that afterAll closes it even when the other fails to start.
    await timed('server and browser start', () =>
      Promise.all([
        // The real composition root (its own job runner included), with the web app, on the wall clock.
        startTestServer('pglite', { start: { noUi: false, now: () => new Date() } }).then((s) => void (server = s)),
        launchChromium().then((b) => void (browser = b)),
      ]),
    );
    if (!server || !browser) throw new Error('the server or the browser did not start');
    // First start: the admin is onboarded through the API; the phone belongs to an ordinary user.
    const onboarded = await onboardAdmin(server!);
    admin = onboarded.api;
    user = (await createUser(server!, admin, phoneUser.email)).api;
  }, 600 * SECOND);

  afterAll(async () => {
    await Promise.allSettled([browser?.close(), server?.stop()]);
    process.stderr.write(`[phone e2e] step times (ms): ${JSON.stringify(timings)}\n`);
  }, 60 * SECOND);

  it('signs in, uploads two photos through the page and sees them in the timeline', async ({ annotate }) => {
    const phone: PhonePage = await openPhone(browser!);
    const { page } = phone;
    page.setDefaultTimeout(STEP);
    page.setDefaultNavigationTimeout(STEP);

    try {
      // 1. The server's address shows the sign-in (the admin exists, so no onboarding).
      await timed('open and sign in', async () => {
        const response = await page.goto(server!.base, { waitUntil: 'load' });
        expect(response?.status()).toBe(200);
        await page.getByRole('heading', { name: 'Sign in' }).waitFor();
        await page.getByLabel('E-mail').fill(phoneUser.email);
        await page.getByLabel('Password', { exact: true }).fill(phoneUser.password);
        await page.getByRole('button', { name: 'Sign in', exact: true }).tap();
        // Signed in: the phone's bottom bar appears.
        await page.getByRole('navigation', { name: 'Quick navigation' }).waitFor({ state: 'visible' });
      });
      expect(await page.getByTestId('login-error').count()).toBe(0);
      const tabs = page.getByRole('navigation', { name: 'Quick navigation' });

      // 2. Upload, from the bottom bar.
      await timed('upload screen', async () => {
        await tabs.getByRole('link', { name: 'Upload' }).tap();
        await page.waitForURL(/#\/upload$/);
        await page.getByRole('heading', { name: 'Upload', level: 1 }).waitFor();
      });
      const input = page.getByLabel('Choose photos');
      await waitFor('the file input', () => input.isEnabled(), Boolean, { timeoutMs: STEP }); // enabled once the queue is open
      expect(await input.getAttribute('type')).toBe('file');
      expect(await input.getAttribute('multiple')).not.toBeNull();

      await timed('upload two photos', async () => {
        await input.setInputFiles(photos.map((p) => path.join(CORPUS, p.path)));
        const rows = await waitFor(
          'both upload rows to say "Uploaded"',
          () => uploadRows(page),
          (r) => r.length === 2 && r.every((row) => row.status === 'Uploaded'),
          {
            timeoutMs: UPLOADS,
            broken: (r) => {
              const bad = r.find((row) => /^Failed|^Already on the server/.test(row.status));
              return bad ? `${bad.name}: ${bad.status}` : r.length > 2 ? `${r.length} rows for two files` : null;
            },
          },
        );
        expect(rows.map((r) => r.name).sort()).toEqual(photos.map((p) => path.basename(p.path)).sort());
        await waitFor('the summary', () => page.getByTestId('upload-headline').textContent(), (t) => t === 'All 2 files uploaded', { timeoutMs: STEP });
      });
      const uploadWidth = await pageWidth(page);
      expect(uploadWidth.scrollWidth, 'the upload screen scrolls sideways').toBeLessThanOrEqual(PHONE_WIDTH);

      // 3. The server holds exactly these two assets, for this user only.
      const assets = await user.call('listAssets', { query: { size: 100 } });
      expect(assets.total).toBe(2);
      // The server keeps the client's stem with the extension of the sniffed type, in lower case (IMG_4120.JPG → IMG_4120.jpg).
      expect(assets.items.map((a) => a.fileName.toLowerCase()).sort()).toEqual(photos.map((p) => path.basename(p.path).toLowerCase()).sort());
      expect((await admin.call('listAssets', { query: { size: 100 } })).total, "the admin's library").toBe(0);
      const ids = assets.items.map((a) => a.id).sort();

      // 4. Thumbnails: let the server's jobs run first (an <img> that got a 404 does not retry by
      // itself). The jobs status is the runner's when one is wired; the placeholder always answers
      // empty lanes, in which case no thumbnail can exist and only the cells are checked.
      const runner = await timed('jobs', async () => {
        const seen = await waitFor('a job for the uploads', () => admin.call('getJobsStatus'), (s) => seenJobs(s) > 0, { timeoutMs: 10 * SECOND })
          .then(() => true, () => false);
        if (!seen) return false;
        const idle = await waitFor('the jobs to finish', () => admin.call('getJobsStatus'), (s) => pendingJobs(s) === 0, { timeoutMs: JOBS, intervalMs: 500 });
        expect(idle.recentFailures, 'failed jobs').toEqual([]);
        return true;
      });

      // 5. The timeline, from the bottom bar.
      await timed('timeline', async () => {
        await tabs.getByRole('link', { name: 'Photos' }).tap();
        await page.waitForURL(/#\/$/);
        await page.getByTestId('timeline-scroller').waitFor({ state: 'visible' });
        const cells = await waitFor('two cells in the grid', () => gridCells(page), (c) => c.length === 2, {
          timeoutMs: STEP,
          broken: (c) => (c.length > 2 ? `${c.length} cells for two photos` : null),
        }).catch(async (error: unknown) => {
          // Say what the server holds, to tell a grid that does not show from assets the timeline does not list.
          const held = await user.call('listAssets', { query: { size: 100 } });
          const buckets = await user.call('getTimeBuckets', {});
          const states = held.items.map((a) => `${a.fileName}: status ${a.status}, takenAt ${a.takenAt} (${a.takenAtSource})`);
          throw new Error(
            `${(error as Error).message}\n  the server holds ${held.total} assets for the user [${states.join('; ')}], ` +
              `its timeline buckets are ${JSON.stringify(buckets)}, and ${runner ? 'a job runner ran their jobs' : 'no job runner took any job (getJobsStatus stayed empty)'}`,
          );
        });
        expect(cells.map((c) => c.id).sort()).toEqual(ids);
        for (const p of photos) {
          expect(cells.some((c) => c.label.toLowerCase().includes(path.basename(p.path).toLowerCase())), `a cell labelled with ${p.path}`).toBe(true);
        }
        for (const c of cells) {
          const box = await page.locator(`[data-testid="thumb"][data-asset-id="${c.id}"]`).boundingBox();
          expect(box, `cell ${c.id}`).not.toBeNull();
          expect(box!.width).toBeGreaterThan(20);
          expect(box!.height).toBeGreaterThan(20);
          expect(box!.x).toBeGreaterThanOrEqual(0);
          expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE_WIDTH + 0.5);
        }
      });

      if (runner) {
        const loaded = await timed('thumbnails', () =>
          waitFor('both thumbnails to load', () => gridCells(page), (c) => c.length === 2 && c.every((x) => x.complete && x.naturalWidth > 0), {
            timeoutMs: STEP,
          }),
        );
        expect(loaded.every((c) => c.naturalWidth > 0)).toBe(true);
      } else {
        // No job runner on this server yet: nothing makes thumbnails, so the route must say so.
        const res = await user.send('getAssetThumbnail', { params: { id: ids[0]! } });
        const note = `no job runner is wired into startSyncServer: thumbnails are not made (GET thumbnail → ${res.status}); only the grid cells were checked`;
        await res.body?.cancel();
        expect(res.status, 'a thumbnail without a job runner').toBe(404);
        process.stderr.write(`[phone e2e] ${note}\n`);
        await annotate(note, 'warning');
      }

      const width = await pageWidth(page);
      expect(width.scrollWidth, 'the timeline scrolls sideways').toBeLessThanOrEqual(PHONE_WIDTH);
      expect(width.clientWidth).toBe(PHONE_WIDTH);
      expect(phone.pageErrors, 'uncaught errors in the page').toEqual([]);
    } catch (error) {
      // What the phone showed when it went wrong, before its context closes.
      const shot = await screenshot(page, FAILURE_SHOT);
      process.stderr.write(
        `[phone e2e] failed at ${page.isClosed() ? '(page closed)' : page.url()}; screenshot: ${shot ?? 'none'}\n` +
          `  page errors: ${JSON.stringify(phone.pageErrors)}\n  console errors: ${JSON.stringify(phone.consoleErrors)}\n` +
          `  failed requests: ${JSON.stringify(phone.failedRequests)}\n  error answers: ${JSON.stringify(phone.errorResponses)}\n`,
      );
      throw error;
    } finally {
      await phone.context.close().catch(() => undefined);
    }
  }, 300 * SECOND);
});
