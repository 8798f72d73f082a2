// Browsing aids: the folder list (the UI builds the tree) and the values search can filter by.
import { z } from 'zod';

export const FolderEntry = z
  .object({
    path: z.string().describe('absolute folder that directly holds assets'),
    rootId: z.uuid(),
    assetCount: z.number().int().describe('assets directly in this folder'),
  })
  .meta({ id: 'FolderEntry' });
export type FolderEntry = z.infer<typeof FolderEntry>;

export const SearchFacets = z
  .object({
    cameras: z.array(z.object({ make: z.string(), model: z.string().nullable(), count: z.number().int() })),
    fileTypes: z.array(z.object({ fileType: z.string(), count: z.number().int() })),
    firstDate: z.string().nullable().describe('earliest local capture day (YYYY-MM-DD)'),
    lastDate: z.string().nullable().describe('latest local capture day (YYYY-MM-DD)'),
  })
  .meta({ id: 'SearchFacets' });
export type SearchFacets = z.infer<typeof SearchFacets>;
