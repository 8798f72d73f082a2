// Faces in the viewer over the fake API: boxes placed from their fractions on the picture as laid
// out, names on them, the P toggle, and the info panel's people with "Not this person" and
// "Move to…" (to someone new).
import { beforeAll, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { fakeLayout, fakeLibrary } from './fake-api.ts';
import { face, faceId, person, withMl } from './fake-ml.ts';
import { renderAt, sent } from './render.tsx';

beforeAll(() => fakeLayout());

function setup() {
  const lib = fakeLibrary(1, 6);
  const photo = lib.assets.find((a) => a.type === 'image')!;
  const penny = person(2, 'Penny', 12);
  const state = withMl(lib, {
    people: [penny, person(3, 'Leonard', 5)],
    faces: [
      face(1, photo.id, penny, { x: 0.25, y: 0.1, width: 0.2, height: 0.3 }),
      face(2, photo.id, null, { x: 0.6, y: 0.5, width: 0.1, height: 0.15 }),
    ],
  });
  renderAt(lib, `/?asset=${photo.id}`);
  return { lib, state, photo };
}

/** The preview "arrives": 1600 × 800, drawn contained in the 1264 × 800 stage. */
async function loadPicture(): Promise<HTMLImageElement> {
  const img = (await screen.findByTestId('viewer-image')) as HTMLImageElement;
  Object.defineProperty(img, 'naturalWidth', { configurable: true, value: 1600 });
  Object.defineProperty(img, 'naturalHeight', { configurable: true, value: 800 });
  fireEvent.load(img);
  return img;
}

describe('face boxes in the viewer', () => {
  it('places each box from its fractions on the picture, with the person’s name or Unknown', async () => {
    setup();
    await loadPicture();
    const boxes = await screen.findAllByTestId('face-box');
    expect(boxes).toHaveLength(2);
    // The layer covers the picture itself: 1264 wide, 632 high, letterboxed 84 px from the top.
    const layer = screen.getByTestId('face-layer');
    expect([layer.style.left, layer.style.top, layer.style.width, layer.style.height]).toEqual(['0px', '84px', '1264px', '632px']);
    const [a, b] = boxes as [HTMLElement, HTMLElement];
    expect([a.style.left, a.style.top, a.style.width, a.style.height]).toEqual(['25%', '10%', '20%', '30%']);
    expect([b.style.left, b.style.top, b.style.width, b.style.height]).toEqual(['60%', '50%', '10%', '15%']);
    expect(a.textContent).toBe('Penny');
    expect(b.textContent).toBe('Unknown');
    expect(b.className).toContain('is-unknown');
    // Inside the zoomed content, so zoom and pan move the boxes with the picture.
    expect(layer.closest('.zoom-content')).not.toBeNull();
  });

  it('shows and hides the boxes with the button and P; pointing at a face in the panel lights its box', async () => {
    setup();
    await loadPicture();
    await screen.findAllByTestId('face-box');
    const toggle = screen.getByTestId('viewer-faces');
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    fireEvent.keyDown(window, { key: 'p' });
    expect(screen.queryAllByTestId('face-box')).toHaveLength(0);
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    // Hidden, a face pointed at in the panel still shows its box alone.
    fireEvent.mouseEnter(screen.getAllByTestId('face-row')[1]!);
    expect(screen.getAllByTestId('face-box').map((x) => x.dataset.faceId)).toEqual([faceId(2)]);
    expect(screen.getByTestId('face-box').className).toContain('is-highlighted');
    fireEvent.click(toggle);
    expect(screen.getAllByTestId('face-box')).toHaveLength(2);
    localStorage.clear();
  });
});

describe('people in the info panel', () => {
  it('lists the faces with links to their people, and "Not this person" unassigns the face', async () => {
    const { lib } = setup();
    const rows = await screen.findAllByTestId('face-row');
    expect(rows.map((r) => within(r).getByTestId('face-person').textContent)).toEqual(['Penny', 'Unknown']);
    expect(within(rows[0]!).getByRole('link', { name: 'Penny' }).getAttribute('href')).toBe('/people/10000000-0000-4000-8000-000000000002');
    expect(within(rows[1]!).queryByTestId('face-not')).toBeNull();
    fireEvent.click(within(rows[0]!).getByRole('button', { name: 'Not Penny' }));
    await waitFor(() => expect(sent(lib, 'assignFace')).toEqual([{ params: { id: faceId(1) }, body: { personId: null } }]));
    await waitFor(() => expect(screen.getAllByTestId('face-person').map((x) => x.textContent)).toEqual(['Unknown', 'Unknown']));
  });

  it('moves a face to someone new with "Who is this?", through createPerson', async () => {
    const { lib } = setup();
    const rows = await screen.findAllByTestId('face-row');
    fireEvent.click(within(rows[1]!).getByTestId('face-move'));
    const choices = await screen.findAllByTestId('person-choice');
    expect(choices.map((c) => c.textContent)).toEqual(['Leonard5 photos', 'Penny12 photos']);
    fireEvent.change(screen.getByTestId('person-filter'), { target: { value: 'Raj' } });
    fireEvent.click(screen.getByTestId('new-person'));
    await waitFor(() => expect(sent(lib, 'createPerson')).toEqual([{ body: { faceIds: [faceId(2)], name: 'Raj' } }]));
    await waitFor(() => expect(screen.getAllByTestId('face-person').map((x) => x.textContent)).toEqual(['Penny', 'Raj']));
  });

  it('moves a face to another person picked from the list', async () => {
    const { lib, state } = setup();
    const rows = await screen.findAllByTestId('face-row');
    fireEvent.click(within(rows[0]!).getByTestId('face-move'));
    const choices = await screen.findAllByTestId('person-choice');
    // The face's own person is not offered.
    expect(choices.map((c) => c.dataset.personId)).toEqual([state.people[1]!.id]);
    fireEvent.click(choices[0]!);
    await waitFor(() => expect(sent(lib, 'assignFace')).toEqual([{ params: { id: faceId(1) }, body: { personId: state.people[1]!.id } }]));
  });
});
