// Similar photos (#/similar/:id): the photo it started from at the top, then the photos that look
// like it, closest first, in the ranked grid with the usual selection and viewer.
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { AssetDetail } from '@shoebox/core/contract';
import { useApi } from '../api/api-context.tsx';
import { ApiError } from '../api/client.ts';
import { useAsset, useSimilarAssets } from '../api/queries.ts';
import { ErrorState, Loading } from '../components/states.tsx';
import { countLabel, takenLabel } from '../timeline/format.ts';
import { placeholderUrl } from '../timeline/thumbhash-url.ts';
import { altText } from '../timeline/thumbnail.tsx';
import { MAX_RESULTS, PAGE } from '../search/smart-results.tsx';
import { GridPage } from './grid-page.tsx';

const NO_FILTER = {};

function Source({ asset, count }: { asset: AssetDetail; count: number | null }) {
  const api = useApi();
  const ph = placeholderUrl(asset.thumbhash);
  const when = takenLabel(asset.takenAt);
  return (
    <div className="similar-source" data-testid="similar-source">
      <Link to={`/?asset=${asset.id}`} className="similar-source-thumb" style={ph ? { backgroundImage: `url(${ph})` } : undefined} title="Open this photo">
        <img src={api.fileUrl('getAssetThumbnail', { params: { id: asset.id } })} alt={altText(asset)} />
      </Link>
      <div>
        <strong>Looks like {asset.fileName}</strong>
        <div className="muted small">{when.date}{when.time ? `, ${when.time}` : ''}</div>
        {count !== null && <div className="muted small">{count === 0 ? 'Nothing else looks like it yet.' : `${countLabel(count, 'photo')}, closest first`}</div>}
      </div>
    </div>
  );
}

export function SimilarPage() {
  const { id = '' } = useParams();
  const asset = useAsset(id);
  const [limit, setLimit] = useState(PAGE);
  useEffect(() => setLimit(PAGE), [id]);
  const similar = useSimilarAssets(id, limit);
  const items = similar.data?.items;
  const source = asset.data ? <Source asset={asset.data} count={items ? items.length : null} /> : null;

  let idle = null;
  if (asset.error) idle = <ErrorState error={asset.error} onRetry={() => void asset.refetch()} />;
  else if (similar.error instanceof ApiError && similar.error.code === 'EMBEDDING_NOT_READY') {
    idle = (
      <div className="empty" data-testid="similar-not-ready">
        {source}
        <h2>This photo has not been analysed yet</h2>
        <p>
          Shoebox finds similar photos with smart search, which analyses each photo in the background. This one’s turn has not
          come yet: <Link to="/jobs">Jobs</Link> shows how far it is.
        </p>
        <button type="button" className="btn" onClick={() => void similar.refetch()}>Try again</button>
      </div>
    );
  } else if (similar.error) idle = <ErrorState error={similar.error} onRetry={() => void similar.refetch()} />;
  else if (!items) idle = <Loading label="Finding similar photos" />;
  else if (items.length === 0) idle = <div className="empty">{source}</div>;

  const more = items && items.length >= limit && limit < MAX_RESULTS;
  return (
    <GridPage
      title={<><Link to="/search" className="crumb">Search</Link> / Similar photos</>}
      kind="similar"
      filter={NO_FILTER}
      empty={null}
      selectionKey={id}
      {...(idle ? { idle } : {
        ranked: {
          items: items!,
          header: source,
          footer: more ? (
            <div className="ranked-footer">
              <button type="button" className="btn" disabled={similar.isFetching} onClick={() => setLimit((l) => Math.min(MAX_RESULTS, l + PAGE))}>
                {similar.isFetching ? 'Loading…' : 'Show more'}
              </button>
            </div>
          ) : null,
        },
      })}
    />
  );
}
