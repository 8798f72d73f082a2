// The hooks the UI exposes to tests and the benchmark, in one place so that a rename is one edit.
export const sel = {
  timelineScroller: '[data-testid="timeline-scroller"]',
  /** A thumbnail button; it carries `data-asset-id`. */
  thumb: '[data-testid="thumb"]',
  thumbWithId: (assetId: string) => `[data-testid="thumb"][data-asset-id="${assetId}"]`,
  /** The thumbnail image inside a thumb, reported by the Element Timing API. */
  thumbImage: '[data-testid="thumb"] img[elementtiming="thumbnail"]',
  scrubber: '[data-testid="scrubber"]',
  /** A person on the People page; it carries `data-person-id` and `data-asset-count`. */
  personCard: '[data-testid="person-card"]',
  /** A face box over the viewer's picture; it carries `data-face-id`. */
  faceBox: '[data-testid="face-box"]',
  /** The flat grid of ranked results (smart search, similar photos). */
  rankedGrid: '[data-testid="ranked-grid"]',
} as const;
