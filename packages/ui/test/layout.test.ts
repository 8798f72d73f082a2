// Justified rows and month layout: aspect ratios kept, full rows span the width, days and rows
// stacked in order, and the count-only estimate close to the real height.
import { describe, expect, it } from 'vitest';
import type { TimelineAsset } from '@shoebox/core/contract';
import { clampRatio, justify } from '../src/timeline/justify.ts';
import { estimateMonthHeight, firstRowAt, layoutMonth, metricsFor } from '../src/timeline/month-layout.ts';

function asset(i: number, day: string, w = 4000, h = 3000): TimelineAsset {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, type: 'image', fileName: `${i}.jpg`,
    takenAt: `${day}T12:00:00+01:00`, width: w, height: h, duration: null, isFavorite: false, isArchived: false,
    isTrashed: false, rating: null, livePhotoVideoId: null, motionPhoto: false, thumbhash: null,
  };
}

describe('justify', () => {
  it('fills each full row to the width and keeps every ratio', () => {
    const ratios = [1.5, 0.75, 1.33, 1, 1.78, 0.56, 1.5, 1.5, 1.5, 2.5, 1];
    const rows = justify(ratios, 1000, 200, 4);
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows.slice(0, -1)) {
      const used = row.widths.reduce((a, b) => a + b, 0) + 4 * (row.widths.length - 1);
      expect(used).toBeCloseTo(1000, 6);
      expect(row.height).toBeLessThanOrEqual(200);
      row.widths.forEach((w, k) => expect(w / row.height).toBeCloseTo(ratios[row.start + k]!, 6));
    }
    const last = rows.at(-1)!;
    expect(last.height).toBe(200);
    expect(rows.map((r) => r.end - r.start).reduce((a, b) => a + b, 0)).toBe(ratios.length);
  });
  it('clamps panoramas and missing sizes', () => {
    expect(clampRatio(10000, 1000)).toBe(3);
    expect(clampRatio(100, 1000)).toBe(0.5);
    expect(clampRatio(null, 10)).toBe(1);
  });
});

describe('layoutMonth', () => {
  const m = metricsFor(1200);
  const assets = [
    ...Array.from({ length: 7 }, (_, i) => asset(i, '2024-05-20')),
    ...Array.from({ length: 3 }, (_, i) => asset(10 + i, '2024-05-03', 3000, 4000)),
  ];
  const layout = layoutMonth(assets, m);

  it('groups by local day, newest first as given, each day with its rows', () => {
    expect(layout.days.map((d) => d.day)).toEqual(['2024-05-20', '2024-05-03']);
    expect(layout.days[0]!.ids).toHaveLength(7);
    const cells = layout.rows.flatMap((r) => r.cells.map((c) => c.index));
    expect(cells).toEqual(assets.map((_, i) => i));
    expect(layout.rows.every((r, i, all) => i === 0 || r.top > all[i - 1]!.top)).toBe(true);
    expect(layout.days[1]!.top).toBeGreaterThan(layout.rows.filter((r) => r.day === '2024-05-20').at(-1)!.top);
  });
  it('finds the first row at a position by binary search', () => {
    expect(firstRowAt(layout.rows, 0)).toBe(0);
    expect(firstRowAt(layout.rows, layout.height + 1)).toBe(layout.rows.length);
    const second = layout.rows[1]!;
    expect(firstRowAt(layout.rows, second.top + 1)).toBe(1);
  });
  it('estimates a month from its count within a reasonable margin', () => {
    const big = Array.from({ length: 600 }, (_, i) => asset(i, `2024-05-${String(1 + (i % 28)).padStart(2, '0')}`));
    big.sort((a, b) => b.takenAt.localeCompare(a.takenAt));
    const real = layoutMonth(big, m).height;
    const estimate = estimateMonthHeight(600, m);
    expect(estimate / real).toBeGreaterThan(0.6);
    expect(estimate / real).toBeLessThan(1.6);
  });
});
