// Jobs: live counts per lane (queued, running, done, failed) with throughput, pause and resume,
// retry of failed jobs, and the failed files with their reasons.
import { Link } from 'react-router';
import { useJobs, useMlStatus } from '../api/queries.ts';
import { useRouteMutation } from '../api/mutations.ts';
import { ErrorState, Loading } from '../components/states.tsx';
import { Icon } from '../components/icons.tsx';

const LANE_NAMES: Record<string, string> = {
  io: 'Metadata (reading files)',
  media: 'Thumbnails, previews and video',
  ml: 'Faces and smart search',
  sync: 'Sync',
};

/** What each lane's jobs do, under its name. */
const LANE_WORK: Record<string, string> = {
  io: 'Capture time, camera, place, Live Photo pairs',
  media: 'Grid thumbnails, viewer previews, playable videos',
  ml: 'Finding faces, grouping them into people, analysing photos for smart search',
  sync: 'Exchanging changes with the sync server',
};

/** A job's name as people read it (the failures list). */
export const JOB_NAMES: Record<string, string> = {
  metadata: 'Reading metadata',
  thumbnail: 'Making the thumbnail',
  preview: 'Making the preview',
  transcode: 'Converting the video',
  faces: 'Finding faces',
  clip: 'Analysing for smart search',
  cluster: 'Grouping faces into people',
};

export function JobsPage() {
  const jobs = useJobs();
  const ml = useMlStatus();
  const mlOff = ml.data ? !ml.data.settings.enabled : false;
  const pause = useRouteMutation('setLanePaused', (l) => `${LANE_NAMES[l.lane] ?? l.lane}: ${l.paused ? 'paused' : 'running again'}`);
  const retry = useRouteMutation('retryFailedJobs', (r) => (r.requeued === 0 ? 'No failed jobs to retry' : `Queued ${r.requeued} failed job${r.requeued === 1 ? '' : 's'} again`));
  const failedTotal = jobs.data?.lanes.reduce((n, l) => n + l.failed, 0) ?? 0;
  return (
    <div className="page">
      <header className="page-header">
        <h1>Jobs</h1>
        <div className="page-actions">
          <button type="button" className="btn" disabled={failedTotal === 0 || retry.isPending} onClick={() => retry.mutate({ body: {} })} data-testid="retry-failed">
            <Icon name="refresh" size={18} /> Retry failed{failedTotal > 0 ? ` (${failedTotal})` : ''}
          </button>
        </div>
      </header>
      {jobs.error && <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} />}
      {jobs.isPending && <Loading label="Loading jobs" />}
      {jobs.data && (
        <>
          <div className="table-wrap">
            <table className="table" data-testid="lanes">
              <thead>
                <tr><th scope="col">Lane</th><th scope="col">Queued</th><th scope="col">Running</th><th scope="col">Done</th><th scope="col">Failed</th><th scope="col">Per minute</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
              </thead>
              <tbody>
                {jobs.data.lanes.map((l) => (
                  <tr key={l.lane} data-testid="lane" data-lane={l.lane}>
                    <th scope="row">
                      {LANE_NAMES[l.lane] ?? l.lane}{l.paused && <span className="pill">paused</span>}
                      {l.lane === 'ml' && mlOff && <Link to="/settings#machine-learning" className="pill">switched off</Link>}
                      {LANE_WORK[l.lane] && <div className="muted small lane-work">{LANE_WORK[l.lane]}</div>}
                    </th>
                    <td data-testid="lane-queued">{l.queued.toLocaleString('en')}</td>
                    <td>{l.running.toLocaleString('en')}</td>
                    <td>{l.done.toLocaleString('en')}</td>
                    <td className={l.failed > 0 ? 'warn' : undefined}>{l.failed.toLocaleString('en')}</td>
                    <td>{Math.round(l.perMinute).toLocaleString('en')}</td>
                    <td>
                      <button type="button" className="btn btn-small" data-testid="lane-toggle" onClick={() => pause.mutate({ params: { lane: l.lane }, body: { paused: !l.paused } })}>
                        <Icon name={l.paused ? 'play' : 'pause'} size={14} /> {l.paused ? 'Resume' : 'Pause'}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2 className="section-title">Failed files</h2>
          {jobs.data.recentFailures.length === 0 ? (
            <p className="muted">Nothing has failed.</p>
          ) : (
            <ul className="failures" data-testid="failures">
              {jobs.data.recentFailures.map((f) => (
                <li key={f.jobId}>
                  <div className="failure-path">{f.path ?? JOB_NAMES[f.name] ?? f.name}</div>
                  <div className="failure-reason">{f.error}</div>
                  <div className="muted small">{JOB_NAMES[f.name] ?? f.name} · {f.attempts} attempt{f.attempts === 1 ? '' : 's'} · {new Date(f.finishedAt).toLocaleString()}</div>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
