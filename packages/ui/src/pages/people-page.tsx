// People: everyone Shoebox found, most photographed first, as round faces with names and counts.
// Rename in place, hide and show, select several and merge them, re-group every face; when there
// is nobody yet, say why (still processing, face recognition off, models missing).
import { useEffect, useState, type MouseEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { MlStatus, Person } from '@shoebox/core/contract';
import { useMlStatus, usePeople } from '../api/queries.ts';
import { useRouteMutation } from '../api/mutations.ts';
import { ConfirmDialog } from '../components/dialog.tsx';
import { Icon } from '../components/icons.tsx';
import { ErrorState, Loading } from '../components/states.tsx';
import { useToast } from '../components/toast.tsx';
import { countLabel } from '../timeline/format.ts';
import { MergeDialog } from '../people/merge-dialog.tsx';
import { Avatar, personLabel } from '../people/person-avatar.tsx';
import { PersonName } from '../people/person-name.tsx';

/** Why faces are not being found, in words, or null when they are. */
export function facesBlocked(ml: MlStatus | undefined): string | null {
  if (!ml) return null;
  if (!ml.settings.enabled) return 'Machine learning is switched off, so Shoebox is not looking for faces.';
  if (!ml.settings.faces) return 'Face recognition is switched off.';
  if (!ml.faces.ready) return 'The face recognition models are not on this computer.';
  return null;
}

function PersonCard({ person, others, selected, selecting, onToggle }: {
  person: Person; others: readonly Person[]; selected: boolean; selecting: boolean; onToggle(id: string): void;
}) {
  const [editing, setEditing] = useState(false);
  const label = personLabel(person);
  const hide = useRouteMutation('updatePerson', (p) => (p.hidden ? `${personLabel(p)} is hidden` : `${personLabel(p)} is shown again`));
  const open = (e: MouseEvent) => {
    if (!selecting && !e.shiftKey) return;
    e.preventDefault();
    onToggle(person.id);
  };
  return (
    <li
      className={`person-card${person.hidden ? ' is-hidden' : ''}${selected ? ' is-selected' : ''}${selecting ? ' is-selecting' : ''}`}
      data-testid="person-card"
      data-person-id={person.id}
      data-asset-count={person.assetCount}
    >
      <div className="person-face-wrap">
        <Link to={`/people/${person.id}`} className="person-face" onClick={open} aria-label={`${label}, ${countLabel(person.assetCount, 'photo')}`} data-testid="person-link">
          <Avatar person={person} />
        </Link>
        <button type="button" className="person-check" role="checkbox" aria-checked={selected} aria-label={`Select ${label}`} onClick={() => onToggle(person.id)} data-testid="person-select">
          <Icon name="check" size={14} />
        </button>
        <button
          type="button"
          className="person-hide"
          aria-label={person.hidden ? `Show ${label}` : `Hide ${label}`}
          title={person.hidden ? 'Show in People' : 'Hide from People'}
          disabled={hide.isPending}
          onClick={() => hide.mutate({ params: { id: person.id }, body: { hidden: !person.hidden } })}
          data-testid="person-hide"
        >
          <Icon name={person.hidden ? 'eye' : 'eye-off'} size={16} />
        </button>
      </div>
      <PersonName person={person} editing={editing} setEditing={setEditing} others={others} className="person-card-name" />
      <span className="muted small" data-testid="person-count">
        {countLabel(person.assetCount, 'photo')}{person.hidden && ' · hidden'}
      </span>
    </li>
  );
}

function NobodyYet({ ml, unassigned }: { ml: MlStatus | undefined; unassigned: number }) {
  const blocked = facesBlocked(ml);
  return (
    <div className="empty" data-testid="people-empty">
      <Icon name="people" size={44} />
      <h2>No people yet</h2>
      {blocked ? (
        <p>
          {blocked} <Link to="/settings#machine-learning">Open the machine learning settings</Link> to
          {ml && !ml.faces.ready && ml.settings.enabled && ml.settings.faces ? ' download them.' : ' turn it on.'}
        </p>
      ) : (
        <p>
          Faces appear here once Shoebox has processed your library: it makes the thumbnails first, then looks for faces and
          groups them into people. <Link to="/jobs">Jobs</Link> shows how far it is.
          {unassigned > 0 && ` ${countLabel(unassigned, 'face')} found so far ${unassigned === 1 ? 'is' : 'are'} waiting to be grouped.`}
        </p>
      )}
    </div>
  );
}

export function PeoplePage() {
  const [params, setParams] = useSearchParams();
  const showHidden = params.get('hidden') === 'true';
  const people = usePeople(showHidden);
  const ml = useMlStatus();
  const toast = useToast();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [merging, setMerging] = useState(false);
  const [regrouping, setRegrouping] = useState(false);
  const hideMany = useRouteMutation('updatePerson');
  const recluster = useRouteMutation('reclusterPeople', (r) =>
    `Faces grouped again: ${countLabel(r.people, 'person', 'people')}, ${countLabel(r.assigned, 'face')} of ${r.faces.toLocaleString('en')} placed`);

  const list = people.data?.people ?? [];
  const chosen = list.filter((p) => selected.has(p.id));
  const toggle = (id: string) => setSelected((prev) => {
    const next = new Set(prev);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });
  const clear = () => setSelected(new Set());
  useEffect(() => {
    if (selected.size === 0) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.querySelector('dialog[open]')) setSelected(new Set());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selected.size]);

  const setHidden = async (hidden: boolean) => {
    const targets = chosen.filter((p) => p.hidden !== hidden);
    try {
      for (const p of targets) await hideMany.mutateAsync({ params: { id: p.id }, body: { hidden } });
      toast.info(`${countLabel(targets.length, 'person', 'people')} ${hidden ? 'hidden' : 'shown again'}`);
      clear();
    } catch {
      // The mutation has said what went wrong.
    }
  };

  const blocked = facesBlocked(ml.data);
  const d = people.data;
  return (
    <div className="page people-page">
      <header className="page-header">
        <h1>People</h1>
        {d && (
          <span className="muted" data-testid="people-summary">
            {countLabel(d.total, 'person', 'people')}
            {d.hidden > 0 && ` · ${d.hidden} hidden`}
            {d.unassignedFaces > 0 && ` · ${countLabel(d.unassignedFaces, 'face')} not grouped yet`}
          </span>
        )}
        <div className="page-actions">
          <label className="check">
            <input
              type="checkbox"
              checked={showHidden}
              data-testid="show-hidden"
              onChange={(e) => setParams(e.target.checked ? { hidden: 'true' } : {}, { replace: true })}
            />
            Show hidden people
          </label>
          <button type="button" className="btn" onClick={() => setRegrouping(true)} data-testid="regroup">
            <Icon name="refresh" size={18} /> Re-group faces
          </button>
        </div>
      </header>
      {selected.size > 0 && (
        <div className="people-selection" role="toolbar" aria-label="Selected people" data-testid="people-selection">
          <button type="button" className="icon-btn" onClick={clear} aria-label="Clear selection (Esc)"><Icon name="close" /></button>
          <span className="selection-count">{selected.size} selected</span>
          <div className="selection-actions">
            <button type="button" className="btn btn-bar" disabled={chosen.length < 2} onClick={() => setMerging(true)} data-testid="merge-people" title={chosen.length < 2 ? 'Select at least two people to merge' : undefined}>
              <Icon name="merge" size={18} /> <span className="btn-label">Merge</span>
            </button>
            {chosen.some((p) => !p.hidden) && (
              <button type="button" className="btn btn-bar" disabled={hideMany.isPending} onClick={() => void setHidden(true)} data-testid="hide-people">
                <Icon name="eye-off" size={18} /> <span className="btn-label">Hide</span>
              </button>
            )}
            {chosen.some((p) => p.hidden) && (
              <button type="button" className="btn btn-bar" disabled={hideMany.isPending} onClick={() => void setHidden(false)} data-testid="show-people">
                <Icon name="eye" size={18} /> <span className="btn-label">Show</span>
              </button>
            )}
          </div>
        </div>
      )}
      {blocked && list.length > 0 && (
        <p className="notice" role="note">
          {blocked} New photos are not searched for faces. <Link to="/settings#machine-learning">Machine learning settings</Link>
        </p>
      )}
      {people.error && <ErrorState error={people.error} onRetry={() => void people.refetch()} />}
      {people.isPending && <Loading label="Loading people" />}
      {d && list.length === 0 && (showHidden || d.hidden === 0
        ? <NobodyYet ml={ml.data} unassigned={d.unassignedFaces} />
        : <div className="empty"><p>Everyone is hidden. Tick “Show hidden people” to see them.</p></div>)}
      <ul className="people-grid" aria-label="People">
        {list.map((p) => (
          <PersonCard key={p.id} person={p} others={list} selected={selected.has(p.id)} selecting={selected.size > 0} onToggle={toggle} />
        ))}
      </ul>
      {merging && chosen.length > 1 && (
        <MergeDialog people={chosen} open={merging} onClose={() => setMerging(false)} onDone={clear} />
      )}
      <ConfirmDialog
        title="Re-group every face?"
        open={regrouping}
        confirmLabel={recluster.isPending ? 'Grouping…' : 'Re-group faces'}
        busy={recluster.isPending}
        onClose={() => setRegrouping(false)}
        onConfirm={() => recluster.mutate({ body: {} }, { onSuccess: () => setRegrouping(false) })}
      >
        <p>
          Shoebox sorts every face into people again, with the current face grouping settings. People you named or hid stay as
          they are, and so do faces you moved by hand; the unnamed groups may change.
        </p>
      </ConfirmDialog>
    </div>
  );
}
