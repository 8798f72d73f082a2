// Library roots: the folders Shoebox indexes in place.
import { z } from 'zod';

export const LibraryRoot = z
  .object({
    id: z.uuid(),
    path: z.string(),
    createdAt: z.string(),
    lastScanAt: z.string().nullable(),
    assetCount: z.number().int(),
    online: z.boolean().describe('whether the folder exists right now'),
  })
  .meta({ id: 'LibraryRoot' });
export type LibraryRoot = z.infer<typeof LibraryRoot>;

export const AddRootBody = z.object({
  path: z.string().min(1).max(4096).describe('absolute path of an existing folder'),
});

export const ScanBody = z.object({
  retryFailed: z.boolean().default(false),
});

export const ScanResult = z
  .object({
    roots: z.number().int(),
    seen: z.number().int(),
    added: z.number().int(),
    changed: z.number().int(),
    moved: z.number().int(),
    duplicates: z.number().int(),
    offline: z.number().int(),
    unchanged: z.number().int(),
    failed: z.number().int(),
    jobsQueued: z.number().int(),
    durationMs: z.number(),
  })
  .meta({ id: 'ScanResult' });
export type ScanResult = z.infer<typeof ScanResult>;
