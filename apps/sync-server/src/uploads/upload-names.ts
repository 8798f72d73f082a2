// What an uploaded file is called on disk: the client's name made safe (one plain path segment on
// every filesystem) with an extension that matches the sniffed content, and the MIME type we
// record for it. The content decides the type; the client's name only contributes a readable stem.
import type { SniffedFormat } from '@shoebox/core/media';

export type MediaFormat = Exclude<SniffedFormat, 'xmp'>;

interface FormatInfo {
  /** The extension used when the client's does not name this format. */
  ext: string;
  mime: string;
  /** Client extensions accepted for this content (lower case), each with its own MIME type. */
  aliases?: Readonly<Record<string, string>>;
}

/** TIFF-structured RAW formats: the content sniffs as TIFF, the client's extension names the camera format. */
const TIFF_RAW: Readonly<Record<string, string>> = {
  dng: 'image/x-adobe-dng', nef: 'image/x-nikon-nef', nrw: 'image/x-nikon-nrw', cr2: 'image/x-canon-cr2',
  arw: 'image/x-sony-arw', srf: 'image/x-sony-srf', sr2: 'image/x-sony-sr2', pef: 'image/x-pentax-pef',
  erf: 'image/x-epson-erf', '3fr': 'image/x-hasselblad-3fr', fff: 'image/x-hasselblad-fff', iiq: 'image/x-phaseone-iiq',
  kdc: 'image/x-kodak-kdc', dcr: 'image/x-kodak-dcr', k25: 'image/x-kodak-k25', srw: 'image/x-samsung-srw',
  gpr: 'image/x-gopro-gpr',
};

const FORMATS: Readonly<Record<MediaFormat, FormatInfo>> = {
  jpeg: { ext: 'jpg', mime: 'image/jpeg', aliases: { jpg: 'image/jpeg', jpeg: 'image/jpeg', jpe: 'image/jpeg', jfif: 'image/jpeg' } },
  png: { ext: 'png', mime: 'image/png' },
  gif: { ext: 'gif', mime: 'image/gif' },
  webp: { ext: 'webp', mime: 'image/webp' },
  avif: { ext: 'avif', mime: 'image/avif' },
  heic: { ext: 'heic', mime: 'image/heic', aliases: { heic: 'image/heic', heif: 'image/heif', hif: 'image/heif' } },
  jxl: { ext: 'jxl', mime: 'image/jxl' },
  tiff: { ext: 'tif', mime: 'image/tiff', aliases: { tif: 'image/tiff', tiff: 'image/tiff', ...TIFF_RAW } },
  bmp: { ext: 'bmp', mime: 'image/bmp' },
  cr3: { ext: 'cr3', mime: 'image/x-canon-cr3' },
  crw: { ext: 'crw', mime: 'image/x-canon-crw' },
  raf: { ext: 'raf', mime: 'image/x-fuji-raf' },
  orf: { ext: 'orf', mime: 'image/x-olympus-orf', aliases: { orf: 'image/x-olympus-orf', ori: 'image/x-olympus-orf' } },
  rw2: { ext: 'rw2', mime: 'image/x-panasonic-rw2', aliases: { rw2: 'image/x-panasonic-rw2', raw: 'image/x-panasonic-raw', rwl: 'image/x-leica-rwl' } },
  mp4: { ext: 'mp4', mime: 'video/mp4', aliases: { mp4: 'video/mp4', m4v: 'video/x-m4v', insv: 'video/mp4' } },
  mov: { ext: 'mov', mime: 'video/quicktime', aliases: { mov: 'video/quicktime', qt: 'video/quicktime' } },
  '3gp': { ext: '3gp', mime: 'video/3gpp', aliases: { '3gp': 'video/3gpp', '3gpp': 'video/3gpp', '3g2': 'video/3gpp2' } },
  avi: { ext: 'avi', mime: 'video/x-msvideo' },
  mkv: { ext: 'mkv', mime: 'video/x-matroska' },
  webm: { ext: 'webm', mime: 'video/webm' },
  'mpeg-ts': { ext: 'mts', mime: 'video/mp2t', aliases: { mts: 'video/mp2t', m2ts: 'video/mp2t', m2t: 'video/mp2t' } },
  'mpeg-ps': { ext: 'mpg', mime: 'video/mpeg', aliases: { mpg: 'video/mpeg', mpeg: 'video/mpeg', mpe: 'video/mpeg', vob: 'video/mpeg' } },
};

export interface StoredName {
  /** A single safe path segment: `stem.ext`. */
  fileName: string;
  stem: string;
  ext: string;
  mimeType: string;
  /** The format we record: the sniffed one, or the RAW format a TIFF-structured file's extension names. */
  format: string;
}

/** Longest stem kept, in UTF-8 bytes: with a collision suffix and an extension the name stays far below 255. */
export const MAX_STEM_BYTES = 150;
const FALLBACK_STEM = 'upload';

// C0 and C1 controls, DEL, characters Windows forbids, separators, and invisible formatting
// characters that can disguise a name (bidi overrides, zero-width characters, BOM).
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f<>:"/\\|?*\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const RESERVED_WINDOWS = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$|clock\$)$/i;

function capUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) { // code points: never splits a surrogate pair
    const size = Buffer.byteLength(ch);
    if (bytes + size > maxBytes) break;
    out += ch;
    bytes += size;
  }
  return out;
}

/** The last extension of a client name, lower-cased, or '' (only short alphanumeric ones count). */
function clientExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return '';
  const ext = name.slice(dot + 1).toLowerCase();
  return /^[a-z0-9]{1,5}$/.test(ext) ? ext : '';
}

/**
 * Makes a client-supplied file name safe as one path segment: only the part after the last `/`
 * or `\`, no control or invisible characters, nothing Windows forbids, no leading dots or dashes
 * (hidden files, option-like names), no `..`, no reserved device names, a capped length, and an
 * extension that matches `format` (the client's own when it names the same content, else ours).
 */
export function storedName(clientName: string | undefined, format: MediaFormat): StoredName {
  const info = FORMATS[format];
  let name = (clientName ?? '').replace(LONE_SURROGATE, '\ufffd').normalize('NFC');
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  name = name.replace(UNSAFE_CHARS, '_').replace(/\s+/g, ' ');

  const clientExt = clientExtension(name);
  const aliasMime = clientExt ? info.aliases?.[clientExt] ?? (clientExt === info.ext ? info.mime : undefined) : undefined;
  const ext = aliasMime ? clientExt : info.ext;
  const mimeType = aliasMime ?? info.mime;
  const format_ = format === 'tiff' && ext in TIFF_RAW ? ext : format;

  let stem = clientExt ? name.slice(0, name.length - clientExt.length - 1) : name;
  stem = stem.replace(/\.{2,}/g, '.').replace(/^[\s.\-~]+/, '').replace(/[\s.]+$/, '');
  stem = capUtf8(stem, MAX_STEM_BYTES).replace(/[\s.]+$/, '');
  if (!stem) stem = FALLBACK_STEM;
  const device = stem.split('.')[0] ?? stem;
  if (RESERVED_WINDOWS.test(device.trim())) stem = `_${stem}`;
  return { fileName: `${stem}.${ext}`, stem, ext, mimeType, format: format_ };
}

/** `stem.ext`, then `stem (1).ext`, `stem (2).ext`, ... for the n-th attempt. */
export function candidateName(name: StoredName, attempt: number): string {
  return attempt === 0 ? name.fileName : `${name.stem} (${attempt}).${name.ext}`;
}

/** ISO BMFF brands that are audio (the sniffer reads any `ftyp` as MP4). */
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B ']);

/** True for an `ftyp` file whose major brand says audio: not a photo or video. */
export function isAudioContainer(head: Uint8Array): boolean {
  if (head.length < 12) return false;
  const text = (at: number): string => String.fromCharCode(...head.subarray(at, at + 4));
  return text(4) === 'ftyp' && AUDIO_BRANDS.has(text(8));
}
