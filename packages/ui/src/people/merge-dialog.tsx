// Merging people: the ones chosen become one. The person kept is chosen here (a named one, else
// the most photographed, by default); the others' faces move to them and the others go.
import { useState } from 'react';
import type { Person } from '@shoebox/core/contract';
import { useRouteMutation } from '../api/mutations.ts';
import { Dialog } from '../components/dialog.tsx';
import { countLabel } from '../timeline/format.ts';
import { Avatar, personLabel } from './person-avatar.tsx';

/** Who a merge keeps unless told otherwise: the first named person, else the most photographed. */
export function defaultKeeper(people: readonly Person[]): Person | undefined {
  return people.find((p) => p.name.trim()) ?? [...people].sort((a, b) => b.assetCount - a.assetCount)[0];
}

export function MergeDialog({ people, open, onClose, onDone }: { people: readonly Person[]; open: boolean; onClose(): void; onDone?(kept: Person): void }) {
  const [keep, setKeep] = useState(() => defaultKeeper(people)?.id ?? '');
  const merge = useRouteMutation('mergePeople', (r) =>
    `Merged ${countLabel(people.length - 1, 'person', 'people')} into ${personLabel(r.person)} (${countLabel(r.mergedFaces, 'face')} moved)`);
  const kept = people.find((p) => p.id === keep);
  return (
    <Dialog
      title={`Merge ${people.length} people`}
      open={open}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="btn" onClick={onClose}>Cancel</button>
          <button
            type="button"
            className="btn btn-primary"
            data-testid="confirm-merge"
            disabled={!kept || merge.isPending}
            onClick={() =>
              merge.mutate(
                { params: { id: keep }, body: { ids: people.filter((p) => p.id !== keep).map((p) => p.id) } },
                { onSuccess: (r) => { onDone?.(r.person); onClose(); } },
              )
            }
          >
            {merge.isPending ? 'Merging…' : `Merge into ${kept ? personLabel(kept) : '…'}`}
          </button>
        </>
      }
    >
      <p>They are the same person: every face becomes one person’s, and the others are removed. Who should they become?</p>
      <ul className="picker-list" role="radiogroup" aria-label="Person to keep">
        {people.map((p) => (
          <li key={p.id}>
            <label className={`picker-item merge-choice${keep === p.id ? ' is-on' : ''}`}>
              <span className="picker-person">
                <input type="radio" name="merge-keep" value={p.id} checked={keep === p.id} onChange={() => setKeep(p.id)} data-testid="merge-keep" />
                <Avatar person={p} size={32} />
                <span className={p.name ? undefined : 'muted'}>{personLabel(p)}</span>
              </span>
              <span className="muted">{countLabel(p.assetCount, 'photo')}</span>
            </label>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
