// Small schemas shared by several routes: ids, paging, booleans in query strings, dates.
import { z } from 'zod';

export const IdParam = z.object({ id: z.uuid() });

/** Query-string boolean: accepts true/false/1/0. */
export const QueryBool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

/**
 * Whether a date-time (without an offset: read as UTC, as the servers read it) is an instant of the
 * years 1 to 9999 and is written with a year Postgres reads (it has no year 0000); an offset can
 * move a written year 0001 into year 0, or 9999 into 10000.
 */
function inYears1To9999(value: string): boolean {
  const year = new Date(Date.parse(/(?:Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`)).getUTCFullYear();
  return !value.startsWith('0000') && year >= 1 && year <= 9999;
}

/** ISO 8601 date-time, with an offset or without one; its year, also in UTC, is 0001 to 9999. */
export const IsoDateTime = z.iso
  .datetime({ offset: true, local: true })
  .refine(inYears1To9999, 'the year must be between 0001 and 9999, also once converted to UTC');

/** ISO 8601 date (YYYY-MM-DD) of the years 0001 to 9999. */
export const IsoDate = z.iso.date().refine((value) => !value.startsWith('0000'), 'the year must be between 0001 and 9999');

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  size: z.coerce.number().int().min(1).max(1000).default(100),
});

export const Empty = z.object({}).strict();
