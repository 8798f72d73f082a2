// "Add to album": pick an existing album or name a new one; the assets are added either way.
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import { useAlbums } from '../api/queries.ts';
import { invalidateAssets } from '../api/mutations.ts';
import { plainError } from '../api/errors.ts';
import { Dialog } from './dialog.tsx';
import { useToast } from './toast.tsx';
import { ErrorState, Loading } from './states.tsx';

export function AlbumPicker({ ids, open, onClose, onDone }: { ids: string[]; open: boolean; onClose(): void; onDone?(): void }) {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const albums = useAlbums();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const what = ids.length === 1 ? '1 item' : `${ids.length} items`;

  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    try {
      toast.info(await work());
      onDone?.();
      onClose();
    } catch (error) {
      toast.error(plainError(error));
    } finally {
      setBusy(false);
      void invalidateAssets(qc);
    }
  };
  const addTo = (id: string, albumName: string) =>
    run(async () => {
      const r = await api.call('addAlbumAssets', { params: { id }, body: { ids } });
      const skipped = ids.length - r.count;
      return `Added ${r.count === 1 ? '1 item' : `${r.count} items`} to ${albumName}${skipped > 0 ? ` (${skipped} already there)` : ''}`;
    });
  const create = () =>
    run(async () => {
      const album = await api.call('createAlbum', { body: { name: name.trim(), assetIds: ids } });
      return `Created ${album.name} with ${what}`;
    });

  return (
    <Dialog title={`Add ${what} to an album`} open={open} onClose={onClose} actions={<button type="button" className="btn" onClick={onClose}>Cancel</button>}>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) void create();
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
            <button type="button" className="picker-item" disabled={busy} onClick={() => void addTo(a.id, a.name)} data-testid="album-choice">
              <span>{a.name}</span>
              <span className="muted">{a.assetCount}</span>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
