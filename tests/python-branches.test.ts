// Python migrations that switch on the database (src/python/dialects.ts): the SQL of each branch
// is parsed in that branch's dialect, still checked (a DROP in the SQLite branch gates), says
// which branch it is in, and is replayed only into an engine of its dialect.
import { describe, expect, it } from 'vitest';
import { extract } from '../src/extract/index.js';
import { run } from '../src/engine.js';
import type { Finding, SqlUnit } from '../src/types.js';
import { check } from './helpers.js';

const ALEMBIC = 'migrations/versions/1a2b3c4d_x.py';
const HEAD = "from alembic import op\nimport sqlalchemy as sa\n\nrevision = '1a2b3c4d'\ndown_revision = '0a0b0c0d'\n";
const mig = (body: string, pre = '') => `${HEAD}${pre}\n\ndef upgrade():\n${body}\n\ndef downgrade():\n    pass\n`;
const DJANGO = 'app/migrations/0002_x.py';

const of = (fs: Finding[], id: string) => fs.filter((f) => f.ruleId === id);
const units = (src: string, path = ALEMBIC) => extract({ path, content: src }).units;
/** The unit whose text contains `needle`. */
const unit = (us: SqlUnit[], needle: string) => {
  const u = us.find((x) => x.text.includes(needle));
  if (!u) throw new Error(`no unit with ${needle}: ${us.map((x) => x.text).join(' | ')}`);
  return u;
};
const findings = async (src: string, path = ALEMBIC, opts: { dialect?: 'postgresql' | 'sqlite'; config?: object } = {}) =>
  (await check(src, { path, ...opts })).findings;

const INSERT_OR_IGNORE = 'INSERT OR IGNORE INTO users_to_recipes (id, user_id) VALUES (:id, :user_id)';
const ON_CONFLICT = 'INSERT INTO users_to_recipes (id, user_id) VALUES (:id, :user_id) ON CONFLICT DO NOTHING';

describe('branch dialects (Alembic)', () => {
  it('the SQLite branch of `if op.get_bind().dialect.name == "sqlite"` is read as SQLite: no parse error', async () => {
    const src = mig(`    if op.get_bind().dialect.name == "sqlite":\n        op.execute("${INSERT_OR_IGNORE}")\n    else:\n        op.execute("${ON_CONFLICT}")`);
    const us = units(src);
    expect(unit(us, 'OR IGNORE').dialect).toBe('sqlite');
    expect(unit(us, 'OR IGNORE').branch?.runsOn).toEqual(['sqlite']);
    // the else branch gets the complement: every database but SQLite, read in the file's dialect
    expect(unit(us, 'ON CONFLICT').dialect).toBe('postgresql');
    expect(unit(us, 'ON CONFLICT').branch?.runsOn).not.toContain('sqlite');
    expect(unit(us, 'ON CONFLICT').branch?.runsOn).toContain('postgresql');
    expect(of(await findings(src), 'parse-error')).toEqual([]);
  });

  it('negative: the same INSERT OR IGNORE outside any branch is still a PostgreSQL parse error', async () => {
    const src = mig(`    op.execute("${INSERT_OR_IGNORE}")`);
    expect(of(await findings(src), 'parse-error')).toHaveLength(1);
  });

  it('a DROP TABLE in a SQLite-only branch still gates, and says which branch it is in', async () => {
    const src = mig('    if op.get_bind().dialect.name == "sqlite":\n        op.execute("DROP TABLE users")');
    const d = of(await findings(src), 'drop-table');
    expect(d).toHaveLength(1);
    expect(d[0].gating).toBe(true);
    expect(d[0].message).toMatch(/\(in the SQLite branch\)$/);
  });

  it('an op.* call in a branch keeps its PostgreSQL rendering but is marked with the branch', async () => {
    const src = mig('    if op.get_bind().dialect.name == "sqlite":\n        op.drop_table("users")');
    const u = units(src)[0];
    expect(u.dialect).toBe('postgresql');
    expect(u.branch?.runsOn).toEqual(['sqlite']);
    const d = of(await findings(src), 'drop-table');
    expect(d[0].gating).toBe(true);
    expect(d[0].message).toMatch(/SQLite branch/);
  });

  it('the configured dialect, when known, is named for a branch that does not run on it; no finding is dropped', async () => {
    const src = mig('    if op.get_bind().dialect.name == "sqlite":\n        op.execute("DROP TABLE a")\n    else:\n        op.execute("DROP TABLE b")');
    const d = of(await findings(src, ALEMBIC, { config: { dialect: 'postgresql' } }), 'drop-table');
    expect(d).toHaveLength(2);
    expect(d.every((f) => f.gating)).toBe(true);
    expect(d.find((f) => / a\b/.test(f.message))!.message).toMatch(/in the SQLite branch; the configured dialect is postgresql/);
    expect(d.find((f) => / b\b/.test(f.message))!.message).toMatch(/branch for databases other than SQLite\)$/);
    // not known (the postgresql default): the branch only
    const plain = of(await findings(src), 'drop-table');
    expect(plain.find((f) => / a\b/.test(f.message))!.message).not.toMatch(/configured/);
  });

  it('a variable holding the test: `is_sqlite = …` then `if is_sqlite:` and `if not is_sqlite:`', () => {
    const src = mig(`    is_sqlite = op.get_context().dialect.name == "sqlite"\n    if is_sqlite:\n        op.execute("${INSERT_OR_IGNORE}")\n    if not is_sqlite:\n        op.execute("${ON_CONFLICT}")`);
    const us = units(src);
    expect(unit(us, 'OR IGNORE').dialect).toBe('sqlite');
    expect(unit(us, 'ON CONFLICT').branch?.runsOn).not.toContain('sqlite');
  });

  it('a variable holding the name (`dialect = bind.engine.name`) and `in (…)` / `not in (…)`', () => {
    const src = mig(
      '    bind = op.get_bind()\n    dialect = bind.engine.name\n    if dialect in ("mysql", "mariadb"):\n        op.execute("ALTER TABLE `t` MODIFY `c` DATETIME(6)")\n    if dialect not in ("postgresql",):\n        op.execute("SELECT 1")',
    );
    const us = units(src);
    expect(unit(us, 'MODIFY').dialect).toBe('mysql');
    expect(unit(us, 'MODIFY').branch?.runsOn).toEqual(['mysql', 'mariadb']);
    expect(unit(us, 'SELECT 1').branch?.runsOn).not.toContain('postgresql');
  });

  it('a helper `def is_postgres(): return op.get_context().dialect.name == "postgresql"` (mealie)', async () => {
    const pre = '\n\ndef is_postgres():\n    return op.get_context().dialect.name == "postgresql"\n';
    const src = mig(`    if is_postgres():\n        query = "${ON_CONFLICT}"\n    else:\n        query = "${INSERT_OR_IGNORE}"\n    op.get_bind().execute(sa.text(query), {"id": 1})`, pre);
    const us = units(src);
    expect(unit(us, 'OR IGNORE').dialect).toBe('sqlite');
    expect(unit(us, 'ON CONFLICT').dialect).toBe('postgresql');
    expect(unit(us, 'ON CONFLICT').branch?.runsOn).toEqual(['postgresql']);
    expect(of(await findings(src), 'parse-error')).toEqual([]);
  });

  it('a function called only from a branch runs on that branch’s databases', () => {
    const pre = '\n\ndef get_db_type():\n    return op.get_context().dialect.name\n\n\ndef setup():\n    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")\n';
    const src = mig('    if get_db_type() == "postgresql":\n        setup()\n    else:\n        pass', pre);
    expect(unit(units(src), 'pg_trgm').branch?.runsOn).toEqual(['postgresql']);
  });

  it('an early return guard: `if dialect != "postgresql": return` constrains the rest of the block', () => {
    const src = mig('    if op.get_bind().dialect.name != "postgresql":\n        return\n    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")');
    expect(unit(units(src), 'pg_trgm').branch?.runsOn).toEqual(['postgresql']);
    // negative: a guard that does not leave constrains nothing after it
    const src2 = mig('    if op.get_bind().dialect.name != "postgresql":\n        print("x")\n    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")');
    expect(unit(units(src2), 'pg_trgm').branch).toBeUndefined();
  });

  it('url.startswith and "sqlite" in url', () => {
    const src = mig(`    url = str(op.get_bind().engine.url)\n    if url.startswith("sqlite"):\n        op.execute("${INSERT_OR_IGNORE}")\n    if "postgresql" in url:\n        op.execute("${ON_CONFLICT}")`);
    const us = units(src);
    expect(unit(us, 'OR IGNORE').dialect).toBe('sqlite');
    expect(unit(us, 'ON CONFLICT').branch?.runsOn).toEqual(['postgresql']);
  });

  it('elif chains: each branch gets its own database, the final else what is left', () => {
    const src = mig(
      '    name = op.get_bind().dialect.name\n    if name == "postgresql":\n        op.execute("SELECT 1")\n    elif name == "sqlite":\n        op.execute("SELECT 2")\n    else:\n        op.execute("SELECT 3")',
    );
    const us = units(src);
    expect(unit(us, 'SELECT 1').branch?.runsOn).toEqual(['postgresql']);
    expect(unit(us, 'SELECT 2').branch?.runsOn).toEqual(['sqlite']);
    const rest = unit(us, 'SELECT 3').branch?.runsOn ?? [];
    expect(rest).not.toContain('postgresql');
    expect(rest).not.toContain('sqlite');
    expect(rest).toContain('mysql');
  });

  it('`and` with an unknown part narrows the true branch only; the false branch can be anything', () => {
    const src = mig('    if op.get_bind().dialect.name == "mysql" and not flag():\n        op.execute("SELECT 1")\n    else:\n        op.execute("SELECT 2")');
    const us = units(src);
    expect(unit(us, 'SELECT 1').branch?.runsOn).toEqual(['mysql', 'mariadb']);
    expect(unit(us, 'SELECT 2').branch).toBeUndefined();
  });

  it('isinstance(bind.dialect, postgresql.dialect) and `vendor == "mysql" and not connection.mysql_is_mariadb`', () => {
    const src = mig(
      '    bind = op.get_bind()\n    if isinstance(bind.dialect, postgresql.dialect):\n        op.execute("SELECT 1")\n    if bind.dialect.name == "mysql" and not bind.dialect.is_mariadb:\n        op.execute("SELECT 2")',
      'from sqlalchemy.dialects import postgresql\n',
    );
    const us = units(src);
    expect(unit(us, 'SELECT 1').branch?.runsOn).toEqual(['postgresql', 'other']);
    expect(unit(us, 'SELECT 2').branch?.runsOn).toEqual(['mysql']);
  });

  it('unknown conditions keep today’s reading: `if some_func():` constrains nothing', async () => {
    const src = mig(`    if some_func():\n        op.execute("${INSERT_OR_IGNORE}")\n    else:\n        op.execute("DROP TABLE users")`);
    const us = units(src);
    expect(us.every((u) => u.branch === undefined && u.dialect === 'postgresql')).toBe(true);
    const fs = await findings(src);
    expect(of(fs, 'parse-error')).toHaveLength(1);
    expect(of(fs, 'drop-table')[0].message).not.toMatch(/branch/);
  });

  it('a test naming a database we cannot parse leaves its SQL in the file dialect (fail closed)', async () => {
    const src = mig('    if op.get_bind().dialect.name == "oracle":\n        op.execute("DROP TABLE users CASCADE CONSTRAINTS PURGE")');
    const u = units(src)[0];
    expect(u.dialect).toBe('postgresql');
    expect(u.branch?.runsOn).toEqual(['oracle']);
    const fs = await findings(src);
    expect(of(fs, 'parse-error').length + of(fs, 'drop-table').length).toBeGreaterThan(0);
    expect(fs.some((f) => f.gating)).toBe(true);
  });

  it('the else of `== "postgresql"` is read in the first dialect every statement parses in', async () => {
    // MySQL-only syntax in the branch for "not PostgreSQL": SQLite refuses it, MySQL reads it
    const src = mig('    if op.get_bind().dialect.name == "postgresql":\n        op.execute("SELECT 1")\n    else:\n        op.execute("ALTER TABLE `t` MODIFY `c` DATETIME(6)")');
    const r = await run([{ path: ALEMBIC, content: src }], { replay: false });
    expect(r.findings.filter((f) => f.ruleId === 'parse-error')).toEqual([]);
    // negative: text no dialect of the branch reads is still a parse error
    const bad = mig('    if op.get_bind().dialect.name == "postgresql":\n        op.execute("SELECT 1")\n    else:\n        op.execute("ALTER TABLE FROM WHERE")');
    expect(of(await findings(bad), 'parse-error')).toHaveLength(1);
  });
});

describe('branch dialects (Django)', () => {
  const HEADD = 'from django.db import connection, migrations\n\n';
  it('`if connection.vendor == "postgresql":` around operations; RunSQL with hints and elidable', async () => {
    const src = `${HEADD}class Migration(migrations.Migration):\n    dependencies = [("app", "0001_initial")]\n    if connection.vendor == "postgresql":\n        operations = [migrations.RunSQL("CREATE EXTENSION IF NOT EXISTS pg_trgm", reverse_sql="DROP EXTENSION pg_trgm", hints={"target_db": "default"}, elidable=True)]\n    else:\n        operations = [migrations.RunSQL(sql="${INSERT_OR_IGNORE.replace(/:id/g, '1').replace(/:user_id/g, '2')}", elidable=False)]\n`;
    const us = units(src, DJANGO);
    expect(unit(us, 'pg_trgm').branch?.runsOn).toEqual(['postgresql']);
    expect(unit(us, 'OR IGNORE').dialect).toBe('sqlite');
    const fs = await findings(src, DJANGO);
    expect(of(fs, 'parse-error')).toEqual([]);
  });

  it('`schema_editor.connection.vendor` in a RunPython function, with an early return', () => {
    const src = `${HEADD}def forwards(apps, schema_editor):\n    if schema_editor.connection.vendor != "sqlite":\n        return\n    schema_editor.execute("PRAGMA legacy_alter_table = OFF")\n\n\nclass Migration(migrations.Migration):\n    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]\n`;
    const u = unit(units(src, DJANGO), 'PRAGMA');
    expect(u.dialect).toBe('sqlite');
    expect(u.branch?.runsOn).toEqual(['sqlite']);
  });

  it('`django.db.connection.vendor` and settings ENGINE', () => {
    const src = `import django.db\nfrom django.conf import settings\nfrom django.db import migrations\n\ndef f(apps, schema_editor):\n    if django.db.connection.vendor == "mysql":\n        schema_editor.execute("SELECT 1")\n    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":\n        schema_editor.execute("SELECT 2")\n\n\nclass Migration(migrations.Migration):\n    operations = [migrations.RunPython(f)]\n`;
    const us = units(src, DJANGO);
    expect(unit(us, 'SELECT 1').branch?.runsOn).toEqual(['mysql', 'mariadb']);
    expect(unit(us, 'SELECT 2').branch?.runsOn).toEqual(['sqlite']);
  });
});

describe('branch dialects and the replay', () => {
  it('SQL of the SQLite branch is not replayed into PGlite; the PostgreSQL branch is', async () => {
    const src = mig(
      '    if op.get_bind().dialect.name == "sqlite":\n        op.execute("CREATE TABLE t (id integer)")\n        op.execute("INSERT OR IGNORE INTO t (id) VALUES (1)")\n    else:\n        op.execute("CREATE TABLE t (id integer)")\n        op.execute("INSERT INTO t (id) VALUES (1) ON CONFLICT DO NOTHING")\n    op.execute("DROP TABLE t")',
    );
    const r = await run([{ path: ALEMBIC, content: src }], { replay: true });
    const s = r.replay![0];
    expect(s.engine).toBe('pglite');
    // the two statements of the other branch are not sent: no "already exists" refusal
    expect(s.judged.statements).toBe(3);
    expect(s.skippedCount).toBe(0);
    // (a loaded machine may pass the sandbox's wall-clock limit: what ran is then not all)
    if (!s.limit) expect(s.judged.replayed).toBe(3);
    // the DROP of a table this migration made is judged against the replayed state, from the PostgreSQL branch
    expect(r.findings.filter((f) => f.ruleId === 'parse-error')).toEqual([]);
  }, 60_000);

  it('a statement of the other branch is judged on its own branch, not on what the PostgreSQL branch did (mealie d7c6efd2de42)', async () => {
    const body =
      '    if op.get_context().dialect.name == "postgresql":\n        op.alter_column("recipes", "rating", existing_type=sa.INTEGER(), type_=sa.Float())\n    else:\n        with op.batch_alter_table("recipes") as batch_op:\n            batch_op.alter_column("rating", existing_type=sa.INTEGER(), type_=sa.Float())';
    for (const replay of [false, true]) {
      const r = await run([{ path: ALEMBIC, content: mig(body) }], { replay });
      const t = r.findings.filter((f) => f.ruleId === 'alter-column-type');
      expect(t).toHaveLength(2);
      // the SQLite branch's change is not read as "keeps the type" because the other branch changed it first
      expect(t.every((f) => f.gating)).toBe(true);
      expect(t.find((f) => /other than PostgreSQL/.test(f.message))!.message).not.toMatch(/Keeps the type/);
    }
  }, 60_000);

  it('negative: without a dialect test both CREATEs are replayed and the second is refused', async () => {
    const src = mig('    if flag():\n        op.execute("CREATE TABLE t (id integer)")\n    else:\n        op.execute("CREATE TABLE t (id integer)")\n    op.execute("DROP TABLE t")');
    const r = await run([{ path: ALEMBIC, content: src }], { replay: true });
    expect(r.replay![0].judged.statements).toBe(3);
    if (!r.replay![0].limit) expect(r.replay![0].skippedCount).toBe(1);
  }, 60_000);
});
