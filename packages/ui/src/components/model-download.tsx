// Downloading models: a button that starts (or resumes) the download of each model given, then a
// progress bar fed by the model status, which is polled while any download runs. Failures show
// the reason and offer to try again. Used by the smart search banner and the settings.
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { MlStatus, ModelStatus } from '@shoebox/core/contract';
import { useApi } from '../api/api-context.tsx';
import { plainError } from '../api/errors.ts';
import { keys } from '../api/queries.ts';
import { bytesLabel } from '../timeline/format.ts';
import { Icon } from './icons.tsx';

export interface DownloadState {
  state: 'idle' | 'downloading' | 'failed' | 'done';
  received: number;
  total: number;
  error: string | null;
}

/** One progress for several models: bytes summed; failed if any failed, done once all are here. */
export function downloadState(models: readonly ModelStatus[]): DownloadState {
  let received = 0;
  let total = 0;
  let running = false;
  let error: string | null = null;
  for (const m of models) {
    const d = m.download;
    const size = d.totalBytes > 0 ? d.totalBytes : m.bytes;
    total += size;
    if (m.state === 'present') received += size;
    else received += Math.min(d.receivedBytes, size);
    if (d.state === 'downloading' || d.state === 'verifying') running = true;
    if (d.state === 'failed' && m.state !== 'present') error ??= d.error ?? 'the download failed';
  }
  const state = running ? 'downloading' : error ? 'failed' : models.every((m) => m.state === 'present') ? 'done' : 'idle';
  return { state, received, total, error };
}

/** Starts the downloads, and puts each answer in the status cache so its polling starts at once. */
export function useDownloadModels(): { start(ids: readonly string[]): Promise<void>; starting: boolean; error: string | null } {
  const api = useApi();
  const qc = useQueryClient();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const start = async (ids: readonly string[]) => {
    setStarting(true);
    setError(null);
    try {
      for (const id of ids) {
        const status = await api.call('downloadModel', { params: { id } });
        qc.setQueryData<MlStatus>(keys.ml(), (old) => old && { ...old, models: old.models.map((m) => (m.id === status.id ? status : m)) });
      }
    } catch (e) {
      setError(plainError(e));
    } finally {
      setStarting(false);
      await qc.invalidateQueries({ queryKey: keys.ml() });
    }
  };
  return { start, starting, error };
}

function actionLabel(models: readonly ModelStatus[]): string {
  const bytes = models.reduce((n, m) => n + m.bytes, 0);
  const verb = models.some((m) => m.state === 'partial') ? 'Resume the download' : models.some((m) => m.state === 'corrupt') ? 'Download again' : 'Download';
  return `${verb} (${bytesLabel(bytes)})`;
}

/** The download button for the models that are not here, or their progress. */
export function ModelDownload({ models, label, testId = 'model-download' }: { models: readonly ModelStatus[]; label?: string; testId?: string }) {
  const missing = models.filter((m) => m.state !== 'present');
  const { start, starting, error } = useDownloadModels();
  const d = downloadState(models);
  if (missing.length === 0) return null;
  if (d.state === 'downloading') {
    const pct = d.total > 0 ? Math.floor((d.received / d.total) * 100) : 0;
    const verifying = models.some((m) => m.download.state === 'verifying');
    return (
      <div className="download" data-testid={`${testId}-progress`}>
        <progress className="progress" value={d.received} max={Math.max(1, d.total)} aria-label={label ?? 'Download progress'} />
        <span className="muted small" aria-live="polite">
          {verifying ? 'Checking the files…' : `${bytesLabel(d.received)} of ${bytesLabel(d.total)} (${pct}%)`}
        </span>
      </div>
    );
  }
  const failure = error ?? (d.state === 'failed' ? `The download failed: ${d.error}.` : null);
  return (
    <div className="download">
      <button type="button" className="btn btn-primary" disabled={starting} onClick={() => void start(missing.map((m) => m.id))} data-testid={testId}>
        <Icon name="download" size={18} /> {starting ? 'Starting…' : failure ? 'Try again' : (label ?? actionLabel(missing))}
      </button>
      {failure && <p className="warn small" role="alert" data-testid={`${testId}-error`}>{failure}</p>}
    </div>
  );
}
