// Lays out one month of the grid: a month header, then per day a header and justified rows.
// Heights are computed, not measured, so the virtualiser knows a month's size before it renders.
import type { TimelineAsset } from '@shoebox/core/contract';
import { clampRatio, justify } from './justify.ts';

export interface GridMetrics {
  width: number;
  rowHeight: number;
  gap: number;
  monthHeader: number;
  dayHeader: number;
  dayGap: number;
}

export interface LaidCell {
  asset: TimelineAsset;
  /** Position of the asset in the month (newest first). */
  index: number;
  left: number;
  width: number;
}

export interface LaidRow {
  top: number;
  height: number;
  day: string;
  cells: LaidCell[];
}

export interface LaidDay {
  day: string;
  top: number;
  ids: string[];
}

export interface MonthLayout {
  height: number;
  rows: LaidRow[];
  days: LaidDay[];
}

export function metricsFor(width: number): GridMetrics {
  const phone = width < 600;
  return { width, rowHeight: phone ? 110 : 220, gap: phone ? 2 : 4, monthHeader: 56, dayHeader: 40, dayGap: 8 };
}

/** The local capture day of an asset (YYYY-MM-DD), from its local ISO time. */
export function dayOf(asset: Pick<TimelineAsset, 'takenAt'>): string {
  return asset.takenAt.slice(0, 10);
}

export function layoutMonth(assets: readonly TimelineAsset[], m: GridMetrics): MonthLayout {
  const rows: LaidRow[] = [];
  const days: LaidDay[] = [];
  let y = m.monthHeader;
  let i = 0;
  while (i < assets.length) {
    const day = dayOf(assets[i]!);
    let end = i;
    while (end < assets.length && dayOf(assets[end]!) === day) end++;
    const dayAssets = assets.slice(i, end);
    days.push({ day, top: y, ids: dayAssets.map((a) => a.id) });
    y += m.dayHeader;
    const justified = justify(dayAssets.map((a) => clampRatio(a.width, a.height)), m.width, m.rowHeight, m.gap);
    for (const row of justified) {
      let left = 0;
      const cells: LaidCell[] = [];
      for (let k = row.start; k < row.end; k++) {
        const width = row.widths[k - row.start]!;
        cells.push({ asset: dayAssets[k]!, index: i + k, left, width });
        left += width + m.gap;
      }
      rows.push({ top: y, height: row.height, day, cells });
      y += row.height + m.gap;
    }
    y += m.dayGap;
    i = end;
  }
  return { height: Math.ceil(y), rows, days };
}

/** A month's height before its assets are loaded, from its count alone (to size the scrollbar). */
export function estimateMonthHeight(count: number, m: GridMetrics): number {
  const perRow = Math.max(1, (m.width + m.gap) / (m.rowHeight * 1.35 + m.gap));
  const days = Math.min(count, Math.max(1, Math.round(count / 12)));
  const rows = Math.ceil(count / perRow) + Math.floor(days / 2);
  return Math.ceil(m.monthHeader + days * (m.dayHeader + m.dayGap) + rows * (m.rowHeight + m.gap));
}

/** Index of the first row whose bottom is at or below `y` (binary search; rows are sorted). */
export function firstRowAt(rows: readonly LaidRow[], y: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = rows[mid]!;
    if (r.top + r.height < y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
