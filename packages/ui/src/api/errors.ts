// Turns any failure into a sentence a person can act on.
import { ApiError } from './client.ts';

export function plainError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'Shoebox did not recognise this browser. Open the address that `shoebox serve` printed (it carries the access token).';
    if (error.status >= 500) return `Shoebox hit an internal problem (${error.message}). Try again; if it keeps happening, the log has details.`;
    return error.message.charAt(0).toUpperCase() + error.message.slice(1);
  }
  if (error instanceof TypeError) return 'Shoebox is not answering. Is it still running? Check the window or terminal you started it from.';
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
