// One file in the upload queue: its name, size, what is happening to it in words, a progress bar
// while it goes up, and retry or remove. Rows re-render only when their own file changes.
import { memo } from 'react';
import { Icon } from '../components/icons.tsx';
import { bytesLabel } from '../timeline/format.ts';
import type { UploadItem } from './upload-types.ts';

export function percentOf(item: Pick<UploadItem, 'sent' | 'size'>): number {
  if (item.size <= 0) return 0;
  return Math.min(100, Math.floor((item.sent / item.size) * 100));
}

/** The row's status in words (what a person, and a test, reads). */
export function statusText(item: UploadItem, queue: { paused: boolean; blocked: boolean }, now = Date.now()): string {
  switch (item.status) {
    case 'waiting':
      return queue.paused ? 'Paused' : queue.blocked ? 'Waiting for sign-in' : 'Waiting';
    case 'checking':
      return 'Checking…';
    case 'uploading':
      // Every byte is out; the server is storing the file and will answer in a moment.
      return item.size > 0 && item.sent >= item.size ? 'Finishing…' : `Uploading ${percentOf(item)} %`;
    case 'retrying': {
      if (queue.paused) return 'Paused';
      if (item.error === 'No network connection') return 'Waiting for the network';
      const seconds = Math.max(0, Math.ceil(((item.retryAt ?? now) - now) / 1000));
      return seconds > 0 ? `Connection problem, retrying in ${seconds} s` : 'Retrying…';
    }
    case 'done':
      return 'Uploaded';
    case 'duplicate':
      return 'Already on the server';
    case 'failed':
      return `Failed: ${item.error ?? 'unknown error'}`;
  }
}

interface UploadRowProps {
  item: UploadItem;
  paused: boolean;
  blocked: boolean;
  /** The clock, for a retrying row's countdown (0 for the others, so they do not re-render). */
  now: number;
  onRetry(id: string): void;
  onRemove(id: string): void;
}

export const UploadRow = memo(function UploadRow({ item, paused, blocked, now, onRetry, onRemove }: UploadRowProps) {
  const active = item.status === 'uploading' || item.status === 'checking';
  const finished = item.status === 'done' || item.status === 'duplicate';
  const pct = percentOf(item);
  const text = statusText(item, { paused, blocked }, now || Date.now());
  return (
    <li className={`upload-row is-${item.status}`} data-testid="upload-row" data-status={item.status} aria-label={item.name}>
      <span className="upload-kind" aria-hidden="true">
        <Icon name={finished ? 'check' : item.type.startsWith('video/') ? 'video' : 'image'} />
      </span>
      <div className="upload-main">
        <div className="upload-name" title={item.name} data-testid="upload-name">{item.name}</div>
        <div className="upload-meta">
          <span className="upload-status" data-testid="upload-status">{text}</span>
          <span className="muted"> · {bytesLabel(item.size)}</span>
        </div>
        {active && (
          <div
            key={item.status}
            className={`bar${item.status === 'checking' ? ' is-indeterminate' : ''}`}
            role="progressbar"
            aria-label={`${item.name} progress`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={item.status === 'checking' ? undefined : pct}
          >
            <div className="bar-fill" style={{ width: item.status === 'checking' ? undefined : `${pct}%` }} />
          </div>
        )}
      </div>
      <div className="upload-actions">
        {(item.status === 'failed' || item.status === 'retrying') && (
          <button type="button" className="btn btn-small" onClick={() => onRetry(item.id)} aria-label={`Retry ${item.name}`}>
            {item.status === 'failed' ? 'Retry' : 'Retry now'}
          </button>
        )}
        {!finished && (
          <button type="button" className="icon-btn" onClick={() => onRemove(item.id)} aria-label={`Remove ${item.name} from the queue`}>
            <Icon name="close" size={18} />
          </button>
        )}
      </div>
    </li>
  );
});
