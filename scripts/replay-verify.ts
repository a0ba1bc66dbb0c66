// Checks the incremental catalog reads of the PostgreSQL replay against full ones on real
// migration sets: every statement of the set is judged in order, and after each incremental read
// a full read is made and compared (ReplayRequest.verifyFacts).
//   tsx scripts/replay-verify.ts DIR [FILE-REGEX]
// DIR: a Prisma migrations folder (<DIR>/*/migration.sql) or a folder of .sql files (run in name
// order; names with "down" are left out; FILE-REGEX keeps only the names it matches, e.g. kratos'
// '(postgres\.up|^[0-9_a-z]+\.up)\.sql$'). Exit 1 when any read differed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitStatements } from '../src/parse/split.js';
import { closeReplayWorkers, replay } from '../src/replay/index.js';
import type { ReplayStatement } from '../src/replay/types.js';

const [dir, filter] = process.argv.slice(2);
if (!dir || !existsSync(dir)) {
  console.error('usage: tsx scripts/replay-verify.ts DIR [FILE-REGEX]');
  process.exit(2);
}
const keep = filter ? new RegExp(filter) : null;
const statements: ReplayStatement[] = [];
let file = 0;
for (const name of readdirSync(dir).sort()) {
  let path = join(dir, name);
  if (existsSync(join(path, 'migration.sql'))) path = join(path, 'migration.sql');
  else if (!/\.sql$/i.test(name) || /down/i.test(name) || (keep && !keep.test(name))) continue;
  for (const p of splitStatements(readFileSync(path, 'utf8'), 'postgresql')) if (p.text.trim()) statements.push({ id: statements.length, sql: p.text, file, judge: true });
  file++;
}
const t0 = Date.now();
const r = await replay({ dialect: 'postgresql', statements, verifyFacts: true, timeoutMs: 3_600_000, statementTimeoutMs: 60_000 });
await closeReplayWorkers();
const ok = r.outcomes.filter((o) => o.ok).length;
const ph = r.phases ?? {};
console.log(`${dir}: ${file} files, ${statements.length} statements, ${ok} ran; ${ph['catalog-reads-incremental'] ?? 0} incremental reads, ${r.debug?.length ?? 0} differed; ${Date.now() - t0} ms${r.limit ? `; LIMIT ${r.limit}: ${r.limitDetail}` : ''}`);
for (const d of r.debug ?? []) console.log(`  ${d.slice(0, 500)}`);
process.exit(r.debug?.length || r.limit ? 1 : 0);
