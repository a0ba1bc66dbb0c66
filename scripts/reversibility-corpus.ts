// Reversibility over the corpus histories that have down paths (issue 11, part 1): for each
// migration set with a down convention (ory/pop and golang-migrate `.down.sql`, goose and dbmate
// down sections, Flyway `U`, Liquibase `--rollback`, Alembic `downgrade()`), judge migrations one
// at a time against their own history (the engine as the CLI runs it: history = the set's files,
// the migration and its down file judged) and count the `irreversible` verdicts by kind; then print
// a sample of irreversible verdicts for hand-reading. pop changes split over versions are judged as
// one unit (all their files). Django migrations are judged statically (no replay) and counted
// apart. Not part of `npm test`; reads only.
//
// Run: npx tsx scripts/reversibility-corpus.ts [--max N] [--sample N] [--seed S] [CORPUS]
// --max: migrations judged per set, evenly spaced through the set (default 25; 0: all). Each one
// is a sandboxed replay of its whole history (about a second and more): all of kratos is minutes.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { rollbackOf, run } from '../src/engine.js';
import { planHistory, type MigrationSet } from '../src/history/index.js';
import type { ParsedFile } from '../src/state/index.js';
import type { Dialect, SourceFile } from '../src/types.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { max: { type: 'string', default: '25' }, sample: { type: 'string', default: '15' }, seed: { type: 'string', default: '11' } } });
const root = resolve(positionals[0] ?? (existsSync(resolve('../shared/corpus')) ? '../shared/corpus' : '/work/shared/corpus'));
const max = Number(values.max);
const PROJECTS = [...['mealie', 'fides', 'ctfd', 'redash', 'dispatch', 'polar'].map((p) => `alembic/${p}`), 'multi/openfga', 'multi/kratos', 'postgres/supabase-postgres'];

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Replayable dialects only (the others get the missing/empty verdicts alone: not measured here). */
const POP_DIALECT: Record<string, Dialect> = { postgres: 'postgresql', sqlite3: 'sqlite' };

function dialectOf(set: MigrationSet): Dialect | undefined {
  if (set.framework === 'pop') return set.variant ? POP_DIALECT[set.variant] : set.dialect === 'postgresql' || set.dialect === 'sqlite' ? set.dialect : undefined;
  if (set.dialect) return set.dialect === 'postgresql' || set.dialect === 'sqlite' ? set.dialect : undefined;
  return 'postgresql';
}

/** A down convention, or a down path in the files. */
function hasDowns(set: MigrationSet, text: (p: string) => string): boolean {
  if (set.entries.some((e) => e.role === 'down')) return true;
  if (set.framework === 'alembic') return true;
  return set.entries.some((e) => /^--[ \t]\+goose[ \t]+down|^--[ \t]*migrate:down|^--rollback/im.test(text(e.path)));
}

let seed = Number(values.seed);
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

const totals: Record<string, number> = {};
const perSet: string[] = [];
const irreversible: Array<{ set: string; path: string; verdict: string; message: string }> = [];
const t0 = Date.now();
for (const proj of PROJECTS) {
  const dir = join(root, proj);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
  const files: SourceFile[] = walk(dir).map((p) => ({ path: relative(dir, p), content: readFileSync(p) }));
  const byPath = new Map(files.map((f) => [f.path, f]));
  const text = (p: string) => readFileSync(join(dir, p), 'utf8');
  for (const set of planHistory(files)) {
    const dialect = dialectOf(set);
    if (!dialect || !hasDowns(set, text)) continue;
    // The engine's pairing (src/engine.ts rollbackOf): an up's down file; pop: its change (consecutive
    // versions of one name), judged as one unit with all its files.
    const stubs = new Map(set.entries.map((e) => [e.path, { file: { path: e.path, dialect: null, statements: [] } as ParsedFile }]));
    const pairing = new Map(set.entries.map((e) => [e.path, rollbackOf(set, e.path, stubs)]));
    const unitOf = (p: string) => pairing.get(p)?.popUnit ?? p;
    const ups = set.framework === 'pop' ? set.entries.filter((e, i, all) => e.role === 'up' && all.findIndex((x) => x.role === 'up' && unitOf(x.path) === unitOf(e.path)) === i) : set.entries.filter((e) => e.role === 'up');
    const pick = max > 0 && ups.length > max ? Array.from({ length: max }, (_, i) => ups[Math.floor((i * ups.length) / max)]) : ups;
    const setFiles = set.entries.map((e) => byPath.get(e.path)!).filter(Boolean);
    const counts: Record<string, number> = {};
    const label = `${proj}:${set.framework}:${set.root || '.'}${set.variant ? `(${set.variant})` : ''}`;
    for (const up of pick) {
      const down = pairing.get(up.path)?.rollback?.file;
      const judged =
        set.framework === 'pop'
          ? set.entries.filter((e) => unitOf(e.path) === unitOf(up.path)).map((e) => byPath.get(e.path)!)
          : [byPath.get(up.path)!, ...(down ? [byPath.get(down.path)!] : [])];
      const history = setFiles.filter((f) => !judged.includes(f));
      let verdict = 'no down path';
      try {
        const r = await run(judged, { dialect, history, replay: true, units: 'file' });
        const rev = r.replay?.find((s) => s.files.includes(up.path))?.reversal ?? {};
        const kinds = Object.keys(rev);
        if (kinds.length) verdict = kinds.join('+');
        for (const f of r.findings.filter((x) => x.ruleId === 'irreversible')) irreversible.push({ set: label, path: f.path, verdict: f.message.split(':')[0], message: f.message });
      } catch (e) {
        verdict = `engine error (${(e as Error).message.slice(0, 60)})`;
      }
      counts[verdict] = (counts[verdict] ?? 0) + 1;
      totals[verdict] = (totals[verdict] ?? 0) + 1;
    }
    perSet.push(`${label} (${dialect}): ${pick.length}/${ups.length} migrations judged: ${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    console.error(perSet.at(-1), `[${((Date.now() - t0) / 1000).toFixed(0)} s]`);
  }
}

// Django: judged statically from the operations (src/python/django.ts djangoReversal), no replay.
const djangoDir = join(root, 'django');
const django: Record<string, { migrations: number; clean: number; irreversible: number; data: number }> = {};
const djangoIrreversible: string[] = [];
if (existsSync(djangoDir)) {
  for (const proj of readdirSync(djangoDir)) {
    const files = walk(join(djangoDir, proj)).filter((p) => /\/migrations\/\d{4}_[^/]*\.py$/.test(p));
    const c = (django[proj] = { migrations: files.length, clean: 0, irreversible: 0, data: 0 });
    for (const p of files) {
      const r = await run([{ path: relative(djangoDir, p), content: readFileSync(p) }], { dialect: 'postgresql', replay: false });
      const found = r.findings.filter((x) => x.ruleId === 'irreversible');
      if (!found.length) c.clean++;
      else if (found.some((x) => x.message.startsWith('Django cannot'))) {
        c.irreversible++;
        djangoIrreversible.push(`${relative(djangoDir, p)}:${found[0].line}`);
      } else c.data++;
    }
    console.error(`django/${proj}: ${JSON.stringify(c)}`);
  }
}

console.log('\nPer set:');
for (const l of perSet) console.log(`  ${l}`);
console.log('\nTotals (verdicts by kind; "clean": the down restores the schema and no dropped data is re-created empty):');
for (const [k, n] of Object.entries(totals).sort((a, b) => b[1] - a[1])) console.log(`  ${k}: ${n}`);
const bad = irreversible.filter((x) => !/could not be checked/.test(x.message));
console.log(`\nSample of ${Math.min(Number(values.sample), bad.length)} of ${bad.length} irreversible verdicts (seed ${values.seed}):`);
const sample = [...bad].sort(() => rand() - 0.5).slice(0, Number(values.sample));
for (const x of sample) console.log(`- ${x.set} ${x.path}\n    ${x.message}`);
const unchecked = irreversible.filter((x) => /could not be checked/.test(x.message));
if (unchecked.length) {
  console.log(`\n${unchecked.length} could not be checked; first 10:`);
  for (const x of unchecked.slice(0, 10)) console.log(`- ${x.set} ${x.path}\n    ${x.message}`);
}
if (Object.keys(django).length) {
  console.log('\nDjango (static; irreversible: a RunPython / RunSQL without its reverse; data: RemoveField / DeleteModel re-created empty):');
  for (const [p, c] of Object.entries(django)) console.log(`  ${p}: ${c.migrations} migrations: clean ${c.clean}, irreversible ${c.irreversible}, data not restored ${c.data}`);
  console.log(`  sample: ${[...djangoIrreversible].sort(() => rand() - 0.5).slice(0, 5).join(', ')}`);
}
console.log(`\n${((Date.now() - t0) / 1000).toFixed(0)} s`);
process.exit(0);
