// Smart search over the fake API: `q` in the address asks smartSearch (with the filters) and shows
// the answer best first in a flat grid the viewer follows; the box puts its text in the address;
// missing models are offered for download with progress; switched off, it says so.
import { beforeAll, describe, expect, it } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ApiError } from '../src/api/client.ts';
import { fakeLayout, fakeLibrary } from './fake-api.ts';
import { mlStatus, person, rankedFrom, withMl } from './fake-ml.ts';
import { renderAt, sent } from './render.tsx';

beforeAll(() => fakeLayout());

const shownIds = () => screen.getAllByTestId('thumb').map((t) => t.dataset.assetId);

describe('smart search', () => {
  it('asks smartSearch for q within the filters and shows the results in rank order, without months', async () => {
    const lib = fakeLibrary(3, 10);
    const ranked = rankedFrom(lib.assets, [17, 3, 25, 0, 9]);
    withMl(lib, { ranked });
    renderAt(lib, '/search?q=dog%20on%20a%20beach&type=image');
    await waitFor(() => expect(shownIds()).toEqual(ranked.map((a) => a.id)));
    expect(sent(lib, 'smartSearch')).toEqual([{ query: { type: 'image', q: 'dog on a beach', limit: 200 } }]);
    expect(screen.queryAllByTestId('month-header')).toHaveLength(0);
    expect(sent(lib, 'getTimeBuckets')).toHaveLength(0);
    expect(screen.getByTestId('smart-caption').textContent).toMatch(/^Best matches first for “dog on a beach” · 5 results\./);
    expect((screen.getByTestId('smart-search-input') as HTMLInputElement).value).toBe('dog on a beach');

    // The viewer's next and previous follow the ranking.
    fireEvent.click(screen.getAllByTestId('thumb')[0]!);
    const viewer = await screen.findByTestId('viewer');
    await waitFor(() => expect(viewer.getAttribute('aria-label')).toBe(`Viewing ${ranked[0]!.fileName}`));
    fireEvent.keyDown(window, { key: 'ArrowRight' });
    await waitFor(() => expect(screen.getByTestId('viewer').getAttribute('aria-label')).toBe(`Viewing ${ranked[1]!.fileName}`));
  });

  it('searches what is typed in the box, with the person filter', async () => {
    const lib = fakeLibrary(2, 10);
    withMl(lib, { ranked: rankedFrom(lib.assets, [4, 1]) });
    renderAt(lib, '/search?personId=10000000-0000-4000-8000-000000000002');
    const box = await screen.findByTestId('smart-search-input');
    expect(sent(lib, 'smartSearch')).toHaveLength(0);
    fireEvent.change(box, { target: { value: '  red car ' } });
    fireEvent.submit(box.closest('form')!);
    await waitFor(() => expect(shownIds()).toHaveLength(2));
    expect(sent(lib, 'smartSearch')[0]!.query).toEqual({ personId: '10000000-0000-4000-8000-000000000002', q: 'red car', limit: 200 });
  });

  it('keeps both changes when the box is cleared and a person picked within one render', async () => {
    const lib = fakeLibrary(2, 10);
    withMl(lib, { ranked: rankedFrom(lib.assets, [4, 1]), people: [person(1, 'Ada', 3)] });
    renderAt(lib, '/search?q=red%20car');
    const box = await screen.findByTestId('smart-search-input');
    const picker = screen.getByTestId('search-person') as HTMLSelectElement;
    await waitFor(() => expect(picker.options.length).toBeGreaterThan(1));
    const personId = picker.options[1]!.value;
    act(() => {
      fireEvent.change(box, { target: { value: '' } });
      fireEvent.change(picker, { target: { value: personId } });
    });
    await waitFor(() => expect(sent(lib, 'getTimeBuckets').at(-1)?.query).toEqual({ personId }));
    expect((screen.getByTestId('smart-search-input') as HTMLInputElement).value).toBe('');
  });

  it('offers the missing CLIP models for download and shows the progress until search works', async () => {
    const lib = fakeLibrary(2, 10);
    const state = withMl(lib, { ml: mlStatus({ clip: false }), ranked: rankedFrom(lib.assets, [2, 7, 1]), step: 300_000_000 });
    renderAt(lib, '/search?q=sunset');
    const banner = await screen.findByTestId('smart-search-unavailable');
    expect(banner.textContent).toMatch(/Smart search needs its models/);
    expect(sent(lib, 'smartSearch')).toHaveLength(0);
    const button = within(banner).getByTestId('clip-download');
    expect(button.textContent!.trim()).toBe('Download (572 MB)');
    fireEvent.click(button);
    await waitFor(() => expect(sent(lib, 'downloadModel').map((i) => i.params?.id)).toEqual(['clip-vit-b32-vision', 'clip-vit-b32-text']));
    const progress = await screen.findByTestId('clip-download-progress');
    await waitFor(() => expect(Number(progress.querySelector('progress')!.getAttribute('value'))).toBeGreaterThan(500_000_000));
    expect(progress.textContent).toMatch(/^\d+ MB of 573 MB \(\d+%\)$/);
    // Once every model is here the banner goes and the search runs.
    await waitFor(() => expect(screen.queryByTestId('smart-search-unavailable')).toBeNull(), { timeout: 4000 });
    await waitFor(() => expect(shownIds()).toHaveLength(3));
    expect(state.ml.models.every((m) => m.state === 'present')).toBe(true);
  });

  it('shows a failed download in plain words with Try again', async () => {
    const lib = fakeLibrary(1, 5);
    withMl(lib, { ml: mlStatus({ clip: false }) });
    lib.routes.downloadModel = () => {
      throw new ApiError(502, 'DOWNLOAD_FAILED', 'connection reset by the mirror');
    };
    renderAt(lib, '/search');
    fireEvent.click(await screen.findByTestId('clip-download'));
    const error = await screen.findByTestId('clip-download-error');
    expect(error.textContent).toBe('The download failed (connection reset by the mirror). Check the internet connection and try again; it resumes where it stopped.');
    expect(screen.getByTestId('clip-download').textContent!.trim()).toBe('Try again');
  });

  it('believes the route over a stale status: MODEL_MISSING shows the banner and fetches the status again', async () => {
    const lib = fakeLibrary(1, 5);
    withMl(lib, { smartError: new ApiError(409, 'MODEL_MISSING', 'the CLIP text model is missing') });
    renderAt(lib, '/search?q=cat');
    await screen.findByTestId('smart-search-unavailable');
    await waitFor(() => expect(sent(lib, 'getMlStatus').length).toBeGreaterThan(1));
    expect(screen.queryByTestId('error-state')).toBeNull();
  });

  it('says when smart search is switched off, links to Settings and never asks', async () => {
    const lib = fakeLibrary(1, 5);
    withMl(lib, { ml: mlStatus({ enabled: false }) });
    renderAt(lib, '/search?q=cat');
    const off = await screen.findByTestId('smart-search-off');
    expect(off.textContent).toMatch(/Machine learning is switched off/);
    expect(within(off).getByRole('link').getAttribute('href')).toBe('/settings#machine-learning');
    expect(sent(lib, 'smartSearch')).toHaveLength(0);
  });
});
