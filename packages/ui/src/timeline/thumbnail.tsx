// One grid cell: the thumbnail over its thumbhash placeholder, with badges (video length, Live
// Photo, favourite) and a selection check box. A button, so it is reachable by keyboard. In the
// desktop app it can be dragged out to other apps (the grid hands it `onDragOut`).
import { memo, useState, type MouseEvent } from 'react';
import type { TimelineAsset } from '@shoebox/core/contract';
import { useApi } from '../api/api-context.tsx';
import { placeholderUrl } from './thumbhash-url.ts';
import { durationLabel, takenLabel } from './format.ts';
import { Icon } from '../components/icons.tsx';

/** Element Timing: lets the browser report when the first thumbnails were painted. */
const TIMING = { elementtiming: 'thumbnail' } as Record<string, string>;

export function altText(asset: Pick<TimelineAsset, 'type' | 'fileName' | 'takenAt'>): string {
  const when = takenLabel(asset.takenAt);
  return `${asset.type === 'video' ? 'Video' : 'Photo'} ${asset.fileName}, ${when.date}${when.time ? ` ${when.time}` : ''}`;
}

interface ThumbProps {
  asset: TimelineAsset;
  left: number;
  top: number;
  width: number;
  height: number;
  selected: boolean;
  selecting: boolean;
  onActivate(asset: TimelineAsset, event: MouseEvent): void;
  onToggle(asset: TimelineAsset, event: MouseEvent): void;
  /** Desktop app: dragging starts a native drag of the file(s) instead of the browser's own. */
  onDragOut?: ((asset: TimelineAsset) => void) | undefined;
}

export const Thumbnail = memo(function Thumbnail(p: ThumbProps) {
  const api = useApi();
  const [state, setState] = useState<'loading' | 'ok' | 'missing'>('loading');
  const placeholder = placeholderUrl(p.asset.thumbhash);
  const a = p.asset;
  return (
    <div
      className={`thumb${p.selected ? ' is-selected' : ''}${p.selecting ? ' is-selecting' : ''}`}
      style={{
        left: p.left, top: p.top, width: p.width, height: p.height,
        backgroundImage: placeholder && state !== 'ok' ? `url(${placeholder})` : undefined,
      }}
    >
      <button
        type="button"
        className="thumb-open"
        data-testid="thumb"
        data-asset-id={a.id}
        aria-label={altText(a)}
        aria-pressed={p.selecting ? p.selected : undefined}
        onClick={(e) => p.onActivate(a, e)}
        draggable={p.onDragOut ? true : undefined}
        onDragStart={p.onDragOut && ((e) => {
          e.preventDefault();
          p.onDragOut?.(a);
        })}
      >
        <img
          {...TIMING}
          // A thumbnail made while the grid is open (the thumbhash arrives with it) loads afresh.
          key={a.thumbhash ?? 'none'}
          src={api.fileUrl('getAssetThumbnail', { params: { id: a.id } })}
          alt={altText(a)}
          decoding="async"
          draggable={false}
          className={state === 'ok' ? 'is-loaded' : undefined}
          onLoad={() => setState('ok')}
          onError={() => setState('missing')}
        />
        {state === 'missing' && !placeholder && <span className="thumb-missing"><Icon name={a.type === 'video' ? 'video' : 'image'} /></span>}
        <span className="thumb-badges" aria-hidden="true">
          {a.type === 'video' && <span className="badge">{durationLabel(a.duration)} <Icon name="play" /></span>}
          {a.livePhotoVideoId && <span className="badge">LIVE</span>}
          {a.motionPhoto && <span className="badge">MOTION</span>}
        </span>
        {a.isFavorite && <span className="thumb-fav" aria-hidden="true"><Icon name="heart-filled" /></span>}
      </button>
      <button
        type="button"
        className="thumb-check"
        role="checkbox"
        aria-checked={p.selected}
        aria-label={`Select ${a.fileName}`}
        data-testid="thumb-select"
        onClick={(e) => p.onToggle(a, e)}
      >
        <Icon name="check" />
      </button>
    </div>
  );
});
