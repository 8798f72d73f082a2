// The OpenAPI document served at /api/openapi.json (the same one committed as openapi.json).
import { buildOpenApi } from '@shoebox/core/contract';

let cached: Record<string, unknown> | undefined;

export function buildOpenApiDocument(): Record<string, unknown> {
  cached ??= buildOpenApi();
  return cached;
}
