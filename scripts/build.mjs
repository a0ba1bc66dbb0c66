// Bundles the CLI (dist/cli/index.js) and the action (dist/index.js) with ncc, then puts
// libpg-query's .wasm beside each bundle (Emscripten loads it from the script's directory).
// The replay sandbox's worker (src/replay/worker.ts) is a third bundle, dist/replay/replay-worker.js,
// with the engines' files beside it (PGlite's .wasm and .data, a data directory made by initdb
// (scripts/make-pgdata.mjs), sql.js's .wasm); both bundles find dist/replay/ relative to themselves.
// For work on this script: MG_REPLAY_ONLY=1 builds only dist/replay/; MG_REPLAY_NCC_OUT=<dir> finishes it from an earlier ncc output.
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

function ncc_(entry, tmp) {
  rmSync(tmp, { recursive: true, force: true });
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', tmp, '-q', '--no-source-map-register', '--license', 'licenses.txt', '--target', 'es2022'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

for (const t of targets) {
  if (!existsSync(join(root, t.entry)) || process.env.MG_REPLAY_NCC_OUT || process.env.MG_REPLAY_ONLY) continue;
  const out = join(root, t.out);
  const tmp = join(root, '.tmp', `ncc-${t.out.replace(/\W/g, '_')}-${process.pid}`);
  ncc_(t.entry, tmp);
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
}

// The replay worker and its assets.
{
  const out = join(root, 'dist', 'replay');
  const tmp = join(root, '.tmp', `ncc-replay-${process.pid}`);
  if (!process.env.MG_REPLAY_NCC_OUT) ncc_('src/replay/worker.ts', tmp);
  finishReplay(process.env.MG_REPLAY_NCC_OUT ?? tmp, out);
  rmSync(tmp, { recursive: true, force: true });
}

function finishReplay(tmp, out) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const js = readFileSync(join(tmp, 'index.js'), 'utf8');
  writeFileSync(join(out, 'replay-worker.js'), BANNER + js);
  // PGlite's lazily imported modules: `<id>.index.js` chunks, loaded relative to the worker.
  for (const chunk of readdirSync(tmp)) if (/^\d+\.index\.js$/.test(chunk)) copyFileSync(join(tmp, chunk), join(out, chunk));
  if (existsSync(join(tmp, 'licenses.txt'))) copyFileSync(join(tmp, 'licenses.txt'), join(out, 'licenses.txt'));
  // The engines' own published files (not rebundled): vendor/<package>/ with its package.json.
  // PGlite: its ESM modules, .wasm and .data, without fs/ (nodefs.js mounts host directories: the
  // sandbox never uses it, so it is not shipped) and without the extension tarballs.
  const pglite = join(dirname(require.resolve('@electric-sql/pglite')), '..');
  const vp = join(out, 'vendor', '@electric-sql', 'pglite');
  mkdirSync(join(vp, 'dist'), { recursive: true });
  copyFileSync(join(pglite, 'package.json'), join(vp, 'package.json'));
  copyFileSync(join(pglite, 'LICENSE'), join(vp, 'LICENSE'));
  for (const f of readdirSync(join(pglite, 'dist'))) if (/\.js$/.test(f) && !/^initdb/.test(f)) copyFileSync(join(pglite, 'dist', f), join(vp, 'dist', f));
  copyFileSync(join(pglite, 'dist', 'pglite.wasm'), join(out, 'pglite.wasm'));
  copyFileSync(join(pglite, 'dist', 'pglite.data'), join(out, 'pglite.data'));
  const sqljs = join(dirname(require.resolve('sql.js')), '..');
  const vs = join(out, 'vendor', 'sql.js');
  mkdirSync(join(vs, 'dist'), { recursive: true });
  copyFileSync(join(sqljs, 'package.json'), join(vs, 'package.json'));
  copyFileSync(join(sqljs, 'LICENSE'), join(vs, 'LICENSE'));
  copyFileSync(join(sqljs, 'dist', 'sql-wasm.js'), join(vs, 'dist', 'sql-wasm.js'));
  copyFileSync(join(sqljs, 'dist', 'sql-wasm.wasm'), join(out, 'sql-wasm.wasm'));
  execFileSync(process.execPath, [join(root, 'scripts', 'make-pgdata.mjs')], { cwd: root, stdio: 'inherit' });
  copyFileSync(join(root, 'node_modules', '.cache', 'migration-gate', 'pgdata.tar.gz'), join(out, 'pgdata.tar.gz'));
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
}
