// The sync server's login: a wrong password shows the server's own message, too many attempts
// say how long to wait, a network failure says what to check, and a right password enters the app.
import { beforeAll, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ApiError } from '../src/api/client.ts';
import { authError, waitLabel } from '../src/auth/auth-errors.ts';
import { fakeLayout } from './fake-api.ts';
import { ADMIN, MEMBER, fakeServer } from './fake-server.ts';
import { renderApp, sent } from './render.tsx';

beforeAll(() => fakeLayout());

async function openLogin() {
  const server = fakeServer();
  renderApp(server, '/');
  await screen.findByRole('heading', { name: 'Sign in' });
  return server;
}

function signIn(email: string, password: string) {
  fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('login', () => {
  it('shows the server’s message for a wrong password and stays on the login', async () => {
    const server = await openLogin();
    signIn(ADMIN.email, 'not the password');
    expect((await screen.findByTestId('login-error')).textContent).toBe('Wrong e-mail or password.');
    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect((screen.getByLabelText('E-mail') as HTMLInputElement).value).toBe(ADMIN.email);
    expect(sent(server, 'login')).toEqual([{ body: { email: ADMIN.email, password: 'not the password' } }]);
    // A wrong password is not a lost session: nothing else happens.
    expect(server.calls.filter((c) => c === 'getAuthStatus')).toHaveLength(1);
  });

  it('says how long to wait after too many attempts', async () => {
    const server = await openLogin();
    server.loginError = new ApiError(429, 'TOO_MANY_REQUESTS', 'too many login attempts', { retryAfter: 300 });
    signIn(ADMIN.email, 'guess');
    expect((await screen.findByTestId('login-error')).textContent).toBe('Too many attempts. Try again in 5 minutes.');
    server.loginError = new ApiError(429, 'TOO_MANY_REQUESTS', 'too many attempts, try again in 12 minutes');
    signIn(ADMIN.email, 'guess again');
    await waitFor(() => expect(screen.getByTestId('login-error').textContent).toBe('Too many attempts, try again in 12 minutes.'));
  });

  it('says what to check when the server does not answer', async () => {
    const server = await openLogin();
    server.loginError = new TypeError('Failed to fetch') as unknown as ApiError;
    signIn(ADMIN.email, ADMIN.password);
    expect((await screen.findByTestId('login-error')).textContent).toMatch(/not answering.*same network/);
  });

  it('enters the app with the right password', async () => {
    const server = await openLogin();
    signIn(`  ${MEMBER.email}  `, MEMBER.password);
    expect(await screen.findByRole('heading', { name: 'Photos' })).toBeTruthy();
    expect(sent(server, 'login')).toEqual([{ body: { email: MEMBER.email, password: MEMBER.password } }]);
    expect(await screen.findAllByTestId('thumb')).not.toHaveLength(0);
    // A member has no Users section.
    fireEvent.click(screen.getByTestId('nav-account'));
    expect(await screen.findByTestId('account-email')).toBeTruthy();
    expect(screen.getByTestId('account-email').textContent).toBe(MEMBER.email);
    expect(screen.queryByRole('heading', { name: 'Users' })).toBeNull();
  });

  it('keeps the password field free of other labels, for label lookups', async () => {
    await openLogin();
    expect(screen.getAllByLabelText(/password/i)).toHaveLength(1);
    const reveal = screen.getByRole('button', { name: 'Show' });
    fireEvent.click(reveal);
    expect((screen.getByLabelText('Password') as HTMLInputElement).type).toBe('text');
  });
});

describe('authError', () => {
  it('names the field a validation error is about', () => {
    const error = new ApiError(400, 'VALIDATION_FAILED', 'body.email: not an e-mail address', { details: [{ path: 'body.email', message: 'not an e-mail address' }] });
    expect(authError(error)).toBe('E-mail: not an e-mail address.');
  });
  it('words the wait', () => {
    expect(waitLabel(1)).toBe('in 1 second');
    expect(waitLabel(40)).toBe('in 40 seconds');
    expect(waitLabel(61)).toBe('in 2 minutes');
    expect(waitLabel(60)).toBe('in 1 minute');
    expect(waitLabel(3 * 3600)).toBe('in 3 hours');
  });
});
