#!/usr/bin/env node
// What the Python extractor recovers from a tree of Alembic/Django migrations:
//   node scripts/alembic-stats.mjs [--json] [DIR…]      (default: ../shared/corpus/alembic)
// Prints files parsed, op calls by name, SQL strings recovered, Core/ORM expressions, dynamic SQL,
// execution findings, and findings from upgrade vs downgrade. Runs the engine from source (tsx),
// so it needs no build. Exits non-zero only on errors. `alembicStats(dirs)` is exported for
// scripts/corpus-coverage.mjs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

function walk(dir, out) {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== '__pycache__' && e.name !== 'node_modules' && e.name !== '.git') walk(p, out);
    } else if (e.isFile() && e.name.endsWith('.py') && e.name !== '__init__.py') out.push(p);
  }
  return out;
}

const add = (o, k, n = 1) => (o[k] = (o[k] ?? 0) + n);

export async function alembicStats(dirs) {
  const { run } = await tsImport('../src/engine.ts', import.meta.url);
  const { extract } = await tsImport('../src/extract/index.ts', import.meta.url);
  const files = [];
  for (const d of dirs) {
    const base = statSync(d).isDirectory() ? d : join(d, '..');
    for (const p of statSync(d).isDirectory() ? walk(d, []) : [d]) files.push({ path: relative(join(base, '..'), p).split('\\').join('/'), content: readFileSync(p) });
  }
  const s = {
    files: files.length,
    kinds: {},
    parsed: 0,
    syntaxErrors: [],
    ops: {},
    djangoOps: {},
    sqlStrings: 0,
    coreExpressions: 0,
    dynamic: 0,
    execution: 0,
    upUnits: 0,
    downUnits: 0,
    ms: 0,
  };
  const t0 = performance.now();
  for (const f of files) {
    const ex = extract(f);
    add(s.kinds, ex.kind);
    const py = ex.facts.python;
    if (!py) {
      const n = ex.notes.find((x) => x.ruleId === 'parse-error');
      s.syntaxErrors.push(`${f.path}:${n?.line ?? 1}: ${n?.message ?? 'not analyzed'}`);
      continue;
    }
    s.parsed++;
    for (const [k, v] of Object.entries(py.stats.ops)) add(s.ops, k, v);
    for (const [k, v] of Object.entries(py.stats.djangoOps)) add(s.djangoOps, k, v);
    for (const k of ['sqlStrings', 'coreExpressions', 'dynamic', 'execution', 'upUnits', 'downUnits']) s[k] += py.stats[k];
  }
  s.extractMs = Math.round(performance.now() - t0);
  const t1 = performance.now();
  const result = await run(files);
  s.ms = Math.round(performance.now() - t1);
  const byRule = {};
  const up = { findings: 0, gating: 0 };
  const down = { findings: 0, gating: 0 };
  for (const x of result.findings) {
    const side = x.down ? down : up;
    side.findings++;
    if (x.gating) side.gating++;
    byRule[x.ruleId] ??= { up: 0, down: 0 };
    byRule[x.ruleId][x.down ? 'down' : 'up']++;
  }
  s.findings = { upgrade: up, downgrade: down, byRule, statements: result.summary.statements, unparsedStatements: result.files.reduce((a, f) => a + f.unparsed, 0) };
  s.dynamicMessages = result.findings.filter((x) => x.ruleId === 'python-dynamic-sql').map((x) => `${x.path}:${x.line} ${x.message}`);
  s.parseFindings = result.findings.filter((x) => x.category === 'parse').map((x) => `${x.path}:${x.line} ${x.message}`);
  return s;
}

function print(s) {
  const line = (k, v) => console.log(`${k.padEnd(28)} ${v}`);
  line('files', `${s.files} (${Object.entries(s.kinds).map(([k, v]) => `${k} ${v}`).join(', ')})`);
  line('parsed (Python)', `${s.parsed}/${s.files}`);
  for (const e of s.syntaxErrors) line('  syntax error', e);
  line('op calls', Object.values(s.ops).reduce((a, b) => a + b, 0));
  for (const [k, v] of Object.entries(s.ops).sort((a, b) => b[1] - a[1])) line(`  op.${k}`, v);
  if (Object.keys(s.djangoOps).length) for (const [k, v] of Object.entries(s.djangoOps).sort((a, b) => b[1] - a[1])) line(`  migrations.${k}`, v);
  line('SQL strings recovered', s.sqlStrings);
  line('Core/ORM expressions', s.coreExpressions);
  line('dynamic SQL', s.dynamic);
  line('execution hits', s.execution);
  line('SQL units up / down', `${s.upUnits} / ${s.downUnits}`);
  line('statements (unparsed)', `${s.findings.statements} (${s.findings.unparsedStatements})`);
  line('findings upgrade', `${s.findings.upgrade.findings} (${s.findings.upgrade.gating} gating)`);
  line('findings downgrade', `${s.findings.downgrade.findings} (${s.findings.downgrade.gating} gating)`);
  for (const [k, v] of Object.entries(s.findings.byRule).sort((a, b) => b[1].up + b[1].down - a[1].up - a[1].down)) line(`  ${k}`, `up ${v.up}, down ${v.down}`);
  for (const m of s.dynamicMessages) console.log(`  dynamic: ${m}`);
  for (const m of s.parseFindings) console.log(`  parse: ${m}`);
  line('time', `extract ${s.extractMs} ms, engine ${s.ms} ms`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  let dirs = args.filter((a) => a !== '--json');
  if (!dirs.length) dirs = [fileURLToPath(new URL('../../shared/corpus/alembic', import.meta.url))];
  try {
    const s = await alembicStats(dirs);
    if (json) console.log(JSON.stringify(s, null, 2));
    else print(s);
  } catch (e) {
    console.error(`alembic-stats: ${e.message}`);
    process.exit(2);
  }
}
