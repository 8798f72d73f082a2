// Typed application errors. Core throws these; each transport maps the code to a status in one
// place (statusForCode) and renders the one error shape (ErrorBody).
import { z } from 'zod';

export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ASSET_NOT_FOUND: 404,
  ROOT_NOT_FOUND: 404,
  ALBUM_NOT_FOUND: 404,
  PERSON_NOT_FOUND: 404,
  FACE_NOT_FOUND: 404,
  MODEL_NOT_FOUND: 404,
  MODEL_MISSING: 409,
  ML_DISABLED: 409,
  EMBEDDING_NOT_READY: 409,
  DOWNLOAD_FAILED: 502,
  DERIVATIVE_NOT_FOUND: 404,
  FILE_OFFLINE: 404,
  ROOT_ALREADY_EXISTS: 409,
  ROOT_OVERLAPS: 409,
  FOLDER_NOT_FOUND: 422,
  RANGE_NOT_SATISFIABLE: 416,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  CHECKSUM_MISMATCH: 422,
  NOT_SUPPORTED: 405,
  ALREADY_ONBOARDED: 409,
  EMAIL_TAKEN: 409,
  USER_NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  API_KEY_NOT_FOUND: 404,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ErrorCodeSchema = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

export const ErrorBody = z
  .object({
    error: z.object({
      code: ErrorCodeSchema,
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof ErrorBody>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: { path: string; message: string }[] | undefined;
  constructor(code: ErrorCode, message: string, details?: { path: string; message: string }[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function statusForCode(code: ErrorCode): number {
  return ERROR_STATUS[code];
}

/** Renders any thrown value as the contract's error body; unknown errors become INTERNAL. */
export function toErrorBody(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof AppError) {
    const error: ErrorBody['error'] = { code: err.code, message: err.message };
    if (err.details) error.details = err.details;
    return { status: statusForCode(err.code), body: { error } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'Internal error' } } };
}

/** Turns a zod failure into a VALIDATION_FAILED error whose details name each bad field. */
export function validationError(where: string, issues: readonly z.core.$ZodIssue[]): AppError {
  const details = issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
  const first = details[0];
  return new AppError('VALIDATION_FAILED', first ? `${first.path}: ${first.message}` : `invalid ${where}`, details);
}
