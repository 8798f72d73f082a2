// Albums: the list with covers, creating one, and an album's own page (rename, delete, its grid).
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import { useAlbum, useAlbums } from '../api/queries.ts';
import { useRouteMutation } from '../api/mutations.ts';
import { ConfirmDialog, Dialog } from '../components/dialog.tsx';
import { ErrorState, Loading } from '../components/states.tsx';
import { Icon } from '../components/icons.tsx';
import { placeholderUrl } from '../timeline/thumbhash-url.ts';
import { countLabel, takenLabel } from '../timeline/format.ts';
import { GridPage } from './grid-page.tsx';

function dateRange(start: string | null, end: string | null): string {
  if (!start || !end) return '';
  const a = takenLabel(start).date.slice(5);
  const b = takenLabel(end).date.slice(5);
  return a === b ? a : `${a} – ${b}`;
}

function NameDialog({ title, initial, open, onClose, onSave, busy }: { title: string; initial: string; open: boolean; onClose(): void; onSave(name: string): void; busy: boolean }) {
  const [name, setName] = useState(initial);
  return (
    <Dialog title={title} open={open} onClose={onClose}>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) onSave(name.trim());
        }}
      >
        <label className="field">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} autoFocus data-testid="album-name-input" />
        </label>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>Cancel</button>
          <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()} data-testid="album-name-save">Save</button>
        </div>
      </form>
    </Dialog>
  );
}

export function AlbumsPage() {
  const api = useApi();
  const albums = useAlbums();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const create = useRouteMutation('createAlbum', (a) => `Created ${a.name}`);
  return (
    <div className="page">
      <header className="page-header">
        <h1>Albums</h1>
        <div className="page-actions">
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="new-album">
            <Icon name="plus" size={18} /> New album
          </button>
        </div>
      </header>
      {albums.error && <ErrorState error={albums.error} onRetry={() => void albums.refetch()} />}
      {albums.isPending && <Loading label="Loading albums" />}
      {albums.data?.length === 0 && <div className="empty"><p>No albums yet. Select photos and choose “Add to album”, or create one here.</p></div>}
      <ul className="album-grid">
        {albums.data?.map((a) => {
          const ph = placeholderUrl(a.coverThumbhash);
          return (
            <li key={a.id}>
              <Link to={`/albums/${a.id}`} className="album-card" data-testid="album-card">
                <span className="album-cover" style={ph ? { backgroundImage: `url(${ph})` } : undefined}>
                  {a.coverAssetId ? <img src={api.fileUrl('getAssetThumbnail', { params: { id: a.coverAssetId } })} alt="" /> : <Icon name="album" size={40} />}
                </span>
                <span className="album-name">{a.name}</span>
                <span className="muted small">{countLabel(a.assetCount, 'item')}{a.startDate ? ` · ${dateRange(a.startDate, a.endDate)}` : ''}</span>
              </Link>
            </li>
          );
        })}
      </ul>
      {creating && (
        <NameDialog
          title="New album"
          initial=""
          open={creating}
          busy={create.isPending}
          onClose={() => setCreating(false)}
          onSave={(name) => create.mutate({ body: { name } }, { onSuccess: (a) => { setCreating(false); void navigate(`/albums/${a.id}`); } })}
        />
      )}
    </div>
  );
}

export function AlbumPage() {
  const { id = '' } = useParams();
  const album = useAlbum(id);
  const navigate = useNavigate();
  const [renaming, setRenaming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const rename = useRouteMutation('updateAlbum', (a) => `Renamed to ${a.name}`);
  const remove = useRouteMutation('deleteAlbum', () => 'Album deleted; its photos are still in your library');
  if (album.error) return <div className="page"><ErrorState error={album.error} onRetry={() => void album.refetch()} /></div>;
  if (!album.data) return <div className="page"><Loading label="Loading album" /></div>;
  const a = album.data;
  return (
    <>
      <GridPage
        title={<><Link to="/albums" className="crumb">Albums</Link> / <span data-testid="album-title">{a.name}</span> <span className="muted small">{countLabel(a.assetCount, 'item')}</span></>}
        kind="album"
        albumId={a.id}
        filter={{ albumId: a.id }}
        empty={<p>This album is empty. Select photos anywhere and choose “Add to album”.</p>}
        actions={
          <>
            <button type="button" className="btn" onClick={() => setRenaming(true)} data-testid="rename-album"><Icon name="edit" size={18} /> Rename</button>
            <button type="button" className="btn btn-danger" onClick={() => setDeleting(true)} data-testid="delete-album"><Icon name="trash" size={18} /> Delete</button>
          </>
        }
      />
      {renaming && (
        <NameDialog
          title="Rename album"
          initial={a.name}
          open={renaming}
          busy={rename.isPending}
          onClose={() => setRenaming(false)}
          onSave={(name) => rename.mutate({ params: { id: a.id }, body: { name } }, { onSuccess: () => setRenaming(false) })}
        />
      )}
      <ConfirmDialog
        title={`Delete ${a.name}?`}
        open={deleting}
        danger
        confirmLabel="Delete album"
        busy={remove.isPending}
        onClose={() => setDeleting(false)}
        onConfirm={() => remove.mutate({ params: { id: a.id } }, { onSuccess: () => void navigate('/albums') })}
      >
        <p>The album goes; its {countLabel(a.assetCount, 'photo')} stay in your library.</p>
      </ConfirmDialog>
    </>
  );
}
