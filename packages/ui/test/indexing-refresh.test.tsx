// In a browser (shoebox serve) the grid keeps up with the library without main's reports: when the
// polled jobs status moves on (the watcher took in a file, its jobs ran), the grid is read again;
// while nothing changes, it is not.
import { beforeAll, describe, expect, it } from 'vitest';
import { configure, screen, waitFor } from '@testing-library/react';
import { fakeLayout, fakeLibrary } from './fake-api.ts';
import { renderApp } from './render.tsx';

beforeAll(() => {
  fakeLayout();
  configure({ asyncUtilTimeout: 5000 });
});

function lanes(done: number) {
  return {
    lanes: [{ lane: 'io' as const, queued: 0, running: 0, done, failed: 0, paused: false, perMinute: 0 }],
    recentFailures: [],
  };
}

describe('the grid in a browser', () => {
  it('is read again when the jobs status moves on, and not while it stands still', async () => {
    const lib = fakeLibrary(1, 6);
    let done = 10;
    lib.routes.getJobsStatus = () => lanes(done);
    lib.routes.getServerInfo = () => ({
      name: 'shoebox', version: '1.0.0', mode: 'headless', apiVersion: 1, assets: { image: 6, video: 0, failed: 0, offline: 0 }, roots: 1, startedAt: '2024-01-01T00:00:00Z',
    });
    renderApp(lib, '/');
    await waitFor(() => expect(screen.getAllByTestId('thumb').length).toBe(6));
    const buckets = () => lib.calls.filter((c) => c === 'getTimeBuckets').length;
    const polls = () => lib.calls.filter((c) => c === 'getJobsStatus').length;
    // Two polls with nothing new: no refresh.
    const before = buckets();
    const polled = polls();
    await waitFor(() => expect(polls()).toBeGreaterThanOrEqual(polled + 2), { timeout: 10_000 });
    expect(buckets()).toBe(before);
    // A file was taken in and its jobs ran.
    done = 12;
    await waitFor(() => expect(buckets()).toBe(before + 1), { timeout: 10_000 });
  }, 30_000);
});
