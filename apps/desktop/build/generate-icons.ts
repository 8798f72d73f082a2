// Makes the installers' app icon (build/icon.png, 1024×1024) from the web app's favicon
// (packages/ui/public/favicon.svg), drawn like the web app's launcher icons: the box on a dark
// rounded tile. The tile follows macOS's icon grid (an 824-px body centred on the 1024-px canvas),
// which also reads well on Windows and Linux. electron-builder derives the .icns, .ico and the
// Linux icon set from this one PNG. Run after changing the favicon: `node build/generate-icons.ts`;
// the PNG is committed.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const BUILD = import.meta.dirname;
const FAVICON = path.resolve(BUILD, '..', '..', '..', 'packages', 'ui', 'public', 'favicon.svg');
const TILE = '#1a1e24';
const SIZE = 1024;
const BODY = 824;
const RADIUS = 185;
/** The favicon is a 32-unit square whose picture spans 26 units: about 63 % of the body, as on the web icons. */
const SCALE = 20;

const favicon = fs.readFileSync(FAVICON, 'utf8');
const inner = /<svg[^>]*>([\s\S]*)<\/svg>/.exec(favicon)?.[1];
if (!inner) throw new Error(`${FAVICON} has no <svg> content`);

const offset = (SIZE - BODY) / 2;
const at = SIZE / 2 - 16 * SCALE;
const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${SIZE} ${SIZE}">
  <rect x="${offset}" y="${offset}" width="${BODY}" height="${BODY}" rx="${RADIUS}" fill="${TILE}"/>
  <g transform="translate(${at} ${at}) scale(${SCALE})">${inner}</g>
</svg>`;

const png = await sharp(Buffer.from(svg), { density: 72 * 2 })
  .resize(SIZE, SIZE)
  .png({ compressionLevel: 9 })
  .toBuffer();
fs.writeFileSync(path.join(BUILD, 'icon.png'), png);
process.stderr.write(`icon.png: ${SIZE}×${SIZE}, ${png.length} bytes\n`);
