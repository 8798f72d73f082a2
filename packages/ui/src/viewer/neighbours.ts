// Previous/next in the viewer follow the grid it was opened from, across month boundaries
// (loading the next month when it is not in the cache yet).
import type { QueryClient } from '@tanstack/react-query';
import type { TimeBucket, TimeBucketAssets } from '@shoebox/core/contract';
import type { ApiClient } from '../api/client.ts';
import { fetchBucket, keys, type GridFilter } from '../api/queries.ts';

export async function neighbour(qc: QueryClient, api: ApiClient, filter: GridFilter, id: string, dir: 1 | -1): Promise<string | null> {
  const buckets = qc.getQueryData<TimeBucket[]>(keys.buckets(filter)) ?? [];
  for (let i = 0; i < buckets.length; i++) {
    const data = qc.getQueryData<TimeBucketAssets>(keys.bucket(filter, buckets[i]!.timeBucket));
    const k = data?.assets.findIndex((a) => a.id === id) ?? -1;
    if (!data || k < 0) continue;
    const j = k + dir;
    if (j >= 0 && j < data.assets.length) return data.assets[j]!.id;
    for (let m = i + dir; m >= 0 && m < buckets.length; m += dir) {
      const month = buckets[m]!.timeBucket;
      const next = await qc.fetchQuery({ queryKey: keys.bucket(filter, month), queryFn: () => fetchBucket(api, filter, month), staleTime: 30_000 });
      if (next.assets.length > 0) return dir > 0 ? next.assets[0]!.id : next.assets[next.assets.length - 1]!.id;
    }
    return null;
  }
  return null;
}
