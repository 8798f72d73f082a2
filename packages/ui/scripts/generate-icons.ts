// Makes the installed web app's icons (public/icons/*.png) from public/favicon.svg: the box on a
// dark tile for launchers and install prompts, a full-bleed "maskable" version whose picture
// stays inside the safe circle that Android's masks keep, and Apple's touch icon (iOS rounds the
// corners itself). Run after changing the favicon: `node scripts/generate-icons.ts`; the PNGs are
// committed so the build does not need sharp.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const UI = path.resolve(import.meta.dirname, '..');
const OUT = path.join(UI, 'public', 'icons');
const TILE = '#1a1e24';

const favicon = fs.readFileSync(path.join(UI, 'public', 'favicon.svg'), 'utf8');
const inner = /<svg[^>]*>([\s\S]*)<\/svg>/.exec(favicon)?.[1];
if (!inner) throw new Error('public/favicon.svg has no <svg> content');

/** The favicon (a 32-unit square, its picture centred on 16,16) scaled onto a 512-unit tile. */
function tile(scale: number, radius: number): string {
  const at = 256 - 16 * scale;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
  <rect width="512" height="512" rx="${radius}" fill="${TILE}"/>
  <g transform="translate(${at} ${at}) scale(${scale})">${inner}</g>
</svg>`;
}

const ICONS: { file: string; size: number; svg: string }[] = [
  { file: 'icon-192.png', size: 192, svg: tile(12, 112) },
  { file: 'icon-512.png', size: 512, svg: tile(12, 112) },
  // Maskable: the picture's corners stay within the central circle of 80 % (the safe zone).
  { file: 'maskable-192.png', size: 192, svg: tile(10, 0) },
  { file: 'maskable-512.png', size: 512, svg: tile(10, 0) },
  { file: 'apple-touch-icon.png', size: 180, svg: tile(11, 0) },
];

fs.mkdirSync(OUT, { recursive: true });
for (const icon of ICONS) {
  const png = await sharp(Buffer.from(icon.svg), { density: 72 * (icon.size / 512) * 4 })
    .resize(icon.size, icon.size)
    .png({ compressionLevel: 9, palette: true, quality: 90 })
    .toBuffer();
  fs.writeFileSync(path.join(OUT, icon.file), png);
  process.stderr.write(`${icon.file}: ${icon.size}×${icon.size}, ${png.length} bytes\n`);
}
