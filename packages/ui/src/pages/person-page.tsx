// One person: their face, name (renamed in place), counts and actions (hide, merge someone into
// them, choose the cover face), and their photos in the usual grid, filtered by person, so that
// selection, the viewer and its neighbours work as everywhere else.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { Person } from '@shoebox/core/contract';
import { ApiError } from '../api/client.ts';
import { usePeople, usePerson } from '../api/queries.ts';
import { useRouteMutation } from '../api/mutations.ts';
import { ConfirmDialog } from '../components/dialog.tsx';
import { Icon } from '../components/icons.tsx';
import { ErrorState, Loading } from '../components/states.tsx';
import { countLabel } from '../timeline/format.ts';
import { CoverDialog } from '../people/cover-dialog.tsx';
import { Avatar, personLabel } from '../people/person-avatar.tsx';
import { PersonName } from '../people/person-name.tsx';
import { PersonPicker } from '../people/person-picker.tsx';
import { GridPage } from './grid-page.tsx';

function PersonTitle({ person, editing, setEditing, onMerged }: { person: Person; editing: boolean; setEditing(e: boolean): void; onMerged(into: Person): void }) {
  const people = usePeople(true);
  return (
    <span className="person-title">
      <Link to="/people" className="crumb">People</Link>
      <span className="crumb" aria-hidden="true">/</span>
      <Avatar person={person} size={44} />
      <PersonName person={person} editing={editing} setEditing={setEditing} others={people.data?.people ?? []} onMerged={onMerged} className="person-title-name" />
      <span className="muted small" data-testid="person-counts">
        {countLabel(person.assetCount, 'photo')} · {countLabel(person.faceCount, 'face')}
      </span>
    </span>
  );
}

export function PersonPage() {
  const { id = '' } = useParams();
  const person = usePerson(id);
  const navigate = useNavigate();
  const [picking, setPicking] = useState(false);
  const [mergeFrom, setMergeFrom] = useState<Person | null>(null);
  const [covering, setCovering] = useState(false);
  const [editing, setEditing] = useState(false);
  const hide = useRouteMutation('updatePerson', (p) => (p.hidden ? `${personLabel(p)} is hidden from People` : `${personLabel(p)} is shown in People again`));
  const merge = useRouteMutation('mergePeople', (r) => `${personLabel(mergeFrom ?? r.person)} merged into ${personLabel(r.person)} (${countLabel(r.mergedFaces, 'face')} moved)`);

  if (person.error) {
    const gone = person.error instanceof ApiError && person.error.code === 'PERSON_NOT_FOUND';
    return (
      <div className="page">
        {gone ? (
          <div className="empty">
            <h2>This person is not here any more</h2>
            <p>They may have been merged into someone else. <Link to="/people">See everyone</Link>.</p>
          </div>
        ) : <ErrorState error={person.error} onRetry={() => void person.refetch()} />}
      </div>
    );
  }
  if (!person.data) return <div className="page"><Loading label="Loading person" /></div>;
  const p = person.data;
  const label = personLabel(p);
  return (
    <>
      <GridPage
        title={<PersonTitle person={p} editing={editing} setEditing={setEditing} onMerged={(into) => void navigate(`/people/${into.id}`, { replace: true })} />}
        kind="person"
        filter={{ personId: p.id }}
        empty={<p>No photos of {label} are left in the timeline (some may be archived or in the trash).</p>}
        before={p.hidden ? (
          <p className="notice" role="note">
            {label} is hidden from People.{' '}
            <button type="button" className="btn btn-small" onClick={() => hide.mutate({ params: { id: p.id }, body: { hidden: false } })}>Show again</button>
          </p>
        ) : undefined}
        actions={
          <>
            <button type="button" className="btn" onClick={() => setEditing(true)} data-testid="rename-person">
              <Icon name="edit" size={18} /> {p.name ? 'Rename' : 'Add a name'}
            </button>
            <button type="button" className="btn" onClick={() => setPicking(true)} data-testid="merge-into">
              <Icon name="merge" size={18} /> Merge someone in
            </button>
            <button type="button" className="btn" onClick={() => setCovering(true)} data-testid="choose-cover">
              <Icon name="face" size={18} /> Choose face
            </button>
            <button type="button" className="btn" disabled={hide.isPending} onClick={() => hide.mutate({ params: { id: p.id }, body: { hidden: !p.hidden } })} data-testid="toggle-hidden">
              <Icon name={p.hidden ? 'eye' : 'eye-off'} size={18} /> {p.hidden ? 'Show' : 'Hide'}
            </button>
          </>
        }
      />
      {picking && (
        <PersonPicker
          title={`Merge someone into ${label}`}
          intro={`Choose who is also ${label}: their faces become ${label}’s.`}
          open={picking}
          exclude={[p.id]}
          onClose={() => setPicking(false)}
          onPick={(other) => {
            setPicking(false);
            setMergeFrom(other);
          }}
        />
      )}
      <ConfirmDialog
        title={`Merge ${mergeFrom ? personLabel(mergeFrom) : ''} into ${label}?`}
        open={mergeFrom !== null}
        confirmLabel="Merge"
        busy={merge.isPending}
        onClose={() => setMergeFrom(null)}
        onConfirm={() => merge.mutate({ params: { id: p.id }, body: { ids: [mergeFrom!.id] } }, { onSuccess: () => setMergeFrom(null) })}
      >
        <p>
          {mergeFrom && countLabel(mergeFrom.faceCount, 'face')} of {mergeFrom ? personLabel(mergeFrom) : ''} become {label}’s, and{' '}
          {mergeFrom ? personLabel(mergeFrom) : ''} is removed from People. A face that is not {label} can be moved back from the viewer.
        </p>
      </ConfirmDialog>
      {covering && <CoverDialog person={p} open={covering} onClose={() => setCovering(false)} />}
    </>
  );
}
