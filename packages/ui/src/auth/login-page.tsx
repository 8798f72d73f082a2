// Sign in to the sync server with e-mail and password. The server answers a session token and
// sets it as an HttpOnly cookie, which is what the app (and every <img> of it) then uses.
import { useRef, useState, type FormEvent } from 'react';
import type { User } from '@shoebox/core/contract';
import { useApi } from '../api/api-context.tsx';
import { AuthFrame } from './auth-frame.tsx';
import { authError } from './auth-errors.ts';
import { PasswordField } from './password-field.tsx';

interface LoginPageProps {
  /** The session ended (expired, revoked, or the password changed elsewhere). */
  expired: boolean;
  onSignedIn(user: User): void;
}

export function LoginPage({ expired, onSignedIn }: LoginPageProps) {
  const api = useApi();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const passwordInput = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api.call('login', { body: { email: email.trim(), password } });
      onSignedIn(result.user);
    } catch (err) {
      setError(authError(err));
      setBusy(false);
      passwordInput.current?.select();
    }
  };

  return (
    <AuthFrame title="Sign in">
      {expired && !error && (
        <p className="notice" role="status" data-testid="session-ended">Your session has ended. Sign in again to carry on where you were.</p>
      )}
      <form className="stack auth-form" onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <div className="field">
          <label htmlFor="login-email">E-mail</label>
          <input
            id="login-email"
            type="email"
            inputMode="email"
            autoComplete="username"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            autoFocus
          />
        </div>
        <PasswordField label="Password" value={password} onChange={setPassword} autoComplete="current-password" inputRef={passwordInput} />
        {error && <p className="form-error" role="alert" data-testid="login-error">{error}</p>}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="muted small auth-foot">Forgot your password? Ask whoever runs this Shoebox server: an admin can set a new one.</p>
    </AuthFrame>
  );
}
