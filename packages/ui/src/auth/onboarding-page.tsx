// The sync server's first start: create the admin account (who can then add the others) and sign
// in with it.
import { useState, type FormEvent } from 'react';
import type { User } from '@shoebox/core/contract';
import { useApi } from '../api/api-context.tsx';
import { ApiError } from '../api/client.ts';
import { AuthFrame } from './auth-frame.tsx';
import { authError } from './auth-errors.ts';
import { PasswordField } from './password-field.tsx';

export const MIN_PASSWORD = 8;

interface OnboardingPageProps {
  onDone(user: User): void;
  /** Someone else finished the set-up meanwhile: back to the login. */
  onAlreadyDone(): void;
}

export function OnboardingPage({ onDone, onAlreadyDone }: OnboardingPageProps) {
  const api = useApi();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [taken, setTaken] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (password.length < MIN_PASSWORD) {
      setError(`The password needs at least ${MIN_PASSWORD} characters.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await api.call('onboard', { body: { name: name.trim(), email: email.trim(), password } });
      onDone(result.user);
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code === 'ALREADY_ONBOARDED') setTaken(true);
      else setError(authError(err));
    }
  };

  if (taken) {
    return (
      <AuthFrame title="Already set up">
        <p>This Shoebox server already has its admin account. Sign in with the account you were given.</p>
        <button type="button" className="btn btn-primary btn-block" onClick={onAlreadyDone}>Go to sign in</button>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame title="Welcome to Shoebox">
      <p className="muted">
        Create the first account. It is this server’s admin: it can add accounts for the rest of the household,
        and each account keeps its own photos.
      </p>
      <form className="stack auth-form" onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <div className="field">
          <label htmlFor="onboard-name">Name</label>
          <input id="onboard-name" autoComplete="name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </div>
        <div className="field">
          <label htmlFor="onboard-email">E-mail</label>
          <input
            id="onboard-email" type="email" inputMode="email" autoComplete="username" autoCapitalize="none" autoCorrect="off"
            spellCheck={false} required value={email} onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <PasswordField
          label="Password" value={password} onChange={setPassword} autoComplete="new-password" minLength={MIN_PASSWORD}
          hint={`At least ${MIN_PASSWORD} characters. A few unrelated words make a strong one.`}
        />
        {error && <p className="form-error" role="alert" data-testid="onboarding-error">{error}</p>}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Creating the account…' : 'Create the admin account'}
        </button>
      </form>
    </AuthFrame>
  );
}
