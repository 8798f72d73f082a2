// Turns any failure into a sentence a person can act on.
import { ApiError } from './client.ts';

/** Codes whose engine message is written for a log: what a person should read instead. */
const BY_CODE: Record<string, (message: string) => string> = {
  MODEL_MISSING: () => 'The smart search models are not on this computer yet. Download them in Settings, under Machine learning.',
  ML_DISABLED: () => 'Smart search is switched off. Turn it on in Settings, under Machine learning.',
  EMBEDDING_NOT_READY: () => 'Shoebox has not analysed this photo for smart search yet. It does so in the background (the Jobs page shows how far it is); try again later.',
  FILE_OFFLINE: (m) => `${m.charAt(0).toUpperCase()}${m.slice(1)}: its folder or drive is not there right now. Reconnect it and try again.`,
  DOWNLOAD_FAILED: (m) => `The download failed (${m}). Check the internet connection and try again; it resumes where it stopped.`,
};

export function plainError(error: unknown): string {
  if (error instanceof ApiError) {
    const byCode = BY_CODE[error.code];
    if (byCode) return byCode(error.message);
    if (error.status === 401) return 'Shoebox did not recognise this browser. Sign in again; with `shoebox serve`, open the address it printed (it carries the access token).';
    if (error.status >= 500) return `Shoebox hit an internal problem (${error.message}). Try again; if it keeps happening, the log has details.`;
    return error.message.charAt(0).toUpperCase() + error.message.slice(1);
  }
  if (error instanceof TypeError) return 'Shoebox is not answering. Is it still running? Check the window or terminal you started it from.';
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
