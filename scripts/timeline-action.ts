// One bench-action run with the API timeline: tsx scripts/timeline-action.ts <bundle>
process.env.MIGRATION_GATE_BUNDLE = process.argv[2];
const { runAction } = await import('../tests/fake-github/harness.js');
const { FakeGitHub } = await import('../tests/fake-github/server.js');
const files = [];
for (let i = 1; i <= 250; i++) files.push({ filename: `db/migrations/${String(i).padStart(4, '0')}_step_${i}.up.sql`, status: 'added' as const, content: `CREATE TABLE t${i} (id bigint);\n${i % 25 === 0 ? `DROP TABLE t${i - 3};\n` : ''}` });
const fake = new FakeGitHub();
await fake.start();
const s = fake.repo({ files, base: { '.github/migration-gate.yml': 'replay: false\n' } });
const t = Date.now();
const r = await runAction(fake, s);
const end = Date.now() - t;
let last = '';
let group: { k: string; from: number; to: number; n: number } | null = null;
const flush = () => group && console.log(`${String(group.from).padStart(6)}–${String(group.to).padStart(6)} ms  ${group.n}× ${group.k}`);
for (const q of s.requests) {
  const k = `${q.method} ${q.path.replace(/\/repos\/[^/]+\/app/, '').replace(/\/contents\/.*/, '/contents/*').replace(/[0-9a-f]{40}/, 'SHA')}`;
  const at = q.at - t;
  if (k === last && group) ((group.to = at), group.n++);
  else (flush(), (group = { k, from: at, to: at, n: 1 }), (last = k));
}
flush();
console.log(`exit at ${end} ms; ${s.requests.length} calls; verdict ${r.outputs.verdict}`);
await fake.stop();
