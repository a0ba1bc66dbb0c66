// Classes of evasion found by an attack sweep: rows reached through the table's own rows, SQL run by
// functions from a string, migrations in formats this review does not read, credentials in the files
// and shapes that hid them.
import { describe, expect, it } from 'vitest';
import { isSelected } from '../src/discover/index.js';
import { run } from '../src/engine.js';
import { check, findings } from './helpers.js';

describe('a row always matches itself', () => {
  it('self-joins, self-subqueries, self-MERGE and self-upserts reach every row; real filters do not', async () => {
    const every = async (sql: string, rule: string, dialect?: 'mysql' | 'sqlite') => (await findings(sql, rule, { dialect })).filter((f) => f.gating).length;
    expect(await every('DELETE FROM users AS u USING public.users AS v WHERE v.id = u.id AND 1 = 1;', 'delete-without-where')).toBe(1);
    expect(await every('DELETE FROM users u USING users v WHERE u.id IS NOT DISTINCT FROM v.id;', 'delete-without-where')).toBe(1);
    expect(await every('DELETE FROM users WHERE id = ANY (SELECT id FROM users);', 'delete-without-where')).toBe(1);
    expect(await every('DELETE FROM users WHERE id IN (SELECT DISTINCT id FROM users);', 'delete-without-where')).toBe(1);
    // DISTINCT ON, LIMIT, a join to another table, a filter on the copy: not every row.
    expect(await every('DELETE FROM users WHERE id IN (SELECT DISTINCT ON (email) id FROM users);', 'delete-without-where')).toBe(0);
    expect(await every('DELETE FROM users WHERE id IN (SELECT id FROM users LIMIT 10);', 'delete-without-where')).toBe(0);
    expect(await every('DELETE FROM users u USING users v, bans b WHERE u.id = v.id AND b.user_id = u.id;', 'delete-without-where')).toBe(0);
    expect(await every('DELETE FROM users u USING users v, settings s WHERE u.id = v.id AND s.purge;', 'delete-without-where')).toBe(1);
    expect(await every("UPDATE users u SET role = 'x' FROM users v WHERE u.id = v.id AND v.active;", 'update-without-where')).toBe(0);
    expect(await every('DELETE FROM app.users u USING other.users v WHERE u.id = v.id;', 'delete-without-where')).toBe(0);
    // An upsert whose conflict target is not copied onto itself, or whose DO UPDATE filters.
    expect(await every("INSERT INTO users (id, email) SELECT id, email FROM users ON CONFLICT (email) DO UPDATE SET role = 'x';", 'update-without-where')).toBe(1);
    expect(await every("INSERT INTO users (id, email) SELECT id, lower(email) FROM users ON CONFLICT (email) DO UPDATE SET role = 'x';", 'update-without-where')).toBe(0);
    expect(await every("INSERT INTO users (id) SELECT id FROM users ON CONFLICT (id) DO UPDATE SET role = 'x' WHERE users.role = 'guest';", 'update-without-where')).toBe(0);
    expect(await every('INSERT INTO users SELECT * FROM users ON CONFLICT (id) DO UPDATE SET role = EXCLUDED.role;', 'update-without-where')).toBe(0);
    expect(await every("INSERT OR REPLACE INTO users SELECT * FROM users WHERE role = 'x'", 'update-without-where', 'sqlite')).toBe(0);
  });

  it('a body variable is one value per statement, but a column of the same name wins in SQL functions', async () => {
    const ddl = 'CREATE TABLE audit_log (id bigint, msg text);\n';
    const [param] = await findings(`${ddl}CREATE FUNCTION purge(cond boolean) RETURNS void LANGUAGE sql AS $$ DELETE FROM audit_log WHERE cond $$;`, 'delete-without-where');
    expect(param.message).toContain('names none of its columns');
    expect(await findings(`${ddl}CREATE FUNCTION purge(msg text) RETURNS void LANGUAGE sql AS $$ DELETE FROM audit_log WHERE msg = 'x' $$;`, 'delete-without-where')).toEqual([]);
    // PL/pgSQL with `#variable_conflict use_column`: the column wins.
    expect(await findings('DO $$ #variable_conflict use_column\nDECLARE msg text := 1; BEGIN DELETE FROM audit_log WHERE msg IS NULL; END $$;', 'delete-without-where')).toEqual([]);
    expect((await findings('DO $$ DECLARE msg text := 1; BEGIN DELETE FROM audit_log WHERE msg IS NULL; END $$;', 'delete-without-where'))[0].gating).toBe(true);
  });
});

describe('SQL run by functions from a string', () => {
  it('is analyzed where the call is; a computed string is dynamic SQL', async () => {
    const r = await check("SELECT 1;\nSELECT query_to_xml('SELECT pg_terminate_backend(pid) FROM pg_stat_activity', true, true, '');");
    const [t] = r.findings.filter((f) => f.ruleId === 'terminate-backend');
    expect([t.line, t.gating]).toEqual([2, true]);
    expect(t.message).toContain('in the SQL string run by query_to_xml()');
    // It runs now, so what it needs is needed now.
    expect(r.findings.some((f) => f.ruleId === 'privilege-escalation-needed' && f.line === 2)).toBe(true);
    const s = await findings("SELECT dblink_exec('dbname=' || current_database(), 'DROP TABLE users');", 'drop-table');
    expect(s[0].message).toContain('SQL string run by dblink_exec()');
    // Inside a function body the string runs when the function runs: no call now, and no privilege need now.
    const f = await findings("CREATE FUNCTION g() RETURNS void LANGUAGE sql AS $$ SELECT query_to_xml('SELECT pg_read_file(''/etc/passwd'')', true, true, '') $$;", 'server-file-access');
    expect(f[0].message).toContain('inside function g');
    expect((await findings("SELECT * FROM crosstab($q$SELECT a, b, c FROM t$q$ || current_setting('x'));", 'dynamic-sql'))[0].gating).toBe(true);
    expect(await findings("SELECT * FROM crosstab('SELECT a, b, c FROM t ORDER BY 1') AS ct(a text, b text);", 'dynamic-sql')).toEqual([]);
  });
});

describe('migrations in formats this review does not read', () => {
  it('are selected by the default globs and reported as not verifiable, naming the runner', async () => {
    for (const p of ['migrations/00002_drop.go', 'migrations/000002_x.up.pgsql', 'db/migration/V2__x.sh', 'db/migration/V2_1__x.psql', 'migrations/20240102000000_drop.js', 'src/migrations/1700000000000-Init.ts']) expect(isSelected(p), p).toBe(true);
    for (const p of ['cmd/main.go', 'Version.txt', 'src/2024_util.js', 'migrations/README.md']) expect(isSelected(p), p).toBe(false);
    const r = await run([{ path: 'migrations/00002_drop.go', content: 'package migrations\n' }], { replay: false });
    const [f] = r.findings.filter((x) => x.ruleId === 'parse-error');
    expect(f.gating).toBe(true);
    expect(f.message).toContain('goose registers Go migrations');
  });
});

describe('credentials in more shapes and files', () => {
  it('alembic.ini interpolation is read as ConfigParser reads it; the password is reported where it is set', async () => {
    const r = await run([{ path: 'alembic.ini', content: '[alembic]\nscript_location = alembic\ndb_pw = Zq8mW2pvR7xx\nsqlalchemy.url = postgresql://app:%(db_pw)s@db/app\n' }], { replay: false });
    const [f] = r.findings.filter((x) => x.ruleId === 'config-credential');
    expect([f.line, f.gating]).toEqual([3, true]);
    expect(JSON.stringify(r)).not.toContain('Zq8mW2pvR7xx');
    // Unresolved names and %(here)s are not passwords.
    const c = await run([{ path: 'alembic.ini', content: '[alembic]\nsqlalchemy.url = postgresql://app:%(nope)s@%(here)s/app\n' }], { replay: false });
    expect(c.findings.filter((x) => x.ruleId === 'config-credential')).toEqual([]);
  });

  it('.pgpass fields, escaped colons included', async () => {
    const r = await run([{ path: '.pgpass', content: '# comment\ndb:5432:app:app:Zq8\\:mW2pvR7xx\n' }], { replay: false });
    const [f] = r.findings.filter((x) => x.ruleId === 'config-credential');
    expect(f.line).toBe(2);
    expect(JSON.stringify(r)).not.toContain('mW2pvR7xx');
  });

  it('a positional INSERT is read with the table columns the state knows', async () => {
    const [f] = await findings("CREATE TABLE svc (name text, pwd text);\nINSERT INTO svc VALUES ('ftp', 'Zq8mW2pvR7xx');", 'hardcoded-password');
    expect(f.line).toBe(2);
    // A row of another length is not guessed at.
    expect(await findings("CREATE TABLE svc (name text, pwd text);\nINSERT INTO svc VALUES ('ftp', 'Zq8mW2pvR7xx', 3);", 'hardcoded-password')).toEqual([]);
  });
});

describe('Django and SQLAlchemy paths to the same writes', () => {
  const dj = (body: string) =>
    run([{ path: 'shop/migrations/0002_x.py', content: `from django.db import migrations\n\ndef fwd(apps, schema_editor):\n${body}\n\nclass Migration(migrations.Migration):\n    dependencies = [('shop', '0001_initial')]\n    operations = [migrations.RunPython(fwd)]\n` }], { replay: false });
  const gating = async (body: string) => (await dj(body)).findings.filter((f) => f.gating).map((f) => `${f.ruleId}@${f.line}`);
  it('querysets through a name, _raw_delete, the schema editor', async () => {
    expect(await gating("    qs = apps.get_model('shop', 'Customer').objects.all()\n    qs._raw_delete(qs.db)")).toEqual(['delete-without-where@5']);
    expect(await gating("    qs = apps.get_model('shop', 'Customer').objects.filter(active=False)\n    qs.delete()")).toEqual([]);
    expect(await gating("    schema_editor.delete_model(apps.get_model('shop', 'Customer'))")).toEqual(['drop-table@4']);
    // A name rebound to itself does not loop.
    expect(await gating("    qs = apps.get_model('shop', 'Customer').objects.all()\n    qs = qs.filter(active=False)\n    qs.delete()")).not.toContain('delete-without-where@6');
  });
  it('account passwords and promotions the account scan missed', async () => {
    expect(await gating("    from django.contrib.auth.models import User\n    u = User.objects.get(username='admin')\n    u.set_password('Winter2024!')\n    u.save()")).toEqual(['django-superuser@6']);
    expect(await gating("    from django.contrib.auth.models import User\n    User.objects.create_user('svc', 'svc@x.io', 'S3cretPassw0rd!')")).toEqual(['django-superuser@5']);
    expect(await gating("    from django.contrib.auth.models import User\n    User.objects.create_user('svc', 'svc@x.io')")).toEqual([]);
    expect(await gating("    U = apps.get_model('auth', 'User')\n    u = U.objects.get(username='m')\n    setattr(u, 'is_' + 'superuser', True)\n    u.save()")).toEqual(['django-superuser@6']);
  });
  it('a SQLAlchemy comparison of constants is folded', async () => {
    const r = await run([{ path: 'alembic/versions/b2_x.py', content: "from alembic import op\nimport sqlalchemy as sa\nrevision = 'b2'\ndown_revision = None\n\ndef upgrade():\n    u = sa.table('users', sa.column('id'))\n    op.execute(u.delete().where(sa.literal_column('1') == 1))\n    op.execute(u.delete().where(sa.literal(True)))\n    op.execute(u.delete().where(u.c.id == 3))\n" }], { replay: false });
    expect(r.findings.filter((f) => f.ruleId === 'delete-without-where').map((f) => f.line)).toEqual([8, 9]);
  });
});

describe('foreign-key checks turned off (MySQL, SQLite)', () => {
  it('gates deletes and key changes while off; the table-rebuild idiom is info', async () => {
    const sev = async (sql: string, dialect: 'mysql' | 'sqlite') => (await findings(sql, 'disable-trigger', { dialect })).map((f) => f.severity);
    expect(await sev("PRAGMA foreign_keys = OFF;\nUPDATE users SET role = 'HOST' WHERE id = 1;\nPRAGMA foreign_keys = ON;", 'sqlite')).toEqual(['info']);
    expect(await sev('PRAGMA foreign_keys = OFF;\nUPDATE users SET id = id + 1000 WHERE id = 1;\nPRAGMA foreign_keys = ON;', 'sqlite')).toEqual(['error']);
    expect(await sev('SET FOREIGN_KEY_CHECKS = 0;\nREPLACE INTO users (id, email) VALUES (1, 2);\nSET FOREIGN_KEY_CHECKS = 1;', 'mysql')).toEqual(['error']);
    expect(await sev('SET FOREIGN_KEY_CHECKS = 0;\nCREATE TABLE x (id INT);', 'mysql')).toEqual(['warning']);
    expect(await sev('SET FOREIGN_KEY_CHECKS = 1;', 'mysql')).toEqual([]);
  });
});

describe('read as the runner reads', () => {
  it('a MySQL executable comment in a file read as PostgreSQL is not silence', async () => {
    for (const c of ['/*!50000 DROP TABLE users */;', '/*M! DROP TABLE users */;', "SELECT 1 /*! , 1; GRANT ALL ON *.* TO 'x'@'%' */;"]) {
      const [f] = (await check(`${c}\nSELECT 1;`)).findings.filter((x) => x.ruleId === 'parse-error');
      expect(f?.gating, c).toBe(true);
    }
    // Inside a string it is text; a plain comment is a comment; a MySQL file parses the inside.
    expect((await check("SELECT '/*! DROP TABLE users */';")).findings.filter((x) => x.ruleId === 'parse-error')).toEqual([]);
    expect((await check('/* ! not executable */ SELECT 1;')).findings.filter((x) => x.ruleId === 'parse-error')).toEqual([]);
    expect((await check('/*!50000 DROP TABLE users */;', { dialect: 'mysql' })).findings.map((x) => x.ruleId)).toContain('drop-table');
  });

  it('with replay on, a positional INSERT into a table the judged file creates is read by its columns', async () => {
    const r = await check("CREATE TABLE svc (name text, pwd text);\nINSERT INTO svc VALUES ('ftp', 'Zq8mW2pvR7xx');", { replay: true });
    expect(r.findings.filter((f) => f.ruleId === 'hardcoded-password').map((f) => f.line)).toEqual([2]);
  }, 60_000);
});

describe('accounts made administrators in SQL', () => {
  it('flags and admin roles gate; a role rename and an initial seed into a new table do not', async () => {
    const sev = async (sql: string) => (await findings(sql, 'django-superuser')).map((f) => f.severity);
    expect(await sev("UPDATE users SET is_admin = true, role = 'admin' WHERE email = 'mallory@evil.example';")).toEqual(['error']);
    expect(await sev("INSERT INTO users (email, role) VALUES ('m@evil.example', 'admin');")).toEqual(['error']);
    expect(await sev("UPDATE users SET role = 'ADMIN' WHERE role = 'HOST';")).toEqual([]);
    expect(await sev("CREATE TABLE users (id int, username text, role text);\nINSERT INTO users (id, username, role) VALUES (1, 'admin', 'admin');")).toEqual(['warning']);
    expect(await sev("UPDATE settings SET role = 'admin' WHERE key = 'x';")).toEqual([]);
  });
});
