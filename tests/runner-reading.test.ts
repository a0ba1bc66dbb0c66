// Issue 8, SQL side: every migration is read as the program that runs it reads it.
//
// How the statement boundaries below were established (no server is needed by these tests):
// - PostgreSQL / psql: psql's lexer (src/fe_utils/psqlscan.l, rule `{xqstart}`: state `xe` with
//   backslash escapes when `std_strings` is false) takes `std_strings` per input line from
//   PQparameterStatus("standard_conforming_strings") (src/bin/psql/mainloop.c psql_scan_setup,
//   src/bin/psql/common.c standard_strings()), i.e. from the line after the SET ran. A driver that
//   sends the whole file as one simple query (golang-migrate, Prisma, …) has it lexed by the server
//   in one go, with the value from before the file (on by default since PostgreSQL 9.1). `psql
//   --version` on this machine: 15.18; no server runs here, so the expected splits are derived
//   from that source, and the engine analyzes both readings when they differ.
// - MySQL: the mysql client (client/mysql.cc, add_line) treats a backslash in a quoted string as
//   an escape unless the server status has SERVER_STATUS_NO_BACKSLASH_ESCAPES, which the server
//   sends after each statement; the server lexes each statement of a multi-statement packet after
//   the previous one ran. `SET GLOBAL sql_mode` does not change the current session (MySQL
//   reference, "Server SQL Modes").
// - SQLite: the real SQLite (sql.js 1.17.0, SQLite in WASM) compiles each statement.
import { describe, expect, it } from 'vitest';
import { splitStatements, settingsAfter } from '../src/parse/split.js';
import { backslashQuotesToStd } from '../src/parse/pg.js';
import { parenthesizeCaseResults } from '../src/parse/fallback.js';
import { isDownPath } from '../src/extract/sql.js';
import { detectDialect, unsupportedDialect } from '../src/extract/dialect.js';
import { check } from './helpers.js';
import { extract } from '../src/extract/index.js';

const gating = async (sql: string, path: string, ruleId?: string) =>
  (await check(sql, { path })).findings.filter((f) => f.gating && (ruleId === undefined || f.ruleId === ruleId));
const rules = async (sql: string, path: string) => [...new Set((await check(sql, { path })).findings.filter((f) => f.gating).map((f) => f.ruleId))].sort();

describe('PostgreSQL standard_conforming_strings', () => {
  const hidden = "SET standard_conforming_strings = off;\nSELECT 'a\\''; DROP TABLE users; --';\n";
  it('psql reads later lines with backslash escapes; a driver does not', () => {
    const psql = splitStatements(hidden, 'postgresql', { psqlSettings: true }).map((p) => p.text);
    const driver = splitStatements(hidden, 'postgresql').map((p) => p.text);
    expect(psql).toContain('DROP TABLE users');
    expect(driver).not.toContain('DROP TABLE users');
  });
  it('a DROP that only psql runs gates, and the ambiguous file is a parse error', async () => {
    expect(await rules(hidden, 'm/1.sql')).toEqual(['drop-table', 'parse-error']);
  });
  it('a DROP that only a driver runs gates too', async () => {
    const sql = "SET standard_conforming_strings = off;\nSELECT 'a\\'; DROP TABLE users; --';\n";
    expect(await rules(sql, 'm/1.sql')).toContain('drop-table');
  });
  it('the setting applies from the next line (psql sets its lexer up per line)', () => {
    const sql = "SET standard_conforming_strings = off; SELECT 'a\\'; SELECT 1;\nSELECT 2;";
    expect(splitStatements(sql, 'postgresql', { psqlSettings: true }).map((p) => p.text)).toEqual([
      'SET standard_conforming_strings = off',
      "SELECT 'a\\'",
      'SELECT 1',
      'SELECT 2',
    ]);
  });
  it('reads SET forms and values, RESET, and fails closed on expressions', () => {
    expect(settingsAfter('SET standard_conforming_strings TO off', 'postgresql', {})).toEqual({ pgBackslash: true });
    expect(settingsAfter("SET SESSION standard_conforming_strings = 'false'", 'postgresql', {})).toEqual({ pgBackslash: true });
    expect(settingsAfter('RESET standard_conforming_strings', 'postgresql', { pgBackslash: true })).toEqual({ pgBackslash: false });
    expect(settingsAfter("SELECT set_config('standard_conforming_strings', 'off', false)", 'postgresql', {})).toHaveProperty('ambiguous');
    expect(settingsAfter('ALTER DATABASE d SET standard_conforming_strings = off', 'postgresql', {})).toEqual({});
  });
  it("E'…' always takes backslash escapes; a file that never changes the setting is read once", async () => {
    expect(splitStatements("SELECT E'a\\'; DROP TABLE users; --';", 'postgresql').length).toBe(1);
    expect(await rules("SELECT 'a\\'; DROP TABLE users; --';", 'm/1.sql')).toEqual(['drop-table']);
  });
  it('rewrites backslash-escaped quotes for a parser that reads standard strings (same length)', () => {
    const s = "SELECT 'it\\'s', 'c:\\\\dir'";
    expect(backslashQuotesToStd(s)).toBe("SELECT 'it''s', 'c:\\\\dir'");
    expect(backslashQuotesToStd(s).length).toBe(s.length);
  });
});

describe('MySQL sql_mode', () => {
  it('default: backslash escapes, the DROP is inside the string', async () => {
    expect(await gating("SELECT 'a\\'; DROP TABLE users; -- ';\n", 'db/mysql/1.sql', 'drop-table')).toEqual([]);
  });
  it('NO_BACKSLASH_ESCAPES: the string ends at the backslash, the DROP runs', async () => {
    const sql = "SET sql_mode = 'STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES';\nSELECT 'a\\'; DROP TABLE users; -- ';\n";
    expect(await gating(sql, 'db/mysql/1.sql', 'drop-table')).toHaveLength(1);
  });
  it('SET GLOBAL does not change the session', async () => {
    const sql = "SET GLOBAL sql_mode = 'NO_BACKSLASH_ESCAPES';\nSELECT 'a\\'; DROP TABLE users; -- ';\n";
    expect(await gating(sql, 'db/mysql/1.sql', 'drop-table')).toEqual([]);
  });
  it('an sql_mode expression fails closed; ANSI_QUOTES with a backslash in "…" fails closed', async () => {
    expect(await rules("SET sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES');\nSELECT 1;\n", 'db/mysql/1.sql')).toContain('parse-error');
    expect(await rules("SET sql_mode = 'ANSI';\nSELECT \"a\\\"; DROP TABLE users; -- \";\n", 'db/mysql/1.sql')).toContain('parse-error');
  });
});

describe('layouts', () => {
  it('Drizzle splits on the breakpoint text anywhere, a -- comment included', async () => {
    expect(await rules('CREATE TABLE a (id int); -- note --> statement-breakpoint DROP TABLE users\n', 'drizzle/0002_x.sql')).toEqual(['drop-table']);
    // The usual generated form is unchanged.
    expect(await rules('CREATE TABLE a (id int);--> statement-breakpoint\nCREATE TABLE b (id int);\n', 'drizzle/0001_x.sql')).toEqual([]);
  });
  it('Supabase applies <timestamp>_name.down.sql as an up migration', async () => {
    expect(isDownPath('supabase/migrations/20240101000000_cleanup.down.sql')).toBe(false);
    expect(isDownPath('db/migrations/000001_cleanup.down.sql')).toBe(true);
    expect(await gating('DROP TABLE users;', 'supabase/migrations/20240101000000_cleanup.down.sql', 'drop-table')).toHaveLength(1);
  });
});

describe('dialect from the path', () => {
  it('every file kind, jdbc-<db> folders, unsupported engines', () => {
    expect(detectDialect('alembic/versions/sqlite/abc_rev.py')).toBe('sqlite');
    expect(detectDialect('jdbc-mysql/src/main/resources/migrations/mysql/V1__x.sql')).toBe('mysql');
    expect(unsupportedDialect('migrations/clickhouse/001_init.sql')).toBe('ClickHouse');
    expect(unsupportedDialect('jdbc-h2/src/main/resources/migrations/h2/V1__x.sql')).toBe('H2');
    expect(unsupportedDialect('migrations/postgres/001_init.sql')).toBeNull();
  });
  it('a ClickHouse file is reported as not supported, not parsed as PostgreSQL', async () => {
    const r = await check('CREATE TABLE t (id UInt64) ENGINE = MergeTree ORDER BY id;', { path: 'migrations/clickhouse/001_init.sql' });
    expect(r.findings.map((f) => [f.ruleId, f.gating])).toEqual([['parse-error', true]]);
    expect(r.findings[0].message).toMatch(/ClickHouse/);
  });
  it('an Alembic revision under versions/sqlite/ is read as SQLite', async () => {
    const py = 'revision = "b"\ndown_revision = "a"\nfrom alembic import op\ndef upgrade():\n    op.execute("PRAGMA foreign_keys = OFF")\n';
    const r = await check(py, { path: 'alembic/versions/sqlite/b_rev.py' });
    expect(r.files[0].dialect).toBe('sqlite');
    expect(r.findings.filter((f) => f.ruleId === 'parse-error')).toEqual([]);
  });
});

describe('parser coverage: valid statements parse, and what they do still reaches the rules', () => {
  const clean = async (sql: string, path: string) => {
    const r = await check(sql, { path });
    expect(r.findings.filter((f) => f.ruleId === 'parse-error')).toEqual([]);
    expect(r.files[0].unparsed).toBe(0);
    return r;
  };
  it.each([
    'PRAGMA foreign_keys = OFF;',
    'CREATE VIRTUAL TABLE docs USING fts5(title, body);',
    'CREATE TABLE t (a INT UNSIGNED, b VARBINARY(16));',
    'ALTER TABLE t ADD COLUMN c INT AFTER b;',
    'ALTER TABLE `resource` RENAME TO `attachment`;\nDROP INDEX IF EXISTS `idx_resource_creator_id`;',
  ])('SQLite: %s', async (sql) => {
    await clean(sql, 'db/sqlite/1.sql');
  });
  it('MySQL: AND/OR in a CASE result (node-sql-parser 5.4.0 takes none there) parses; what it updates reaches the rules', async () => {
    // memos store/migration/mysql/0.31/01__migrate_storage_setting.sql, shortened.
    const sql = "UPDATE system_setting\nSET value = JSON_SET(value, '$.a', 1)\nWHERE name = 'STORAGE'\n  AND CASE\n    WHEN JSON_VALID(value) THEN\n      JSON_TYPE(value) = 'OBJECT'\n      AND NOT JSON_CONTAINS_PATH(value, 'one', '$.a')\n    ELSE FALSE\n  END;\n";
    await clean(sql, 'db/mysql/1.sql');
    expect(parenthesizeCaseResults('SELECT CASE WHEN x THEN a AND b ELSE c OR d END', 'SELECT CASE WHEN x THEN a AND b ELSE c OR d END')).toBe('SELECT CASE WHEN x THEN(a AND b)ELSE(c OR d)END');
    // Nested CASE, and results inside parentheses; lines never move.
    const nested = 'SELECT CASE WHEN x THEN CASE WHEN y THEN a OR b END ELSE (z) END';
    expect(parenthesizeCaseResults(nested, nested)).toBe('SELECT CASE WHEN x THEN(CASE WHEN y THEN(a OR b)END)ELSE((z))END');
    expect(parenthesizeCaseResults('CASE WHEN x THEN\na AND b\nEND', 'CASE WHEN x THEN\na AND b\nEND')).toBe('CASE WHEN x THEN\na AND b\nEND');
    // An UPDATE without WHERE whose SET holds such a CASE still gates.
    expect(await rules("UPDATE t SET a = CASE WHEN b THEN c = 1 AND d ELSE 0 END;", 'db/mysql/1.sql')).toContain('update-without-where');
  });
  it('SQLite: what SQLite itself rejects is still a parse error', async () => {
    expect(await rules('CREATE VIRTUAL TABLE docs USING fts5(title, body) extra;', 'db/sqlite/1.sql')).toContain('parse-error');
    expect(await rules('PRAGMA foreign_keys = OFF garbage (;', 'db/sqlite/1.sql')).toContain('parse-error');
  });
  it('SQLite: a trigger body that deletes every row gates', async () => {
    const r = await check('CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM audit; END;', { path: 'db/sqlite/1.sql' });
    expect(r.findings.filter((f) => f.gating).map((f) => f.ruleId)).toContain('delete-without-where');
  });
  it.each([
    'ALTER TABLE t ENGINE=InnoDB, CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;',
    'SET NAMES utf8mb4;',
    'ALTER TABLE t ALTER COLUMN c SET DEFAULT 1;',
    'ALTER TABLE t RENAME INDEX a TO b;',
    'ALTER TABLE t ADD COLUMN c INT AFTER b;',
    'CREATE TABLE t (a INT UNSIGNED, b VARBINARY(16));',
    'DELIMITER //\nCREATE FUNCTION f(x INT) RETURNS INT DETERMINISTIC\nBEGIN\n  RETURN x + 1;\nEND //\nDELIMITER ;\n',
  ])('MySQL: %s', async (sql) => {
    await clean(sql, 'db/mysql/1.sql');
  });
  it('MySQL: GRANT ALL PRIVILEGES … WITH GRANT OPTION parses and gates as a grant', async () => {
    const r = await clean("GRANT ALL PRIVILEGES ON *.* TO 'u'@'%' WITH GRANT OPTION;", 'db/mysql/1.sql');
    expect(r.findings.filter((f) => f.gating).map((f) => f.ruleId)).toEqual(['grant']);
  });
  it('MySQL: DROP PROCEDURE gates as drop-function; a procedure body that drops a table gates', async () => {
    expect(await rules('DROP PROCEDURE IF EXISTS p;', 'db/mysql/1.sql')).toEqual(['drop-function']);
    const sql = 'DELIMITER //\nCREATE PROCEDURE p()\nBEGIN\n  DECLARE CONTINUE HANDLER FOR SQLEXCEPTION BEGIN END;\n  DROP TABLE users;\nEND //\nDELIMITER ;\nCALL p();\n';
    const r = await clean(sql, 'db/mysql/1.sql');
    const drop = r.findings.filter((f) => f.ruleId === 'drop-table');
    expect(drop.map((f) => [f.line, f.gating])).toEqual([[5, true]]);
  });
  it('MySQL: a trigger whose body deletes every row gates', async () => {
    expect(await rules('CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW DELETE FROM audit;', 'db/mysql/1.sql')).toEqual(['delete-without-where']);
  });
  it('MariaDB: ADD COLUMN IF NOT EXISTS, CREATE INDEX IF NOT EXISTS; MySQL has no CREATE INDEX IF NOT EXISTS', async () => {
    await clean('ALTER TABLE t ADD COLUMN IF NOT EXISTS c INT;\nCREATE INDEX IF NOT EXISTS i ON t (c);', 'db/mariadb/1.sql');
    expect(await rules('CREATE INDEX IF NOT EXISTS i ON t (c);', 'db/mysql/1.sql')).toContain('parse-error');
  });
  it('a statement recovery does not hide an unknown clause', async () => {
    expect(await rules('ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4, FROBNICATE;', 'db/mysql/1.sql')).toContain('parse-error');
  });
});

describe('PL/pgSQL dynamic SQL of fixed shape', () => {
  it('FOREACH over an ARRAY literal: each expansion analyzed at the EXECUTE line', async () => {
    const sql = "DO $$\nDECLARE t text;\nBEGIN\n  FOREACH t IN ARRAY ARRAY['orders','audit'] LOOP\n    EXECUTE format('DROP TABLE %I', t);\n  END LOOP;\nEND $$;";
    const r = await check(sql);
    expect(r.findings.filter((f) => f.ruleId === 'dynamic-sql')).toEqual([]);
    expect(r.findings.filter((f) => f.ruleId === 'drop-table').map((f) => [f.line, f.message.match(/table (\w+)/)?.[1]])).toEqual([
      [5, 'orders'],
      [5, 'audit'],
    ]);
  });
  it('constants and unnest(ARRAY[…]) fold; a rename of constraints over a literal list is not dynamic', async () => {
    const sql =
      "DO $$\nDECLARE\n  c CONSTANT text := 'users';\n  t text;\nBEGIN\n  FOR t IN SELECT unnest(ARRAY['a_fk','b_fk']) LOOP\n    EXECUTE format('ALTER TABLE %I RENAME CONSTRAINT %I TO %I', c, t, t || '_old');\n  END LOOP;\nEND $$;";
    expect(await rules(sql, 'm/1.sql')).toEqual([]);
  });
  it('what really is unknown still gates', async () => {
    const sql = "DO $$\nDECLARE t text;\nBEGIN\n  FOR t IN SELECT tablename FROM pg_tables LOOP\n    EXECUTE format('DROP TABLE %I', t);\n  END LOOP;\nEND $$;";
    expect(await rules(sql, 'm/1.sql')).toContain('dynamic-sql');
    expect(await rules("DO $$ DECLARE q text := 'x'; BEGIN q := q || 'y'; EXECUTE q; END $$;", 'm/1.sql')).toContain('dynamic-sql');
  });
});

describe('rename-table', () => {
  it('a sequence renamed with ALTER TABLE is not a table rename', async () => {
    expect(await rules('ALTER TABLE users_id_seq RENAME TO accounts_id_seq;', 'm/1.sql')).toEqual([]);
    expect(await rules('ALTER TABLE users RENAME TO accounts;', 'm/1.sql')).toEqual(['rename-table']);
  });
});

// goose and dbmate, read as the tools read them. How the expectations were established: from the
// tools' own source, restated in src/extract/goose.ts —
// - pressly/goose internal/sqlparser/parser.go (commit 520411a1): ParseSQLMigration (line-based
//   state machine; a statement outside StatementBegin/End ends at a line whose last word before a
//   `--` word ends with `;`, endsWithSemicolon; each statement is sent on its own), extractAnnotation
//   (every `--` removed, then `+goose`, TrimSpace, EqualFold; a leading space/tab is an error).
// - amacneil/dbmate pkg/dbmate/migration.go (commit f3e08f15): upRegExp/downRegExp
//   `(?m)^--\s*migrate:(up|down)(\s*$|\s+\S+)`, case-sensitive; a section without a down
//   directive, or with two, or a statement before the first up, is an error (nothing runs).
// - SQLite (python3's sqlite3 3.40.1 here): `SELECT 1; /* harmless;` runs (an unterminated comment
//   ends at the end of the input), then `DROP TABLE users; -- */` as a statement of its own drops
//   the table; the same text run as one script drops nothing.
describe('goose and dbmate: sections and statements as the tools read them', () => {
  const drops = async (sql: string, path: string) =>
    (await check(sql, { path })).findings.filter((f) => f.ruleId === 'drop-table').map((f) => `${f.line}:${f.down ? 'down' : 'up'}:${f.gating}`);

  it('markers count only in files goose or dbmate run (`<number>_<name>.sql`); a name golang-migrate runs whole keeps its direction', async () => {
    const goose = '-- +goose Up\nSELECT 1;\n-- +goose Down\nDROP TABLE users;\n';
    const dbmate = '-- migrate:up\nSELECT 1;\n-- migrate:down\nDROP TABLE users;\n';
    // golang-migrate runs a `.up.sql` file whole on up: its marked down section runs on up.
    expect(await drops(goose, 'migrations/000002_x.up.sql')).toEqual(['4:up:true']);
    expect(await drops(dbmate, 'migrations/000002_x.up.sql')).toEqual(['4:up:true']);
    // goose runs a `.down.sql` file's Up section on up (the name means nothing to it); its Down section is down under both.
    expect(await drops('-- +goose Up\nDROP TABLE users;\n', 'migrations/00002_x.down.sql')).toEqual(['2:up:true']);
    expect(await drops('-- migrate:up\nDROP TABLE users;\n-- migrate:down\nDROP TABLE b;\n', 'db/migrations/20240102000000_x.down.sql')).toEqual(['2:up:true', '4:down:false']);
    expect(await drops('-- +goose Up\nSELECT 1;\n-- +goose Down\nDROP TABLE users;\n', 'migrations/00002_x.down.sql')).toEqual(['4:down:false']);
    // Flyway, Prisma, sqitch run the file whole: the markers are comments.
    expect(await drops(goose, 'db/migration/V2__x.sql')).toEqual(['4:up:true']);
    expect(await drops(dbmate, 'db/migration/V2__x.sql')).toEqual(['4:up:true']);
    expect(await drops(goose, 'prisma/migrations/20240101000000_x/migration.sql')).toEqual(['4:up:true']);
    // goose's own files keep their sections.
    expect(await drops(goose, 'db/migrations/20240101120000_x.sql')).toEqual(['4:down:false']);
  });
  it('Flyway runs `V<version>__<name>.down.sql` as an up migration (only `U<version>__` undoes)', async () => {
    expect(isDownPath('db/migration/V3__cleanup.down.sql')).toBe(false);
    expect(await drops('DROP TABLE users;', 'db/migration/V3__cleanup.down.sql')).toEqual(['1:up:true']);
    expect(isDownPath('db/migration/U3__cleanup.sql')).toBe(true);
    expect(isDownPath('migrations/000003_cleanup.down.sql')).toBe(true);
  });
  it('goose annotations: `--+goose Down`, extra blanks, a trailing `--` and case are all taken', async () => {
    for (const mark of ['--+goose Down', '-- +goose  DOWN', '-- +goose down --', '--  +goose Down\r']) {
      expect(await drops(`-- +goose Up\nSELECT 1;\n${mark}\nDROP TABLE a;\n`, 'db/migrations/00001_x.sql'), mark).toEqual(['4:down:false']);
    }
    // Annotations goose rejects make it refuse the file: read as up (nothing taken for down).
    for (const mark of ['  -- +goose Down', '-- +goose Down please', '-- +goose Down +goose']) {
      expect(await drops(`-- +goose Up\nSELECT 1;\n${mark}\nDROP TABLE a;\n`, 'db/migrations/00001_x.sql'), mark).toEqual(['4:up:true']);
    }
  });

  it('a dbmate marker in a goose file is a comment of the up section (and the reverse)', async () => {
    // Before: both markers were taken in any file, so this DROP was read as a down statement.
    expect(await drops('-- +goose Up\nSELECT 1;\n-- migrate:down\nDROP TABLE users;\n', 'db/migrations/00001_x.sql')).toEqual(['4:up:true']);
    expect(await drops('-- migrate:up\nSELECT 1;\n-- +goose Down\nDROP TABLE users;\n-- migrate:down\n', 'db/migrations/20240101_x.sql')).toEqual(['4:up:true']);
    // A file both tools would run: nothing is taken for down.
    expect(await drops('-- +goose Up\n-- migrate:up\nSELECT 1;\n-- +goose Down\n-- migrate:down\nDROP TABLE users;\n', 'db/20240101_x.sql')).toEqual(['6:up:true']);
  });

  it('dbmate: many sections; a section without its down directive makes dbmate refuse the file', async () => {
    const sql = '-- migrate:up\nSELECT 1;\n-- migrate:down\nDROP TABLE a;\n-- migrate:up transaction:false\nDROP TABLE b;\n--migrate:down\nDROP TABLE c;\n';
    expect(await drops(sql, 'db/migrations/20240101_x.sql')).toEqual(['4:down:false', '6:up:true', '8:down:false']);
    expect(await drops('-- migrate:up\nSELECT 1;\n-- migrate:downx\nDROP TABLE a;\n', 'db/migrations/20240101_x.sql')).toEqual(['4:up:true']);
  });

  it('goose sends each statement on its own: SQLite runs a DROP that a whole-file reading takes for a comment', async () => {
    const sql = '-- +goose Up\n-- +goose NO TRANSACTION\nSELECT 1; /* harmless;\nDROP TABLE users; -- */\n';
    expect(await drops(sql, 'db/sqlite/00001_x.sql')).toEqual(['4:up:true']);
    // Without goose (one script), SQLite reads the comment: nothing is dropped, nothing reported.
    expect(await drops('SELECT 1; /* harmless;\nDROP TABLE users; -- */\n', 'db/sqlite/00001_x.sql')).toEqual([]);
  });

  it('goose cuts a string at a line ending in `;`: each part is read as the server will read it', async () => {
    const r = await check("-- +goose Up\nSELECT 'a;\nDROP TABLE users; --';\n", { path: 'db/migrations/00001_x.sql' });
    const ids = r.findings.filter((f) => f.gating).map((f) => `${f.ruleId}:${f.line}`);
    expect(ids).toContain('drop-table:3');
    expect(ids).toContain('parse-error:2');
  });

  it('goose StatementBegin/End as goose takes them keep a MySQL trigger whole', () => {
    const sql = '-- +goose Up\n--+goose statementbegin\nCREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.x = 1; SET @y = 2;\n-- +goose StatementEnd --\n';
    expect(splitStatements(sql, 'mysql').map((p) => p.text)).toEqual(['CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.x = 1; SET @y = 2']);
  });

  it('goose ENVSUB ON: the rendered SQL depends on the environment (templated)', async () => {
    const r = await check('-- +goose Up\n-- +goose ENVSUB ON\nCREATE TABLE $TABLE_NAME (id int);\n', { path: 'db/migrations/00001_x.sql' });
    expect(r.findings.map((f) => f.ruleId)).toContain('templated-sql');
  });
});

// Liquibase formatted SQL, as liquibase/liquibase reads it. How the expectations were established:
// liquibase-standard/src/main/java/liquibase/parser/AbstractFormattedChangeLogParser.java (commit
// cdbdec7f): supports() matches FIRST_LINE_REGEX `^\s*--\s*liquibase\s*formatted.*` on the first
// non-blank line; configureChangeSet() takes a line for rollback only when ROLLBACK_REGEX
// `\s*--[\s]*rollback (.*)` matches (a blank after `rollback`) or ROLLBACK_MULTI_LINE_START_REGEX
// `\s*/\*\s*liquibase\s*rollback\s*$` does (nothing after `rollback` on that line), every other
// line is the changeset's SQL; handleRollbackSequence() turns a rollback that is `not required…` /
// `empty…` into an EmptyChange and one naming `changesetId` into a reference; SPLIT_STATEMENTS_REGEX
// `.*splitStatements:(\w+).*` is case-insensitive and unanchored, so `rollbackSplitStatements:false`
// turns splitting off for the changeset itself too.
describe('Liquibase formatted SQL, as Liquibase reads it', () => {
  const drops = async (sql: string) =>
    (await check(sql, { path: 'db/changelog/changes.sql' })).findings.filter((f) => f.ruleId === 'drop-table').map((f) => `${f.line}:${f.down ? 'down' : 'up'}:${f.gating}`);

  it('a one-line `/* liquibase rollback */` comment is SQL of the changeset, not a rollback block', async () => {
    // Before: the text up to the next `*/` was taken for rollback, so this DROP was not reviewed as up.
    const sql = '--liquibase formatted sql\n--changeset a:1\n/* liquibase rollback */\nDROP TABLE users;\n/* end */\n';
    expect(await drops(sql)).toEqual(['4:up:true']);
    // The block form, as Liquibase takes it: down.
    expect(await drops('--liquibase formatted sql\n--changeset a:1\nCREATE TABLE t (id int);\n/* liquibase rollback\nDROP TABLE t;\n*/\n')).toEqual(['5:down:false']);
  });

  it('the header needs no `sql`; a `--rollback` without a blank after it stays in the changeset', async () => {
    const sql = '-- liquibase formatted\n--changeset a:1\nCREATE TABLE t (id int);\n--rollback DROP TABLE t;\n';
    expect(extract({ path: 'db/changes.sql', content: sql }).kind).toBe('liquibase');
    expect(await drops(sql)).toEqual(['4:down:false']);
    const ex = extract({ path: 'db/changes.sql', content: '--liquibase formatted sql\n--changeset a:1\nCREATE TABLE t (id int);\n--rollback\tDROP TABLE t;\n' });
    expect(ex.units.map((u) => u.down)).toEqual([false]);
  });

  it('`not required…`, `empty` and `changesetId:` rollbacks are not SQL', () => {
    for (const rb of ['not required, the table is temporary', 'empty', 'changesetId:1 changesetAuthor:a']) {
      const ex = extract({ path: 'db/changes.sql', content: `--liquibase formatted sql\n--changeset a:2\nCREATE TABLE t (id int);\n--rollback ${rb}\n` });
      expect(ex.units.map((u) => u.down), rb).toEqual([false]);
    }
  });

  it('changeset attributes: only in a Liquibase file, and as Liquibase matches them', () => {
    const body = '--changeset a:1 endDelimiter:ZZ splitStatements:false\nSELECT 1; DROP TABLE users;\n';
    expect(splitStatements(body, 'mysql').map((p) => p.text)).toEqual(['--changeset a:1 endDelimiter:ZZ splitStatements:false\nSELECT 1', 'DROP TABLE users']);
    // (The header line, which Liquibase never sends, is a piece of its own that holds only a comment.)
    const sql = (t: string) => splitStatements(t, 'mysql').map((p) => p.text).filter((t) => !t.startsWith('--liquibase'));
    expect(sql(`--liquibase formatted sql\n${body}`)).toEqual(['SELECT 1; DROP TABLE users']);
    expect(sql('--liquibase formatted sql\n--changeset a:1 rollbackSplitStatements:false\nSELECT 1; SELECT 2;\n')).toEqual(['SELECT 1; SELECT 2']);
  });
});

// MySQL DELIMITER, as the programs that run MySQL scripts read it. How the expectations were
// established (no MySQL server or client on this machine): from the source —
// - mysql client, client/mysql.cc (mysql/mysql-server, read at 001926c6): read_and_execute() tries
//   find_command() on a line only while no statement is pending; find_command() skips leading
//   blanks and compares the first word (ended by a space or tab) case-insensitively; com_delimiter()
//   takes get_arg(): the first argument, ended by a space (not a tab) or quoted with ' " `, a
//   backslash escaping the next character, refused if it holds a backslash, 15 characters kept;
//   add_line() runs `\d X` as the same command and splits on the delimiter (any length) outside
//   quotes and comments.
// - Flyway, MySQLParser.handleKeyword (flyway/flyway, read at c5e20fc7): the keyword DELIMITER
//   wherever a statement starts, the new delimiter being the rest of the line, trimmed; Parser
//   getNextStatement() throws "Delimiter changed inside statement" elsewhere.
describe('MySQL DELIMITER as the mysql client and Flyway read it', () => {
  const texts = (sql: string) => splitStatements(sql, 'mysql').map((p) => (p.ambiguous ? `?${p.text}` : p.text));

  it('multi-character delimiters, `DELIMITER ;;`, lower case, quoted, and `\\d`', () => {
    expect(texts('DELIMITER ;;\nCREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.x = 1; END;;\ndelimiter ;\nSELECT 1;')).toEqual([
      'CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.x = 1; END',
      'SELECT 1',
    ]);
    expect(texts("  Delimiter '$$'\nSELECT 1; SELECT 2$$\nDELIMITER ;\n")).toEqual(['?SELECT 1; SELECT 2']);
    expect(texts('\\d //\nSELECT 1; SELECT 2//\n\\d ;\nSELECT 3;')).toEqual(['SELECT 1; SELECT 2', 'SELECT 3']);
  });

  it('a DELIMITER inside a string or a comment changes nothing', () => {
    expect(texts("SELECT 'x\nDELIMITER //\n';\n/*\nDELIMITER //\n*/ SELECT 2;\n-- DELIMITER //\nSELECT 3;")).toEqual(["SELECT 'x\nDELIMITER //\n'", 'SELECT 2', 'SELECT 3']);
  });

  it('where the client and Flyway differ, the statements after it fail closed', async () => {
    // client: `//`; Flyway: `// -- procedures`. Before: the whole rest of the line was taken.
    const sql = 'DELIMITER // -- procedures\nCREATE PROCEDURE p() BEGIN DROP TABLE users; END //\nDELIMITER ;\n';
    expect(splitStatements(sql, 'mysql')[0].ambiguous).toMatch(/mysql client \(delimiter `\/\/`\) and by Flyway \(delimiter `\/\/ -- procedures`\)/);
    expect(await rules(sql, 'db/mysql/V1__p.sql')).toContain('parse-error');
    // DELIMITER after a statement on the same line: Flyway takes it, the mysql client does not.
    expect(splitStatements('SELECT 1; DELIMITER //\nSELECT 2//\n', 'mysql').map((p) => p.ambiguous !== undefined)).toEqual([false, true]);
    // A tab does not end the client's argument and Flyway trims only the ends: both read `//\t--x`.
    expect(texts('DELIMITER //\t--x\nSELECT 1//\t--x\n')).toEqual(['SELECT 1']);
  });
});
