// Dates, durations, sizes and camera settings as people read them.

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "October 2008" from a bucket's YYYY-MM-01. */
export function monthLabel(bucket: string): string {
  const [y, m] = bucket.split('-');
  return `${MONTHS[Number(m) - 1] ?? m} ${y}`;
}

export function shortMonthLabel(bucket: string): string {
  const [y, m] = bucket.split('-');
  return `${(MONTHS[Number(m) - 1] ?? m ?? '').slice(0, 3)} ${y}`;
}

/** "Tue, 21 Oct 2008" from YYYY-MM-DD (a local calendar day, no time zone maths). */
export function dayLabel(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const weekday = DAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  return `${weekday}, ${d} ${(MONTHS[m - 1] ?? '').slice(0, 3)} ${y}`;
}

/**
 * A local ISO capture time ("2008-10-22T16:29:49+02:00" or without offset) as
 * "Wed, 22 Oct 2008, 16:29:49" and its offset as "UTC+02:00" (null when unknown).
 */
export function takenLabel(takenAt: string): { date: string; time: string; offset: string | null } {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(takenAt);
  if (!m) return { date: takenAt, time: '', offset: null };
  const zone = m[3];
  const offset = zone === undefined ? null : zone === 'Z' ? 'UTC' : `UTC${zone}`;
  return { date: dayLabel(m[1]!), time: m[2]!, offset };
}

export function durationLabel(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

export function bytesLabel(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

export function coordinateLabel(lat: number, lon: number): string {
  const ns = lat >= 0 ? 'N' : 'S';
  const ew = lon >= 0 ? 'E' : 'W';
  return `${Math.abs(lat).toFixed(5)}° ${ns}, ${Math.abs(lon).toFixed(5)}° ${ew}`;
}

export function exposureLabel(e: { fNumber: number | null; exposureTime: string | null; iso: number | null; focalLength: number | null }): string {
  const parts: string[] = [];
  if (e.fNumber) parts.push(`ƒ/${Number(e.fNumber.toFixed(1))}`);
  if (e.exposureTime) parts.push(/s$/.test(e.exposureTime) ? e.exposureTime : `${e.exposureTime} s`);
  if (e.focalLength) parts.push(`${Number(e.focalLength.toFixed(1))} mm`);
  if (e.iso) parts.push(`ISO ${e.iso}`);
  return parts.join(' · ');
}

export function countLabel(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
