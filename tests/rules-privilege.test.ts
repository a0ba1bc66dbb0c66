// Privilege rules: grant, grant-role, role-attributes, default-privileges, security-definer,
// owner-change, rls-disabled, drop-policy, set-role — both parsers, nested statements, positions.
import { describe, expect, it } from 'vitest';
import { check, findings } from './helpers.js';

const PRIVILEGE_RULES = ['grant', 'grant-role', 'role-attributes', 'default-privileges', 'security-definer', 'owner-change', 'rls-disabled', 'drop-policy', 'set-role'];

async function privilegeIds(sql: string, dialect?: 'mysql' | 'mariadb'): Promise<string[]> {
  const r = await check(sql, { dialect });
  return r.findings.filter((f) => PRIVILEGE_RULES.includes(f.ruleId)).map((f) => f.ruleId);
}

describe('grant', () => {
  it('names privileges, objects and grantees, and rates PUBLIC / ALL as high risk', async () => {
    const [f] = await findings('GRANT ALL ON public.users TO PUBLIC;', 'grant');
    expect(f.message).toBe('Grants ALL on public.users to PUBLIC (high risk: PUBLIC is every role, present and future; ALL privileges).');
    expect(f.severity).toBe('error');
    expect(f.gating).toBe(true);
    const [g] = await findings('GRANT SELECT, INSERT ON TABLE orders TO app_rw;', 'grant');
    expect(g.message).toBe('Grants SELECT, INSERT on orders to app_rw.');
    expect(g.message).not.toContain('high risk');
  });
  it('calls out WITH GRANT OPTION, column lists, schemas and ALL … IN SCHEMA', async () => {
    expect((await findings('GRANT SELECT (email) ON users TO support WITH GRANT OPTION;', 'grant'))[0].message).toBe(
      'Grants SELECT (email) on users to support WITH GRANT OPTION (high risk: WITH GRANT OPTION lets the grantee grant it on).',
    );
    expect((await findings('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO anon, authenticated;', 'grant'))[0].message).toBe(
      'Grants EXECUTE on all functions in schema public to anon, authenticated.',
    );
    expect((await findings('GRANT USAGE ON SCHEMA auth TO service_role;', 'grant'))[0].message).toBe('Grants USAGE on schema auth to service_role.');
  });
  it('rates grants on dangerous functions, untrusted languages and ALTER SYSTEM as high risk', async () => {
    expect((await findings('GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_file(text) TO bob;', 'grant'))[0].message).toMatch(/pg_read_file\(text\) to bob \(high risk: .*reads a file/);
    expect((await findings('GRANT USAGE ON LANGUAGE plpython3u TO dev;', 'grant'))[0].message).toContain('high risk: untrusted language');
    expect((await findings('GRANT ALTER SYSTEM ON PARAMETER shared_preload_libraries TO ops;', 'grant'))[0].message).toContain('high risk: ALTER SYSTEM');
  });
  it('REVOKE gates like GRANT with a lower risk level in the message, except in down migrations', async () => {
    const [f] = await findings('REVOKE ALL ON public.users FROM PUBLIC;', 'grant');
    expect(f.severity).toBe('error');
    expect(f.gating).toBe(true);
    expect(f.message).toBe('Revokes ALL on public.users from PUBLIC (lower risk: it only narrows access, but can cut a service or role off data it still needs).');
    const [d] = await findings('REVOKE SELECT ON orders FROM app;', 'grant', { path: 'migrations/0002_x.down.sql' });
    expect(d.severity).toBe('warning');
    expect(d.gating).toBe(false);
    expect(d.down).toBe(true);
    // The same in the down section of a single file (golang-migrate/dbmate style sections).
    const [s] = await findings('-- migrate:up\nGRANT SELECT ON t TO app;\n-- migrate:down\nREVOKE SELECT ON t FROM app;\n', 'grant', { path: 'db/migrations/20240101_x.sql' });
    expect(s.severity).toBe('error');
  });
  it('flags grants nested in DO blocks, EXECUTE literals and function bodies, saying where', async () => {
    const sql = ['CREATE TABLE t (id int);', 'DO $$', 'BEGIN', "  EXECUTE 'GRANT SELECT ON secrets TO PUBLIC';", 'END $$;'].join('\n');
    const [f] = await findings(sql, 'grant');
    expect(f.message).toContain('inside a DO block');
    expect(f.message).toContain('high risk');
    expect(f.line).toBe(4);
    const fn = 'CREATE FUNCTION open_up() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  GRANT ALL ON t TO PUBLIC;\nEND $$;';
    const [g] = await findings(fn, 'grant');
    expect(g.message).toContain('inside function open_up (runs whenever it is called)');
    expect(g.line).toBe(3);
    expect(g.column).toBe(3);
  });
  it('points at the statement (line/column) in a multi-statement file', async () => {
    const [f] = await findings('CREATE TABLE a (id int);\n\n   GRANT SELECT ON a TO reader;\n', 'grant');
    expect([f.line, f.column]).toEqual([3, 4]);
  });
  it('MySQL: parsed grants, ON *.*, and grants node-sql-parser rejects (read from the text, no double report)', async () => {
    expect((await findings('GRANT SELECT, INSERT ON shop.orders TO app;', 'grant', { dialect: 'mysql' }))[0].message).toBe("Grants SELECT, INSERT on shop.orders to 'app'.");
    expect((await findings('GRANT SELECT ON *.* TO bob;', 'grant', { dialect: 'mysql' }))[0].message).toContain('high risk: *.* is every database');
    const all = await findings("GRANT ALL PRIVILEGES ON *.* TO 'bob'@'%' WITH GRANT OPTION;", 'grant', { dialect: 'mysql' });
    expect(all).toHaveLength(1);
    expect(all[0].message).toMatch(/^Grants ALL on \*\.\* to 'bob'@'%' WITH GRANT OPTION \(high risk: .*every database.*GRANT OPTION.*any host/);
    expect(all[0].gating).toBe(true);
    const file = await findings("GRANT FILE ON *.* TO 'etl'@'localhost';", 'grant', { dialect: 'mariadb' });
    expect(file[0].message).toContain('FILE');
    const rev = await findings('REVOKE ALL ON *.* FROM bob;', 'grant', { dialect: 'mysql' });
    expect(rev).toHaveLength(1);
    expect(rev[0].severity).toBe('error');
    expect(rev[0].message).toContain('lower risk');
  });
  it('falls back to the generic lexical finding for unparsable PostgreSQL', async () => {
    const f = await findings('GRANT SELECT ON TABLE t TO ;', 'grant');
    expect(f).toHaveLength(1);
    expect(f[0].message).toMatch(/^Likely: /);
  });
});

describe('grant-role', () => {
  it('calls out predefined roles that reach outside the database', async () => {
    for (const role of ['pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program', 'pg_signal_backend', 'pg_read_all_data', 'pg_write_all_data']) {
      const [f] = await findings(`GRANT ${role} TO etl;`, 'grant-role');
      expect(f.message, role).toMatch(new RegExp(`^Grants role ${role} \\(.+\\) to etl \\(high risk\\)\\.$`));
    }
    expect((await findings('GRANT pg_execute_server_program TO etl;', 'grant-role'))[0].message).toContain('run programs on the database server');
  });
  it('plain role grants are errors without "high risk"; ADMIN OPTION is high risk', async () => {
    expect((await findings('GRANT reader TO bob;', 'grant-role'))[0].message).toBe('Grants role reader to bob.');
    expect((await findings('GRANT admin TO bob WITH ADMIN OPTION;', 'grant-role'))[0].message).toBe('Grants role admin to bob with ADMIN OPTION (can grant it to others) (high risk).');
  });
  it('REVOKE role and ALTER GROUP … DROP USER gate (lower risk); ALTER GROUP … ADD USER is a grant', async () => {
    const [r] = await findings('REVOKE admin FROM bob;', 'grant-role');
    expect(r.severity).toBe('error');
    expect(r.message).toContain('lower risk');
    expect((await findings('ALTER GROUP staff ADD USER bob;', 'grant-role'))[0].message).toBe('Adds bob to role staff.');
    expect((await findings('ALTER GROUP staff DROP USER bob;', 'grant-role'))[0].severity).toBe('error');
    // … and not double-reported as a role attribute change.
    expect(await findings('ALTER GROUP staff ADD USER bob;', 'role-attributes')).toEqual([]);
  });
  it('MySQL role grants, parsed and unparsed', async () => {
    expect((await findings('GRANT r1, r2 TO bob WITH ADMIN OPTION;', 'grant-role', { dialect: 'mysql' }))[0].message).toContain('high risk');
    const rev = await findings('REVOKE r1 FROM bob;', 'grant-role', { dialect: 'mysql' });
    expect(rev).toHaveLength(1);
    expect(rev[0].severity).toBe('error');
  });
  it('does not confuse object grants with role grants', async () => {
    expect(await privilegeIds('GRANT SELECT ON t TO bob;')).toEqual(['grant']);
    expect(await privilegeIds('GRANT reader TO bob;')).toEqual(['grant-role']);
    expect(await privilegeIds('GRANT SELECT ON db.t TO bob;', 'mysql')).toEqual(['grant']);
  });
});

describe('role-attributes', () => {
  it('calls out SUPERUSER, BYPASSRLS, CREATEROLE, CREATEDB, REPLICATION and LOGIN', async () => {
    const [f] = await findings("CREATE ROLE admin WITH SUPERUSER BYPASSRLS CREATEROLE CREATEDB REPLICATION LOGIN PASSWORD 'Sup3rS3cret!';", 'role-attributes');
    for (const a of ['SUPERUSER', 'BYPASSRLS', 'CREATEROLE', 'CREATEDB', 'REPLICATION', 'LOGIN']) expect(f.message).toContain(a);
    expect(f.message).toContain('high risk');
    expect(f.message).not.toContain('Sup3rS3cret!');
    expect(f.snippet).not.toContain('Sup3rS3cret!');
  });
  it('CREATE USER implies LOGIN; a NOLOGIN role without attributes is a warning', async () => {
    const [u] = await findings('CREATE USER reporting;', 'role-attributes');
    expect(u.message).toBe('Creates user reporting with LOGIN (can log in).');
    expect(u.severity).toBe('error');
    const [r] = await findings('CREATE ROLE anon NOLOGIN NOINHERIT;', 'role-attributes');
    expect(r.severity).toBe('warning');
    expect(r.message).toContain('no special attributes');
  });
  it('membership in a predefined role at creation is high risk', async () => {
    const [f] = await findings('CREATE ROLE etl IN ROLE pg_read_server_files;', 'role-attributes');
    expect(f.message).toMatch(/IN ROLE pg_read_server_files \(can read any file.*\(high risk\)\.$/);
    expect(f.severity).toBe('error');
  });
  it('ALTER ROLE: raising attributes is an error, removing them or setting limits a warning', async () => {
    expect((await findings('ALTER ROLE app BYPASSRLS;', 'role-attributes'))[0]).toMatchObject({ severity: 'error', message: 'Alters role app: BYPASSRLS (ignores row-level security) (high risk).' });
    expect((await findings('ALTER ROLE app NOSUPERUSER;', 'role-attributes'))[0]).toMatchObject({ severity: 'warning', message: 'Alters role app: removes SUPERUSER.' });
    expect((await findings("ALTER ROLE app VALID UNTIL 'infinity';", 'role-attributes'))[0].severity).toBe('warning');
  });
  it('ALTER ROLE … SET: only parameters that load code or switch identity', async () => {
    expect((await findings("ALTER ROLE app SET session_preload_libraries = 'evil';", 'role-attributes'))[0].message).toContain('loads a shared library');
    expect(await findings("ALTER ROLE authenticator SET statement_timeout = '8s';", 'role-attributes')).toEqual([]);
    expect(await findings('ALTER ROLE authenticator SET search_path = public;', 'role-attributes')).toEqual([]);
  });
  it('flags role creation inside a DO block', async () => {
    const [f] = await findings("DO $$\nBEGIN\n  CREATE ROLE anon NOLOGIN;\nEXCEPTION WHEN duplicate_object THEN NULL;\nEND $$;", 'role-attributes');
    expect(f.message).toContain('inside a DO block');
    expect(f.line).toBe(3);
  });
  it('MySQL CREATE USER (parsed), ALTER USER and CREATE ROLE (unparsed)', async () => {
    const [c] = await findings("CREATE USER 'app'@'%' IDENTIFIED BY 'pw-very-secret';", 'role-attributes', { dialect: 'mysql' });
    expect(c.message).toBe("Creates user 'app'@'%' (can connect from any host).");
    const [a] = await findings("ALTER USER 'app'@'localhost' IDENTIFIED BY 'pw-very-secret';", 'role-attributes', { dialect: 'mysql' });
    expect(a.message).toMatch(/^Likely: Alters user 'app'@'localhost' \(sets its password\)/);
    expect(a.message).not.toContain('pw-very-secret');
    expect(await findings('CREATE ROLE reader;', 'role-attributes', { dialect: 'mysql' })).toHaveLength(1);
  });
  it('does not flag user mappings or unrelated tables', async () => {
    expect(await privilegeIds('CREATE TABLE users (id int, password_hash text, role text);')).toEqual([]);
    expect(await findings('CREATE USER MAPPING FOR bob SERVER s;', 'role-attributes')).toEqual([]);
  });
});

describe('dynamic SQL (EXECUTE of an expression)', () => {
  const dyn = (body: string) => `DO $$\nDECLARE s text; t text; r text;\nBEGIN\n  ${body}\nEND $$;`;
  it('format() with %I/%L and quote_ident are rebuilt; the specific message keeps its severity', async () => {
    expect((await findings(dyn("EXECUTE format('GRANT ALL ON %I.%I TO %I', s, t, r);"), 'grant'))[0].message).toBe(
      'Likely: Grants ALL on s.t to r (high risk: ALL privileges) (built by dynamic SQL inside a DO block; unknown parts shown by variable name).',
    );
    const [rev] = await findings(dyn("EXECUTE 'REVOKE ALL ON storage.x FROM ' || quote_ident(r);"), 'grant');
    expect(rev.severity).toBe('error');
    expect(rev.message).toContain('lower risk');
    expect((await findings(dyn("EXECUTE 'CREATE USER ' || r || ' LOGIN SUPERUSER';"), 'role-attributes'))[0].message).toContain('Creates user r with LOGIN');
  });
  it('ALTER DEFAULT PRIVILEGES built dynamically is default-privileges only (no overlap with grant)', async () => {
    const r = await check(dyn("EXECUTE 'alter default privileges in schema storage grant all on tables to postgres, ' || r;"));
    const ids = r.findings.map((f) => f.ruleId).filter((id) => PRIVILEGE_RULES.includes(id));
    expect(ids).toEqual(['default-privileges']);
  });
  it('rebuilt SQL that does not parse: read from its text, else the rule summary', async () => {
    const [t] = await findings(dyn("EXECUTE 'GRANT ' || r || ' ON ' || t || ' TO PUBLIC ' || s;"), 'grant');
    expect(t.message).toMatch(/^Likely: Grants r on t to PUBLIC s \(high risk: PUBLIC is every role\) \(built by dynamic SQL/);
    const [f] = await findings(dyn("EXECUTE 'GRANT SELECT ON ' || t || ' TO';"), 'grant');
    expect(f.message).toMatch(/^Likely: Grants \(or revokes\) privileges on objects.*built by dynamic SQL inside a DO block/);
  });
});

describe('default-privileges', () => {
  it('describes future objects, roles, schemas and grantees', async () => {
    const [f] = await findings('ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT ALL ON TABLES TO anon;', 'default-privileges');
    expect(f.message).toBe('Grants ALL by default on tables created later by postgres in schema public to anon (high risk: ALL privileges).');
    const [r] = await findings('ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;', 'default-privileges');
    expect(r.severity).toBe('error');
    expect(r.message).toContain('lower risk');
  });
  it('is not also reported as a grant', async () => {
    expect(await privilegeIds('ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLES TO reader;')).toEqual(['default-privileges']);
  });
});

describe('security-definer', () => {
  it('says when search_path is not set, and when it is', async () => {
    const [a] = await findings('CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;', 'security-definer');
    expect(a.message).toContain('does not SET search_path');
    expect(a.message).toContain('high risk');
    const [b] = await findings("CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ SELECT 1 $$;", 'security-definer');
    expect(b.message).toBe("Function f() runs with the privileges of its owner (SECURITY DEFINER) (SET search_path = '').");
    const [c] = await findings('CREATE FUNCTION g() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$ SELECT 1 $$;', 'security-definer');
    expect(c.message).toContain('it includes public');
  });
  it('ALTER FUNCTION/PROCEDURE … SECURITY DEFINER', async () => {
    expect((await findings('ALTER PROCEDURE p() SECURITY DEFINER;', 'security-definer'))[0].message).toContain('Makes procedure p() run with the privileges of its owner');
    expect(await findings("ALTER FUNCTION f() SET search_path = '';", 'security-definer')).toEqual([]);
  });
  it('stays clean for SECURITY INVOKER plpgsql', async () => {
    expect(await privilegeIds('CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql SECURITY INVOKER AS $$ BEGIN RETURN 1; END $$;')).toEqual([]);
  });
  it('MySQL DEFINER= (view parsed, procedure unparsed) and CURRENT_USER not flagged', async () => {
    expect((await findings("CREATE DEFINER='root'@'%' SQL SECURITY DEFINER VIEW v AS SELECT 1;", 'security-definer', { dialect: 'mysql' }))[0].message).toBe(
      "Creates view v with DEFINER='root'@'%': it runs with that account’s privileges.",
    );
    const p = await findings('CREATE DEFINER=`root`@`localhost` PROCEDURE p() BEGIN SELECT 1; END', 'security-definer', { dialect: 'mysql' });
    expect(p).toHaveLength(1);
    expect(p[0].message).toContain('procedure p with DEFINER=`root`@`localhost`');
    expect(await findings('CREATE DEFINER=CURRENT_USER TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1;', 'security-definer', { dialect: 'mysql' })).toEqual([]);
  });
});

describe('owner-change', () => {
  it('names the object kind, object and new owner', async () => {
    expect((await findings('ALTER TABLE public.users OWNER TO app;', 'owner-change'))[0].message).toBe('Changes owner of table public.users to app.');
    expect((await findings('ALTER FUNCTION f(int) OWNER TO postgres;', 'owner-change'))[0].message).toBe('Changes owner of function f() to postgres (usually the superuser).');
    expect((await findings('ALTER SCHEMA billing OWNER TO bob;', 'owner-change'))[0].message).toBe('Changes owner of schema billing to bob.');
    expect((await findings('ALTER MATERIALIZED VIEW mv OWNER TO bob;', 'owner-change'))[0].message).toBe('Changes owner of materialized view mv to bob.');
    expect((await findings('REASSIGN OWNED BY a TO b;', 'owner-change'))[0].message).toContain('high risk');
  });
  it('says what partly-known dynamic SQL most likely does (rebuilt with variable names)', async () => {
    const sql = "DO $$\nDECLARE r text := 'admin';\nBEGIN\n  EXECUTE 'ALTER TABLE storage.objects OWNER TO ' || r;\nEND $$;";
    const [f] = await findings(sql, 'owner-change');
    // r is a constant: the statement is folded and read as written.
    expect(f.message).toBe('Changes owner of table storage.objects to admin inside a DO block.');
    expect(f.line).toBe(4);
    const [g] = await findings("DO $$\nDECLARE r text;\nBEGIN\n  SELECT owner INTO r FROM cfg;\n  EXECUTE 'ALTER TABLE storage.objects OWNER TO ' || r;\nEND $$;", 'owner-change');
    expect(g.message).toBe('Likely: Changes owner of table storage.objects to r (built by dynamic SQL inside a DO block; unknown parts shown by variable name).');
    expect(await findings("DO $$ DECLARE r text; BEGIN EXECUTE 'SELECT 1 FROM ' || r; END $$;", 'owner-change')).toEqual([]);
  });
  it('does not flag creating an object with an owner', async () => {
    expect(await privilegeIds('CREATE SCHEMA IF NOT EXISTS auth AUTHORIZATION supabase_admin;')).toEqual([]);
  });
});

describe('rls-disabled', () => {
  it('DISABLE and NO FORCE ROW LEVEL SECURITY, also inside DO', async () => {
    expect((await findings('ALTER TABLE public.profiles DISABLE ROW LEVEL SECURITY;', 'rls-disabled'))[0].message).toContain('Disables row-level security on public.profiles');
    expect((await findings('ALTER TABLE t NO FORCE ROW LEVEL SECURITY;', 'rls-disabled'))[0].message).toContain('table owner');
    expect(await findings("DO $$ BEGIN EXECUTE 'ALTER TABLE t DISABLE ROW LEVEL SECURITY'; END $$;", 'rls-disabled')).toHaveLength(1);
    expect(await findings('ALTER TABLE t ENABLE ROW LEVEL SECURITY; ALTER TABLE t FORCE ROW LEVEL SECURITY;', 'rls-disabled')).toEqual([]);
  });
});

describe('drop-policy', () => {
  it('DROP POLICY, ALTER POLICY to always-true, permissive always-true CREATE POLICY', async () => {
    expect((await findings('DROP POLICY IF EXISTS "Users can read" ON public.t;', 'drop-policy'))[0].message).toContain('Drops row-level security policy "Users can read" on public.t');
    const [a] = await findings('ALTER POLICY iso ON accounts USING (1 = 1) WITH CHECK (true);', 'drop-policy');
    expect(a.message).toBe('Weakens policy "iso" on accounts: USING (true): every row is visible; WITH CHECK (true): any row can be written.');
    const [w] = await findings('CREATE POLICY w ON t FOR INSERT TO anon WITH CHECK (true);', 'drop-policy');
    expect(w.severity).toBe('error');
    const [r] = await findings('CREATE POLICY r ON t FOR SELECT USING (true);', 'drop-policy');
    expect(r.severity).toBe('warning');
  });
  it('keeps filtering policies and restrictive true policies clean', async () => {
    expect(await findings('CREATE POLICY own ON t FOR ALL USING (user_id = auth.uid()) WITH CHECK (user_id = auth.uid());', 'drop-policy')).toEqual([]);
    expect(await findings('CREATE POLICY r ON t AS RESTRICTIVE USING (true);', 'drop-policy')).toEqual([]);
  });
  it('any other new condition of an existing policy is a change to review, like a DROP and CREATE', async () => {
    const [c] = await findings('ALTER POLICY p ON t USING (tenant_id = 1);', 'drop-policy');
    expect(c.message).toBe('Changes policy "p" on t to USING (tenant_id = 1): the rows it lets through change; compare with the old definition.');
    expect(c.gating).toBe(true);
    // Renaming a policy changes nothing it lets through.
    expect(await findings('ALTER POLICY p ON t RENAME TO q;', 'drop-policy')).toEqual([]);
    // A condition that names no column of the table: every row for whoever it lets in.
    const [i] = await findings("CREATE POLICY p ON users FOR SELECT TO mallory USING (current_user = 'mallory');", 'drop-policy');
    expect(i.message).toContain("condition (current_user = 'mallory') names none of its columns");
    expect(i.severity).toBe('warning');
    expect((await findings('ALTER POLICY p ON users USING (current_user IS NOT NULL);', 'drop-policy'))[0].message).toBe(
      'Weakens policy "p" on users: USING (true): every row is visible.',
    );
  });
});

describe('set-role', () => {
  it('SET [LOCAL] ROLE, SET SESSION AUTHORIZATION, set_config; RESET is a warning', async () => {
    expect((await findings('SET ROLE supabase_admin;', 'set-role'))[0].message).toBe(
      'SET ROLE supabase_admin (Supabase administrator role): the statements that follow run as supabase_admin and objects they create are owned by it.',
    );
    expect((await findings('SET SESSION AUTHORIZATION bob;', 'set-role'))[0].severity).toBe('error');
    expect((await findings('RESET ROLE;', 'set-role'))[0].severity).toBe('warning');
    expect((await findings('SET ROLE NONE;', 'set-role'))[0].severity).toBe('warning');
    const [c] = await findings("SELECT 1;\nSELECT set_config('role', 'admin', true);", 'set-role');
    expect([c.line, c.column]).toEqual([2, 8]);
  });
  it('inside a function body', async () => {
    const [f] = await findings('CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  SET LOCAL ROLE admin;\nEND $$;', 'set-role');
    expect(f.message).toContain('inside function f');
  });
  it('ordinary settings stay clean; MySQL SET ROLE is read from the text', async () => {
    expect(await findings("SET search_path = public; SET statement_timeout = '5s'; SET lock_timeout TO 1000;", 'set-role')).toEqual([]);
    expect(await findings('SET @x = 1;', 'set-role', { dialect: 'mysql' })).toEqual([]);
    expect((await findings('SET ROLE admin;', 'set-role', { dialect: 'mysql' }))[0].message).toMatch(/^Likely: SET ROLE admin/);
  });
});

describe('negative examples stay clean of every privilege rule', () => {
  it.each([
    'CREATE TABLE users (id int, password_hash text NOT NULL);',
    "COMMENT ON COLUMN users.password_hash IS 'bcrypt; grant nothing to public';",
    "INSERT INTO settings (name) VALUES ('password_min_length');",
    'CREATE EXTENSION IF NOT EXISTS pgcrypto;',
    'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql SECURITY INVOKER AS $$ BEGIN RETURN 1; END $$;',
    'ALTER TABLE t ENABLE ROW LEVEL SECURITY;',
    "SELECT 'GRANT ALL ON t TO PUBLIC';",
  ])('%s', async (sql) => {
    expect(await privilegeIds(sql)).toEqual([]);
  });
});

describe('catalog-privilege', () => {
  it('an owner change made by dynamic SQL is reported for the table, not again for each of its indexes (they follow the table)', async () => {
    const { run } = await import('../src/engine.js');
    const r = await run(
      [{ path: 'migrations/0100_change.sql', content: "DO $$ BEGIN EXECUTE format('ALTER TABLE t OWNER TO %I', 'analyst'); END $$;\n" }],
      { history: [{ path: 'migrations/0001_init.sql', content: 'CREATE ROLE analyst;\nCREATE TABLE t (id int PRIMARY KEY, email text UNIQUE);\nCREATE INDEX t_email ON t (email);\n' }], historyKnown: true, replay: true },
    );
    const owners = r.findings.filter((f) => f.ruleId === 'catalog-privilege' && f.message.startsWith('owner:'));
    expect(owners.map((f) => f.message)).toEqual(['owner: postgres → analyst (table public.t), seen by replaying the migration; no statement spells it.']);
    expect(owners[0].gating).toBe(true);
  });
});
