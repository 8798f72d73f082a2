// People, faces and smart search in Chromium against `shoebox serve` on the indexed corpus (its
// faces/ folder: six people and group photos): the People page lists who was found, renaming
// sticks, a person's page shows their photos, the viewer draws the face boxes on the faces (also
// zoomed and resized) and moves a face away and back, the search box explains missing models (or
// ranks), and the machine learning settings show the models. Every answer is read through the
// UI's typed client, so it is also checked against the contract. Screenshots go to
// test-artifacts/screenshots.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Person } from '@shoebox/core/contract';
import { createClient, fetchTransport } from '../src/api/client.ts';
import { consoleErrors, openApp, screenshot, useShoebox, waitForThumbnails } from './app-fixture.ts';
import { sel } from './selectors.ts';
import { runShoebox } from './shoebox-server.ts';

const app = useShoebox();
const api = () => createClient(fetchTransport('', (url, init) => app.server.fetch(String(url), init)));

interface CliAsset { id: string; path: string; status: string; duplicateOf: string | null }

async function cliAssets(): Promise<CliAsset[]> {
  return JSON.parse(await runShoebox(app.server.dataDir, ['assets', '--json'])) as CliAsset[];
}

/** The people the engine found, once face detection and grouping have run over the corpus. */
async function people(): Promise<Person[]> {
  await expect.poll(async () => (await api().call('listPeople', { query: {} })).total, { timeout: 120_000, interval: 1000 }).toBeGreaterThanOrEqual(3);
  return (await api().call('listPeople', { query: {} })).people;
}

/** The corpus folder (faces/<name>/) most of a person's faces come from: their real name. */
async function realName(person: Person, assets: CliAsset[]): Promise<string> {
  const faces = await api().call('listPersonFaces', { params: { id: person.id }, query: { limit: 500 } });
  const votes = new Map<string, number>();
  for (const f of faces) {
    const folder = /\/faces\/([a-z]+)\//.exec(assets.find((a) => a.id === f.assetId)?.path ?? '')?.[1];
    if (folder && folder !== 'groups') votes.set(folder, (votes.get(folder) ?? 0) + 1);
  }
  const best = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'someone';
  return best.charAt(0).toUpperCase() + best.slice(1);
}

/** Each face box as fractions of the picture's box on screen (both transformed alike when zoomed). */
function boxesOnPicture(page: Page) {
  return page.evaluate(() => {
    const img = document.querySelector('[data-testid="viewer-image"]')!.getBoundingClientRect();
    return [...document.querySelectorAll<HTMLElement>('[data-testid="face-box"]')].map((el) => {
      const r = el.getBoundingClientRect();
      return { id: el.dataset.faceId!, x: (r.left - img.left) / img.width, y: (r.top - img.top) / img.height, width: r.width / img.width, height: r.height / img.height };
    });
  });
}

describe('people, faces and smart search in Chromium', () => {
  it('lists the people found in the faces corpus, most photographed first', async () => {
    const found = await people();
    const page = await app.open('#/people');
    await expect.poll(() => page.locator(sel.personCard).count(), { timeout: 10_000 }).toBe(found.length);
    const shown = await page.locator(sel.personCard).evaluateAll((els) => els.map((e) => ({
      id: (e as HTMLElement).dataset.personId!, count: Number((e as HTMLElement).dataset.assetCount),
    })));
    expect(shown.map((s) => s.id)).toEqual(found.map((p) => p.id));
    for (let i = 1; i < shown.length; i++) expect(shown[i]!.count).toBeLessThanOrEqual(shown[i - 1]!.count);
    // Every round face has loaded.
    await page.waitForFunction((n) => [...document.querySelectorAll<HTMLImageElement>('[data-testid="person-card"] img')]
      .filter((i) => i.complete && i.naturalWidth > 0).length >= n, found.length, { timeout: 10_000 });
    await screenshot(page, 'people');
    expect(consoleErrors(page)).toEqual([]);
    await page.close();

    const phone = await app.open('#/people', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await phone.waitForSelector(sel.personCard);
    await phone.waitForTimeout(400);
    await screenshot(phone, 'people-phone');
    await phone.close();
  }, 180_000);

  it('renames a person in place, and the name survives a reload', async () => {
    const [first] = await people();
    const name = await realName(first!, await cliAssets());
    const page = await app.open('#/people');
    const card = page.locator(`${sel.personCard}[data-person-id="${first!.id}"]`);
    await card.locator('[data-testid="person-name"]').click();
    const input = card.locator('[data-testid="person-name-input"]');
    await input.fill(name);
    await input.press('Enter');
    await expect.poll(() => card.locator('[data-testid="person-name"]').textContent()).toBe(name);
    await page.reload();
    await expect.poll(() => page.locator(`${sel.personCard}[data-person-id="${first!.id}"] [data-testid="person-name"]`).textContent()).toBe(name);
    expect((await api().call('getPerson', { params: { id: first!.id } })).name).toBe(name);
    expect(consoleErrors(page)).toEqual([]);
    await page.close();
  }, 180_000);

  it('opens a person’s page with exactly their photos in the grid, and the viewer from there', async () => {
    const [first] = await people();
    const faces = await api().call('listPersonFaces', { params: { id: first!.id }, query: { limit: 500 } });
    const expected = [...new Set(faces.map((f) => f.assetId))].sort();
    const page = await app.open('#/people');
    await page.locator(`${sel.personCard}[data-person-id="${first!.id}"] [data-testid="person-link"]`).click();
    await expect.poll(() => new URL(page.url()).hash).toBe(`#/people/${first!.id}`);
    await waitForThumbnails(page, expected.length);
    const ids = await page.locator(sel.thumb).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.assetId!));
    expect(ids.sort()).toEqual(expected);
    expect(await page.locator('[data-testid="person-counts"]').textContent()).toMatch(new RegExp(`^${first!.assetCount} photos?`));
    await page.mouse.move(0, 0);
    await page.waitForTimeout(400); // the thumbnails fade in
    await screenshot(page, 'person');
    await page.locator(sel.thumb).first().click();
    await page.waitForSelector('[data-testid="viewer"]');
    await expect.poll(() => page.locator('[data-testid="face-row"]').count()).toBeGreaterThan(0);
    expect(consoleErrors(page)).toEqual([]);
    await page.close();
  }, 180_000);

  it('draws the face boxes on the faces, keeps them there when zoomed, and moves a face away and back', async () => {
    await people();
    const group = (await cliAssets()).find((a) => a.path.endsWith('faces/groups/bbt1.jpg') && a.status === 'ok')!;
    expect(group).toBeTruthy();
    const faces = await api().call('getAssetFaces', { params: { id: group.id } });
    expect(faces.length).toBeGreaterThanOrEqual(3);
    const page = await app.open(`#/?asset=${group.id}`);
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="viewer-image"]');
      return !!img && img.complete && img.naturalWidth >= 640;
    });
    await expect.poll(() => page.locator(sel.faceBox).count()).toBe(faces.length);
    const check = async () => {
      const shown = await boxesOnPicture(page);
      for (const f of faces) {
        const b = shown.find((s) => s.id === f.id)!;
        expect(b, `box of face ${f.id}`).toBeTruthy();
        for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(b[k] - f.box[k]), `${k} of face ${f.id}`).toBeLessThan(0.01);
      }
    };
    await check();
    const labels = await page.locator(`${sel.faceBox} .face-label`).allTextContents();
    expect(labels.sort()).toEqual(faces.map((f) => (f.personId ? f.personName || 'Unnamed person' : 'Unknown')).sort());
    await screenshot(page, 'viewer-faces');

    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.waitForTimeout(800);
    await check();
    await screenshot(page, 'viewer-faces-zoomed');
    // A narrower window, then the info panel (below the picture there) closed and opened again:
    // the picture resizes and moves, and the boxes follow.
    await page.setViewportSize({ width: 700, height: 900 });
    await page.waitForTimeout(500);
    await check();
    for (let i = 0; i < 2; i++) {
      await page.keyboard.press('i');
      await page.waitForTimeout(500);
      await check();
    }
    await page.keyboard.press('p');
    await expect.poll(() => page.locator(sel.faceBox).count()).toBe(0);
    await page.keyboard.press('p');
    await expect.poll(() => page.locator(sel.faceBox).count()).toBe(faces.length);

    // "Not this person", then back to them through "Who is this?".
    const assigned = faces.find((f) => f.personId)!;
    expect(assigned, 'a face in the group photo that belongs to someone').toBeTruthy();
    const row = page.locator(`[data-testid="face-row"][data-face-id="${assigned.id}"]`);
    await row.locator('[data-testid="face-not"]').click();
    await expect.poll(async () => (await api().call('getAssetFaces', { params: { id: group.id } })).find((f) => f.id === assigned.id)?.personId).toBeNull();
    await expect.poll(() => row.locator('[data-testid="face-person"]').textContent()).toBe('Unknown');
    await row.locator('[data-testid="face-move"]').click();
    await page.locator(`[data-testid="person-choice"][data-person-id="${assigned.personId}"]`).click();
    await expect.poll(async () => (await api().call('getAssetFaces', { params: { id: group.id } })).find((f) => f.id === assigned.id)?.personId)
      .toBe(assigned.personId);
    expect(consoleErrors(page)).toEqual([]);
    await page.close();
  }, 180_000);

  it('puts the search text in the address and says plainly what smart search needs', async () => {
    const ml = await api().call('getMlStatus');
    // A named person for the search's person filter (named here when this test runs alone).
    const found = await people();
    const named = found.find((p) => p.name) ?? (await api().call('updatePerson', { params: { id: found[0]!.id }, body: { name: 'Someone' } }));
    const page = await app.open('#/search');
    const box = page.locator('[data-testid="smart-search-input"]');
    await box.fill('people on a sofa');
    await box.press('Enter');
    await expect.poll(() => new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('q')).toBe('people on a sofa');
    const ready = ml.settings.enabled && ml.settings.smartSearch && ml.smartSearch.ready;
    if (!ready) {
      if (!ml.settings.enabled || !ml.settings.smartSearch) {
        await page.waitForSelector('[data-testid="smart-search-off"]');
      } else {
        const banner = page.locator('[data-testid="smart-search-unavailable"]');
        await banner.waitFor();
        expect(await banner.textContent()).toMatch(/Smart search needs its models/);
        const missing = ml.models.filter((m) => m.task.startsWith('clip-') && m.state !== 'present');
        expect(missing.length).toBeGreaterThan(0);
        expect(await banner.locator('[data-testid="clip-download"], [data-testid="clip-download-progress"]').count()).toBe(1);
      }
      await screenshot(page, 'smart-search-model-missing');
      // The filters still search without words: clear the box and pick a named person.
      await box.fill('');
      await page.locator('[data-testid="search-person"]').selectOption(named.id);
      await waitForThumbnails(page, Math.min(named.assetCount, 3));
      await page.waitForTimeout(400);
    } else {
      await page.waitForSelector(`${sel.rankedGrid} ${sel.thumb}`);
      await waitForThumbnails(page, 1);
      await page.waitForTimeout(400);
      expect(await page.locator('[data-testid="smart-caption"]').textContent()).toMatch(/Best matches first for “people on a sofa”/);
    }
    await screenshot(page, 'smart-search');
    expect(consoleErrors(page)).toEqual([]);
    await page.close();
  }, 180_000);

  it('shows the machine learning settings with every model, and a switch that sticks', async () => {
    const ml = await api().call('getMlStatus');
    // A tall window, so the screenshot holds the switches, the grouping and the models.
    const page = await app.open('#/settings#machine-learning', { viewport: { width: 1280, height: 1500 } });
    const section = page.locator('[data-testid="ml-settings"]');
    await section.waitFor();
    await expect.poll(() => section.locator('[data-testid="model-row"]').count()).toBe(ml.models.length);
    expect(await section.locator('[data-testid="models-dir"]').textContent()).toBe(ml.modelsDir);
    await page.waitForTimeout(300);
    await screenshot(page, 'settings-ml');
    const smart = section.locator('[data-testid="ml-smart"]');
    expect(await smart.isChecked()).toBe(ml.settings.smartSearch);
    if (ml.settings.enabled) {
      await smart.click();
      await expect.poll(async () => (await api().call('getMlStatus')).settings.smartSearch).toBe(!ml.settings.smartSearch);
      await smart.click();
      await expect.poll(async () => (await api().call('getMlStatus')).settings.smartSearch).toBe(ml.settings.smartSearch);
    }
    await openApp(page, app.server, '#/jobs');
    expect(await page.locator('[data-testid="lane"][data-lane="ml"]').textContent()).toMatch(/Faces and smart search/);
    expect(consoleErrors(page)).toEqual([]);
    await page.close();
  }, 180_000);
});
