#!/usr/bin/env node
// Byte-identity check of a change: runs a build of the CLI over every folder of the shared corpus
// (`check --format json`, one process per folder, run from the corpus root so paths are relative)
// and writes each report to OUT/<folder>.json with its exit code, for `diff -r` against the same
// run of another build.
//
//   node scripts/corpus-outputs.mjs OUT [--cli dist/cli/index.js] [--corpus DIR] [--config FILE]
// (--config: e.g. a file with `replay: false`, for the static engine alone: its output does not
// depend on the machine's load, while the sandbox replay's time limits do.)
//   diff -r OUT_BEFORE OUT_AFTER && echo identical
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    cli: { type: 'string', default: join(root, 'dist', 'cli', 'index.js') },
    corpus: { type: 'string', default: process.env.CORPUS ?? join(root, '..', 'shared', 'corpus') },
    config: { type: 'string' },
  },
});
const out = positionals[0];
if (!out) {
  console.error('usage: node scripts/corpus-outputs.mjs OUT [--cli FILE] [--corpus DIR]');
  process.exit(2);
}
if (!existsSync(values.corpus)) {
  console.log(`corpus-outputs: no corpus at ${values.corpus}; skipped.`);
  process.exit(0);
}
mkdirSync(out, { recursive: true });
const cli = resolve(values.cli);
for (const group of readdirSync(values.corpus, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
  for (const dir of readdirSync(join(values.corpus, group), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    const rel = `${group}/${dir}`;
    const t = Date.now();
    const p = spawnSync(process.execPath, [cli, 'check', '--format', 'json', ...(values.config ? ['--config', resolve(values.config)] : []), rel], { cwd: values.corpus, encoding: 'utf8', maxBuffer: 1 << 30 });
    writeFileSync(join(out, `${group}__${dir}.json`), `exit ${p.status ?? p.signal}\n${p.stdout}\n--- stderr\n${p.stderr}`);
    console.log(`${rel}: exit ${p.status ?? p.signal}, ${p.stdout.length} bytes, ${Date.now() - t} ms`);
  }
}
