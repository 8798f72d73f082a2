// The shape of one contract route and the types derived from it. A route is data: method, path,
// zod schemas for its inputs and output, and the error codes it may answer with.
import type { z } from 'zod';
import type { ErrorCode } from './errors.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A route whose answer is bytes (a file), served with range support by each transport. */
export interface FileResponseSpec {
  kind: 'file';
  contentTypes: string[];
}

export interface RouteSpec {
  method: HttpMethod;
  path: string;
  summary: string;
  tag: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType | FileResponseSpec;
  /** HTTP status of a success answer (200 unless stated). */
  status?: number;
  errors: readonly ErrorCode[];
  /** Who may call it on the sync server: anyone, a signed-in user (the default) or an admin. */
  auth?: 'public' | 'user' | 'admin';
  /** A multipart upload: one file part named `fileField` plus text fields parsed by `fields`. */
  upload?: { fileField: string; fields: z.ZodType };
}

export function defineRoute<const R extends RouteSpec>(route: R): R {
  return route;
}

type InferOr<T, Fallback> = T extends z.ZodType ? z.infer<T> : Fallback;
type InputOr<T, Fallback> = T extends z.ZodType ? z.input<T> : Fallback;

/** What a handler receives: the parsed (validated) params, query and body. */
export type RouteInput<R extends RouteSpec> = {
  params: InferOr<R['params'], Record<string, never>>;
  query: InferOr<R['query'], Record<string, never>>;
  body: InferOr<R['body'], undefined>;
};

/** What a client sends: the schemas' input types (before defaults and coercion). */
export type RouteClientInput<R extends RouteSpec> = {
  params: InputOr<R['params'], undefined>;
  query: InputOr<R['query'], undefined>;
  body: InputOr<R['body'], undefined>;
};

/** A file answer: the transport streams it (with ranges) from a path the library knows. */
export interface FileResult {
  filePath: string;
  contentType: string;
  fileName?: string;
  /** Content-Disposition: attachment (downloads). */
  download?: boolean;
  cacheSeconds?: number;
}

export type RouteOutput<R extends RouteSpec> = R['response'] extends z.ZodType
  ? z.infer<R['response']>
  : FileResult;

export function isFileRoute(route: RouteSpec): route is RouteSpec & { response: FileResponseSpec } {
  return (route.response as FileResponseSpec).kind === 'file';
}
