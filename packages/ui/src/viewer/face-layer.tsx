// Face boxes over the viewer's picture. The boxes are fractions of the displayed picture, so the
// layer is sized to the picture as laid out (inside the zoom and pan transform, which then moves
// the boxes with it) and each box is placed in percentages. Labels and borders keep their size
// on screen at any zoom through the --zoom variable the viewer sets on the zoomed content.
import { useLayoutEffect, useState, type RefObject } from 'react';
import type { Face } from '@shoebox/core/contract';

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Where a picture of `natural` size is drawn inside an element box with object-fit: contain. */
export function containedRect(box: Rect, natural: { width: number; height: number }): Rect {
  if (!natural.width || !natural.height || !box.width || !box.height) return box;
  const scale = Math.min(box.width / natural.width, box.height / natural.height);
  const width = natural.width * scale;
  const height = natural.height * scale;
  return { left: box.left + (box.width - width) / 2, top: box.top + (box.height - height) / 2, width, height };
}

export function faceName(face: Pick<Face, 'personId' | 'personName'>): string {
  if (!face.personId) return 'Unknown';
  return face.personName?.trim() || 'Unnamed person';
}

const pct = (v: number) => `${Math.round(v * 100_000) / 1000}%`;

interface FaceLayerProps {
  faces: readonly Face[];
  img: RefObject<HTMLImageElement | null>;
  /** Changes when the picture does (the preview arrived, or fell back to the thumbnail). */
  source: string;
  visible: boolean;
  /** A face pointed at in the info panel: shown even while the boxes are hidden. */
  highlight: string | null;
}

export function FaceLayer({ faces, img, source, visible, highlight }: FaceLayerProps) {
  const [rect, setRect] = useState<Rect | null>(null);
  useLayoutEffect(() => {
    const el = img.current;
    if (!el) return;
    const measure = () => {
      const box = { left: el.offsetLeft, top: el.offsetTop, width: el.offsetWidth, height: el.offsetHeight };
      const next = containedRect(box, { width: el.naturalWidth, height: el.naturalHeight });
      setRect((r) => (r && r.left === next.left && r.top === next.top && r.width === next.width && r.height === next.height ? r : next));
    };
    measure();
    el.addEventListener('load', measure);
    // The picture moves without changing size when its stage does (the info panel opens below it
    // on a phone): the stage is watched as well as the picture.
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    if (el.parentElement) observer.observe(el.parentElement);
    return () => {
      el.removeEventListener('load', measure);
      observer.disconnect();
    };
  }, [img, source]);

  const shown = faces.filter((f) => visible || f.id === highlight);
  if (!rect || rect.width === 0 || faces.length === 0) return null;
  return (
    <div className="face-layer" style={rect} data-testid="face-layer" aria-hidden="true">
      {shown.map((f) => (
        <div
          key={f.id}
          className={`face-box${f.id === highlight ? ' is-highlighted' : ''}${f.personId ? '' : ' is-unknown'}`}
          style={{ left: pct(f.box.x), top: pct(f.box.y), width: pct(f.box.width), height: pct(f.box.height) }}
          data-testid="face-box"
          data-face-id={f.id}
        >
          <span className="face-label">{faceName(f)}</span>
        </div>
      ))}
    </div>
  );
}
