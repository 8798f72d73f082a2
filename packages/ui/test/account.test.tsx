// The account page on the sync server: sessions (this device marked, others signed out after a
// confirmation), API keys (the secret shown once), the password, and the admin's users.
import { beforeAll, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describeAgent, relativeTime } from '../src/account/account-format.ts';
import { fakeLayout } from './fake-api.ts';
import { ADMIN, MEMBER, fakeServer } from './fake-server.ts';
import { renderApp, sent } from './render.tsx';

beforeAll(() => fakeLayout());

async function openAccount(as = ADMIN, setup?: (server: ReturnType<typeof fakeServer>) => void) {
  const server = fakeServer({ signedInAs: as });
  setup?.(server);
  renderApp(server, '/account');
  await screen.findByTestId('account-name');
  return server;
}

describe('sessions', () => {
  it('marks this device and signs another one out after confirming', async () => {
    const server = await openAccount();
    const rows = await screen.findAllByTestId('session-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByTestId('current-session').textContent).toBe('This device');
    expect(rows[0]!.textContent).toContain('Safari on iPhone');
    expect(rows[1]!.textContent).toContain('Chrome on Linux');
    const other = server.sessions.find((s) => !s.current)!;

    fireEvent.click(within(rows[1]!).getByTestId('revoke-session'));
    fireEvent.click(await screen.findByTestId('confirm'));
    await waitFor(() => expect(screen.getAllByTestId('session-row')).toHaveLength(1));
    expect(sent(server, 'revokeSession')).toEqual([{ params: { id: other.id } }]);
    // Still signed in here.
    expect(screen.getByTestId('account-name')).toBeTruthy();
  });

  it('signs this device out through the normal sign-out', async () => {
    const server = await openAccount();
    const [current] = await screen.findAllByTestId('session-row');
    fireEvent.click(within(current!).getByTestId('revoke-session'));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(server.calls).toContain('logout');
    expect(sent(server, 'revokeSession')).toEqual([]);
  });
});

describe('API keys', () => {
  it('shows a new key’s secret once, with a copy button, and lists the key without it', async () => {
    const server = await openAccount();
    expect(await screen.findByText('You have no API keys.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Key name'), { target: { value: 'Backup script' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    const secret = (await screen.findByTestId('api-key-secret')) as HTMLInputElement;
    expect(secret.value).toBe('sbk_a1b2c3d4e5f6g7h8i9j0');
    expect(screen.getByRole('dialog').textContent).toMatch(/only time/);
    expect(sent(server, 'createApiKey')).toEqual([{ body: { name: 'Backup script' } }]);
    fireEvent.click(screen.getByTestId('api-key-copy'));
    expect(await screen.findByText(/copy it with your device’s copy command|Copied to the clipboard/)).toBeTruthy();

    fireEvent.click(screen.getByTestId('api-key-done'));
    await waitFor(() => expect(screen.queryByTestId('api-key-secret')).toBeNull());
    const row = await screen.findByTestId('api-key-row');
    expect(row.textContent).toContain('Backup script');
    expect(row.textContent).toContain('sbk_a1b2…');
    expect(document.body.textContent).not.toContain('sbk_a1b2c3d4e5f6g7h8i9j0');
  });

  it('revokes a key after confirming', async () => {
    const id = '50000000-0000-4000-8000-000000000009';
    const server = await openAccount(ADMIN, (s) => {
      s.apiKeys.push({ id, name: 'Old phone', prefix: 'sbk_zz', createdAt: '2024-01-01T00:00:00.000Z', lastUsedAt: null, userId: ADMIN.id });
    });
    const row = await screen.findByTestId('api-key-row');
    expect(row.textContent).toContain('never used');
    fireEvent.click(within(row).getByRole('button', { name: 'Revoke the key Old phone' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke key' }));
    await waitFor(() => expect(screen.queryByTestId('api-key-row')).toBeNull());
    expect(sent(server, 'revokeApiKey')).toEqual([{ params: { id } }]);
  });
});

describe('password', () => {
  it('shows the server’s answer to a wrong current password, and changes it with the right one', async () => {
    const server = await openAccount(MEMBER);
    fireEvent.change(screen.getByLabelText('Current password'), { target: { value: 'nope' } });
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'a brand new password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The current password is wrong.');
    // A wrong current password is not a lost session.
    expect(screen.getByTestId('account-name')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Current password'), { target: { value: MEMBER.password } });
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText(/Password changed/)).toBeTruthy();
    expect(server.accounts.find((a) => a.id === MEMBER.id)!.password).toBe('a brand new password');
  });
});

describe('users (admins)', () => {
  it('lists the users and adds one', async () => {
    const server = await openAccount();
    expect(await screen.findAllByTestId('user-row')).toHaveLength(2);
    fireEvent.click(screen.getByTestId('add-user'));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'Cleo' } });
    fireEvent.change(within(dialog).getByLabelText('E-mail'), { target: { value: 'cleo@example.org' } });
    fireEvent.change(within(dialog).getByLabelText('First password'), { target: { value: 'cleo password' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add user' }));
    await waitFor(() => expect(screen.getAllByTestId('user-row')).toHaveLength(3));
    expect(sent(server, 'createUser')).toEqual([{ body: { name: 'Cleo', email: 'cleo@example.org', password: 'cleo password', isAdmin: false } }]);
  });

  it('makes an admin, sets a password, and deletes after confirming; never its own account', async () => {
    const server = await openAccount();
    await screen.findAllByTestId('user-row');
    const ben = () => screen.getAllByTestId('user-row').find((r) => r.dataset.userId === MEMBER.id)!;
    const me = screen.getAllByTestId('user-row').find((r) => r.dataset.userId === ADMIN.id)!;
    expect((within(me).getByRole('button', { name: `Delete ${ADMIN.name}` }) as HTMLButtonElement).disabled).toBe(true);
    expect((within(me).getByRole('button', { name: `Remove admin from ${ADMIN.name}` }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(within(ben()).getByRole('button', { name: `Make ${MEMBER.name} an admin` }));
    await waitFor(() => expect(within(ben()).getByText('Admin')).toBeTruthy());
    expect(sent(server, 'updateUser')).toEqual([{ params: { id: MEMBER.id }, body: { isAdmin: true } }]);

    fireEvent.click(within(ben()).getByRole('button', { name: `Set a new password for ${MEMBER.name}` }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('New password'), { target: { value: 'reset by admin' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Set password' }));
    await waitFor(() => expect(sent(server, 'updateUser').at(-1)).toEqual({ params: { id: MEMBER.id }, body: { password: 'reset by admin' } }));

    fireEvent.click(within(ben()).getByRole('button', { name: `Delete ${MEMBER.name}` }));
    expect((await screen.findByRole('dialog')).textContent).toMatch(/files stay/);
    fireEvent.click(screen.getByRole('button', { name: 'Delete user' }));
    await waitFor(() => expect(screen.getAllByTestId('user-row')).toHaveLength(1));
    expect(sent(server, 'deleteUser')).toEqual([{ params: { id: MEMBER.id } }]);
  });
});

describe('account words', () => {
  it('names browsers and devices', () => {
    expect(describeAgent('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36')).toBe('Chrome on Android');
    expect(describeAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1')).toBe('Safari on iPhone');
    expect(describeAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe('Firefox on Windows');
    expect(describeAgent('curl/8.5.0')).toBe('curl');
    expect(describeAgent(null)).toBe('Unknown device');
  });
  it('says how long ago', () => {
    const now = Date.parse('2024-06-10T12:00:00Z');
    expect(relativeTime('2024-06-10T11:59:50Z', now)).toBe('just now');
    expect(relativeTime('2024-06-10T11:55:00Z', now)).toBe('5 minutes ago');
    expect(relativeTime('2024-06-10T09:00:00Z', now)).toBe('3 hours ago');
    expect(relativeTime('2024-06-08T12:00:00Z', now)).toBe('2 days ago');
    expect(relativeTime('2024-01-02T12:00:00Z', now)).toBe('2 Jan 2024');
  });
});
