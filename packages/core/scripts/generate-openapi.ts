// Writes openapi.json from the contract's route table; with --check, fails when the committed
// file differs from what the table generates (CI runs this).
import fs from 'node:fs';
import path from 'node:path';
import { buildOpenApi } from '../src/contract/openapi.ts';

const [target = 'openapi.json', flag] = process.argv.slice(2);
const file = path.resolve(process.cwd(), target);
const generated = `${JSON.stringify(buildOpenApi(), null, 2)}\n`;

if (flag === '--check') {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current !== generated) {
    console.error(`${target} is stale: run \`pnpm openapi\` and commit the result`);
    process.exit(1);
  }
  console.log(`${target} is up to date`);
} else {
  fs.writeFileSync(file, generated);
  console.log(`wrote ${target}`);
}
