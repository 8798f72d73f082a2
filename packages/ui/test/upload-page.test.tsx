// The upload page over a queue with a fake sender: the file input labelled "Choose photos" takes
// many files, each row shows its name and its status in words, the summary adds them up, failures
// show the server's reason with a retry, and finished uploads refresh the timeline.
import { beforeAll, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { memoryStore } from '../src/upload/queue-store.ts';
import { UploadQueue } from '../src/upload/upload-queue.ts';
import { UploadFailure, type SendJob, type UploadOutcome } from '../src/upload/upload-types.ts';
import type { QueueFactory } from '../src/upload/upload-context.tsx';
import { fakeLayout, fakeLibrary } from './fake-api.ts';
import { ADMIN, fakeServer } from './fake-server.ts';
import { renderApp } from './render.tsx';

beforeAll(() => fakeLayout());

interface Pending {
  job: SendJob;
  progress(n: number): void;
  resolve(o: UploadOutcome): void;
  reject(e: unknown): void;
}

function fakeQueue() {
  const pending: Pending[] = [];
  const store = memoryStore();
  const factory: QueueFactory = async (_owner, hooks) =>
    new UploadQueue({
      store,
      concurrency: 2,
      ...hooks,
      send: (job, progress, signal) =>
        new Promise((resolve, reject) => {
          pending.push({ job, progress, resolve, reject });
          signal.addEventListener('abort', () => reject(new DOMException('stopped', 'AbortError')));
        }),
    });
  const take = (name: string) => {
    const i = pending.findIndex((p) => p.job.item.name === name);
    if (i < 0) throw new Error(`${name} is not being sent`);
    return pending.splice(i, 1)[0]!;
  };
  return { factory, pending, take, store };
}

const photo = (name: string, size = 2000) => new File([new Uint8Array(size)], name, { type: 'image/jpeg', lastModified: 1_700_000_000_000 });
const rowOf = (name: string) => screen.getAllByTestId('upload-row').find((r) => within(r).getByTestId('upload-name').textContent === name)!;
const statusOf = (name: string) => within(rowOf(name)).getByTestId('upload-status').textContent;

async function openUpload() {
  const server = fakeServer({ signedInAs: ADMIN });
  const queue = fakeQueue();
  renderApp(server, '/upload', queue.factory);
  const input = (await screen.findByLabelText('Choose photos')) as HTMLInputElement;
  await waitFor(() => expect(input.disabled).toBe(false));
  return { server, queue, input };
}

describe('upload page', () => {
  it('takes many photos and videos at once from a file input labelled "Choose photos"', async () => {
    const { input } = await openUpload();
    expect(input.multiple).toBe(true);
    expect(input.accept).toBe('image/*,video/*');
    expect(input.type).toBe('file');
  });

  it('shows each file with its status and progress, two at a time, and the overall progress', async () => {
    const { queue, input } = await openUpload();
    await userEvent.upload(input, [photo('IMG_1.JPG'), photo('IMG_2.JPG'), photo('IMG_3.JPG'), photo('IMG_4.JPG')]);
    await waitFor(() => expect(screen.getAllByTestId('upload-row')).toHaveLength(4));
    await waitFor(() => expect(statusOf('IMG_1.JPG')).toBe('Uploading 0 %'));
    expect(statusOf('IMG_2.JPG')).toBe('Uploading 0 %');
    expect(statusOf('IMG_3.JPG')).toBe('Waiting');

    queue.pending.find((p) => p.job.item.name === 'IMG_1.JPG')!.progress(1000);
    await waitFor(() => expect(statusOf('IMG_1.JPG')).toBe('Uploading 50 %'));
    expect(within(rowOf('IMG_1.JPG')).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');

    queue.take('IMG_1.JPG').resolve({ status: 'created', assetId: '00000000-0000-4000-8000-000000000abc', checksum: 'a'.repeat(40) });
    queue.take('IMG_2.JPG').resolve({ status: 'duplicate', assetId: '00000000-0000-4000-8000-000000000abd', checksum: 'b'.repeat(40) });
    await waitFor(() => expect(statusOf('IMG_1.JPG')).toBe('Uploaded'));
    expect(statusOf('IMG_2.JPG')).toBe('Already on the server');
    await waitFor(() => expect(statusOf('IMG_3.JPG')).toBe('Uploading 0 %'));
    expect(screen.getByTestId('upload-headline').textContent).toBe('Uploading: 2 of 4 done');
    expect(screen.getByTestId('upload-totals').textContent).toBe('1 uploaded · 1 already on the server · 3.9\u00a0KB of 7.8\u00a0KB');
    expect(screen.getByRole('progressbar', { name: 'Overall progress' }).getAttribute('aria-valuenow')).toBe('50');
  });

  it('refreshes the timeline once new photos have arrived', async () => {
    const server = fakeServer({ signedInAs: ADMIN });
    const queue = fakeQueue();
    renderApp(server, '/', queue.factory);
    await screen.findAllByTestId('thumb');
    const buckets = () => server.calls.filter((c) => c === 'getTimeBuckets').length;
    const before = buckets();
    fireEvent.click(screen.getByTestId('tab-upload'));
    const input = (await screen.findByLabelText('Choose photos')) as HTMLInputElement;
    await waitFor(() => expect(input.disabled).toBe(false));
    await userEvent.upload(input, [photo('new.jpg')]);
    await waitFor(() => expect(queue.pending).toHaveLength(1));
    queue.take('new.jpg').resolve({ status: 'created', assetId: '00000000-0000-4000-8000-000000000abc', checksum: 'a'.repeat(40) });
    await waitFor(() => expect(statusOf('new.jpg')).toBe('Uploaded'));
    // The refresh waits a moment for more uploads to finish, then marks the timeline stale.
    await new Promise((r) => setTimeout(r, 1700));
    fireEvent.click(screen.getByTestId('tab-photos'));
    await waitFor(() => expect(buckets()).toBeGreaterThan(before));
  });

  it('shows the server’s reason for a failure, and retries on request', async () => {
    const { queue, input } = await openUpload();
    await userEvent.upload(input, [photo('huge.jpg')]);
    await waitFor(() => expect(queue.pending).toHaveLength(1));
    queue.take('huge.jpg').reject(new UploadFailure('rejected', 'The file is larger than 10 GiB.', { status: 413 }));
    await waitFor(() => expect(statusOf('huge.jpg')).toBe('Failed: The file is larger than 10 GiB.'));
    expect(screen.getByTestId('upload-headline').textContent).toBe('0 files of 1 uploaded, 1 failed');
    expect(within(screen.getByTestId('nav-upload')).getByLabelText('1 upload failed').textContent).toBe('!');
    fireEvent.click(within(rowOf('huge.jpg')).getByRole('button', { name: 'Retry huge.jpg' }));
    await waitFor(() => expect(statusOf('huge.jpg')).toBe('Uploading 0 %'));
    expect(queue.pending).toHaveLength(1);
  });

  it('pauses and resumes', async () => {
    const { queue, input } = await openUpload();
    await userEvent.upload(input, [photo('a.jpg'), photo('b.jpg'), photo('c.jpg')]);
    await waitFor(() => expect(queue.pending).toHaveLength(2));
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(statusOf('a.jpg')).toBe('Paused'));
    expect(statusOf('c.jpg')).toBe('Paused');
    expect(screen.getByTestId('upload-headline').textContent).toBe('Paused: 0 of 3 uploaded');
    queue.pending.length = 0;
    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(statusOf('a.jpg')).toBe('Uploading 0 %'));
    expect(queue.pending.map((p) => p.job.item.name)).toEqual(['a.jpg', 'b.jpg']);
  });

  it('takes dropped files, leaving out what is not a photo or video', async () => {
    await openUpload();
    const notes = new File(['hello'], 'notes.txt', { type: 'text/plain' });
    fireEvent.drop(screen.getByTestId('drop-zone'), { dataTransfer: { files: [photo('drop.jpg'), notes], types: ['Files'] } });
    await waitFor(() => expect(screen.getAllByTestId('upload-row')).toHaveLength(1));
    expect(rowOf('drop.jpg')).toBeTruthy();
    expect(await screen.findByText(/skipped 1 file that is not a photo or video/)).toBeTruthy();
  });

  it('keeps going while the person browses, and shows the count on the Upload tab', async () => {
    const { queue, input } = await openUpload();
    await userEvent.upload(input, [photo('a.jpg'), photo('b.jpg'), photo('c.jpg')]);
    await waitFor(() => expect(queue.pending).toHaveLength(2));
    fireEvent.click(screen.getByTestId('tab-photos'));
    await screen.findByRole('heading', { name: 'Photos' });
    expect(within(screen.getByTestId('tab-upload')).getByLabelText('3 uploads to go')).toBeTruthy();
    queue.take('a.jpg').resolve({ status: 'created', assetId: '00000000-0000-4000-8000-000000000abc', checksum: 'a'.repeat(40) });
    await waitFor(() => expect(within(screen.getByTestId('tab-upload')).getByLabelText('2 uploads to go')).toBeTruthy());
    fireEvent.click(screen.getByTestId('tab-upload'));
    await waitFor(() => expect(statusOf('a.jpg')).toBe('Uploaded'));
  });

  it('explains that uploading is for the server in desktop mode', async () => {
    const lib = fakeLibrary(1, 3);
    lib.routes.getServerInfo = () => ({
      name: 'shoebox', version: '1.0.0', mode: 'desktop', apiVersion: 1, assets: { image: 3, video: 0, failed: 0, offline: 0 }, roots: 1, startedAt: '2024-01-01T00:00:00Z',
    });
    renderApp(lib, '/upload');
    expect(await screen.findByText('Uploading is for the Shoebox server')).toBeTruthy();
    expect(screen.queryByLabelText('Choose photos')).toBeNull();
  });
});
