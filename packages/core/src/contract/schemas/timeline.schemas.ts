// Timeline: counts per month first (to size the scrollbar), then one month's assets on demand.
import { z } from 'zod';
import { AssetSummary } from './asset.schemas.ts';
import { QueryBool } from './common.schemas.ts';

export const TimelineFilter = z.object({
  favorite: QueryBool.optional(),
  archived: QueryBool.optional().describe('false (default) hides archived assets'),
  trashed: QueryBool.optional().describe('false (default) hides trashed assets'),
  type: z.enum(['image', 'video']).optional(),
  rootId: z.uuid().optional(),
});

export const TimeBucket = z
  .object({
    timeBucket: z.string().regex(/^\d{4}-\d{2}-01$/).describe('first day of the month, local capture time'),
    count: z.number().int(),
  })
  .meta({ id: 'TimeBucket' });

export const BucketsQuery = TimelineFilter;
export const BucketsResponse = z.array(TimeBucket);

export const BucketQuery = TimelineFilter.extend({
  timeBucket: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-01$/, 'expected YYYY-MM-01'),
});
export const BucketResponse = z
  .object({ timeBucket: z.string(), assets: z.array(AssetSummary) })
  .meta({ id: 'TimeBucketAssets' });
