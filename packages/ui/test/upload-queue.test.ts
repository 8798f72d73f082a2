// The upload queue as a unit, over a fake sender, a fake clock and an in-memory store: how many go
// at once, progress, duplicates, automatic retries with backoff, refusals, pause and resume, the
// 401 hold, and a queue that survives a reload.
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../src/upload/queue-store.ts';
import { UploadQueue, type Clock, type QueueOptions } from '../src/upload/upload-queue.ts';
import { statusText } from '../src/upload/upload-row.tsx';
import { UploadFailure, type SendJob, type UploadOutcome, type UploadSender } from '../src/upload/upload-types.ts';

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};

interface Call {
  job: SendJob;
  progress(sent: number): void;
  signal: AbortSignal;
  resolve(outcome: UploadOutcome): void;
  reject(error: unknown): void;
}

function fakeSender() {
  const calls: Call[] = [];
  const send: UploadSender = (job, progress, signal) =>
    new Promise<UploadOutcome>((resolve, reject) => {
      calls.push({ job, progress, signal, resolve, reject });
      signal.addEventListener('abort', () => reject(new DOMException('stopped', 'AbortError')));
    });
  const open = () => calls.filter((c) => !c.signal.aborted && !(c as { done?: boolean }).done);
  const finish = (call: Call, outcome: Partial<UploadOutcome> = {}) => {
    (call as { done?: boolean }).done = true;
    call.resolve({ status: 'created', assetId: `00000000-0000-4000-8000-${String(calls.indexOf(call)).padStart(12, '0')}`, checksum: 'c'.repeat(40), ...outcome });
  };
  const fail = (call: Call, error: unknown) => {
    (call as { done?: boolean }).done = true;
    call.reject(error);
  };
  return { send, calls, open, finish, fail };
}

function manualClock(): Clock & { advance(ms: number): void } {
  let now = 1_000_000;
  let timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      const t = { at: now + ms, fn };
      timers.push(t);
      return t;
    },
    clearTimeout: (handle) => {
      timers = timers.filter((t) => t !== handle);
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.fn();
    },
  };
}

const file = (name: string, size = 1000, type = 'image/jpeg') => new File([new Uint8Array(size)], name, { type, lastModified: 1_700_000_000_000 });

async function setup(options: Partial<QueueOptions> = {}) {
  const sender = fakeSender();
  const clock = manualClock();
  const store = memoryStore();
  const uploaded: string[] = [];
  let n = 0;
  const queue = new UploadQueue({
    store, send: sender.send, clock, concurrency: 2, maxAttempts: 3, backoff: (attempt) => attempt * 1000, newId: () => `id-${++n}`,
    onUploaded: (item) => uploaded.push(item.name), ...options,
  });
  await queue.restore();
  return { queue, sender, clock, store, uploaded };
}

const statuses = (queue: UploadQueue) => queue.getSnapshot().items.map((i) => `${i.name}:${i.status}`);

describe('upload queue', () => {
  it('sends at most `concurrency` files at once, in the order they were added', async () => {
    const { queue, sender, uploaded } = await setup();
    queue.add([file('a.jpg'), file('b.jpg'), file('c.jpg'), file('d.jpg'), file('e.jpg')]);
    await flush();
    expect(sender.open().map((c) => c.job.item.name)).toEqual(['a.jpg', 'b.jpg']);
    expect(statuses(queue)).toEqual(['a.jpg:uploading', 'b.jpg:uploading', 'c.jpg:waiting', 'd.jpg:waiting', 'e.jpg:waiting']);
    sender.finish(sender.calls[1]!);
    await flush();
    expect(sender.open().map((c) => c.job.item.name)).toEqual(['a.jpg', 'c.jpg']);
    for (let i = 0; i < 10 && sender.open().length > 0; i++) {
      for (const c of sender.open()) sender.finish(c);
      await flush();
    }
    expect(statuses(queue)).toEqual(['a.jpg:done', 'b.jpg:done', 'c.jpg:done', 'd.jpg:done', 'e.jpg:done']);
    expect(uploaded.sort()).toEqual(['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg']);
    expect(sender.calls).toHaveLength(5);
  });

  it('reports each file’s progress and the overall bytes', async () => {
    const { queue, sender } = await setup();
    queue.add([file('a.jpg', 1000), file('b.jpg', 3000)]);
    await flush();
    sender.calls[0]!.progress(500);
    sender.calls[1]!.progress(300);
    await flush();
    const snap = queue.getSnapshot();
    expect(snap.items.map((i) => i.sent)).toEqual([500, 300]);
    expect(snap.totals).toMatchObject({ files: 2, bytes: 4000, sentBytes: 800, active: 2, pending: 2 });
    expect(statusText(snap.items[0]!, snap)).toBe('Uploading 50 %');
    sender.finish(sender.calls[0]!);
    await flush();
    expect(queue.getSnapshot().totals).toMatchObject({ done: 1, sentBytes: 1300, pending: 1 });
  });

  it('marks a file the server already had as a duplicate, without counting it as new', async () => {
    const { queue, sender, uploaded } = await setup();
    queue.add([file('old.jpg')]);
    await flush();
    sender.finish(sender.calls[0]!, { status: 'duplicate' });
    await flush();
    const [item] = queue.getSnapshot().items;
    expect(item!.status).toBe('duplicate');
    expect(statusText(item!, queue.getSnapshot())).toBe('Already on the server');
    expect(uploaded).toEqual([]);
  });

  it('skips the upload when the checksum pre-check finds the file on the server', async () => {
    const checked: string[][] = [];
    const { queue, sender } = await setup({
      hash: async (blob) => (blob.size === 1000 ? 'a'.repeat(40) : 'b'.repeat(40)),
      check: async (sums) => {
        checked.push(sums);
        return new Map(sums.map((s) => [s, s.startsWith('a') ? '00000000-0000-4000-8000-0000000000aa' : null]));
      },
    });
    queue.add([file('known.jpg', 1000), file('new.jpg', 2000)]);
    await flush();
    expect(checked).toEqual([['a'.repeat(40)], ['b'.repeat(40)]]);
    expect(statuses(queue)).toEqual(['known.jpg:duplicate', 'new.jpg:uploading']);
    expect(sender.calls.map((c) => [c.job.item.name, c.job.checksum])).toEqual([['new.jpg', 'b'.repeat(40)]]);
  });

  it('uploads anyway when the pre-check itself fails', async () => {
    const { queue, sender } = await setup({
      hash: async () => 'a'.repeat(40),
      check: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    queue.add([file('a.jpg')]);
    await flush();
    expect(sender.calls).toHaveLength(1);
  });

  it('retries network errors after a growing pause, then gives up with the reason', async () => {
    const { queue, sender, clock } = await setup();
    queue.add([file('a.jpg')]);
    await flush();
    sender.fail(sender.calls[0]!, new UploadFailure('network', 'The connection to the server was lost.'));
    await flush();
    let [item] = queue.getSnapshot().items;
    expect(item).toMatchObject({ status: 'retrying', attempts: 1, retryAt: clock.now() + 1000 });
    expect(statusText(item!, queue.getSnapshot(), clock.now())).toBe('Connection problem, retrying in 1 s');
    clock.advance(999);
    await flush();
    expect(sender.calls).toHaveLength(1);
    clock.advance(1);
    await flush();
    expect(sender.calls).toHaveLength(2);
    sender.fail(sender.calls[1]!, new UploadFailure('server', 'Internal error.'));
    await flush();
    expect(queue.getSnapshot().items[0]).toMatchObject({ status: 'retrying', attempts: 2, retryAt: clock.now() + 2000 });
    clock.advance(2000);
    await flush();
    sender.fail(sender.calls[2]!, new UploadFailure('network', 'The connection to the server was lost.'));
    await flush();
    [item] = queue.getSnapshot().items;
    expect(item).toMatchObject({ status: 'failed', error: 'The connection to the server was lost. (tried 3 times)' });
    expect(statusText(item!, queue.getSnapshot())).toBe('Failed: The connection to the server was lost. (tried 3 times)');

    // A manual retry starts over with fresh tries.
    queue.retry(item!.id);
    await flush();
    expect(sender.calls).toHaveLength(4);
    sender.finish(sender.calls[3]!);
    await flush();
    expect(statuses(queue)).toEqual(['a.jpg:done']);
  });

  it('does not retry what the server refused, until asked', async () => {
    const { queue, sender, clock } = await setup();
    queue.add([file('huge.mov', 5000, 'video/quicktime'), file('b.jpg')]);
    await flush();
    sender.fail(sender.calls[0]!, new UploadFailure('rejected', 'The file is larger than the 4 GB the server accepts.', { status: 413 }));
    await flush();
    clock.advance(120_000);
    await flush();
    expect(queue.getSnapshot().items[0]).toMatchObject({ status: 'failed', error: 'The file is larger than the 4 GB the server accepts.' });
    expect(sender.calls.filter((c) => c.job.item.name === 'huge.mov')).toHaveLength(1);
    queue.retryFailed();
    await flush();
    expect(sender.calls.filter((c) => c.job.item.name === 'huge.mov')).toHaveLength(2);
  });

  it('pauses (interrupting what is in flight) and resumes', async () => {
    const { queue, sender, store } = await setup();
    queue.add([file('a.jpg'), file('b.jpg'), file('c.jpg')]);
    await flush();
    sender.calls[0]!.progress(700);
    queue.pause();
    await flush();
    expect(sender.calls.every((c) => c.signal.aborted)).toBe(true);
    expect(statuses(queue)).toEqual(['a.jpg:waiting', 'b.jpg:waiting', 'c.jpg:waiting']);
    expect(queue.getSnapshot().items[0]!.sent).toBe(0);
    expect(statusText(queue.getSnapshot().items[0]!, queue.getSnapshot())).toBe('Paused');
    expect(store.paused).toBe(true);
    queue.add([file('d.jpg')]);
    await flush();
    expect(sender.calls).toHaveLength(2);
    queue.resume();
    await flush();
    expect(sender.open().map((c) => c.job.item.name)).toEqual(['a.jpg', 'b.jpg']);
    expect(store.paused).toBe(false);
  });

  it('holds the queue on a 401 until someone signs in again', async () => {
    let unauthorized = 0;
    const { queue, sender } = await setup({ onUnauthorized: () => unauthorized++ });
    queue.add([file('a.jpg'), file('b.jpg')]);
    await flush();
    sender.fail(sender.calls[0]!, new UploadFailure('unauthorized', 'Sign in again to continue.'));
    await flush();
    expect(unauthorized).toBe(1);
    expect(queue.getSnapshot().blocked).toBe(true);
    expect(statuses(queue)).toEqual(['a.jpg:waiting', 'b.jpg:waiting']);
    expect(sender.calls[1]!.signal.aborted).toBe(true);
    expect(statusText(queue.getSnapshot().items[0]!, queue.getSnapshot())).toBe('Waiting for sign-in');
    queue.setBlocked(false);
    await flush();
    expect(sender.open()).toHaveLength(2);
  });

  it('waits for the network without using up its tries', async () => {
    let online = false;
    const { queue, sender } = await setup({ online: () => online });
    queue.add([file('a.jpg')]);
    await flush();
    sender.fail(sender.calls[0]!, new UploadFailure('network', 'The connection to the server was lost.'));
    await flush();
    expect(queue.getSnapshot().items[0]).toMatchObject({ status: 'retrying', attempts: 0 });
    expect(statusText(queue.getSnapshot().items[0]!, queue.getSnapshot())).toBe('Waiting for the network');
    online = true;
    queue.nudge();
    await flush();
    expect(sender.calls).toHaveLength(2);
  });

  it('does not queue the same file twice, and removes a file on request', async () => {
    const { queue, sender, store } = await setup({ concurrency: 1 });
    expect(queue.add([file('a.jpg'), file('b.jpg')])).toEqual({ added: 2, skipped: 0 });
    expect(queue.add([file('a.jpg'), file('c.jpg')])).toEqual({ added: 1, skipped: 1 });
    await flush();
    const [a] = queue.getSnapshot().items;
    queue.remove(a!.id);
    await flush();
    expect(sender.calls[0]!.signal.aborted).toBe(true);
    expect(statuses(queue)).toEqual(['b.jpg:uploading', 'c.jpg:waiting']);
    expect([...store.entries.values()].map((e) => e.item.name).sort()).toEqual(['b.jpg', 'c.jpg']);
  });

  it('continues after a reload where it stopped: finished files are gone, the one in flight starts again', async () => {
    const first = await setup();
    first.queue.add([file('a.jpg'), file('b.jpg'), file('c.jpg')]);
    await flush();
    first.sender.finish(first.sender.calls[0]!);
    first.sender.calls[1]!.progress(400);
    await flush();
    expect(statuses(first.queue)).toEqual(['a.jpg:done', 'b.jpg:uploading', 'c.jpg:uploading']);
    // The page goes away mid-upload.
    first.queue.dispose();
    expect([...first.store.entries.values()].map((e) => e.item.name)).toEqual(['b.jpg', 'c.jpg']);

    const sender = fakeSender();
    const queue = new UploadQueue({ store: first.store, send: sender.send, concurrency: 2, clock: manualClock() });
    await queue.restore();
    await flush();
    expect(statuses(queue)).toEqual(['b.jpg:uploading', 'c.jpg:uploading']);
    expect(queue.getSnapshot().items.map((i) => i.sent)).toEqual([0, 0]);
    const bytes = await sender.calls[0]!.job.file.arrayBuffer();
    expect(bytes.byteLength).toBe(1000);
    for (const c of sender.open()) sender.finish(c);
    await flush();
    expect(statuses(queue)).toEqual(['b.jpg:done', 'c.jpg:done']);
    expect(first.store.entries.size).toBe(0);
  });

  it('keeps a paused queue paused across a reload, and a failed file with its reason', async () => {
    const first = await setup();
    first.queue.add([file('a.jpg'), file('b.jpg')]);
    await flush();
    first.sender.fail(first.sender.calls[0]!, new UploadFailure('rejected', 'Not a photo or video.'));
    await flush();
    first.queue.pause();
    await flush();
    first.queue.dispose();

    const sender = fakeSender();
    const queue = new UploadQueue({ store: first.store, send: sender.send, clock: manualClock() });
    await queue.restore();
    await flush();
    expect(queue.getSnapshot().paused).toBe(true);
    expect(statuses(queue)).toEqual(['a.jpg:failed', 'b.jpg:waiting']);
    expect(queue.getSnapshot().items[0]!.error).toBe('Not a photo or video.');
    expect(sender.calls).toHaveLength(0);
    queue.resume();
    await flush();
    expect(sender.calls.map((c) => c.job.item.name)).toEqual(['b.jpg']);
  });

  it('says which files the store could not keep', async () => {
    const store = memoryStore();
    store.add = async () => {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    const queue = new UploadQueue({ store, send: fakeSender().send });
    await queue.restore();
    queue.add([file('a.jpg')]);
    await flush();
    expect(queue.getSnapshot().notStored).toBe(1);
  });
});
