// The app frame: navigation (a side bar; on phones a bottom bar for the main places and a drawer
// for the rest), the page, toasts and the shortcut help. On the sync server it adds Upload and
// Account, and the upload queue's progress; in the desktop app, main's events, indexing progress
// and the first-run welcome (desktop/desktop-shell.tsx).
import { useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { Icon, type IconName } from '../components/icons.tsx';
import { ErrorBoundary } from '../components/states.tsx';
import { useJobs } from '../api/queries.ts';
import { countLabel } from '../timeline/format.ts';
import { useUploadQueue, useUploadSnapshot } from '../upload/upload-context.tsx';
import { desktopBridge } from '../desktop/desktop-bridge.ts';
import { DesktopShell } from '../desktop/desktop-shell.tsx';
import { IndexingStatus } from '../desktop/indexing-status.tsx';
import { useCanSeeJobs, useSession, type Mode } from './session.tsx';
import { ShortcutsHelp, useGlobalShortcuts } from './shortcuts.tsx';
import { useTheme } from './theme.tsx';
import { IndexingRefresh } from './indexing-refresh.tsx';

interface NavItem {
  to: string;
  label: string;
  icon: IconName;
  /** Shown only in this mode. */
  only?: Mode;
  /** On the sync server, only admins see it (the server answers its routes to admins only). */
  adminOnServer?: boolean;
}

const NAV: NavItem[] = [
  { to: '/', label: 'Photos', icon: 'photos' },
  { to: '/upload', label: 'Upload', icon: 'upload', only: 'server' },
  { to: '/search', label: 'Search', icon: 'search' },
  { to: '/albums', label: 'Albums', icon: 'album' },
  { to: '/people', label: 'People', icon: 'people' },
  { to: '/folders', label: 'Folders', icon: 'folder' },
  { to: '/favorites', label: 'Favourites', icon: 'heart' },
  { to: '/archive', label: 'Archive', icon: 'archive' },
  { to: '/trash', label: 'Trash', icon: 'trash' },
  { to: '/jobs', label: 'Jobs', icon: 'jobs', adminOnServer: true },
  { to: '/settings', label: 'Settings', icon: 'settings' },
  { to: '/account', label: 'Account', icon: 'person', only: 'server' },
];

/** The phone's bottom bar: the places used most, within a thumb's reach. */
const TABS: Record<Mode, string[]> = {
  server: ['/', '/search', '/upload', '/albums', '/account'],
  desktop: ['/', '/search', '/albums', '/people', '/settings'],
};

function JobsBadge() {
  const jobs = useJobs({ refetchInterval: 3000, enabled: useCanSeeJobs() });
  const pending = jobs.data?.lanes.reduce((n, l) => n + l.queued + l.running, 0) ?? 0;
  if (pending === 0) return null;
  return <span className="nav-badge" aria-label={`${pending} jobs waiting`}>{pending > 999 ? '999+' : pending}</span>;
}

function UploadBadge() {
  const snap = useUploadSnapshot(useUploadQueue());
  const { pending, failed } = snap.totals;
  if (pending === 0 && failed === 0) return null;
  if (pending === 0) return <span className="nav-badge is-error" aria-label={`${countLabel(failed, 'upload')} failed`}>!</span>;
  return <span className="nav-badge" aria-label={`${countLabel(pending, 'upload')} to go`}>{pending > 999 ? '999+' : pending}</span>;
}

function badgeFor(to: string) {
  if (to === '/jobs') return <JobsBadge />;
  if (to === '/upload') return <UploadBadge />;
  return null;
}

export function Layout() {
  const bridge = desktopBridge();
  return bridge ? <DesktopShell bridge={bridge}><AppFrame /></DesktopShell> : <><IndexingRefresh /><AppFrame /></>;
}

function AppFrame() {
  const { helpOpen, setHelpOpen } = useGlobalShortcuts();
  const { dark, setChoice } = useTheme();
  const { mode, user } = useSession();
  const [menu, setMenu] = useState(false);
  const location = useLocation();
  useEffect(() => setMenu(false), [location.pathname]);
  const nav = NAV.filter((n) => (!n.only || n.only === mode) && (mode === 'desktop' || !n.adminOnServer || user?.isAdmin === true));
  const tabs = TABS[mode].map((to) => nav.find((n) => n.to === to)).filter((n): n is NavItem => !!n);
  return (
    <div className={`app mode-${mode}`}>
      <a href="#main" className="skip-link" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <header className="topbar">
        <button type="button" className="icon-btn menu-btn" aria-label="Menu" aria-expanded={menu} onClick={() => setMenu((m) => !m)}>
          <Icon name="menu" />
        </button>
        <span className="brand"><img src="./favicon.svg" alt="" width={22} height={22} /> Shoebox</span>
        <span className="spacer" />
        <IndexingStatus />
        <button type="button" className="icon-btn keys-btn" aria-label="Keyboard shortcuts (?)" onClick={() => setHelpOpen(true)}>
          <Icon name="keyboard" />
        </button>
        <button type="button" className="icon-btn" aria-label={dark ? 'Use the light theme' : 'Use the dark theme'} onClick={() => setChoice(dark ? 'light' : 'dark')} data-testid="theme-toggle">
          <Icon name={dark ? 'sun' : 'moon'} />
        </button>
      </header>
      <nav className={`sidebar${menu ? ' is-open' : ''}`} aria-label="Main">
        <ul>
          {nav.map((n) => (
            <li key={n.to}>
              <NavLink to={n.to} end={n.to === '/'} className={({ isActive }) => `nav-link${isActive ? ' is-active' : ''}`} data-testid={`nav-${n.to.slice(1) || 'photos'}`}>
                <Icon name={n.icon} />
                <span>{n.label}</span>
                {badgeFor(n.to)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      {menu && <div className="scrim" onClick={() => setMenu(false)} aria-hidden="true" />}
      <main id="main" className="main" tabIndex={-1}>
        <ErrorBoundary resetKey={location.pathname}>
          <Outlet />
        </ErrorBoundary>
      </main>
      <nav className="tabbar" aria-label="Quick navigation">
        {tabs.map((n) => (
          <NavLink key={n.to} to={n.to} end={n.to === '/'} className={({ isActive }) => `tab${isActive ? ' is-active' : ''}${n.to === '/upload' ? ' tab-upload' : ''}`} data-testid={`tab-${n.to.slice(1) || 'photos'}`}>
            <span className="tab-icon"><Icon name={n.icon} size={22} />{n.to === '/upload' && <UploadBadge />}</span>
            <span className="tab-label">{n.label}</span>
          </NavLink>
        ))}
      </nav>
      <ShortcutsHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}
