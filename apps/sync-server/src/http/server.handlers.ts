// The sync server's own routes bound to its services: onboarding, sign-in and sessions, API keys,
// the admin's user management and the bulk checksum check. (The multipart upload is streamed by
// the upload router, not through a handler.) Sign-in needs the client's address and the caller,
// which the router passes as an optional third argument.
import type { ServerRouteHandlers } from '@shoebox/core/contract';
import type { AuthService, Caller, ClientInfo } from '../auth/auth.service.ts';
import type { UserAdminService } from '../auth/user-admin.service.ts';
import type { UploadRepository } from '../ports/server.ports.ts';

/** What the HTTP layer knows about a request beyond its parsed input and context. */
export interface HttpExtras {
  client: ClientInfo;
  caller: Caller | null;
}

const UNKNOWN_CLIENT: ClientInfo = { ip: 'unknown', userAgent: null };

export interface ServerHandlerDeps {
  auth: AuthService;
  userAdmin: UserAdminService;
  uploads: Pick<UploadRepository, 'byChecksums'>;
}

export function createServerHandlers({ auth, userAdmin, uploads }: ServerHandlerDeps): ServerRouteHandlers {
  const done = { ok: true } as const;
  return {
    getAuthStatus: async (_input, _ctx, http?: HttpExtras) => auth.status(http?.caller ?? null),
    onboard: async ({ body }, _ctx, http?: HttpExtras) => auth.onboard(body, http?.client ?? UNKNOWN_CLIENT),
    login: async ({ body }, _ctx, http?: HttpExtras) => auth.login(body, http?.client ?? UNKNOWN_CLIENT),
    logout: async (_input, ctx) => {
      await auth.logout(ctx);
      return done;
    },
    listSessions: async (_input, ctx) => auth.listSessions(ctx),
    revokeSession: async ({ params }, ctx) => {
      await auth.revokeSession(ctx, params.id);
      return done;
    },
    getMe: async (_input, ctx) => auth.me(ctx),
    changePassword: async ({ body }, ctx) => {
      await auth.changePassword(ctx, body);
      return done;
    },
    listApiKeys: async (_input, ctx) => auth.listApiKeys(ctx),
    createApiKey: async ({ body }, ctx) => auth.createApiKey(ctx, body.name),
    revokeApiKey: async ({ params }, ctx) => {
      await auth.revokeApiKey(ctx, params.id);
      return done;
    },
    listUsers: async () => userAdmin.list(),
    createUser: async ({ body }, ctx) => userAdmin.create(ctx, body),
    updateUser: async ({ params, body }, ctx) => userAdmin.update(ctx, params.id, body),
    deleteUser: async ({ params }, ctx) => {
      await userAdmin.delete(ctx, params.id);
      return done;
    },
    bulkCheckAssets: async ({ body }, ctx) => {
      const held = await uploads.byChecksums(ctx.ownerId, [...new Set(body.checksums)]);
      return { results: body.checksums.map((checksum) => ({ checksum, assetId: held.get(checksum) ?? null })) };
    },
  };
}
