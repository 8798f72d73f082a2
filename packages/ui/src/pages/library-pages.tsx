// The grid pages that are one filter each: the timeline, favourites, the archive and the trash.
import { useState } from 'react';
import { Link } from 'react-router';
import { useBuckets } from '../api/queries.ts';
import { useRouteMutation } from '../api/mutations.ts';
import { EmptyTrashDialog } from '../components/empty-trash-dialog.tsx';
import { useSession } from '../app/session.tsx';
import { GridPage } from './grid-page.tsx';

const NO_FILTER = {};
const FAVORITES = { favorite: true };
const ARCHIVE = { archived: true };
const TRASH = { trashed: true };

export function PhotosPage() {
  const { mode } = useSession();
  return (
    <GridPage
      title="Photos"
      kind="timeline"
      filter={NO_FILTER}
      empty={mode === 'server' ? (
        <>
          <h2>No photos yet</h2>
          <p>Send photos and videos from this device on the <Link to="/upload">Upload</Link> page; they appear here as they arrive.</p>
        </>
      ) : (
        <>
          <h2>Your library is empty</h2>
          <p>Add the folders where your photos live in <Link to="/settings">Library settings</Link>; Shoebox indexes them in place.</p>
        </>
      )}
    />
  );
}

export function FavoritesPage() {
  return <GridPage title="Favourites" kind="favorites" filter={FAVORITES} empty={<p>No favourites yet. Press the heart on a photo (or F in the viewer).</p>} />;
}

export function ArchivePage() {
  return <GridPage title="Archive" kind="archive" filter={ARCHIVE} empty={<p>Nothing archived. Archived photos leave the timeline, search and folders, and stay in their albums.</p>} />;
}

export function TrashPage() {
  const buckets = useBuckets(TRASH);
  const total = (buckets.data ?? []).reduce((n, b) => n + b.count, 0);
  const [emptying, setEmptying] = useState(false);
  const restoreAll = useRouteMutation('restoreTrash', (r) => `Restored ${r.count === 1 ? '1 item' : `${r.count} items`}`);
  return (
    <>
      <GridPage
        title="Trash"
        kind="trash"
        filter={TRASH}
        empty={<p>The trash is empty.</p>}
        actions={
          total > 0 && (
            <>
              <button type="button" className="btn" data-testid="restore-all" onClick={() => restoreAll.mutate({ body: {} })}>Restore all</button>
              <button type="button" className="btn btn-danger" data-testid="empty-trash" onClick={() => setEmptying(true)}>Empty trash</button>
            </>
          )
        }
      />
      {emptying && <EmptyTrashDialog count={total} open={emptying} onClose={() => setEmptying(false)} />}
    </>
  );
}
