// Upload photos and videos to the sync server: pick many at once (the phone's camera roll) or drop
// them here, and follow each file in the queue. The queue itself lives above the pages (see
// upload-context), so it keeps going while the person looks at the timeline, and after a reload.
import { useCallback, useEffect, useState, type DragEvent } from 'react';
import { Link } from 'react-router';
import { useSession } from '../app/session.tsx';
import { Icon } from '../components/icons.tsx';
import { Loading } from '../components/states.tsx';
import { useToast } from '../components/toast.tsx';
import { bytesLabel, countLabel } from '../timeline/format.ts';
import { useUploadQueue, useUploadSnapshot } from '../upload/upload-context.tsx';
import type { QueueSnapshot, UploadQueue } from '../upload/upload-queue.ts';
import { UploadRow } from '../upload/upload-row.tsx';

/** Files a drop may bring that are clearly not photos or videos (no type means "let the server decide"). */
export function isMediaFile(file: File): boolean {
  return file.type === '' || file.type.startsWith('image/') || file.type.startsWith('video/');
}

function useOnline(): boolean {
  const [online, setOnline] = useState(() => typeof navigator === 'undefined' || navigator.onLine !== false);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

/** The current time, ticking every second while `active` (for "retrying in 8 s"). */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

export function headline(s: QueueSnapshot, online: boolean): string {
  const t = s.totals;
  const finished = t.done + t.duplicate;
  if (t.files === 0) return 'Nothing to upload yet';
  if (t.pending === 0) {
    if (t.failed > 0) return `${countLabel(finished, 'file')} of ${t.files} uploaded, ${t.failed} failed`;
    return t.files === 1 ? 'Uploaded' : `All ${t.files} files uploaded`;
  }
  if (s.blocked) return 'Waiting for you to sign in again';
  if (s.paused) return `Paused: ${finished} of ${t.files} uploaded`;
  if (!online) return 'Waiting for the network';
  return `Uploading: ${finished} of ${t.files} done`;
}

function Summary({ queue, snap, online }: { queue: UploadQueue; snap: QueueSnapshot; online: boolean }) {
  const t = snap.totals;
  const pct = t.bytes > 0 ? Math.floor((t.sentBytes / t.bytes) * 100) : 0;
  const parts = [
    t.done > 0 && `${t.done} uploaded`,
    t.duplicate > 0 && `${t.duplicate} already on the server`,
    t.failed > 0 && `${t.failed} failed`,
    // Non-breaking spaces keep "6.6 MB" together when the line wraps.
    `${bytesLabel(t.sentBytes)} of ${bytesLabel(t.bytes)}`.replace(/ (?=[KMGT]?B\b)/g, '\u00a0'),
  ].filter(Boolean);
  return (
    <section className="card upload-summary" aria-label="Upload progress">
      <div className="upload-summary-text">
        <strong data-testid="upload-headline">{headline(snap, online)}</strong>
        <span className="muted small" data-testid="upload-totals">{parts.join(' · ')}</span>
      </div>
      <div className="bar bar-large" role="progressbar" aria-label="Overall progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className="bar-fill" style={{ width: `${pct}%` }} />
      </div>
      <div className="row-actions">
        {t.pending > 0 && (snap.paused ? (
          <button type="button" className="btn btn-primary" onClick={() => queue.resume()}><Icon name="play" size={16} /> Resume</button>
        ) : (
          <button type="button" className="btn" onClick={() => queue.pause()}><Icon name="pause" size={16} /> Pause</button>
        ))}
        {t.failed > 0 && (
          <button type="button" className="btn" onClick={() => queue.retryFailed()}><Icon name="refresh" size={16} /> Retry failed</button>
        )}
        {t.done + t.duplicate > 0 && (
          <button type="button" className="btn" onClick={() => queue.clearFinished()}>Clear finished</button>
        )}
        {t.done > 0 && <Link className="btn" to="/">See them in Photos</Link>}
      </div>
    </section>
  );
}

export function UploadPage() {
  const { mode } = useSession();
  const queue = useUploadQueue();
  const snap = useUploadSnapshot(queue);
  const toast = useToast();
  const online = useOnline();
  const [dragging, setDragging] = useState(false);
  const retrying = snap.items.some((i) => i.status === 'retrying');
  const now = useNow(retrying);
  const onRetry = useCallback((id: string) => queue?.retry(id), [queue]);
  const onRemove = useCallback((id: string) => queue?.remove(id), [queue]);

  if (mode !== 'server') {
    return (
      <div className="page">
        <header className="page-header"><h1>Upload</h1></header>
        <div className="empty">
          <h2>Uploading is for the Shoebox server</h2>
          <p>On this computer Shoebox shows the folders your photos are already in. Add more of them in <Link to="/settings">Settings</Link>.</p>
        </div>
      </div>
    );
  }

  const add = (list: FileList | null, fromDrop: boolean) => {
    if (!queue || !list || list.length === 0) return;
    const files = [...list];
    const media = fromDrop ? files.filter(isMediaFile) : files;
    const { added, skipped } = queue.add(media);
    const ignored = files.length - media.length;
    const notes = [
      skipped > 0 && `${countLabel(skipped, 'file')} already in the queue`,
      ignored > 0 && `${countLabel(ignored, 'file')} that ${ignored === 1 ? 'is' : 'are'} not a photo or video`,
    ].filter(Boolean);
    if (notes.length > 0) toast.info(`Added ${countLabel(added, 'file')}; skipped ${notes.join(' and ')}.`);
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    add(e.dataTransfer.files, true);
  };

  return (
    <div className="page upload-page">
      <header className="page-header"><h1>Upload</h1></header>
      <section
        className={`drop-zone${dragging ? ' is-dragging' : ''}`}
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
        data-testid="drop-zone"
      >
        <Icon name="cloud-upload" size={40} className="drop-icon" />
        <input
          id="upload-input"
          className="file-input"
          type="file"
          multiple
          accept="image/*,video/*"
          disabled={!queue}
          onChange={(e) => {
            add(e.currentTarget.files, false);
            // The same files can be chosen again (after removing them, say).
            e.currentTarget.value = '';
          }}
        />
        <label htmlFor="upload-input" className={`btn btn-primary btn-large${queue ? '' : ' is-disabled'}`}>
          <Icon name="upload" /> Choose photos
        </label>
        <p className="muted small">
          Photos and videos from this device go to your library on the server.
          <span className="drop-hint"> You can also drop files here.</span>
        </p>
      </section>

      {!queue && <Loading label="Opening the upload queue" />}
      {queue && !online && (
        <p className="notice" role="status">You are offline. The uploads continue by themselves when the connection is back.</p>
      )}
      {queue && snap.ready && !snap.durable && snap.items.length > 0 && (
        <p className="notice" role="status">This browser cannot keep the queue: keep this page open until the uploads have finished.</p>
      )}
      {queue && snap.notStored > 0 && (
        <p className="notice" role="status">
          The browser’s storage is full, so {countLabel(snap.notStored, 'file')} will not be remembered after a reload. Keep this page open until they are sent.
        </p>
      )}
      {queue && snap.items.length > 0 && (
        <>
          <Summary queue={queue} snap={snap} online={online} />
          <ul className="upload-list" aria-label="Upload queue">
            {snap.items.map((item) => (
              <UploadRow
                key={item.id}
                item={item}
                paused={snap.paused}
                blocked={snap.blocked}
                now={item.status === 'retrying' ? now : 0}
                onRetry={onRetry}
                onRemove={onRemove}
              />
            ))}
          </ul>
        </>
      )}
      {queue && snap.ready && snap.items.length === 0 && (
        <p className="muted upload-empty">Choose photos to start. They are sent a few at a time, and a reload or a lost connection picks up where it stopped.</p>
      )}
    </div>
  );
}
