// Generates schema/migration-gate.schema.json (JSON Schema of the config file, for editors) from
// the zod schema in src/config/index.ts, so the two cannot drift. tests/decide-schema.test.ts fails when
// the committed file is out of date. Usage: node scripts/gen-schema.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'schema', 'migration-gate.schema.json');
const { configJsonSchema } = await tsImport('../src/config/index.ts', import.meta.url);
const { rules } = await tsImport('../rules/index.ts', import.meta.url);
const text = JSON.stringify(configJsonSchema(rules.map((r) => r.meta.id)), null, 2) + '\n';
let old = '';
try {
  old = readFileSync(target, 'utf8');
} catch {}
if (process.argv.includes('--check')) {
  if (old !== text) {
    console.error(`${target} is out of date: run node scripts/gen-schema.mjs`);
    process.exit(1);
  }
} else if (old !== text) writeFileSync(target, text);
