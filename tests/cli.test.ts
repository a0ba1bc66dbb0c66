// The CLI contract other tools rely on, through the bundled CLI exactly as a user runs it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(__dirname, '..', 'dist', 'cli', 'index.js');
const cli = (args: string[], cwd = join(__dirname, '..')) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const tmp = () => mkdtempSync(join(tmpdir(), 'mg-cli-'));

describe('migration-gate CLI', () => {
  it('exit 0 and a summary line when nothing gates', () => {
    const d = tmp();
    writeFileSync(join(d, '001_init.sql'), 'CREATE TABLE t (id int primary key, password_hash text);\n');
    const r = cli(['check', d]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/no gating findings/);
  });

  it('exit 1 with gating findings; JSON follows the documented shape', () => {
    const d = tmp();
    writeFileSync(join(d, '002_drop.sql'), '-- cleanup\nALTER TABLE users DROP COLUMN email;\n');
    const r = cli(['check', '--format', 'json', d]);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.version).toBe(1);
    expect(Object.keys(j).sort()).toEqual(['files', 'findings', 'summary', 'version']);
    expect(Object.keys(j.files[0]).sort()).toEqual(['dialect', 'kind', 'path', 'statements', 'unparsed']);
    const f = j.findings.find((x: any) => x.ruleId === 'drop-column');
    expect(f).toMatchObject({ category: 'destructive', severity: 'error', gating: true, line: 2, column: 19, endLine: 2 });
    for (const k of ['ruleId', 'category', 'severity', 'gating', 'path', 'line', 'column', 'endLine', 'message', 'snippet', 'fingerprint']) expect(f).toHaveProperty(k);
    expect(Object.keys(j.summary).sort()).toEqual(['byCategory', 'files', 'findings', 'gating', 'statements']);
    expect(j.summary.byCategory.destructive).toBeGreaterThan(0);
  });

  it('fingerprints survive line shifts', () => {
    const d = tmp();
    writeFileSync(join(d, 'a.sql'), 'DROP TABLE users;\n');
    const a = JSON.parse(cli(['check', '--format', 'json', join(d, 'a.sql')]).stdout).findings[0];
    writeFileSync(join(d, 'a.sql'), '-- moved down\n\n\nDROP   TABLE users;\n');
    const b = JSON.parse(cli(['check', '--format', 'json', join(d, 'a.sql')]).stdout).findings[0];
    expect(b.line).toBe(4);
    expect(b.fingerprint).toBe(a.fingerprint);
  });

  it('exit 2 on usage and configuration errors, with a clear message', () => {
    const d = tmp();
    writeFileSync(join(d, 'x.sql'), 'SELECT 1;');
    expect(cli(['check', '--format', 'xml', d]).stderr).toMatch(/unknown format 'xml'/);
    expect(cli(['check', '--format', 'xml', d]).status).toBe(2);
    expect(cli(['check', '--dialect', 'oracle', d]).status).toBe(2);
    expect(cli(['check', join(d, 'missing.sql')]).stderr).toMatch(/no such file or directory/);
    expect(cli(['check']).status).toBe(2);
    expect(cli(['lint', d]).status).toBe(2);
    writeFileSync(join(d, 'bad.yml'), 'rules:\n  drop-tabel: off\n');
    const r = cli(['check', '--config', join(d, 'bad.yml'), d]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown rule id\(s\): drop-tabel/);
    writeFileSync(join(d, 'bad2.yml'), 'polcy: {}\n');
    expect(cli(['check', '--config', join(d, 'bad2.yml'), d]).status).toBe(2);
  });

  it('config can turn a rule off and the down policy can gate down migrations', () => {
    const d = tmp();
    writeFileSync(join(d, '0003_x.down.sql'), 'DROP TABLE t;\n');
    expect(cli(['check', d]).status).toBe(0); // down migrations report, not gate, by default
    writeFileSync(join(d, 'gate.yml'), 'down: gate\n');
    expect(cli(['check', '--config', join(d, 'gate.yml'), d]).status).toBe(1);
    writeFileSync(join(d, 'off.yml'), 'down: gate\nrules:\n  drop-table: off\n');
    expect(cli(['check', '--config', join(d, 'off.yml'), d]).status).toBe(0);
  });

  it('sarif and markdown formats', () => {
    const d = tmp();
    writeFileSync(join(d, 'g.sql'), 'GRANT ALL ON t TO PUBLIC;\n');
    const s = JSON.parse(cli(['check', '--format', 'sarif', d]).stdout);
    expect(s.version).toBe('2.1.0');
    expect(s.runs[0].results[0].ruleId).toBe('grant');
    expect(s.runs[0].results[0].partialFingerprints).toBeTruthy();
    expect(cli(['check', '--format', 'markdown', d]).stdout).toMatch(/\| File \|/);
  });

  it('the demo examples show each category the README promises', () => {
    const r = cli(['check', '--format', 'json', 'examples']);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout);
    const ids = new Set(j.findings.map((f: any) => f.ruleId));
    for (const id of ['drop-column', 'alter-column-type', 'drop-table', 'update-without-where', 'hardcoded-password', 'grant', 'security-definer', 'dynamic-sql', 'mysql-file-access', 'delete-without-where', 'python-dynamic-sql']) expect(ids).toContain(id);
    const kinds = Object.fromEntries(j.files.map((f: any) => [f.path.split('/').pop(), f.kind]));
    expect(kinds).toMatchObject({ 'alembic.ini': 'config', 'env.py': 'python', '3f2a9c1d7b44_drop_legacy_tokens.py': 'alembic', 'migration.sql': 'prisma' });
    // The Alembic template URL is a placeholder, env.py reading its config is not execution.
    expect(j.findings.filter((f: any) => /alembic\.ini$|env\.py$/.test(f.path))).toEqual([]);
    expect(j.files.find((f: any) => f.path.endsWith('.mysql.up.sql')).dialect).toBe('mysql');
    // The init migration is clean (password_hash column, enum, comment).
    expect(j.findings.filter((f: any) => f.path.includes('20240301120000_init') && f.severity === 'error')).toEqual([]);
    // Secrets never appear.
    expect(r.stdout).not.toContain('Rep0rting-2024!');
    expect(r.stdout).not.toContain('etl-s3cret-pass');
  });
});

describe('the bundle is self-contained', () => {
  it('runs from a copy of dist/ with no node_modules, every dialect grammar included', async () => {
    const { cpSync } = await import('node:fs');
    const d = tmp();
    cpSync(join(__dirname, '..', 'dist'), join(d, 'dist'), { recursive: true });
    writeFileSync(join(d, 'm.sql'), 'CREATE TABLE `a` (`id` int);\nDELETE FROM `a`;\n');
    for (const dialect of ['mysql', 'mariadb', 'sqlite', 'postgresql']) {
      const r = spawnSync(process.execPath, [join(d, 'dist', 'cli', 'index.js'), 'check', '--format', 'json', '--dialect', dialect, join(d, 'm.sql')], { cwd: d, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      const j = JSON.parse(r.stdout);
      if (dialect !== 'postgresql') expect(j.files[0].unparsed).toBe(0);
      expect(j.findings.map((f: any) => f.ruleId)).toContain('delete-without-where');
    }
  });

  it('runs the replay worker from a copy of dist/ (engines and data directory beside it)', async () => {
    const { cpSync } = await import('node:fs');
    const d = tmp();
    cpSync(join(__dirname, '..', 'dist'), join(d, 'dist'), { recursive: true });
    // Until the engine calls replay() from the bundles: the bundled worker, driven as src/replay/index.ts drives it.
    writeFileSync(
      join(d, 'probe.mjs'),
      `import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
const dir = join(process.argv[2], 'replay');
const assets = { pgliteWasm: join(dir, 'pglite.wasm'), pgliteData: join(dir, 'pglite.data'), pgData: join(dir, 'pgdata.tar.gz'), sqliteWasm: join(dir, 'sql-wasm.wasm') };
const res = [];
for (const dialect of ['sqlite', 'postgresql']) {
  const req = { dialect, statements: [{ id: 1, sql: 'CREATE TABLE t (a int)', file: 0, judge: false }, { id: 2, sql: 'DROP TABLE t', file: 1, judge: true }] };
  res.push(await new Promise((resolve, reject) => {
    const got = [];
    const w = new Worker(join(dir, 'replay-worker.js'), { workerData: { req, assets, memoryMb: 512 }, env: {} });
    w.on('message', (m) => { got.push(m); if (m.t === 'done' || m.t === 'fatal') { w.terminate(); resolve(got); } });
    w.on('error', reject);
  }));
}
console.log(JSON.stringify(res));
`,
    );
    const r = spawnSync(process.execPath, [join(d, 'probe.mjs'), join(d, 'dist')], { cwd: d, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const [lite, pg] = JSON.parse(r.stdout) as { t: string; o?: { id: number; effects?: unknown[] } }[][];
    for (const [msgs, name] of [[lite, 'main.t'], [pg, 'public.t']] as const) {
      expect(msgs.find((m) => m.t === 'fatal')).toBeUndefined();
      expect(msgs.find((m) => m.t === 'outcome' && m.o?.id === 2)?.o?.effects).toEqual([expect.objectContaining({ change: 'dropped', object: name, preexisting: true })]);
    }
  }, 180_000);
});
