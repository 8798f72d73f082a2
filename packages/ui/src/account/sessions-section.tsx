// Where the account is signed in: each session's device, when it was last used, and signing it
// out. The session of this browser is marked and signs out through the normal sign-out.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionInfo } from '@shoebox/core/contract';
import { useApi } from '../api/api-context.tsx';
import { plainError } from '../api/errors.ts';
import { ConfirmDialog } from '../components/dialog.tsx';
import { Icon } from '../components/icons.tsx';
import { ErrorState, Loading } from '../components/states.tsx';
import { useToast } from '../components/toast.tsx';
import { dateLabel, describeAgent, relativeTime } from './account-format.ts';

export function SessionsSection({ onSignOut }: { onSignOut(): void }) {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const sessions = useQuery({ queryKey: ['listSessions'], queryFn: () => api.call('listSessions') });
  const [revoking, setRevoking] = useState<SessionInfo | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => api.call('revokeSession', { params: { id } }),
    onSuccess: () => {
      toast.info(`Signed out ${describeAgent(revoking?.userAgent ?? null)}`);
      setRevoking(null);
    },
    onError: (e) => toast.error(plainError(e)),
    onSettled: () => qc.invalidateQueries({ queryKey: ['listSessions'] }),
  });
  const list = [...(sessions.data ?? [])].sort((a, b) => Number(b.current) - Number(a.current) || b.lastUsedAt.localeCompare(a.lastUsedAt));
  return (
    <section className="card" aria-labelledby="account-sessions">
      <h2 id="account-sessions">Where you are signed in</h2>
      {sessions.error && <ErrorState error={sessions.error} onRetry={() => void sessions.refetch()} />}
      {sessions.isPending && <Loading label="Loading your sessions" />}
      <ul className="plain rows" data-testid="sessions">
        {list.map((s) => (
          <li key={s.id} className="list-row" data-testid="session-row" data-current={s.current || undefined}>
            <Icon name="device" />
            <div className="list-main">
              <div className="list-title">
                {describeAgent(s.userAgent)}
                {s.current && <span className="pill" data-testid="current-session">This device</span>}
              </div>
              <div className="muted small">
                Last active {relativeTime(s.lastUsedAt)} · signed in {dateLabel(s.createdAt)} · ends {dateLabel(s.expiresAt)}
              </div>
            </div>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => (s.current ? onSignOut() : setRevoking(s))}
              aria-label={s.current ? 'Sign out of this device' : `Sign out ${describeAgent(s.userAgent)}, last active ${relativeTime(s.lastUsedAt)}`}
              data-testid="revoke-session"
            >
              Sign out
            </button>
          </li>
        ))}
      </ul>
      <ConfirmDialog
        title="Sign out that device?"
        open={revoking !== null}
        confirmLabel="Sign it out"
        busy={revoke.isPending}
        onClose={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
      >
        <p>{describeAgent(revoking?.userAgent ?? null)} will need the password to get back in.</p>
      </ConfirmDialog>
    </section>
  );
}
