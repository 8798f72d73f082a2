// Builds the OpenAPI 3.1 document from the route table. Pure: the caller writes the file.
import { z } from 'zod';
import { ErrorBody, statusForCode } from './errors.ts';
import { isFileRoute, type RouteSpec } from './route.ts';
import { API_VERSION } from './routes.ts';
import { apiRoutes, serverRoutes } from './server-routes.ts';

type Json = Record<string, unknown>;

/** Named schemas (those with a meta id) collected while converting; they become components. */
let components: Record<string, Json> = {};

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/') : rewriteRefs(v);
    }
    return out;
  }
  return value;
}

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  delete json.$schema;
  const defs = (json.$defs ?? {}) as Record<string, Json>;
  delete json.$defs;
  for (const [name, def] of Object.entries(defs)) {
    // Input and output shapes of one schema can differ (defaults, transforms): keep both apart.
    const key = io === 'input' && components[name] && JSON.stringify(components[name]) !== JSON.stringify(rewriteRefs(def)) ? `${name}Input` : name;
    components[key] = rewriteRefs(def) as Json;
  }
  return rewriteRefs(json) as Json;
}

function parameters(route: RouteSpec): Json[] {
  const out: Json[] = [];
  for (const where of ['params', 'query'] as const) {
    const schema = route[where];
    if (!schema) continue;
    const json = schemaOf(schema, 'input');
    const props = (json.properties ?? {}) as Record<string, Json>;
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, prop] of Object.entries(props)) {
      const param: Json = { name, in: where === 'params' ? 'path' : 'query', required: where === 'params' || required.has(name), schema: prop };
      if (typeof prop.description === 'string') param.description = prop.description;
      out.push(param);
    }
  }
  return out;
}

/** Version of the contract document; bumped when the contract changes incompatibly. */
export const CONTRACT_VERSION = '0.1.0';

export function buildOpenApi(): Json {
  components = {};
  const errorBody = schemaOf(ErrorBody, 'output');
  const paths: Record<string, Record<string, Json>> = {};
  for (const [key, route] of Object.entries(apiRoutes) as [string, RouteSpec][]) {
    const responses: Record<string, Json> = {};
    const ok = String(route.status ?? 200);
    if (isFileRoute(route)) {
      const content: Json = {};
      for (const type of route.response.contentTypes) content[type] = { schema: { type: 'string', format: 'binary' } };
      responses[ok] = { description: 'the file; Range requests answer 206 with the requested bytes', content };
    } else {
      responses[ok] = { description: 'success', content: { 'application/json': { schema: schemaOf(route.response as z.ZodType, 'output') } } };
    }
    const errorRef = { content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } };
    const codes = new Map<number, string[]>();
    const implicit = route.params || route.query || route.body || route.upload ? (['VALIDATION_FAILED'] as const) : [];
    const auth = route.auth === 'public' ? [] : (['UNAUTHORIZED'] as const);
    for (const code of new Set([...route.errors, ...implicit, ...auth, 'INTERNAL'] as const)) {
      const status = statusForCode(code);
      codes.set(status, [...(codes.get(status) ?? []), code]);
    }
    for (const [status, names] of [...codes].sort((a, b) => a[0] - b[0])) {
      responses[String(status)] = { description: [...new Set(names)].join(', '), ...errorRef };
    }
    const op: Json = { operationId: key, summary: route.summary, tags: [route.tag], responses };
    const params = parameters(route);
    if (params.length) op.parameters = params;
    if (route.body) {
      op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } };
    }
    if (route.upload) {
      const fields = schemaOf(route.upload.fields, 'input');
      const properties = { ...((fields.properties ?? {}) as Json), [route.upload.fileField]: { type: 'string', format: 'binary' } };
      const required = [...((fields.required as string[] | undefined) ?? []), route.upload.fileField];
      op.requestBody = { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties, required } } } };
    }
    if (route.auth === 'public') op.security = [];
    if (route.auth === 'admin') op.description = 'Admins only.';
    if (key in serverRoutes) op['x-shoebox-server-only'] = true;
    const item = (paths[route.path] ??= {});
    item[route.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Shoebox API', version: CONTRACT_VERSION, description: `Shoebox REST contract, API version ${API_VERSION}` },
    components: {
      schemas: Object.fromEntries(Object.entries({ ...components, ErrorBody: components.ErrorBody ?? errorBody }).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'shoebox_session' },
      },
    },
    security: [{ bearer: [] }, { apiKey: [] }, { cookie: [] }],
    paths,
  };
}
