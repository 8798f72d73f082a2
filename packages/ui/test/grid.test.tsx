// The grid in jsdom: sized from the month counts, only a screenful of thumbnails in the DOM at any
// library size, scrolling and the scrubber bring in the right months, and a failed request shows
// a plain message with a retry instead of a blank page.
import { beforeAll, describe, expect, it } from 'vitest';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import { ApiProvider } from '../src/api/api-context.tsx';
import { createQueryClient } from '../src/app/app.tsx';
import { ToastProvider } from '../src/components/toast.tsx';
import { PhotosPage, FavoritesPage } from '../src/pages/library-pages.tsx';
import { fakeLayout, fakeLibrary, type FakeLibrary } from './fake-api.ts';

beforeAll(() => fakeLayout());

function renderPage(lib: FakeLibrary, page = <PhotosPage />) {
  return render(
    <ApiProvider client={lib.client}>
      <QueryClientProvider client={createQueryClient()}>
        <ToastProvider>
          <MemoryRouter>
            <Routes><Route path="*" element={page} /></Routes>
          </MemoryRouter>
        </ToastProvider>
      </QueryClientProvider>
    </ApiProvider>,
  );
}

describe('TimelineGrid', () => {
  it('keeps only a screenful of a 60,000-asset library in the DOM', async () => {
    const lib = fakeLibrary(120, 500);
    renderPage(lib);
    await waitFor(() => expect(screen.getAllByTestId('thumb').length).toBeGreaterThan(10));
    const thumbs = screen.getAllByTestId('thumb').length;
    expect(thumbs).toBeLessThan(200);
    // The scrubber knows every month before they load; only the months in view were fetched.
    expect(screen.getAllByTestId('scrubber-month')).toHaveLength(120);
    expect(lib.calls.filter((c) => c === 'getTimeBucket').length).toBeLessThanOrEqual(3);
    expect(screen.getAllByTestId('month-header')[0]!.textContent).toMatch(/^December 2024/);
  });

  it('brings in the month the scrubber points at', async () => {
    const lib = fakeLibrary(120, 50);
    renderPage(lib);
    await waitFor(() => expect(screen.getAllByTestId('thumb').length).toBeGreaterThan(0));
    const target = screen.getAllByTestId('scrubber-month').find((el) => el.dataset.month === '2019-06-01')!;
    const top = Number.parseFloat(target.style.top);
    const scroller = screen.getByTestId('timeline-scroller');
    const scrubber = screen.getByTestId('scrubber');
    // Pointer at the month's slice (the track starts 8 px down).
    scrubber.setPointerCapture = () => {};
    fireEvent.pointerDown(scrubber, { clientY: top + 8 + 0.5, pointerId: 1 });
    fireEvent.pointerUp(scrubber, { pointerId: 1 });
    await act(async () => {
      fireEvent.scroll(scroller);
    });
    await waitFor(() => {
      const months = screen.getAllByTestId('month').map((m) => m.dataset.month);
      expect(months).toContain('2019-06-01');
    });
    await waitFor(() => expect(lib.calls.filter((c) => c === 'getTimeBucket').length).toBeGreaterThan(1));
  });

  it('shows a failed request in plain words and recovers on retry', async () => {
    const lib = fakeLibrary(3, 10);
    lib.fail.add('getTimeBuckets');
    renderPage(lib, <FavoritesPage />);
    const alert = await screen.findByTestId('error-state', {}, { timeout: 5000 });
    expect(alert.textContent).toMatch(/internal problem \(the disk is on fire\)/);
    lib.fail.clear();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getAllByTestId('thumb').length).toBeGreaterThan(0));
    // Favourites only: the fake marks every 7th asset.
    expect(screen.queryByTestId('error-state')).toBeNull();
  });

  it('selects with click, a range with shift-click, and a whole day', async () => {
    const lib = fakeLibrary(2, 300);
    renderPage(lib);
    await waitFor(() => expect(screen.getAllByTestId('thumb').length).toBeGreaterThan(8));
    const checks = screen.getAllByTestId('thumb-select');
    fireEvent.click(checks[1]!);
    expect(screen.getByTestId('selection-count').textContent).toBe('1 selected');
    fireEvent.click(checks[5]!, { shiftKey: true });
    expect(screen.getByTestId('selection-count').textContent).toBe('5 selected');
    // While selecting, a click on a thumbnail toggles it instead of opening the viewer.
    fireEvent.click(screen.getAllByTestId('thumb')[1]!);
    expect(screen.getByTestId('selection-count').textContent).toBe('4 selected');
    fireEvent.click(screen.getByRole('button', { name: 'Clear selection (Esc)' }));
    expect(screen.queryByTestId('selection-bar')).toBeNull();
    const day = screen.getAllByTestId('day-select')[0]!;
    fireEvent.click(day);
    expect(day.getAttribute('aria-checked')).toBe('true');
    expect(Number(screen.getByTestId('selection-count').textContent!.split(' ')[0])).toBeGreaterThan(0);
  });
});
