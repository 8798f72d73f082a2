// Touch in the viewer: a swipe sideways goes to the next or previous item, a swipe down closes,
// and a short or slow drag does nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { swipeOf } from '../src/viewer/use-swipe.ts';
import { fakeLayout, fakeLibrary } from './fake-api.ts';
import { withMl } from './fake-ml.ts';
import { renderAt } from './render.tsx';

beforeAll(() => fakeLayout(390, 844));

function swipe(el: Element, from: [number, number], to: [number, number]) {
  fireEvent.touchStart(el, { touches: [{ clientX: from[0], clientY: from[1] }] });
  fireEvent.touchMove(el, { touches: [{ clientX: (from[0] + to[0]) / 2, clientY: (from[1] + to[1]) / 2 }] });
  fireEvent.touchEnd(el, { touches: [], changedTouches: [{ clientX: to[0], clientY: to[1] }] });
}

describe('swipes in the viewer', () => {
  it('reads the gesture from its direction, length and speed', () => {
    expect(swipeOf(-120, 10, 200)).toBe('next');
    expect(swipeOf(120, -20, 200)).toBe('previous');
    expect(swipeOf(5, 150, 250)).toBe('close');
    expect(swipeOf(-30, 0, 100)).toBeNull();
    expect(swipeOf(-200, 0, 2000)).toBeNull();
    expect(swipeOf(-100, 90, 200)).toBeNull();
    expect(swipeOf(0, -150, 200)).toBeNull();
  });

  it('moves to the next and previous item, and closes on a swipe down', async () => {
    const lib = fakeLibrary(1, 6);
    withMl(lib, {});
    const [, second, third] = lib.assets;
    renderAt(lib, `/?asset=${second!.id}`);
    await screen.findByRole('dialog', { name: `Viewing ${second!.fileName}` });
    const stage = document.querySelector('.viewer-stage')!;
    swipe(stage, [300, 400], [120, 410]);
    await screen.findByRole('dialog', { name: `Viewing ${third!.fileName}` });
    swipe(stage, [100, 400], [300, 390]);
    await screen.findByRole('dialog', { name: `Viewing ${second!.fileName}` });
    swipe(stage, [200, 300], [205, 500]);
    await waitFor(() => expect(screen.queryByTestId('viewer')).toBeNull());
  });
});
