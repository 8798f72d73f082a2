// In a browser there is no main process to report indexing, yet the library still changes under
// the page (the engine's watcher takes in new files; on the sync server, other devices upload):
// the jobs status, polled anyway for the Jobs badge, says when work moved on, and the grid, the
// folders and the open asset are refreshed then, as the desktop app does on main's reports.
import { useEffect, useRef } from 'react';
import { useJobs } from '../api/queries.ts';
import { useRefreshIndexingReads } from '../desktop/desktop-shell.tsx';
import { useCanSeeJobs } from './session.tsx';

/** How often the browser asks; the same as the Jobs badge, so it is one request, not two. */
const POLL_MS = 3000;

export function IndexingRefresh() {
  const jobs = useJobs({ refetchInterval: POLL_MS, enabled: useCanSeeJobs() });
  const refresh = useRefreshIndexingReads();
  const signature = jobs.data?.lanes.map((l) => `${l.lane}:${l.queued}:${l.running}:${l.done}:${l.failed}`).join('|');
  const previous = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (signature === undefined) return;
    if (previous.current !== undefined && previous.current !== signature) refresh();
    previous.current = signature;
  }, [signature, refresh]);
  return null;
}
