// What the serving process is and what it holds.
import { z } from 'zod';

export const ServerInfo = z
  .object({
    name: z.literal('shoebox'),
    version: z.string(),
    mode: z.enum(['desktop', 'headless', 'server']),
    apiVersion: z.number().int(),
    assets: z.object({ image: z.number().int(), video: z.number().int(), failed: z.number().int(), offline: z.number().int() }),
    roots: z.number().int(),
    startedAt: z.string(),
  })
  .meta({ id: 'ServerInfo' });
export type ServerInfo = z.infer<typeof ServerInfo>;
