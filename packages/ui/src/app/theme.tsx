// Light and dark themes: follow the system unless the person chose one; the choice is remembered.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'shoebox.theme';

const ThemeContext = createContext<{ choice: ThemeChoice; dark: boolean; setChoice(c: ThemeChoice): void }>({
  choice: 'system', dark: false, setChoice: () => {},
});

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export function ThemeProvider({ children }: { children: ReactNode }) {
  const [choice, setChoiceState] = useState<ThemeChoice>(stored);
  const [systemDark, setSystemDark] = useState(() => window.matchMedia('(prefers-color-scheme: dark)').matches);
  useEffect(() => {
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    const on = (e: MediaQueryListEvent) => setSystemDark(e.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  const dark = choice === 'dark' || (choice === 'system' && systemDark);
  useEffect(() => {
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    // The phone's status bar (and the installed app's title bar) take the colour of the top bar.
    for (const meta of document.querySelectorAll<HTMLMetaElement>('meta[name="theme-color"]')) {
      meta.content = dark ? '#1a1e24' : '#ffffff';
    }
  }, [dark]);
  const value = useMemo(() => ({
    choice,
    dark,
    setChoice: (c: ThemeChoice) => {
      setChoiceState(c);
      try {
        localStorage.setItem(KEY, c);
      } catch {
        // Private mode: the choice lasts for this visit.
      }
    },
  }), [choice, dark]);
  return <ThemeContext.Provider value={value}>{children}</ThemeContext.Provider>;
}

export function useTheme() {
  return useContext(ThemeContext);
}
