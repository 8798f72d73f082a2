// One month of the grid: its header, and of its days and rows only those near the viewport.
import { memo, type MouseEvent } from 'react';
import type { TimelineAsset } from '@shoebox/core/contract';
import type { MonthLayout } from './month-layout.ts';
import { firstRowAt } from './month-layout.ts';
import { Thumbnail } from './thumbnail.tsx';
import { dayLabel, monthLabel, countLabel } from './format.ts';
import type { Selection } from './selection.ts';
import { Icon } from '../components/icons.tsx';

interface MonthBlockProps {
  month: string;
  count: number;
  top: number;
  height: number;
  layout: MonthLayout | null;
  error: string | null;
  /** The part of the month to render, relative to its top. */
  from: number;
  to: number;
  inset: number;
  selection: Selection;
  onActivate(asset: TimelineAsset, event: MouseEvent): void;
  onToggle(asset: TimelineAsset, event: MouseEvent): void;
  onDragOut: ((asset: TimelineAsset) => void) | undefined;
  onRetry(): void;
}

export const MonthBlock = memo(function MonthBlock(p: MonthBlockProps) {
  const rows = p.layout?.rows ?? [];
  const first = firstRowAt(rows, p.from);
  const visible = [];
  for (let i = first; i < rows.length && rows[i]!.top <= p.to; i++) visible.push(rows[i]!);
  const days = (p.layout?.days ?? []).filter((d, i, all) => {
    const next = all[i + 1];
    return d.top <= p.to && (next ? next.top : Infinity) >= p.from;
  });
  const selecting = p.selection.size > 0;
  return (
    <section className="month" style={{ top: p.top, height: p.height }} data-testid="month" data-month={p.month} aria-label={monthLabel(p.month)}>
      <h2 className="month-header" data-testid="month-header" style={{ left: p.inset }}>
        {monthLabel(p.month)} <span className="muted">{countLabel(p.count, 'item')}</span>
      </h2>
      {!p.layout && !p.error && <div className="month-skeleton" style={{ left: p.inset, right: 0, top: 56 }} aria-hidden="true" />}
      {p.error && (
        <div className="month-error" role="alert" style={{ left: p.inset, top: 56 }}>
          Could not load {monthLabel(p.month)}: {p.error}{' '}
          <button type="button" className="btn btn-small" onClick={p.onRetry}>Try again</button>
        </div>
      )}
      {days.map((d) => {
        const all = d.ids.every((id) => p.selection.has(id));
        return (
          <div key={`${d.day}:${d.top}`} className="day-header" style={{ top: d.top, left: p.inset }}>
            <button
              type="button"
              className={`day-check${all ? ' is-on' : ''}`}
              role="checkbox"
              aria-checked={all}
              aria-label={`Select all of ${dayLabel(d.day)}`}
              data-testid="day-select"
              onClick={() => p.selection.setMany(d.ids, !all)}
            >
              <Icon name="check" size={14} />
            </button>
            <span>{dayLabel(d.day)}</span>
          </div>
        );
      })}
      {visible.map((row) =>
        row.cells.map((c) => (
          <Thumbnail
            key={c.asset.id}
            asset={c.asset}
            left={p.inset + c.left}
            top={row.top}
            width={c.width}
            height={row.height}
            selected={p.selection.has(c.asset.id)}
            selecting={selecting}
            onActivate={p.onActivate}
            onToggle={p.onToggle}
            onDragOut={p.onDragOut}
          />
        )),
      )}
    </section>
  );
});
