// The route table is well-formed and the committed openapi.json is what it generates.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../src/contract/openapi.ts';
import { apiRoutes as routes } from '../src/contract/server-routes.ts';
import type { RouteSpec } from '../src/contract/route.ts';
import { ERROR_STATUS, toErrorBody, AppError } from '../src/contract/errors.ts';

describe('contract', () => {
  it('has unique method+path pairs and declares only known error codes', () => {
    const seen = new Set<string>();
    for (const [key, r] of Object.entries(routes) as [string, RouteSpec][]) {
      const id = `${r.method} ${r.path}`;
      expect(seen.has(id), `${key} duplicates ${id}`).toBe(false);
      seen.add(id);
      for (const c of r.errors) expect(Object.keys(ERROR_STATUS)).toContain(c);
      for (const name of r.path.match(/\{(\w+)\}/g) ?? []) {
        expect(r.params, `${key} has path parameter ${name} but no params schema`).toBeDefined();
      }
    }
  });

  it('matches the committed openapi.json', () => {
    const committed = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../openapi.json'), 'utf8')) as unknown;
    expect(committed).toEqual(buildOpenApi());
    const doc = buildOpenApi() as { paths: Record<string, Record<string, { operationId: string }>> };
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(ops.sort()).toEqual(Object.keys(routes).sort());
    expect(JSON.stringify(doc)).not.toContain('#/$defs/');
  });

  it('describes uploads as multipart and leaves public routes without security', () => {
    type Op = { security?: unknown[]; requestBody?: { content: Record<string, { schema: { properties: Record<string, { format?: string }>; required: string[] } }> } };
    const doc = buildOpenApi() as { paths: Record<string, Record<string, Op>> };
    const upload = doc.paths['/api/assets/upload']?.post;
    const form = upload?.requestBody?.content['multipart/form-data']?.schema;
    expect(form?.properties.file?.format).toBe('binary');
    expect(form?.required).toContain('file');
    expect(form?.properties).toHaveProperty('fileCreatedAt');
    expect(doc.paths['/api/auth/login']?.post?.security).toEqual([]);
    expect(doc.paths['/api/assets']?.get?.security).toBeUndefined();
  });

  it('renders unknown errors as INTERNAL without leaking their message', () => {
    expect(toErrorBody(new Error('secret path /home/x'))).toEqual({ status: 500, body: { error: { code: 'INTERNAL', message: 'Internal error' } } });
    expect(toErrorBody(new AppError('ASSET_NOT_FOUND', 'no asset')).status).toBe(404);
  });
});
