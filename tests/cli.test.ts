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
    expect(Object.keys(j).sort()).toEqual(['files', 'findings', 'history', 'replay', 'summary', 'version']);
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
    expect(r.stderr).toMatch(/unknown rule id 'drop-tabel' \(did you mean 'drop-table'\?\)/);
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
    const w = new Worker(join(dir, 'replay-worker.js'), { workerData: { assets, memoryMb: 512 }, env: {} });
    w.on('message', (m) => { got.push(m); if (m.t === 'done' || m.t === 'fatal') { w.terminate(); resolve(got); } });
    w.on('error', reject);
    w.on('exit', (code) => reject(new Error('worker exited ' + code)));
    w.postMessage({ req });
  }));
}
console.log(JSON.stringify(res));
`,
    );
    const r = spawnSync(process.execPath, [join(d, 'probe.mjs'), join(d, 'dist')], { cwd: d, encoding: 'utf8', timeout: 150_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [lite, pg] = JSON.parse(r.stdout) as { t: string; o?: { id: number; effects?: unknown[] } }[][];
    for (const [msgs, name] of [[lite, 'main.t'], [pg, 'public.t']] as const) {
      expect(msgs.find((m) => m.t === 'fatal')).toBeUndefined();
      expect(msgs.find((m) => m.t === 'outcome' && m.o?.id === 2)?.o?.effects).toEqual([expect.objectContaining({ change: 'dropped', object: name, preexisting: true })]);
    }
  }, 180_000);
});

describe('a CLI people enjoy', () => {
  const run = (args: string[], opts: { input?: string | Buffer; env?: Record<string, string | undefined>; cwd?: string } = {}) =>
    spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? join(__dirname, '..'), encoding: 'utf8', input: opts.input, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...opts.env } });

  it('`help` is a command; usage errors are short, with a "did you mean"', () => {
    const h = run(['help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/^Usage: migration-gate check/);
    const cases: [string[], RegExp][] = [
      [['chek', '.'], /unknown command 'chek' \(did you mean 'check'\?\)/],
      [['check', '--formt', 'json', '.'], /unknown option '--formt' \(did you mean '--format'\?\)/],
      [['check', '--format', 'jsno', '.'], /unknown format 'jsno' \(did you mean 'json'\?\)/],
      [['check', '--dialect', 'postgres', '.'], /unknown dialect 'postgres' \(did you mean 'postgresql'\?\)/],
      [['check', '--format', 'xml', '.'], /unknown format 'xml' \(one of text, json, sarif, markdown\)/],
    ];
    for (const [args, re] of cases) {
      const r = run(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trim().split('\n')).toHaveLength(2); // the error and "Run 'migration-gate help'"
    }
  });

  it('a directory with no migrations is a usage error (exit 2), not a silent pass', () => {
    const d = tmp();
    const r = run(['check', d]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no migration files in this directory \(it is empty\)/);
    writeFileSync(join(d, 'notes.txt'), 'DROP TABLE t;');
    expect(run(['check', d]).stderr).toMatch(/1 file\(s\), none matching the default globs/);
  });

  it('an unwritable -o path is a one-line error, never a stack trace', () => {
    const d = tmp();
    writeFileSync(join(d, 'a.sql'), 'SELECT 1;\n');
    const r = run(['check', '-o', join(d, 'no', 'such', 'dir', 'out.json'), '--format', 'json', d]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^migration-gate: cannot write the report to .*out\.json: its directory does not exist\n$/);
    expect(run(['check', '-o', d, d]).stderr).toMatch(/it is a directory\n$/);
  });

  it('reads one migration from standard input (`check -`), named by --stdin-filename, in the given dialect', () => {
    const a = run(['check', '--format', 'json', '-'], { input: 'ALTER TABLE users DROP COLUMN email;\n' });
    expect(a.status).toBe(1);
    const ja = JSON.parse(a.stdout);
    expect(ja.files[0]).toMatchObject({ path: 'stdin.sql', kind: 'sql', dialect: 'postgresql' });
    expect(ja.findings[0]).toMatchObject({ ruleId: 'drop-column', path: 'stdin.sql', line: 1 });
    const b = run(['check', '--format', 'json', '--dialect', 'mysql', '--stdin-filename', 'db/V2__x.sql', '-'], { input: 'DELETE FROM `a`;\n' });
    const jb = JSON.parse(b.stdout);
    expect(jb.files[0]).toMatchObject({ path: 'db/V2__x.sql', dialect: 'mysql', unparsed: 0 });
    expect(jb.findings.map((f: any) => f.ruleId)).toContain('delete-without-where');
    const py = 'from alembic import op\nrevision = "a1"\ndown_revision = None\ndef upgrade():\n    op.drop_table("users")\ndef downgrade():\n    pass\n';
    const c = JSON.parse(run(['check', '--format', 'json', '--stdin-filename', 'alembic/versions/a1_drop.py', '-'], { input: py }).stdout);
    expect(c.files[0].kind).toBe('alembic');
    expect(c.findings.map((f: any) => f.ruleId)).toContain('drop-table');
    expect(run(['check', '--stdin-filename', 'x.sql', '.']).stderr).toMatch(/--stdin-filename needs '-'/);
  });

  it('decodes UTF-16 files with a byte-order mark (LE and BE) as editors save them', () => {
    const d = tmp();
    const sql = 'CREATE TABLE a (id int);\r\nDROP TABLE users;\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sql, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    writeFileSync(join(d, 'V1__le.sql'), le);
    writeFileSync(join(d, 'V2__be.sql'), be);
    const j = JSON.parse(run(['check', '--format', 'json', d]).stdout);
    const drops = j.findings.filter((f: any) => f.ruleId === 'drop-table').map((f: any) => [f.path.split('/').pop(), f.line, f.column]);
    expect(drops).toEqual([['V1__le.sql', 2, 1], ['V2__be.sql', 2, 1]]);
    expect(j.findings.filter((f: any) => f.ruleId === 'parse-error')).toEqual([]);
  });

  it('text output: aligned columns, a code frame with a caret, the fix, the rule link, [needs approval]', () => {
    const d = tmp();
    writeFileSync(join(d, 'x.sql'), 'CREATE TABLE t (id int);\nALTER TABLE users\n    DROP COLUMN email;\nCREATE INDEX i ON users (id);\n');
    const r = run(['check', d]);
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n');
    const head = lines.findIndex((l) => /drop-column/.test(l));
    expect(lines[head]).toMatch(/^ {2}3:5 {3}error {4}drop-column +Drops column users\.email.*\[needs approval: destructive\]$/);
    const idx = lines.findIndex((l) => /create-index-non-concurrent/.test(l));
    expect(lines[idx]).toMatch(/^ {2}4:19 {2}warning {2}create-index-non-concurrent {2}Builds index/);
    expect(lines[head].indexOf('Drops column')).toBe(lines[idx].indexOf('Builds index')); // aligned
    expect(lines[head + 1]).toBe('        3 │ DROP COLUMN email');
    expect(lines[head + 2]).toBe('          │ ^');
    expect(lines[head + 3]).toMatch(/^ {8}fix: Deploy code that no longer uses the column first/);
    expect(lines[head + 4]).toBe('        docs: https://github.com/migration-gate/migration-gate/blob/main/docs/rules/drop-column.md');
    expect(r.stdout).toMatch(/create-index-non-concurrent {2}.*\[reported only\]/);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it("the snippet shows the finding's own line of a multi-line statement (Prisma example, line 9)", () => {
    const r = run(['check', 'examples/prisma']);
    const lines = r.stdout.split('\n');
    // (info since the set is replayed as one: integer → bigint widens the column the init migration made)
    const at = lines.findIndex((l) => /^ {2}9:\d+ +\w+ +alter-column-type/.test(l));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/9 │ ALTER COLUMN "amountCents" SET DATA TYPE BIGINT/);
  });

  it('a secret is never shown in the code frame (the masked snippet is shown instead)', () => {
    const r = run(['check', '-'], { input: "CREATE ROLE app LOGIN PASSWORD 'Sup3r-Secret-Value!';\n" });
    expect(r.stdout).not.toContain('Sup3r-Secret-Value');
    expect(r.stdout).toMatch(/PASSWORD 'Su…\(19 chars\)'/);
  });

  it('colour: FORCE_COLOR forces it, NO_COLOR and TERM=dumb turn it off', async () => {
    const { useColor } = await import('../src/cli/main.js');
    expect(useColor({}, true)).toBe(true);
    expect(useColor({}, false)).toBe(false);
    expect(useColor({ NO_COLOR: '1' }, true)).toBe(false);
    expect(useColor({ NO_COLOR: '1', FORCE_COLOR: '1' }, false)).toBe(false);
    expect(useColor({ TERM: 'dumb' }, true)).toBe(false);
    expect(useColor({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(useColor({ FORCE_COLOR: '0' }, true)).toBe(false);
    const d = tmp();
    writeFileSync(join(d, 'x.sql'), 'DROP TABLE t;\n');
    expect(run(['check', d], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } }).stdout).toMatch(/\x1b\[31merror/);
    expect(run(['check', '-o', join(d, 'out.txt'), d], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } }).status).toBe(1);
  });
});
