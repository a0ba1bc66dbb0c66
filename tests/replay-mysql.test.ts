// MySQL/MariaDB replay on a real server (--database-url): a MariaDB from Debian's packages started
// by the test (tests/mariadb-server.ts), the CLI run as users run it (its main()), and the server
// inspected afterwards: the throwaway database and account are gone, nothing outside them changed,
// and the URL's password is in no output.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { classifyMysql } from '../src/replay/classify.js';
import { replay } from '../src/replay/index.js';
import { parseDatabaseUrl, redactUrl } from '../src/replay/url.js';
import { SKIP_MARIADB, startMariadb, type TestServer } from './mariadb-server.js';

const root = mkdtempSync(join(tmpdir(), 'mg-mysqlurl-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  const d = mkdtempSync(join(root, 't-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(d, p)), { recursive: true });
    writeFileSync(join(d, p), c);
  }
  return d;
}

async function cli(args: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const prev = process.cwd();
  process.chdir(cwd);
  let out = '';
  let err = '';
  try {
    const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, env });
    return { code, out, err };
  } finally {
    process.chdir(prev);
  }
}

type F = { ruleId: string; gating: boolean; message: string; severity: string };
const gating = (j: { findings: F[] }) => j.findings.filter((f) => f.gating).map((f) => f.ruleId);

describe('classifyMysql: what is never sent to the user\'s server', () => {
  const others = new Set(['app', 'mysql']);
  it.each([
    ["CREATE USER 'evil'@'%' IDENTIFIED BY 'x'"],
    ["CREATE OR REPLACE USER evil IDENTIFIED BY 'x'"],
    ['GRANT ALL ON *.* TO evil'],
    ['REVOKE SELECT ON app.t FROM bob'],
    ["SELECT * FROM t INTO OUTFILE '/tmp/x'"],
    ["SELECT a INTO DUMPFILE '/tmp/x' FROM t"],
    ["LOAD DATA INFILE '/etc/passwd' INTO TABLE t"],
    ["SELECT LOAD_FILE('/etc/passwd')"],
    ['SET GLOBAL max_connections = 1'],
    ['SET @@global.max_connections = 1'],
    ['SET sql_mode = "", GLOBAL max_connections = 1'],
    ['/*!40101 SET GLOBAL max_connections = 1 */'],
    ['DROP TABLE app.users'],
    ['ALTER TABLE `app`.`users` DROP COLUMN email'],
    ['INSERT INTO mysql.user (User) VALUES ("x")'],
    ['USE app'],
    ['CREATE DATABASE other'],
    ['DROP SCHEMA app'],
    ["CREATE TABLE t (a int) ENGINE=CONNECT TABLE_TYPE=CSV FILE_NAME='/etc/passwd'"],
    ["CREATE TABLE t (a int) ENGINE = FEDERATED CONNECTION='mysql://u@h/db/t'"],
    ["CREATE TABLE t (a int) DATA DIRECTORY = '/tmp'"],
    ["INSTALL SONAME 'ha_connect'"],
    ['CREATE FUNCTION f RETURNS STRING SONAME "x.so"'],
    ['FLUSH PRIVILEGES'],
  ])('skips %s', (sql) => {
    const c = classifyMysql(sql, others);
    expect(c.run).toBe(false);
    expect(!c.run && c.skipped).toMatch(/sandbox policy/);
  });
  it.each([
    ['CREATE TABLE t (a varchar(100)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4'],
    ['ALTER TABLE t MODIFY a varchar(200)'],
    ['ALTER TABLE t ALTER COLUMN a SET DEFAULT 0'],
    ['ALTER TABLE t DROP user'],
    ['UPDATE users u SET u.email = NULL WHERE u.id = 1'],
    ["SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND column_name = 'grant_x'"],
    ["INSERT INTO t (note) VALUES ('GRANT ALL ON *.* TO x; SET GLOBAL y=1; app.users')"],
    ['-- GRANT ALL ON *.* TO x\nCREATE INDEX i ON t (a)'],
    ['SET FOREIGN_KEY_CHECKS = 0'],
  ])('runs %s', (sql) => {
    expect(classifyMysql(sql, others)).toEqual({ run: true });
  });
  it('transaction control and client commands are not run', () => {
    expect(classifyMysql('START TRANSACTION')).toMatchObject({ run: false, skipped: expect.stringMatching(/transaction control/) });
    expect(classifyMysql('COMMIT')).toMatchObject({ run: false });
    expect(classifyMysql('DELIMITER //')).toMatchObject({ run: false, skipped: expect.stringMatching(/client/) });
  });
});

describe('database URL', () => {
  it('parses mysql:// and mariadb://, decoding the password', () => {
    expect(parseDatabaseUrl('mysql://u:p%40ss@db.example:3307/x')).toMatchObject({ host: 'db.example', port: 3307, user: 'u', password: 'p@ss' });
    expect(parseDatabaseUrl('mariadb://root@127.0.0.1/')).toMatchObject({ port: 3306, user: 'root', password: '' });
  });
  it('refuses other schemes and non-URLs without echoing them', () => {
    expect(() => parseDatabaseUrl('postgres://u:hunter2@h/db')).toThrow(/only mysql:\/\/ and mariadb:\/\//);
    try {
      parseDatabaseUrl('postgres://u:hunter2@h/db');
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
    expect(() => parseDatabaseUrl('hunter2')).toThrow(/not a URL/);
  });
  it('redactUrl hides the URL and the password in every spelling', () => {
    const u = 'mysql://u:p%40ss%2Fx@h:1/';
    expect(redactUrl(`a ${u} b p@ss/x c p%40ss%2Fx`, u)).toBe('a <database-url> b *** c ***');
  });
  it('the CLI refuses a postgres URL (exit 2) and never prints it', async () => {
    const d = tree({ 'a.sql': 'SELECT 1;' });
    const r = await cli(['check', '--database-url', 'postgresql://u:hunter2@localhost/db', 'a.sql'], d);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/only mysql:\/\/ and mariadb:\/\//);
    expect(r.out + r.err).not.toContain('hunter2');
  });
});

describe.skipIf(SKIP_MARIADB)('replay on a real MariaDB (--database-url)', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startMariadb();
  }, 180_000);
  afterAll(async () => {
    await srv?.stop();
  }, 60_000);

  /** Runs the CLI with the URL (from the environment, or the flag) and checks what every run must hold. */
  async function check(files: Record<string, string>, target: string, how: 'env' | 'flag' = 'env') {
    const d = tree(files);
    const args = ['check', '--dialect', 'mysql', '--format', 'json', ...(how === 'flag' ? ['--database-url', srv.url] : []), target];
    const r = await cli(args, d, how === 'env' ? { MIGRATION_GATE_DATABASE_URL: srv.url } : {});
    // The password never appears, in any spelling.
    for (const s of [srv.password, encodeURIComponent(srv.password), srv.url]) expect(r.out + r.err).not.toContain(s);
    // The throwaway database and account are gone.
    const [dbs] = (await srv.root.query("SHOW DATABASES LIKE 'mg\\_replay\\_%'")) as [unknown[], unknown];
    expect(dbs).toEqual([]);
    const [users] = (await srv.root.query("SELECT User FROM mysql.user WHERE User LIKE 'mg\\_replay\\_%'")) as [unknown[], unknown];
    expect(users).toEqual([]);
    return { ...r, j: r.out ? JSON.parse(r.out) : null };
  }

  it('widening a column known from the history is info, not gating; narrowing it gates with before → after', async () => {
    const history = { 'db/V1__init.sql': 'CREATE TABLE t (a varchar(100), b int);' };
    const wide = await check({ ...history, 'db/V2__wide.sql': 'ALTER TABLE t MODIFY a varchar(200);' }, 'db/V2__wide.sql');
    expect(wide.j.replay[0]).toMatchObject({ engine: 'mysql', history: { statements: 1, replayed: 1 }, judged: { statements: 1, replayed: 1 }, skippedCount: 0 });
    expect(gating(wide.j)).toEqual([]);
    expect(wide.j.findings.find((f: F) => f.ruleId === 'alter-column-type')).toMatchObject({ severity: 'info', message: expect.stringContaining('varchar(100) → varchar(200)') });
    expect(wide.code).toBe(0);
    const narrow = await check({ ...history, 'db/V2__narrow.sql': 'ALTER TABLE t MODIFY a varchar(50);' }, 'db/V2__narrow.sql', 'flag');
    expect(gating(narrow.j)).toEqual(['alter-column-type']);
    expect(narrow.j.findings[0].message).toContain('varchar(100) → varchar(50)');
    expect(narrow.code).toBe(1);
  });

  it('a MODIFY that restates a column of a table made in an earlier judged file with its type unchanged (collation only) does not gate', async () => {
    const r = await check(
      {
        'db/V1__init.sql': 'CREATE TABLE t (a varchar(100) NOT NULL, b varchar(20));',
        'db/V2__coll.sql': 'ALTER TABLE t MODIFY COLUMN a VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;',
        'db/V3__narrow.sql': 'ALTER TABLE t MODIFY COLUMN b VARCHAR(10) COLLATE utf8mb4_bin;',
      },
      'db',
    );
    expect(r.j.replay[0]).toMatchObject({ engine: 'mysql', judged: { statements: 3, replayed: 3 } });
    const f = r.j.findings.filter((x: F & { path: string }) => x.ruleId === 'alter-column-type');
    expect(f.find((x: F & { path: string }) => x.path.endsWith('V2__coll.sql'))).toMatchObject({ gating: false, message: expect.stringMatching(/keeps the type of t\.a/) });
    expect(f.find((x: F & { path: string }) => x.path.endsWith('V3__narrow.sql'))).toMatchObject({ gating: true, message: expect.stringContaining('varchar(20) → varchar(10)') });
  });

  it('a history the server refuses (another server\'s syntax): MODIFY is judged by the type the files spell, as without a server', async () => {
    // MySQL 8's ->> in a generated column: MariaDB refuses the CREATE TABLE.
    const history = { 'db/V1__init.sql': "CREATE TABLE t (a varchar(100), j json, k varchar(10) GENERATED ALWAYS AS (j ->> '$.x') STORED);" };
    const wide = await check({ ...history, 'db/V2__wide.sql': 'ALTER TABLE t MODIFY a varchar(200);' }, 'db/V2__wide.sql');
    expect(wide.j.replay[0]).toMatchObject({ engine: 'mysql', history: { statements: 1, replayed: 0 }, skippedCount: 2 });
    expect(gating(wide.j)).toEqual([]);
    const narrow = await check({ ...history, 'db/V2__narrow.sql': 'ALTER TABLE t MODIFY a varchar(50);' }, 'db/V2__narrow.sql');
    expect(gating(narrow.j)).toEqual(['alter-column-type']);
  });

  it('MariaDB JSON (LONGTEXT with a json_valid check) compares as JSON: restating it does not gate; LONGTEXT to JSON is a change', async () => {
    const same = await check({ 'db/V1__init.sql': 'CREATE TABLE f (ui JSON NOT NULL);', 'db/V2__same.sql': 'ALTER TABLE f MODIFY ui JSON NOT NULL;' }, 'db/V2__same.sql');
    expect(same.j.replay[0]).toMatchObject({ engine: 'mysql', skippedCount: 0 });
    expect(gating(same.j)).toEqual([]);
    const change = await check({ 'db/V1__init.sql': 'CREATE TABLE f (ui LONGTEXT NOT NULL);', 'db/V2__json.sql': 'ALTER TABLE f MODIFY ui JSON NOT NULL;' }, 'db/V2__json.sql');
    expect(gating(change.j)).toEqual(['alter-column-type']);
    expect(change.j.findings[0].message).toMatch(/longtext → json/i);
  });

  it('the same widening without the server: the static reading (no engine, no replay line for the server)', async () => {
    const d = tree({ 'db/V1__init.sql': 'CREATE TABLE t (a varchar(100));', 'db/V2__wide.sql': 'ALTER TABLE t MODIFY a varchar(200);' });
    const r = await cli(['check', '--dialect', 'mysql', '--format', 'json', 'db/V2__wide.sql'], d);
    expect(JSON.parse(r.out).replay[0].engine).toBe('static');
  });

  it('CREATE TABLE IF NOT EXISTS of a table the history made, then DROP TABLE: gates', async () => {
    const r = await check(
      { 'db/V1__init.sql': 'CREATE TABLE users (id int primary key, email varchar(200));', 'db/V2__evil.sql': 'CREATE TABLE IF NOT EXISTS users (id int);\nDROP TABLE users;' },
      'db/V2__evil.sql',
    );
    expect(r.j.replay[0].engine).toBe('mysql');
    expect(gating(r.j)).toContain('drop-table');
    expect(r.code).toBe(1);
  });

  it('a table created and dropped in the same change does not gate', async () => {
    const r = await check(
      { 'db/V1__init.sql': 'CREATE TABLE users (id int primary key);', 'db/V2__tmp.sql': 'CREATE TABLE scratch (id int);\nINSERT INTO scratch SELECT id FROM users;\nDROP TABLE scratch;' },
      'db/V2__tmp.sql',
    );
    expect(r.j.replay[0]).toMatchObject({ engine: 'mysql', judged: { statements: 3, replayed: 3 } });
    expect(gating(r.j)).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('a rename then a drop of the renamed table gates (identity follows the rename)', async () => {
    const r = await check(
      { 'db/V1__init.sql': 'CREATE TABLE users (id int primary key, email varchar(200));', 'db/V2__ren.sql': 'RENAME TABLE users TO users_old;\nDROP TABLE users_old;' },
      'db/V2__ren.sql',
    );
    expect(gating(r.j)).toContain('drop-table');
  });

  it('a history statement the server refuses is counted and leaves the judgement conservative', async () => {
    const r = await check(
      {
        'db/V1__init.sql': 'CREATE TABLE users (id int primary key);\nALTER TABLE nosuch ADD COLUMN c int;',
        'db/V2__drop.sql': 'DROP TABLE users;\nCREATE TABLE audit (id int);\nDROP TABLE audit;',
      },
      'db/V2__drop.sql',
    );
    expect(r.j.replay[0]).toMatchObject({ engine: 'mysql', history: { statements: 2, replayed: 1 }, skippedCount: 1 });
    expect(r.j.replay[0].skipped[0]).toMatch(/V1__init\.sql:2: ALTER TABLE nosuch .*doesn't exist/);
    expect(gating(r.j)).toEqual(['drop-table']);
    // The human report says it too.
    const d = tree({ 'db/V1__init.sql': 'CREATE TABLE users (id int primary key);\nALTER TABLE nosuch ADD COLUMN c int;', 'db/V2__drop.sql': 'DROP TABLE users;' });
    const text = await cli(['check', '--dialect', 'mysql', 'db/V2__drop.sql'], d, { MIGRATION_GATE_DATABASE_URL: srv.url });
    expect(text.out).toMatch(/replayed on the database server .*history 1\/2 statements.*1 refused or skipped/);
  });

  it('CREATE USER, GRANT, INTO OUTFILE, SET GLOBAL and other databases are never run on the server; the static rules still judge them', async () => {
    await srv.root.query('CREATE DATABASE IF NOT EXISTS appdb');
    await srv.root.query('CREATE TABLE IF NOT EXISTS appdb.keep (id int)');
    const [[before]] = (await srv.root.query('SELECT @@global.max_connections m')) as [Array<{ m: number }>, unknown];
    const out = join(root, `outfile-${process.pid}`);
    const r = await check(
      {
        'db/V1__init.sql': 'CREATE TABLE t (id int);',
        'db/V2__evil.sql': [
          "CREATE USER 'mg_evil'@'%' IDENTIFIED BY 'x';",
          "GRANT ALL PRIVILEGES ON *.* TO 'mg_evil'@'%';",
          `SELECT * FROM t INTO OUTFILE '${out}';`,
          'SET GLOBAL max_connections = 7;',
          'DROP TABLE appdb.keep;',
          'CREATE TABLE mysql.mg_evil (a int);',
        ].join('\n'),
      },
      'db/V2__evil.sql',
    );
    expect(r.j.replay[0]).toMatchObject({ engine: 'mysql', judged: { statements: 6, replayed: 0 }, skippedCount: 6 });
    expect(r.j.replay[0].skipped.join('\n')).toMatch(/sandbox policy/);
    const [users] = (await srv.root.query("SELECT User FROM mysql.user WHERE User = 'mg_evil'")) as [unknown[], unknown];
    expect(users).toEqual([]);
    expect(existsSync(out)).toBe(false);
    const [[afterVar]] = (await srv.root.query('SELECT @@global.max_connections m')) as [Array<{ m: number }>, unknown];
    expect(afterVar.m).toBe(before.m);
    const [keep] = (await srv.root.query("SHOW TABLES FROM appdb LIKE 'keep'")) as [unknown[], unknown];
    expect(keep).toHaveLength(1);
    const [evil] = (await srv.root.query("SHOW TABLES FROM mysql LIKE 'mg_evil'")) as [unknown[], unknown];
    expect(evil).toEqual([]);
    // The static rules judge what was not run.
    expect(gating(r.j)).toEqual(expect.arrayContaining(['drop-table']));
    expect(r.j.findings.length).toBeGreaterThanOrEqual(4);
    expect(r.code).toBe(1);
  });

  it('dynamic SQL that reaches beyond the throwaway database is refused by the server (the account has no other privilege)', async () => {
    const res = await replay({
      dialect: 'mysql',
      databaseUrl: srv.url,
      statements: [
        { id: 0, sql: "SET @s = CONCAT('CREATE TABLE ', 'mys', 'ql.mg_evil2 (a int)')", file: 0, judge: true },
        { id: 1, sql: 'PREPARE st FROM @s', file: 0, judge: true },
        { id: 2, sql: 'EXECUTE st', file: 0, judge: true },
        { id: 3, sql: "SET @g = CONCAT('GRA', 'NT ALL ON *.* TO CURRENT_USER')", file: 0, judge: true },
        { id: 4, sql: 'PREPARE g FROM @g', file: 0, judge: true },
        { id: 5, sql: 'EXECUTE g', file: 0, judge: true },
      ],
    });
    // Refused at PREPARE or at EXECUTE: either way, for want of privileges.
    const errs = (ids: number[]) => res.outcomes.filter((o) => ids.includes(o.id) && !o.ok).map((o) => o.error).join('\n');
    expect(res.outcomes.find((o) => o.id === 2)?.ok).toBe(false);
    expect(errs([1, 2])).toMatch(/denied/i);
    expect(res.outcomes.find((o) => o.id === 5)?.ok).toBe(false);
    expect(errs([4, 5])).toMatch(/denied/i);
    const [evil] = (await srv.root.query("SHOW TABLES FROM mysql LIKE 'mg_evil2'")) as [unknown[], unknown];
    expect(evil).toEqual([]);
    // Error messages do not name the throwaway database.
    expect(JSON.stringify(res)).not.toMatch(/mg_replay_[0-9a-f]/);
  });

  it('a statement past the per-statement limit is killed on the server; the run stops within its limit and the sandbox is dropped', async () => {
    const t0 = Date.now();
    const res = await replay({
      dialect: 'mysql',
      databaseUrl: srv.url,
      statementTimeoutMs: 1_000,
      statements: [
        { id: 0, sql: 'CREATE TABLE t (id int)', file: 0, judge: false },
        { id: 1, sql: 'SELECT SLEEP(30)', file: 1, judge: true },
        { id: 2, sql: 'DROP TABLE t', file: 1, judge: true },
      ],
    });
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(res.limit).toBe('timeout');
    expect(res.limitDetail).toMatch(/per-statement limit of 1000 ms/);
    expect(res.outcomes.map((o) => o.id)).toEqual([0]);
    const [dbs] = (await srv.root.query("SHOW DATABASES LIKE 'mg\\_replay\\_%'")) as [unknown[], unknown];
    expect(dbs).toEqual([]);
    const [procs] = (await srv.root.query("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(30)%'")) as [unknown[], unknown];
    expect(procs).toEqual([]);
  });

  it('a wrong password or an unreachable server: the static reading, a note without the password', async () => {
    const bad = srv.url.replace(encodeURIComponent(srv.password), 'wr0ng%40pw');
    const d = tree({ 'db/V1__init.sql': 'CREATE TABLE t (a varchar(100));', 'db/V2__wide.sql': 'ALTER TABLE t MODIFY a varchar(50);' });
    for (const url of [bad, `mysql://mgadmin:${encodeURIComponent(srv.password)}@127.0.0.1:1/`]) {
      const r = await cli(['check', '--dialect', 'mysql', '--format', 'json', 'db/V2__wide.sql'], d, { MIGRATION_GATE_DATABASE_URL: url });
      const j = JSON.parse(r.out);
      expect(j.replay[0].engine).toBe('static');
      expect(j.replay[0].limit).toMatch(/could not start \(cannot connect to the database server/);
      for (const s of [srv.password, encodeURIComponent(srv.password), 'wr0ng', url]) expect(r.out + r.err).not.toContain(s);
      expect(gating(j)).toEqual(['alter-column-type']);
    }
  });

  it('an account without CREATE USER: refused before anything runs, nothing left behind', async () => {
    await srv.root.query("CREATE USER IF NOT EXISTS 'weak'@'127.0.0.1' IDENTIFIED BY 'weakpw'");
    await srv.root.query("GRANT CREATE, DROP ON *.* TO 'weak'@'127.0.0.1'");
    const d = tree({ 'db/V1__init.sql': 'CREATE TABLE t (a int);', 'db/V2__x.sql': 'ALTER TABLE t MODIFY a bigint;' });
    const r = await cli(['check', '--dialect', 'mysql', '--format', 'json', 'db/V2__x.sql'], d, { MIGRATION_GATE_DATABASE_URL: `mysql://weak:weakpw@127.0.0.1:${srv.port}/` });
    const j = JSON.parse(r.out);
    expect(j.replay[0].limit).toMatch(/needs CREATE, CREATE USER and GRANT OPTION/);
    expect(r.out + r.err).not.toContain('weakpw');
    const [dbs] = (await srv.root.query("SHOW DATABASES LIKE 'mg\\_replay\\_%'")) as [unknown[], unknown];
    expect(dbs).toEqual([]);
  });
});
