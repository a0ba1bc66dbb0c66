// The CLI's --history: the rest of a migration set is read from disk and reported per set.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { readHistory } from '../src/cli/history.js';
import { discoverFiles } from '../src/discover/index.js';
import { needsUnicodeNames } from '../src/python/unicode-names.js';

const root = mkdtempSync(join(tmpdir(), 'mg-hist-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
function tree(files: Record<string, string>): string {
  const d = mkdtempSync(join(root, 't-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(d, p)), { recursive: true });
    writeFileSync(join(d, p), c);
  }
  return d;
}

async function cli(args: string[], cwd: string) {
  const prev = process.cwd();
  process.chdir(cwd);
  let out = '';
  let err = '';
  try {
    const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false });
    return { code, out, err };
  } finally {
    process.chdir(prev);
  }
}

describe('CLI --history', () => {
  it('a whole set walked at once: one replay, each migration judged against the ones before it', async () => {
    const d = tree({
      'db/V1__init.sql': 'CREATE TABLE t (id int);',
      'db/V2__backfill.sql': 'ALTER TABLE t ADD COLUMN c int;\nUPDATE t SET c = 1;',
      'db/V3__drop.sql': 'ALTER TABLE t DROP COLUMN c;',
    });
    const r = await cli(['check', '--format', 'json', 'db'], d);
    const j = JSON.parse(r.out);
    // One database for the set, not one empty database per file (where V2's ALTER fails: no table t).
    expect(j.replay).toHaveLength(1);
    expect(j.replay[0]).toMatchObject({ engine: 'pglite', skippedCount: 0, judged: { statements: 4, replayed: 4 } });
    // The backfill of a column added in the same migration does not gate; the later drop of it does.
    expect(j.findings.filter((f: { ruleId: string; gating: boolean }) => f.gating).map((f: { ruleId: string }) => f.ruleId)).toEqual(['drop-column']);
  });

  it('several sets are replayed side by side (one worker per core) and reported in run order, each against its own database', async () => {
    // The first set is the slowest: finishing order is not report order. Each set names the same
    // table: a replay that leaked into another set's database would fail or change its findings.
    const slow = Array.from({ length: 40 }, (_, i) => `ALTER TABLE t ADD COLUMN c${i} int;`).join('\n');
    const d = tree({
      'a/V1__init.sql': 'CREATE TABLE t (id int);',
      'a/V2__wide.sql': slow,
      'a/V3__drop.sql': 'ALTER TABLE t DROP COLUMN c1;',
      'b/V1__init.sql': 'CREATE TABLE t (id int, b int);',
      'b/V2__drop.sql': 'ALTER TABLE t DROP COLUMN b;',
      'c/V1__init.sql': 'CREATE TABLE t (id int);\nCREATE TABLE t (id int);',
    });
    const r = await cli(['check', '--format', 'json', 'a', 'b', 'c'], d);
    const j = JSON.parse(r.out);
    expect(j.replay.map((x: { files: string[] }) => x.files[0])).toEqual(['a/V1__init.sql', 'b/V1__init.sql', 'c/V1__init.sql']);
    expect(j.replay.map((x: { judged: { replayed: number } }) => x.judged.replayed)).toEqual([42, 2, 1]);
    const gating = j.findings.filter((f: { gating: boolean }) => f.gating).map((f: { ruleId: string; path: string }) => `${f.path} ${f.ruleId}`);
    expect(gating).toEqual(['a/V3__drop.sql drop-column', 'b/V2__drop.sql drop-column']);
  });

  it('a CREATE OR REPLACE VIEW that leaves out the security_invoker the view had (known from the replayed history) gates', async () => {
    const d = tree({
      'db/V1__init.sql': 'CREATE TABLE accounts (id int, owner text);\nALTER TABLE accounts ENABLE ROW LEVEL SECURITY;\nCREATE VIEW accounts_v WITH (security_invoker = true) AS SELECT id FROM accounts;',
      'db/V2__add_owner.sql': 'CREATE OR REPLACE VIEW accounts_v AS SELECT id, owner FROM accounts;',
      'db/V3__keep.sql': 'CREATE OR REPLACE VIEW accounts_v WITH (security_invoker = true) AS SELECT id, owner, 1 AS v FROM accounts;',
    });
    const r = await cli(['check', '--format', 'json', 'db/V2__add_owner.sql', 'db/V3__keep.sql'], d);
    const j = JSON.parse(r.out);
    const hits = j.findings.filter((f: { ruleId: string }) => f.ruleId === 'view-security-off');
    expect(hits.map((f: { path: string; line: number; gating: boolean }) => [f.path, f.line, f.gating])).toEqual([['db/V2__add_owner.sql', 1, true]]);
    expect(hits[0].message).toMatch(/without security_invoker, which it had/);
  });

  it('DROP INDEX of a unique index made by the history (Prisma @unique) is drop-constraint; of a plain one, nothing', async () => {
    const d = tree({
      'db/V1__init.sql': 'CREATE TABLE "User" (id int, email text, name text);\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");\nCREATE INDEX "User_name_idx" ON "User"("name");',
      'db/V2__relax.sql': 'DROP INDEX "User_email_key";\nDROP INDEX "User_name_idx";',
      'db/V3__redo.sql': 'CREATE UNIQUE INDEX "User_name_key" ON "User"("name");\nDROP INDEX "User_name_key";',
      'static.yml': 'replay: false\n',
    });
    const r = await cli(['check', '--format', 'json', 'db/V2__relax.sql', 'db/V3__redo.sql'], d);
    const j = JSON.parse(r.out);
    const hits = j.findings.filter((f: { ruleId: string }) => f.ruleId === 'drop-constraint');
    expect(hits.map((f: { path: string; line: number; severity: string }) => [f.path, f.line, f.severity])).toEqual([
      ['db/V2__relax.sql', 1, 'warning'],
      ['db/V3__redo.sql', 2, 'info'],
    ]);
    expect(hits[0].message).toMatch(/Drops unique index "?User_email_key"?: unless another unique index or constraint covers its columns, duplicate values can be written/);
    // Without the replay the index's uniqueness is not known: no report for the history's index.
    const off = JSON.parse((await cli(['check', '--format', 'json', '--config', 'static.yml', 'db/V2__relax.sql'], d)).out);
    expect(off.findings.filter((f: { ruleId: string }) => f.ruleId === 'drop-constraint')).toEqual([]);
  });

  it('a file inside a Flyway set: the earlier versions (numeric order) are its history', async () => {
    const d = tree({ 'db/V1_10__ten.sql': 'SELECT 1;', 'db/V1_2__two.sql': 'CREATE TABLE t (id int);', 'db/V1_1__one.sql': 'CREATE TABLE u (id int);', 'db/V1_11__eleven.sql': 'SELECT 1;' });
    const prev = process.cwd();
    process.chdir(d);
    try {
      const h = await readHistory(discoverFiles(['db/V1_10__ten.sql']));
      expect(h.history.map((f) => f.path)).toEqual(['db/V1_1__one.sql', 'db/V1_2__two.sql']);
    } finally {
      process.chdir(prev);
    }
    const r = await cli(['check', '--format', 'json', 'db/V1_10__ten.sql'], d);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.history).toEqual([{ framework: 'flyway', root: 'db', changed: 1, before: 2, last: 'db/V1_2__two.sql', problems: [] }]);
    expect(j.files.map((f: any) => f.path)).toEqual(['db/V1_10__ten.sql']); // history is not judged
    const none = JSON.parse((await cli(['check', '--format', 'json', '--history', 'none', 'db/V1_10__ten.sql'], d)).out);
    expect(none.history).toBeUndefined();
    expect((await cli(['check', '--history', 'sometimes', 'db/V1_10__ten.sql'], d)).code).toBe(2);
  });

  it('Django: cross-app history from the project, problems reported', async () => {
    const dj = (deps: string) => `from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = ${deps}\n    operations = []\n`;
    const d = tree({
      'manage.py': '',
      'proj/settings.py': 'AUTH_USER_MODEL = "users.User"\n',
      'users/migrations/__init__.py': '',
      'users/migrations/0001_initial.py': dj('[]'),
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': dj('[migrations.swappable_dependency(settings.AUTH_USER_MODEL), ("contenttypes", "0002_x")]'),
      'shop/migrations/0002_more.py': dj('[("shop", "0001_initial")]'),
    });
    const j = JSON.parse((await cli(['check', '--format', 'json', 'shop/migrations/0002_more.py'], d)).out);
    expect(j.history).toHaveLength(1);
    expect(j.history[0]).toMatchObject({ framework: 'django', changed: 1, before: 2, last: 'shop/migrations/0001_initial.py' });
    expect(j.history[0].problems.map((p: any) => p.kind)).toEqual(['external']);
  });

  it('a directory: every file judged, no history beyond it; a file outside any set: none', async () => {
    const d = tree({ 'm/1_a.up.sql': 'CREATE TABLE a (id int);', 'm/2_b.up.sql': 'SELECT 1;', 'scripts/fix.sql': 'SELECT 1;' });
    const j = JSON.parse((await cli(['check', '--format', 'json', 'm'], d)).out);
    expect(j.history).toEqual([{ framework: 'golang-migrate', root: 'm', changed: 2, before: 0, problems: [] }]);
    const k = JSON.parse((await cli(['check', '--format', 'json', 'scripts/fix.sql'], d)).out);
    expect(k.history).toEqual([{ framework: 'numbered', root: 'scripts', changed: 1, before: 0, problems: [] }].filter(() => false));
  });
});

describe('the Unicode name table (a lazily loaded chunk)', () => {
  it('is loaded before a history file with \\N{…} is read: the chain is followed through the decoded revision id', async () => {
    const d = tree({
      'migrations/versions/1_first.py': 'revision = "\\N{LATIN SMALL LETTER A}1"\ndown_revision = None\n\ndef upgrade():\n    pass\n',
      'migrations/versions/2_second.py': 'revision = "b2"\ndown_revision = "a1"\n\ndef upgrade():\n    pass\n',
    });
    const prev = process.cwd();
    process.chdir(d);
    try {
      const h = await readHistory(discoverFiles(['migrations/versions/2_second.py']));
      expect(h.history.map((f) => f.path)).toEqual(['migrations/versions/1_first.py']);
    } finally {
      process.chdir(prev);
    }
  });

  it('needsUnicodeNames: only .py files whose bytes hold N{', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(needsUnicodeNames([{ path: 'a/1.py', content: enc('x = "\\N{BEL}"') }])).toBe(true);
    expect(needsUnicodeNames([{ path: 'a/1.PY', content: 'x = "\\N{BEL}"' }])).toBe(true);
    expect(needsUnicodeNames([{ path: 'a/1.sql', content: enc("SELECT E'\\N{BEL}';") }])).toBe(false);
    expect(needsUnicodeNames([{ path: 'a/1.py', content: enc('x = "\\N"') }])).toBe(false);
    expect(needsUnicodeNames([])).toBe(false);
  });
});
