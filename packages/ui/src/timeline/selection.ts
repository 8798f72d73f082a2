// The grid's selection: click toggles, shift-click selects the range from the last clicked asset
// (in the grid's order), a day's check box selects or clears the whole day.
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { isTyping } from '../app/shortcuts.tsx';

export interface Selection {
  ids: ReadonlySet<string>;
  size: number;
  has(id: string): boolean;
  /** Toggle one, or with `range` select everything between the anchor and it in `order`. */
  click(id: string, range: boolean, order: () => readonly string[]): void;
  setMany(ids: readonly string[], selected: boolean): void;
  clear(): void;
}

/** The ids between `from` and `to` (inclusive) in `order`; just `to` when `from` is not there. */
export function rangeBetween(order: readonly string[], from: string | null, to: string): string[] {
  const a = from === null ? -1 : order.indexOf(from);
  const b = order.indexOf(to);
  if (a < 0 || b < 0) return [to];
  const [lo, hi] = a < b ? [a, b] : [b, a];
  return order.slice(lo, hi + 1);
}

export function useSelection(): Selection {
  const [ids, setIds] = useState<ReadonlySet<string>>(new Set());
  const anchor = useRef<string | null>(null);
  const click = useCallback((id: string, range: boolean, order: () => readonly string[]) => {
    // Read the anchor now: the state updater runs later, after it has moved to `id`.
    const span = range && anchor.current !== null ? rangeBetween(order(), anchor.current, id) : null;
    setIds((prev) => {
      const next = new Set(prev);
      if (span) {
        for (const x of span) next.add(x);
      } else if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
    anchor.current = id;
  }, []);
  const setMany = useCallback((list: readonly string[], selected: boolean) => {
    setIds((prev) => {
      const next = new Set(prev);
      for (const id of list) {
        if (selected) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  }, []);
  const clear = useCallback(() => {
    anchor.current = null;
    setIds(new Set());
  }, []);
  return useMemo(() => ({ ids, size: ids.size, has: (id: string) => ids.has(id), click, setMany, clear }), [ids, click, setMany, clear]);
}

/** Ctrl/Cmd+A selects every asset `order` gives (what the grid has loaded), unless a dialog or the viewer is open. */
export function useSelectAllKey(selection: Selection, order: () => readonly string[]): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const busy = document.querySelector('[data-testid="viewer"], dialog[open]');
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a' && !busy && !isTyping(e.target)) {
        e.preventDefault();
        selection.setMany(order(), true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selection, order]);
}

/**
 * A grid's clicks: a thumbnail opens its asset, or, while selecting (or with Shift, Ctrl or Cmd),
 * toggles it; its check box always toggles; Ctrl/Cmd+A selects all that `order` gives.
 */
export function useGridSelection(
  selection: Selection,
  order: () => readonly string[],
  onOpen: (id: string) => void,
): { onActivate: (asset: { id: string }, e: MouseEvent) => void; onToggle: (asset: { id: string }, e: MouseEvent) => void } {
  const onActivate = useCallback(
    (asset: { id: string }, e: MouseEvent) => {
      if (selection.size > 0 || e.shiftKey || e.ctrlKey || e.metaKey) selection.click(asset.id, e.shiftKey, order);
      else onOpen(asset.id);
    },
    [selection, order, onOpen],
  );
  const onToggle = useCallback((asset: { id: string }, e: MouseEvent) => selection.click(asset.id, e.shiftKey, order), [selection, order]);
  useSelectAllKey(selection, order);
  return { onActivate, onToggle };
}
