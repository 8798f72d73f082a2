// Which day an upload is filed under: the capture time read from the file, else the date the
// client sent (fileCreatedAt), else the upload time.
import { takenAtUtcMs, type MetadataResult } from '@shoebox/core';
import type { LayoutDay } from './upload-storage.ts';

/** What the capture-date reader returns for a file (the app wires it to the media worker). */
export interface CaptureDate {
  /** The capture instant. */
  takenAt: Date;
  /**
   * The capture's offset from UTC in minutes. The layout day is the local day at that offset;
   * without it, the UTC day of `takenAt` (so a wall-clock time of unknown zone is best passed as
   * that wall clock in UTC with offset 0).
   */
  offsetMinutes?: number | null | undefined;
}

export type CaptureDateReader = (file: string) => Promise<CaptureDate | null>;

/**
 * A capture-date reader over the media worker's metadata extraction (MetadataExtractor.extract or
 * the worker client's equivalent). A time without an offset is filed under its own wall-clock day;
 * an mtime-based time is ignored (the temp file's mtime is the upload time, not the capture).
 */
export function captureDateFromMetadata(extract: (file: string) => Promise<MetadataResult>): CaptureDateReader {
  return async (file) => {
    const result = await extract(file);
    const taken = result.ok ? result.metadata.takenAt : null;
    if (!taken || taken.source === 'mtime') return null;
    return { takenAt: new Date(takenAtUtcMs(taken)), offsetMinutes: taken.offsetMinutes ?? 0 };
  };
}

export type DateSource = 'capture' | 'client' | 'upload';

export interface LayoutDate {
  takenAt: Date;
  day: LayoutDay;
  source: DateSource;
}

const MIN_YEAR = 1826; // the oldest surviving photograph

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function plausible(date: Date, now: Date): boolean {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) return false;
  const year = date.getUTCFullYear();
  return year >= MIN_YEAR && year <= now.getUTCFullYear() + 1;
}

function utcDay(date: Date): LayoutDay {
  const year = pad(date.getUTCFullYear(), 4);
  return { year, day: `${year}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` };
}

/** The day of a capture reader's answer, or null when it is missing or implausible. */
export function captureDay(capture: CaptureDate | null | undefined, now: Date): LayoutDate | null {
  if (!capture || !(capture.takenAt instanceof Date) || !plausible(capture.takenAt, now)) return null;
  const offset = capture.offsetMinutes;
  const shift = typeof offset === 'number' && Number.isFinite(offset) && Math.abs(offset) <= 18 * 60 ? offset : 0;
  return { takenAt: capture.takenAt, day: utcDay(new Date(capture.takenAt.getTime() + shift * 60_000)), source: 'capture' };
}

const HAS_ZONE = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;

/**
 * The client's `fileCreatedAt` (ISO 8601, validated by the contract): filed under the day written
 * in it (the client's local day); a time without a zone is read as UTC for the instant.
 */
export function clientDay(fileCreatedAt: string | undefined, now: Date): LayoutDate | null {
  if (!fileCreatedAt) return null;
  const takenAt = new Date(HAS_ZONE.test(fileCreatedAt) ? fileCreatedAt : `${fileCreatedAt}Z`);
  const written = /^(\d{4})-(\d{2})-(\d{2})T/.exec(fileCreatedAt);
  if (!written || !plausible(takenAt, now)) return null;
  const [, year, month, date] = written as unknown as [string, string, string, string];
  const check = new Date(Date.UTC(Number(year), Number(month) - 1, Number(date)));
  if (check.getUTCMonth() !== Number(month) - 1 || check.getUTCDate() !== Number(date)) return null;
  return { takenAt, day: { year, day: `${year}-${month}-${date}` }, source: 'client' };
}

/** The upload time, filed under the server's local day (the household's day). */
export function uploadDay(now: Date): LayoutDate {
  const year = pad(now.getFullYear(), 4);
  return { takenAt: now, day: { year, day: `${year}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}` }, source: 'upload' };
}
