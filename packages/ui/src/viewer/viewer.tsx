// The full-screen viewer over a grid: preview with zoom and pan, face boxes, video, Live Photo,
// previous/next with the arrow keys (in the grid's order, or the ranked order of search results),
// favourite, rating, archive, trash or restore, add to album, similar photos, download and the
// info panel; in the desktop app also "Show in folder" and "Open with default app".
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { ReactZoomPanPinchRef } from 'react-zoom-pan-pinch';
import { useApi } from '../api/api-context.tsx';
import { useAsset, useAssetFaces, useMlStatus, type GridFilter } from '../api/queries.ts';
import { useUpdateAssets } from '../api/mutations.ts';
import { AlbumPicker } from '../components/album-picker.tsx';
import { Icon } from '../components/icons.tsx';
import { ErrorState, Loading } from '../components/states.tsx';
import { isTyping } from '../app/shortcuts.tsx';
import { useFileActions, ViewerFileActions } from '../desktop/file-actions.tsx';
import { InfoPanel } from './info-panel.tsx';
import { MediaView } from './media-view.tsx';
import { neighbour } from './neighbours.ts';
import { useSwipe, type SwipeHandlers } from './use-swipe.ts';

interface ViewerProps {
  id: string;
  filter: GridFilter;
  /** Ranked results: previous and next follow this order instead of the timeline of `filter`. */
  order?: readonly string[] | undefined;
  onClose(): void;
  onNavigate(id: string): void;
}

const FACES_KEY = 'shoebox.faces';
const NO_FACES: readonly never[] = [];

function storedShowFaces(): boolean {
  try {
    return localStorage.getItem(FACES_KEY) !== 'hidden';
  } catch {
    return true;
  }
}

/** The id before (-1) or after (1) `id` in a ranked list; null at either end or when it is not there. */
export function inOrder(order: readonly string[], id: string, dir: 1 | -1): string | null {
  const i = order.indexOf(id);
  return i < 0 ? null : (order[i + dir] ?? null);
}

export function Viewer({ id, filter, order, onClose, onNavigate }: ViewerProps) {
  const api = useApi();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const asset = useAsset(id);
  const faces = useAssetFaces(id);
  const ml = useMlStatus();
  const [showFaces, setShowFaces] = useState(storedShowFaces);
  const [highlight, setHighlight] = useState<string | null>(null);
  useEffect(() => setHighlight(null), [id]);
  const toggleFaces = useCallback(() => setShowFaces((v) => {
    try {
      localStorage.setItem(FACES_KEY, v ? 'hidden' : 'shown');
    } catch {
      // Private mode: the choice lasts for this visit.
    }
    return !v;
  }), []);
  const update = useUpdateAssets();
  const zoom = useRef<ReactZoomPanPinchRef | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const [info, setInfo] = useState(() => window.innerWidth > 900);
  const [picker, setPicker] = useState(false);
  const files = useFileActions();

  const a = asset.data;
  const takenAt = a?.takenAt;
  // Arrow presses queue up and each moves from where the previous one landed, even before React
  // has rendered that asset (a held-down arrow key repeats faster than a render).
  const current = useRef(id);
  useLayoutEffect(() => {
    current.current = id;
  }, [id]);
  const moves = useRef<Promise<void>>(Promise.resolve());
  const go = useCallback(
    (dir: 1 | -1) => {
      moves.current = moves.current.then(async () => {
        const from = current.current;
        const next = order
          ? inOrder(order, from, dir)
          : await neighbour(qc, api, filter, from, dir, from === a?.id ? takenAt : undefined).catch(() => null);
        if (next && current.current === from) {
          current.current = next;
          onNavigate(next);
        }
      });
      return moves.current;
    },
    [qc, api, filter, order, onNavigate, takenAt, a?.id],
  );

  const act = useCallback(
    async (patch: { isFavorite?: boolean; isArchived?: boolean; trashed?: boolean }) => {
      const leaves =
        (patch.trashed !== undefined && patch.trashed !== (filter.trashed ?? false)) ||
        (patch.isArchived !== undefined && filter.archived !== undefined && patch.isArchived !== filter.archived) ||
        (patch.isArchived === true && !filter.albumId && !filter.trashed && filter.archived === undefined) ||
        (patch.isFavorite === false && filter.favorite === true);
      // When the asset leaves this grid, the viewer moves on to its neighbour (found before the
      // change, while the asset is still in the grid's cache), or closes.
      const beside = async (dir: 1 | -1) => (order ? inOrder(order, id, dir) : neighbour(qc, api, filter, id, dir, takenAt));
      const next = leaves ? ((await beside(1)) ?? (await beside(-1))) : undefined;
      await update.mutateAsync({ ids: [id], patch });
      if (next) onNavigate(next);
      else if (next === null) onClose();
    },
    [update, id, filter, order, qc, api, takenAt, onNavigate, onClose],
  );

  // Modal: the page behind cannot be reached by Tab or a screen reader while the viewer is open,
  // and focus returns to the thumbnail that opened it.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const behind = [...document.querySelectorAll<HTMLElement>('.topbar, .sidebar, .tabbar, .grid-page > :not([data-testid="viewer"])')];
    for (const el of behind) el.inert = true;
    root.current?.focus();
    return () => {
      for (const el of behind) el.inert = false;
      opener?.focus();
    };
  }, []);

  // The key handler reads the latest state through a ref: a key pressed right after a navigation
  // must act on the asset now shown, not on the one before (effects re-subscribe only after paint).
  const onKey = (e: KeyboardEvent) => {
    if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey || picker) return;
    // A dialog over the viewer (the shortcut list) has the keyboard to itself.
    if (document.querySelector('dialog[open]')) return;
    const k = e.key;
    // Arrows seek a focused video and move between the rating stars.
    const control = e.target instanceof HTMLVideoElement || (e.target instanceof HTMLElement && e.target.getAttribute('role') === 'radio');
    if (control && k.startsWith('Arrow')) return;
    if (k === 'ArrowRight') void go(1);
    else if (k === 'ArrowLeft') void go(-1);
    else if (k === 'Escape') onClose();
    else if (k === 'i') setInfo((v) => !v);
    else if (k === 'p') toggleFaces();
    else if (!a) return;
    else if (k === 'f') void act({ isFavorite: !a.isFavorite });
    else if (k === 'a') void act({ isArchived: !a.isArchived });
    else if (k === 'Delete' || k === '#') void act({ trashed: a.trashedAt === null });
    else if (/^[0-5]$/.test(k)) update.mutate({ ids: [id], patch: { rating: k === '0' ? null : Number(k) }, quiet: true });
    else if (k === '+' || k === '=') zoom.current?.zoomIn();
    else if (k === '-') zoom.current?.zoomOut();
    else if (k === 'd') window.location.assign(api.fileUrl('getAssetOriginal', { params: { id }, query: { download: 'true' } }));
    else if (k === 'r' && files) void files.reveal(id);
    else if (k === 'o' && files) void files.open(id);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  const keyHandler = useRef(onKey);
  const stage = useRef<HTMLDivElement>(null);
  const swipe = useRef<SwipeHandlers>({ onNext: () => {}, onPrevious: () => {}, onClose: () => {}, enabled: () => false });
  useLayoutEffect(() => {
    keyHandler.current = onKey;
    swipe.current = {
      onNext: () => void go(1),
      onPrevious: () => void go(-1),
      onClose,
      // Zoomed in, a finger pans the picture; an album picker or dialog over the viewer has the touch.
      enabled: () => (zoom.current?.instance.state.scale ?? 1) <= 1.01 && !picker && !document.querySelector('dialog[open]'),
    };
  });
  useSwipe(stage, swipe);
  useEffect(() => {
    const listener = (e: KeyboardEvent) => keyHandler.current(e);
    window.addEventListener('keydown', listener, true);
    return () => window.removeEventListener('keydown', listener, true);
  }, []);

  const hasFaces = a?.type === 'image' && (faces.data?.length ?? 0) > 0;
  // Similar photos needs image embeddings, not the models: offered once any asset has one.
  const similarOn = !!ml.data && ml.data.settings.enabled && ml.data.settings.smartSearch && ml.data.smartSearch.indexed > 0;

  return (
    <div className="viewer" role="dialog" aria-modal="true" aria-label={a ? `Viewing ${a.fileName}` : 'Viewer'} data-testid="viewer" ref={root} tabIndex={-1}>
      <header className="viewer-bar">
        <button type="button" className="icon-btn" onClick={onClose} aria-label="Close viewer (Esc)" data-testid="viewer-close">
          <Icon name="close" />
        </button>
        <span className="viewer-title">{a?.fileName ?? ''}</span>
        {a && (
          <div className="viewer-actions">
            <button type="button" className={`icon-btn${a.isFavorite ? ' is-on' : ''}`} aria-pressed={a.isFavorite} aria-label={a.isFavorite ? 'Remove from favourites (F)' : 'Add to favourites (F)'} data-testid="viewer-favorite" onClick={() => void act({ isFavorite: !a.isFavorite })}>
              <Icon name={a.isFavorite ? 'heart-filled' : 'heart'} />
            </button>
            <button type="button" className="icon-btn" aria-label="Add to album" data-testid="viewer-add-album" onClick={() => setPicker(true)}>
              <Icon name="album" />
            </button>
            <button type="button" className="icon-btn" aria-label={a.isArchived ? 'Unarchive (A)' : 'Archive (A)'} data-testid="viewer-archive" onClick={() => void act({ isArchived: !a.isArchived })}>
              <Icon name={a.isArchived ? 'unarchive' : 'archive'} />
            </button>
            {a.trashedAt === null ? (
              <button type="button" className="icon-btn" aria-label="Move to trash (Delete)" data-testid="viewer-trash" onClick={() => void act({ trashed: true })}>
                <Icon name="trash" />
              </button>
            ) : (
              <button type="button" className="icon-btn" aria-label="Restore from trash" data-testid="viewer-restore" onClick={() => void act({ trashed: false })}>
                <Icon name="restore" />
              </button>
            )}
            {hasFaces && (
              <button type="button" className={`icon-btn${showFaces ? ' is-on' : ''}`} aria-pressed={showFaces} aria-label={showFaces ? 'Hide face boxes (P)' : 'Show face boxes (P)'} data-testid="viewer-faces" onClick={toggleFaces}>
                <Icon name="face" />
              </button>
            )}
            {similarOn && (
              <button type="button" className="icon-btn" aria-label="Similar photos" title="Similar photos" data-testid="viewer-similar" onClick={() => void navigate(`/similar/${id}`)}>
                <Icon name="similar" />
              </button>
            )}
            {files && <ViewerFileActions assetId={id} files={files} />}
            <a className="icon-btn" href={api.fileUrl('getAssetOriginal', { params: { id }, query: { download: 'true' } })} download aria-label="Download original (D)" data-testid="viewer-download">
              <Icon name="download" />
            </a>
            <button type="button" className={`icon-btn${info ? ' is-on' : ''}`} aria-pressed={info} aria-label="Info (I)" data-testid="viewer-info" onClick={() => setInfo((v) => !v)}>
              <Icon name="info" />
            </button>
          </div>
        )}
      </header>
      <div className="viewer-main">
        <div className="viewer-stage" ref={stage}>
          {asset.error && <ErrorState error={asset.error} onRetry={() => void asset.refetch()} />}
          {asset.isPending && <Loading label="Opening" />}
          {a && <MediaView asset={a} zoomRef={zoom} faces={faces.data ?? NO_FACES} showFaces={showFaces} highlightFace={highlight} />}
          <button type="button" className="viewer-nav viewer-prev" aria-label="Previous (←)" data-testid="viewer-prev" onClick={() => void go(-1)}>
            <Icon name="chevron-left" size={28} />
          </button>
          <button type="button" className="viewer-nav viewer-next" aria-label="Next (→)" data-testid="viewer-next" onClick={() => void go(1)}>
            <Icon name="chevron-right" size={28} />
          </button>
        </div>
        {info && a && <InfoPanel asset={a} onHighlightFace={setHighlight} />}
      </div>
      {picker && <AlbumPicker ids={[id]} open={picker} onClose={() => setPicker(false)} />}
    </div>
  );
}
