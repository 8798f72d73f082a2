// The machine learning settings over the fake API: the switches send updateMlSettings and show
// the answer, face grouping is saved only when valid, and the models list their state with a
// download for the missing ones.
import { beforeAll, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { fakeLayout, fakeLibrary } from './fake-api.ts';
import { mlStatus, withMl } from './fake-ml.ts';
import { renderAt, sent } from './render.tsx';

beforeAll(() => fakeLayout());

function setup(clip = true) {
  const lib = fakeLibrary(1, 5);
  const state = withMl(lib, { ml: mlStatus({ clip }) });
  lib.routes.listRoots = () => [];
  renderAt(lib, '/settings#machine-learning');
  return { lib, state };
}

describe('machine learning settings', () => {
  it('sends each switch to updateMlSettings and shows the saved state', async () => {
    const { lib, state } = setup();
    const smart = (await screen.findByTestId('ml-smart')) as HTMLInputElement;
    expect(smart.checked).toBe(true);
    fireEvent.click(smart);
    await waitFor(() => expect(sent(lib, 'updateMlSettings')).toEqual([{ body: { smartSearch: false } }]));
    await waitFor(() => expect((screen.getByTestId('ml-smart') as HTMLInputElement).checked).toBe(false));
    expect(state.ml.settings.smartSearch).toBe(false);

    fireEvent.click(screen.getByTestId('ml-enabled'));
    await waitFor(() => expect(sent(lib, 'updateMlSettings').at(-1)).toEqual({ body: { enabled: false } }));
    // With machine learning off, its parts cannot be switched.
    await waitFor(() => expect((screen.getByTestId('ml-faces') as HTMLInputElement).disabled).toBe(true));
  });

  it('saves the face grouping only when every value is within its range', async () => {
    const { lib } = setup();
    const save = await screen.findByTestId('ml-save');
    expect(save.hasAttribute('disabled')).toBe(true);
    fireEvent.change(screen.getByTestId('ml-personMatch'), { target: { value: '0.7' } });
    fireEvent.change(screen.getByTestId('ml-minFaceSize'), { target: { value: '2' } });
    expect(save.hasAttribute('disabled')).toBe(true);
    fireEvent.change(screen.getByTestId('ml-minFaceSize'), { target: { value: '40' } });
    expect(save.hasAttribute('disabled')).toBe(false);
    fireEvent.click(save);
    await waitFor(() => expect(sent(lib, 'updateMlSettings')).toEqual([
      { body: { minFaceScore: 0.6, minFaceSize: 40, personMatch: 0.7, minFacesForPerson: 3 } },
    ]));
    await waitFor(() => expect(screen.getByTestId('ml-save').hasAttribute('disabled')).toBe(true));
  });

  it('lists the models with their state and downloads a missing one', async () => {
    const { lib } = setup(false);
    const rows = await screen.findAllByTestId('model-row');
    expect(rows.map((r) => [r.dataset.modelId, within(r).getByTestId('model-state').textContent])).toEqual([
      ['yunet', 'Ready'], ['mobilefacenet', 'Ready'], ['clip-vit-b32-vision', 'Not downloaded'], ['clip-vit-b32-text', 'Not downloaded'],
      ['clip-tokenizer', 'Ready'],
    ]);
    expect(screen.getByTestId('models-dir').textContent).toBe('/data/models');
    expect(within(rows[0]!).queryByTestId('model-download')).toBeNull();
    fireEvent.click(within(rows[3]!).getByTestId('model-download'));
    await waitFor(() => expect(sent(lib, 'downloadModel')).toEqual([{ params: { id: 'clip-vit-b32-text' } }]));
    await waitFor(() => expect(within(screen.getAllByTestId('model-row')[3]!).getByTestId('model-download-progress')).toBeTruthy());
  });
});
