// What the sign-in, onboarding and account forms say when the server refuses: its own message for
// a wrong password, the wait after too many attempts, and which field a validation error is about.
import { ApiError } from '../api/client.ts';
import { plainError } from '../api/errors.ts';

const FIELDS: Record<string, string> = {
  email: 'E-mail',
  password: 'Password',
  name: 'Name',
  currentPassword: 'Current password',
  newPassword: 'New password',
};

/** "in 5 minutes", "in 40 seconds", "in 2 hours". */
export function waitLabel(seconds: number): string {
  if (seconds < 60) return `in ${Math.max(1, Math.round(seconds))} ${seconds < 1.5 ? 'second' : 'seconds'}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return `in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  return `in ${Math.ceil(minutes / 60)} hours`;
}

function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

export function authError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'TOO_MANY_REQUESTS') {
      return error.retryAfter !== undefined
        ? `Too many attempts. Try again ${waitLabel(error.retryAfter)}.`
        : sentence(error.message || 'Too many attempts. Wait a few minutes, then try again');
    }
    if (error.code === 'VALIDATION_FAILED' && error.details.length > 0) {
      return error.details
        .map((d) => {
          const field = d.path.split('.').at(-1) ?? '';
          return sentence(`${FIELDS[field] ?? field}: ${d.message}`);
        })
        .join(' ');
    }
    if (error.status < 500) return sentence(error.message);
  }
  if (error instanceof TypeError) {
    return 'The Shoebox server is not answering. Check that this device is on the same network as the server, then try again.';
  }
  return plainError(error);
}
