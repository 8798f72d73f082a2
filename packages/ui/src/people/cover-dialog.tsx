// Choosing a person's cover: every face of theirs, best-detected first; the one chosen shows for
// them everywhere (People, the person page, pickers).
import type { Person } from '@shoebox/core/contract';
import { usePersonFaces } from '../api/queries.ts';
import { useRouteMutation } from '../api/mutations.ts';
import { Dialog } from '../components/dialog.tsx';
import { ErrorState, Loading } from '../components/states.tsx';
import { Avatar, personLabel } from './person-avatar.tsx';

export function CoverDialog({ person, open, onClose }: { person: Person; open: boolean; onClose(): void }) {
  const faces = usePersonFaces(person.id, open);
  const choose = useRouteMutation('updatePerson', (p) => `Cover face chosen for ${personLabel(p)}`);
  return (
    <Dialog title={`Choose the face for ${personLabel(person)}`} open={open} onClose={onClose} wide actions={<button type="button" className="btn" onClick={onClose}>Cancel</button>}>
      {faces.error && <ErrorState error={faces.error} onRetry={() => void faces.refetch()} />}
      {faces.isPending && <Loading label="Loading faces" />}
      {faces.data?.length === 0 && <p className="muted">{personLabel(person)} has no faces left.</p>}
      <ul className="face-choices" aria-label="Faces">
        {faces.data?.map((f, i) => (
          <li key={f.id}>
            <button
              type="button"
              className={`face-choice${f.id === person.coverFaceId ? ' is-on' : ''}`}
              aria-pressed={f.id === person.coverFaceId}
              aria-label={`Face ${i + 1}${f.id === person.coverFaceId ? ' (the cover now)' : ''}`}
              disabled={choose.isPending}
              data-testid="face-choice"
              onClick={() => choose.mutate({ params: { id: person.id }, body: { coverFaceId: f.id } }, { onSuccess: onClose })}
            >
              <Avatar faceId={f.id} size={88} />
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
