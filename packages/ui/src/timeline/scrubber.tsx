// The date scrollbar on the grid's right edge. Each month gets a slice of its height in proportion
// to the month's size in the grid, known from the per-month counts before any month loads, so
// dragging to a month lands on it. Keyboard: arrows move a month, Page Up/Down a year.
import { useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { TimeBucket } from '@shoebox/core/contract';
import { monthLabel } from './format.ts';

interface ScrubberProps {
  buckets: readonly TimeBucket[];
  /** Start offset and size of each month in the grid, in pixels. */
  starts: readonly number[];
  sizes: readonly number[];
  totalSize: number;
  scrollOffset: number;
  viewportHeight: number;
  onScrollTo(offset: number): void;
}

const PAD = 8;

export function Scrubber(p: ScrubberProps) {
  const track = useRef<HTMLDivElement>(null);
  const [hoverY, setHoverY] = useState<number | null>(null);
  const [dragging, setDragging] = useState(false);
  const trackHeight = Math.max(1, p.viewportHeight - PAD * 2);
  const scale = p.totalSize > 0 ? trackHeight / p.totalSize : 0;

  /** Month index and grid offset for a y position on the track. */
  const at = (y: number): { index: number; offset: number } => {
    const target = Math.min(Math.max(0, y / scale), p.totalSize);
    let lo = 0;
    let hi = p.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (p.starts[mid]! <= target) lo = mid;
      else hi = mid - 1;
    }
    return { index: lo, offset: target };
  };

  const yOf = (e: PointerEvent): number => e.clientY - (track.current?.getBoundingClientRect().top ?? 0);
  const scrollToY = (y: number) => p.onScrollTo(at(y).offset);

  const labels = useMemo(() => {
    const out: { index: number; top: number; text: string }[] = [];
    let lastTop = -Infinity;
    let lastYear = '';
    p.buckets.forEach((b, i) => {
      const year = b.timeBucket.slice(0, 4);
      const top = (p.starts[i] ?? 0) * scale;
      if (year !== lastYear && top - lastTop >= 18) {
        out.push({ index: i, top, text: year });
        lastTop = top;
      }
      lastYear = year;
    });
    return out;
  }, [p.buckets, p.starts, scale]);

  if (p.buckets.length === 0) return null;
  const current = at(p.scrollOffset * scale).index;
  const hover = hoverY === null ? null : at(hoverY).index;
  const onKey = (e: KeyboardEvent) => {
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : e.key === 'PageDown' ? 12 : e.key === 'PageUp' ? -12 : 0;
    let index = current + step;
    if (e.key === 'Home') index = 0;
    else if (e.key === 'End') index = p.buckets.length - 1;
    else if (step === 0) return;
    e.preventDefault();
    index = Math.min(Math.max(0, index), p.buckets.length - 1);
    p.onScrollTo(p.starts[index] ?? 0);
  };

  return (
    <div
      className={`scrubber${dragging ? ' is-dragging' : ''}`}
      data-testid="scrubber"
      role="slider"
      tabIndex={0}
      aria-label="Timeline date"
      aria-orientation="vertical"
      aria-valuemin={0}
      aria-valuemax={p.buckets.length - 1}
      aria-valuenow={current}
      aria-valuetext={monthLabel(p.buckets[current]?.timeBucket ?? '')}
      onKeyDown={onKey}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        setDragging(true);
        scrollToY(yOf(e));
      }}
      onPointerMove={(e) => {
        const y = yOf(e);
        setHoverY(y);
        if (dragging) scrollToY(y);
      }}
      onPointerUp={() => setDragging(false)}
      onPointerCancel={() => setDragging(false)}
      onPointerLeave={() => setHoverY(null)}
    >
      <div className="scrubber-track" ref={track} style={{ top: PAD, height: trackHeight }}>
        {p.buckets.map((b, i) => (
          <div
            key={b.timeBucket}
            className="scrubber-month"
            data-testid="scrubber-month"
            data-month={b.timeBucket}
            style={{ top: (p.starts[i] ?? 0) * scale, height: Math.max(1, (p.sizes[i] ?? 0) * scale) }}
          />
        ))}
        {labels.map((l) => (
          <span key={l.index} className="scrubber-year" style={{ top: l.top }}>{l.text}</span>
        ))}
        <div className="scrubber-thumb" style={{ top: p.scrollOffset * scale }} />
        {hover !== null && hoverY !== null && (
          <div className="scrubber-hover" style={{ top: Math.min(Math.max(0, hoverY), trackHeight) }}>
            {monthLabel(p.buckets[hover]!.timeBucket)}
          </div>
        )}
      </div>
    </div>
  );
}
