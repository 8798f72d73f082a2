// Secrets handed to clients: session tokens and API keys. Both are 32 random bytes; the database
// keeps only their SHA-256, so a leaked database holds nothing a client could present.
import { createHash, randomBytes } from 'node:crypto';

/** API keys carry a marker so a bearer header can be told apart from a session token. */
export const API_KEY_MARKER = 'sbk_';
/** The characters of a key kept (and shown) to tell keys apart: the marker and 8 random ones. */
const API_KEY_PREFIX_LENGTH = API_KEY_MARKER.length + 8;

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function newApiKey(): { secret: string; prefix: string } {
  const secret = `${API_KEY_MARKER}${randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, API_KEY_PREFIX_LENGTH) };
}

export function isApiKey(secret: string): boolean {
  return secret.startsWith(API_KEY_MARKER);
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A credential longer than this is not one of ours: refused before it is hashed or looked up. */
export const MAX_CREDENTIAL_LENGTH = 256;
