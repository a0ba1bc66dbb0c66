// Profile one bench-action run: tsx scripts/prof-action.ts <bundle> <outdir> (CPU profile via --cpu-prof) and print the hottest self-time functions.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
const wrap = join(process.argv[3], 'wrap.mjs');
// --cpu-prof is not allowed in NODE_OPTIONS: a wrapper runs the bundle under it.
writeFileSync(wrap, `import { spawnSync } from 'node:child_process'; const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', ${JSON.stringify(process.argv[3])}, ${JSON.stringify(process.argv[2])}], { stdio: 'inherit' }); process.exit(r.status ?? 1);`);
process.env.MIGRATION_GATE_BUNDLE = wrap;
const { runAction } = await import('../tests/fake-github/harness.js');
const { FakeGitHub } = await import('../tests/fake-github/server.js');
const out = process.argv[3];
const files = [];
for (let i = 1; i <= 250; i++) {
  const v = String(i).padStart(4, '0');
  let sql = `CREATE TABLE t${i} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());\n`;
  if (i > 1) sql += `ALTER TABLE t${i - 1} ADD COLUMN note${i} text;\n`;
  if (i % 5 === 0) sql += `CREATE INDEX CONCURRENTLY t${i}_name ON t${i} (name);\n`;
  if (i % 25 === 0) sql += `DROP TABLE t${i - 3};\n`;
  files.push({ filename: `db/migrations/${v}_step_${i}.up.sql`, status: 'added' as const, content: sql });
}
const fake = new FakeGitHub();
await fake.start();
const s = fake.repo({ files, base: { '.github/migration-gate.yml': 'replay: false\n' } });
const t = Date.now();
const r = await runAction(fake, s);
console.log('wall', Date.now() - t, 'ms', r.outputs.verdict, s.requests.length, 'calls', r.stderr.slice(0, 500));
await fake.stop();
const prof = JSON.parse(readFileSync(join(out, readdirSync(out).filter((f) => f.endsWith('.cpuprofile')).sort().pop()!), 'utf8'));
const self = new Map<string, number>();
const dt = prof.timeDeltas as number[];
const byId = new Map(prof.nodes.map((n: any) => [n.id, n]));
prof.samples.forEach((id: number, i: number) => {
  const n: any = byId.get(id);
  const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
  self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0) / 1000);
});
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(v.toFixed(0).padStart(6), 'ms', k);
