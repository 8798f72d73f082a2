// Structure checks on the shared corpus (broken files are caught, whole ones pass) and on small
// synthetic files for each format's edge cases.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkStructure } from '../src/media/structure-check.ts';
import { sniffFormat } from '../src/media/media-types.ts';

const CORPUS = path.resolve(import.meta.dirname, '../../../../shared/corpus');

const BROKEN: Record<string, RegExp> = {
  'broken/corrupt-header.jpg': /JPEG/,
  'broken/truncated.png': /^truncated PNG/,
  'broken/self-made/truncated-half.jpg': /^truncated JPEG: no end-of-image marker$/,
  'broken/self-made/truncated-4096.heic': /^truncated HEIC/,
};

function corpusFiles(): string[] {
  const manifest = fs.readFileSync(path.join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1);
  return manifest.filter(Boolean).map((line) => line.split('\t')[0]!);
}

describe('checkStructure on the corpus', () => {
  it('flags exactly the truncated and corrupt files', () => {
    const flagged: Record<string, string> = {};
    for (const rel of corpusFiles()) {
      const bytes = fs.readFileSync(path.join(CORPUS, rel));
      const format = sniffFormat(bytes.subarray(0, 256));
      if (!format) continue;
      const problem = checkStructure(format, bytes);
      if (problem) flagged[rel] = problem;
    }
    expect(Object.keys(flagged).sort()).toEqual(Object.keys(BROKEN).sort());
    for (const [rel, pattern] of Object.entries(BROKEN)) expect(flagged[rel], rel).toMatch(pattern);
  });

  it('accepts data after the end of a JPEG (Motion Photo video, gain map)', () => {
    for (const rel of ['motion-photo/synthetic-PXL_20231006_063000139.MP.jpg', 'jpeg/misc/gain-map-ultrahdr.jpg', 'broken/jpeg-named.png']) {
      expect(checkStructure('jpeg', fs.readFileSync(path.join(CORPUS, rel))), rel).toBeNull();
    }
  });

  it('accepts the Samsung trailer after the HEIC boxes, from the head of the file only', () => {
    const file = path.join(CORPUS, 'motion-photo/samsung-one-ui-6.heic');
    const bytes = fs.readFileSync(file);
    expect(checkStructure('heic', bytes)).toBeNull();
    expect(checkStructure('heic', bytes.subarray(0, 64 * 1024), bytes.length)).toBeNull();
  });

  it('is linear: a multi-megabyte JPEG is checked in milliseconds', () => {
    const bytes = fs.readFileSync(path.join(CORPUS, 'jpeg/digicam/GoPro_Hero7_GOPR8509.JPG'));
    const start = performance.now();
    for (let i = 0; i < 5; i++) expect(checkStructure('jpeg', bytes)).toBeNull();
    expect((performance.now() - start) / 5).toBeLessThan(50);
  });
});

// --- synthetic files --------------------------------------------------------------------------

const bytes = (...parts: (number[] | string | Uint8Array)[]): Uint8Array => {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'string') for (const c of p) out.push(c.charCodeAt(0));
    else out.push(...p);
  }
  return Uint8Array.from(out);
};
const u16 = (n: number) => [n >> 8, n & 0xff];
const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const segment = (marker: number, payload: number[]) => [0xff, marker, ...u16(payload.length + 2), ...payload];

describe('checkStructure: JPEG', () => {
  const head = [0xff, 0xd8, ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0]), ...segment(0xc0, [8, 0, 1, 0, 1, 1, 1, 0x11, 0])];
  const scan = [...segment(0xda, [1, 1, 0, 0, 0x3f, 0]), 0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0x78];
  const eoi = [0xff, 0xd9];

  it('accepts a whole baseline file, and bytes after EOI', () => {
    expect(checkStructure('jpeg', bytes(head, scan, eoi))).toBeNull();
    expect(checkStructure('jpeg', bytes(head, scan, eoi, 'trailing video data'))).toBeNull();
    expect(checkStructure('jpeg', bytes(head, scan, [0xff, 0xff], eoi))).toBeNull(); // fill bytes before a marker
  });

  it('walks several scans (progressive) with tables between them', () => {
    expect(checkStructure('jpeg', bytes(head, scan, segment(0xc4, [0, 1, 2]), scan, scan, eoi))).toBeNull();
  });

  it('reports a file that ends before EOI as truncated', () => {
    expect(checkStructure('jpeg', bytes(head, scan))).toBe('truncated JPEG: no end-of-image marker');
    expect(checkStructure('jpeg', bytes(head, scan, [0xff]))).toBe('truncated JPEG: no end-of-image marker');
    expect(checkStructure('jpeg', bytes(head))).toBe('truncated JPEG: no end-of-image marker');
  });

  it('reports a header segment that runs past the end', () => {
    expect(checkStructure('jpeg', bytes([0xff, 0xd8, 0xff, 0xe1, 0x25, 0x48, 1, 2, 3]))).toMatch(/JPEG: .*past the end/);
  });

  it('reports garbage instead of the start-of-image marker as corrupt', () => {
    expect(checkStructure('jpeg', bytes('GIF89a', head.slice(2), scan, eoi))).toBe('corrupt JPEG: no start-of-image marker');
  });

  it('tolerates stray bytes between segments, as decoders do', () => {
    expect(checkStructure('jpeg', bytes(head, [0, 0], scan, eoi))).toBeNull();
  });

  it('gives no verdict on a prefix that lacks the end', () => {
    const whole = bytes(head, scan, eoi);
    expect(checkStructure('jpeg', whole.subarray(0, 12), whole.length)).toBeNull();
  });
});

describe('checkStructure: PNG', () => {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const chunk = (type: string, data: number[]) => bytes(u32(data.length), type, data, u32(0));
  const ihdr = chunk('IHDR', [...u32(1), ...u32(1), 8, 2, 0, 0, 0]);
  const idat = chunk('IDAT', [1, 2, 3, 4]);
  const iend = chunk('IEND', []);

  it('accepts chunks through IEND, and trailing bytes', () => {
    expect(checkStructure('png', bytes(sig, ihdr, idat, iend))).toBeNull();
    expect(checkStructure('png', bytes(sig, ihdr, idat, iend, [0, 0]))).toBeNull();
  });

  it('reports a missing IEND or a cut chunk as truncated', () => {
    expect(checkStructure('png', bytes(sig, ihdr, idat))).toBe('truncated PNG: no IEND chunk');
    expect(checkStructure('png', bytes(sig, ihdr, idat.subarray(0, 10)))).toBe('truncated PNG: a chunk runs past the end of the file');
  });

  it('reports bad signatures and chunk types as corrupt', () => {
    expect(checkStructure('png', bytes([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0], ihdr, iend))).toBe('corrupt PNG: bad signature');
    expect(checkStructure('png', bytes(sig, ihdr, chunk('I\u0001AT', [1]), iend))).toMatch(/^corrupt PNG: invalid chunk/);
    expect(checkStructure('png', bytes(sig, idat, iend))).toBe('corrupt PNG: first chunk is not IHDR');
  });
});

describe('checkStructure: GIF', () => {
  const screen = bytes('GIF89a', [1, 0, 1, 0, 0x80, 0, 0], [0, 0, 0, 255, 255, 255]); // 2-colour global table
  const extension = [0x21, 0xf9, 4, 0, 0, 0, 0, 0];
  const image = [0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4c, 0x01, 0];

  it('accepts blocks through the trailer (animated: several images)', () => {
    expect(checkStructure('gif', bytes(screen, extension, image, extension, image, [0x3b]))).toBeNull();
    expect(checkStructure('gif', bytes(screen, image, [0x3b], 'junk'))).toBeNull();
  });

  it('reports a missing trailer as truncated and unknown blocks as corrupt', () => {
    expect(checkStructure('gif', bytes(screen, extension, image))).toBe('truncated GIF: no trailer');
    expect(checkStructure('gif', bytes(screen, image.slice(0, 12)))).toBe('truncated GIF: no trailer');
    expect(checkStructure('gif', bytes(screen, [0x99, 0x3b]))).toMatch(/^corrupt GIF: unexpected block 0x99/);
  });
});

describe('checkStructure: WebP', () => {
  const webp = (riffSize: number, payload: number) => bytes('RIFF', u32le(riffSize), 'WEBP', new Uint8Array(payload));

  it('compares the RIFF size with the file size', () => {
    expect(checkStructure('webp', webp(4 + 20, 20))).toBeNull();
    expect(checkStructure('webp', webp(4 + 21, 20))).toBeNull(); // odd-size padding slack
    expect(checkStructure('webp', webp(4 + 10, 20))).toBeNull(); // trailing bytes
    expect(checkStructure('webp', webp(4 + 400, 20))).toMatch(/^truncated WebP/);
  });
});

describe('checkStructure: HEIC and AVIF', () => {
  const box = (type: string, payload: number) => bytes(u32(8 + payload), type, new Uint8Array(payload));
  const ftyp = bytes(u32(16), 'ftypheic', u32(0));

  it('accepts top-level boxes that end at the end of the file', () => {
    expect(checkStructure('heic', bytes(ftyp, box('meta', 30), box('mdat', 100)))).toBeNull();
    expect(checkStructure('avif', bytes(ftyp, box('meta', 30), u32(0), 'mdat', new Uint8Array(50)))).toBeNull(); // size 0: to the end
    expect(checkStructure('heic', bytes(ftyp, box('meta', 30), u32(1), 'mdat', u32(0), u32(16 + 10), new Uint8Array(10)))).toBeNull(); // 64-bit size
    expect(checkStructure('heic', bytes(ftyp, box('meta', 30), box('mdat', 10), [0, 0, 0xff, 0xfe, 0x81, 0x82, 0x83, 0x84], 'SEFT'))).toBeNull();
  });

  it('reports a box that runs past the end as truncated', () => {
    expect(checkStructure('heic', bytes(ftyp, box('meta', 30), box('mdat', 100)).subarray(0, 80))).toBe(
      "truncated HEIC: the 'mdat' box runs past the end of the file",
    );
    expect(checkStructure('heic', bytes(ftyp, box('meta', 30)).subarray(0, 30))).toBe("truncated HEIC: the 'meta' box runs past the end of the file");
  });

  it('reports a file without ftyp or meta as corrupt', () => {
    expect(checkStructure('heic', bytes(box('meta', 30)))).toBe('corrupt HEIC: no ftyp box');
    expect(checkStructure('avif', bytes(ftyp, box('mdat', 8)))).toBe('corrupt AVIF: no metadata box');
  });
});

describe('checkStructure: formats it does not check', () => {
  it('leaves videos, TIFF and RAW alone (valid files can fail naive checks)', () => {
    const junk = bytes('junk that is not a valid file of any kind');
    for (const format of ['mp4', 'mov', 'mkv', 'tiff', 'orf', 'cr3', 'jxl'] as const) expect(checkStructure(format, junk)).toBeNull();
  });

  it('calls an empty file empty', () => {
    expect(checkStructure('jpeg', new Uint8Array(0))).toBe('empty file');
  });
});
