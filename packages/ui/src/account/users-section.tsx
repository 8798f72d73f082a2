// The admin's user management: every account, adding one, making or unmaking an admin, setting a
// new password (their sessions end), and deleting (with a confirmation that says what goes).
// Admins cannot demote or delete themselves here, so a server never loses its last admin by a tap.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { User } from '@shoebox/core/contract';
import { useApi } from '../api/api-context.tsx';
import { plainError } from '../api/errors.ts';
import { authError } from '../auth/auth-errors.ts';
import { MIN_PASSWORD } from '../auth/onboarding-page.tsx';
import { PasswordField } from '../auth/password-field.tsx';
import { ConfirmDialog, Dialog } from '../components/dialog.tsx';
import { Icon } from '../components/icons.tsx';
import { ErrorState, Loading } from '../components/states.tsx';
import { useToast } from '../components/toast.tsx';
import { dateLabel } from './account-format.ts';

const USERS = ['listUsers'];

function CreateUserDialog({ onClose }: { onClose(): void }) {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [isAdmin, setIsAdmin] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => api.call('createUser', { body: { name: name.trim(), email: email.trim(), password, isAdmin } }),
    onSuccess: (user) => {
      toast.info(`Added ${user.name}. Give them their e-mail and password to sign in.`);
      onClose();
    },
    onError: (e) => setError(authError(e)),
    onSettled: () => qc.invalidateQueries({ queryKey: USERS }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password.length < MIN_PASSWORD) return setError(`The password needs at least ${MIN_PASSWORD} characters.`);
    setError(null);
    create.mutate();
  };
  return (
    <Dialog title="Add a user" open onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <div className="field">
          <label htmlFor="new-user-name">Name</label>
          <input id="new-user-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </div>
        <div className="field">
          <label htmlFor="new-user-email">E-mail</label>
          <input id="new-user-email" type="email" inputMode="email" autoCapitalize="none" autoCorrect="off" spellCheck={false} required value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <PasswordField label="First password" value={password} onChange={setPassword} autoComplete="new-password" minLength={MIN_PASSWORD} hint="They can change it under Account once signed in." />
        <label className="check">
          <input type="checkbox" checked={isAdmin} onChange={(e) => setIsAdmin(e.target.checked)} /> Admin (can manage users)
        </label>
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>Cancel</button>
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>{create.isPending ? 'Adding…' : 'Add user'}</button>
        </div>
      </form>
    </Dialog>
  );
}

function ResetPasswordDialog({ user, onClose }: { user: User; onClose(): void }) {
  const api = useApi();
  const toast = useToast();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const reset = useMutation({
    mutationFn: () => api.call('updateUser', { params: { id: user.id }, body: { password } }),
    onSuccess: () => {
      toast.info(`New password set for ${user.name}; they have been signed out everywhere.`);
      onClose();
    },
    onError: (e) => setError(authError(e)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password.length < MIN_PASSWORD) return setError(`The password needs at least ${MIN_PASSWORD} characters.`);
    setError(null);
    reset.mutate();
  };
  return (
    <Dialog title={`New password for ${user.name}`} open onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <p className="muted">Their devices are signed out; tell them the new password.</p>
        <PasswordField label="New password" value={password} onChange={setPassword} autoComplete="new-password" minLength={MIN_PASSWORD} autoFocus />
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>Cancel</button>
          <button type="submit" className="btn btn-primary" disabled={reset.isPending}>Set password</button>
        </div>
      </form>
    </Dialog>
  );
}

export function UsersSection({ me, onMeChanged }: { me: User; onMeChanged(user: User): void }) {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const users = useQuery({ queryKey: USERS, queryFn: () => api.call('listUsers') });
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const [deleting, setDeleting] = useState<User | null>(null);
  const setAdmin = useMutation({
    mutationFn: ({ user, isAdmin }: { user: User; isAdmin: boolean }) => api.call('updateUser', { params: { id: user.id }, body: { isAdmin } }),
    onSuccess: (user) => {
      toast.info(user.isAdmin ? `${user.name} is now an admin` : `${user.name} is no longer an admin`);
      if (user.id === me.id) onMeChanged(user);
    },
    onError: (e) => toast.error(plainError(e)),
    onSettled: () => qc.invalidateQueries({ queryKey: USERS }),
  });
  const remove = useMutation({
    mutationFn: (user: User) => api.call('deleteUser', { params: { id: user.id } }),
    onSuccess: (_done, user) => {
      toast.info(`Deleted ${user.name}`);
      setDeleting(null);
    },
    onError: (e) => toast.error(plainError(e)),
    onSettled: () => qc.invalidateQueries({ queryKey: USERS }),
  });

  return (
    <section className="card" aria-labelledby="account-users">
      <div className="card-header">
        <h2 id="account-users">Users</h2>
        <button type="button" className="btn btn-primary" onClick={() => setAdding(true)} data-testid="add-user">
          <Icon name="user-plus" size={18} /> Add user
        </button>
      </div>
      {users.error && <ErrorState error={users.error} onRetry={() => void users.refetch()} />}
      {users.isPending && <Loading label="Loading the users" />}
      <ul className="plain rows" data-testid="users">
        {users.data?.map((u) => {
          const self = u.id === me.id;
          return (
            <li key={u.id} className="list-row user-row" data-testid="user-row" data-user-id={u.id}>
              <Icon name={u.isAdmin ? 'shield' : 'person'} />
              <div className="list-main">
                <div className="list-title">
                  {u.name}
                  {u.isAdmin && <span className="pill">Admin</span>}
                  {self && <span className="pill">You</span>}
                </div>
                <div className="muted small">{u.email} · since {dateLabel(u.createdAt)}</div>
              </div>
              <div className="row-actions">
                <button
                  type="button" className="btn btn-small" disabled={self || setAdmin.isPending}
                  title={self ? 'Another admin can change your role' : undefined}
                  onClick={() => setAdmin.mutate({ user: u, isAdmin: !u.isAdmin })}
                  aria-label={u.isAdmin ? `Remove admin from ${u.name}` : `Make ${u.name} an admin`}
                >
                  {u.isAdmin ? 'Remove admin' : 'Make admin'}
                </button>
                <button type="button" className="btn btn-small" onClick={() => setResetting(u)} aria-label={`Set a new password for ${u.name}`}>
                  Reset password
                </button>
                <button
                  type="button" className="btn btn-small btn-danger" disabled={self}
                  title={self ? 'You cannot delete your own account' : undefined}
                  onClick={() => setDeleting(u)} aria-label={`Delete ${u.name}`}
                >
                  Delete
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      {adding && <CreateUserDialog onClose={() => setAdding(false)} />}
      {resetting && <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} />}
      <ConfirmDialog
        title={`Delete ${deleting?.name ?? 'this user'}?`}
        open={deleting !== null}
        confirmLabel="Delete user"
        danger
        busy={remove.isPending}
        onClose={() => setDeleting(null)}
        onConfirm={() => deleting && remove.mutate(deleting)}
      >
        <p>
          {deleting?.email} can no longer sign in, and their catalog (albums, favourites, people) is removed. Their photo
          and video files stay in the server’s storage folder, where whoever runs the server can still reach them.
        </p>
      </ConfirmDialog>
    </section>
  );
}
