// Bundles the CLI (dist/cli/index.js) and the action (dist/index.js) with ncc, then puts
// libpg-query's .wasm beside each bundle (Emscripten loads it from the script's directory).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
const wasm = join(dirname(require.resolve('libpg-query')), 'libpg-query.wasm');
// sql.js (SQLite in WASM): src/parse/sqlite-check.ts loads sql-wasm.wasm from beside the bundle.
const sqliteWasm = require.resolve('sql.js/dist/sql-wasm.wasm');

// ESM bundles have no __dirname, which Emscripten's loader uses to find the .wasm.
const BANNER =
  'import { fileURLToPath as __mg_fileURLToPath } from "node:url"; import { dirname as __mg_dirname } from "node:path"; ' +
  'const __filename = __mg_fileURLToPath(import.meta.url); const __dirname = __mg_dirname(__filename);\n';

const targets = [
  { entry: 'src/cli/index.ts', out: 'dist/cli' },
  { entry: 'src/action/index.ts', out: 'dist' },
];

for (const t of targets) {
  if (!existsSync(join(root, t.entry))) continue;
  const out = join(root, t.out);
  const tmp = join(root, '.tmp', `ncc-${t.out.replace(/\W/g, '_')}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  execFileSync(process.execPath, [ncc, 'build', t.entry, '-o', tmp, '-q', '--no-source-map-register', '--license', 'licenses.txt', '--target', 'es2022'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  mkdirSync(out, { recursive: true });
  const js = readFileSync(join(tmp, 'index.js'), 'utf8');
  const shebang = t.out === 'dist/cli' ? '#!/usr/bin/env node\n' : '';
  writeFileSync(join(out, 'index.js'), shebang + BANNER + js, { mode: 0o755 });
  copyFileSync(join(tmp, 'licenses.txt'), join(out, 'licenses.txt'));
  // Lazily loaded chunks (node-sql-parser's per-dialect grammars): `<id>.index.js` beside the bundle.
  for (const old of readdirSync(out)) if (/^\d+\.index\.js$/.test(old)) rmSync(join(out, old));
  // A chunk that uses __dirname (sql.js's Emscripten loader) gets the same banner as the bundle.
  for (const chunk of readdirSync(tmp)) {
    if (!/^\d+\.index\.js$/.test(chunk)) continue;
    const code = readFileSync(join(tmp, chunk), 'utf8');
    const needs = /\b__dirname\b/.test(code) && !/\b(?:const|let|var)\s+__(?:dirname|filename)\b/.test(code);
    writeFileSync(join(out, chunk), needs ? BANNER + code : code);
  }
  copyFileSync(wasm, join(out, 'libpg-query.wasm'));
  copyFileSync(sqliteWasm, join(out, 'sql-wasm.wasm'));
  copyFileSync(join(dirname(sqliteWasm), 'sql-wasm.js'), join(out, 'sql-wasm.cjs'));
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  rmSync(tmp, { recursive: true, force: true });
}
