// Keyboard shortcuts: the list shown with "?", and the app-wide ones (help, search, theme).
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { Dialog } from '../components/dialog.tsx';
import { desktopBridge } from '../desktop/desktop-bridge.ts';
import { useTheme } from './theme.tsx';

/** `desktop`: only in the desktop app (the list in a browser leaves it out). */
export const SHORTCUTS: { group: string; keys: string; what: string; desktop?: true }[] = [
  { group: 'Anywhere', keys: '?', what: 'Show this list' },
  { group: 'Anywhere', keys: '/', what: 'Search' },
  { group: 'Anywhere', keys: 'Shift + T', what: 'Switch between light and dark' },
  { group: 'Grid', keys: 'Click', what: 'Open in the viewer (or select, while selecting)' },
  { group: 'Grid', keys: 'Shift + click', what: 'Select a range' },
  { group: 'Grid', keys: 'Ctrl/⌘ + A', what: 'Select everything loaded' },
  { group: 'Grid', keys: 'Esc', what: 'Clear the selection' },
  { group: 'Date scrubber', keys: '↑ ↓ / Page Up, Page Down', what: 'Previous or next month / year' },
  { group: 'Viewer', keys: '← →', what: 'Previous or next (or swipe, on a touch screen)' },
  { group: 'Viewer', keys: 'Esc', what: 'Close (or swipe down)' },
  { group: 'Viewer', keys: 'F', what: 'Favourite' },
  { group: 'Viewer', keys: '1 – 5, 0', what: 'Rate, clear the rating' },
  { group: 'Viewer', keys: 'A', what: 'Archive or unarchive' },
  { group: 'Viewer', keys: 'Delete', what: 'Move to the trash, or restore' },
  { group: 'Viewer', keys: '+ −', what: 'Zoom in, out (or double-click, scroll)' },
  { group: 'Viewer', keys: 'I', what: 'Show or hide the info panel' },
  { group: 'Viewer', keys: 'P', what: 'Show or hide the face boxes' },
  { group: 'Viewer', keys: 'D', what: 'Download the original' },
  { group: 'Viewer', keys: 'R', what: 'Show the file in its folder (Finder, Explorer)', desktop: true },
  { group: 'Viewer', keys: 'O', what: 'Open the file with its default app', desktop: true },
];

/** Whether a key press is text going into a field (shortcuts leave those alone). */
export function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement
    || (target instanceof HTMLElement && target.isContentEditable);
}

export function useGlobalShortcuts(): { helpOpen: boolean; setHelpOpen(open: boolean): void } {
  const [helpOpen, setHelpOpen] = useState(false);
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const { dark, setChoice } = useTheme();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '?') setHelpOpen(true);
      else if (e.key === '/') {
        // On the search page, back to its box; elsewhere, a new search with the box ready to type in.
        const box = document.getElementById('smart-search-input');
        if (pathname === '/search' && box) box.focus();
        else navigate('/search', { state: { focusSearch: true } });
      }
      else if (e.key === 'T') setChoice(dark ? 'light' : 'dark');
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, pathname, dark, setChoice]);
  return { helpOpen, setHelpOpen };
}

export function ShortcutsHelp({ open, onClose }: { open: boolean; onClose(): void }) {
  const desktop = desktopBridge() !== null;
  const list = SHORTCUTS.filter((s) => !s.desktop || desktop);
  const groups = [...new Set(list.map((s) => s.group))];
  return (
    <Dialog title="Keyboard shortcuts" open={open} onClose={onClose} wide actions={<button type="button" className="btn" onClick={onClose}>Close</button>}>
      <div className="shortcuts" data-testid="shortcuts">
        {groups.map((g) => (
          <section key={g}>
            <h3>{g}</h3>
            <dl>
              {list.filter((s) => s.group === g).map((s) => (
                <div key={s.keys} className="shortcut"><dt><kbd>{s.keys}</kbd></dt><dd>{s.what}</dd></div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Dialog>
  );
}
