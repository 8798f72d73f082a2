// Upload benchmarks: large files over loopback against a bare Node HTTP server that streams the
// same bytes to disk (same run, same client, so the figure is a ratio), and 200 concurrent small
// uploads on PGlite and on Postgres (uploads per second, latency percentiles).
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { CORPUS, freePort, freshPostgres, startServer } from './server-process.ts';

const MiB = 1024 * 1024;

interface Sent {
  status: number;
  ms: number;
  body: string;
}

/** Streams `head` + the file at `filePath` as one multipart `file` part; nothing is buffered. */
function postMultipart(url: string, token: string | null, head: Buffer, filePath: string | null, fileName: string, agent: http.Agent): Promise<Sent> {
  const boundary = `----shoebox-bench-${crypto.randomBytes(8).toString('hex')}`;
  const preamble = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const epilogue = Buffer.from(`\r\n--${boundary}--\r\n`);
  const fileBytes = filePath ? fs.statSync(filePath).size : 0;
  const length = preamble.length + head.length + fileBytes + epilogue.length;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': length };
    if (token) headers.authorization = `Bearer ${token}`;
    const req = http.request(url, { method: 'POST', headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body }));
    });
    req.on('error', reject);
    req.write(preamble);
    req.write(head);
    const finish = (): void => {
      req.end(epilogue);
    };
    if (!filePath) return finish();
    const stream = fs.createReadStream(filePath, { highWaterMark: MiB });
    stream.on('error', reject);
    stream.on('end', finish);
    stream.pipe(req, { end: false });
  });
}

/** A bare Node HTTP server in its own process that streams each request body to a new file. */
async function startBareServer(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const script = `
    const http = require('node:http'); const fs = require('node:fs'); const path = require('node:path');
    let n = 0;
    http.createServer((req, res) => {
      const out = fs.createWriteStream(path.join(${JSON.stringify(dir)}, 'bare-' + (n++)));
      req.pipe(out);
      out.on('finish', () => { res.setHeader('content-type', 'application/json'); res.end('{}'); });
    }).listen(${port}, '127.0.0.1', () => console.log('ready'));
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return { url: `http://127.0.0.1:${port}/`, child };
}

/** An MP4 header (ftyp + mdat) with a unique brand, so every upload is new bytes to the server. */
function mp4Head(payloadBytes: number): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypisom', 4, 'latin1');
  ftyp.writeUInt32BE(0x200, 12);
  ftyp.write('isom', 16, 'latin1');
  crypto.randomBytes(4).copy(ftyp, 20);
  const mdat = Buffer.alloc(8);
  mdat.writeUInt32BE(payloadBytes + 8, 0);
  mdat.write('mdat', 4, 'latin1');
  return Buffer.concat([ftyp, mdat]);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

const median = (xs: number[]): number => percentile([...xs].sort((a, b) => a - b), 50);

/** Trashes and deletes an upload (as the bare server's file is removed): disk use stays flat. */
async function discard(url: string, token: string, body: string): Promise<void> {
  const { id } = JSON.parse(body) as { id: string };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  await fetch(`${url}/api/assets/${id}`, { method: 'PATCH', headers, body: JSON.stringify({ trashed: true }) });
  const res = await fetch(`${url}/api/trash/empty`, { method: 'POST', headers, body: JSON.stringify({ ids: [id], deleteFiles: true, confirm: 'delete files' }) });
  if (!res.ok) throw new Error(`emptying the trash answered ${res.status}: ${await res.text()}`);
}

/** Waits until the server's job queue is idle: each timed upload meets a quiet server. */
async function settle(url: string, token: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const res = await fetch(`${url}/api/jobs?failures=0`, { headers: { authorization: `Bearer ${token}` } });
    const status = (await res.json()) as { lanes: { queued: number; running: number }[] };
    if (status.lanes.every((l) => l.queued === 0 && l.running === 0)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Where the large-file runs write (both servers alike): BENCH_DIR, else memory (/dev/shm) when the
 * machine has it, so the figure measures the upload path and not the disk's writeback, which made
 * single rounds swing by a factor of two on this machine.
 */
function largeFilesDir(): string {
  if (process.env.BENCH_DIR) return process.env.BENCH_DIR;
  return fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
}

async function largeFiles(tmp: string): Promise<Record<string, unknown>> {
  const base = largeFilesDir();
  const sizeMiB = Number(process.env.BENCH_UPLOAD_MIB ?? 256);
  const rounds = Number(process.env.BENCH_UPLOAD_ROUNDS ?? 9);
  const payload = path.join(tmp, 'payload.bin');
  const chunk = crypto.randomBytes(4 * MiB);
  const fd = fs.openSync(payload, 'w');
  for (let written = 0; written < sizeMiB * MiB; written += chunk.length) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  const bytes = fs.statSync(payload).size;
  const bareDir = fs.mkdtempSync(path.join(base, 'shoebox-bare-'));
  const bare = await startBareServer(bareDir);
  const server = await startServer({ env: { SHOEBOX_UPLOAD_MAX_BYTES: String(4 * bytes) }, baseDir: base });
  const agent = new http.Agent({ keepAlive: true });
  const ours: number[] = [];
  const reference: number[] = [];
  try {
    // Warm both paths once (JIT, first-file costs), then alternate so noise hits both alike.
    await postMultipart(bare.url, null, mp4Head(bytes), payload, 'warm.mp4', agent);
    await postMultipart(`${server.url}/api/assets/upload`, server.token, mp4Head(bytes), payload, 'warm.mp4', agent);
    for (let i = 0; i < rounds; i++) {
      await settle(server.url, server.token);
      const b = await postMultipart(bare.url, null, mp4Head(bytes), payload, `big-${i}.mp4`, agent);
      if (b.status !== 200) throw new Error(`bare server answered ${b.status}`);
      reference.push(bytes / MiB / (b.ms / 1000));
      for (const f of fs.readdirSync(bareDir)) fs.rmSync(path.join(bareDir, f));
      await settle(server.url, server.token);
      const o = await postMultipart(`${server.url}/api/assets/upload`, server.token, mp4Head(bytes), payload, `big-${i}.mp4`, agent);
      if (o.status !== 201) throw new Error(`upload answered ${o.status}: ${o.body}`);
      ours.push(bytes / MiB / (o.ms / 1000));
      await settle(server.url, server.token);
      await discard(server.url, server.token, o.body);
    }
  } finally {
    agent.destroy();
    bare.child.kill();
    await server.stop();
    fs.rmSync(bareDir, { recursive: true, force: true });
  }
  const oursMiBs = median(ours);
  const bareMiBs = median(reference);
  // Each round's pair ran back to back on the same machine state: the median of their ratios.
  const pairRatios = ours.map((o, i) => o / reference[i]!);
  return {
    fileMiB: sizeMiB,
    rounds,
    writtenTo: base,
    shoeboxMiBPerS: round(oursMiBs),
    bareNodeMiBPerS: round(bareMiBs),
    ratio: round(median(pairRatios), 2),
    ratioOfMedians: round(oursMiBs / bareMiBs, 2),
    target: 0.8,
    runs: { shoebox: ours.map((x) => round(x)), bare: reference.map((x) => round(x)) },
  };
}

/** Small real JPEGs from the corpus, each made unique by bytes appended after its end marker. */
function smallJpegs(count: number): Buffer[] {
  const candidates = fs
    .readdirSync(path.join(CORPUS), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.jpe?g$/i.test(d.name))
    .map((d) => path.join(d.parentPath, d.name))
    .map((p) => ({ p, size: fs.statSync(p).size }))
    .filter((f) => f.size > 20_000 && f.size < 400_000)
    .sort((a, b) => a.size - b.size);
  if (candidates.length === 0) throw new Error(`no small JPEGs in ${CORPUS}`);
  return Array.from({ length: count }, (_v, i) => {
    const base = fs.readFileSync(candidates[i % candidates.length]!.p);
    return Buffer.concat([base, Buffer.from(`shoebox-bench-${i}-${crypto.randomUUID()}`)]);
  });
}

async function concurrentSmall(databaseUrl: string | undefined): Promise<Record<string, unknown>> {
  const count = Number(process.env.BENCH_UPLOAD_CONCURRENT ?? 200);
  const files = smallJpegs(count);
  const server = await startServer(databaseUrl ? { databaseUrl } : {});
  const agent = new http.Agent({ keepAlive: true, maxSockets: count });
  try {
    const started = performance.now();
    const results = await Promise.all(
      files.map((head, i) => postMultipart(`${server.url}/api/assets/upload`, server.token, head, null, `small-${i}.jpg`, agent)),
    );
    const wallMs = performance.now() - started;
    const ok = results.filter((r) => r.status === 201).length;
    const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
    const failures = results.filter((r) => r.status !== 201).slice(0, 3).map((r) => `${r.status} ${r.body.slice(0, 200)}`);
    return {
      uploads: count,
      succeeded: ok,
      allSucceeded: ok === count,
      uploadsPerS: round(count / (wallMs / 1000)),
      wallMs: Math.round(wallMs),
      p50Ms: Math.round(percentile(latencies, 50)),
      p95Ms: Math.round(percentile(latencies, 95)),
      maxMs: Math.round(latencies.at(-1) ?? NaN),
      ...(failures.length ? { failures } : {}),
    };
  } finally {
    agent.destroy();
    await server.stop();
  }
}

export async function uploadBench(): Promise<Record<string, unknown>> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-upload-bench-'));
  try {
    const large = await largeFiles(tmp);
    const pglite = await concurrentSmall(undefined);
    const db = await freshPostgres('shoebox_bench');
    let postgres: Record<string, unknown>;
    try {
      postgres = await concurrentSmall(db.url);
    } finally {
      await db.drop();
    }
    return { largeFiles: large, concurrentSmall: { pglite, postgres } };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
