#!/usr/bin/env node
// `npm run bench`: wall time of the bundled CLI against squawk (squawk-cli, the PostgreSQL
// migration linter) over the PostgreSQL files of the shared corpus, in the same run.
//
//   node scripts/bench.mjs [--rounds N] [--corpus DIR] [--profile] [--against OTHER/index.js]
//
// Each round runs each tool once over all the files (passed as arguments), alternating which goes
// first; whole process wall time, output to /dev/null. Exit codes 0/1 (findings) are fine. Prints
// every run, the medians, the median ratio ours/squawk (goal ≤ 1.0) and our peak RSS.
// --profile also writes a V8 CPU profile of one run of ours to .tmp/bench-profile/ and prints the
// functions with the most self time. --against times another build of the CLI too (A/B of a
// change, as `base`). Skips cleanly (exit 0) when the corpus is absent.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: process.env.BENCH_ROUNDS ?? '7' },
    corpus: { type: 'string', default: process.env.CORPUS ?? join(root, '..', 'shared', 'corpus') },
    profile: { type: 'boolean', default: false },
    against: { type: 'string' },
  },
});
const rounds = Math.max(1, Number.parseInt(values.rounds, 10) || 7);
const corpus = values.corpus;
const cli = join(root, 'dist', 'cli', 'index.js');
const squawk = join(root, 'node_modules', '.bin', 'squawk');

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

// The PostgreSQL part of the corpus: Prisma (PostgreSQL) and plain PostgreSQL migrations, and the
// kratos `*.postgres.*` files (ory/pop keeps one file per dialect).
const files = [
  ...walk(join(corpus, 'prisma-postgres')).filter((f) => f.endsWith('.sql')),
  ...walk(join(corpus, 'postgres')).filter((f) => f.endsWith('.sql')),
  ...walk(join(corpus, 'multi', 'kratos')).filter((f) => /\.postgres\.[^/]*$/.test(f)),
].map((f) => relative(corpus, f));
if (!files.length) {
  console.log(`bench: no PostgreSQL files under ${corpus}; skipped.`);
  process.exit(0);
}
const bytes = files.reduce((a, f) => a + statSync(join(corpus, f)).size, 0);
console.log(`bench: ${files.length} PostgreSQL files (${(bytes / 1024).toFixed(0)} KiB) from ${corpus}`);
console.log(`bench: ours = node ${relative(root, cli)} (${(statSync(cli).size / 1024).toFixed(0)} KiB bundle), ${rounds} rounds`);

const tools = [{ name: 'ours', cmd: process.execPath, args: [cli, 'check', '--format', 'json', ...files] }];
if (values.against) {
  console.log(`bench: base = node ${values.against}`);
  tools.push({ name: 'base', cmd: process.execPath, args: [values.against, 'check', '--format', 'json', ...files] });
}
if (existsSync(squawk)) {
  const v = spawnSync(squawk, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`bench: squawk = node_modules/.bin/squawk (${v}), --reporter json`);
  tools.push({ name: 'squawk', cmd: squawk, args: ['--reporter', 'json', ...files] });
} else console.log('bench: squawk not installed (devDependency squawk-cli): timing ours only.');

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

function once(tool) {
  const cpu0 = childCpuMs();
  const t = process.hrtime.bigint();
  const p = spawnSync(tool.cmd, tool.args, { cwd: corpus, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const cpu1 = childCpuMs();
  const cpu = cpu0 === null || cpu1 === null ? null : cpu1 - cpu0;
  if (p.error) throw p.error;
  if (p.status !== 0 && p.status !== 1) {
    console.error(`bench: ${tool.name} exited ${p.status ?? p.signal}:\n${String(p.stderr).slice(0, 2000)}`);
    process.exit(2);
  }
  return { ms, cpu, status: p.status };
}

// Warm-up (file cache, first-run costs), not timed.
for (const t of tools) {
  const { status } = once(t);
  console.log(`bench: warm-up ${t.name} exit ${status}`);
}

const times = Object.fromEntries(tools.map((t) => [t.name, []]));
const cpus = Object.fromEntries(tools.map((t) => [t.name, []]));
for (let r = 0; r < rounds; r++) {
  // Rotate who goes first, so that no tool always runs right after the same one.
  const order = tools.map((_, i) => tools[(i + r) % tools.length]);
  const line = [];
  for (const t of order) {
    const { ms, cpu } = once(t);
    times[t.name].push(ms);
    if (cpu !== null) cpus[t.name].push(cpu);
    line.push(`${t.name.padEnd(6)} ${ms.toFixed(0).padStart(5)} ms` + (cpu !== null ? ` (cpu ${cpu.toFixed(0).padStart(5)} ms)` : ''));
  }
  console.log(`round ${String(r + 1).padStart(2)}: ${line.join('   ')}`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
console.log('');
for (const t of tools) {
  const cpu = cpus[t.name].length ? `   cpu median ${median(cpus[t.name]).toFixed(0)} ms` : '';
  console.log(`median ${t.name.padEnd(6)} ${median(times[t.name]).toFixed(0).padStart(5)} ms   (min ${Math.min(...times[t.name]).toFixed(0)}, max ${Math.max(...times[t.name]).toFixed(0)})${cpu}`);
}
if (times.squawk) {
  const ratio = median(times.ours) / median(times.squawk);
  const perRound = median(times.ours.map((o, i) => o / times.squawk[i]));
  console.log(`ratio ours/squawk (wall): ${ratio.toFixed(2)} (median of per-round ratios ${perRound.toFixed(2)}; goal ≤ 1.0)`);
  if (cpus.ours.length && cpus.squawk.length) console.log(`ratio ours/squawk (cpu):  ${(median(cpus.ours) / median(cpus.squawk)).toFixed(2)}`);
}
if (times.base) {
  const cpu = cpus.ours.length && cpus.base.length ? `, cpu ${(median(cpus.ours) / median(cpus.base)).toFixed(2)}` : '';
  console.log(`ratio ours/base: wall ${(median(times.ours) / median(times.base)).toFixed(2)}${cpu}`);
}

// Peak RSS of ours: GNU time when present, else the process reports it itself on exit.
const gnuTime = ['/usr/bin/time', '/bin/time'].find((p) => existsSync(p));
let rssKb;
if (gnuTime) {
  const p = spawnSync(gnuTime, ['-f', '%M', tools[0].cmd, ...tools[0].args], { cwd: corpus, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  rssKb = Number(p.stderr.trim().split('\n').pop());
} else {
  const hook = 'data:text/javascript,' + encodeURIComponent("process.on('exit',()=>process.stderr.write('\\nMAXRSS '+process.resourceUsage().maxRSS+'\\n'))");
  const p = spawnSync(process.execPath, ['--import', hook, ...tools[0].args], { cwd: corpus, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  rssKb = Number(/MAXRSS (\d+)/.exec(p.stderr)?.[1]);
}
console.log(`peak RSS ours: ${Number.isFinite(rssKb) ? (rssKb / 1024).toFixed(0) + ' MiB' : 'unknown'}`);

// Replay rows: the sandbox replaying a PostgreSQL history (langfuse) plus one judged migration.
{
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  if (existsSync(tsx)) {
    const p = spawnSync(tsx, [join(root, 'scripts', 'bench-replay.ts'), corpus], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    if (p.status) console.log(`replay bench failed (exit ${p.status})`);
  } else console.log('replay bench: tsx not installed; skipped.');
}

if (values.profile) {
  const dir = join(root, '.tmp', 'bench-profile');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, ...tools[0].args], { cwd: corpus, stdio: 'ignore' });
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const prof = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const cf = byId.get(id).callFrame;
    const key = `${cf.functionName || '(anonymous)'} ${cf.url.split('/').pop()}:${cf.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + prof.timeDeltas[i]);
    total += prof.timeDeltas[i];
  });
  console.log(`\nprofile: ${join(relative(root, dir), file)} (${(total / 1000).toFixed(0)} ms sampled); most self time:`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${(v / 1000).toFixed(1).padStart(8)} ms  ${k}`);
}
