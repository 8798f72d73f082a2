// A page that shows assets: its header, the virtualised grid for its filter (or a flat grid of
// ranked results), the selection bar, and the viewer over it when the URL names an asset
// (?asset=id), so Back closes the viewer.
import { useCallback, useEffect, useMemo, type ReactNode } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import type { TimelineAsset } from '@shoebox/core/contract';
import type { GridFilter } from '../api/queries.ts';
import { SelectionBar, type GridKind } from '../components/selection-bar.tsx';
import { RankedGrid } from '../timeline/ranked-grid.tsx';
import { TimelineGrid } from '../timeline/timeline-grid.tsx';
import { useSelection } from '../timeline/selection.ts';
import { Viewer } from '../viewer/viewer.tsx';
import { filterQuery } from '../api/queries.ts';

interface GridPageProps {
  title: ReactNode;
  kind: GridKind;
  filter: GridFilter;
  empty: ReactNode;
  actions?: ReactNode;
  albumId?: string;
  /** Shown between the header and the grid (search filters, folder tree on phones). */
  before?: ReactNode;
  /** Shown beside the grid on wide screens (folder tree). */
  side?: ReactNode;
  /** Shown instead of the grid while there is nothing to show yet (search without filters). */
  idle?: ReactNode;
  /**
   * Ranked results (smart search, similar photos) shown best first in a flat grid instead of the
   * timeline of `filter`; the viewer follows their order. `filter` still says what they were
   * searched within (an asset archived from a search leaves it).
   */
  ranked?: { items: readonly TimelineAsset[]; header?: ReactNode; footer?: ReactNode };
  /** The selection is cleared when this changes (a new search text), as it is for a new filter. */
  selectionKey?: string;
}

export function GridPage(p: GridPageProps) {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const selection = useSelection();
  const open = params.get('asset');
  const filterKey = JSON.stringify(filterQuery(p.filter));

  // Closing goes back when the viewer was opened from this grid, so Back and Esc agree.
  const fromGrid = (location.state as { viewer?: boolean } | null)?.viewer === true;
  const setAsset = useCallback(
    (id: string | null, replace: boolean) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (id) next.set('asset', id);
          else next.delete('asset');
          return next;
        },
        // Moving within the viewer replaces the entry and keeps where it was opened from: a viewer
        // opened from a link (not from this grid) closes in place rather than going back.
        { replace, ...(id && { state: { viewer: replace ? fromGrid : true } }) },
      );
    },
    [setParams, fromGrid],
  );
  const close = useCallback(() => {
    if (fromGrid) navigate(-1);
    else setAsset(null, true);
  }, [fromGrid, navigate, setAsset]);

  const rankedItems = p.ranked?.items;
  const rankedOrder = useMemo(() => rankedItems?.map((a) => a.id), [rankedItems]);

  const { clear } = selection;
  useEffect(() => clear(), [filterKey, p.selectionKey, clear]);
  useEffect(() => {
    if (selection.size === 0 || open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') clear();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selection.size, open, clear]);

  return (
    <div className="grid-page">
      <header className="page-header">
        <h1>{p.title}</h1>
        {p.actions && <div className="page-actions">{p.actions}</div>}
      </header>
      {p.before}
      <div className="grid-page-body">
        {p.side}
        {p.idle ?? (p.ranked ? (
          <RankedGrid key={`${filterKey}:${p.selectionKey ?? ''}`} items={p.ranked.items} header={p.ranked.header} footer={p.ranked.footer} selection={selection} onOpen={(id) => setAsset(id, false)} />
        ) : (
          <TimelineGrid key={filterKey} filter={p.filter} selection={selection} onOpen={(id) => setAsset(id, false)} empty={p.empty} />
        ))}
      </div>
      <SelectionBar selection={selection} kind={p.kind} {...(p.albumId && { albumId: p.albumId })} />
      {open && (
        <Viewer id={open} filter={p.filter} order={rankedOrder} onClose={close} onNavigate={(id) => setAsset(id, true)} />
      )}
    </div>
  );
}
