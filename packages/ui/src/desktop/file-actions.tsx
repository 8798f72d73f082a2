// The desktop app's actions on an asset's original file: show it in the system's file manager, open
// it with the app the system associates with it, and drag files out of the window to other apps.
// Each renders (or answers) nothing in a browser; a refusal (the file is offline) becomes a toast.
import { useCallback, useLayoutEffect, useMemo, useRef } from 'react';
import { plainError } from '../api/errors.ts';
import { Icon } from '../components/icons.tsx';
import { useToast } from '../components/toast.tsx';
import type { Selection } from '../timeline/selection.ts';
import { callDesktop, desktopBridge, revealLabel } from './desktop-bridge.ts';

export interface FileActions {
  /** "Show in Finder", "Show in Explorer" or "Show in folder". */
  revealLabel: string;
  reveal(assetId: string): Promise<void>;
  open(assetId: string): Promise<void>;
  /** Starts a native drag of these assets' files. */
  drag(assetIds: readonly string[]): Promise<void>;
}

/** The startDrag call's limit (its input schema): a larger selection is refused before asking main. */
const MAX_DRAG = 500;

/** The file actions in the desktop app; null in a browser. */
export function useFileActions(): FileActions | null {
  const bridge = desktopBridge();
  const toast = useToast();
  return useMemo(() => {
    if (!bridge) return null;
    const run = async (call: () => Promise<unknown>) => {
      try {
        await call();
      } catch (error) {
        toast.error(plainError(error));
      }
    };
    return {
      revealLabel: revealLabel(bridge.platform),
      reveal: (assetId) => run(() => callDesktop('revealInFolder', { assetId }, bridge)),
      open: (assetId) => run(() => callDesktop('openWithDefaultApp', { assetId }, bridge)),
      drag: (assetIds) => {
        if (assetIds.length > MAX_DRAG) {
          toast.error(`Drag at most ${MAX_DRAG} items at a time; ${assetIds.length} are selected.`);
          return Promise.resolve();
        }
        return run(() => callDesktop('startDrag', { assetIds: [...assetIds] }, bridge));
      },
    };
  }, [bridge, toast]);
}

/** What a drag starting on `id` carries: the whole selection when `id` is part of it, else just `id`. */
export function dragSet(selection: Pick<Selection, 'ids' | 'has'>, id: string): string[] {
  return selection.has(id) ? [...selection.ids] : [id];
}

/**
 * A grid's drag-out handler for its thumbnails (undefined in a browser, where they are not
 * draggable). It reads the selection through a ref so that the thumbnails, which are memoised,
 * are not all re-rendered each time the selection changes.
 */
export function useDragOut(selection: Selection): ((asset: { id: string }) => void) | undefined {
  const files = useFileActions();
  const current = useRef(selection);
  useLayoutEffect(() => {
    current.current = selection;
  });
  const drag = useCallback((asset: { id: string }) => void files?.drag(dragSet(current.current, asset.id)), [files]);
  return files ? drag : undefined;
}

/** The viewer's toolbar buttons (desktop only). */
export function ViewerFileActions({ assetId, files }: { assetId: string; files: FileActions }) {
  return (
    <>
      <button type="button" className="icon-btn" aria-label={`${files.revealLabel} (R)`} title={files.revealLabel} data-testid="viewer-reveal" onClick={() => void files.reveal(assetId)}>
        <Icon name="folder-open" />
      </button>
      <button type="button" className="icon-btn" aria-label="Open with default app (O)" title="Open with default app" data-testid="viewer-open-default" onClick={() => void files.open(assetId)}>
        <Icon name="open-external" />
      </button>
    </>
  );
}
