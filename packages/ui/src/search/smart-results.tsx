// Smart search results for the search page: the ranked assets for `q` within the filters, what
// stops the search when it cannot run, and the caption and "more results" around the grid.
import { useEffect, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { RankedAsset } from '@shoebox/core/contract';
import { ApiError } from '../api/client.ts';
import { keys, useJobs, useMlStatus, useSmartSearch, type GridFilter } from '../api/queries.ts';
import { useCanSeeJobs } from '../app/session.tsx';
import { ErrorState, Loading } from '../components/states.tsx';
import { countLabel } from '../timeline/format.ts';
import { smartBlock, SmartSearchNotice, type SmartBlock } from './smart-search-notice.tsx';

export const PAGE = 200;
export const MAX_RESULTS = 1000;

export interface SmartResults {
  /** A banner for the top of the page (smart search off, models missing), or null. */
  notice: ReactNode;
  /** Shown instead of the grid (searching, failed, nothing found), or undefined when there are results. */
  idle: ReactNode | undefined;
  ranked: { items: readonly RankedAsset[]; header: ReactNode; footer: ReactNode } | undefined;
}

function answered(error: unknown): SmartBlock | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === 'MODEL_MISSING') return 'models-missing';
  if (error.code === 'ML_DISABLED') return 'smart-off';
  return null;
}

export function useSmartResults(q: string, filter: GridFilter): SmartResults {
  const ml = useMlStatus();
  // The ML lane at work means more photos are being analysed: say so, and look again when nothing matched yet.
  const jobs = useJobs({ refetchInterval: 5000, enabled: useCanSeeJobs() });
  const analysing = !!jobs.data?.lanes.some((l) => l.lane === 'ml' && l.queued + l.running > 0);
  const qc = useQueryClient();
  const [limit, setLimit] = useState(PAGE);
  const filterKey = JSON.stringify(filter);
  useEffect(() => setLimit(PAGE), [q, filterKey]);
  const block = smartBlock(ml.data, null);
  // Without a status (it failed to load), the search itself says whether it can run.
  const smart = useSmartSearch(q, filter, limit, ml.data ? block === null : ml.isError, analysing);
  const routeBlock = answered(smart.error);
  // The route knows better than a status fetched earlier: fetch it again.
  useEffect(() => {
    if (routeBlock) void qc.invalidateQueries({ queryKey: keys.ml() });
  }, [routeBlock, qc]);

  const shownBlock = smartBlock(ml.data, routeBlock);
  const notice = shownBlock ? <SmartSearchNotice block={shownBlock} ml={ml.data} /> : null;
  if (!q) return { notice, idle: undefined, ranked: undefined };
  if (shownBlock) {
    return {
      notice,
      idle: <div className="empty"><p>Searching by description is not available yet (see above). Clear the text to search by the filters alone.</p></div>,
      ranked: undefined,
    };
  }
  if (smart.error) return { notice, idle: <ErrorState title="The search failed" error={smart.error} onRetry={() => void smart.refetch()} />, ranked: undefined };
  if (!smart.data) return { notice, idle: <Loading label="Searching" />, ranked: undefined };

  const { items, indexed } = smart.data;
  const progress = analysing
    ? ` Shoebox is still analysing your library (${countLabel(indexed, 'photo')} so far); more will match as it goes.`
    : '';
  if (items.length === 0) {
    return {
      notice,
      idle: (
        <div className="empty" data-testid="smart-empty">
          <p>{indexed === 0 ? 'No photos have been analysed for smart search yet.' : `Nothing matches “${q}” within these filters.`}{progress}</p>
        </div>
      ),
      ranked: undefined,
    };
  }
  const more = items.length >= limit && limit < MAX_RESULTS;
  return {
    notice,
    idle: undefined,
    ranked: {
      items,
      header: (
        <p className="ranked-caption" data-testid="smart-caption">
          Best matches first for “{q}” · {countLabel(items.length, 'result')}.{progress}
        </p>
      ),
      footer: more ? (
        <div className="ranked-footer">
          <button type="button" className="btn" disabled={smart.isFetching} onClick={() => setLimit((l) => Math.min(MAX_RESULTS, l + PAGE))} data-testid="smart-more">
            {smart.isFetching ? 'Loading…' : 'Show more results'}
          </button>
        </div>
      ) : null,
    },
  };
}
