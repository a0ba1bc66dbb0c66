// `npm run bench` action row (run by scripts/bench.mjs through tsx): the bundled action
// (dist/index.js) reviewing a pull request of 250 changed migrations against the loopback fake
// GitHub (tests/fake-github/server.ts), as the e2e tests run it. Wall time of the whole process
// (Node start to exit), median of N rounds, plus the API calls it made.
//   tsx scripts/bench-action.ts [--rounds N] [--files N] [--bundle dist/index.js] [--only default|no-replay]
// Two rows: the defaults (the sandbox replays the 250 migrations as one history) and `replay: false`
// (the action's own work: API reads, engine, comments, status).
import { parseArgs } from 'node:util';
import { FakeGitHub, type FakeFile } from '../tests/fake-github/server.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, files: { type: 'string', default: '250' }, bundle: { type: 'string' }, only: { type: 'string' } } });
if (values.bundle) process.env.MIGRATION_GATE_BUNDLE = values.bundle;
// After the line above: the harness reads MIGRATION_GATE_BUNDLE when it loads.
const { cleanupRuns, runAction, BUNDLE } = await import('../tests/fake-github/harness.js');
const rounds = Math.max(1, Number(values.rounds) || 7);
const n = Math.max(1, Number(values.files) || 250);

/** n migrations of one golang-migrate-style set: tables, columns, indexes, a few drops (gating). */
function migrations(count: number): FakeFile[] {
  const out: FakeFile[] = [];
  for (let i = 1; i <= count; i++) {
    const v = String(i).padStart(4, '0');
    let sql = `CREATE TABLE t${i} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());\n`;
    if (i > 1) sql += `ALTER TABLE t${i - 1} ADD COLUMN note${i} text;\n`;
    if (i % 5 === 0) sql += `CREATE INDEX CONCURRENTLY t${i}_name ON t${i} (name);\n`;
    if (i % 25 === 0) sql += `DROP TABLE t${i - 3};\n`;
    out.push({ filename: `db/migrations/${v}_step_${i}.up.sql`, status: 'added', content: sql });
  }
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const fake = new FakeGitHub();
await fake.start();
try {
  const files = migrations(n);
  // no-replay: `replay: false` in the base commit's policy file (works with older bundles too).
  const rows: Array<[string, Record<string, string>]> = [
    ['default', {}],
    ['no-replay', { '.github/migration-gate.yml': 'replay: false\n' }],
  ];
  for (const [label, base] of rows) {
    if (values.only && values.only !== label) continue;
    const times: number[] = [];
    let calls = 0;
    let verdict = '';
    for (let r = 0; r <= rounds; r++) {
      const s = fake.repo({ files, base });
      const t = process.hrtime.bigint();
      const res = await runAction(fake, s);
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (res.code !== 0 && res.code !== 1) throw new Error(`action exited ${res.code}:\n${res.stdout.slice(-3000)}\n${res.stderr.slice(-3000)}`);
      if (!res.outputs.verdict) throw new Error(`no verdict:\n${res.stdout.slice(-3000)}`);
      verdict = `${res.outputs.verdict}, ${res.outputs.findings} findings (${res.outputs['gating-findings']} gating)`;
      calls = s.requests.length;
      if (r === 0) continue; // warm-up (file cache)
      times.push(ms);
    }
    console.log(`action (${label === 'default' ? 'defaults' : 'policy replay: false'}): ${n} changed migrations through ${BUNDLE.replace(process.cwd() + '/', '')} on loopback: median ${median(times).toFixed(0)} ms wall over ${rounds} rounds (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}); ${calls} API calls; ${verdict}`);
  }
} finally {
  await fake.stop();
  cleanupRuns();
}
