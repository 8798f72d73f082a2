// Capture-time helpers: ISO rendering with the offset when known, the UTC instant used for
// ordering, and the month bucket.
import type { TakenAt } from './metadata.ts';

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${sign}${hh}:${mm}`;
}

/** ISO 8601: local time plus its offset when known (`Z` for UTC-only video containers). */
export function formatTakenAt(t: Pick<TakenAt, 'local' | 'offsetMinutes' | 'source'>): string {
  if (t.offsetMinutes === null) return t.local;
  if (t.source === 'utc' && t.offsetMinutes === 0) return `${t.local}Z`;
  return t.local + formatOffset(t.offsetMinutes);
}

/** Milliseconds since the epoch; local time without an offset is read as if it were UTC. */
export function takenAtUtcMs(t: Pick<TakenAt, 'local' | 'offsetMinutes'>): number {
  const asUtc = Date.parse(`${t.local}Z`);
  return asUtc - (t.offsetMinutes ?? 0) * 60_000;
}

export function monthOf(local: string): string {
  return `${local.slice(0, 7)}-01`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** A file's mtime as a capture time in the engine's own time zone, flagged as such. */
export function takenAtFromMtime(mtimeMs: number): TakenAt {
  const d = new Date(mtimeMs);
  const local =
    `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return { local, offsetMinutes: -d.getTimezoneOffset(), source: 'mtime' };
}
