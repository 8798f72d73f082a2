// Drives the built app once its window is up, as the renderer and a user would: the page over
// shoebox://, calls over the IPC bridge (and one from a stranger), a folder added, its photos
// indexed by the utility-process workers, thumbnails and ranges over the protocol, a file dropped
// into the folder picked up by the watcher, then Quit. Every finding is a `SMOKE {json}` line on
// stdout for the test to check; the process exits with the app's exit code.
import fs from 'node:fs';
import path from 'node:path';
import { app, recorded } from './electron.fake.ts';

const LIBRARY = process.env.SMOKE_LIBRARY!;
const EXTRA = process.env.SMOKE_EXTRA!;

function report(kind: string, data: unknown): void {
  process.stdout.write(`SMOKE ${JSON.stringify({ kind, data })}\n`);
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type IpcAnswer = { ok: boolean; status?: number; data?: unknown; body?: unknown };

async function drive(): Promise<void> {
  const win = await until('the window', () => recorded.windows[0]?.url ? recorded.windows[0] : undefined, 30_000);
  const invoke = recorded.handlers.get('shoebox:invoke')!;
  const serve = recorded.protocols.get('shoebox')!;
  const trusted = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
  const call = async (key: string, input: unknown, event: unknown = trusted): Promise<IpcAnswer> =>
    (await invoke(event, { key, input })) as IpcAnswer;

  report('start', {
    privilegedBeforeReady: recorded.privilegedBeforeReady, schemes: recorded.schemes,
    url: win.url, webPreferences: win.options.webPreferences, channels: [...recorded.handlers.keys()].sort(),
  });
  const page = await serve(new Request('shoebox://app/'));
  report('page', { status: page.status, type: page.headers.get('content-type'), csp: page.headers.get('content-security-policy'), html: (await page.text()).includes('<div id="root">') });
  report('info', await call('getServerInfo', {}));
  const stranger = { sender: { ...win.webContents, id: 999 }, senderFrame: win.webContents.mainFrame };
  report('stranger', await call('getServerInfo', {}, stranger));
  report('addRoot', await call('addRoot', { body: { path: LIBRARY } }));

  const expected = fs.readdirSync(LIBRARY).length;
  const items = await until('the folder indexed', async () => {
    const answer = await call('listAssets', { query: { size: '100' } });
    const page = answer.data as { items: { id: string }[] } | undefined;
    return page && page.items.length === expected ? page.items : undefined;
  });
  const thumbnail = await until('a thumbnail', async () => {
    const res = await serve(new Request(`shoebox://app/api/assets/${items[0]!.id}/thumbnail`));
    return res.status === 200 ? res : undefined;
  });
  const original = await serve(new Request(`shoebox://app/api/assets/${items[0]!.id}/original`, { headers: { Range: 'bytes=0-9' } }));
  report('files', {
    thumbnail: { status: thumbnail.status, type: thumbnail.headers.get('content-type'), bytes: (await thumbnail.arrayBuffer()).byteLength },
    original: { status: original.status, range: original.headers.get('content-range'), bytes: (await original.arrayBuffer()).byteLength },
  });

  // A photo dropped into the folder while the app runs: the engine's watcher takes it in.
  const started = Date.now();
  fs.copyFileSync(EXTRA, path.join(LIBRARY, 'dropped-in.jpg'));
  await until('the dropped-in photo', async () => {
    const answer = await call('listAssets', { query: { size: '100' } });
    return (answer.data as { items: unknown[] }).items.length === expected + 1 ? true : undefined;
  }, 30_000);
  report('watched', { ms: Date.now() - started });

  report('workers', recorded.forks.map((f) => ({ module: f.modulePath, service: f.serviceName, alive: f.child.exitCode === null })));
  report('tray', { toolTip: recorded.trays[0]?.toolTip ?? null, progress: win.progress });
  const exited = new Promise<number>((resolve) => app.once('smoke-exit', resolve));
  app.quit();
  const code = await exited;
  const workers = await Promise.all(recorded.forks.map((f) =>
    f.child.exitCode !== null || f.child.signalCode !== null
      ? Promise.resolve(f.child.exitCode)
      : new Promise<number | null>((resolve) => f.child.once('exit', (c) => resolve(c)))));
  report('quit', { code, workers, errorBoxes: recorded.errorBoxes });
  process.exit(code);
}

drive().catch((error: unknown) => {
  report('error', { message: error instanceof Error ? (error.stack ?? error.message) : String(error), errorBoxes: recorded.errorBoxes });
  process.exit(3);
});
