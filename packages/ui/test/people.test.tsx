// People and a person's page over the fake API: the grid in order with names and counts, renaming
// in place, merging a selection, hiding, the empty state that says why, and the person page's
// grid filtered by person.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Person } from '@shoebox/core/contract';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { fakeLayout, fakeLibrary } from './fake-api.ts';
import { mlStatus, person, withMl } from './fake-ml.ts';
import { renderAt, sent } from './render.tsx';

beforeAll(() => fakeLayout());

function library() {
  const lib = fakeLibrary(2, 20);
  const state = withMl(lib, {
    people: [person(1, '', 4), person(2, 'Penny', 12, { coverFaceId: null }), person(3, 'Leonard', 7), person(4, 'Sheldon', 2, { hidden: true })],
  });
  return { lib, state };
}

const names = () => screen.getAllByTestId('person-card').map((c) => within(c).getByTestId('person-name').textContent);

describe('People page', () => {
  it('lists people most photographed first, with names, "Add a name" and counts, and hides the hidden', async () => {
    const { lib } = library();
    renderAt(lib, '/people');
    await waitFor(() => expect(screen.getAllByTestId('person-card')).toHaveLength(3));
    expect(names()).toEqual(['Penny', 'Leonard', 'Add a name']);
    expect(screen.getAllByTestId('person-count').map((c) => c.textContent)).toEqual(['12 photos', '7 photos', '4 photos']);
    expect(screen.getByTestId('people-summary').textContent).toBe('3 people · 1 hidden');
    expect(screen.getAllByTestId('person-link')[0]!.getAttribute('href')).toBe('/people/10000000-0000-4000-8000-000000000002');

    fireEvent.click(screen.getByTestId('show-hidden'));
    await waitFor(() => expect(screen.getAllByTestId('person-card')).toHaveLength(4));
    expect(sent(lib, 'listPeople').at(-1)!.query).toEqual({ withHidden: 'true' });
    expect(screen.getAllByTestId('person-card')[3]!.className).toContain('is-hidden');
  });

  it('names a person in place: the name goes to updatePerson and shows once saved', async () => {
    const { lib, state } = library();
    const unnamed = state.people[0]!;
    renderAt(lib, '/people');
    await waitFor(() => expect(names()).toContain('Add a name'));
    fireEvent.click(screen.getByRole('button', { name: 'Add a name' }));
    const input = screen.getByTestId('person-name-input');
    fireEvent.change(input, { target: { value: '  Howard  ' } });
    fireEvent.submit(input.closest('form')!);
    await waitFor(() => expect(names()).toEqual(['Penny', 'Leonard', 'Howard']));
    expect(sent(lib, 'updatePerson')).toEqual([{ params: { id: unnamed.id }, body: { name: 'Howard' } }]);
    // Enter gives the keyboard back to the name.
    expect(document.activeElement).toBe(screen.getAllByTestId('person-name')[2]);
    // Esc leaves the name as it was and sends nothing.
    fireEvent.click(screen.getByRole('button', { name: 'Penny' }));
    fireEvent.change(screen.getByTestId('person-name-input'), { target: { value: 'Not Penny' } });
    fireEvent.keyDown(screen.getByTestId('person-name-input'), { key: 'Escape' });
    expect(names()[0]).toBe('Penny');
    expect(sent(lib, 'updatePerson')).toHaveLength(1);
  });

  it('offers to merge when the new name is already someone’s', async () => {
    const { lib, state } = library();
    const [unnamed, penny] = state.people as [Person, Person];
    renderAt(lib, '/people');
    await waitFor(() => expect(names()).toContain('Add a name'));
    fireEvent.click(screen.getByRole('button', { name: 'Add a name' }));
    fireEvent.change(screen.getByTestId('person-name-input'), { target: { value: 'penny' } });
    fireEvent.submit(screen.getByTestId('person-name-input').closest('form')!);
    fireEvent.click(await screen.findByTestId('merge-namesake'));
    await waitFor(() => expect(screen.getAllByTestId('person-card')).toHaveLength(2));
    expect(sent(lib, 'mergePeople')).toEqual([{ params: { id: penny.id }, body: { ids: [unnamed.id] } }]);
    expect(sent(lib, 'updatePerson')).toHaveLength(0);
  });

  it('merges the selected people into the one chosen to keep', async () => {
    const { lib } = library();
    renderAt(lib, '/people');
    await waitFor(() => expect(screen.getAllByTestId('person-card')).toHaveLength(3));
    const checks = screen.getAllByTestId('person-select');
    fireEvent.click(checks[0]!);
    expect(screen.getByTestId('merge-people').hasAttribute('disabled')).toBe(true);
    fireEvent.click(checks[2]!);
    fireEvent.click(screen.getByTestId('merge-people'));
    // The named person is kept by default; choose the unnamed one instead.
    const keep = screen.getAllByTestId('merge-keep');
    expect(keep.map((k) => (k as HTMLInputElement).checked)).toEqual([true, false]);
    fireEvent.click(keep[1]!);
    expect(screen.getByTestId('confirm-merge').textContent).toBe('Merge into Unnamed person');
    fireEvent.click(screen.getByTestId('confirm-merge'));
    await waitFor(() => expect(screen.getAllByTestId('person-card')).toHaveLength(2));
    expect(sent(lib, 'mergePeople')).toEqual([
      { params: { id: '10000000-0000-4000-8000-000000000001' }, body: { ids: ['10000000-0000-4000-8000-000000000002'] } },
    ]);
    expect(screen.queryByTestId('people-selection')).toBeNull();
    expect(await screen.findByText(/Merged 1 person into Unnamed person/)).toBeTruthy();
    expect(screen.getAllByTestId('person-count')[0]!.textContent).toBe('16 photos');
  });

  it('re-groups faces only after a confirmation that says what is kept', async () => {
    const { lib } = library();
    renderAt(lib, '/people');
    fireEvent.click(await screen.findByTestId('regroup'));
    expect(screen.getByRole('dialog').textContent).toMatch(/People you named or hid stay as they are, and so do faces you moved by hand/);
    expect(sent(lib, 'reclusterPeople')).toHaveLength(0);
    fireEvent.click(screen.getByTestId('confirm'));
    await waitFor(() => expect(sent(lib, 'reclusterPeople')).toEqual([{ body: {} }]));
  });

  it('explains an empty page, and links to Settings when machine learning is off', async () => {
    const lib = fakeLibrary(1, 5);
    withMl(lib, { ml: mlStatus({ enabled: false }) });
    renderAt(lib, '/people');
    const empty = await screen.findByTestId('people-empty');
    await waitFor(() => expect(empty.textContent).toMatch(/Machine learning is switched off/));
    expect(within(empty).getByRole('link').getAttribute('href')).toBe('/settings#machine-learning');

    const ready = fakeLibrary(1, 5);
    withMl(ready);
    renderAt(ready, '/people');
    await waitFor(() => expect(screen.getAllByTestId('people-empty')[1]!.textContent).toMatch(/once Shoebox has processed your library/));
  });
});

describe('Person page', () => {
  it('shows the person and their photos through the grid filtered by personId', async () => {
    const { lib, state } = library();
    const penny = state.people[1]!;
    renderAt(lib, `/people/${penny.id}`);
    await waitFor(() => expect(screen.getAllByTestId('thumb').length).toBeGreaterThan(0));
    expect(screen.getByTestId('person-name').textContent).toBe('Penny');
    expect(screen.getByTestId('person-counts').textContent).toBe('12 photos · 12 faces');
    expect(sent(lib, 'getTimeBuckets').map((i) => i.query)).toContainEqual({ personId: penny.id });
    expect(sent(lib, 'getTimeBucket').every((i) => i.query?.personId === penny.id)).toBe(true);
  });

  it('merges someone picked from the list into this person after a confirmation', async () => {
    const { lib, state } = library();
    const [unnamed, penny, leonard] = state.people as [Person, Person, Person];
    renderAt(lib, `/people/${penny.id}`);
    fireEvent.click(await screen.findByTestId('merge-into'));
    const choices = await screen.findAllByTestId('person-choice');
    // Named people first by name, then the unnamed; never Penny herself.
    expect(choices.map((c) => c.dataset.personId)).toEqual([leonard.id, unnamed.id]);
    fireEvent.click(choices[0]!);
    fireEvent.click(screen.getByTestId('confirm'));
    await waitFor(() => expect(sent(lib, 'mergePeople')).toEqual([{ params: { id: penny.id }, body: { ids: [leonard.id] } }]));
    await waitFor(() => expect(screen.getByTestId('person-counts').textContent).toBe('19 photos · 19 faces'));
  });
});
