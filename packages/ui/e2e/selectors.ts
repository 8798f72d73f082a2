// The hooks the UI exposes to tests and the benchmark, in one place so that a rename is one edit.
export const sel = {
  timelineScroller: '[data-testid="timeline-scroller"]',
  /** A thumbnail button; it carries `data-asset-id`. */
  thumb: '[data-testid="thumb"]',
  thumbWithId: (assetId: string) => `[data-testid="thumb"][data-asset-id="${assetId}"]`,
  /** The thumbnail image inside a thumb, reported by the Element Timing API. */
  thumbImage: '[data-testid="thumb"] img[elementtiming="thumbnail"]',
  scrubber: '[data-testid="scrubber"]',
} as const;
