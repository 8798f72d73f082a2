// The lint rules that enforce ARCHITECTURE.md's dependency table fire on violations.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: ROOT });

async function errors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint rules', () => {
  it('keep core free of node:*, drivers and frameworks', async () => {
    expect(await errors('packages/core/src/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toHaveLength(1);
    expect(await errors('packages/core/src/x.ts', "import path from 'path';\nexport const a = path;\n")).toHaveLength(1);
    expect(await errors('packages/core/src/x.ts', "import express from 'express';\nexport const a = express;\n")).toHaveLength(1);
    expect(await errors('packages/core/src/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;\n")).toHaveLength(1);
    expect(await errors('packages/core/src/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await errors('packages/core/src/x.ts', "import { z } from 'zod';\nexport const a = z;\n")).toHaveLength(0);
  });

  it('let ui import only core contract', async () => {
    expect(await errors('packages/ui/src/x.ts', "import { routes } from '@shoebox/core/contract';\nexport const a = routes;\n")).toHaveLength(0);
    expect(await errors('packages/ui/src/x.ts', "import { LibraryService } from '@shoebox/core';\nexport const a = LibraryService;\n")).toHaveLength(1);
    expect(await errors('packages/ui/src/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toHaveLength(1);
  });

  it('keep the apps apart', async () => {
    expect(await errors('apps/sync-server/src/x.ts', "import { Engine } from '@shoebox/desktop';\nexport const a = Engine;\n")).toHaveLength(1);
    expect(await errors('apps/desktop/src/x.ts', "import x from '@shoebox/sync-server';\nexport const a = x;\n")).toHaveLength(1);
  });
});
