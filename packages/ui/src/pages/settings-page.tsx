// Settings: the folders Shoebox indexes (add, remove, rescan; on the sync server, whose library is
// what its users upload, a pointer to Account instead), the desktop app's own settings, machine
// learning, the appearance. The desktop app adds folders with the native picker; a browser (shoebox
// serve) types the path.
import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { useRoots, useServerInfo } from '../api/queries.ts';
import { useRouteMutation } from '../api/mutations.ts';
import { ConfirmDialog } from '../components/dialog.tsx';
import { ErrorState, Loading } from '../components/states.tsx';
import { Icon } from '../components/icons.tsx';
import { useTheme, type ThemeChoice } from '../app/theme.tsx';
import { useSession } from '../app/session.tsx';
import { countLabel } from '../timeline/format.ts';
import { scanMessage, useAddFolders } from '../desktop/add-folders.ts';
import { AppSettingsSection } from '../desktop/app-settings-section.tsx';
import { desktopBridge } from '../desktop/desktop-bridge.ts';
import { MlSettingsSection } from './settings-ml.tsx';

export function SettingsPage() {
  const { mode } = useSession();
  // The sync server's library is what its users upload: there are no folders to add from here.
  const desktop = mode === 'desktop';
  const roots = useRoots({ enabled: desktop });
  const info = useServerInfo();
  const [path, setPath] = useState('');
  const [removing, setRemoving] = useState<{ id: string; path: string } | null>(null);
  const { choice, setChoice } = useTheme();
  const { hash } = useLocation();
  // #/settings#machine-learning (from People or Search) scrolls to that section, again once the
  // folders above it have loaded and pushed it down.
  const foldersLoaded = !roots.isPending;
  useEffect(() => {
    if (hash.length < 2) return;
    const target = document.getElementById(hash.slice(1));
    target?.scrollIntoView?.({ block: 'start' });
    target?.focus({ preventScroll: true });
  }, [hash, foldersLoaded]);
  const add = useRouteMutation('addRoot', (r) => `Added ${r.path}. Scanning it now…`);
  const scan = useRouteMutation('scanLibrary', scanMessage);
  const native = desktopBridge() !== null;
  const addFolders = useAddFolders();
  const remove = useRouteMutation('removeRoot', (r) => `Removed the folder from the library (${countLabel(r.removedAssets, 'item')}); the files are untouched`);

  return (
    <div className="page settings">
      <header className="page-header"><h1>Settings</h1></header>
      {desktop ? (
        <section className="card" aria-labelledby="library-folders">
          <h2 id="library-folders">Library folders</h2>
          <p className="muted">Shoebox indexes these folders where they are. It never moves, renames or changes your files.</p>
          {roots.error && <ErrorState error={roots.error} onRetry={() => void roots.refetch()} />}
          {roots.isPending && <Loading label="Loading folders" />}
          <ul className="roots" data-testid="roots">
            {roots.data?.map((r) => (
              <li key={r.id} className="root-row">
                <Icon name="folder" />
                <div className="root-main">
                  <div className="root-path">{r.path}</div>
                  <div className="muted small">
                    {countLabel(r.assetCount, 'item')} · {r.lastScanAt ? `last scanned ${new Date(r.lastScanAt).toLocaleString()}` : 'not scanned yet'}
                    {!r.online && <span className="warn"> · offline (the folder is not there right now)</span>}
                  </div>
                </div>
                <button type="button" className="btn btn-small" onClick={() => setRemoving({ id: r.id, path: r.path })} aria-label={`Remove ${r.path}`}>Remove</button>
              </li>
            ))}
          </ul>
          {native ? (
            <div className="row-actions">
              <button type="button" className="btn btn-primary" disabled={addFolders.busy} onClick={() => void addFolders.run({ toast: true })} data-testid="add-folders">
                <Icon name="plus" size={18} /> {addFolders.busy ? 'Adding…' : 'Add folders…'}
              </button>
            </div>
          ) : (
            <form
              className="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                if (!path.trim()) return;
                add.mutate({ body: { path: path.trim() } }, {
                  onSuccess: () => {
                    setPath('');
                    scan.mutate({ body: { retryFailed: false } });
                  },
                });
              }}
            >
              <label className="sr-only" htmlFor="root-path">Folder to add</label>
              <input id="root-path" placeholder="/home/you/Pictures" value={path} onChange={(e) => setPath(e.target.value)} data-testid="root-path" />
              <button type="submit" className="btn btn-primary" disabled={add.isPending || !path.trim()}>Add folder</button>
            </form>
          )}
          <div className="row-actions">
            <button type="button" className="btn" disabled={scan.isPending} onClick={() => scan.mutate({ body: { retryFailed: false } })} data-testid="rescan">
              <Icon name="refresh" size={18} /> {scan.isPending ? 'Scanning…' : 'Rescan now'}
            </button>
            <button type="button" className="btn" disabled={scan.isPending} onClick={() => scan.mutate({ body: { retryFailed: true } })}>
              Rescan and retry failed files
            </button>
          </div>
        </section>
      ) : (
        <section className="card" aria-labelledby="account-link">
          <h2 id="account-link">Account</h2>
          <p className="muted">Your password, where you are signed in, API keys and, for admins, the users are under <Link to="/account">Account</Link>.</p>
        </section>
      )}

      <AppSettingsSection />

      <MlSettingsSection />

      <section className="card" aria-labelledby="appearance">
        <h2 id="appearance">Appearance</h2>
        <div className="segmented" role="radiogroup" aria-label="Theme">
          {(['system', 'light', 'dark'] as ThemeChoice[]).map((c) => (
            <button key={c} type="button" role="radio" aria-checked={choice === c} className={choice === c ? 'is-on' : ''} onClick={() => setChoice(c)}>
              {c === 'system' ? 'Match the system' : c === 'light' ? 'Light' : 'Dark'}
            </button>
          ))}
        </div>
      </section>

      {info.data && (
        <section className="card" aria-labelledby="about">
          <h2 id="about">About</h2>
          <p>
            Shoebox {info.data.version} ({info.data.mode}) · {countLabel(info.data.assets.image, 'photo')}, {countLabel(info.data.assets.video, 'video')}
            {info.data.assets.failed > 0 && `, ${info.data.assets.failed} unreadable`}
            {info.data.assets.offline > 0 && `, ${info.data.assets.offline} offline`}
          </p>
        </section>
      )}

      <ConfirmDialog
        title="Remove this folder from the library?"
        open={removing !== null}
        confirmLabel="Remove folder"
        busy={remove.isPending}
        onClose={() => setRemoving(null)}
        onConfirm={() => remove.mutate({ params: { id: removing!.id } }, { onSuccess: () => setRemoving(null) })}
      >
        <p>{removing?.path} and its photos leave Shoebox (with their albums and favourites). The files on disk are not touched.</p>
      </ConfirmDialog>
    </div>
  );
}
