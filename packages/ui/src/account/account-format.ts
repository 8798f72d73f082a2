// Words for the account screens: a browser's user agent as "Chrome on Android", and a time as
// "5 minutes ago".

const BROWSERS: [RegExp, string][] = [
  [/EdgA?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/CriOS\/|Chrome\/|Chromium\//, 'Chrome'],
  [/Version\/[\d.]+.*Safari\//, 'Safari'],
];

const SYSTEMS: [RegExp, string][] = [
  [/iPhone/, 'iPhone'],
  [/iPad/, 'iPad'],
  [/Android/, 'Android'],
  [/Windows/, 'Windows'],
  [/CrOS/, 'ChromeOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

/** "Chrome on Android", "Safari on iPhone"; a client that is not a browser by its own name. */
export function describeAgent(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser = BROWSERS.find(([re]) => re.test(userAgent))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  if (browser) return browser;
  if (system) return `A browser on ${system}`;
  // An app or a script: its product token ("curl/8.5", "Immich/1.9") says what it is.
  const product = /^[\w.-]+/.exec(userAgent)?.[0];
  return product ? product.replace(/[-_]/g, ' ') : 'Unknown device';
}

const UNITS: [number, string][] = [
  [60, 'second'],
  [60, 'minute'],
  [24, 'hour'],
  [7, 'day'],
];

/** "just now", "5 minutes ago", "3 days ago", else the date. */
export function relativeTime(iso: string, now = Date.now()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  let delta = Math.max(0, (now - at) / 1000);
  if (delta < 45) return 'just now';
  for (const [size, unit] of UNITS) {
    if (delta < size) {
      const n = Math.round(delta);
      return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
    }
    delta /= size;
  }
  return dateLabel(iso);
}

/** "3 Jan 2026". */
export function dateLabel(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}
