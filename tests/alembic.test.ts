// Alembic: op.* / batch_op.* calls mapped to the SQL rules (synthesized SQL at the Python line),
// upgrade vs downgrade, alembic_utils entities, SQLAlchemy Core expressions, revision integrity,
// and a whole Alembic project through the CLI.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { run } from '../src/engine.js';
import { extract } from '../src/extract/index.js';
import type { Finding } from '../src/types.js';
import { check } from './helpers.js';

const PATH = 'migrations/versions/1a2b3c4d_x.py';
const HEAD = "from alembic import op\nimport sqlalchemy as sa\nfrom sqlalchemy.dialects import postgresql\n\nrevision = '1a2b3c4d'\ndown_revision = '0a0b0c0d'\n";
const up = (body: string, down = '    pass') => `${HEAD}\n\ndef upgrade():\n${body}\n\n\ndef downgrade():\n${down}\n`;
const sqlOf = (src: string) => extract({ path: PATH, content: src }).units.map((u) => u.text);
const lineOf = (src: string, needle: string) => src.split('\n').findIndex((l) => l.includes(needle)) + 1;
async function findings(src: string) {
  return (await check(src, { path: PATH })).findings;
}
const of = (fs: Finding[], id: string) => fs.filter((f) => f.ruleId === id);

describe('op calls → SQL', () => {
  it.each([
    ['op.drop_table("users")', 'DROP TABLE "users"'],
    ['op.drop_table("users", schema="app", if_exists=True)', 'DROP TABLE IF EXISTS "app"."users"'],
    ['op.drop_column("users", "email")', 'ALTER TABLE "users" DROP COLUMN "email"'],
    ['op.alter_column("users", "age", type_=sa.BigInteger())', 'ALTER TABLE "users" ALTER COLUMN "age" TYPE bigint'],
    ['op.alter_column("users", "name", type_=sa.String(length=50), existing_type=sa.Text())', 'ALTER TABLE "users" ALTER COLUMN "name" TYPE varchar(50)'],
    ['op.alter_column("t", "c", type_=postgresql.JSONB(), postgresql_using="c::jsonb")', 'ALTER TABLE "t" ALTER COLUMN "c" TYPE jsonb USING c::jsonb'],
    ['op.alter_column("users", "name", new_column_name="full_name")', 'ALTER TABLE "users" RENAME COLUMN "name" TO "full_name"'],
    ['op.alter_column("users", "name", nullable=False)', 'ALTER TABLE "users" ALTER COLUMN "name" SET NOT NULL'],
    ['op.alter_column("users", "name", comment="x")', undefined],
    ['op.rename_table("users", "people")', 'ALTER TABLE "users" RENAME TO "people"'],
    ['op.drop_constraint("fk_x", "orders", type_="foreignkey")', 'ALTER TABLE "orders" DROP CONSTRAINT "fk_x"'],
    ['op.drop_index(op.f("ix_users_email"), table_name="users")', 'DROP INDEX "ix_users_email"'],
    ['op.create_index("ix_a", "users", ["a", "b"], unique=True, postgresql_concurrently=True)', 'CREATE UNIQUE INDEX CONCURRENTLY "ix_a" ON "users" ("a", "b")'],
    ['op.create_table("things", sa.Column("id", sa.Integer(), primary_key=True))', 'CREATE TABLE "things" ("id" integer NOT NULL, PRIMARY KEY ("id"))'],
    [
      'op.create_table("t", sa.Column("a", sa.String(20), nullable=False), sa.Column("b", sa.Integer()), sa.ForeignKeyConstraint(["b"], ["o.id"]), sa.PrimaryKeyConstraint("a"), sa.UniqueConstraint("b"))',
      'CREATE TABLE "t" ("a" varchar(20) NOT NULL, "b" integer, UNIQUE ("b"), PRIMARY KEY ("a"))',
    ],
    ['op.create_table("g", sa.Column("id", GUID(), primary_key=True))', 'CREATE TABLE "g" ("id" text NOT NULL, PRIMARY KEY ("id"))'],
    ['op.add_column("users", sa.Column("flag", sa.Boolean(), nullable=False))', 'ALTER TABLE "users" ADD COLUMN "flag" boolean NOT NULL'],
    ['op.add_column("users", sa.Column("flag", sa.Boolean(), nullable=False, server_default="false"))', `ALTER TABLE "users" ADD COLUMN "flag" boolean NOT NULL DEFAULT 'false'`],
    ['op.create_foreign_key("fk", "orders", "users", ["user_id"], ["id"])', 'ALTER TABLE "orders" ADD CONSTRAINT "fk" FOREIGN KEY ("user_id") REFERENCES "users" ("id")'],
    ['op.bulk_insert(sa.table("roles", sa.column("name")), [{"name": "admin", "level": 1}])', `INSERT INTO "roles" ("name", "level") VALUES ('admin', 1)`],
  ])('%s', (call, sql) => {
    const got = sqlOf(up(`    ${call}`));
    expect(got).toEqual(sql === undefined ? [] : [sql]);
  });

  it('maps op calls to the SQL rules with the Python line and call as snippet', async () => {
    const src = up('    op.drop_table("users")\n    op.drop_column(\n        "orders",\n        "total",\n    )\n    op.rename_table("a", "b")\n    op.alter_column("t", "c", type_=sa.Integer(), new_column_name="d")');
    const fs = await findings(src);
    const dt = of(fs, 'drop-table')[0];
    expect(dt.line).toBe(lineOf(src, 'op.drop_table("users")'));
    expect(dt.column).toBe(5);
    expect(dt.snippet).toBe('op.drop_table("users")');
    expect(dt.gating).toBe(true);
    const dc = of(fs, 'drop-column')[0];
    expect(dc.line).toBe(lineOf(src, 'op.drop_column('));
    expect(dc.message).toMatch(/orders\.total/);
    expect(dc.snippet).toBe('op.drop_column("orders", "total")');
    expect(of(fs, 'rename-table')).toHaveLength(1);
    expect(of(fs, 'rename-column')).toHaveLength(1);
    expect(of(fs, 'alter-column-type')).toHaveLength(1);
  });

  it('batch_op calls act on the batch table; aliases are scoped to their with block', () => {
    const src = up(
      '    with op.batch_alter_table("orders", schema="shop") as batch_op:\n        batch_op.drop_column("total")\n        batch_op.alter_column("qty", new_column_name="quantity")\n        batch_op.drop_constraint("ck_x")\n    with op.batch_alter_table("users") as batch_op:\n        batch_op.drop_index("ix_email")\n        batch_op.create_index("ix_name", ["name"])',
    );
    expect(sqlOf(src)).toEqual([
      'ALTER TABLE "shop"."orders" DROP COLUMN "total"',
      'ALTER TABLE "shop"."orders" RENAME COLUMN "qty" TO "quantity"',
      'ALTER TABLE "shop"."orders" DROP CONSTRAINT "ck_x"',
      'DROP INDEX "ix_email"',
      'CREATE INDEX "ix_name" ON "users" ("name")',
    ]);
  });

  it('non-literal arguments still produce the statement (with the expression as the name)', async () => {
    const fs = await findings(up('    for t in TABLES:\n        op.drop_table(t)'));
    const d = of(fs, 'drop-table');
    expect(d).toHaveLength(1);
    expect(d[0].message).toMatch(/\(value of t\)/);
    expect(d[0].gating).toBe(true);
  });

  it('an unknown op method fails closed', async () => {
    const fs = await findings(up('    op.drop_everything("x")'));
    expect(of(fs, 'parse-error')).toHaveLength(1);
    expect(of(fs, 'parse-error')[0].message).toMatch(/op\.drop_everything/);
  });

  it('an index on a table created in the same migration is not flagged; on an existing table it is', async () => {
    const a = await findings(up('    op.create_table("t", sa.Column("id", sa.Integer()))\n    op.create_index("ix", "t", ["id"])'));
    expect(of(a, 'create-index-non-concurrent')).toEqual([]);
    const b = await findings(up('    op.create_index("ix", "users", ["id"])'));
    expect(of(b, 'create-index-non-concurrent')).toHaveLength(1);
  });
});

describe('upgrade and downgrade', () => {
  it('downgrade() findings are reported non-gating (create_table ↔ drop_table)', async () => {
    const fs = await findings(up('    op.create_table("t", sa.Column("id", sa.Integer()))', '    op.drop_table("t")'));
    const d = of(fs, 'drop-table');
    expect(d).toHaveLength(1);
    expect(d[0].down).toBe(true);
    expect(d[0].gating).toBe(false);
  });

  it('config down: gate makes them gating', async () => {
    const r = await check(up('    pass', '    op.drop_table("t")'), { path: PATH, config: { down: 'gate' } });
    expect(r.findings.find((f) => f.ruleId === 'drop-table')?.gating).toBe(true);
  });

  it('helpers called only from downgrade() are down; helpers also called from upgrade() are up', async () => {
    const src = `${HEAD}\ndef _drop():\n    op.drop_table("a")\n\ndef _both():\n    op.drop_table("b")\n\ndef upgrade():\n    _both()\n\ndef downgrade():\n    _drop()\n    _both()\n`;
    const fs = of(await findings(src), 'drop-table');
    const a = fs.find((f) => /\ba\b/.test(f.message))!;
    const b = fs.find((f) => /\bb\b/.test(f.message))!;
    expect(a.down).toBe(true);
    expect(b.down).toBeFalsy();
    expect(b.gating).toBe(true);
  });

  it('module-level code and unreferenced functions count as upgrade (fail closed)', async () => {
    const src = `${HEAD}\nop.drop_table("at_import")\n\ndef unused():\n    op.drop_table("dead")\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n`;
    const fs = of(await findings(src), 'drop-table');
    expect(fs.map((f) => !!f.down)).toEqual([false, false]);
  });

  it('upgrade_<engine> / downgrade_<engine> (multidb template) are recognized', async () => {
    const src = `${HEAD}\ndef upgrade_engine1():\n    pass\n\ndef downgrade_engine1():\n    op.drop_table("x")\n`;
    expect(of(await findings(src), 'drop-table')[0].down).toBe(true);
  });
});

describe('SQLAlchemy Core and ORM expressions', () => {
  it.each([
    ['t = sa.table("audit", sa.column("id"))\n    op.execute(t.delete())', 'delete-without-where', /audit/],
    ['t = sa.table("users", sa.column("a"))\n    op.execute(t.update().values(a=None))', 'update-without-where', /users/],
    ['t = sa.table("users")\n    op.execute(sa.update(t).values({"a": 1}))', 'update-without-where', /users/],
    ['t = sa.table("users")\n    op.execute(sa.delete(t))', 'delete-without-where', /users/],
    ['session = sa.orm.Session(bind=op.get_bind())\n    session.query(User).delete()', 'delete-without-where', /users_tbl/],
  ])('%s', async (body, rule, msg) => {
    const src = `${HEAD}\nclass User:\n    __tablename__ = "users_tbl"\n\ndef upgrade():\n    ${body}\n\ndef downgrade():\n    pass\n`;
    const f = of(await findings(src), rule);
    expect(f).toHaveLength(1);
    expect(f[0].message).toMatch(msg);
  });

  it('scoped Core writes and reads are not flagged and not dynamic', async () => {
    const src = up('    t = sa.table("users", sa.column("id"))\n    conn = op.get_bind()\n    for row in conn.execute(t.select()):\n        conn.execute(t.update().where(t.c.id == row.id).values(a=1))\n    conn.execute(sa.delete(t).where(t.c.id == 1))', '    op.execute("SELECT 1")');
    expect(await findings(src)).toEqual([]);
  });
});

describe('alembic_utils entities', () => {
  const ENT = "from alembic_utils.pg_function import PGFunction\nfrom alembic_utils.pg_view import PGView\nfrom alembic_utils.pg_trigger import PGTrigger\n";
  it('drop_entity / create_entity become DROP/CREATE statements', () => {
    const src = `${HEAD}${ENT}\ndef upgrade():\n    v = PGView(schema="public", signature="active_users", definition="select * from users where active")\n    op.drop_entity(v)\n    f = PGFunction(\n        schema="public",\n        signature="f(a int DEFAULT 1)",\n        definition="returns int language sql as $$ select 1 $$",\n    )\n    op.create_entity(f)\n    op.drop_entity(f)\n    tr = PGTrigger(schema="public", signature="trg", on_entity="public.users", definition="AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION f()")\n    op.drop_entity(tr)\n\ndef downgrade():\n    pass\n`;
    expect(sqlOf(src)).toEqual([
      'DROP VIEW "public"."active_users"',
      'CREATE FUNCTION "public".f(a int DEFAULT 1) returns int language sql as $$ select 1 $$',
      'DROP FUNCTION "public".f(a int)',
      'DROP TRIGGER "trg" ON public.users',
    ]);
  });

  it('flags the drops and maps the definition SQL to its Python line', async () => {
    const src = `${HEAD}${ENT}\ndef upgrade():\n    f = PGFunction(\n        schema="public",\n        signature="wipe()",\n        definition="""returns void language plpgsql as $$\n        begin\n            delete from audit_log;\n        end $$""",\n    )\n    op.create_entity(f)\n    op.drop_entity(PGView(schema="public", signature="v", definition="select 1"))\n\ndef downgrade():\n    pass\n`;
    const fs = await findings(src);
    expect(of(fs, 'drop-view')).toHaveLength(1);
    const del = of(fs, 'delete-without-where');
    expect(del).toHaveLength(1);
    expect(del[0].line).toBe(lineOf(src, 'delete from audit_log'));
  });

  it('an entity that cannot be resolved is dynamic', async () => {
    const fs = await findings(`${HEAD}from app.entities import view\n\ndef upgrade():\n    op.drop_entity(view)\n\ndef downgrade():\n    pass\n`);
    expect(of(fs, 'python-dynamic-sql')).toHaveLength(1);
  });
});

describe('revision integrity', () => {
  const rev = (id: string, parent: string | null, extra = '') =>
    `from alembic import op\nrevision = "${id}"\ndown_revision = ${parent === null ? 'None' : `"${parent}"`}\n${extra}\ndef upgrade():\n    op.execute("SELECT 1")\n\ndef downgrade():\n    op.execute("SELECT 1")\n`;
  const runFiles = (files: Array<[string, string]>) => run(files.map(([path, content]) => ({ path, content })));
  const graph = (fs: Finding[]) => fs.filter((f) => f.ruleId === 'alembic-revision-graph');

  it('empty downgrade() is a non-gating integrity warning', async () => {
    const fs = of(await findings(up('    op.drop_column("t", "c")', '    """Nothing."""\n    pass')), 'alembic-empty-downgrade');
    expect(fs).toHaveLength(1);
    expect(fs[0].category).toBe('integrity');
    expect(fs[0].gating).toBe(false);
  });

  it('a missing downgrade() is reported; a real one is not', async () => {
    expect(of(await findings(`${HEAD}\ndef upgrade():\n    op.drop_column("t", "c")\n`), 'alembic-empty-downgrade')).toHaveLength(1);
    // a merge revision (nothing to undo) is fine
    expect(of(await findings(`${HEAD}\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n`), 'alembic-empty-downgrade')).toEqual([]);
    expect(of(await findings(up('    pass', '    op.drop_table("x")')), 'alembic-empty-downgrade')).toEqual([]);
  });

  it('duplicate revision ids in one versions directory', async () => {
    const r = await runFiles([
      ['m/versions/a.py', rev('aaa', 'base1')],
      ['m/versions/b.py', rev('aaa', 'base2')],
    ]);
    const g = graph(r.findings).filter((f) => /Duplicate/.test(f.message));
    expect(g.map((f) => f.path).sort()).toEqual(['m/versions/a.py', 'm/versions/b.py']);
    expect(g.every((f) => !f.gating && f.severity === 'warning')).toBe(true);
  });

  it('two new revisions on the same parent are branching heads', async () => {
    const r = await runFiles([
      ['m/versions/a.py', rev('aaa', 'root')],
      ['m/versions/b.py', rev('bbb', 'root')],
    ]);
    const g = graph(r.findings);
    expect(g).toHaveLength(2);
    expect(g[0].message).toMatch(/Several heads/);
    expect(g[0].line).toBe(3);
  });

  it('a linear chain, a merge revision, labelled branches and separate directories are fine', async () => {
    const linear = await runFiles([
      ['m/versions/a.py', rev('aaa', 'root')],
      ['m/versions/b.py', rev('bbb', 'aaa')],
    ]);
    expect(graph(linear.findings)).toEqual([]);
    const merged = await runFiles([
      ['m/versions/a.py', rev('aaa', 'root')],
      ['m/versions/b.py', rev('bbb', 'root')],
      ['m/versions/c.py', `from alembic import op\nrevision = "ccc"\ndown_revision = ("aaa", "bbb")\ndef upgrade():\n    pass\ndef downgrade():\n    pass\n`],
    ]);
    expect(graph(merged.findings)).toEqual([]);
    const labelled = await runFiles([
      ['m/versions/a.py', rev('aaa', null)],
      ['m/versions/b.py', rev('bbb', null, 'branch_labels = ("other",)\n')],
    ]);
    expect(graph(labelled.findings)).toEqual([]);
    const separate = await runFiles([
      ['core/versions/a.py', rev('aaa', null)],
      ['tenant/versions/a.py', rev('aaa', null)],
    ]);
    expect(graph(separate.findings)).toEqual([]);
  });

  it('cycles are reported', async () => {
    const self = graph((await runFiles([['m/versions/a.py', rev('aaa', 'aaa')]])).findings);
    expect(self).toHaveLength(1);
    const two = await runFiles([
      ['m/versions/a.py', rev('aaa', 'bbb')],
      ['m/versions/b.py', rev('bbb', 'aaa')],
    ]);
    expect(graph(two.findings).some((f) => /cycle/.test(f.message))).toBe(true);
  });
});

describe('CLI on a whole Alembic project', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mg-alembic-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports every file with its kind and dialect, env.py included', async () => {
    mkdirSync(join(dir, 'migrations', 'versions'), { recursive: true });
    writeFileSync(join(dir, 'alembic.ini'), '[alembic]\nscript_location = migrations\nsqlalchemy.url = driver://user:pass@localhost/dbname\n');
    writeFileSync(
      join(dir, 'migrations', 'env.py'),
      'from logging.config import fileConfig\nfrom alembic import context\nconfig = context.config\nfileConfig(config.config_file_name)\n\ndef run_migrations_offline():\n    context.configure(url=config.get_main_option("sqlalchemy.url"))\n    with context.begin_transaction():\n        context.run_migrations()\n\nrun_migrations_offline()\n',
    );
    writeFileSync(join(dir, 'migrations', 'versions', '1a2b_drop.py'), up('    op.drop_table("users")', '    op.create_table("users")'));
    let out = '';
    const code = await main(['check', '--format', 'json', dir], { stdout: (s) => (out += s), stderr: () => {}, isTTY: false });
    expect(code).toBe(1);
    const res = JSON.parse(out);
    const kinds = Object.fromEntries(res.files.map((f: { path: string; kind: string; dialect: string | null }) => [f.path.replace(/\\/g, '/').split('/').slice(-2).join('/'), [f.kind, f.dialect]]));
    expect(kinds).toMatchObject({
      'migrations/env.py': ['python', 'postgresql'],
      'versions/1a2b_drop.py': ['alembic', 'postgresql'],
    });
    expect(Object.values(kinds).some(([k]) => k === 'config')).toBe(true);
    const drop = res.findings.find((f: Finding) => f.ruleId === 'drop-table');
    expect(drop.path).toMatch(/1a2b_drop\.py$/);
    expect(drop.snippet).toBe('op.drop_table("users")');
    expect(res.findings.filter((f: Finding) => f.path.endsWith('env.py'))).toEqual([]);
  });
});
