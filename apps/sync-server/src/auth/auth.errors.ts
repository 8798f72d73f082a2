// Errors of the sign-in flows that carry more than a code: a refusal for too many attempts says
// when to come back (the transport turns it into a Retry-After header).
import { AppError } from '@shoebox/core/contract';

export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterMs: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super('TOO_MANY_REQUESTS', `too many failed attempts; try again in ${seconds} s`);
    this.retryAfterSeconds = seconds;
  }
}

export function unauthorized(message = 'sign in first: send a session token or an API key'): AppError {
  return new AppError('UNAUTHORIZED', message);
}

/** The one answer for a wrong e-mail and a wrong password, so neither can be told apart. */
export function invalidCredentials(): AppError {
  return new AppError('INVALID_CREDENTIALS', 'wrong e-mail or password');
}
