// Measurement for issue 8: dynamic-SQL (and placeholder-message) findings over the corpus's Python
// migrations. Reads /work/shared/corpus when present; never part of npm test.
// Run: npx tsx scripts/corpus-python-dynamic.ts out.json
import fs from 'node:fs';
import path from 'node:path';
import { run } from '../src/engine.js';
const roots = ['/work/shared/corpus/alembic', '/work/shared/corpus/django'];
const files: string[] = [];
const walk = (d: string) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (e.name.endsWith('.py')) files.push(p); } };
roots.forEach(walk);
files.sort();
const out: any[] = [];
let n = 0;
for (const f of files) {
  const rel = f.replace('/work/shared/corpus/', '');
  const r = await run([{ path: rel, content: new Uint8Array(fs.readFileSync(f)) }]);
  for (const x of r.findings) if (['python-dynamic-sql', 'dynamic-sql', 'templated-sql'].includes(x.ruleId) || /\{[^}]*\}/.test(x.message) && /\{(None|\?|[a-z_]+)\}/.test(x.message)) out.push({ file: rel, rule: x.ruleId, line: x.line, gating: x.gating, msg: x.message });
  n++;
}
fs.writeFileSync(process.argv[2], JSON.stringify(out, null, 1));
console.log(files.length, 'files', out.length, 'findings', out.filter(o => o.rule === 'python-dynamic-sql').length, 'python-dynamic-sql');
