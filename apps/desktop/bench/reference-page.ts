// The browser benchmark's reference: a bare node:http server and a static page with the same
// first screenful of thumbnails as plain <img> tags in its HTML, in a grid as long as the
// library's that a dozen lines of script virtualise. What Chromium does with next to no app.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReferencePage {
  url: string;
  /** Waits for this before scrolling: the grid's script has run. */
  readySelector: string;
  close(): Promise<void>;
}

export interface ReferenceOptions {
  /** Thumbnail bytes (webp) of the first assets, newest first; cell i shows thumbnails[i % n]. */
  thumbnails: Buffer[];
  /** How many cells the grid has in all (the library's asset count). */
  total: number;
  cell: number;
  gap: number;
  viewportWidth: number;
  viewportHeight: number;
}

function page(o: ReferenceOptions): string {
  const columns = Math.max(1, Math.floor((o.viewportWidth + o.gap) / (o.cell + o.gap)));
  const rows = Math.ceil(o.total / columns);
  const rowHeight = o.cell + o.gap;
  const firstRows = Math.min(rows, Math.ceil(o.viewportHeight / rowHeight) + 1);
  const row = (r: number): string => {
    const cells: string[] = [];
    for (let c = 0; c < columns && r * columns + c < o.total; c++) {
      cells.push(`<img src="/t/${r * columns + c}.webp" elementtiming="thumbnail" width="${o.cell}" height="${o.cell}" alt="">`);
    }
    return `<div class="row" data-row="${r}" style="top:${r * rowHeight}px">${cells.join('')}</div>`;
  };
  const first = Array.from({ length: firstRows }, (_, r) => row(r)).join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Reference</title>
<style>
html, body { margin: 0; height: 100%; background: #111418; }
#s { height: 100vh; overflow-y: auto; }
#h { position: relative; height: ${rows * rowHeight}px; }
.row { position: absolute; left: 0; display: flex; gap: ${o.gap}px; }
img { width: ${o.cell}px; height: ${o.cell}px; object-fit: cover; background: #222; }
</style></head>
<body><div id="s" data-testid="timeline-scroller"><div id="h">
${first}
</div></div>
<script>
// A minimal virtual grid: only the rows near the viewport exist, rebuilt on scroll.
const s = document.getElementById('s'), h = document.getElementById('h');
const total = ${o.total}, columns = ${columns}, rows = ${rows}, rowHeight = ${rowHeight}, cell = ${o.cell}, overscan = 2;
const live = new Map([...h.children].map((el) => [Number(el.dataset.row), el]));
function makeRow(r) {
  const el = document.createElement('div');
  el.className = 'row';
  el.style.top = r * rowHeight + 'px';
  for (let c = 0; c < columns && r * columns + c < total; c++) {
    const img = document.createElement('img');
    img.src = '/t/' + (r * columns + c) + '.webp';
    img.width = img.height = cell;
    img.alt = '';
    img.setAttribute('elementtiming', 'thumbnail');
    el.append(img);
  }
  return el;
}
function render() {
  const first = Math.max(0, Math.floor(s.scrollTop / rowHeight) - overscan);
  const last = Math.min(rows - 1, Math.ceil((s.scrollTop + s.clientHeight) / rowHeight) + overscan);
  for (const [r, el] of live) if (r < first || r > last) { el.remove(); live.delete(r); }
  for (let r = first; r <= last; r++) if (!live.has(r)) { const el = makeRow(r); h.append(el); live.set(r, el); }
}
s.addEventListener('scroll', render, { passive: true });
render();
s.dataset.complete = 'true';
</script></body></html>`;
}

export async function startReferencePage(options: ReferenceOptions): Promise<ReferencePage> {
  const html = Buffer.from(page(options));
  const thumbs = options.thumbnails;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = /^\/t\/(\d+)\.webp$/.exec(url.pathname);
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': html.length, 'cache-control': 'no-store' });
      res.end(html);
    } else if (m && thumbs.length) {
      const body = thumbs[Number(m[1]) % thumbs.length]!;
      res.writeHead(200, { 'content-type': 'image/webp', 'content-length': body.length, 'cache-control': 'private, max-age=86400' });
      res.end(body);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    readySelector: '[data-testid="timeline-scroller"][data-complete="true"]',
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
