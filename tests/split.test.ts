// The splitter, the code view, the retry normalizations, the second parsers and statement
// positions (1-based line and UTF-16 column, as SARIF and editors count them).
import { beforeAll, describe, expect, it } from 'vitest';
import { extract } from '../src/extract/index.js';
import { normalizeForRetry, unwrapExecutableComments } from '../src/parse/normalize.js';
import { parseNspUnit } from '../src/parse/nsp.js';
import { loadPg, parsePgUnit } from '../src/parse/pg.js';
import { codeView, splitStatements } from '../src/parse/split.js';
import type { Dialect, Statement } from '../src/types.js';
import { check, findings } from './helpers.js';

beforeAll(async () => {
  await loadPg();
});

const texts = (sql: string, d: Dialect = 'postgresql') => splitStatements(sql, d).map((p) => p.text);

/** Top-level statements of a file as the engine parses them. */
function statements(path: string, sql: string, dialect?: Dialect): Statement[] {
  const ex = extract({ path, content: sql }, { dialect });
  return ex.units.flatMap((u) => (u.dialect === 'postgresql' ? parsePgUnit(u) : parseNspUnit(u))).filter((s) => !s.nested);
}

/** `line:column first-word` of each top-level statement. */
function where(path: string, sql: string, dialect?: Dialect): string[] {
  return statements(path, sql, dialect).map((s) => {
    const p = s.unit.pos(s.start);
    return `${p.line}:${p.column} ${s.text.split(/\s+/)[0]}${s.parsed ? '' : ' (unparsed)'}`;
  });
}

describe('splitStatements: PostgreSQL', () => {
  it('splits on semicolons outside quotes, dollar quotes and comments', () => {
    const sql = "SELECT ';'; SELECT $$ a; b $$; SELECT $fn$ ; $x$ ; $fn$; /* ; /* nested ; */ ; */ SELECT E'\\'; x'; SELECT \"a;b\"";
    expect(texts(sql)).toEqual(["SELECT ';'", 'SELECT $$ a; b $$', 'SELECT $fn$ ; $x$ ; $fn$', "SELECT E'\\'; x'", 'SELECT "a;b"']);
  });
  it('keeps $1 parameters and a$b identifiers out of dollar quoting', () => {
    expect(texts('PREPARE p AS SELECT $1; SELECT a$b$ FROM t; SELECT 2')).toEqual(['PREPARE p AS SELECT $1', 'SELECT a$b$ FROM t', 'SELECT 2']);
  });
  it('takes psql meta-commands at the start of a line as their own pieces', () => {
    const pieces = splitStatements("\\set ON_ERROR_STOP on\nSELECT 1;\n  \\i other.sql\nSELECT '\\i no';");
    expect(pieces.map((p) => [p.text, !!p.meta])).toEqual([
      ['\\set ON_ERROR_STOP on', true],
      ['SELECT 1', false],
      ['\\i other.sql', true],
      ["SELECT '\\i no'", false],
    ]);
  });
  it('marks the piece that ends inside an unterminated quote', () => {
    const pieces = splitStatements("SELECT 1; SELECT 'oops; DROP TABLE t;");
    expect(pieces[0].unterminated).toBeUndefined();
    expect(pieces[1].unterminated).toBe('quote');
    expect(splitStatements('SELECT $x$ body').at(-1)!.unterminated).toBe('dollar quote $x$');
    expect(splitStatements('SELECT 1 /* open').at(-1)!.unterminated).toBe('comment');
  });
  it('keeps an unterminated comment after the last statement as a piece of its own', async () => {
    expect(splitStatements('SELECT 1; /* DROP TABLE users;', 'mysql').map((p) => [p.text, p.unterminated])).toEqual([
      ['SELECT 1', undefined],
      ['/* DROP TABLE users;', 'comment'],
    ]);
    const r = await check('/* DROP TABLE users;\n', { dialect: 'mysql' });
    expect(r.findings.map((f) => f.ruleId)).toContain('parse-error');
  });
});

describe('splitStatements: MySQL', () => {
  it('honours DELIMITER blocks and returns to ;', () => {
    const sql = 'DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END//\nDELIMITER ;\nDROP TABLE t;';
    expect(texts(sql, 'mysql')).toEqual(['CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END', 'DROP TABLE t']);
  });
  it('takes backslash escapes, backticks and # comments', () => {
    expect(texts("SELECT 'it\\'s; fine'; SELECT `a;b` FROM t; # c; d\nSELECT \"x\\\";\"", 'mysql')).toEqual([
      "SELECT 'it\\'s; fine'",
      'SELECT `a;b` FROM t',
      'SELECT "x\\";"',
    ]);
  });
  it('only takes `-- ` followed by a blank as a comment (1--1 is arithmetic)', () => {
    // Were `--1;` a comment, the DROP would vanish into it.
    expect(texts('SELECT 1--1; DROP TABLE users;', 'mysql')).toEqual(['SELECT 1--1', 'DROP TABLE users']);
    expect(texts('SELECT 1-- c; DROP\nTABLE users;', 'mysql')).toEqual(['SELECT 1-- c; DROP\nTABLE users']);
    expect(texts('SELECT 1--1; DROP TABLE users;', 'postgresql')).toEqual(['SELECT 1--1; DROP TABLE users;']);
  });
});

describe('splitStatements: compound statements', () => {
  it('keeps a SQLite trigger body whole (CASE … END inside)', () => {
    const sql = 'CREATE TRIGGER t AFTER DELETE ON a BEGIN DELETE FROM b WHERE x = CASE WHEN 1 THEN 2 END; UPDATE c SET y = 1; END; DROP TABLE d;';
    expect(texts(sql, 'sqlite')).toEqual(['CREATE TRIGGER t AFTER DELETE ON a BEGIN DELETE FROM b WHERE x = CASE WHEN 1 THEN 2 END; UPDATE c SET y = 1; END', 'DROP TABLE d']);
  });
  it('keeps a MySQL routine whole without DELIMITER (END IF / END LOOP do not close it)', () => {
    const sql = 'CREATE DEFINER=`root`@`%` PROCEDURE p() BEGIN IF 1 THEN SELECT 1; END IF; l: LOOP LEAVE l; END LOOP; END;\nBEGIN;\nDROP TABLE d;';
    expect(texts(sql, 'mysql')).toEqual(['CREATE DEFINER=`root`@`%` PROCEDURE p() BEGIN IF 1 THEN SELECT 1; END IF; l: LOOP LEAVE l; END LOOP; END', 'BEGIN', 'DROP TABLE d']);
  });
  it('keeps a PostgreSQL BEGIN ATOMIC body whole; routines without a block end at `;`', () => {
    const sql = 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END; CREATE FUNCTION g() RETURNS int RETURN 1; BEGIN; DROP TABLE d;';
    expect(texts(sql)).toEqual(['CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END', 'CREATE FUNCTION g() RETURNS int RETURN 1', 'BEGIN', 'DROP TABLE d']);
  });
  it('is one parse error, not fragments, when the parser rejects the trigger', async () => {
    const r = await check('CREATE TRIGGER t AFTER DELETE ON a BEGIN DELETE FROM b; END;\nDROP TABLE c;\n', { path: 'm/1.sqlite3.up.sql' });
    expect(r.files[0].statements).toBe(2);
  });
});

describe('splitStatements: migration-tool markers', () => {
  it('keeps a goose StatementBegin … StatementEnd block whole', () => {
    const sql = [
      '-- +goose Up',
      'CREATE TABLE a (id int);',
      '-- +goose StatementBegin',
      'CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.id = 1; SET NEW.id = 2; END;',
      '-- +goose StatementEnd',
      'DROP TABLE b;',
    ].join('\n');
    const pieces = splitStatements(sql, 'mysql');
    expect(pieces.map((p) => p.text)).toEqual([
      'CREATE TABLE a (id int)',
      'CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.id = 1; SET NEW.id = 2; END',
      'DROP TABLE b',
    ]);
    expect(pieces[1].block).toBe('goose');
  });
  it('only takes goose annotations at column 1', () => {
    const sql = 'SELECT 1;\n  -- +goose StatementBegin\nSELECT 2; SELECT 3;';
    expect(texts(sql)).toEqual(['SELECT 1', 'SELECT 2', 'SELECT 3']);
  });
  it('splits at Drizzle statement breakpoints, with or without a semicolon', () => {
    expect(texts('CREATE TABLE a (id int);\n--> statement-breakpoint\nCREATE TABLE b (id int)\n--> statement-breakpoint\nDROP TABLE c')).toEqual([
      'CREATE TABLE a (id int)',
      'CREATE TABLE b (id int)',
      'DROP TABLE c',
    ]);
  });
  it('ends a statement at each Liquibase changeset; splitStatements:false and endDelimiter apply to one changeset', () => {
    const sql = [
      '--liquibase formatted sql',
      '--changeset a:1',
      'CREATE TABLE a (id int)',
      '--changeset a:2 splitStatements:false',
      'CREATE TRIGGER x BEGIN; SELECT 1; END;',
      '--changeset a:3 endDelimiter:/',
      'BEGIN; x := 1 / 2; END;',
      '/',
      'SELECT 2',
      '--changeset a:4',
      'SELECT 3; SELECT 4;',
    ].join('\n');
    expect(texts(sql)).toEqual(['CREATE TABLE a (id int)', 'CREATE TRIGGER x BEGIN; SELECT 1; END', 'BEGIN; x := 1 / 2; END;', 'SELECT 2', 'SELECT 3', 'SELECT 4']);
  });
  it('splits T-SQL batches at GO lines', () => {
    expect(texts('CREATE TABLE a (id int)\nGO\nDROP TABLE b\ngo 2\nSELECT 1', 'transactsql')).toEqual(['CREATE TABLE a (id int)', 'DROP TABLE b', 'SELECT 1']);
  });
});

describe('codeView', () => {
  it('blanks comments and masks literal contents, same length', () => {
    const sql = "SELECT 'a@b' -- x@y\n, $q$ c@d $q$ /* e@f */, \"g@h\"";
    const v = codeView(sql);
    expect(v.length).toBe(sql.length);
    expect(v).not.toMatch(/a@b|x@y|c@d|e@f/);
    expect(v).toContain('"g@h"');
    expect(v.split('\n').length).toBe(2);
  });
});

describe('normalizeForRetry', () => {
  it('rewrites CockroachDB syntax with the length kept, never inside literals', () => {
    const sql = "DROP INDEX IF EXISTS t@t_idx; SELECT 'user@example.com'";
    const out = normalizeForRetry(sql, 'cockroach')!;
    expect(out).toBe("DROP INDEX IF EXISTS t.t_idx; SELECT 'user@example.com'");
    expect(normalizeForRetry('CREATE INVERTED INDEX i ON t (c)', 'cockroach')).toBe('CREATE          INDEX i ON t (c)');
    expect(normalizeForRetry('CREATE INDEX i ON t (a) STORING (b)', 'cockroach')).toBe('CREATE INDEX i ON t (a) INCLUDE (b)');
    expect(normalizeForRetry('ALTER TABLE t ADD CONSTRAINT IF NOT EXISTS c CHECK (a > 0)', 'cockroach')).toBe('ALTER TABLE t ADD CONSTRAINT               c CHECK (a > 0)');
    expect(normalizeForRetry('SELECT 1', 'cockroach')).toBeNull();
  });
  it('rewrites MySQL types and names node-sql-parser lacks', () => {
    expect(normalizeForRetry('ALTER TABLE t ADD COLUMN `bool` bool NOT NULL', 'mysql')).toBe('ALTER TABLE t ADD COLUMN `bool` BOOLEAN NOT NULL');
    expect(normalizeForRetry('ALTER TABLE t MODIFY COLUMN c VARCHAR(255) BINARY', 'mysql')).toBe('ALTER TABLE t MODIFY COLUMN c VARCHAR(255)       ');
    expect(normalizeForRetry('ALTER TABLE t DROP CONSTRAINT `fk_a`, MODIFY a int', 'mysql')).toBe('ALTER TABLE t DROP CONSTRAINT  fk_a , MODIFY a int');
    expect(normalizeForRetry("INSERT INTO t VALUES ('bool')", 'mysql')).toBeNull();
  });
  it('unwraps MySQL executable comments (same length) but not plain ones', () => {
    const sql = '/*!40101 SET NAMES utf8 */; /* plain */ /*M!100100 DROP TABLE t */;';
    const out = unwrapExecutableComments(sql, 'mysql');
    expect(out.length).toBe(sql.length);
    expect(out).toBe('         SET NAMES utf8   ; /* plain */            DROP TABLE t   ;');
  });
});

describe('second chances: normalization and libpg-query for SQLite', () => {
  it('parses CockroachDB index syntax in cockroach files only', async () => {
    const sql = 'DROP INDEX IF EXISTS sessions@sessions_token_idx;\nCREATE INVERTED INDEX i ON t (config);\n';
    const crdb = statements('migrations/1_x.cockroach.up.sql', sql);
    expect(crdb.map((s) => s.parsed)).toEqual([true, true]);
    expect(Object.keys(crdb[0].pg!)).toEqual(['DropStmt']);
    // The statement text stays as written.
    expect(crdb[0].text).toBe('DROP INDEX IF EXISTS sessions@sessions_token_idx');
    const pg = statements('migrations/1_x.postgres.up.sql', sql);
    expect(pg.map((s) => s.parsed)).toEqual([false, false]);
    expect((await findings(sql, 'parse-error', { path: 'migrations/1_x.postgres.up.sql' })).length).toBe(2);
  });
  it('parses MySQL statements after a normalization and keeps the original text', () => {
    const st = statements('m/1.mysql.up.sql', 'ALTER TABLE `t` ADD COLUMN `forced` bool NOT NULL DEFAULT false;');
    expect(st[0].parsed).toBe(true);
    expect(st[0].ast.type).toBe('alter');
    expect(st[0].text).toContain(' bool ');
  });
  it('flags a DROP hidden in a MySQL executable comment', async () => {
    const f = await findings('/*!50001 DROP TABLE users */;\n', 'drop-table', { dialect: 'mysql' });
    expect(f).toHaveLength(1);
    expect(f[0].line).toBe(1);
  });
  it('flags a DROP after MySQL `1--1` (not a comment there)', async () => {
    expect(await findings('SELECT 1--1; DROP TABLE users;\n', 'drop-table', { dialect: 'mysql' })).toHaveLength(1);
  });
  it('gives SQLite statements node-sql-parser rejects to libpg-query', async () => {
    const sql = 'DROP INDEX IF EXISTS "sessions_token_idx";\nCREATE TABLE "a" ("id" TEXT PRIMARY KEY, "ok" bool NOT NULL);\nDROP TABLE "b";\n';
    const st = statements('m/1.sqlite3.up.sql', sql);
    expect(st.map((s) => s.parsed)).toEqual([true, true, true]);
    expect(st[0].pg?.DropStmt).toBeDefined();
    expect(st.every((s) => s.dialect === 'sqlite')).toBe(true);
    const f = await findings(sql, 'drop-table', { path: 'm/1.sqlite3.up.sql' });
    expect(f.map((x) => x.line)).toEqual([3]);
  });
  it('still reports what neither parser accepts', async () => {
    const r = await check('DROP TABLE users ((;\nINSERT OR REPLACE INTO t VALUES (1) garbage;\n', { path: 'm/1.sqlite3.up.sql' });
    expect(r.findings.filter((f) => f.ruleId === 'parse-error').map((f) => f.line)).toEqual([1, 2]);
    expect(r.findings.some((f) => f.ruleId === 'drop-table')).toBe(true); // lexical "likely"
  });
});

describe('statement positions', () => {
  it('are exact after non-ASCII text (libpg-query byte offsets → UTF-16 columns)', () => {
    const sql = "-- café ☕ 日本語 😀\nSELECT 'é' AS a; SELECT '😀😀' AS b;   CREATE TABLE \"表\" (x int);\n  DROP TABLE t;\n";
    expect(where('m/1.sql', sql)).toEqual(['2:1 SELECT', '2:18 SELECT', '2:40 CREATE', '3:3 DROP']);
  });
  it('are exact on the fallback path (a bad statement among good ones)', () => {
    const sql = "SELECT '日本'; SELEC 'é';\n😀 ;\n  DROP TABLE t;\n";
    expect(where('m/1.sql', sql)).toEqual(['1:1 SELECT', '1:14 SELEC (unparsed)', '2:1 😀 (unparsed)', '3:3 DROP']);
  });
  it('are exact for MySQL after non-ASCII text and after a DELIMITER block', () => {
    const sql = [
      "INSERT INTO t VALUES ('naïve 😀');",
      'DELIMITER $$',
      'CREATE PROCEDURE p() BEGIN SELECT 1; END$$',
      'DELIMITER ;',
      "  SELECT 'ü'; DROP TABLE `表`;",
    ].join('\n');
    expect(where('m/1.sql', sql, 'mysql').map((w) => w.replace(/ \(unparsed\)$/, ''))).toEqual(['1:1 INSERT', '3:1 CREATE', '5:3 SELECT', '5:15 DROP']);
  });
  it('point findings at the statement', async () => {
    const f = await findings("-- ☕☕\nSELECT '😀'; DROP TABLE users;\n", 'drop-table');
    expect([f[0].line, f[0].column]).toEqual([2, 14]);
  });
});

describe('COPY … FROM stdin', () => {
  it('blanks the data rows of a real COPY only', async () => {
    const sql = "COPY t (a) FROM stdin;\nx;DROP TABLE data_row\n\\.\nDROP TABLE after_copy;\n";
    const f = await findings(sql, 'drop-table');
    expect(f.map((x) => x.message)).toEqual([expect.stringContaining('after_copy')]);
  });
  it('does not take a COPY in a comment as the start of data', async () => {
    const sql = '-- run: COPY t FROM stdin;\nDROP TABLE users;\n';
    expect(await findings(sql, 'drop-table')).toHaveLength(1);
  });
});

describe('splitStatements: nothing between pieces but blanks, comments and delimiters', () => {
  const tokens = ['SELECT', ' ', '\n', ';', "'", '"', '$$', '$a$', '--', '/*', '*/', 'x', '1', "E'", '\\', '-- +goose StatementBegin\n', '-- +goose StatementEnd\n', '--> statement-breakpoint\n', '--changeset a:1\n', 'BEGIN', 'END', 'CREATE TRIGGER', 'CASE', 'é', '😀', '`', '#'];
  // A gap may hold blanks, `;` and `--` comments (in the text, or in the code view, which also
  // blanks block comments; the code view does not know psql meta-command lines, the text does).
  it.each(['postgresql', 'sqlite', 'mysql'] as Dialect[])('%s', async (dialect) => {
    // MySQL: `--` is a comment only before a blank; tool marker lines never reach the server.
    // (goose takes `------ +goose StatementEnd` for an annotation too: every `--` is removed.)
    const dash = dialect === 'mysql' ? /--(?=\s|$)[^\n]*|^[ \t]*--[ \t]*changeset\b[^\n]*|^[ \t]*-->[^\n]*|^--[^\n]*\+goose[^\n]*/gm : /--[^\n]*/g;
    const ok = (gap: string) => /^[\s;]*$/.test(gap.replace(dash, '').replace(/\/\*[\s\S]*?\*\//g, ''));
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...tokens), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const pieces = splitStatements(text, dialect);
        const view = codeView(text, dialect);
        let at = 0;
        for (const p of pieces) {
          if (p.start < at || p.end > text.length || p.end <= p.start || p.text !== text.slice(p.start, p.end)) return false;
          const gap = ok(text.slice(at, p.start)) || ok(view.slice(at, p.start));
          if (!gap) return false;
          at = p.end;
        }
        // (An unterminated quote runs to the end; only its trailing blanks are outside the piece.)
        if (pieces.at(-1)?.unterminated) return /^\s*$/.test(text.slice(at));
        return ok(text.slice(at)) || ok(view.slice(at));
      }),
      { numRuns: 3000 },
    );
  });
});
