// Users, sessions and API keys of the sync server: onboarding, login, the caller's sessions and
// keys, and the admin's user management.
import { z } from 'zod';
import { IsoDateTime } from './common.schemas.ts';

const Email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'not an e-mail address' }))
  .meta({ description: 'Login name; compared case-insensitively' });
const Name = z.string().trim().min(1, 'a name is required').max(100);
const Password = z.string().min(8, 'at least 8 characters').max(1024, 'at most 1024 characters');

export const User = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    isAdmin: z.boolean(),
    createdAt: IsoDateTime,
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const AuthStatus = z
  .object({
    /** An admin exists: the first start's onboarding is done. */
    onboarded: z.boolean(),
    /** The caller, when the request carried a valid session or API key. */
    user: User.nullable(),
  })
  .meta({ id: 'AuthStatus' });
export type AuthStatus = z.infer<typeof AuthStatus>;

export const OnboardingBody = z.object({ email: Email, name: Name, password: Password }).meta({ id: 'OnboardingBody' });
export type OnboardingBody = z.infer<typeof OnboardingBody>;

export const LoginBody = z
  .object({ email: Email, password: z.string().min(1, 'a password is required').max(1024) })
  .meta({ id: 'LoginBody' });
export type LoginBody = z.infer<typeof LoginBody>;

export const LoginResult = z
  .object({
    /** Bearer token; the web app gets it as an HttpOnly cookie too. */
    token: z.string(),
    expiresAt: IsoDateTime,
    user: User,
  })
  .meta({ id: 'LoginResult' });
export type LoginResult = z.infer<typeof LoginResult>;

export const SessionInfo = z
  .object({
    id: z.uuid(),
    createdAt: IsoDateTime,
    lastUsedAt: IsoDateTime,
    expiresAt: IsoDateTime,
    userAgent: z.string().nullable(),
    /** The session this request came with. */
    current: z.boolean(),
  })
  .meta({ id: 'SessionInfo' });
export type SessionInfo = z.infer<typeof SessionInfo>;

export const ApiKeyInfo = z
  .object({
    id: z.uuid(),
    name: z.string(),
    /** The key's first characters, to tell keys apart; the secret itself is never shown again. */
    prefix: z.string(),
    createdAt: IsoDateTime,
    lastUsedAt: IsoDateTime.nullable(),
  })
  .meta({ id: 'ApiKeyInfo' });
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;

export const CreateApiKeyBody = z.object({ name: Name }).meta({ id: 'CreateApiKeyBody' });
export type CreateApiKeyBody = z.infer<typeof CreateApiKeyBody>;

export const CreatedApiKey = z
  .object({ apiKey: ApiKeyInfo, secret: z.string().meta({ description: 'Shown once: send it as `x-api-key` or a bearer token' }) })
  .meta({ id: 'CreatedApiKey' });
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

export const CreateUserBody = z
  .object({ email: Email, name: Name, password: Password, isAdmin: z.boolean().default(false) })
  .meta({ id: 'CreateUserBody' });
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z
  .object({ name: Name.optional(), isAdmin: z.boolean().optional(), password: Password.optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change')
  .meta({ id: 'UpdateUserBody' });
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const ChangePasswordBody = z
  .object({ currentPassword: z.string().min(1).max(1024), newPassword: Password })
  .meta({ id: 'ChangePasswordBody' });
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;

export const Done = z.object({ ok: z.literal(true) }).meta({ id: 'Done' });
export type Done = z.infer<typeof Done>;
