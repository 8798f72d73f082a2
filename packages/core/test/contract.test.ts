// The route table is well-formed and the committed openapi.json is what it generates.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../src/contract/openapi.ts';
import { apiRoutes as routes } from '../src/contract/server-routes.ts';
import type { RouteSpec } from '../src/contract/route.ts';
import { ERROR_STATUS, toErrorBody, AppError } from '../src/contract/errors.ts';
import { IsoDate, IsoDateTime } from '../src/contract/schemas/common.schemas.ts';

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

  it('takes dates of the years 0001 to 9999 only, also once converted to UTC (local times read as UTC)', () => {
    const ok = (v: string): boolean => IsoDateTime.safeParse(v).success;
    for (const v of ['0001-01-01T00:00:00Z', '0001-01-01T00:00', '2024-05-06T07:08:09.123+02:00', '9999-12-31T23:59:59.999Z', '9999-12-31T23:00:00+05:00']) {
      expect(ok(v), v).toBe(true);
    }
    for (const v of ['0000-01-01T00:00:00Z', '0000-06-01T00:00', '0001-01-01T00:00:00+01:00', '0000-12-31T23:00:00-05:00', '9999-12-31T23:00:00-05:00']) {
      expect(ok(v), v).toBe(false);
    }
    expect(IsoDateTime.safeParse('0000-01-01T00:00:00Z').error?.issues[0]?.message).toMatch(/0001 and 9999/);
    expect(IsoDate.safeParse('0001-01-01').success).toBe(true);
    expect(IsoDate.safeParse('0000-01-01').success).toBe(false);
  });
});
