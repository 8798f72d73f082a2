// Who is using the app. The desktop and `shoebox serve` have no accounts (one person, a per-launch
// token); the sync server has users. At start the gate asks which it is talking to, then shows the
// sync server's onboarding or login when needed, and the app otherwise. A 401 later on (the session
// ended or was revoked) brings the login back over the same address, so signing in again returns
// to where the person was.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { AuthStatus, User } from '@shoebox/core/contract';
import { useApi } from '../api/api-context.tsx';
import { ApiError, type ApiClient } from '../api/client.ts';
import { AuthFrame } from '../auth/auth-frame.tsx';
import { LoginPage } from '../auth/login-page.tsx';
import { OnboardingPage } from '../auth/onboarding-page.tsx';
import { ErrorState, Loading } from '../components/states.tsx';
import { UploadProvider, type QueueFactory } from '../upload/upload-context.tsx';
import { registerServiceWorker } from './service-worker.ts';

export type Mode = 'desktop' | 'server';

export interface Session {
  /** `server`: the LAN sync server with its users; `desktop`: the desktop app or `shoebox serve`. */
  mode: Mode;
  /** The signed-in user (sync server only). */
  user: User | null;
  /** Ends this session on the server and shows the login. */
  signOut(): Promise<void>;
  /** The signed-in user's details changed (an admin edited their own account). */
  setUser(user: User): void;
}

const DESKTOP: Session = { mode: 'desktop', user: null, signOut: async () => {}, setUser: () => {} };
const SessionContext = createContext<Session>(DESKTOP);

export function useSession(): Session {
  return useContext(SessionContext);
}

/** The job queue's status is the desktop user's, and the admin's on the sync server. */
export function useCanSeeJobs(): boolean {
  const { mode, user } = useSession();
  return mode === 'desktop' || user?.isAdmin === true;
}

export type Detected = { mode: 'desktop' } | { mode: 'server'; status: AuthStatus };

/**
 * Which kind of Shoebox answers. getServerInfo is part of the shared contract, so every transport
 * (Electron's IPC too) knows it; the auth routes exist only on the sync server. Signed out, the
 * sync server answers getServerInfo with 401 and getAuthStatus with the public status, while
 * `shoebox serve` without its token answers both with 401 (and stays in desktop mode, where the
 * pages explain how to open it).
 */
export async function detectMode(api: ApiClient): Promise<Detected> {
  try {
    const info = await api.call('getServerInfo');
    if (info.mode !== 'server') return { mode: 'desktop' };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    try {
      return { mode: 'server', status: await api.call('getAuthStatus') };
    } catch {
      return { mode: 'desktop' };
    }
  }
  return { mode: 'server', status: await api.call('getAuthStatus') };
}

type GateState =
  | { kind: 'detecting' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'desktop' }
  | {
      kind: 'server';
      onboarded: boolean;
      user: User | null;
      /** The last user signed in here: their upload queue stays while the login is shown. */
      owner: string | null;
      /** The login is shown because the session ended, not because the person signed out. */
      expired: boolean;
    };

export function SessionGate({ children, createQueue }: { children: ReactNode; createQueue?: QueueFactory }) {
  const api = useApi();
  const qc = useQueryClient();
  const [state, setState] = useState<GateState>({ kind: 'detecting' });

  const detect = useCallback(() => {
    let live = true;
    setState({ kind: 'detecting' });
    detectMode(api).then(
      (found) => {
        if (!live) return;
        if (found.mode === 'desktop') setState({ kind: 'desktop' });
        else {
          const { onboarded, user } = found.status;
          setState({ kind: 'server', onboarded, user, owner: user?.id ?? null, expired: false });
        }
      },
      (error: unknown) => live && setState({ kind: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [api]);
  useEffect(detect, [detect]);

  useEffect(
    () => api.onUnauthorized(() => setState((s) => (s.kind === 'server' && s.user ? { ...s, user: null, expired: true } : s))),
    [api],
  );

  const serverMode = state.kind === 'server';
  useEffect(() => {
    if (serverMode) registerServiceWorker();
  }, [serverMode]);

  const owner = state.kind === 'server' ? state.owner : null;
  const signedIn = useCallback(
    (user: User) => {
      // Another person on this browser must not see the previous one's cached library.
      if (owner !== user.id) qc.clear();
      else void qc.invalidateQueries();
      setState((s) => (s.kind === 'server' ? { kind: 'server', onboarded: true, user, owner: user.id, expired: false } : s));
    },
    [owner, qc],
  );

  const signOut = useCallback(async () => {
    try {
      await api.call('logout');
    } catch {
      // Signed out already, or the server is away: this browser forgets the session either way.
    }
    qc.clear();
    setState((s) => (s.kind === 'server' ? { ...s, user: null, owner: null, expired: false } : s));
  }, [api, qc]);

  const setUser = useCallback((user: User) => setState((s) => (s.kind === 'server' && s.user ? { ...s, user } : s)), []);

  const user = state.kind === 'server' ? state.user : null;
  const session = useMemo<Session>(() => ({ mode: 'server', user, signOut, setUser }), [user, signOut, setUser]);

  if (state.kind === 'detecting') {
    return <AuthFrame><Loading label="Connecting to Shoebox" /></AuthFrame>;
  }
  if (state.kind === 'failed') {
    return (
      <AuthFrame>
        <ErrorState title="Shoebox could not be reached" error={state.error} onRetry={detect} />
      </AuthFrame>
    );
  }
  if (state.kind === 'desktop') return <SessionContext.Provider value={DESKTOP}>{children}</SessionContext.Provider>;
  if (!state.onboarded) return <OnboardingPage onDone={signedIn} onAlreadyDone={detect} />;
  return (
    <UploadProvider owner={state.owner} active={state.user !== null} {...(createQueue && { createQueue })}>
      {state.user ? (
        <SessionContext.Provider value={session}>{children}</SessionContext.Provider>
      ) : (
        <LoginPage expired={state.expired} onSignedIn={signedIn} />
      )}
    </UploadProvider>
  );
}
