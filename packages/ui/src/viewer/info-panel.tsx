// The viewer's info panel: the people in the photo, when and where, camera and exposure, the file,
// rating, description and the albums the asset is in.
import { useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { AssetDetail } from '@shoebox/core/contract';
import { useAlbums } from '../api/queries.ts';
import { useRouteMutation, useUpdateAssets } from '../api/mutations.ts';
import { Icon } from '../components/icons.tsx';
import { bytesLabel, coordinateLabel, exposureLabel, takenLabel } from '../timeline/format.ts';
import { FacesSection } from './faces-section.tsx';

const SOURCE: Record<AssetDetail['takenAtSource'], string> = {
  offset: 'time zone from the camera',
  gps: 'time zone from the GPS position',
  local: 'time zone unknown',
  utc: 'recorded in UTC',
  mtime: 'from the file date (no capture time in the file)',
};

export function RatingStars({ value, onChange }: { value: number | null; onChange(rating: number | null): void }) {
  const current = value ?? 0;
  return (
    <div className="stars" role="radiogroup" aria-label="Rating">
      {[1, 2, 3, 4, 5].map((n) => (
        <button
          key={n}
          type="button"
          role="radio"
          aria-checked={current === n}
          aria-label={`${n} star${n === 1 ? '' : 's'}`}
          className={n <= current ? 'star is-on' : 'star'}
          onClick={() => onChange(current === n ? null : n)}
        >
          <Icon name={n <= current ? 'star-filled' : 'star'} size={18} />
        </button>
      ))}
    </div>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="info-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function InfoPanel({ asset, onHighlightFace }: { asset: AssetDetail; onHighlightFace(faceId: string | null): void }) {
  const albums = useAlbums(asset.id);
  const update = useUpdateAssets();
  const describe = useRouteMutation('updateAsset', () => 'Description saved');
  const [description, setDescription] = useState(asset.description ?? '');
  useEffect(() => setDescription(asset.description ?? ''), [asset.id, asset.description]);
  const when = takenLabel(asset.takenAt);
  const e = asset.exif;
  const exposure = exposureLabel(e);
  const camera = [e.make, e.model && e.make && e.model.startsWith(e.make) ? e.model.slice(e.make.length).trim() : e.model].filter(Boolean).join(' ');
  const folder = asset.path.slice(0, Math.max(asset.path.lastIndexOf('/'), asset.path.lastIndexOf('\\')));
  return (
    <aside className="info-panel" aria-label="Information" data-testid="info-panel">
      <h2>Info</h2>
      <FacesSection assetId={asset.id} onHighlight={onHighlightFace} />
      <dl>
        <Row label="Taken">
          <span data-testid="info-date">{when.date}, {when.time}</span>
          {when.offset && <span className="muted"> {when.offset}</span>}
          <div className="muted small">{SOURCE[asset.takenAtSource]}</div>
        </Row>
        {camera && <Row label="Camera"><span data-testid="info-camera">{camera}</span></Row>}
        {e.lens && <Row label="Lens">{e.lens}</Row>}
        {exposure && <Row label="Exposure">{exposure}</Row>}
        {asset.width && asset.height && (
          <Row label="Dimensions">
            {asset.width} × {asset.height}
            {asset.type === 'image' && <span className="muted"> · {((asset.width * asset.height) / 1e6).toFixed(1)} MP</span>}
            {asset.duration !== null && <span className="muted"> · {asset.duration.toFixed(1)} s</span>}
          </Row>
        )}
        <Row label="File">
          {asset.fileName}
          <div className="muted small">{bytesLabel(asset.size)}{e.fileType ? ` · ${e.fileType}` : ''}{e.videoCodec ? ` · ${e.videoCodec}` : ''}</div>
        </Row>
        <Row label="Path">
          <Link className="path" to={`/folders?path=${encodeURIComponent(folder)}`} title="Show this folder">{asset.path}</Link>
        </Row>
        {e.latitude !== null && e.longitude !== null && (
          <Row label="Location">
            <span data-testid="info-gps">{coordinateLabel(e.latitude, e.longitude)}</span>
            {e.altitude !== null && <div className="muted small">{Math.round(e.altitude)} m above sea level</div>}
          </Row>
        )}
        {e.keywords.length > 0 && <Row label="Keywords">{e.keywords.join(', ')}</Row>}
        <Row label="Rating">
          <RatingStars value={asset.rating} onChange={(rating) => update.mutate({ ids: [asset.id], patch: { rating }, quiet: true })} />
        </Row>
        {asset.offline && <Row label="Status"><span className="warn">The original file is offline</span></Row>}
        {asset.error && <Row label="Problem"><span className="warn">{asset.error}</span></Row>}
        {albums.data && albums.data.length > 0 && (
          <Row label="Albums">
            <ul className="plain">
              {albums.data.map((a) => (
                <li key={a.id}><Link to={`/albums/${a.id}`}>{a.name}</Link></li>
              ))}
            </ul>
          </Row>
        )}
      </dl>
      <label className="field">
        <span>Description</span>
        <textarea
          value={description}
          rows={3}
          maxLength={4000}
          placeholder="Add a description"
          onChange={(ev) => setDescription(ev.target.value)}
          onBlur={() => {
            const next = description.trim() || null;
            if (next !== (asset.description ?? null)) describe.mutate({ params: { id: asset.id }, body: { description: next } });
          }}
        />
      </label>
    </aside>
  );
}
