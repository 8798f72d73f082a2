// Who is signed in, and signing out; changing one's own password.
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { User } from '@shoebox/core/contract';
import { useApi } from '../api/api-context.tsx';
import { authError } from '../auth/auth-errors.ts';
import { MIN_PASSWORD } from '../auth/onboarding-page.tsx';
import { PasswordField } from '../auth/password-field.tsx';
import { Icon } from '../components/icons.tsx';
import { useToast } from '../components/toast.tsx';
import { dateLabel } from './account-format.ts';

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase();
}

export function ProfileSection({ user, onSignOut }: { user: User; onSignOut(): void }) {
  const [busy, setBusy] = useState(false);
  return (
    <section className="card profile" aria-labelledby="account-you">
      <div className="avatar profile-avatar" aria-hidden="true">{initials(user.name)}</div>
      <div className="profile-main">
        <h2 id="account-you" className="profile-name" data-testid="account-name">
          {user.name}
          {user.isAdmin && <span className="pill">Admin</span>}
        </h2>
        <div className="muted" data-testid="account-email">{user.email}</div>
        <div className="muted small">Account created {dateLabel(user.createdAt)}</div>
      </div>
      <button
        type="button"
        className="btn"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          onSignOut();
        }}
        data-testid="sign-out"
      >
        <Icon name="logout" size={18} /> {busy ? 'Signing out…' : 'Sign out'}
      </button>
    </section>
  );
}

export function PasswordSection() {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: () => api.call('changePassword', { body: { currentPassword: current, newPassword: next } }),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setError(null);
      toast.info('Password changed. Your other devices have been signed out.');
      void qc.invalidateQueries({ queryKey: ['listSessions'] });
    },
    onError: (e) => setError(authError(e)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (next.length < MIN_PASSWORD) return setError(`The new password needs at least ${MIN_PASSWORD} characters.`);
    if (next === current) return setError('The new password is the same as the current one.');
    setError(null);
    change.mutate();
  };
  return (
    <section className="card" aria-labelledby="account-password">
      <h2 id="account-password">Password</h2>
      <form className="stack narrow-form" onSubmit={submit}>
        <PasswordField label="Current password" value={current} onChange={setCurrent} autoComplete="current-password" />
        <PasswordField
          label="New password" value={next} onChange={setNext} autoComplete="new-password" minLength={MIN_PASSWORD}
          hint={`At least ${MIN_PASSWORD} characters. Changing it signs you out everywhere else.`}
        />
        {error && <p className="form-error" role="alert">{error}</p>}
        <div>
          <button type="submit" className="btn btn-primary" disabled={change.isPending || !current || !next}>
            {change.isPending ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </section>
  );
}
