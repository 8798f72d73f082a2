// The app frame: navigation (a side bar, a drawer on phones), the page, toasts and the shortcut help.
import { useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { Icon, type IconName } from '../components/icons.tsx';
import { ErrorBoundary } from '../components/states.tsx';
import { useJobs } from '../api/queries.ts';
import { ShortcutsHelp, useGlobalShortcuts } from './shortcuts.tsx';
import { useTheme } from './theme.tsx';

const NAV: { to: string; label: string; icon: IconName }[] = [
  { to: '/', label: 'Photos', icon: 'photos' },
  { to: '/search', label: 'Search', icon: 'search' },
  { to: '/albums', label: 'Albums', icon: 'album' },
  { to: '/people', label: 'People', icon: 'people' },
  { to: '/folders', label: 'Folders', icon: 'folder' },
  { to: '/favorites', label: 'Favourites', icon: 'heart' },
  { to: '/archive', label: 'Archive', icon: 'archive' },
  { to: '/trash', label: 'Trash', icon: 'trash' },
  { to: '/jobs', label: 'Jobs', icon: 'jobs' },
  { to: '/settings', label: 'Settings', icon: 'settings' },
];

function JobsBadge() {
  const jobs = useJobs({ refetchInterval: 3000 });
  const pending = jobs.data?.lanes.reduce((n, l) => n + l.queued + l.running, 0) ?? 0;
  if (pending === 0) return null;
  return <span className="nav-badge" aria-label={`${pending} jobs waiting`}>{pending > 999 ? '999+' : pending}</span>;
}

export function Layout() {
  const { helpOpen, setHelpOpen } = useGlobalShortcuts();
  const { dark, setChoice } = useTheme();
  const [menu, setMenu] = useState(false);
  const location = useLocation();
  useEffect(() => setMenu(false), [location.pathname]);
  return (
    <div className="app">
      <a href="#main" className="skip-link" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <header className="topbar">
        <button type="button" className="icon-btn menu-btn" aria-label="Menu" aria-expanded={menu} onClick={() => setMenu((m) => !m)}>
          <Icon name="menu" />
        </button>
        <span className="brand"><img src="./favicon.svg" alt="" width={22} height={22} /> Shoebox</span>
        <span className="spacer" />
        <button type="button" className="icon-btn" aria-label="Keyboard shortcuts (?)" onClick={() => setHelpOpen(true)}>
          <Icon name="keyboard" />
        </button>
        <button type="button" className="icon-btn" aria-label={dark ? 'Use the light theme' : 'Use the dark theme'} onClick={() => setChoice(dark ? 'light' : 'dark')} data-testid="theme-toggle">
          <Icon name={dark ? 'sun' : 'moon'} />
        </button>
      </header>
      <nav className={`sidebar${menu ? ' is-open' : ''}`} aria-label="Main">
        <ul>
          {NAV.map((n) => (
            <li key={n.to}>
              <NavLink to={n.to} end={n.to === '/'} className={({ isActive }) => `nav-link${isActive ? ' is-active' : ''}`} data-testid={`nav-${n.to.slice(1) || 'photos'}`}>
                <Icon name={n.icon} />
                <span>{n.label}</span>
                {n.to === '/jobs' && <JobsBadge />}
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
      <ShortcutsHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}
