#!/usr/bin/env node
// `npm run bench`: wall time, CPU time and peak RSS of the bundled CLI against squawk (squawk-cli,
// the PostgreSQL migration linter) in the same run, and how both scale with the input.
//
//   node scripts/bench.mjs [--rounds N] [--scaling-rounds N] [--only main|scaling|phases]
//                          [--sizes 0.25,1,2,10] [--timeout SECONDS] [--corpus DIR]
//   (--only: a comma list of main, allpg, scaling, phases, action; default all)
//                          [--profile] [--against OTHER/index.js] [--cli OURS/index.js]
//                          [--node PATH]   (the Node binary that runs ours and base; default: this one.
//                          The action runs on node24 (action.yml): time it there too, since V8's
//                          WASM tiering differs between versions, see src/parse/wasm-tiering.ts)
//
// main:    the 872 PostgreSQL files of the original corpus folders (prisma-postgres/{documenso,
//          hoppscotch,umami}, postgres/, multi/kratos *.postgres.*) and one small file; N rounds;
//          each twice: replay off (config `replay: false`: parse, rules and report, the work squawk
//          does) and the default (that, plus replaying each migration set in the sandbox), then
//          the replay time of each set.
// allpg:   every PostgreSQL file squawk can read (adds prisma-postgres/langfuse, multi/*/postgres).
// scaling: generated PostgreSQL migrations (scripts/gen-migration.mjs) of 0.25, 1, 2 and 10 MB, and
//          1, 100, 872 and all corpus files (all: every folder, Python and config files too, ours
//          only: squawk reads only SQL); time and peak RSS per size.
// phases:  where our time goes on the 872 files: Node start, loading the bundle, and the engine's
//          phases from a V8 CPU profile (inclusive time of the phase functions).
//
// Each round runs each tool once, rotating which goes first; whole process wall time, output to
// /dev/null, peak RSS from GNU time (`/usr/bin/time -f %M`, every run). Exit codes 0/1 are fine. Runs
// slower than --timeout (default 900 s) are stopped and shown as such. Medians; the ratios are
// ours/squawk of the medians. --against times another build of the CLI too (`base`, an A/B of a
// change). Skips cleanly (exit 0) when the corpus is absent.
//
// For figures to report: unset NODE_EXTRA_CA_CERTS (Node 20 parses that bundle before start-up,
// ~0.09 s a process; CI runners do not set it), and say how loaded the machine was.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateMigration } from './gen-migration.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const defaultCorpus = [join(root, '..', 'shared', 'corpus'), join(root, '..', '..', 'shared', 'corpus')].find((d) => existsSync(d)) ?? join(root, '..', 'shared', 'corpus');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: process.env.BENCH_ROUNDS ?? '7' },
    'scaling-rounds': { type: 'string', default: '3' },
    only: { type: 'string' },
    sizes: { type: 'string', default: '0.25,1,2,10' },
    timeout: { type: 'string', default: '900' },
    corpus: { type: 'string', default: process.env.CORPUS ?? defaultCorpus },
    profile: { type: 'boolean', default: false },
    against: { type: 'string' },
    cli: { type: 'string' },
    node: { type: 'string' },
  },
});
const rounds = Math.max(1, Number.parseInt(values.rounds, 10) || 7);
const scalingRounds = Math.max(1, Number.parseInt(values['scaling-rounds'], 10) || 3);
const timeoutMs = Math.max(1, Number(values.timeout) || 900) * 1000;
const corpus = values.corpus;
const cli = values.cli ?? join(root, 'dist', 'cli', 'index.js');
const nodeBin = values.node ?? process.execPath;
const squawk = join(root, 'node_modules', '.bin', 'squawk');
const gnuTime = ['/usr/bin/time', '/bin/time'].find((p) => existsSync(p));
const parts = values.only ? values.only.split(',') : ['main', 'allpg', 'scaling', 'phases', 'action'];

// action: the bundled action (dist/index.js) on a pull request of 250 changed migrations against the
// loopback fake GitHub (scripts/bench-action.ts through tsx); needs no corpus.
if (parts.includes('action')) {
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  if (!existsSync(join(root, 'dist', 'index.js'))) console.log('action bench: dist/index.js is missing: run `npm run build` first; skipped.');
  else if (!existsSync(tsx)) console.log('action bench: tsx not installed; skipped.');
  else {
    console.log(`\n== action: 250 changed migrations through dist/index.js against the loopback fake GitHub (medians)`);
    const p = spawnSync(tsx, [join(root, 'scripts', 'bench-action.ts'), '--rounds', String(Math.min(rounds, 5))], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    if (p.status) console.log(`action bench failed (exit ${p.status})`);
  }
  if (values.only === 'action') process.exit(0);
}

if (!existsSync(corpus)) {
  console.log(`bench: corpus not found at ${corpus} (set CORPUS or --corpus); skipped.`);
  process.exit(0);
}
if (!existsSync(cli)) {
  console.error(`bench: ${relative(root, cli)} is missing: run \`npm run build\` first.`);
  process.exit(2);
}

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}
const rel = (fs) => fs.map((f) => relative(corpus, f));

// The 872 files of the original corpus folders, and every PostgreSQL file squawk can read.
const pg872 = rel([
  ...['documenso', 'hoppscotch', 'umami'].flatMap((d) => walk(join(corpus, 'prisma-postgres', d)).filter((f) => f.endsWith('.sql'))),
  ...walk(join(corpus, 'postgres')).filter((f) => f.endsWith('.sql')),
  ...walk(join(corpus, 'multi', 'kratos')).filter((f) => /\.postgres\.[^/]*$/.test(f)),
]);
const pgAll = rel([
  ...walk(join(corpus, 'prisma-postgres')).filter((f) => f.endsWith('.sql')),
  ...walk(join(corpus, 'postgres')).filter((f) => f.endsWith('.sql')),
  ...walk(join(corpus, 'multi', 'kratos')).filter((f) => /\.postgres\.[^/]*$/.test(f)),
  ...walk(join(corpus, 'multi')).filter((f) => /\/postgres\/.*\.sql$/.test(f) || /jdbc-postgres\/.*\.sql$/.test(f)),
]);
if (!pg872.length) {
  console.log(`bench: no PostgreSQL files under ${corpus}; skipped.`);
  process.exit(0);
}
const small = pg872.find((f) => statSync(join(corpus, f)).size < 2048) ?? pg872[0];
const bytesOf = (fs) => fs.reduce((a, f) => a + statSync(join(corpus, f)).size, 0);

const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS; // see the header
const cpuInfo = `${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`;
console.log(`bench: ours = node ${relative(root, cli)} on Node ${spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim()} (${(statSync(cli).size / 1024).toFixed(0)} KiB bundle); NODE_EXTRA_CA_CERTS unset; load average at start ${cpuInfo}`);
const haveSquawk = existsSync(squawk);
if (haveSquawk) console.log(`bench: squawk = node_modules/.bin/squawk (${spawnSync(squawk, ['--version'], { encoding: 'utf8' }).stdout.trim()}), --reporter json`);
else console.log('bench: squawk not installed (devDependency squawk-cli): timing ours only.');
if (values.against) console.log(`bench: base = node ${values.against}`);

// `replay: false`: the static engine alone (parse, rules, report), the work squawk does. The default
// run also replays each migration set in the sandbox (PGlite), which squawk has no counterpart for.
const staticConfig = join(root, '.tmp', 'bench-replay-off.yml');
mkdirSync(dirname(staticConfig), { recursive: true });
writeFileSync(staticConfig, 'replay: false\n');

/** The tools for a list of files (paths relative to `cwd`); `replayOff`: ours and base with `replay: false`. */
function toolsFor(files, { cwd = corpus, squawkToo = true, replayOff = false } = {}) {
  const opts = ['check', '--format', 'json', ...(replayOff ? ['--config', staticConfig] : [])];
  const t = [{ name: 'ours', cmd: nodeBin, args: [cli, ...opts, ...files], cwd }];
  if (values.against) t.push({ name: 'base', cmd: nodeBin, args: [values.against, ...opts, ...files], cwd });
  if (haveSquawk && squawkToo) t.push({ name: 'squawk', cmd: squawk, args: ['--reporter', 'json', ...files], cwd });
  return t;
}

// CPU time of finished children (user + system, Linux /proc; 10 ms ticks): less disturbed than
// wall time when other work shares the machine. null elsewhere.
function childCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[13]) + Number(f[14])) * 1000) / 100; // cutime + cstime, USER_HZ = 100
  } catch {
    return null;
  }
}

/** One run: wall ms, CPU ms, peak RSS KiB, or `timedOut`. */
function once(tool) {
  const cpu0 = childCpuMs();
  const t = process.hrtime.bigint();
  const [cmd, args] = gnuTime ? [gnuTime, ['-f', 'MAXRSS %M', tool.cmd, ...tool.args]] : [tool.cmd, tool.args];
  const p = spawnSync(cmd, args, { cwd: tool.cwd, env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs, killSignal: 'SIGKILL' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const cpu1 = childCpuMs();
  if (p.error && p.error.code === 'ETIMEDOUT') return { timedOut: true, ms };
  if (p.error) throw p.error;
  const stderr = String(p.stderr);
  const rss = Number(/MAXRSS (\d+)\s*$/.exec(stderr)?.[1]);
  const status = p.status;
  if (status !== 0 && status !== 1) {
    console.error(`bench: ${tool.name} exited ${status ?? p.signal}:\n${stderr.slice(0, 2000)}`);
    process.exit(2);
  }
  return { ms, cpu: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0, rss: Number.isFinite(rss) ? rss : null };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtMs = (x) => (Number.isFinite(x) ? (x >= 10000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(0)} ms`) : '—');
const fmtMiB = (kb) => (Number.isFinite(kb) ? `${(kb / 1024).toFixed(0)} MiB` : '—');

/** Paired rounds of the tools (rotating who goes first); prints each round when `verbose`. */
function measure(label, tools, n, { verbose = false, warmup = true } = {}) {
  if (warmup) for (const t of tools) once(t);
  const res = Object.fromEntries(tools.map((t) => [t.name, { ms: [], cpu: [], rss: [], timedOut: false }]));
  for (let r = 0; r < n; r++) {
    const order = tools.map((_, i) => tools[(i + r) % tools.length]);
    const line = [];
    for (const t of order) {
      const x = res[t.name];
      if (x.timedOut) continue; // once too slow, not run again
      const o = once(t);
      if (o.timedOut) {
        x.timedOut = true;
        line.push(`${t.name} timed out (> ${timeoutMs / 1000} s)`);
        continue;
      }
      x.ms.push(o.ms);
      if (o.cpu !== null) x.cpu.push(o.cpu);
      if (o.rss !== null) x.rss.push(o.rss);
      line.push(`${t.name.padEnd(6)} ${fmtMs(o.ms).padStart(8)}` + (o.cpu !== null ? ` (cpu ${fmtMs(o.cpu)})` : ''));
    }
    if (verbose) console.log(`  round ${String(r + 1).padStart(2)}: ${line.join('   ')}`);
  }
  const out = {};
  for (const [name, x] of Object.entries(res)) {
    out[name] = x.timedOut && !x.ms.length ? { timedOut: true } : { wall: median(x.ms), cpu: median(x.cpu), rss: Math.max(...x.rss), timedOut: x.timedOut };
  }
  const row = [label.padEnd(34)];
  for (const [name, m] of Object.entries(out)) row.push(m.timedOut && !Number.isFinite(m.wall) ? `${name} timed out` : `${name} ${fmtMs(m.wall).padStart(8)} cpu ${fmtMs(m.cpu).padStart(8)} ${fmtMiB(m.rss).padStart(8)}`);
  const ratio = (a, b) => (out[a] && out[b] && Number.isFinite(out[a].wall) && Number.isFinite(out[b].wall) ? out[a].wall / out[b].wall : NaN);
  const cratio = (a, b) => (out[a] && out[b] && Number.isFinite(out[a].cpu) && Number.isFinite(out[b].cpu) && out[b].cpu > 0 ? out[a].cpu / out[b].cpu : NaN);
  if (out.squawk) row.push(`ours/squawk wall ${ratio('ours', 'squawk').toFixed(2)} cpu ${cratio('ours', 'squawk').toFixed(2)}`);
  if (out.base) row.push(`ours/base wall ${ratio('ours', 'base').toFixed(2)} cpu ${cratio('ours', 'base').toFixed(2)}`);
  console.log(row.join('   '));
  return out;
}

if (parts.includes('main')) {
  console.log(`\n== main (${rounds} rounds, medians; wall, cpu, peak RSS)`);
  console.log(`872 files: ${pg872.length} files, ${(bytesOf(pg872) / 1024).toFixed(0)} KiB; every PostgreSQL file squawk reads: ${pgAll.length} files, ${(bytesOf(pgAll) / 1024).toFixed(0)} KiB; small file: ${small} (${statSync(join(corpus, small)).size} bytes)`);
  console.log('replay off: the static engine alone (config `replay: false`), the work squawk does; default: the static engine and the sandbox replay of each migration set');
  measure(`872 PostgreSQL files, replay off`, toolsFor(pg872, { replayOff: true }), rounds, { verbose: true });
  measure('one small file, replay off', toolsFor([small], { replayOff: true }), rounds);
  measure(`872 PostgreSQL files, default`, toolsFor(pg872), rounds, { verbose: true });
  measure('one small file, default', toolsFor([small]), rounds);
  // Where the default run's extra time goes: the replay of each migration set (the report's replay[].ms).
  const p = spawnSync(nodeBin, [cli, 'check', '--format', 'json', ...pg872], { cwd: corpus, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  try {
    const sets = JSON.parse(p.stdout).replay ?? [];
    console.log(`replay per migration set (one default run; sets replay side by side, one worker per core):`);
    for (const r of sets) console.log(`  ${fmtMs(r.ms).padStart(8)}  ${String(r.judged.statements).padStart(4)} judged + ${String(r.history.statements).padStart(4)} history statements  ${dirname(r.files[0])}`);
  } catch {
    console.log('replay per migration set: the report could not be read');
  }
}
if (parts.includes('allpg')) {
  measure(`all ${pgAll.length} PostgreSQL files, replay off`, toolsFor(pgAll, { replayOff: true }), rounds);
  measure(`all ${pgAll.length} PostgreSQL files, default`, toolsFor(pgAll), rounds);
}

if (parts.includes('scaling')) {
  console.log(`\n== scaling (${scalingRounds} rounds, medians; the 10 MB file 1 round; runs over ${timeoutMs / 1000} s stopped)`);
  const gen = join(root, '.tmp', 'bench-gen');
  mkdirSync(gen, { recursive: true });
  for (const mb of values.sizes.split(',').map(Number).filter((x) => x > 0)) {
    const f = join(gen, `generated-${mb}mb.sql`);
    if (!existsSync(f)) writeFileSync(f, generateMigration(Math.round(mb * 1024 * 1024)));
    const stmts = (readFileSync(f, 'utf8').match(/;\n/g) ?? []).length;
    for (const replayOff of [true, false]) measure(`generated ${mb} MB (${stmts} statements), ${replayOff ? 'replay off' : 'default'}`, toolsFor([f], { cwd: gen, replayOff }), mb >= 10 ? 1 : scalingRounds, { warmup: false });
  }
  for (const n of [1, 100, 872]) measure(`${n} corpus file${n > 1 ? 's' : ''}, replay off`, toolsFor(pg872.slice(0, n), { replayOff: true }), scalingRounds);
  for (const n of [1, 100, 872]) measure(`${n} corpus file${n > 1 ? 's' : ''}, default`, toolsFor(pg872.slice(0, n)), scalingRounds);
  // All corpus files: every folder (Python, config and other dialects' files too): ours only.
  const dirs = readdirSync(corpus, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const allFiles = walk(corpus).length;
  measure(`all corpus files (${allFiles}, ours only)`, toolsFor(dirs, { squawkToo: false }), 1, { warmup: false });
}

if (parts.includes('phases')) {
  console.log('\n== phases of one run of ours on the 872 files, replay off (the replay\'s share: the main rows and the per-set list)');
  const n = 5;
  const nodeStart = median(Array.from({ length: n }, () => once({ name: 'node', cmd: nodeBin, args: ['-e', '0'], cwd: root }).ms));
  const loaded = median(Array.from({ length: n }, () => once({ name: 'ours', cmd: nodeBin, args: [cli, '--version'], cwd: root }).ms));
  console.log(`Node start (node -e 0): ${fmtMs(nodeStart)}; loading the bundle (ours --version minus that): ${fmtMs(loaded - nodeStart)}`);
  const dir = join(root, '.tmp', 'bench-profile');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const [ours] = toolsFor(pg872, { replayOff: true });
  spawnSync(nodeBin, ['--cpu-prof', '--cpu-prof-dir', dir, ...ours.args], { cwd: corpus, env, stdio: 'ignore' });
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const prof = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const byId = new Map(prof.nodes.map((nd) => [nd.id, nd]));
  const parent = new Map();
  for (const nd of prof.nodes) for (const c of nd.children ?? []) parent.set(c, nd.id);
  // Phase of a sample: the innermost of these functions on its stack (their names survive bundling).
  const PHASES = [
    ['discoverFiles', 'read files'],
    ['extract', 'extract'],
    ['loadPg', 'load parser (WASM)'],
    ['loadNsp', 'load parser (WASM)'],
    ['expandBodies', 'parse PL/pgSQL bodies'],
    ['parsePgUnit', 'parse'],
    ['parseNspUnit', 'parse'],
    ['scanText', 'rules: text scans (secrets…)'],
    ['check', 'rules: statement checks'],
    ['analyzeFile', 'rules: other'],
    ['findings', 'findings (redaction, fingerprints)'],
    ['toJson', 'report'],
  ];
  const phaseOf = new Map();
  const phase = (id) => {
    if (phaseOf.has(id)) return phaseOf.get(id);
    const fn = byId.get(id).callFrame.functionName;
    const own = PHASES.find(([f]) => f === fn)?.[1];
    const p = own ?? (parent.has(id) ? phase(parent.get(id)) : 'start-up, module load, other');
    phaseOf.set(id, p);
    return p;
  };
  const sum = new Map();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const p = byId.get(id).callFrame.functionName === '(garbage collector)' ? 'garbage collector' : phase(id);
    sum.set(p, (sum.get(p) ?? 0) + prof.timeDeltas[i]);
    total += prof.timeDeltas[i];
  });
  console.log(`profiled run: ${fmtMs(total / 1000)} sampled (profiling slows it down; compare shares):`);
  for (const [p, us] of [...sum].sort((a, b) => b[1] - a[1])) console.log(`  ${fmtMs(us / 1000).padStart(8)}  ${((100 * us) / total).toFixed(0).padStart(3)}%  ${p}`);
  if (values.profile) {
    const self = new Map();
    prof.samples.forEach((id, i) => {
      const cf = byId.get(id).callFrame;
      const key = `${cf.functionName || '(anonymous)'} ${cf.url.split('/').pop()}:${cf.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + prof.timeDeltas[i]);
    });
    console.log(`\nprofile: ${join(relative(root, dir), file)}; most self time:`);
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(v / 1000).toFixed(1).padStart(8)} ms  ${k}`);
  }
}

// Replay rows: the sandbox replaying a PostgreSQL history (langfuse) plus one judged migration.
{
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  if (existsSync(tsx)) {
    const p = spawnSync(tsx, [join(root, 'scripts', 'bench-replay.ts'), corpus], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    if (p.status) console.log(`replay bench failed (exit ${p.status})`);
  } else console.log('replay bench: tsx not installed; skipped.');
}
