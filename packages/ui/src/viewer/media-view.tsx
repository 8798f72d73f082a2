// The viewer's picture or video: the preview with zoom and pan (the thumbnail shows until it
// arrives) and the face boxes over it, a playable video with seeking, and a Live Photo's motion
// on demand. In the desktop app the picture can be dragged out to other apps while not zoomed in
// (zoomed in, a drag pans it).
import { useEffect, useRef, useState, type RefObject } from 'react';
import { TransformComponent, TransformWrapper, type ReactZoomPanPinchRef } from 'react-zoom-pan-pinch';
import type { AssetDetail, Face } from '@shoebox/core/contract';
import { useApi } from '../api/api-context.tsx';
import { Icon } from '../components/icons.tsx';
import { useFileActions } from '../desktop/file-actions.tsx';
import { altText } from '../timeline/thumbnail.tsx';
import { FaceLayer } from './face-layer.tsx';

interface MediaViewProps {
  asset: AssetDetail;
  zoomRef: RefObject<ReactZoomPanPinchRef | null>;
  faces: readonly Face[];
  showFaces: boolean;
  highlightFace: string | null;
}

export function MediaView({ asset, zoomRef, faces, showFaces, highlightFace }: MediaViewProps) {
  const api = useApi();
  const img = useRef<HTMLImageElement>(null);
  const [previewFailed, setPreviewFailed] = useState(false);
  const [previewLoaded, setPreviewLoaded] = useState(false);
  const [live, setLive] = useState(false);
  const liveVideo = useRef<HTMLVideoElement>(null);
  const files = useFileActions();
  const [zoomed, setZoomed] = useState(false);
  useEffect(() => {
    setPreviewFailed(false);
    setPreviewLoaded(false);
    setLive(false);
    setZoomed(false);
  }, [asset.id]);

  const thumb = api.fileUrl('getAssetThumbnail', { params: { id: asset.id } });
  const preview = api.fileUrl('getAssetPreview', { params: { id: asset.id } });

  if (asset.type === 'video') {
    const v = asset.derivatives.video;
    if (v && (v.state === 'pending' || v.state === 'failed')) {
      return (
        <div className="viewer-message" role="status">
          <img className="viewer-poster" src={preview} alt="" />
          <p>
            {v.state === 'pending'
              ? 'The playable version of this video is still being made. It will play here when it is ready.'
              : `This video cannot be played in the app: ${v.error ?? 'the conversion failed'}. You can still download the original.`}
          </p>
        </div>
      );
    }
    return (
      <video
        key={asset.id}
        className="viewer-video"
        data-testid="viewer-video"
        src={api.fileUrl('getAssetVideo', { params: { id: asset.id } })}
        poster={asset.derivatives.preview.state === 'ready' ? preview : undefined}
        controls
        autoPlay
        playsInline
        preload="metadata"
        aria-label={altText(asset)}
      />
    );
  }

  // A preview not made yet (a first run, a file just added) is not asked for: the thumbnail shows
  // until the asset, refreshed while indexing goes on, says the preview is ready.
  const useThumb = previewFailed || asset.derivatives.preview.state !== 'ready';
  const noPicture = useThumb && asset.derivatives.thumbnail.state !== 'ready';
  return (
    <div className="viewer-image-wrap">
      {noPicture ? (
        <div className="viewer-message" role="status">
          <Icon name="image" size={48} />
          <p>No preview of this file: {asset.derivatives.preview.error ?? asset.error ?? 'it has not been made yet'}.</p>
        </div>
      ) : (
        <TransformWrapper
          ref={zoomRef}
          key={asset.id}
          minScale={1}
          maxScale={8}
          doubleClick={{ mode: 'toggle', step: 2 }}
          wheel={{ step: 0.2 }}
          centerOnInit
          onTransform={(ref, state) => {
            ref.instance.contentComponent?.style.setProperty('--zoom', String(state.scale));
            setZoomed(state.scale > 1.01);
          }}
        >
          <TransformComponent wrapperClass="zoom-wrapper" contentClass="zoom-content">
            <img
              ref={img}
              className={`viewer-image${previewLoaded ? ' is-loaded' : ''}`}
              data-testid="viewer-image"
              src={useThumb ? thumb : preview}
              alt={altText(asset)}
              style={{ backgroundImage: `url(${thumb})` }}
              onLoad={() => setPreviewLoaded(true)}
              onError={() => setPreviewFailed(true)}
              draggable={!!files && !zoomed}
              onDragStart={(e) => {
                e.preventDefault();
                if (files && !zoomed) void files.drag([asset.id]);
              }}
            />
            {(previewLoaded || previewFailed) && (
              <FaceLayer faces={faces} img={img} source={useThumb ? thumb : preview} visible={showFaces} highlight={highlightFace} />
            )}
          </TransformComponent>
        </TransformWrapper>
      )}
      {asset.livePhotoVideoId && (
        <>
          <button
            type="button"
            className={`live-button${live ? ' is-on' : ''}`}
            data-testid="live-button"
            aria-pressed={live}
            aria-label="Play the Live Photo"
            onClick={() => {
              setLive(true);
              void liveVideo.current?.play().catch(() => undefined);
            }}
            onMouseEnter={() => setLive(true)}
          >
            <Icon name="live" size={16} /> LIVE
          </button>
          {live && (
            <video
              ref={liveVideo}
              className="viewer-live"
              data-testid="live-video"
              src={api.fileUrl('getAssetVideo', { params: { id: asset.livePhotoVideoId } })}
              autoPlay
              playsInline
              onEnded={() => setLive(false)}
              onError={() => setLive(false)}
              aria-label={`Live Photo motion of ${asset.fileName}`}
            />
          )}
        </>
      )}
    </div>
  );
}
