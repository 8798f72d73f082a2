// A page that shows assets: its header, the virtualised grid for its filter, the selection bar,
// and the viewer over it when the URL names an asset (?asset=id), so Back closes the viewer.
import { useCallback, useEffect, type ReactNode } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import type { GridFilter } from '../api/queries.ts';
import { SelectionBar, type GridKind } from '../components/selection-bar.tsx';
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
}

export function GridPage(p: GridPageProps) {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const selection = useSelection();
  const open = params.get('asset');
  const filterKey = JSON.stringify(filterQuery(p.filter));

  const setAsset = useCallback(
    (id: string | null, replace: boolean) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (id) next.set('asset', id);
          else next.delete('asset');
          return next;
        },
        { replace, ...(id && { state: { viewer: true } }) },
      );
    },
    [setParams],
  );
  // Closing goes back when the viewer was opened from this grid, so Back and Esc agree.
  const fromGrid = (location.state as { viewer?: boolean } | null)?.viewer === true;
  const close = useCallback(() => {
    if (fromGrid) navigate(-1);
    else setAsset(null, true);
  }, [fromGrid, navigate, setAsset]);

  const { clear } = selection;
  useEffect(() => clear(), [filterKey, clear]);
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
        {p.idle ?? <TimelineGrid key={filterKey} filter={p.filter} selection={selection} onOpen={(id) => setAsset(id, false)} empty={p.empty} />}
      </div>
      <SelectionBar selection={selection} kind={p.kind} {...(p.albumId && { albumId: p.albumId })} />
      {open && <Viewer id={open} filter={p.filter} onClose={close} onNavigate={(id) => setAsset(id, true)} />}
    </div>
  );
}
