// The jobs page reads well for the machine learning lane: what the lane does, its jobs' names in
// the failures, and a note when machine learning is switched off.
import { beforeAll, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { fakeLayout, fakeLibrary } from './fake-api.ts';
import { mlStatus, withMl } from './fake-ml.ts';
import { renderAt } from './render.tsx';

beforeAll(() => fakeLayout());

describe('jobs page, machine learning lane', () => {
  it('names the lane and its jobs in words, and says when machine learning is off', async () => {
    const lib = fakeLibrary(1, 5);
    withMl(lib, { ml: mlStatus({ enabled: false }) });
    lib.routes.getJobsStatus = () => ({
      lanes: [{ lane: 'ml', queued: 3, running: 1, done: 10, failed: 2, paused: false, perMinute: 12 }],
      recentFailures: [
        { jobId: 1, name: 'cluster', lane: 'ml', assetId: null, path: null, error: 'no embeddings', attempts: 3, finishedAt: '2024-06-01T10:00:00.000Z' },
        { jobId: 2, name: 'clip', lane: 'ml', assetId: lib.assets[0]!.id, path: '/p/a.jpg', error: 'bad preview', attempts: 1, finishedAt: '2024-06-01T10:00:00.000Z' },
      ],
    });
    renderAt(lib, '/jobs');
    const lane = await screen.findByRole('row', { name: /Faces and smart search/ });
    expect(lane.textContent).toMatch(/Finding faces, grouping them into people, analysing photos for smart search/);
    await waitFor(() => expect(within(lane).getByRole('link', { name: 'switched off' }).getAttribute('href')).toBe('/settings#machine-learning'));
    const failures = screen.getByTestId('failures').textContent!;
    expect(failures).toMatch(/Grouping faces into people.*no embeddings/);
    expect(failures).toMatch(/Analysing for smart search · 1 attempt/);
  });
});
