// `npm run bench` replay rows (run by scripts/bench.mjs through tsx): replay of a PostgreSQL
// migration history in the sandbox, then one judged migration, with the time per phase.
//   tsx scripts/bench-replay.ts [CORPUS] [--history N] [--judged K]
// History: a Prisma project's migrations in folder order (langfuse: 434 migrations, when present):
// the first N folders (default all but the last), the judged migration(s) the next ones. Wall times
// mislead on a shared machine: CPU time (process-wide, user + system) is printed beside them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitStatements } from '../src/parse/split.js';
import { replay } from '../src/replay/index.js';
import type { ReplayStatement } from '../src/replay/types.js';

const corpus = process.argv[2] ?? join(import.meta.dirname ?? '.', '..', '..', 'shared', 'corpus');
const dir = join(corpus, 'prisma-postgres', 'langfuse', 'packages', 'shared', 'prisma', 'migrations');
if (!existsSync(dir)) {
  console.log(`replay bench: ${dir} not found; skipped.`);
  process.exit(0);
}
const judgedCount = Number(process.argv[process.argv.indexOf('--judged') + 1]) || 1;
const folders = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'migration.sql'))).map((e) => e.name).sort();
const historyCount = Math.min(Number(process.argv[process.argv.indexOf('--history') + 1]) || folders.length - judgedCount, folders.length - judgedCount);

const statements: ReplayStatement[] = [];
let id = 0;
folders.slice(0, historyCount + judgedCount).forEach((f, file) => {
  const judge = file >= historyCount;
  for (const p of splitStatements(readFileSync(join(dir, f, 'migration.sql'), 'utf8'), 'postgresql')) if (p.text.trim()) statements.push({ id: id++, sql: p.text, file, judge });
});
const judged = statements.filter((s) => s.judge).length;
const t0 = Date.now();
const r = await replay({ dialect: 'postgresql', statements, timeoutMs: 600_000, statementTimeoutMs: 60_000 });
const wall = Date.now() - t0;
const ph = r.phases ?? {};
console.log(`replay bench: langfuse, ${historyCount} history migrations (${statements.length - judged} statements) + ${judgedCount} judged (${judged} statements)`);
console.log(`  start (worker + PGlite from the data-dir tarball): ${ph.start ?? '?'} ms wall, ${ph['start-cpu'] ?? '?'} ms CPU`);
console.log(`  history replay: ${ph.history ?? '?'} ms wall, ${ph['history-cpu'] ?? '?'} ms CPU (${r.stats.history.ok}/${r.stats.history.total} statements ok)`);
console.log(`  judged: ${ph.judged ?? '?'} ms wall, ${ph['judged-cpu'] ?? '?'} ms CPU for ${judged} statements (${judged ? ((ph['judged-cpu'] ?? 0) / judged).toFixed(0) : '-'} ms CPU each, incl. the catalog reads and locks; ${ph['catalog-reads'] ?? '?'} whole-catalog and ${ph['catalog-reads-incremental'] ?? '?'} incremental reads in all)`);
console.log(`  final snapshot: ${ph['after-snapshot'] ?? '?'} ms wall, ${ph['after-snapshot-cpu'] ?? '?'} ms CPU; whole call: ${wall} ms wall${r.limit ? `; LIMIT ${r.limit}: ${r.limitDetail}` : ''}`);
const problems = Object.entries(r.historyProblems ?? {}).sort((a, b) => b[1] - a[1]).slice(0, 8);
if (problems.length) console.log('  history not replayed:\n' + problems.map(([k, n]) => `    ${n}× ${k}`).join('\n'));
