// The people in the viewed photo, in its info panel: each face's picture and person (a link to
// them), "Move to…" another or a new person, and "Not this person". Pointing at a face lights up
// its box on the photo.
import { useState } from 'react';
import { Link } from 'react-router';
import type { Face } from '@shoebox/core/contract';
import { useAssetFaces } from '../api/queries.ts';
import { useRouteMutation } from '../api/mutations.ts';
import { ErrorState } from '../components/states.tsx';
import { Avatar } from '../people/person-avatar.tsx';
import { PersonPicker } from '../people/person-picker.tsx';
import { faceName } from './face-layer.tsx';

export function FacesSection({ assetId, onHighlight }: { assetId: string; onHighlight(faceId: string | null): void }) {
  const faces = useAssetFaces(assetId);
  const [moving, setMoving] = useState<Face | null>(null);
  const assign = useRouteMutation('assignFace', (f) => (f.personId ? `Moved the face to ${faceName(f)}` : 'The face is marked as unknown'));
  const create = useRouteMutation('createPerson', (p) => (p.name ? `${p.name} starts with this face` : 'A new person starts with this face'));
  if (faces.error) return <ErrorState title="The people in this photo could not be loaded" error={faces.error} onRetry={() => void faces.refetch()} />;
  const list = faces.data ?? [];
  if (list.length === 0) return null;
  const busy = assign.isPending || create.isPending;
  const point = (id: string | null) => () => onHighlight(id);
  return (
    <section className="faces-section" aria-labelledby="faces-title" data-testid="faces-section">
      <h3 id="faces-title">People <span className="muted small">{list.length}</span></h3>
      <ul className="plain face-rows">
        {list.map((f) => (
          <li key={f.id} className="face-row" data-testid="face-row" data-face-id={f.id} onMouseEnter={point(f.id)} onMouseLeave={point(null)} onFocus={point(f.id)} onBlur={point(null)}>
            <Avatar faceId={f.id} size={40} />
            <div className="face-who">
              {f.personId ? (
                <Link to={`/people/${f.personId}`} data-testid="face-person">{faceName(f)}</Link>
              ) : (
                <span className="muted" data-testid="face-person">Unknown</span>
              )}
              {f.assignedBy === 'user' && <span className="muted small"> · placed by you</span>}
              <div className="face-actions">
                <button type="button" className="btn btn-small" disabled={busy} onClick={() => setMoving(f)} data-testid="face-move">
                  {f.personId ? 'Move to…' : 'Who is this?'}
                </button>
                {f.personId && (
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={busy}
                    aria-label={`Not ${faceName(f)}`}
                    onClick={() => assign.mutate({ params: { id: f.id }, body: { personId: null } })}
                    data-testid="face-not"
                  >
                    Not this person
                  </button>
                )}
              </div>
            </div>
          </li>
        ))}
      </ul>
      {moving && (
        <PersonPicker
          title={moving.personId ? `Move this face from ${faceName(moving)} to…` : 'Who is this?'}
          open
          busy={busy}
          exclude={moving.personId ? [moving.personId] : []}
          onClose={() => setMoving(null)}
          onPick={(person) => assign.mutate({ params: { id: moving.id }, body: { personId: person.id } }, { onSuccess: () => setMoving(null) })}
          onCreate={(name) => create.mutate({ body: { faceIds: [moving.id], ...(name && { name }) } }, { onSuccess: () => setMoving(null) })}
        />
      )}
    </section>
  );
}
