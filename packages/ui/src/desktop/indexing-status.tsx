// The desktop app's indexing activity in the top bar: a small spinner and how much is left while
// main reports work (scanning folders, files waiting in the job lanes), nothing when idle. It links
// to the Jobs page, which has the detail.
import { Link } from 'react-router';
import { countLabel } from '../timeline/format.ts';
import { useIndexingProgress, type IndexingProgress } from './desktop-shell.tsx';

/** The status line for a progress report; null when there is nothing going on. */
export function indexingLabel(p: IndexingProgress | null): string | null {
  if (!p) return null;
  const left = p.pending + p.running;
  if (left > 0) return `Indexing · ${left.toLocaleString('en')} to go`;
  if (p.scanning) return 'Looking for new files…';
  return null;
}

export function IndexingStatus() {
  const progress = useIndexingProgress();
  const label = indexingLabel(progress);
  if (!label || !progress) return null;
  const failed = progress.failed > 0 ? `, ${countLabel(progress.failed, 'file')} could not be read` : '';
  return (
    // Not a live region: the count changes every moment and would keep interrupting a screen reader.
    <Link to="/jobs" className="indexing-status" data-testid="indexing-status" title={`${label}${failed}. Open the Jobs page for details.`}>
      <span className="spinner spinner-small" aria-hidden="true" />
      <span className="indexing-label">{label}</span>
    </Link>
  );
}
