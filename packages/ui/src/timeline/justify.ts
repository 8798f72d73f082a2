// Justified rows: pictures keep their aspect ratio and every full row spans the whole width, each
// row's height as close to the target as the pictures allow (the Flickr/Google Photos layout).

export interface JustifiedRow {
  /** Index of the row's first item. */
  start: number;
  /** One past the row's last item. */
  end: number;
  height: number;
  widths: number[];
}

/** Very wide or tall pictures are shown cropped to these ratios so a row stays usable. */
export const MIN_RATIO = 0.5;
export const MAX_RATIO = 3;

export function clampRatio(width: number | null, height: number | null): number {
  if (!width || !height || width <= 0 || height <= 0) return 1;
  return Math.min(MAX_RATIO, Math.max(MIN_RATIO, width / height));
}

/**
 * Greedy justification: items join a row until the row, scaled to the full width, would be no
 * taller than the target. The last row keeps the target height instead of being stretched.
 */
export function justify(ratios: readonly number[], width: number, targetHeight: number, gap: number): JustifiedRow[] {
  const rows: JustifiedRow[] = [];
  if (width <= 0) return rows;
  let start = 0;
  let sum = 0;
  for (let i = 0; i < ratios.length; i++) {
    sum += ratios[i]!;
    const n = i - start + 1;
    const height = (width - gap * (n - 1)) / sum;
    if (height <= targetHeight) {
      rows.push(makeRow(ratios, start, i + 1, height));
      start = i + 1;
      sum = 0;
    }
  }
  if (start < ratios.length) rows.push(makeRow(ratios, start, ratios.length, targetHeight));
  return rows;
}

function makeRow(ratios: readonly number[], start: number, end: number, height: number): JustifiedRow {
  const widths: number[] = [];
  for (let i = start; i < end; i++) widths.push(ratios[i]! * height);
  return { start, end, height, widths };
}
