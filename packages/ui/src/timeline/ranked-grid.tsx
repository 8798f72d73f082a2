// A flat grid of ranked results (smart search, similar photos): best match first, in justified
// rows without month or day headings, virtualised by row so a thousand results stay light. The
// same thumbnails, selection and keyboard behaviour as the timeline.
import { useCallback, useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TimelineAsset } from '@shoebox/core/contract';
import { useDragOut } from '../desktop/file-actions.tsx';
import { clampRatio, justify } from './justify.ts';
import { metricsFor } from './month-layout.ts';
import { useGridSelection, type Selection } from './selection.ts';
import { Thumbnail } from './thumbnail.tsx';
import { useElementSize } from './use-element-size.ts';

export interface RankedRow {
  top: number;
  height: number;
  cells: { asset: TimelineAsset; left: number; width: number }[];
}

/** Justified rows in the given order, stacked from the top. */
export function layoutRanked(items: readonly TimelineAsset[], width: number): { rows: RankedRow[]; height: number } {
  const m = metricsFor(width);
  const rows: RankedRow[] = [];
  let y = 0;
  for (const row of justify(items.map((a) => clampRatio(a.width, a.height)), m.width, m.rowHeight, m.gap)) {
    let left = 0;
    const cells = [];
    for (let k = row.start; k < row.end; k++) {
      const w = row.widths[k - row.start]!;
      cells.push({ asset: items[k]!, left, width: w });
      left += w + m.gap;
    }
    rows.push({ top: y, height: row.height, cells });
    y += row.height + m.gap;
  }
  return { rows, height: Math.ceil(y) };
}

interface RankedGridProps {
  items: readonly TimelineAsset[];
  selection: Selection;
  onOpen(id: string): void;
  /** Above the first row (the photo "similar" started from). */
  header?: ReactNode;
  /** Below the last row ("Show more results"). */
  footer?: ReactNode;
}

export function RankedGrid({ items, selection, onOpen, header, footer }: RankedGridProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const size = useElementSize(scroller);
  const inset = size.width < 600 ? 4 : 16;
  const width = Math.max(0, size.width - inset * 2);
  const top = useRef<HTMLDivElement>(null);
  const headerHeight = useElementSize(top).height;
  const layout = useMemo(() => layoutRanked(items, width), [items, width]);
  const gap = metricsFor(width).gap;
  const virtualizer = useVirtualizer({
    count: width > 0 ? layout.rows.length : 0,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (layout.rows[i]?.height ?? 0) + gap,
    scrollMargin: headerHeight,
    overscan: 4,
  });
  // Rows are computed, not measured: a new width or a longer list re-sizes them all.
  useLayoutEffect(() => virtualizer.measure(), [layout, virtualizer]);

  const ids = useMemo(() => items.map((a) => a.id), [items]);
  const order = useCallback(() => ids, [ids]);
  const { onActivate, onToggle } = useGridSelection(selection, order, onOpen);
  const onDragOut = useDragOut(selection);

  const selecting = selection.size > 0;
  return (
    <div className="grid-wrap">
      <div ref={scroller} className="timeline-scroller ranked-scroller" data-testid="ranked-grid">
        <div ref={top}>{header}</div>
        <div className="timeline-content" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = layout.rows[item.index]!;
            return row.cells.map((c) => (
              <Thumbnail
                key={c.asset.id}
                asset={c.asset}
                left={inset + c.left}
                top={item.start - headerHeight}
                width={c.width}
                height={row.height}
                selected={selection.has(c.asset.id)}
                selecting={selecting}
                onActivate={onActivate}
                onToggle={onToggle}
                onDragOut={onDragOut}
              />
            ));
          })}
        </div>
        {footer}
      </div>
    </div>
  );
}
