// A person's name, renamed in place: click it (or "Add a name"), type, Enter or click away saves,
// Esc cancels. A name another person already has offers to merge the two, as they are likely one.
import { useEffect, useRef, useState } from 'react';
import type { Person } from '@shoebox/core/contract';
import { useRouteMutation } from '../api/mutations.ts';
import { Dialog } from '../components/dialog.tsx';
import { personLabel } from './person-avatar.tsx';

interface PersonNameProps {
  person: Person;
  editing: boolean;
  setEditing(editing: boolean): void;
  /** Everyone else, to notice a name that is already taken. */
  others?: readonly Person[];
  /** After this person was merged into the namesake `into`. */
  onMerged?(into: Person): void;
  className?: string;
}

/** The text box itself: mounted for each edit, so it starts from the current name every time. */
function NameInput({ person, onSave, onCancel, className }: {
  person: Person; onSave(name: string, byKey: boolean): void; onCancel(): void; className: string;
}) {
  const [draft, setDraft] = useState(person.name);
  // Enter, Esc and the blur that follows them must act once.
  const settled = useRef(false);
  const save = (byKey: boolean) => {
    if (settled.current) return;
    settled.current = true;
    onSave(draft.trim(), byKey);
  };
  return (
    <form className={`person-name-form ${className}`} onSubmit={(e) => { e.preventDefault(); save(true); }}>
      <input
        className="person-name-input"
        value={draft}
        maxLength={200}
        placeholder="Add a name"
        aria-label={`Name of ${personLabel(person)}`}
        data-testid="person-name-input"
        autoFocus
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => save(false)}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return;
          e.preventDefault();
          e.stopPropagation();
          settled.current = true;
          onCancel();
        }}
      />
    </form>
  );
}

export function PersonName({ person, editing, setEditing, others = [], onMerged, className = '' }: PersonNameProps) {
  const [namesake, setNamesake] = useState<{ other: Person; name: string } | null>(null);
  const [pending, setPending] = useState('');
  // Enter and Esc give the keyboard back to the name; a click elsewhere leaves focus where it went.
  const button = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  useEffect(() => {
    if (editing || !refocus.current) return;
    refocus.current = false;
    button.current?.focus();
  }, [editing]);
  const rename = useRouteMutation('updatePerson', (p) => (p.name ? `Named ${p.name}` : 'Name removed'));
  const merge = useRouteMutation('mergePeople', (r) => `Merged into ${personLabel(r.person)} (${r.mergedFaces} face${r.mergedFaces === 1 ? '' : 's'} moved)`);

  const save = (name: string, byKey: boolean) => {
    refocus.current = byKey;
    setEditing(false);
    if (name === person.name) return;
    const other = name ? others.find((o) => o.id !== person.id && o.name.trim().toLowerCase() === name.toLowerCase()) : undefined;
    if (other) {
      setNamesake({ other, name });
      return;
    }
    setPending(name);
    rename.mutate({ params: { id: person.id }, body: { name } });
  };

  return (
    <>
      {editing ? (
        <NameInput person={person} onSave={save} onCancel={() => { refocus.current = true; setEditing(false); }} className={className} />
      ) : (
        <button
          ref={button}
          type="button"
          className={`person-name${person.name ? '' : ' is-empty'} ${className}`}
          onClick={() => setEditing(true)}
          title={person.name ? `Rename ${person.name}` : undefined}
          data-testid="person-name"
          aria-busy={rename.isPending}
        >
          {(rename.isPending ? pending : person.name) || 'Add a name'}
        </button>
      )}
      {namesake && (
        <Dialog
          title={`Is this ${namesake.other.name}?`}
          open
          onClose={() => setNamesake(null)}
          actions={
            <>
              <button type="button" className="btn" onClick={() => setNamesake(null)}>Cancel</button>
              <button
                type="button"
                className="btn"
                data-testid="keep-separate"
                onClick={() => {
                  setPending(namesake.name);
                  rename.mutate({ params: { id: person.id }, body: { name: namesake.name } });
                  setNamesake(null);
                }}
              >
                Keep them apart
              </button>
              <button
                type="button"
                className="btn btn-primary"
                data-testid="merge-namesake"
                disabled={merge.isPending}
                onClick={() => {
                  const into = namesake.other;
                  merge.mutate({ params: { id: into.id }, body: { ids: [person.id] } }, {
                    onSuccess: (r) => {
                      setNamesake(null);
                      onMerged?.(r.person);
                    },
                  });
                }}
              >
                Merge them
              </button>
            </>
          }
        >
          <p>
            Someone is already called {namesake.other.name} ({namesake.other.assetCount} photo{namesake.other.assetCount === 1 ? '' : 's'}).
            If this is the same person, merge them: every face goes to one {namesake.other.name}.
          </p>
        </Dialog>
      )}
    </>
  );
}

