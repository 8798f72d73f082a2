// What can be done with the grid's selection, which depends on the page: the timeline favourites,
// archives, trashes or adds to an album; the trash restores or removes; an album also removes
// from the album and sets the cover. In the desktop app one selected item can also be shown in its
// folder or opened with its default app.
import { useState } from 'react';
import { useRouteMutation, useUpdateAssets } from '../api/mutations.ts';
import { useFileActions } from '../desktop/file-actions.tsx';
import type { Selection } from '../timeline/selection.ts';
import { AlbumPicker } from './album-picker.tsx';
import { EmptyTrashDialog } from './empty-trash-dialog.tsx';
import { Icon, type IconName } from './icons.tsx';

export type GridKind = 'timeline' | 'favorites' | 'archive' | 'trash' | 'album' | 'folder' | 'search' | 'person' | 'similar';

function Action({ icon, label, onClick, testId }: { icon: IconName; label: string; onClick(): void; testId: string }) {
  return (
    <button type="button" className="btn btn-bar" onClick={onClick} data-testid={testId}>
      <Icon name={icon} size={18} />
      <span className="btn-label">{label}</span>
    </button>
  );
}

export function SelectionBar({ selection, kind, albumId }: { selection: Selection; kind: GridKind; albumId?: string }) {
  const update = useUpdateAssets();
  const restore = useRouteMutation('restoreTrash', (r) => `Restored ${r.count === 1 ? '1 item' : `${r.count} items`}`);
  const cover = useRouteMutation('updateAlbum', () => 'Album cover changed');
  const unalbum = useRouteMutation('removeAlbumAssets', (r) => `Removed ${r.count === 1 ? '1 item' : `${r.count} items`} from ${r.album.name}`);
  const [picker, setPicker] = useState(false);
  const [removing, setRemoving] = useState(false);
  const files = useFileActions();
  if (selection.size === 0) return null;
  const ids = [...selection.ids];
  const done = () => selection.clear();
  const patch = (p: Parameters<typeof update.mutate>[0]['patch']) => update.mutate({ ids, patch: p }, { onSuccess: done });
  return (
    <div className="selection-bar" role="toolbar" aria-label="Selection" data-testid="selection-bar">
      <button type="button" className="icon-btn" onClick={done} aria-label="Clear selection (Esc)">
        <Icon name="close" />
      </button>
      <span className="selection-count" data-testid="selection-count">{selection.size} selected</span>
      <div className="selection-actions">
        {kind === 'trash' ? (
          <>
            <Action icon="restore" label="Restore" testId="sel-restore" onClick={() => restore.mutate({ body: { ids } }, { onSuccess: done })} />
            <Action icon="trash" label="Remove" testId="sel-remove" onClick={() => setRemoving(true)} />
          </>
        ) : (
          <>
            {kind === 'favorites' ? (
              <Action icon="heart" label="Unfavourite" testId="sel-unfavorite" onClick={() => patch({ isFavorite: false })} />
            ) : (
              <Action icon="heart-filled" label="Favourite" testId="sel-favorite" onClick={() => patch({ isFavorite: true })} />
            )}
            <Action icon="album" label="Add to album" testId="sel-add-album" onClick={() => setPicker(true)} />
            {kind === 'album' && <Action icon="minus" label="Remove from album" testId="sel-remove-album" onClick={() => unalbum.mutate({ params: { id: albumId! }, body: { ids } }, { onSuccess: done })} />}
            {kind === 'album' && ids.length === 1 && (
              <Action icon="cover" label="Set as cover" testId="sel-cover" onClick={() => cover.mutate({ params: { id: albumId! }, body: { coverAssetId: ids[0]! } }, { onSuccess: done })} />
            )}
            {kind === 'archive' ? (
              <Action icon="unarchive" label="Unarchive" testId="sel-unarchive" onClick={() => patch({ isArchived: false })} />
            ) : (
              <Action icon="archive" label="Archive" testId="sel-archive" onClick={() => patch({ isArchived: true })} />
            )}
            <Action icon="trash" label="Trash" testId="sel-trash" onClick={() => patch({ trashed: true })} />
            {files && ids.length === 1 && (
              <>
                <Action icon="folder-open" label={files.revealLabel} testId="sel-reveal" onClick={() => void files.reveal(ids[0]!)} />
                <Action icon="open-external" label="Open with default app" testId="sel-open-default" onClick={() => void files.open(ids[0]!)} />
              </>
            )}
          </>
        )}
      </div>
      {picker && <AlbumPicker ids={ids} open={picker} onClose={() => setPicker(false)} onDone={done} />}
      {removing && <EmptyTrashDialog ids={ids} count={ids.length} open={removing} onClose={() => setRemoving(false)} onDone={done} />}
    </div>
  );
}
