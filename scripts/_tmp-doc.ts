import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitStatements } from '../src/parse/split.js';
import { replay } from '../src/replay/index.js';
import type { ReplayStatement } from '../src/replay/types.js';
const dir = process.argv[2] ?? '/work/shared/corpus/prisma-postgres/documenso/packages/prisma/migrations';
const locks = process.argv[3] !== 'nolocks';
const folders = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'migration.sql'))).map((e) => e.name).sort();
const statements: ReplayStatement[] = [];
let id = 0;
folders.forEach((f, file) => {
  for (const p of splitStatements(readFileSync(join(dir, f, 'migration.sql'), 'utf8'), 'postgresql')) if (p.text.trim()) statements.push({ id: id++, sql: p.text, file, judge: true });
});
const t0 = Date.now();
const r = await replay({ dialect: 'postgresql', statements, timeoutMs: 600_000, statementTimeoutMs: 60_000, locks });
console.log(folders.length, statements.length, Date.now() - t0, JSON.stringify(r.phases));
