// Reversibility (issue 11, part 1): up then down replayed in the sandbox, the catalog compared
// with the one before the up. The single-file frameworks (goose, dbmate, Liquibase, Alembic) are
// the `irreversible` rule's examples (tests/rules.test.ts); here: the two-file pairs
// (golang-migrate, Flyway U), history, pull requests judged as one unit, and the up judgement left
// as it was.
import { describe, expect, it } from 'vitest';
import { run, type EngineOptions } from '../src/engine.js';
import type { Finding, SourceFile } from '../src/types.js';

const f = (path: string, content: string): SourceFile => ({ path, content });
/** The sandbox's wall-clock limit for the tests that replay several groups (a loaded machine is not a finding). */
const SLOW = 120_000;

async function irreversible(files: SourceFile[], opts: EngineOptions = {}): Promise<Finding[]> {
  const r = await run(files, { dialect: 'postgresql', replay: true, ...opts });
  return r.findings.filter((x) => x.ruleId === 'irreversible');
}

const USERS = f('db/migrations/001_users.up.sql', 'CREATE TABLE users (id int PRIMARY KEY, email varchar(255) NOT NULL);\n');
const USERS_DOWN = f('db/migrations/001_users.down.sql', 'DROP TABLE users;\n');

describe('golang-migrate pairs', () => {
  it('a down that undoes the up: no finding; the verdict is counted clean', async () => {
    const r = await run(
      [f('db/migrations/002_idx.up.sql', 'CREATE INDEX users_email ON users (email);\nALTER TABLE users ADD COLUMN name text;\n'), f('db/migrations/002_idx.down.sql', 'ALTER TABLE users DROP COLUMN name;\nDROP INDEX users_email;\n')],
      { dialect: 'postgresql', replay: true, history: [USERS, USERS_DOWN] },
    );
    expect(r.findings.filter((x) => x.ruleId === 'irreversible')).toEqual([]);
    expect(r.replay?.[0].reversal).toEqual({ clean: 1 });
  });

  it('a down that leaves an index behind and changes a type: names each difference', async () => {
    const found = await irreversible(
      [
        f('db/migrations/002_idx.up.sql', 'CREATE INDEX users_email ON users (email);\nALTER TABLE users ALTER COLUMN email TYPE text;\n'),
        f('db/migrations/002_idx.down.sql', 'SELECT 1;\n'),
      ],
      { history: [USERS, USERS_DOWN] },
    );
    expect(found).toHaveLength(1);
    expect(found[0].path).toBe('db/migrations/002_idx.up.sql');
    expect(found[0].message).toContain('does not restore the schema');
    expect(found[0].message).toContain('index public.users_email still exists after the down');
    expect(found[0].message).toContain('column public.users.email has type text, was character varying(255)');
    expect(found[0].gating).toBe(false);
  });

  it('the down file in the history (not changed) is the one replayed', async () => {
    const found = await irreversible([f('db/migrations/002_t.up.sql', 'CREATE TABLE t (id int);\n')], {
      history: [USERS, USERS_DOWN, f('db/migrations/002_t.down.sql', 'DROP TABLE t;\n')],
    });
    expect(found).toEqual([]);
  });

  it('no .down.sql for the version: missing (the set is known from the history)', async () => {
    const found = await irreversible([f('db/migrations/002_t.up.sql', 'CREATE TABLE t (id int);\n')], { history: [USERS, USERS_DOWN] });
    expect(found.map((x) => x.message)).toEqual(['No down migration: 002_t.down.sql does not exist, so rolling back this version changes nothing.']);
  });

  it('an empty .down.sql: empty', async () => {
    const found = await irreversible([f('db/migrations/002_t.up.sql', 'CREATE TABLE t (id int);\n'), f('db/migrations/002_t.down.sql', '-- nothing\n')], { history: [USERS, USERS_DOWN] });
    expect(found.map((x) => x.message)).toEqual(['The down migration 002_t.down.sql is empty: rolling back this version changes nothing.']);
  });

  it('up drops a preexisting column, down re-adds it: the schema is back, the data is not', async () => {
    const found = await irreversible(
      [f('db/migrations/002_drop.up.sql', 'ALTER TABLE users DROP COLUMN email;\n'), f('db/migrations/002_drop.down.sql', 'ALTER TABLE users ADD COLUMN email varchar(255) NOT NULL;\n')],
      { history: [USERS, USERS_DOWN] },
    );
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/restores the schema but not the data: the up drops column public\.users\.email, which existed before it/);
  });

  it('a down that fails is reported at the failing statement of the changed down file', async () => {
    const found = await irreversible(
      [f('db/migrations/002_t.up.sql', 'CREATE TABLE t (id int);\n'), f('db/migrations/002_t.down.sql', 'DROP TABLE t;\nDROP TABLE t_missing;\n')],
      { history: [USERS, USERS_DOWN] },
    );
    expect(found).toHaveLength(1);
    expect(found[0].path).toBe('db/migrations/002_t.down.sql');
    expect(found[0].line).toBe(2);
    expect(found[0].message).toMatch(/^The down fails \(002_t\.down\.sql, line 2\): table "t_missing" does not exist/);
    expect(found[0].down).toBeUndefined(); // reported even with `down: ignore`
  });

  it('an up that fails to replay: reversibility could not be checked (info), not "down failed"', async () => {
    const found = await irreversible([f('db/migrations/002_t.up.sql', 'ALTER TABLE nope ADD COLUMN x int;\n'), f('db/migrations/002_t.down.sql', 'ALTER TABLE nope DROP COLUMN x;\n')], {
      history: [USERS, USERS_DOWN],
    });
    expect(found).toHaveLength(1);
    expect(found[0].severity).toBe('info');
    expect(found[0].message).toMatch(/^Reversibility could not be checked: the up did not replay in the sandbox \(line 1: relation "nope" does not exist\), so its down was not tried/);
  });

  it('SQLite pairs', async () => {
    const found = await irreversible(
      [f('db/migrations/002_t.up.sql', 'CREATE TABLE t (id integer);\nCREATE INDEX t_id ON t (id);\n'), f('db/migrations/002_t.down.sql', 'DROP INDEX t_id;\n')],
      { dialect: 'sqlite', history: [f('db/migrations/001_a.up.sql', 'CREATE TABLE a (id integer);\n'), f('db/migrations/001_a.down.sql', 'DROP TABLE a;\n')] },
    );
    expect(found.map((x) => x.message)).toEqual(['Rolling back with 002_t.down.sql does not restore the schema: table main.t still exists after the down.']);
  });
});

describe('Flyway undo', () => {
  it('U<ver>__ beside V<ver>__ is the down; V alone gets nothing', async () => {
    const v1 = f('db/migration/V1__users.sql', 'CREATE TABLE users (id int, email varchar(255));\n');
    const found = await irreversible(
      [f('db/migration/V2__email.sql', 'ALTER TABLE users ALTER COLUMN email TYPE text;\n'), f('db/migration/U2__email.sql', 'ALTER TABLE users ALTER COLUMN email TYPE varchar(100);\n')],
      { history: [v1] },
    );
    expect(found.map((x) => x.message)).toEqual(['Rolling back with U2__email.sql does not restore the schema: column public.users.email has type character varying(100), was character varying(255).']);
    expect(await irreversible([f('db/migration/V2__t.sql', 'CREATE TABLE t (id int);\n')], { history: [v1] })).toEqual([]);
  }, 60_000);
});

describe('a pull request judged as one unit', () => {
  const one = f('db/migrations/20240101000000_a.sql', '-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n');
  const two = f('db/migrations/20240102000000_b.sql', '-- +goose Up\nCREATE TABLE b (id int);\nCREATE TABLE c (id int);\n-- +goose Down\nDROP TABLE b;\n');

  it('several migrations: each one checked against the state before it (a second request)', async () => {
    const three = f('db/migrations/20240103000000_d.sql', '-- +goose Up\nCREATE TABLE d (id int);\n-- +goose Down\nDROP TABLE d;\n');
    const r = await run([two, three], { dialect: 'postgresql', replay: true, units: 'together', historyKnown: true, history: [one] });
    expect(r.findings.filter((x) => x.ruleId === 'irreversible').map((x) => [x.path, x.message])).toEqual([
      ['db/migrations/20240102000000_b.sql', 'Rolling back with the -- +goose Down section does not restore the schema: table public.c still exists after the down.'],
    ]);
    expect(r.replay?.[0].reversal).toEqual({ schema: 1, clean: 1 });
  }, 60_000);

  it('one migration and its .down.sql: the downs are appended to the request that judges the up', async () => {
    const r = await run(
      [f('db/migrations/002_t.up.sql', 'CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\n'), f('db/migrations/002_t.down.sql', 'DROP INDEX t_id;\n')],
      { dialect: 'postgresql', replay: true, units: 'together', history: [USERS, USERS_DOWN] },
    );
    expect(r.findings.filter((x) => x.ruleId === 'irreversible').map((x) => x.message)).toEqual([
      'Rolling back with 002_t.down.sql does not restore the schema: table public.t still exists after the down.',
    ]);
    expect(r.replay?.[0].judged).toEqual({ statements: 2, replayed: 2 });
  });

  it('an earlier migration is not judged by a later down that did not restore', async () => {
    const found = await irreversible([one, two], { historyKnown: true });
    expect(found.map((x) => [x.path, x.severity, x.message])).toEqual([
      ['db/migrations/20240101000000_a.sql', 'info', 'Reversibility could not be checked: the down of 20240102000000_b.sql, which runs after it, does not restore the schema.'],
      ['db/migrations/20240102000000_b.sql', 'warning', 'Rolling back with the -- +goose Down section does not restore the schema: table public.c still exists after the down.'],
    ]);
  });
});

it('the up judgement does not change when the downs are replayed after it', async () => {
  const history = [f('db/migrations/20240101000000_a.sql', '-- +goose Up\nCREATE TABLE users (id int, email text);\n-- +goose Down\nDROP TABLE users;\n')];
  const up = '-- +goose Up\nALTER TABLE users DROP COLUMN email;\nCREATE TABLE t (id int);\nDROP TABLE t;\n';
  const withDown = await run([f('db/migrations/20240102000000_b.sql', `${up}-- +goose Down\nCREATE TABLE t (id int);\nDROP TABLE users CASCADE;\n`)], { dialect: 'postgresql', history, replay: true });
  const without = await run([f('db/migrations/20240102000000_b.sql', up)], { dialect: 'postgresql', history, replay: true });
  const upFindings = (r: typeof withDown) => r.findings.filter((x) => x.ruleId !== 'irreversible' && !x.down).map((x) => [x.ruleId, x.line, x.message]);
  expect(upFindings(withDown)).toEqual(upFindings(without));
  expect(upFindings(withDown).some(([id]) => id === 'drop-column')).toBe(true);
  expect(withDown.replay?.[0].judged).toEqual(without.replay?.[0].judged);
  expect(withDown.findings.filter((x) => x.ruleId === 'irreversible').map((x) => x.message)).toEqual([
    'Rolling back with the -- +goose Down section does not restore the schema: table public.t still exists after the down; table public.users is missing after the down.',
  ]);
}, 60_000);

describe('Django reverse operations (static: Migration.unapply, operations/special.py)', () => {
  const mig = (ops: string, pre = '') =>
    f('blog/migrations/0002_change.py', `from django.db import migrations, models\n${pre}\nclass Migration(migrations.Migration):\n    dependencies = [('blog', '0001_initial')]\n    operations = [\n${ops}    ]\n`);
  const found = async (file: SourceFile) => (await run([file], { dialect: 'postgresql' })).findings.filter((x) => x.ruleId === 'irreversible');

  it('RunPython without reverse_code and RunSQL without reverse_sql: irreversible, at their lines', async () => {
    const r = await found(mig("        migrations.RunPython(fill),\n        migrations.RunSQL('UPDATE blog_post SET x = 1'),\n        migrations.RunSQL('SELECT 1', reverse_sql=None),\n", '\ndef fill(apps, schema_editor):\n    pass\n'));
    expect(r.map((x) => [x.line, x.gating])).toEqual([
      [9, false],
      [10, false],
      [11, false],
    ]);
    expect(r[0].message).toBe(
      'Django cannot roll this migration back: migrations.RunPython (line 9) has no reverse_code, so `migrate` to an earlier migration stops with IrreversibleError before undoing anything. Give it a reverse_code (migrations.RunPython.noop when there is nothing to undo).',
    );
    expect(r[1].message).toMatch(/migrations\.RunSQL \(line 10\) has no reverse_sql/);
  });

  it('a reverse given (RunPython.noop, RunSQL.noop, a function, reverse_sql text), AddField, CreateModel, AlterField: no finding', async () => {
    const r = await found(
      mig(
        "        migrations.RunPython(fill, migrations.RunPython.noop),\n        migrations.RunPython(fill, reverse_code=fill),\n        migrations.RunSQL('SELECT 1', migrations.RunSQL.noop),\n        migrations.RunSQL('CREATE INDEX i ON blog_post (x)', 'DROP INDEX i'),\n" +
          "        migrations.AddField(model_name='post', name='slug', field=models.SlugField(null=True)),\n        migrations.CreateModel(name='Tag', fields=[('id', models.AutoField(primary_key=True))]),\n        migrations.AlterField(model_name='post', name='title', field=models.CharField(max_length=300)),\n",
        '\ndef fill(apps, schema_editor):\n    pass\n',
      ),
    );
    expect(r).toEqual([]);
  });

  it('RemoveField and DeleteModel: the reverse re-creates them empty (the SQL path\'s data message)', async () => {
    const r = await found(mig("        migrations.RemoveField(model_name='post', name='slug'),\n        migrations.DeleteModel(name='Old'),\n"));
    expect(r.map((x) => [x.line, x.message])).toEqual([
      [6, "Rolling back with Django's reverse operations restores the schema but not the data: the up drops column blog_post.slug (RemoveField), which existed before it, and the reverse (AddField) re-creates the column empty."],
      [7, "Rolling back with Django's reverse operations restores the schema but not the data: the up drops table blog_old (DeleteModel), which existed before it, and the reverse (CreateModel) re-creates the table empty."],
    ]);
  });

  it('made in the same migration, or dropped only in state_operations: no data message; an irreversible operation wins over data', async () => {
    expect(
      await found(
        mig(
          "        migrations.CreateModel(name='Tag', fields=[('id', models.AutoField(primary_key=True))]),\n        migrations.AddField(model_name='post', name='slug', field=models.SlugField(null=True)),\n        migrations.RemoveField(model_name='post', name='slug'),\n        migrations.DeleteModel(name='Tag'),\n" +
            "        migrations.RunSQL('SELECT 1', 'SELECT 1', state_operations=[migrations.DeleteModel(name='Gone')]),\n        migrations.SeparateDatabaseAndState(state_operations=[migrations.RemoveField(model_name='post', name='x')]),\n",
        ),
      ),
    ).toEqual([]);
    const r = await found(mig("        migrations.RemoveField(model_name='post', name='slug'),\n        migrations.RunSQL('UPDATE blog_post SET x = 1'),\n"));
    expect(r.map((x) => x.line)).toEqual([7]);
    expect(r[0].message).toMatch(/^Django cannot roll this migration back: migrations\.RunSQL/);
  });

  it('SeparateDatabaseAndState: a RunPython without reverse_code among the database_operations is irreversible', async () => {
    const r = await found(mig('        migrations.SeparateDatabaseAndState(database_operations=[migrations.RunPython(fill)]),\n', '\ndef fill(apps, schema_editor):\n    pass\n'));
    expect(r.map((x) => x.line)).toEqual([9]);
  });
});

describe('a down file changed alone (its up is history)', () => {
  const UP2 = f('db/migrations/002_idx.up.sql', 'CREATE INDEX users_email ON users (email);\nALTER TABLE users ADD COLUMN name text;\n');
  const check = (down: string) => run([f('db/migrations/002_idx.down.sql', down)], { dialect: 'postgresql', replay: true, history: [USERS, USERS_DOWN, UP2] });

  it('a down that undoes the up: clean, no finding', async () => {
    const r = await check('ALTER TABLE users DROP COLUMN name;\nDROP INDEX users_email;\n');
    expect(r.findings.filter((x) => x.ruleId === 'irreversible')).toEqual([]);
    expect(r.replay?.[0].reversal).toEqual({ clean: 1 });
  });

  it('a down that no longer drops the index: does not restore, reported on the down file; its DROP is still judged', async () => {
    const r = await check('ALTER TABLE users DROP COLUMN name;\n');
    expect(r.findings.filter((x) => x.ruleId === 'irreversible').map((x) => [x.path, x.line, x.message])).toEqual([
      ['db/migrations/002_idx.down.sql', 1, 'Rolling back with 002_idx.down.sql does not restore the schema: index public.users_email still exists after the down.'],
    ]);
    expect(r.findings.some((x) => x.ruleId === 'drop-column' && x.path === 'db/migrations/002_idx.down.sql')).toBe(true);
  });

  it('a down that fails, and an emptied down (line 1)', async () => {
    const failed = await check('ALTER TABLE users DROP COLUMN name;\nDROP TABLE nope;\n');
    expect(failed.findings.filter((x) => x.ruleId === 'irreversible').map((x) => [x.line, x.message.slice(0, 50)])).toEqual([[2, 'The down fails (002_idx.down.sql, line 2): table "']]);
    const empty = await check('-- nothing here any more\n');
    expect(empty.findings.filter((x) => x.ruleId === 'irreversible').map((x) => [x.line, x.message])).toEqual([[1, 'The down migration 002_idx.down.sql is empty: rolling back 002_idx.up.sql changes nothing.']]);
  });

  it('Flyway U changed alone', async () => {
    const history = [f('db/migration/V1__users.sql', 'CREATE TABLE users (id int, email varchar(255));\n'), f('db/migration/V2__email.sql', 'ALTER TABLE users ALTER COLUMN email TYPE text;\n')];
    const bad = await irreversible([f('db/migration/U2__email.sql', 'ALTER TABLE users ALTER COLUMN email TYPE varchar(100);\n')], { history });
    expect(bad.map((x) => x.message)).toEqual(['Rolling back with U2__email.sql does not restore the schema: column public.users.email has type character varying(100), was character varying(255).']);
    expect(await irreversible([f('db/migration/U2__email.sql', 'ALTER TABLE users ALTER COLUMN email TYPE varchar(255);\n')], { history })).toEqual([]);
  }, 60_000);
});

describe('ory/pop: one change split over versions and dialect variants', () => {
  const d = 'persistence/sql/migrations/sql';
  const p = (name: string, sql: string) => f(`${d}/${name}`, sql);
  // As kratos lays them out: `<timestamp><NNNNNN>_<name>.<dialect>.(up|down).sql`, one statement a version.
  const history = [
    p('20200101000000000000_users.postgres.up.sql', 'CREATE TABLE users (id int PRIMARY KEY);\n'),
    p('20200101000000000000_users.postgres.down.sql', 'DROP TABLE users;\n'),
    p('20200101000000000000_users.cockroach.up.sql', 'CREATE TABLE users (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), INDEX users_idx (id));\n'),
    p('20200101000000000000_users.cockroach.down.sql', 'DROP TABLE users;\n'),
    p('20200101000000000000_users.sqlite3.up.sql', 'CREATE TABLE users (id integer PRIMARY KEY);\n'),
    p('20200101000000000000_users.sqlite3.down.sql', 'DROP TABLE users;\n'),
  ];
  const change = (downs: Record<string, string>) => [
    p('20200202000000000000_email.postgres.up.sql', 'ALTER TABLE users ADD COLUMN email text;\n'),
    p('20200202000000000001_email.postgres.up.sql', 'CREATE VIEW user_emails AS SELECT email FROM users;\n'),
    p('20200202000000000000_email.cockroach.up.sql', 'ALTER TABLE users ADD COLUMN email STRING;\n'),
    p('20200202000000000000_email.cockroach.down.sql', 'ALTER TABLE users DROP COLUMN email;\n'),
    p('20200202000000000000_email.sqlite3.up.sql', 'ALTER TABLE users ADD COLUMN email text;\n'),
    p('20200202000000000000_email.sqlite3.down.sql', 'ALTER TABLE users DROP COLUMN email;\n'),
    ...Object.entries(downs).map(([n, s]) => p(n, s)),
  ];

  it('the postgres variant is replayed on its own history, last version first (clean); cockroach is judged statically', async () => {
    const r = await run(change({ '20200202000000000001_email.postgres.down.sql': 'DROP VIEW user_emails;\n', '20200202000000000000_email.postgres.down.sql': 'ALTER TABLE users DROP COLUMN email;\n' }), {
      replay: true,
      history,
      replayTimeoutMs: SLOW,
    });
    expect(r.findings.filter((x) => x.ruleId === 'irreversible')).toEqual([]);
    const pg = r.replay?.find((s) => s.files.some((x) => x.includes('.postgres.')));
    expect(pg?.engine).toBe('pglite');
    expect(pg?.history).toEqual({ files: 1, statements: 1, replayed: 1 });
    expect(pg?.skippedCount).toBe(0);
    expect(pg?.reversal).toEqual({ clean: 1 });
    expect(r.replay?.find((s) => s.files.some((x) => x.includes('.cockroach.')))?.engine).toBe('static');
    expect(r.replay?.find((s) => s.files.some((x) => x.includes('.sqlite3.')))?.reversal).toEqual({ clean: 1 });
  }, 240_000);

  it('a version of the change without its down: the down fails or does not restore (the change, not the version, needs a down)', async () => {
    const r = await run(change({ '20200202000000000000_email.postgres.down.sql': 'ALTER TABLE users DROP COLUMN email;\n' }), { replay: true, history, replayTimeoutMs: SLOW });
    const found = r.findings.filter((x) => x.ruleId === 'irreversible');
    expect(found.map((x) => x.path)).toEqual([`${d}/20200202000000000000_email.postgres.down.sql`]);
    expect(found[0].message).toMatch(/^The down fails \(20200202000000000000_email\.postgres\.down\.sql, line 1\): cannot drop column email of table users because other objects depend on it/);
  }, 240_000);

  it('a change with no down file at all: missing', async () => {
    const r = await run([p('20200303000000000000_x.postgres.up.sql', 'CREATE TABLE x (id int);\n')], { replay: true, history, replayTimeoutMs: SLOW });
    expect(r.findings.filter((x) => x.ruleId === 'irreversible').map((x) => x.message)).toEqual(['No down migration: 20200303000000000000_x has no .down.sql file, so rolling this change back changes nothing.']);
  }, 240_000);

  it('one change over consecutive timestamps of one name (kratos add_verification_methods): its downs sit on the first, run last version first', async () => {
    const nick = [
      p('20200404000000000000_nick.postgres.up.sql', 'ALTER TABLE users ADD COLUMN nick text;\n'),
      p('20200404000001000000_nick.postgres.up.sql', 'CREATE VIEW nicks AS SELECT nick FROM users;\n'),
      p('20200404000000000000_nick.postgres.down.sql', 'ALTER TABLE users DROP COLUMN nick;\n'),
    ];
    const clean = await run([...nick, p('20200404000000000001_nick.postgres.down.sql', 'DROP VIEW nicks;\n')], { replay: true, history, replayTimeoutMs: SLOW });
    expect(clean.findings.filter((x) => x.ruleId === 'irreversible')).toEqual([]);
    expect(clean.replay?.[0].reversal).toEqual({ clean: 1 });
    const bad = await run([...nick, p('20200404000000000001_nick.postgres.down.sql', 'SELECT 1;\n')], { replay: true, history, replayTimeoutMs: SLOW });
    const found = bad.findings.filter((x) => x.ruleId === 'irreversible');
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/^The down fails \(the 2 down files of 20200404000000000000_nick \(last version first\), line 1\): cannot drop column nick of table users because other objects depend on it/);
  }, 240_000);

  it('fizz migrations: the history is incomplete (a problem), not silently skipped', async () => {
    const { planHistory } = await import('../src/history/index.js');
    const sets = planHistory([...history, f(`${d}/20200115000000_t.up.fizz`, 'create_table("t") {}\n')]);
    expect(sets.filter((s) => s.framework === 'pop').every((s) => s.problems.some((x) => x.kind === 'unreadable' && /fizz/.test(x.message)))).toBe(true);
    expect(planHistory(history).some((s) => s.problems.some((x) => /fizz/.test(x.message)))).toBe(false);
  });
});
