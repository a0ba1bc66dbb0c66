// Dynamic-SQL findings over the real-world corpus (issue 8 acceptance), SQL files and Python files
// counted apart. Reads the corpus in place (never copied into the project; not part of npm test).
//
//   npx tsx scripts/corpus-dynamic.ts [CORPUS_DIR] [--json OUT] [--sample N]
//
// Each file is checked on its own by the engine (src/engine.ts, no replay): dynamic SQL is a
// per-statement reading, history does not change it. Prints, per file type, the files, the
// dynamic-sql / python-dynamic-sql findings and how many gate, then every gating one (path:line
// and the finding's own reason), then up to N (default 20) places where `EXECUTE` (SQL) or an
// f-string / `%` / `.format` passed to an execute call (Python) appear and nothing dynamic is
// reported there: the hand-read sample of "fixed shape, really?".
import fs from 'node:fs';
import path from 'node:path';
import { run } from '../src/engine.js';

const args = process.argv.slice(2);
const root = path.resolve(args.find((a, i) => !a.startsWith('--') && !['--json', '--sample'].includes(args[i - 1] ?? '')) ?? '/work/shared/corpus');
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : null;
const sampleN = args.includes('--sample') ? Number(args[args.indexOf('--sample') + 1]) : 20;
if (!fs.existsSync(root)) {
  process.stderr.write(`corpus-dynamic: no corpus at ${root}\n`);
  process.exit(2);
}

const files: string[] = [];
const walk = (d: string) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.(sql|py)$/i.test(e.name)) files.push(p);
  }
};
walk(root);
files.sort();

const DYNAMIC = new Set(['dynamic-sql', 'python-dynamic-sql']);
interface Hit {
  file: string;
  line: number;
  rule: string;
  gating: boolean;
  message: string;
}
const hits: Hit[] = [];
const stats = { sql: { files: 0, findings: 0, gating: 0 }, py: { files: 0, findings: 0, gating: 0 } };
const candidates: Array<{ file: string; line: number; text: string }> = [];
// Where dynamic SQL is written: PL/pgSQL EXECUTE (not EXECUTE FUNCTION/PROCEDURE of triggers), and
// Python execute calls given an f-string, a `%` format or `.format(`.
const SQL_EXEC = /^(?!\s*(?:grant|revoke)\b)(?!.*\b(?:grant|revoke)\s+execute\b).*\bexecute\s+(?!function\b|procedure\b|on\b|'(?:[^']|'')*'\s*;)/i;
const PY_EXEC = /\bexecute(?:many)?\s*\(\s*(?:(?:sa\.)?text\(\s*)?(?:[rb]?f["']|["'][^"']*["']\s*(?:%|\.format\(|\+))/i;

for (const f of files) {
  const rel = path.relative(root, f);
  const kind = f.toLowerCase().endsWith('.py') ? 'py' : 'sql';
  const content = fs.readFileSync(f);
  let r;
  try {
    r = await run([{ path: rel, content: new Uint8Array(content) }], { replay: false });
  } catch (e) {
    process.stderr.write(`corpus-dynamic: ${rel}: ${(e as Error).message}\n`);
    continue;
  }
  stats[kind].files++;
  const here = r.findings.filter((x) => DYNAMIC.has(x.ruleId));
  for (const x of here) {
    stats[kind].findings++;
    if (x.gating) stats[kind].gating++;
    hits.push({ file: rel, line: x.line, rule: x.ruleId, gating: !!x.gating, message: x.message });
  }
  const lines = content.toString('utf8').split('\n');
  const re = kind === 'py' ? PY_EXEC : SQL_EXEC;
  lines.forEach((l, i) => {
    if (!re.test(l) || /^\s*(--|#)/.test(l)) return;
    // Nothing dynamic reported within 3 lines: the engine took it for fixed shape (or literal).
    if (here.some((x) => Math.abs(x.line - (i + 1)) <= 3)) return;
    candidates.push({ file: rel, line: i + 1, text: l.trim().slice(0, 140) });
  });
}

const out = (s: string) => process.stdout.write(s + '\n');
out(`Corpus: ${root}`);
for (const k of ['sql', 'py'] as const) {
  out(`${k === 'sql' ? 'SQL files   ' : 'Python files'}  files ${String(stats[k].files).padStart(5)}  dynamic findings ${String(stats[k].findings).padStart(4)}  gating ${String(stats[k].gating).padStart(4)}`);
}
out('\nGating dynamic-SQL findings:');
for (const h of hits.filter((x) => x.gating)) out(`  ${h.file}:${h.line}  [${h.rule}] ${h.message.slice(0, 200)}`);
out('\nNon-gating dynamic-SQL findings:');
for (const h of hits.filter((x) => !x.gating)) out(`  ${h.file}:${h.line}  [${h.rule}] ${h.message.slice(0, 160)}`);
// A spread-out sample: every k-th candidate.
const step = Math.max(1, Math.floor(candidates.length / Math.max(1, sampleN)));
const sample = candidates.filter((_, i) => i % step === 0).slice(0, sampleN);
out(`\nEXECUTE / formatted execute() with no dynamic finding: ${candidates.length} places; sample of ${sample.length}:`);
for (const c of sample) out(`  ${c.file}:${c.line}  ${c.text}`);
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ stats, hits, candidates }, null, 1));
