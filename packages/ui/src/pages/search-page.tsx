// Search: by description (smart search, `q`), ranked best first in a flat grid, and by metadata:
// date range, camera, file type, kind, favourite, location, folder and person. Everything lives in
// the URL (shareable, Back works); without words the filters alone show the usual timeline grid.
import { useMemo, useRef, useState } from 'react';
import { useLocation, useSearchParams } from 'react-router';
import { useFacets, useFolders, usePeople, type GridFilter } from '../api/queries.ts';
import { ErrorState } from '../components/states.tsx';
import { SmartSearchBox } from '../search/smart-search-box.tsx';
import { useSmartResults } from '../search/smart-results.tsx';
import { GridPage } from './grid-page.tsx';

const FIELDS = ['from', 'to', 'make', 'model', 'fileType', 'type', 'favorite', 'hasLocation', 'folder', 'personId'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function filterFromParams(params: URLSearchParams): GridFilter {
  const f: GridFilter = {};
  const from = params.get('from');
  const to = params.get('to');
  if (from && /^\d{4}-\d{2}-\d{2}$/.test(from)) f.from = from;
  if (to && /^\d{4}-\d{2}-\d{2}$/.test(to)) f.to = to;
  const make = params.get('make');
  const model = params.get('model');
  if (make) f.make = make;
  if (model) f.model = model;
  const fileType = params.get('fileType');
  if (fileType) f.fileType = fileType;
  const type = params.get('type');
  if (type === 'image' || type === 'video') f.type = type;
  if (params.get('favorite') === 'true') f.favorite = true;
  const loc = params.get('hasLocation');
  if (loc === 'true' || loc === 'false') f.hasLocation = loc === 'true';
  const folder = params.get('folder');
  if (folder) {
    f.folder = folder;
    f.recursive = true;
  }
  const personId = params.get('personId');
  if (personId && UUID.test(personId)) f.personId = personId;
  return f;
}

export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const facets = useFacets();
  const folders = useFolders();
  const people = usePeople();
  const location = useLocation();
  const filter = useMemo(() => filterFromParams(params), [params]);
  const q = params.get('q')?.trim() ?? '';
  const active = FIELDS.some((k) => params.get(k));
  const smart = useSmartResults(q, filter);
  const activeCount = FIELDS.filter((k) => k !== 'model' && params.get(k)).length;
  // On a phone the filters start folded, so the results have the screen; on wider screens, open.
  const [filtersOpen, setFiltersOpen] = useState(() => activeCount > 0 || !window.matchMedia('(max-width: 760px)').matches);
  const named = (people.data?.people ?? []).filter((p) => p.name.trim()).sort((a, b) => a.name.localeCompare(b.name));
  // Two changes within one render (clearing the box, then picking a person) must both land: the
  // router's functional update sees the params of the last render, so build on the latest ones.
  const latest = useRef(params);
  latest.current = params;
  const set = (changes: Record<string, string | null>): void => {
    const next = new URLSearchParams(latest.current);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    next.delete('asset');
    latest.current = next;
    setParams(next);
  };
  const camera = filter.make ? `${filter.make}\u0000${filter.model ?? ''}` : '';
  const makes = [...new Set((facets.data?.cameras ?? []).map((c) => c.make))];

  const form = (
    <form className="search-form" role="search" aria-label="Search filters" onSubmit={(e) => e.preventDefault()}>
      <label className="field">
        <span>From</span>
        <input type="date" value={filter.from ?? ''} min={facets.data?.firstDate ?? undefined} max={facets.data?.lastDate ?? undefined} onChange={(e) => set({ from: e.target.value })} data-testid="search-from" />
      </label>
      <label className="field">
        <span>To</span>
        <input type="date" value={filter.to ?? ''} min={facets.data?.firstDate ?? undefined} max={facets.data?.lastDate ?? undefined} onChange={(e) => set({ to: e.target.value })} data-testid="search-to" />
      </label>
      <label className="field">
        <span>Camera</span>
        <select
          value={camera}
          data-testid="search-camera"
          onChange={(e) => {
            const [make, model] = e.target.value.split('\u0000');
            set({ make: make || null, model: model || null });
          }}
        >
          <option value="">Any camera</option>
          {makes.map((make) => (
            <optgroup key={make} label={make}>
              <option value={`${make}\u0000`}>Any {make}</option>
              {facets.data!.cameras.filter((c) => c.make === make && c.model).map((c) => (
                <option key={`${make}/${c.model}`} value={`${make}\u0000${c.model}`}>{c.model} ({c.count})</option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <label className="field">
        <span>File type</span>
        <select value={filter.fileType ?? ''} onChange={(e) => set({ fileType: e.target.value })} data-testid="search-filetype">
          <option value="">Any type</option>
          {facets.data?.fileTypes.map((t) => <option key={t.fileType} value={t.fileType}>{t.fileType} ({t.count})</option>)}
        </select>
      </label>
      <label className="field">
        <span>Kind</span>
        <select value={filter.type ?? ''} onChange={(e) => set({ type: e.target.value })} data-testid="search-kind">
          <option value="">Photos and videos</option>
          <option value="image">Photos</option>
          <option value="video">Videos</option>
        </select>
      </label>
      <label className="field">
        <span>Location</span>
        <select value={filter.hasLocation === undefined ? '' : String(filter.hasLocation)} onChange={(e) => set({ hasLocation: e.target.value })} data-testid="search-location">
          <option value="">With or without</option>
          <option value="true">Has a location</option>
          <option value="false">No location</option>
        </select>
      </label>
      <label className="field field-wide">
        <span>Folder</span>
        <select value={filter.folder ?? ''} onChange={(e) => set({ folder: e.target.value })} data-testid="search-folder">
          <option value="">Any folder</option>
          {folders.data?.map((f) => <option key={f.path} value={f.path}>{f.path}</option>)}
        </select>
      </label>
      <label className="field">
        <span>Person</span>
        <select value={filter.personId ?? ''} onChange={(e) => set({ personId: e.target.value })} data-testid="search-person">
          <option value="">Anyone</option>
          {named.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
        </select>
      </label>
      <label className="check">
        <input type="checkbox" checked={filter.favorite === true} onChange={(e) => set({ favorite: e.target.checked ? 'true' : null })} data-testid="search-favorite" />
        Favourites only
      </label>
      {active && <button type="button" className="btn" onClick={() => setParams(q ? { q } : {})}>Clear filters</button>}
      {facets.error && <ErrorState error={facets.error} onRetry={() => void facets.refetch()} title="The filter choices could not be loaded" />}
    </form>
  );

  // One tree whether or not a filter is set, so the form keeps its focus on the first choice.
  const focus = (location.state as { focusSearch?: boolean } | null)?.focusSearch === true;
  let idle = smart.idle;
  if (!q && !active) {
    idle = <div className="empty"><p>Describe what you are looking for, or choose a date range, a camera, a person or any other filter.</p></div>;
  }
  return (
    <GridPage
      title="Search"
      kind="search"
      filter={filter}
      before={
        <div className="search-top">
          <SmartSearchBox value={q} autoFocus={focus} onSearch={(text) => set({ q: text || null })} />
          {smart.notice}
          <details className="search-filters" open={filtersOpen} onToggle={(e) => setFiltersOpen(e.currentTarget.open)}>
            <summary data-testid="search-filters-toggle">Filters{activeCount > 0 && <span className="pill">{activeCount}</span>}</summary>
            {form}
          </details>
        </div>
      }
      selectionKey={q}
      empty={<p>Nothing matches these filters.</p>}
      {...(idle !== undefined && { idle })}
      {...(q && smart.ranked && { ranked: smart.ranked })}
    />
  );
}
