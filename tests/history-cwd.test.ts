// The CLI run from inside a migration set: paths are lifted (`../<dir>/…`, src/cli/lift.ts) as far
// as the planners need to see what they see from the top, so the history does not vanish.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { liftView, maxLift, MAX_LIFT_NO_GIT } from '../src/cli/lift.js';
import { historyPaths, type TreeView } from '../src/history/collect.js';
import { planHistory } from '../src/history/index.js';
import { main } from '../src/cli/main.js';

const root = mkdtempSync(join(tmpdir(), 'mg-cwd-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
/** A project tree; `git: true` marks it as a work tree root (a `.git` folder: the top of the lifting). */
function tree(files: Record<string, string>, git = true): string {
  const d = mkdtempSync(join(root, 't-'));
  if (git) mkdirSync(join(d, '.git'));
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

async function json(args: string[], cwd: string) {
  const r = await cli(['check', '--format', 'json', ...args], cwd);
  if (r.code === 2) throw new Error(r.err);
  return JSON.parse(r.out);
}

type Finding = { ruleId: string; file: string; message: string };
const paths = (j: any): string[] => j.files.map((f: any) => f.path);
const rules = (j: any): string[] => j.findings.map((f: Finding) => f.ruleId).sort();

const prisma = {
  'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n',
  'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
  'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE users (id int PRIMARY KEY, email text);\n',
  'prisma/migrations/20240102000000_more/migration.sql': 'ALTER TABLE users ADD COLUMN name text;\n',
  'prisma/migrations/20240103000000_drop/migration.sql': 'DROP TABLE users;\n',
};

describe('CLI run inside a migration set', () => {
  it('Prisma: a file given from inside migrations/ has the set as history, under ../migrations/ paths', async () => {
    const d = tree(prisma);
    const fromRoot = await json(['prisma/migrations/20240103000000_drop/migration.sql'], d);
    expect(fromRoot.history).toEqual([expect.objectContaining({ framework: 'prisma', root: 'prisma/migrations', dialect: 'postgresql', before: 2 })]);
    const inside = await json(['20240103000000_drop/migration.sql'], join(d, 'prisma/migrations'));
    expect(inside.history).toEqual([expect.objectContaining({ framework: 'prisma', root: '../migrations', dialect: 'postgresql', before: 2, last: '../migrations/20240102000000_more/migration.sql' })]);
    expect(paths(inside)).toEqual(['../migrations/20240103000000_drop/migration.sql']);
    // Judged with its history: the same findings as from the root, and the table it drops exists in the replay.
    expect(rules(inside)).toEqual(rules(fromRoot));
    // (Without lifting: no history, judged statically alone.)
    expect(inside.replay).toEqual([expect.objectContaining({ engine: 'pglite', files: ['../migrations/20240103000000_drop/migration.sql'], history: { files: 2, statements: 2, replayed: 2 } })]);
    expect(inside.findings.map((f: Finding) => f.message)).toContain('Drops table users and all its data.');
    // --history none: no history, but the path still names the set (Prisma kind, lock file dialect).
    const none = await json(['--history', 'none', '20240103000000_drop/migration.sql'], join(d, 'prisma/migrations'));
    expect(paths(none)).toEqual(['../migrations/20240103000000_drop/migration.sql']);
    // A path through `..`, and an absolute path, are the same file under the same name.
    expect(paths(await json(['../migrations/20240103000000_drop/migration.sql'], join(d, 'prisma/migrations')))).toEqual(['../migrations/20240103000000_drop/migration.sql']);
    expect((await json([join(d, 'prisma/migrations/20240103000000_drop/migration.sql')], join(d, 'prisma/migrations'))).history).toEqual(inside.history);
  });

  it('Prisma: inside one migration folder, and `check .` / `check ..` inside migrations/: one set, not loose files', async () => {
    const d = tree(prisma);
    const deep = await json(['migration.sql'], join(d, 'prisma/migrations/20240103000000_drop'));
    expect(deep.history).toEqual([expect.objectContaining({ framework: 'prisma', root: '../../migrations', before: 2 })]);
    expect(paths(deep)).toEqual(['../../migrations/20240103000000_drop/migration.sql']);
    const dot = await json(['.'], join(d, 'prisma/migrations'));
    expect(dot.history).toEqual([expect.objectContaining({ framework: 'prisma', root: '../migrations', changed: 3, before: 0 })]);
    expect(dot.replay).toHaveLength(1); // one database for the set, each file judged after the ones before it
    const up = await json(['..'], join(d, 'prisma/migrations/20240101000000_init'));
    expect(up.history).toEqual([expect.objectContaining({ framework: 'prisma', root: '../../migrations', changed: 3 })]);
  });

  it('privileges inside migrations/: the whole set, not the one file (an object the set created needs no grant)', async () => {
    const d = tree(prisma);
    const r = await cli(['privileges', '--format', 'json', '20240103000000_drop/migration.sql'], join(d, 'prisma/migrations'));
    expect(r.code).toBe(0);
    const [set] = JSON.parse(r.out).sets;
    expect(set).toMatchObject({ set: 'prisma:../migrations', files: 3, statements: 3 });
    // Alone, DROP TABLE users needs ownership of a table the role did not create.
    expect(set.needs.map((n: { kind: string }) => n.kind)).not.toContain('ownership');
  });

  it('Prisma without a git work tree: lifted as well (the top is at most MAX_LIFT_NO_GIT levels up)', async () => {
    const d = tree(prisma, false);
    const inside = await json(['20240103000000_drop/migration.sql'], join(d, 'prisma/migrations'));
    expect(inside.history).toEqual([expect.objectContaining({ framework: 'prisma', root: '../migrations', before: 2 })]);
  });

  it('from the root or from above the set the paths are as given (no lifting)', async () => {
    const d = tree(prisma);
    const fromRoot = await json(['prisma/migrations/20240103000000_drop/migration.sql'], d);
    expect(paths(fromRoot)).toEqual(['prisma/migrations/20240103000000_drop/migration.sql']);
    expect(fromRoot.history[0].last).toBe('prisma/migrations/20240102000000_more/migration.sql');
    const above = await json(['migrations/20240103000000_drop/migration.sql'], join(d, 'prisma'));
    expect(paths(above)).toEqual(['migrations/20240103000000_drop/migration.sql']);
    expect(above.history).toEqual([expect.objectContaining({ framework: 'prisma', root: 'migrations', before: 2 })]);
    const dir = await json(['migrations'], join(d, 'prisma'));
    expect(paths(dir)[0]).toBe('migrations/20240101000000_init/migration.sql');
  });

  it('a directory that is not a set is not lifted', async () => {
    const d = tree({ 'scripts/cleanup.sql': 'DROP TABLE old_stuff;\n', 'scripts/report.sql': 'SELECT 1;\n' });
    const j = await json(['cleanup.sql'], join(d, 'scripts'));
    expect(paths(j)).toEqual(['cleanup.sql']);
    expect(j.history).toEqual([]);
    expect(paths(await json(['.'], join(d, 'scripts')))).toEqual(['cleanup.sql', 'report.sql']);
  });

  it('Django: inside an app\'s migrations/, the project (manage.py) is found and cross-app history read', async () => {
    const dj = (deps: string, ops = '[]') => `from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    dependencies = ${deps}\n    operations = ${ops}\n`;
    const d = tree({
      'manage.py': '',
      'users/__init__.py': '',
      'users/migrations/__init__.py': '',
      'users/migrations/0001_initial.py': dj('[]', '[migrations.CreateModel(name="User", fields=[("id", models.AutoField(primary_key=True))])]'),
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': dj('[("users", "0001_initial")]', '[migrations.CreateModel(name="Order", fields=[("id", models.AutoField(primary_key=True))])]'),
      'shop/migrations/0002_drop.py': dj('[("shop", "0001_initial")]', '[migrations.DeleteModel(name="Order")]'),
    });
    const fromRoot = await json(['shop/migrations/0002_drop.py'], d);
    expect(fromRoot.history).toEqual([expect.objectContaining({ framework: 'django', before: 2 })]);
    for (const [cwd, arg] of [
      ['shop/migrations', '0002_drop.py'],
      ['shop', 'migrations/0002_drop.py'],
    ]) {
      const inside = await json([arg], join(d, cwd));
      expect(inside.history, cwd).toEqual([expect.objectContaining({ framework: 'django', before: 2, problems: [] })]);
      expect(paths(inside)).toEqual([cwd === 'shop' ? '../shop/migrations/0002_drop.py' : '../../shop/migrations/0002_drop.py']);
      expect(rules(inside)).toEqual(rules(fromRoot));
      expect(rules(inside)).toContain('drop-table');
    }
    // `check .` inside migrations/: the migrations are selected (the globs see `migrations/`).
    const dot = await json(['.'], join(d, 'shop/migrations'));
    expect(dot.history).toEqual([expect.objectContaining({ framework: 'django', changed: 2, before: 1 })]);
  });

  it('Alembic: inside versions/, the script directory is the folder above', async () => {
    const d = tree({
      'alembic.ini': '[alembic]\nscript_location = alembic\n',
      'alembic/versions/a1_init.py': 'from alembic import op\nimport sqlalchemy as sa\nrevision = "a1"\ndown_revision = None\n\ndef upgrade():\n    op.create_table("t", sa.Column("id", sa.Integer))\n',
      'alembic/versions/b2_drop.py': 'from alembic import op\nrevision = "b2"\ndown_revision = "a1"\n\ndef upgrade():\n    op.drop_table("t")\n',
    });
    const fromRoot = await json(['alembic/versions/b2_drop.py'], d);
    const inside = await json(['b2_drop.py'], join(d, 'alembic/versions'));
    expect(fromRoot.history).toEqual([expect.objectContaining({ framework: 'alembic', root: 'alembic', before: 1 })]);
    expect(inside.history).toEqual([expect.objectContaining({ framework: 'alembic', root: '..', before: 1 })]);
    expect(paths(inside)).toEqual(['../versions/b2_drop.py']);
    expect(rules(inside)).toEqual(rules(fromRoot));
  });

  it('Flyway in a dialect folder: inside it, the folder still names the dialect', async () => {
    const d = tree({ 'db/mysql/V1__init.sql': 'CREATE TABLE t (id int) ENGINE=InnoDB;\n', 'db/mysql/V2__drop.sql': 'DROP TABLE t;\n' });
    const fromRoot = await json(['db/mysql/V2__drop.sql'], d);
    const inside = await json(['V2__drop.sql'], join(d, 'db/mysql'));
    expect(fromRoot.history).toEqual([expect.objectContaining({ framework: 'flyway', dialect: 'mysql', before: 1 })]);
    expect(inside.history).toEqual([expect.objectContaining({ framework: 'flyway', root: '../mysql', dialect: 'mysql', before: 1 })]);
    expect(rules(inside)).toEqual(rules(fromRoot));
  });

  it('memos: inside a version folder, the <dialect>/<version> layout is still seen', async () => {
    const d = tree({
      'store/migration/sqlite/0.1/00__init.sql': 'CREATE TABLE memo (id int);\n',
      'store/migration/sqlite/0.2/00__drop.sql': 'DROP TABLE memo;\n',
      'store/migration/sqlite/LATEST.sql': 'CREATE TABLE x (id int);\n',
    });
    const inside = await json(['00__drop.sql'], join(d, 'store/migration/sqlite/0.2'));
    expect(inside.history).toEqual([expect.objectContaining({ framework: 'memos', root: '../../sqlite', dialect: 'sqlite', before: 1 })]);
  });

  it('sqitch: inside deploy/, the plan beside it orders the changes', async () => {
    const d = tree({
      'sqitch.plan': '%syntax-version=1.0.0\n%project=p\n\na 2024-01-01T00:00:00Z X <x@y> # a\nb 2024-01-02T00:00:00Z X <x@y> # b\n',
      'sqitch.conf': '[core]\n\tengine = pg\n',
      'deploy/a.sql': 'CREATE TABLE t (id int);\n',
      'deploy/b.sql': 'DROP TABLE t;\n',
      'revert/a.sql': 'DROP TABLE t;\n',
      'revert/b.sql': 'CREATE TABLE t (id int);\n',
    });
    const inside = await json(['b.sql'], join(d, 'deploy'));
    expect(inside.history).toEqual([expect.objectContaining({ framework: 'sqitch', root: '..', before: 1 })]);
    expect(paths(inside)).toEqual(['../deploy/b.sql']);
  });
});

describe('lifting helpers', () => {
  it('liftView writes paths from the ancestor, files outside it as relative paths', () => {
    const v = liftView('/p/app/db/migrations', 2);
    expect(v.base).toBe('/p/app');
    expect(v.show('/p/app/db/migrations/x/migration.sql')).toBe('../../db/migrations/x/migration.sql');
    expect(v.show('/p/other.sql')).toBe('../../../other.sql');
    expect(liftView('/p/app/db/migrations', 0).show('/p/app/db/migrations/x.sql')).toBe('x.sql');
  });

  it('maxLift: up to the git work tree root, else at most MAX_LIFT_NO_GIT levels', () => {
    const d = tree({ 'a/b/c/x.sql': '' });
    expect(maxLift(join(d, 'a/b/c'))).toBe(3);
    expect(maxLift(d)).toBe(0);
    const n = tree({ 'a/x.sql': '' }, false);
    expect(maxLift(join(n, 'a'))).toBeLessThanOrEqual(MAX_LIFT_NO_GIT);
  });
});

describe('paths that start with ../ (the planners stay lexical)', () => {
  it('Django: the project root search stops at the top of the paths, never walks back down into the working directory', () => {
    // Paths from `app/migrations` lifted 1 level: `..` is the app. Lexically above `..` is '' (the
    // working directory itself, app/migrations): a marker there is not above the app.
    const files: Record<string, string[]> = { '..': ['migrations'], '../migrations': ['0001_initial.py', '0002_x.py', 'setup.py'], '': ['0001_initial.py', '0002_x.py', 'setup.py'] };
    const tree: TreeView = {
      list: (d) => files[d] ?? [],
      kind: (p) => (p in files ? 'dir' : /\.py$/.test(p) && (files[p.slice(0, p.lastIndexOf('/'))] ?? files['']).includes(p.slice(p.lastIndexOf('/') + 1)) ? 'file' : null),
    };
    const mig = 'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = []\n    operations = []\n';
    const { paths } = historyPaths([{ path: '../migrations/0002_x.py', content: mig }], tree, 100);
    // The project is the app ('..', no marker above it in view), walked from there: not '' (setup.py there is below).
    expect(paths).toEqual(['../migrations/0001_initial.py', '../migrations/setup.py']);
  });

  it('Liquibase: an include that climbs above a ../ changelog stays above it', () => {
    const master = '<databaseChangeLog>\n  <include file="../shared/001.sql" relativeToChangelogFile="true"/>\n</databaseChangeLog>\n';
    const sets = planHistory([
      { path: '../changelog.xml', content: master },
      { path: '../../shared/001.sql', content: '--liquibase formatted sql\n--changeset a:1\nCREATE TABLE t (id int);\n' },
    ]);
    const lb = sets.find((s) => s.framework === 'liquibase' && s.root === '..');
    expect(lb?.entries.map((e) => e.path)).toEqual(['../../shared/001.sql']);
    expect(lb?.problems).toEqual([]);
  });
});

