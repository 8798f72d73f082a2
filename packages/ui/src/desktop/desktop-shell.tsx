// What the app does only inside the desktop app, around the usual frame: it listens to main's
// events (indexing progress, which refreshes the timeline as photos arrive; menu and tray commands)
// and, when the library has no folders at start, shows the first-run welcome instead of the app.
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { DesktopBridge, DesktopEvent, RouteKey } from '@shoebox/core/contract';
import { useRouteMutation } from '../api/mutations.ts';
import { useRoots } from '../api/queries.ts';
import { AuthFrame } from '../auth/auth-frame.tsx';
import { Loading } from '../components/states.tsx';
import { useSession } from '../app/session.tsx';
import { scanMessage, useAddFolders } from './add-folders.ts';
import { WelcomePage } from './welcome-page.tsx';

export type IndexingProgress = Omit<Extract<DesktopEvent, { type: 'progress' }>, 'type'>;

/** The latest progress main reported; null before the first report and in a browser. */
const ProgressContext = createContext<IndexingProgress | null>(null);

export function useIndexingProgress(): IndexingProgress | null {
  return useContext(ProgressContext);
}

/** The reads a newly indexed file changes: the grid, its months, the folders and their counts. */
// The asset and its faces too: a viewer open on a photo being indexed shows its preview and faces when they are made.
const INDEXING_READS: RouteKey[] = [
  'getTimeBuckets', 'getTimeBucket', 'getFolders', 'listRoots', 'getSearchFacets', 'getAsset', 'getAssetFaces', 'getServerInfo',
];

/** How often, at most, the grid refreshes while indexing: new photos appear without a flicker storm. */
export const REFRESH_INTERVAL_MS = 2000;

/**
 * `fire` at most once per `interval`: the first request runs at once, later ones within the
 * interval collapse into one that runs when it ends (so the last change is always shown).
 */
export function useThrottle(fire: () => void, interval: number): () => void {
  const latest = useRef(fire);
  useLayoutEffect(() => {
    latest.current = fire;
  });
  const last = useRef(Number.NEGATIVE_INFINITY);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current !== null) clearTimeout(timer.current);
  }, []);
  return useCallback(() => {
    if (timer.current !== null) return;
    const wait = last.current + interval - Date.now();
    const run = () => {
      timer.current = null;
      last.current = Date.now();
      latest.current();
    };
    if (wait <= 0) run();
    else timer.current = setTimeout(run, wait);
  }, [interval]);
}

function sameProgress(a: IndexingProgress | null, b: IndexingProgress): boolean {
  return !!a && a.scanning === b.scanning && a.pending === b.pending && a.running === b.running && a.done === b.done && a.failed === b.failed;
}

/** Refreshes what indexing changes (the grid, folders, the open asset), at most every REFRESH_INTERVAL_MS. */
export function useRefreshIndexingReads(): () => void {
  const qc = useQueryClient();
  return useThrottle(() => {
    for (const key of INDEXING_READS) void qc.invalidateQueries({ queryKey: [key] });
  }, REFRESH_INTERVAL_MS);
}

/** A path inside the app ('/albums'), never an address elsewhere ('//host', 'https:'). */
export function isAppPath(path: string | undefined): path is string {
  return typeof path === 'string' && path.startsWith('/') && !path.startsWith('//');
}

export function DesktopShell({ bridge, children }: { bridge: DesktopBridge; children: ReactNode }) {
  const { mode } = useSession();
  const navigate = useNavigate();
  const addFolders = useAddFolders();
  const rescan = useRouteMutation('scanLibrary', scanMessage);
  const [progress, setProgress] = useState<IndexingProgress | null>(null);
  const previous = useRef<IndexingProgress | null>(null);

  // First run: decided once, when the folders first load, so removing the last folder later in
  // Settings does not swap the page for the welcome under the person's hands.
  const roots = useRoots({ enabled: mode === 'desktop' });
  const [firstRun, setFirstRun] = useState<boolean | null>(null);
  const rootCount = roots.data?.length;
  useEffect(() => {
    if (rootCount !== undefined) setFirstRun((f) => f ?? rootCount === 0);
    else if (roots.isError) setFirstRun((f) => f ?? false);
  }, [rootCount, roots.isError]);
  const finishFirstRun = useCallback(() => setFirstRun(false), []);

  const refresh = useRefreshIndexingReads();

  const onEvent = (event: DesktopEvent) => {
    if (event.type === 'progress') {
      const { type: _type, ...now } = event;
      if (!sameProgress(previous.current, now)) refresh();
      previous.current = now;
      setProgress(now);
    } else if (event.command === 'add-folder') {
      void addFolders.run({ toast: true, onAdded: finishFirstRun });
    } else if (event.command === 'rescan') {
      rescan.mutate({ body: { retryFailed: false } });
    } else if (event.command === 'navigate' && isAppPath(event.path)) {
      finishFirstRun();
      void navigate(event.path);
    }
  };
  // Subscribed once for the window's life; the handler read through a ref sees the latest state.
  const handler = useRef(onEvent);
  useLayoutEffect(() => {
    handler.current = onEvent;
  });
  useEffect(() => bridge.onEvent((event) => handler.current(event)), [bridge]);

  let content = children;
  if (mode === 'desktop' && firstRun === null) {
    content = <AuthFrame><Loading label="Opening your library" /></AuthFrame>;
  } else if (mode === 'desktop' && firstRun) {
    const toTimeline = () => {
      finishFirstRun();
      void navigate('/');
    };
    content = <WelcomePage addFolders={addFolders} onAdded={toTimeline} onSkip={finishFirstRun} />;
  }
  return <ProgressContext.Provider value={progress}>{content}</ProgressContext.Provider>;
}
