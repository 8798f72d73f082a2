// Password hashing: argon2id (the OWASP baseline: 19 MiB, 2 passes) through @node-rs/argon2's
// prebuilt binaries. Verification of a user who does not exist runs against a dummy hash so that a
// wrong e-mail costs as long as a wrong password.
import { randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password and for a malformed stored hash (never throws on those). */
  verify(stored: string, password: string): Promise<boolean>;
  /** Spends the time of a verification and answers false: for an unknown e-mail. */
  verifyDummy(password: string): Promise<false>;
}

/** `Algorithm.Argon2id`: the package's enum is a const enum, which erasable TypeScript cannot read. */
const ARGON2ID = 2 as Algorithm;

export const DEFAULT_ARGON2: Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function argon2Hasher(options: Options = DEFAULT_ARGON2): PasswordHasher {
  const opts: Options = { ...options, algorithm: ARGON2ID };
  let dummy: Promise<string> | undefined;
  const dummyHash = (): Promise<string> => (dummy ??= hash(randomBytes(32).toString('base64url'), opts));
  return {
    hash: (password) => hash(password, opts),
    async verify(stored, password) {
      try {
        return await verify(stored, password);
      } catch {
        return false;
      }
    },
    async verifyDummy(password) {
      try {
        await verify(await dummyHash(), password);
      } catch {
        // nothing: the answer is false either way
      }
      return false;
    },
  };
}
