// "Add to album": pick an existing album or name a new one; the assets are added either way.
import { useState } from 'react';
import { useAlbums } from '../api/queries.ts';
import { useRouteMutation } from '../api/mutations.ts';
import { Dialog } from './dialog.tsx';
import { ErrorState, Loading } from './states.tsx';

export function AlbumPicker({ ids, open, onClose, onDone }: { ids: string[]; open: boolean; onClose(): void; onDone?(): void }) {
  const albums = useAlbums();
  const [name, setName] = useState('');
  const what = ids.length === 1 ? '1 item' : `${ids.length} items`;
  const add = useRouteMutation('addAlbumAssets', (r) => {
    const skipped = ids.length - r.count;
    return `Added ${r.count === 1 ? '1 item' : `${r.count} items`} to ${r.album.name}${skipped > 0 ? ` (${skipped} already there)` : ''}`;
  });
  const create = useRouteMutation('createAlbum', (album) => `Created ${album.name} with ${what}`);
  const busy = add.isPending || create.isPending;
  const finished = {
    onSuccess: () => {
      onDone?.();
      onClose();
    },
  };

  return (
    <Dialog title={`Add ${what} to an album`} open={open} onClose={onClose} actions={<button type="button" className="btn" onClick={onClose}>Cancel</button>}>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) create.mutate({ body: { name: name.trim(), assetIds: ids } }, finished);
        }}
      >
        <label className="sr-only" htmlFor="new-album-name">New album name</label>
        <input id="new-album-name" data-testid="new-album-name" placeholder="New album name" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} autoFocus />
        <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>Create</button>
      </form>
      {albums.error && <ErrorState error={albums.error} onRetry={() => void albums.refetch()} />}
      {albums.isPending && <Loading label="Loading albums" />}
      <ul className="picker-list">
        {albums.data?.map((a) => (
          <li key={a.id}>
            <button type="button" className="picker-item" disabled={busy} onClick={() => add.mutate({ params: { id: a.id }, body: { ids } }, finished)} data-testid="album-choice">
              <span>{a.name}</span>
              <span className="muted">{a.assetCount}</span>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
