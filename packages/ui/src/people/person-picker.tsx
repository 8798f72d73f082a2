// Choose a person: a filterable list of everyone with their faces, and optionally a new person
// (moving a face to someone Shoebox has not grouped yet).
import { useMemo, useState } from 'react';
import type { Person } from '@shoebox/core/contract';
import { usePeople } from '../api/queries.ts';
import { Dialog } from '../components/dialog.tsx';
import { Icon } from '../components/icons.tsx';
import { ErrorState, Loading } from '../components/states.tsx';
import { countLabel } from '../timeline/format.ts';
import { Avatar, personLabel } from './person-avatar.tsx';

interface PersonPickerProps {
  title: string;
  open: boolean;
  onClose(): void;
  onPick(person: Person): void;
  /** People not to offer (the person being merged into, the face's current person). */
  exclude?: readonly string[];
  /** Offers "New person" with an optional name. */
  onCreate?(name: string): void;
  busy?: boolean;
  intro?: string;
}

/** Named people first (by name), then the unnamed ones, most photographed first. */
export function pickerOrder(people: readonly Person[], text: string): Person[] {
  const q = text.trim().toLowerCase();
  const named = people.filter((p) => p.name.trim() && p.name.toLowerCase().includes(q)).sort((a, b) => a.name.localeCompare(b.name));
  const unnamed = q ? [] : people.filter((p) => !p.name.trim());
  return [...named, ...unnamed];
}

export function PersonPicker({ title, open, onClose, onPick, exclude = [], onCreate, busy, intro }: PersonPickerProps) {
  const people = usePeople();
  const [text, setText] = useState('');
  const list = useMemo(
    () => pickerOrder((people.data?.people ?? []).filter((p) => !exclude.includes(p.id)), text),
    [people.data, exclude, text],
  );
  const shown = list.slice(0, 300);
  return (
    <Dialog title={title} open={open} onClose={onClose} actions={<button type="button" className="btn" onClick={onClose}>Cancel</button>}>
      {intro && <p className="muted">{intro}</p>}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const exact = list.find((p) => p.name.trim().toLowerCase() === text.trim().toLowerCase());
          if (exact) onPick(exact);
          else if (onCreate && text.trim()) onCreate(text.trim());
        }}
      >
        <label className="sr-only" htmlFor="person-filter">{onCreate ? 'Name, or a new name' : 'Find a person'}</label>
        <input
          id="person-filter"
          placeholder={onCreate ? 'Find someone, or type a new name' : 'Find someone'}
          value={text}
          onChange={(e) => setText(e.target.value)}
          maxLength={200}
          autoFocus
          autoComplete="off"
          data-testid="person-filter"
        />
        {onCreate && (
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => onCreate(text.trim())} data-testid="new-person">
            <Icon name="user-plus" size={18} /> {text.trim() ? `New: ${text.trim()}` : 'New person'}
          </button>
        )}
      </form>
      {people.error && <ErrorState error={people.error} onRetry={() => void people.refetch()} />}
      {people.isPending && <Loading label="Loading people" />}
      {people.data && list.length === 0 && <p className="muted">{text ? `Nobody called “${text.trim()}” yet.` : 'Nobody else yet.'}</p>}
      <ul className="picker-list" aria-label="People">
        {shown.map((p) => (
          <li key={p.id}>
            <button type="button" className="picker-item" disabled={busy} onClick={() => onPick(p)} data-testid="person-choice" data-person-id={p.id}>
              <span className="picker-person"><Avatar person={p} size={32} /><span className={p.name ? undefined : 'muted'}>{personLabel(p)}</span></span>
              <span className="muted">{countLabel(p.assetCount, 'photo')}</span>
            </button>
          </li>
        ))}
      </ul>
      {list.length > shown.length && <p className="muted small">Type a name to find the other {list.length - shown.length}.</p>}
    </Dialog>
  );
}
