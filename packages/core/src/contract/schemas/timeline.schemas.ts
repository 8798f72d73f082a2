// Timeline: counts per month first (to size the scrollbar), then one month's assets on demand.
import { z } from 'zod';
import { IsoDate, QueryBool } from './common.schemas.ts';

/**
 * What a grid shows: the whole timeline, favourites, the archive, the trash, an album, a folder or
 * search results are all this filter over the same two routes.
 */
export const TimelineFilter = z.object({
  favorite: QueryBool.optional(),
  archived: QueryBool.optional().describe('false (default) hides archived assets; true shows only them'),
  trashed: QueryBool.optional().describe('false (default) hides trashed assets; true shows only them'),
  type: z.enum(['image', 'video']).optional(),
  rootId: z.uuid().optional(),
  albumId: z.uuid().optional().describe('only the assets of this album (archived ones included)'),
  folder: z.string().min(1).max(4096).optional().describe('absolute folder'),
  recursive: QueryBool.optional().describe('with folder: include subfolders (default false: only the folder itself)'),
  make: z.string().min(1).max(200).optional().describe('camera make, case-insensitive'),
  model: z.string().min(1).max(200).optional().describe('camera model, case-insensitive'),
  fileType: z.string().min(1).max(40).optional().describe('file type as exiftool names it: JPEG, HEIC, PNG, MP4, …'),
  hasLocation: QueryBool.optional(),
  from: IsoDate.optional().describe('first capture day, inclusive (local date)'),
  to: IsoDate.optional().describe('last capture day, inclusive (local date)'),
  personId: z.uuid().optional().describe('only the assets this person is in'),
});
export type TimelineFilter = z.infer<typeof TimelineFilter>;

/** One grid cell: only what the grid, its placeholders and its badges need. */
export const TimelineAsset = z
  .object({
    id: z.uuid(),
    type: z.enum(['image', 'video']),
    fileName: z.string(),
    takenAt: z.string().describe('ISO 8601 local capture time, with the UTC offset when it is known'),
    width: z.number().int().nullable().describe('displayed width (after orientation)'),
    height: z.number().int().nullable().describe('displayed height (after orientation)'),
    duration: z.number().nullable(),
    isFavorite: z.boolean(),
    isArchived: z.boolean(),
    isTrashed: z.boolean(),
    rating: z.number().int().min(-1).max(5).nullable(),
    livePhotoVideoId: z.uuid().nullable(),
    motionPhoto: z.boolean(),
    thumbhash: z.string().nullable(),
  })
  .meta({ id: 'TimelineAsset' });
export type TimelineAsset = z.infer<typeof TimelineAsset>;

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
  .object({ timeBucket: z.string(), assets: z.array(TimelineAsset) })
  .meta({ id: 'TimeBucketAssets' });
export type TimeBucket = z.infer<typeof TimeBucket>;
export type TimeBucketAssets = z.infer<typeof BucketResponse>;
