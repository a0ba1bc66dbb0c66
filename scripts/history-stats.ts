// History discovery over the complete histories in the shared corpus: per project, the migration
// sets found, the files ordered and the problems. Run: npx tsx scripts/history-stats.ts [CORPUS]
// (default ../shared/corpus relative to the repository, or /work/shared/corpus). Reads only.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { planHistory } from '../src/history/index.js';
import type { SourceFile } from '../src/types.js';

const root = resolve(process.argv[2] ?? (existsSync(resolve('../shared/corpus')) ? '../shared/corpus' : '/work/shared/corpus'));
const verbose = process.argv.includes('--verbose');
const PROJECTS = [
  'django/healthchecks',
  'django/saleor',
  'django/wagtail',
  'django/paperless-ngx',
  ...['mealie', 'fides', 'ctfd', 'redash', 'dispatch', 'polar'].map((p) => `alembic/${p}`),
  ...['memos', 'openfga', 'kestra', 'kratos'].map((p) => `multi/${p}`),
  ...['documenso', 'hoppscotch', 'umami', 'langfuse'].map((p) => `prisma-postgres/${p}`),
  ...['supabase-auth', 'supabase-postgres', 'supabase-storage', 'harbor'].map((p) => `postgres/${p}`),
];

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

const rows: string[][] = [['project', 'files', 'sets', 'ordered', 'problems', 'by kind', 'ms']];
let tot = { files: 0, sets: 0, ordered: 0, problems: 0 };
for (const proj of PROJECTS) {
  const dir = join(root, proj);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
  const files: SourceFile[] = walk(dir).map((p) => ({ path: relative(dir, p), content: readFileSync(p) }));
  const t0 = performance.now();
  const sets = planHistory(files);
  const ms = performance.now() - t0;
  const ordered = sets.reduce((a, s) => a + s.entries.length, 0);
  const problems = sets.flatMap((s) => s.problems);
  const kinds: Record<string, number> = {};
  for (const p of problems) kinds[p.kind] = (kinds[p.kind] ?? 0) + 1;
  rows.push([proj, String(files.length), String(sets.length), String(ordered), String(problems.length), Object.entries(kinds).map(([k, n]) => `${k} ${n}`).join(', ') || '-', ms.toFixed(0)]);
  tot = { files: tot.files + files.length, sets: tot.sets + sets.length, ordered: tot.ordered + ordered, problems: tot.problems + problems.length };
  if (verbose) {
    for (const s of sets) {
      console.log(`  ${proj}: ${s.framework} ${s.root || '.'}${s.dialect ? ` (${s.dialect})` : ''}: ${s.entries.length} entries; first ${s.entries[0]?.id ?? '-'}, last ${s.entries.at(-1)?.id ?? '-'}`);
      for (const p of s.problems.filter((p) => p.kind !== 'note' || verbose)) console.log(`    ${p.kind}: ${p.path ?? ''} ${p.message}`);
    }
  }
}
rows.push(['total', String(tot.files), String(tot.sets), String(tot.ordered), String(tot.problems), '', '']);
const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => (i === 0 || i === 5 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  '));
