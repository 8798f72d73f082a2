// Similar photos over the fake API: the viewer's button leads to #/similar/:id, which shows the
// photo it started from and the ranked results; a photo not analysed yet is explained, not failed.
import { beforeAll, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ApiError } from '../src/api/client.ts';
import { fakeLayout, fakeLibrary } from './fake-api.ts';
import { rankedFrom, withMl } from './fake-ml.ts';
import { renderAt, sent } from './render.tsx';

beforeAll(() => fakeLayout());

describe('similar photos', () => {
  it('opens from the viewer and shows the source photo above the closest matches, in order', async () => {
    const lib = fakeLibrary(2, 10);
    const source = lib.assets[1]!;
    const ranked = rankedFrom(lib.assets, [8, 2, 14]);
    withMl(lib, { ranked });
    renderAt(lib, `/?asset=${source.id}`);
    fireEvent.click(await screen.findByTestId('viewer-similar'));
    const header = await screen.findByTestId('similar-source');
    expect(header.textContent).toMatch(new RegExp(`Looks like ${source.fileName}`));
    await waitFor(() => expect(screen.getAllByTestId('thumb').map((t) => t.dataset.assetId)).toEqual(ranked.map((a) => a.id)));
    expect(sent(lib, 'getSimilarAssets')).toEqual([{ params: { id: source.id }, query: { limit: 200 } }]);
    expect(screen.queryByTestId('viewer')).toBeNull();
  });

  it('explains a photo smart search has not analysed yet, with Try again', async () => {
    const lib = fakeLibrary(1, 5);
    withMl(lib);
    lib.routes.getSimilarAssets = () => {
      throw new ApiError(409, 'EMBEDDING_NOT_READY', 'this asset has not been through smart search yet');
    };
    renderAt(lib, `/similar/${lib.assets[0]!.id}`);
    const note = await screen.findByTestId('similar-not-ready');
    expect(note.textContent).toMatch(/This photo has not been analysed yet/);
    expect(screen.queryByTestId('error-state')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(sent(lib, 'getSimilarAssets').length).toBe(2));
  });
});
