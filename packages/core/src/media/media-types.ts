// Which files Shoebox indexes: by extension (cheap, used while walking) and by content (magic
// bytes, used to catch misnamed files and files without an extension).

export type FileRole = 'image' | 'video' | 'sidecar' | 'companion';

const IMAGE_EXTENSIONS = [
  'jpg', 'jpeg', 'jpe', 'jfif', 'png', 'gif', 'webp', 'avif', 'heic', 'heif', 'hif', 'jxl', 'tif', 'tiff', 'bmp',
  // RAW formats
  '3fr', 'ari', 'arw', 'cap', 'cin', 'cr2', 'cr3', 'crw', 'dcr', 'dng', 'erf', 'fff', 'gpr', 'iiq', 'k25', 'kdc',
  'mrw', 'nef', 'nrw', 'orf', 'ori', 'pef', 'psd', 'raf', 'raw', 'rw2', 'rwl', 'sr2', 'srf', 'srw', 'x3f',
] as const;

const VIDEO_EXTENSIONS = [
  '3gp', '3gpp', '3g2', 'avi', 'flv', 'm2t', 'm2ts', 'm4v', 'mkv', 'mov', 'mp4', 'mpe', 'mpeg', 'mpg', 'mts', 'vob',
  'webm', 'wmv', 'insv',
] as const;

const ROLE_BY_EXTENSION = new Map<string, FileRole>([
  ...IMAGE_EXTENSIONS.map((e) => [e, 'image'] as const),
  ...VIDEO_EXTENSIONS.map((e) => [e, 'video'] as const),
  ['xmp', 'sidecar'],
  // Camera thumbnails that accompany a RAW or video file of the same name.
  ['thm', 'companion'],
]);

/** Extensions that are certainly not media: never sniffed. */
const NEVER_MEDIA = new Set([
  'txt', 'md', 'json', 'xml', 'html', 'htm', 'css', 'js', 'ts', 'csv', 'tsv', 'log', 'ini', 'cfg', 'db', 'sqlite',
  'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'zip', 'gz', 'tar', '7z', 'rar', 'exe', 'dll', 'so', 'pp3', 'aae',
  'lnk', 'url', 'plist', 'py', 'sh', 'bat', 'dmg', 'iso', 'mp3', 'wav', 'flac', 'aac', 'm4a', 'ogg', 'srt', 'nfo',
]);

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

/** Role decided by the file name alone, or 'unknown' when its content must be looked at. */
export function roleByName(fileName: string): FileRole | 'unknown' | 'ignore' {
  const ext = extensionOf(fileName);
  const role = ROLE_BY_EXTENSION.get(ext);
  if (role) return role;
  if (NEVER_MEDIA.has(ext)) return 'ignore';
  return 'unknown';
}

/** OS and tool junk that is never a photo, whatever its extension says. */
export function isJunkName(name: string): boolean {
  return (
    name.startsWith('.') || // hidden files, AppleDouble `._x.jpg`, .DS_Store, .picasa.ini
    name === 'Thumbs.db' || name === 'desktop.ini' || name === 'ehthumbs.db' ||
    name.endsWith('~') || name.endsWith('.part') || name.endsWith('.crdownload') || name.endsWith('.tmp')
  );
}

/** Folders never walked (besides hidden ones). */
export function isJunkFolder(name: string): boolean {
  return (
    name.startsWith('.') || name === '@eaDir' || name === '#recycle' || name === '$RECYCLE.BIN' ||
    name === 'System Volume Information' || name === 'node_modules' || name === '__MACOSX' || name === 'lost+found'
  );
}

export type SniffedFormat =
  | 'jpeg' | 'png' | 'gif' | 'webp' | 'avif' | 'heic' | 'jxl' | 'tiff' | 'bmp' | 'cr3' | 'crw' | 'raf' | 'orf' | 'rw2'
  | 'mp4' | 'mov' | '3gp' | 'avi' | 'mkv' | 'webm' | 'mpeg-ts' | 'mpeg-ps' | 'xmp';

const ascii = (bytes: Uint8Array, start: number, length: number): string =>
  String.fromCharCode(...bytes.subarray(start, start + length));

const starts = (bytes: Uint8Array, sig: readonly number[], at = 0): boolean =>
  bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b);

const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'mif2']);
const AVIF_BRANDS = new Set(['avif', 'avis']);
const MP4_BRANDS = new Set(['isom', 'iso2', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'M4V ', 'M4VP', 'mmp4', 'dash', 'XAVC', 'MSNV', 'NDAS', 'f4v ']);

/** Names the format from the first bytes of a file (64 are enough); null when it is not media. */
export function sniffFormat(head: Uint8Array): SniffedFormat | null {
  if (starts(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (starts(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(head, 0, 4) === 'RIFF') {
    const kind = ascii(head, 8, 4);
    if (kind === 'WEBP') return 'webp';
    if (kind === 'AVI ') return 'avi';
  }
  if (starts(head, [0xff, 0x0a]) || starts(head, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20, 0x0d, 0x0a, 0x87, 0x0a])) return 'jxl';
  if (ascii(head, 4, 4) === 'ftyp') {
    const brands = [ascii(head, 8, 4)];
    const boxSize = ((head[0] ?? 0) << 24) | ((head[1] ?? 0) << 16) | ((head[2] ?? 0) << 8) | (head[3] ?? 0);
    for (let at = 16; at + 4 <= Math.min(boxSize, head.length); at += 4) brands.push(ascii(head, at, 4));
    const major = brands[0] ?? '';
    if (AVIF_BRANDS.has(major)) return 'avif';
    if (HEIC_BRANDS.has(major)) return brands.some((b) => AVIF_BRANDS.has(b)) && !brands.some((b) => b.startsWith('he')) ? 'avif' : 'heic';
    if (major === 'crx ') return 'cr3';
    if (major === 'qt  ') return 'mov';
    if (major.startsWith('3g')) return '3gp';
    if (MP4_BRANDS.has(major) || brands.some((b) => MP4_BRANDS.has(b))) return 'mp4';
    return 'mp4';
  }
  // QuickTime files without ftyp start with moov/mdat/wide/free boxes.
  const box = ascii(head, 4, 4);
  if (box === 'moov' || box === 'mdat' || box === 'wide' || (box === 'free' && head.length > 16)) return 'mov';
  if (ascii(head, 0, 4) === 'II*\0' || ascii(head, 0, 4) === 'MM\0*') return 'tiff';
  if (ascii(head, 0, 4) === 'IIRO' || ascii(head, 0, 4) === 'IIRS' || ascii(head, 0, 4) === 'MMOR') return 'orf';
  if (ascii(head, 0, 4) === 'IIU\0') return 'rw2';
  if (ascii(head, 0, 15) === 'FUJIFILMCCD-RAW') return 'raf';
  if (ascii(head, 0, 2) === 'II' && ascii(head, 6, 8) === 'HEAPCCDR') return 'crw';
  if (starts(head, [0x1a, 0x45, 0xdf, 0xa3])) return ascii(head, 0, 64).includes('webm') ? 'webm' : 'mkv';
  if (ascii(head, 0, 2) === 'BM' && head.length >= 26) return 'bmp';
  if (head[0] === 0x47 && head[188] === 0x47) return 'mpeg-ts';
  if (starts(head, [0, 0, 1, 0xba])) return 'mpeg-ps';
  const text = ascii(head, 0, Math.min(head.length, 64));
  if (text.includes('<x:xmpmeta') || text.startsWith('<?xpacket')) return 'xmp';
  return null;
}

const VIDEO_FORMATS = new Set<SniffedFormat>(['mp4', 'mov', '3gp', 'avi', 'mkv', 'webm', 'mpeg-ts', 'mpeg-ps']);

export function roleOfFormat(format: SniffedFormat): FileRole {
  if (format === 'xmp') return 'sidecar';
  return VIDEO_FORMATS.has(format) ? 'video' : 'image';
}
