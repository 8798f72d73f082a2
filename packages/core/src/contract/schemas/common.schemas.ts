// Small schemas shared by several routes: ids, paging, booleans in query strings.
import { z } from 'zod';

export const IdParam = z.object({ id: z.uuid() });

/** Query-string boolean: accepts true/false/1/0. */
export const QueryBool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

export const IsoDateTime = z.iso.datetime({ offset: true, local: true });

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  size: z.coerce.number().int().min(1).max(1000).default(100),
});

export const Empty = z.object({}).strict();
