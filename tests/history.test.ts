// History discovery (src/history): each framework's own order, the traps (Flyway 1_2 < 1_10,
// Alembic merges and file names that do not follow the chain, Django cross-app dependencies and
// squashed migrations, memos 0.10 after 0.9, pop's per-dialect sets) and problems, never throws.
import { describe, expect, it } from 'vitest';
import { historyFor, planHistory, type MigrationSet } from '../src/history/index.js';
import type { SourceFile } from '../src/types.js';

const files = (m: Record<string, string>): SourceFile[] => Object.entries(m).map(([path, content]) => ({ path, content }));
const order = (s: MigrationSet) => s.entries.map((e) => e.path.split('/').at(-1));
const one = (m: Record<string, string>) => {
  const sets = planHistory(files(m));
  expect(sets).toHaveLength(1);
  return sets[0];
};
const kinds = (s: MigrationSet) => s.problems.map((p) => p.kind);

describe('SQL frameworks', () => {
  it('Prisma: folder-name order, dialect from migration_lock.toml', () => {
    const s = one({
      'prisma/migrations/20240102000000_b/migration.sql': 'ALTER TABLE a ADD b int;',
      'prisma/migrations/20240101000000_a/migration.sql': 'CREATE TABLE a (id int);',
      'prisma/migrations/migration_lock.toml': 'provider = "mysql"\n',
    });
    expect(s).toMatchObject({ framework: 'prisma', root: 'prisma/migrations', dialect: 'mysql' });
    expect(s.entries.map((e) => e.id)).toEqual(['20240101000000_a', '20240102000000_b']);
  });

  it('Flyway: versions part-wise numeric (V1_2 < V1_10, V1.9 < V1.10), gaps allowed, undo as down, repeatables last by description', () => {
    const s = one({
      'db/V1_10__ten.sql': '',
      'db/V1_2__two.sql': '',
      'db/V1_1__one.sql': '',
      'db/V2__two.sql': '',
      'db/V1.9.1__nine.sql': '',
      'db/U1_2__undo_two.sql': '',
      'db/R__b_view.sql': '',
      'db/R__a_func.sql': '',
    });
    expect(s.framework).toBe('flyway');
    expect(s.entries.map((e) => `${e.role}:${e.path.slice(3)}`)).toEqual([
      'up:V1_1__one.sql',
      'up:V1_2__two.sql',
      'down:U1_2__undo_two.sql',
      'up:V1.9.1__nine.sql',
      'up:V1_10__ten.sql',
      'up:V2__two.sql',
      'up:R__a_func.sql',
      'up:R__b_view.sql',
    ]);
    expect(s.problems).toEqual([]);
  });

  it('Flyway: the suffix is matched case-insensitively, the prefix case-sensitively (ResourceNameParser)', () => {
    // flyway-core …/internal/resource/ResourceNameParser.java: stripSuffix compares toUpperCase(),
    // findPrefix uses startsWith. `V2__b.SQL` is migration 2; `v3__c.sql` is not a Flyway migration.
    const s = one({ 'db/V1__a.sql': '', 'db/V2__b.SQL': '', 'db/R__c.Sql': '' });
    expect(s.framework).toBe('flyway');
    expect(s.entries.map((e) => e.path.slice(3))).toEqual(['V1__a.sql', 'V2__b.SQL', 'R__c.Sql']);
  });

  it('Flyway: the same version twice (1.1 and 1_1.0) is a duplicate problem', () => {
    const s = one({ 'db/V1_1__a.sql': '', 'db/V1.1.0__b.sql': '' });
    expect(kinds(s)).toEqual(['duplicate']);
  });

  it('golang-migrate: numeric versions (9 before 10), down after its up, duplicates reported', () => {
    const s = one({ 'm/10_b.up.sql': '', 'm/9_a.up.sql': '', 'm/9_a.down.sql': '', 'm/10_b.down.sql': '', 'm/10_c.up.sql': '' });
    expect(s.framework).toBe('golang-migrate');
    expect(order(s)).toEqual(['9_a.up.sql', '9_a.down.sql', '10_b.up.sql', '10_b.down.sql']);
    expect(kinds(s)).toEqual(['duplicate']);
  });

  it('goose (by its marker): numeric versions; timestamps', () => {
    const s = one({ 'm/20240102_b.sql': '-- +goose Up\nSELECT 1;', 'm/3_a.sql': '-- +goose Up\nSELECT 1;\n-- +goose Down\n', 'm/20240101_c.sql': '-- +goose Up\n' });
    expect(s.framework).toBe('goose');
    expect(order(s)).toEqual(['3_a.sql', '20240101_c.sql', '20240102_b.sql']);
  });

  it('dbmate and Supabase: file-name order', () => {
    expect(one({ 'db/migrations/2_b.sql': '-- migrate:up\n', 'db/migrations/1_a.sql': '-- migrate:up\n' })).toMatchObject({ framework: 'dbmate' });
    const s = one({ 'supabase/migrations/20240102_b.sql': '', 'supabase/migrations/20240101_a.sql': '' });
    expect(s.framework).toBe('supabase');
    expect(order(s)).toEqual(['20240101_a.sql', '20240102_b.sql']);
  });

  it('plain numbered directory: numeric prefix (0009 < 00010), dashes allowed', () => {
    const s = one({ 'm/00010-ten.sql': '', 'm/0009-nine.sql': '', 'm/0001-one.sql': '' });
    expect(s.framework).toBe('numbered');
    expect(order(s)).toEqual(['0001-one.sql', '0009-nine.sql', '00010-ten.sql']);
  });

  it('ory/pop: one set per dialect; a dialect file wins over the dialect-less one of the same version', () => {
    const sets = planHistory(
      files({
        'sql/1_a.postgres.up.sql': '',
        'sql/1_a.sqlite3.up.sql': '',
        'sql/2_b.up.sql': '',
        'sql/2_b.postgres.up.sql': '',
        'sql/2_b.postgres.down.sql': '',
        'sql/3_c.cockroach.up.sql': '',
      }),
    );
    expect(sets.map((s) => `${s.framework}:${s.variant}:${s.dialect}`)).toEqual(['pop:cockroach:postgresql', 'pop:postgres:postgresql', 'pop:sqlite3:sqlite']);
    expect(order(sets[1])).toEqual(['1_a.postgres.up.sql', '2_b.postgres.up.sql', '2_b.postgres.down.sql']);
    expect(order(sets[2])).toEqual(['1_a.sqlite3.up.sql', '2_b.up.sql']);
  });

  it('memos: version folders compared as versions (0.10 after 0.9), then NN; LATEST.sql is not history', () => {
    const s = one({
      'store/migration/sqlite/0.10/00__ten.sql': '',
      'store/migration/sqlite/0.9/01__nine_b.sql': '',
      'store/migration/sqlite/0.9/00__nine_a.sql': '',
      'store/migration/sqlite/0.2/00__two.sql': '',
      'store/migration/sqlite/LATEST.sql': 'CREATE TABLE everything (id int);',
    });
    expect(s).toMatchObject({ framework: 'memos', root: 'store/migration/sqlite', dialect: 'sqlite' });
    expect(s.entries.map((e) => e.id)).toEqual(['0.2/00', '0.9/00', '0.9/01', '0.10/00']);
    expect(s.entries.some((e) => e.path.endsWith('LATEST.sql'))).toBe(false);
    expect(kinds(s)).toEqual(['note']);
  });

  it('sqitch: plan order, reworked change keeps its old scripts as name@tag', () => {
    const s = one({
      'db/sqitch.plan': '%syntax-version=1.0.0\n%project=x\n\nusers 2024-01-01T00:00:00Z a <a@x> # users\nzflags [users] 2024-01-01T00:00:00Z a <a@x>\n@v1 2024-01-01T00:00:00Z a <a@x>\nusers [users@v1] 2024-01-02T00:00:00Z a <a@x>\n',
      'db/deploy/users.sql': '',
      'db/deploy/users@v1.sql': '',
      'db/revert/users@v1.sql': '',
      'db/deploy/zflags.sql': '',
      'db/verify/zflags.sql': '',
    });
    expect(s.framework).toBe('sqitch');
    expect(s.entries.map((e) => `${e.role}:${e.path.slice(3)}`)).toEqual(['up:deploy/users@v1.sql', 'down:revert/users@v1.sql', 'up:deploy/zflags.sql', 'verify:verify/zflags.sql', 'up:deploy/users.sql']);
  });

  it('Drizzle: the journal order, not the file names', () => {
    const s = one({
      'drizzle/meta/_journal.json': JSON.stringify({ dialect: 'postgresql', entries: [{ idx: 0, tag: '0000_b' }, { idx: 1, tag: '0000_a' }] }),
      'drizzle/0000_a.sql': '',
      'drizzle/0000_b.sql': '',
    });
    expect(s).toMatchObject({ framework: 'drizzle', dialect: 'postgresql' });
    expect(order(s)).toEqual(['0000_b.sql', '0000_a.sql']);
  });

  it('Liquibase formatted SQL: master changelog order; without one, file-name order', () => {
    const s = one({
      'db/changelog.xml': '<databaseChangeLog><include file="b.sql" relativeToChangelogFile="true"/><include file="a.sql" relativeToChangelogFile="true"/></databaseChangeLog>',
      'db/a.sql': '--liquibase formatted sql\n',
      'db/b.sql': '--liquibase formatted sql\n',
    });
    expect(order(s)).toEqual(['b.sql', 'a.sql']);
    const t = one({ 'db/b.sql': '--liquibase formatted sql\n', 'db/a.sql': '-- liquibase formatted sql\n' });
    expect(t.framework).toBe('liquibase');
    expect(order(t)).toEqual(['a.sql', 'b.sql']);
  });
});

const alembic = (rev: string, down: string, extra = '') => `"""msg\n\nRevision ID: ${rev}\n"""\nfrom alembic import op\n\nrevision = "${rev}"\ndown_revision = ${down}\n${extra}\n\ndef upgrade():\n    op.execute("revision = 'zzz'")\n`;

describe('Alembic', () => {
  it('follows down_revision, not file names; a merge revision comes after both parents', () => {
    const s = one({
      'alembic/versions/a_merge.py': alembic('m1', '("b1", "c1")'),
      'alembic/versions/z_base.py': alembic('base', 'None'),
      'alembic/versions/y_b1.py': alembic('b1', '"base"'),
      'alembic/versions/b_c1.py': alembic('c1', "'base'"),
      'alembic/versions/c_after.py': alembic('after', '"m1"'),
      'alembic/env.py': 'from alembic import context\n',
    });
    expect(s).toMatchObject({ framework: 'alembic', root: 'alembic' });
    const ids = s.entries.map((e) => e.id);
    expect(ids[0]).toBe('base');
    expect(ids.slice(-2)).toEqual(['m1', 'after']);
    expect(new Set(ids.slice(1, 3))).toEqual(new Set(['b1', 'c1']));
    // Documented tie-break: branches in file-name order of their revisions (b_c1.py before y_b1.py).
    expect(ids.slice(1, 3)).toEqual(['c1', 'b1']);
    expect(s.problems).toEqual([]);
  });

  it('annotated assignments, depends_on and branch labels', () => {
    const s = one({
      'v/versions/1.py': alembic('r1', 'None', 'branch_labels = ("shared",)'),
      'v/versions/2.py': alembic('x1', 'None', 'branch_labels = ("other",)\ndepends_on = "shared"').replace('down_revision = None', 'down_revision: Union[str, None] = None'),
      'v/versions/3.py': alembic('r2', '"r1"'),
    });
    const ids = s.entries.map((e) => e.id);
    expect(ids.indexOf('r1')).toBeLessThan(ids.indexOf('x1'));
    expect(ids.indexOf('r1')).toBeLessThan(ids.indexOf('r2'));
    expect(s.problems.filter((p) => p.kind !== 'note')).toEqual([]);
  });

  it('cycles, missing parents and duplicate revisions are problems, not exceptions', () => {
    const s = one({
      'v/versions/a.py': alembic('a', '"b"'),
      'v/versions/b.py': alembic('b', '"a"'),
      'v/versions/c.py': alembic('c', '"nowhere"'),
      'v/versions/d.py': alembic('c', 'None'),
      'v/versions/e.py': 'revision = make_id()\ndown_revision = None\n',
    });
    expect(kinds(s).sort()).toEqual(['cycle', 'duplicate', 'missing', 'unreadable']);
    expect(s.entries.map((e) => e.id).sort()).toEqual(['a', 'b', 'c']);
  });
});

const dj = (deps: string, extra = '') => `from django.conf import settings\nfrom django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    dependencies = ${deps}\n${extra}\n    operations = [\n        migrations.RunSQL("dependencies = []"),\n    ]\n`;

describe('Django', () => {
  it('one global order across apps: cross-app dependencies, __first__, swappable user model from settings, run_before', () => {
    const s = one({
      'proj/shop/migrations/0001_initial.py': dj('[("accounts", "0002_profile")]'),
      'proj/shop/migrations/0002_order.py': dj('[("shop", "0001_initial"), migrations.swappable_dependency(settings.AUTH_USER_MODEL)]'),
      'proj/accounts/migrations/0001_initial.py': dj('[]'),
      'proj/accounts/migrations/0002_profile.py': dj('[("accounts", "0001_initial")]'),
      'proj/accounts/migrations/0003_late.py': dj('[("accounts", "0002_profile")]'),
      'proj/blog/migrations/0001_initial.py': dj('[("shop", "__first__")]', '    run_before = [("accounts", "0003_late")]'),
      'proj/blog/migrations/helpers.py': 'def f(): pass\n',
      'proj/settings.py': 'AUTH_USER_MODEL = "accounts.User"\n',
    });
    expect(s.framework).toBe('django');
    expect(s.root).toBe('proj');
    const ids = s.entries.map((e) => e.id);
    const before = (a: string, b: string) => expect(ids.indexOf(a), `${a} before ${b}`).toBeLessThan(ids.indexOf(b));
    before('accounts.0002_profile', 'shop.0001_initial');
    before('shop.0001_initial', 'blog.0001_initial');
    before('blog.0001_initial', 'accounts.0003_late');
    before('accounts.0001_initial', 'shop.0002_order');
    expect(ids).toHaveLength(6);
    // Django's migration_plan over sorted leaf nodes: accounts' leaf first.
    expect(ids).toEqual(['accounts.0001_initial', 'accounts.0002_profile', 'shop.0001_initial', 'blog.0001_initial', 'accounts.0003_late', 'shop.0002_order']);
    expect(s.problems).toEqual([]);
  });

  it('app labels from the migrations themselves (wagtail/migrations is wagtailcore)', () => {
    const s = one({
      'wagtail/migrations/0001_initial.py': dj('[]'),
      'wagtail/migrations/0002_x.py': dj('[("wagtailcore", "0001_initial")]'),
      'wagtail/images/migrations/0001_initial.py': dj('[("wagtailcore", "0002_x")]'),
    });
    expect(s.entries.map((e) => e.id)).toEqual(['wagtailcore.0001_initial', 'wagtailcore.0002_x', 'images.0001_initial']);
  });

  it('squashed migration used in place of the replaced ones; references to replaced ones (and a renamed app) point at it', () => {
    const m = {
      'a/core/migrations/0001_initial.py': dj('[]'),
      'a/core/migrations/0002_b.py': dj('[("core", "0001_initial")]'),
      'a/core/migrations/0001_squashed_0002_b.py': dj('[]', '    replaces = [("core", "0001_initial"), ("core", "0002_b")]'),
      'a/core/migrations/0003_c.py': dj('[("core", "0002_b")]'),
      'a/users/migrations/0001_initial.py': dj('[("oldusers", "0001_initial")]', '    replaces = [("oldusers", "0001_initial")]'),
      'a/users/migrations/0002_x.py': dj('[("users", "0001_initial"), ("core", "0001_initial"), ("oldusers", "0001_initial")]'),
    };
    const s = one(m);
    expect(s.entries.map((e) => e.id)).toEqual(['core.0001_squashed_0002_b', 'core.0003_c', 'users.0001_initial', 'users.0002_x']);
    expect(kinds(s)).toEqual(['note']);
    // A replaced migration under review keeps the replaced chain (it only runs where part of it was applied).
    const [t] = planHistory(files(m), { changed: ['a/core/migrations/0002_b.py'] });
    expect(t.entries.map((e) => e.id)).toEqual(['core.0001_initial', 'core.0002_b', 'core.0003_c', 'users.0001_initial', 'users.0002_x']);
    expect(historyFor(['a/core/migrations/0002_b.py'], [t])[0].before).toEqual(['a/core/migrations/0001_initial.py']);
  });

  it('missing dependency, external app, unresolved swappable, cycle: problems', () => {
    const s = one({
      'p/x/migrations/0001_initial.py': dj('[("x", "0002_b"), ("auth", "0012_x"), migrations.swappable_dependency(settings.AUTH_USER_MODEL)]'),
      'p/x/migrations/0002_b.py': dj('[("x", "0001_initial"), ("x", "0009_gone")]'),
    });
    expect(kinds(s).sort()).toEqual(['cycle', 'external', 'missing', 'unresolved']);
    expect(s.entries).toHaveLength(2);
  });
});

describe('historyFor', () => {
  const sets = planHistory(files({ 'm/1_a.up.sql': '', 'm/1_a.down.sql': '', 'm/2_b.up.sql': '', 'm/3_c.up.sql': '', 'm/4_d.up.sql': '', 'other/x.sql': '' }));
  it('before, changed and the interleaved run', () => {
    const [h] = historyFor(['m/4_d.up.sql', 'm/2_b.up.sql'], sets);
    expect(h.before).toEqual(['m/1_a.up.sql']);
    expect(h.changed).toEqual(['m/2_b.up.sql', 'm/4_d.up.sql']);
    expect(h.run.map((r) => `${r.changed ? '*' : ''}${r.path}`)).toEqual(['m/1_a.up.sql', '*m/2_b.up.sql', 'm/3_c.up.sql', '*m/4_d.up.sql']);
  });
  it('a changed down file runs after its own up', () => {
    const [h] = historyFor(['./m/1_a.down.sql'], sets);
    expect(h.before).toEqual(['m/1_a.up.sql']);
    expect(h.changed).toEqual(['m/1_a.down.sql']);
  });
  it('files outside every set have no history', () => {
    expect(historyFor(['other/x.sql', 'nowhere.sql'], sets).map((h) => h.set.framework)).toEqual(['numbered'].filter(() => false));
  });
});
