// The virtualised grid every page uses: months sized from their counts (timeline/buckets), the
// months in view loaded (timeline/bucket) and laid out in justified rows, only the rows near the
// viewport in the DOM, and the date scrubber on the right.
import { useCallback, useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TimeBucketAssets } from '@shoebox/core/contract';
import { useApi } from '../api/api-context.tsx';
import { fetchBucket, filterQuery, keys, useBuckets, type GridFilter } from '../api/queries.ts';
import { plainError } from '../api/errors.ts';
import { ErrorState, Loading } from '../components/states.tsx';
import { useDragOut } from '../desktop/file-actions.tsx';
import { estimateMonthHeight, layoutMonth, metricsFor, type MonthLayout } from './month-layout.ts';
import { MonthBlock } from './month-block.tsx';
import { Scrubber } from './scrubber.tsx';
import { useGridSelection, type Selection } from './selection.ts';
import { useElementSize } from './use-element-size.ts';
import { useSettled } from './use-settled.ts';

interface TimelineGridProps {
  filter: GridFilter;
  selection: Selection;
  onOpen(id: string): void;
  empty: ReactNode;
}

/** The assets of every loaded month of a grid, in grid order (for shift-click ranges). */
export function loadedOrder(qc: ReturnType<typeof useQueryClient>, filter: GridFilter, months: readonly string[]): string[] {
  const out: string[] = [];
  for (const m of months) {
    const data = qc.getQueryData<TimeBucketAssets>(keys.bucket(filter, m));
    if (data) for (const a of data.assets) out.push(a.id);
  }
  return out;
}

export function TimelineGrid({ filter, selection, onOpen, empty }: TimelineGridProps) {
  const api = useApi();
  const qc = useQueryClient();
  const buckets = useBuckets(filter);
  const scroller = useRef<HTMLDivElement>(null);
  const size = useElementSize(scroller);
  const phone = size.width < 600;
  const inset = phone ? 4 : 16;
  const scrubberWidth = phone ? 36 : 64;
  const metrics = useMemo(() => metricsFor(Math.max(0, size.width - scrubberWidth - inset)), [size.width, scrubberWidth, inset]);
  const list = useMemo(() => buckets.data ?? [], [buckets.data]);
  const filterKey = JSON.stringify(filterQuery(filter));

  // Layouts per month, valid for one width and one answer; remade when either changes.
  const layouts = useRef(new Map<string, { data: TimeBucketAssets; width: number; layout: MonthLayout }>());
  const layoutOf = useCallback(
    (month: string): MonthLayout | null => {
      const data = qc.getQueryData<TimeBucketAssets>(keys.bucket(filter, month));
      if (!data) return null;
      const hit = layouts.current.get(month);
      if (hit && hit.data === data && hit.width === metrics.width) return hit.layout;
      const layout = layoutMonth(data.assets, metrics);
      layouts.current.set(month, { data, width: metrics.width, layout });
      return layout;
    },
    [qc, filterKey, metrics],
  );

  const estimateSize = useCallback(
    (i: number) => {
      const b = list[i];
      if (!b) return 0;
      return layoutOf(b.timeBucket)?.height ?? estimateMonthHeight(b.count, metrics);
    },
    [list, layoutOf, metrics],
  );

  const virtualizer = useVirtualizer({
    count: metrics.width > 0 ? list.length : 0,
    getScrollElement: () => scroller.current,
    estimateSize,
    getItemKey: (i) => list[i]?.timeBucket ?? i,
    overscan: 1,
  });

  // A new width re-estimates every month; loaded ones are resized below.
  useLayoutEffect(() => {
    layouts.current.clear();
    virtualizer.measure();
  }, [metrics.width, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const visibleMonths = items.map((it) => list[it.index]?.timeBucket).filter((m): m is string => !!m).join(',');
  const wanted = useSettled(visibleMonths, virtualizer.isScrolling ? 150 : 0);
  const monthQueries = useQueries({
    queries: wanted.split(',').filter(Boolean).map((m) => ({
      queryKey: keys.bucket(filter, m),
      queryFn: () => fetchBucket(api, filter, m),
      staleTime: 30_000,
    })),
  });
  const errors = new Map<string, string>();
  wanted.split(',').filter(Boolean).forEach((m, i) => {
    const q = monthQueries[i];
    if (q?.error) errors.set(m, plainError(q.error));
  });
  const loadedKey = monthQueries.map((q) => q.dataUpdatedAt).join(',');

  // A month that has loaded takes its real height; a month above the viewport that changes size
  // moves the scroll position with it, so what is on screen stays put.
  useLayoutEffect(() => {
    list.forEach((b, i) => {
      const layout = layoutOf(b.timeBucket);
      if (!layout) return;
      const current = virtualizer.measurementsCache[i]?.size;
      if (current !== layout.height) virtualizer.resizeItem(i, layout.height);
    });
  }, [loadedKey, list, layoutOf, virtualizer]);

  const months = useMemo(() => list.map((b) => b.timeBucket), [list]);
  const order = useCallback(() => loadedOrder(qc, filter, months), [qc, filter, months]);
  // Ctrl/Cmd+A selects every loaded asset of this grid.
  const { onActivate, onToggle } = useGridSelection(selection, order, onOpen);
  const onDragOut = useDragOut(selection);

  const totalSize = virtualizer.getTotalSize();
  const measurements = virtualizer.measurementsCache;
  const starts = useMemo(() => measurements.map((m) => m.start), [measurements]);
  const sizes = useMemo(() => measurements.map((m) => m.size), [measurements]);
  const scrollOffset = virtualizer.scrollOffset ?? 0;
  const margin = Math.max(400, size.height);

  let body: ReactNode = null;
  if (buckets.error) body = <ErrorState error={buckets.error} onRetry={() => void buckets.refetch()} />;
  else if (buckets.isPending) body = <Loading label="Loading your library" />;
  else if (list.length === 0) body = <div className="empty">{empty}</div>;

  return (
    <div className="grid-wrap">
      <div ref={scroller} className="timeline-scroller" data-testid="timeline-scroller" style={{ paddingRight: scrubberWidth }}>
        {body ?? (
          <div className="timeline-content" style={{ height: totalSize }}>
            {items.map((item) => {
              const b = list[item.index]!;
              return (
                <MonthBlock
                  key={b.timeBucket}
                  month={b.timeBucket}
                  count={b.count}
                  top={item.start}
                  height={item.size}
                  layout={layoutOf(b.timeBucket)}
                  error={errors.get(b.timeBucket) ?? null}
                  from={scrollOffset - item.start - margin}
                  to={scrollOffset - item.start + size.height + margin}
                  inset={inset}
                  selection={selection}
                  onActivate={onActivate}
                  onToggle={onToggle}
                  onDragOut={onDragOut}
                  onRetry={() => void qc.refetchQueries({ queryKey: keys.bucket(filter, b.timeBucket) })}
                />
              );
            })}
          </div>
        )}
      </div>
      {!body && (
        <Scrubber
          buckets={list}
          starts={starts}
          sizes={sizes}
          totalSize={totalSize}
          scrollOffset={scrollOffset}
          viewportHeight={size.height}
          onScrollTo={(offset) => {
            if (scroller.current) scroller.current.scrollTop = offset;
          }}
        />
      )}
    </div>
  );
}
