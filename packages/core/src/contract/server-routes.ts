// The sync server's own routes, next to the shared table: onboarding, login and sessions, API
// keys, user management, uploads and the bulk checksum check. The desktop does not mount them.
import { z } from 'zod';
import { defineRoute } from './route.ts';
import { IdParam } from './schemas/common.schemas.ts';
import {
  ApiKeyInfo, AuthStatus, ChangePasswordBody, CreateApiKeyBody, CreatedApiKey, CreateUserBody, Done, LoginBody, LoginResult,
  OnboardingBody, SessionInfo, UpdateUserBody, User,
} from './schemas/auth.schemas.ts';
import { BulkCheckBody, BulkCheckResult, UploadFields, UploadResult } from './schemas/upload.schemas.ts';
import { routes } from './routes.ts';

export const serverRoutes = {
  getAuthStatus: defineRoute({
    method: 'get', path: '/api/auth/status', tag: 'auth', auth: 'public',
    summary: 'Whether the server has been set up, and who the caller is',
    response: AuthStatus, errors: [],
  }),
  onboard: defineRoute({
    method: 'post', path: '/api/auth/onboarding', tag: 'auth', auth: 'public',
    summary: 'First start: create the admin and sign in (only while no user exists)',
    body: OnboardingBody, response: LoginResult, status: 201, errors: ['ALREADY_ONBOARDED', 'TOO_MANY_REQUESTS'],
  }),
  login: defineRoute({
    method: 'post', path: '/api/auth/login', tag: 'auth', auth: 'public',
    summary: 'Sign in with e-mail and password; answers a session token (and sets the session cookie)',
    body: LoginBody, response: LoginResult, errors: ['INVALID_CREDENTIALS', 'TOO_MANY_REQUESTS'],
  }),
  logout: defineRoute({
    method: 'post', path: '/api/auth/logout', tag: 'auth', summary: 'End the current session',
    response: Done, errors: [],
  }),
  listSessions: defineRoute({
    method: 'get', path: '/api/auth/sessions', tag: 'auth', summary: "The caller's active sessions",
    response: z.array(SessionInfo), errors: [],
  }),
  revokeSession: defineRoute({
    method: 'delete', path: '/api/auth/sessions/{id}', tag: 'auth', summary: 'Sign out one of your sessions',
    params: IdParam, response: Done, errors: ['SESSION_NOT_FOUND'],
  }),
  getMe: defineRoute({
    method: 'get', path: '/api/users/me', tag: 'users', summary: 'The signed-in user',
    response: User, errors: [],
  }),
  changePassword: defineRoute({
    method: 'put', path: '/api/users/me/password', tag: 'users',
    summary: 'Change your password (your other sessions are signed out; your API keys keep working)',
    body: ChangePasswordBody, response: Done, errors: ['INVALID_CREDENTIALS'],
  }),
  listApiKeys: defineRoute({
    method: 'get', path: '/api/api-keys', tag: 'auth', summary: "The caller's API keys (never their secrets)",
    response: z.array(ApiKeyInfo), errors: [],
  }),
  createApiKey: defineRoute({
    method: 'post', path: '/api/api-keys', tag: 'auth', summary: 'Create an API key; its secret is answered once',
    body: CreateApiKeyBody, response: CreatedApiKey, status: 201, errors: [],
  }),
  revokeApiKey: defineRoute({
    method: 'delete', path: '/api/api-keys/{id}', tag: 'auth', summary: 'Revoke an API key',
    params: IdParam, response: Done, errors: ['API_KEY_NOT_FOUND'],
  }),
  listUsers: defineRoute({
    method: 'get', path: '/api/admin/users', tag: 'users', auth: 'admin', summary: 'Every user (admins only)',
    response: z.array(User), errors: ['FORBIDDEN'],
  }),
  createUser: defineRoute({
    method: 'post', path: '/api/admin/users', tag: 'users', auth: 'admin', summary: 'Create a user (admins only)',
    body: CreateUserBody, response: User, status: 201, errors: ['FORBIDDEN', 'EMAIL_TAKEN'],
  }),
  updateUser: defineRoute({
    method: 'patch', path: '/api/admin/users/{id}', tag: 'users', auth: 'admin',
    summary: "Rename a user, make or unmake an admin, or reset their password (their sessions end and their API keys are revoked)",
    params: IdParam, body: UpdateUserBody, response: User, errors: ['FORBIDDEN', 'USER_NOT_FOUND'],
  }),
  deleteUser: defineRoute({
    method: 'delete', path: '/api/admin/users/{id}', tag: 'users', auth: 'admin',
    summary: "Delete a user and their catalog; their files stay in the storage folder for the admin",
    params: IdParam, response: Done, errors: ['FORBIDDEN', 'USER_NOT_FOUND'],
  }),
  uploadAsset: defineRoute({
    method: 'post', path: '/api/assets/upload', tag: 'uploads',
    summary: 'Upload one photo or video (multipart field `file`); 201 created, 200 when you already had it',
    upload: { fileField: 'file', fields: UploadFields },
    response: UploadResult, status: 201,
    errors: ['BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'CHECKSUM_MISMATCH', 'SERVICE_UNAVAILABLE'],
  }),
  bulkCheckAssets: defineRoute({
    method: 'post', path: '/api/assets/bulk-check', tag: 'uploads',
    summary: 'Which of these SHA-1 checksums the caller already has (and as which asset)',
    body: BulkCheckBody, response: BulkCheckResult, errors: [],
  }),
} as const;

export type ServerRoutes = typeof serverRoutes;
export type ServerRouteKey = keyof ServerRoutes;

/** Every route the sync server answers: the shared table plus its own. */
export const apiRoutes = { ...routes, ...serverRoutes } as const;
export type ApiRoutes = typeof apiRoutes;
export type ApiRouteKey = keyof ApiRoutes;
