// Emptying the trash removes assets from Shoebox. Deleting the files from disk is a separate,
// explicit choice: a check box, and a button that says so.
import { useState } from 'react';
import { useRouteMutation } from '../api/mutations.ts';
import { ConfirmDialog } from './dialog.tsx';

export function EmptyTrashDialog({ ids, count, open, onClose, onDone }: { ids?: string[]; count: number; open: boolean; onClose(): void; onDone?(): void }) {
  const [deleteFiles, setDeleteFiles] = useState(false);
  const empty = useRouteMutation('emptyTrash', (r) => {
    const base = `Removed ${r.removed === 1 ? '1 item' : `${r.removed} items`} from Shoebox`;
    const files = r.filesDeleted > 0 ? `; deleted ${r.filesDeleted} file${r.filesDeleted === 1 ? '' : 's'} from disk` : '';
    const failed = r.failures.length > 0 ? `. ${r.failures.length} file${r.failures.length === 1 ? '' : 's'} could not be deleted and stay in the trash: ${r.failures[0]!.error}` : '';
    return base + files + failed;
  });
  const what = count === 1 ? '1 item' : `${count.toLocaleString('en')} items`;
  const close = () => {
    setDeleteFiles(false);
    onClose();
  };
  return (
    <ConfirmDialog
      title={ids ? `Remove ${what} from Shoebox?` : 'Empty the trash?'}
      open={open}
      danger={deleteFiles}
      busy={empty.isPending}
      confirmLabel={deleteFiles ? `Delete ${what} from disk` : `Remove ${what}`}
      onClose={close}
      onConfirm={() =>
        empty.mutate(
          { body: { ...(ids && { ids }), deleteFiles, ...(deleteFiles && { confirm: 'delete files' as const }) } },
          {
            onSuccess: () => {
              onDone?.();
              close();
            },
          },
        )
      }
    >
      <p>
        {what} will leave your library. Unless you tick the box below, the files stay where they are on disk and Shoebox will
        not add them again.
      </p>
      <label className="check danger-check">
        <input type="checkbox" checked={deleteFiles} onChange={(e) => setDeleteFiles(e.target.checked)} data-testid="delete-files" />
        Also delete the original files from disk. This cannot be undone.
      </label>
    </ConfirmDialog>
  );
}
