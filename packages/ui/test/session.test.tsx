// The session gate: the desktop and `shoebox serve` start straight into the app with no login; the
// sync server shows onboarding on its first start, the login when nobody is signed in, and the
// login again when a session ends mid-way, returning to the same page after signing in.
import { beforeAll, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ApiError } from '../src/api/client.ts';
import { fakeLayout, fakeLibrary } from './fake-api.ts';
import { ADMIN, fakeServer } from './fake-server.ts';
import { renderApp, sent } from './render.tsx';

beforeAll(() => fakeLayout());

function signIn(email: string, password: string) {
  fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('desktop and headless mode', () => {
  it('shows the app with no login, no Upload and no Account', async () => {
    const lib = fakeLibrary(1, 5);
    lib.routes.getServerInfo = () => ({
      name: 'shoebox', version: '1.0.0', mode: 'headless', apiVersion: 1, assets: { image: 5, video: 0, failed: 0, offline: 0 }, roots: 1, startedAt: '2024-01-01T00:00:00Z',
    });
    renderApp(lib, '/');
    expect(await screen.findByRole('heading', { name: 'Photos' })).toBeTruthy();
    expect(screen.queryByLabelText('E-mail')).toBeNull();
    expect(screen.queryByTestId('nav-upload')).toBeNull();
    expect(screen.queryByTestId('nav-account')).toBeNull();
    expect(screen.getByTestId('nav-folders')).toBeTruthy();
    expect(lib.calls).not.toContain('getAuthStatus');
  });

  it('stays in desktop mode when `shoebox serve` refuses a browser without its token', async () => {
    const lib = fakeLibrary(1, 5);
    lib.before = () => {
      throw new ApiError(401, 'UNAUTHORIZED', 'missing or wrong token: use the URL that `shoebox serve` printed');
    };
    renderApp(lib, '/');
    expect(await screen.findByRole('heading', { name: 'Photos' })).toBeTruthy();
    expect(await screen.findByText(/access token/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Sign in' })).toBeNull();
  });

  it('says so, with a retry, when nothing answers', async () => {
    const lib = fakeLibrary(1, 5);
    let down = true;
    lib.before = () => {
      if (down) throw new TypeError('Failed to fetch');
    };
    lib.routes.getServerInfo = () => ({
      name: 'shoebox', version: '1.0.0', mode: 'desktop', apiVersion: 1, assets: { image: 5, video: 0, failed: 0, offline: 0 }, roots: 1, startedAt: '2024-01-01T00:00:00Z',
    });
    renderApp(lib, '/');
    expect(await screen.findByText('Shoebox could not be reached')).toBeTruthy();
    down = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Photos' })).toBeTruthy();
  });
});

describe('sync server', () => {
  it('shows the login, not the library, to a browser without a session', async () => {
    const server = fakeServer();
    renderApp(server, '/albums');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Albums' })).toBeNull();
    expect(server.calls.slice(0, 2)).toEqual(['getServerInfo', 'getAuthStatus']);
  });

  it('starts in the app with a valid session cookie, with Upload and Account in the navigation', async () => {
    const server = fakeServer({ signedInAs: ADMIN });
    renderApp(server, '/');
    expect(await screen.findByRole('heading', { name: 'Photos' })).toBeTruthy();
    expect(screen.getByTestId('nav-upload')).toBeTruthy();
    expect(screen.getByTestId('tab-upload')).toBeTruthy();
    expect(screen.getByTestId('nav-account')).toBeTruthy();
  });

  it('brings the login back when the session ends, and returns to the same page after signing in', async () => {
    const server = fakeServer({ signedInAs: ADMIN });
    renderApp(server, '/albums');
    expect(await screen.findByRole('heading', { name: 'Albums' })).toBeTruthy();
    // The session is revoked from another device; the next request answers 401.
    server.me = null;
    fireEvent.click(screen.getByTestId('nav-favorites'));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByTestId('session-ended').textContent).toMatch(/session has ended/);
    signIn(ADMIN.email, ADMIN.password);
    expect(await screen.findByRole('heading', { name: 'Favourites' })).toBeTruthy();
    expect(screen.getByTestId('location').textContent).toBe('/favorites');
  });

  it('onboards the first admin and enters the app signed in', async () => {
    const server = fakeServer({ onboarded: false });
    renderApp(server, '/');
    expect(await screen.findByRole('heading', { name: 'Welcome to Shoebox' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Grace' } });
    fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: 'grace@example.org' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'short' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create the admin account' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The password needs at least 8 characters.');
    expect(sent(server, 'onboard')).toEqual([]);

    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'a long enough password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create the admin account' }));
    expect(await screen.findByRole('heading', { name: 'Photos' })).toBeTruthy();
    expect(sent(server, 'onboard')).toEqual([{ body: { name: 'Grace', email: 'grace@example.org', password: 'a long enough password' } }]);
    expect(server.accounts).toMatchObject([{ name: 'Grace', isAdmin: true }]);
  });

  it('sends to the login when someone else finished the onboarding first', async () => {
    const server = fakeServer({ onboarded: false });
    renderApp(server, '/');
    await screen.findByRole('heading', { name: 'Welcome to Shoebox' });
    server.accounts.push({ ...ADMIN });
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Grace' } });
    fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: 'grace@example.org' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'a long enough password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create the admin account' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Go to sign in' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
  });

  it('signs out from the account page and forgets the library', async () => {
    const server = fakeServer({ signedInAs: ADMIN });
    renderApp(server, '/account');
    const profile = await screen.findByTestId('account-name');
    expect(profile.textContent).toContain('Ada Admin');
    fireEvent.click(screen.getByTestId('sign-out'));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(server.calls).toContain('logout');
    expect(screen.queryByTestId('session-ended')).toBeNull();
    await waitFor(() => expect(within(document.body).queryByTestId('account-name')).toBeNull());
  });
});
