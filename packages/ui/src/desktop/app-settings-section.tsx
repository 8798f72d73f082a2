// Settings, App (desktop app only): keep indexing with the window closed, and open at login. A
// switch moves at once and is put back, with a toast, when main refuses the change.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppSettings, DesktopBridge } from '@shoebox/core/contract';
import { plainError } from '../api/errors.ts';
import { ErrorState, Loading } from '../components/states.tsx';
import { Switch } from '../components/switch.tsx';
import { useToast } from '../components/toast.tsx';
import { callDesktop, desktopBridge } from './desktop-bridge.ts';

/** Not a route key: the library's invalidations leave the app's own settings alone. */
const APP_SETTINGS_KEY = ['desktop', 'appSettings'] as const;

function AppSettingsCard({ bridge }: { bridge: DesktopBridge }) {
  const qc = useQueryClient();
  const toast = useToast();
  const settings = useQuery({ queryKey: APP_SETTINGS_KEY, queryFn: () => callDesktop('getAppSettings', {}, bridge) });
  const update = useMutation({
    mutationFn: (patch: Partial<AppSettings>) => callDesktop('updateAppSettings', patch, bridge),
    onMutate: async (patch) => {
      await qc.cancelQueries({ queryKey: APP_SETTINGS_KEY });
      const before = qc.getQueryData<AppSettings>(APP_SETTINGS_KEY);
      if (before) qc.setQueryData<AppSettings>(APP_SETTINGS_KEY, { ...before, ...patch });
      return { before };
    },
    onError: (error, _patch, context) => {
      if (context?.before) qc.setQueryData(APP_SETTINGS_KEY, context.before);
      toast.error(plainError(error));
    },
    onSuccess: (saved) => qc.setQueryData(APP_SETTINGS_KEY, saved),
  });
  const s = settings.data;
  return (
    <section className="card" aria-labelledby="app-settings">
      <h2 id="app-settings">App</h2>
      {settings.error && <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />}
      {settings.isPending && <Loading label="Loading the app’s settings" />}
      {s && (
        <div className="stack">
          <Switch
            label="Keep indexing when the window is closed"
            description="Shoebox stays in the tray (the menu bar on a Mac) and keeps reading new photos. Quit it from there."
            checked={s.keepRunningInBackground}
            onChange={(on) => update.mutate({ keepRunningInBackground: on })}
            testId="app-keep-running"
          />
          <Switch
            label="Open at login"
            description="Shoebox starts in the tray when you log in to this computer, so new photos are indexed without opening it."
            checked={s.startAtLogin}
            onChange={(on) => update.mutate({ startAtLogin: on })}
            testId="app-start-at-login"
          />
        </div>
      )}
    </section>
  );
}

/** The App section in the desktop app; nothing in a browser. */
export function AppSettingsSection() {
  const bridge = desktopBridge();
  return bridge ? <AppSettingsCard bridge={bridge} /> : null;
}
