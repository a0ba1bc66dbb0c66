// Parse coverage over the real-world corpus: runs the BUILT CLI (`dist/cli/index.js check --format
// json`) once per corpus folder and prints, per folder, files, statements, statements parsed and
// files with parse findings, then one TOTAL line per goal group.
//
//   npm run coverage:corpus -- ../shared/corpus [--list] [--json] [--cli FILE]
//
//   --list       also print every parse-error finding (path:line:column and message)
//   --json       print the table as JSON instead of text
//   --cli FILE   the bundled CLI to run (default dist/cli/index.js)
//
// Exit status: 0 when every CLI run worked (goals missed are reported, not failed), 2 on errors
// (missing corpus or build, a CLI run that crashed or printed no JSON).
//
// "parsed" is statements minus the CLI's `unparsed` count, which also counts statements nested in
// function bodies that failed: the percentage can only be too low, never too high.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Folder groups of the corpus (see shared/README.md) and the goals they are measured against. */
const GROUPS = ['prisma-postgres', 'postgres', 'multi', 'alembic', 'django'];
const GOALS = [
  { name: 'PostgreSQL', goal: 100, match: (row) => /^(prisma-postgres|postgres)\//.test(row.folder) || row.part === 'postgres' },
  { name: 'CockroachDB (libpg-query)', goal: 100, match: (row) => row.part === 'cockroach' },
  { name: 'MySQL', goal: 100, match: (row) => row.part === 'mysql' },
  { name: 'SQLite', goal: 100, match: (row) => row.part === 'sqlite3' },
  { name: 'H2 (not supported: reported)', goal: null, match: (row) => row.part === 'h2' },
  { name: 'Alembic (Python)', goal: null, match: (row) => /^alembic\//.test(row.folder) },
  { name: 'Django (Python)', goal: null, match: (row) => /^django\//.test(row.folder) },
];

function usage(msg) {
  process.stderr.write(`corpus-coverage: ${msg}\nUsage: node scripts/corpus-coverage.mjs CORPUS_DIR [--list] [--json] [--cli FILE]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let cli = join(root, 'dist', 'cli', 'index.js');
const flags = new Set();
const positional = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--cli') {
    if (!args[i + 1]) usage('--cli needs a file');
    cli = resolve(process.cwd(), args[++i]);
  } else if (a === '--list' || a === '--json') flags.add(a);
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else positional.push(a);
}
if (positional.length > 1) usage('one corpus directory expected');
const corpus = resolve(process.cwd(), positional[0] ?? join(root, '..', 'shared', 'corpus'));
if (!existsSync(corpus) || !statSync(corpus).isDirectory()) usage(`no corpus directory at ${corpus}`);
if (!existsSync(cli)) usage(`${cli} is missing: run \`npm run build\` first`);

/** The folders to measure: <group>/<project>. */
const folders = [];
for (const g of GROUPS) {
  const dir = join(corpus, g);
  if (!existsSync(dir)) continue;
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isDirectory()) folders.push(`${g}/${e.name}`);
  }
}
if (!folders.length) usage(`no ${GROUPS.join('/, ')}/ folders under ${corpus}`);

function runCli(folder) {
  return new Promise((done) => {
    const started = Date.now();
    execFile(process.execPath, [cli, 'check', '--format', 'json', join(corpus, folder)], { cwd: root, maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      const ms = Date.now() - started;
      // 0: no gating finding, 1: gating findings; anything else is a failure of the run.
      if (code !== 0 && code !== 1) return done({ folder, ms, error: `exit ${code}: ${(stderr || String(err?.message ?? '')).trim().slice(0, 500)}` });
      try {
        done({ folder, ms, result: JSON.parse(stdout) });
      } catch (e) {
        done({ folder, ms, error: `output is not JSON (${e.message}); stderr: ${stderr.trim().slice(0, 300)}` });
      }
    });
  });
}

/** Run at most `n` CLI processes at once (one per folder). */
async function runAll(list, n) {
  const out = new Array(list.length);
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const i = next++;
      out[i] = await runCli(list[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, list.length) }, worker));
  return out;
}

/**
 * The dialect part of a multi-dialect folder, from the path as the engine reads it: ory/pop file
 * names `*.{postgres,mysql,sqlite3,cockroach}.{up,down}.sql` (kratos), else a dialect directory
 * (`…/mysql/…` in memos and openfga, `jdbc-mysql/` in kestra).
 */
function partOf(folder, path) {
  if (!folder.startsWith('multi/')) return null;
  const m = /\.(postgres|mysql|sqlite3|cockroach)\.(up|down)\.sql$/i.exec(path);
  if (m) return m[1].toLowerCase();
  const dirs = path.replace(/\\/g, '/').split('/').slice(0, -1).reverse();
  for (const d of dirs) {
    const w = d.toLowerCase().replace(/^jdbc-/, '');
    if (w === 'postgres' || w === 'postgresql') return 'postgres';
    if (w === 'mysql') return 'mysql';
    if (w === 'sqlite' || w === 'sqlite3') return 'sqlite3';
    if (w === 'h2') return 'h2';
  }
  return 'other';
}

const t0 = Date.now();
const runs = await runAll(folders, Math.max(1, Math.min(4, cpus().length)));
const rows = [];
const errors = [];
const failures = [];
for (const run of runs) {
  if (run.error) {
    errors.push(`${run.folder}: ${run.error}`);
    continue;
  }
  const byPart = new Map();
  const row = (part) => {
    const key = part ?? '';
    if (!byPart.has(key)) byPart.set(key, { folder: run.folder, part, files: 0, statements: 0, parsed: 0, parseFiles: new Set(), ms: run.ms });
    return byPart.get(key);
  };
  const partByPath = new Map();
  for (const f of run.result.files ?? []) {
    const part = partOf(run.folder, f.path);
    partByPath.set(f.path, part);
    const r = row(part);
    r.files++;
    r.statements += f.statements;
    r.parsed += Math.max(0, f.statements - f.unparsed);
  }
  for (const f of run.result.findings ?? []) {
    if (f.ruleId !== 'parse-error') continue;
    row(partByPath.get(f.path) ?? partOf(run.folder, f.path)).parseFiles.add(f.path);
    failures.push(`${f.path}:${f.line}:${f.column}: ${f.message}`);
  }
  if (!byPart.size) row(null);
  rows.push(...[...byPart.values()].sort((a, b) => String(a.part).localeCompare(String(b.part))));
}

const pct = (p, s) => (s ? ((100 * p) / s).toFixed(2) + '%' : '-');
const label = (r) => (r.part ? `${r.folder} [${r.part}]` : r.folder);
const totals = GOALS.map((g) => {
  const rs = rows.filter(g.match);
  const t = { name: g.name, goal: g.goal, folders: rs.length, files: 0, statements: 0, parsed: 0, parseFiles: 0 };
  for (const r of rs) {
    t.files += r.files;
    t.statements += r.statements;
    t.parsed += r.parsed;
    t.parseFiles += r.parseFiles.size;
  }
  t.percent = t.statements ? (100 * t.parsed) / t.statements : null;
  t.met = g.goal === null || t.percent === null ? null : t.percent >= g.goal;
  return t;
});

if (flags.has('--json')) {
  const json = {
    corpus,
    rows: rows.map((r) => ({ folder: r.folder, part: r.part, files: r.files, statements: r.statements, parsed: r.parsed, filesWithParseFindings: r.parseFiles.size })),
    totals,
    errors,
    ...(flags.has('--list') ? { failures } : {}),
  };
  process.stdout.write(JSON.stringify(json, null, 2) + '\n');
} else {
  const head = ['folder', 'files', 'statements', 'parsed', '%', 'files w/ parse findings'];
  const body = rows.map((r) => [label(r), r.files, r.statements, r.parsed, pct(r.parsed, r.statements), r.parseFiles.size]);
  const tot = totals
    .filter((t) => t.folders)
    .map((t) => [
      `TOTAL ${t.name}`,
      t.files,
      t.statements,
      t.parsed,
      pct(t.parsed, t.statements),
      t.parseFiles,
      t.goal === null ? '(no goal)' : `goal ≥ ${t.goal}%: ${t.met ? 'met' : 'MISSED'}`,
    ]);
  const all = [head, ...body, ...tot];
  const width = head.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const fmt = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(width[i]) : i < head.length ? String(c).padStart(width[i]) : String(c))).join('  ');
  const lines = [fmt(head), width.map((w) => '-'.repeat(w)).join('  '), ...body.map(fmt), width.map((w) => '-'.repeat(w)).join('  '), ...tot.map(fmt)];
  process.stdout.write(`Corpus: ${corpus}\n\n${lines.join('\n')}\n\n${runs.length} CLI runs in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  if (flags.has('--list') && failures.length) process.stdout.write(`\nParse findings:\n${failures.join('\n')}\n`);
}
if (errors.length) {
  process.stderr.write(`\ncorpus-coverage: ${errors.length} CLI run(s) failed:\n${errors.map((e) => '  ' + e).join('\n')}\n`);
  process.exit(2);
}
