// No input crashes the tool: odd and hostile files through the BUILT CLI (spawned, as users run
// it), the rest through the engine; and the parser guard (src/parse/guard.ts) that keeps the
// PostgreSQL WASM parser alive and linear.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashCount, LIMITS, loadModule, parseSync, PgGuardError, PgSyntaxError, precheck } from '../src/parse/guard.js';
import type { Result } from '../src/types.js';
import { check } from './helpers.js';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli', 'index.js');

const DROP_USERS = 'DROP TABLE users;\n';
/** `SELECT 1+1+…`: a left-deep tree that overflows the WASM stack inside libpg-query. */
const STACK_BOMB = 'SELECT ' + '1+'.repeat(10_000) + '1;\n';

const ids = (r: Result) => r.findings.map((f) => f.ruleId);

describe('built CLI on odd and hostile files', () => {
  let dir = '';
  const files: Record<string, string | Uint8Array> = {
    'empty.sql': '',
    'blank.sql': ' \n\t\r\n',
    'binary.sql': Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256),
    'invalid-utf8.sql': Buffer.concat([Buffer.from('SELECT 1;\n-- '), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from('\n' + DROP_USERS)]),
    'nul.sql': 'SELECT 1;\0\0\n' + DROP_USERS,
    'bom.sql': '\uFEFF' + DROP_USERS,
    'crlf.sql': 'CREATE TABLE a (id int);\r\n\r\nDROP TABLE users;\r\n',
    'parens-10k.sql': 'SELECT ' + '('.repeat(10_000) + '1' + ')'.repeat(10_000) + ';\n' + DROP_USERS,
    'stack-bomb.sql': STACK_BOMB + DROP_USERS,
    // Quadratic in PostgreSQL's lexer without the guard: 73 s and 17 s before it.
    'comment-bomb.sql': 'SELECT 1 ' + '/*'.repeat(100_000) + '*/'.repeat(100_000) + ';\n' + DROP_USERS,
    'operator-bomb.sql': 'SELECT 1 ' + '+-'.repeat(100_000) + ' 1;\n' + DROP_USERS,
    'one-line-1mb.sql': Array.from({ length: 20_000 }, (_, i) => `INSERT INTO t VALUES (${i}, 'abcdefghijklmnopqrstuvwxyz0123456789');`).join(' ') + ' DROP TABLE users;',
    'unterminated-dollar.sql': 'SELECT 1;\nDO $$ BEGIN DROP TABLE users; END;\n',
  };

  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`node scripts/build.mjs\` (npm test does) first`);
    dir = mkdtempSync(join(tmpdir(), 'mg-robust-'));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    // 10 MB: 140k statements, the dangerous one last.
    const stmts: string[] = [];
    let size = 0;
    for (let i = 0; size < 10 * 1024 * 1024; i++) {
      const s = `CREATE TABLE t_${i} (id int PRIMARY KEY, name text NOT NULL DEFAULT 'x');\n`;
      stmts.push(s);
      size += s.length;
    }
    writeFileSync(join(dir, 'big-10mb.sql'), stmts.join('') + DROP_USERS);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function cli(name: string): { result: Result; status: number | null; ms: number } {
    const t = Date.now();
    const p = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', name], { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 240_000 });
    const ms = Date.now() - t;
    if (p.status !== 0 && p.status !== 1) throw new Error(`exit ${p.status} (signal ${p.signal}) on ${name}: ${p.stderr.slice(0, 2000)}`);
    const result = JSON.parse(p.stdout) as Result;
    expect(result.files.map((f) => f.path)).toEqual([name]);
    for (const f of result.findings) {
      expect(f.line).toBeGreaterThanOrEqual(1);
      expect(f.column).toBeGreaterThanOrEqual(1);
    }
    return { result, status: p.status, ms };
  }

  it('empty and blank files: no findings, exit 0', () => {
    for (const name of ['empty.sql', 'blank.sql']) {
      const { result, status } = cli(name);
      expect(status).toBe(0);
      expect(result.findings).toEqual([]);
    }
  });

  it('binary, invalid UTF-8 and NUL bytes: a parse finding, the rest still analyzed', () => {
    expect(ids(cli('binary.sql').result)).toContain('parse-error');
    for (const name of ['invalid-utf8.sql', 'nul.sql']) {
      const { result, status } = cli(name);
      expect(status).toBe(1);
      expect(ids(result)).toContain('parse-error');
      expect(result.findings.find((f) => f.ruleId === 'drop-table')?.snippet).toContain('DROP TABLE users');
    }
  });

  it('BOM and CRLF: positions stay right', () => {
    const bom = cli('bom.sql').result.findings.find((f) => f.ruleId === 'drop-table');
    expect([bom?.line, bom?.column]).toEqual([1, 1]);
    const crlf = cli('crlf.sql').result.findings.find((f) => f.ruleId === 'drop-table');
    expect([crlf?.line, crlf?.column]).toEqual([3, 1]);
  });

  it.each(['parens-10k.sql', 'stack-bomb.sql', 'comment-bomb.sql', 'operator-bomb.sql'])(
    '%s: a parse error for the hostile statement, the next one still analyzed, in seconds',
    (name) => {
      const { result, status, ms } = cli(name);
      expect(status).toBe(1);
      const pe = result.findings.filter((f) => f.ruleId === 'parse-error');
      expect(pe.length).toBeGreaterThan(0);
      expect(pe[0].line).toBe(1);
      const drop = result.findings.find((f) => f.ruleId === 'drop-table');
      expect(drop?.line).toBe(2);
      expect(ms).toBeLessThan(15_000);
    },
    60_000,
  );

  it('a 1 MB single line: the statement at its end is found at the right column', () => {
    const { result } = cli('one-line-1mb.sql');
    const text = String(files['one-line-1mb.sql']);
    const drop = result.findings.find((f) => f.ruleId === 'drop-table');
    expect(drop?.line).toBe(1);
    expect(drop?.column).toBe(text.indexOf('DROP TABLE users') + 1);
  }, 60_000);

  it('an unterminated dollar quote is a parse error', () => {
    const { result, status } = cli('unterminated-dollar.sql');
    expect(status).toBe(1);
    expect(ids(result)).toContain('parse-error');
  });

  it('a run that stops before it finishes (a promise that never settles) exits 2 with a message, never 0', () => {
    // The failure seen on Node 24 with eager WASM compilation: the parser's instantiation never
    // completed, the event loop ran dry and Node exited 0 with no output.
    const hook = join(dir, 'hang-wasm.mjs');
    writeFileSync(hook, 'WebAssembly.instantiate = () => new Promise(() => {});\n');
    const p = spawnSync(process.execPath, ['--import', hook, CLI, 'check', '--format', 'json', 'crlf.sql'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(p.status).toBe(2);
    expect(p.stdout).toBe('');
    expect(p.stderr).toMatch(/internal error: the run stopped before it finished.*nothing was checked/);
    // The same file without the hook: the normal exit.
    expect(cli('crlf.sql').status).toBe(1);
  });

  it('a 10 MB file: every statement parsed, the last one found', () => {
    const { result, status } = cli('big-10mb.sql');
    expect(status).toBe(1);
    expect(result.files[0].statements).toBeGreaterThan(100_000);
    expect(result.files[0].unparsed).toBe(0);
    const drop = result.findings.find((f) => f.ruleId === 'drop-table');
    expect(drop?.snippet).toContain('DROP TABLE users');
  }, 240_000);
});

describe('engine on odd input', () => {
  it('unterminated quote and comment: parse errors, what comes before still analyzed', async () => {
    const q = await check("DROP TABLE a;\nINSERT INTO t VALUES ('abc);\nDROP TABLE b;\n");
    expect(ids(q)).toContain('parse-error');
    expect(q.findings.find((f) => f.ruleId === 'drop-table')?.line).toBe(1);
    // The splitter sees no statement inside an unterminated comment; the parser's error is kept.
    const c = await check('DROP TABLE a;\n/* never closed\nDROP TABLE c;\n');
    const pe = c.findings.find((f) => f.ruleId === 'parse-error');
    expect(pe?.line).toBe(2);
    expect(pe?.message).toMatch(/unterminated/);
  });

  it('text the splitter skips but PostgreSQL rejects (a stray BOM between statements) is a parse error', async () => {
    const r = await check('SELECT 1;\n\uFEFF\nSELECT 2;\n');
    const pe = r.findings.find((f) => f.ruleId === 'parse-error');
    expect(pe?.line).toBe(2);
    expect(pe?.message).toMatch(/syntax error/);
  });

  it('unpaired surrogates in a string input: reported, replaced, analysis goes on', async () => {
    const r = await check('DROP TABLE a;\n-- \uD800 x\nSELECT \'\uDC00\';\nDROP TABLE b;\n');
    expect(ids(r)).toContain('parse-error');
    expect(r.findings.filter((f) => f.ruleId === 'drop-table').map((f) => f.line)).toEqual([1, 4]);
    expect(() => JSON.stringify(r)).not.toThrow();
  });

  it('DO blocks nested deeper than the analyzer goes: a parse error, never a silent pass', async () => {
    let sql = 'DROP TABLE inner_most';
    for (let d = 1; d <= 12; d++) sql = `DO $d${d}$ BEGIN ${sql}; END $d${d}$`;
    const r = await check(sql + ';\n');
    const pe = r.findings.filter((f) => f.ruleId === 'parse-error');
    expect(pe.map((f) => f.message).join('\n')).toMatch(/nested more than \d+ levels/);
    // Within the limit the innermost statement is analyzed.
    let ok = 'DROP TABLE inner_most';
    for (let d = 1; d <= 3; d++) ok = `DO $d${d}$ BEGIN ${ok}; END $d${d}$`;
    const r2 = await check(ok + ';\n');
    expect(ids(r2)).toContain('drop-table');
    expect(ids(r2)).not.toContain('parse-error');
  });

  it('a PL/pgSQL body with thousands of statements is linear (positions stay exact)', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `  PERFORM ${i};`);
    lines[19_000] = '  DROP TABLE users;';
    const t = Date.now();
    const r = await check('DO $$\nBEGIN\n' + lines.join('\n') + '\nEND $$;\n');
    expect(Date.now() - t).toBeLessThan(15_000);
    const drop = r.findings.find((f) => f.ruleId === 'drop-table');
    expect([drop?.line, drop?.column]).toEqual([19_003, 3]);
  }, 60_000);

  it('many functions with non-ASCII text are linear', async () => {
    let sql = '-- café\n';
    for (let i = 0; i < 2000; i++) sql += `CREATE FUNCTION f${i}() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM ${i}; UPDATE t SET a = 'é' WHERE id = ${i}; END $$;\n`;
    const t = Date.now();
    const r = await check(sql + DROP_USERS);
    expect(Date.now() - t).toBeLessThan(15_000);
    expect(r.findings.find((f) => f.ruleId === 'drop-table')?.line).toBe(2002);
  }, 60_000);
});

describe('parser guard', () => {
  it('a parser crash is recovered: the statement is a parse error, the next ones are analyzed', async () => {
    const before = crashCount();
    const r = await check(STACK_BOMB + DROP_USERS);
    expect(crashCount()).toBeGreaterThan(before);
    const pe = r.findings.find((f) => f.ruleId === 'parse-error');
    expect(pe?.line).toBe(1);
    expect(pe?.message).toMatch(/crashed/);
    expect(r.findings.find((f) => f.ruleId === 'drop-table')?.line).toBe(2);
  });

  it('stays correct after many crashes (libpg-query alone corrupts its heap after a few dozen)', async () => {
    await loadModule();
    const reference = JSON.stringify(parseSync('SELECT a FROM b WHERE c = 1'));
    for (let i = 0; i < 60; i++) {
      // A different text each time: a known crashing text is refused without calling the parser.
      expect(() => parseSync(`SELECT ${i}+` + '1+'.repeat(10_000) + '1')).toThrow(PgGuardError);
      expect(() => parseSync('SELECT 1')).toThrow(/restarted/); // dead until reloaded
      await loadModule();
      expect(JSON.stringify(parseSync('SELECT a FROM b WHERE c = 1'))).toBe(reference);
    }
    const r = await check('GRANT ALL ON t TO PUBLIC;\n' + DROP_USERS);
    expect(ids(r)).toEqual(expect.arrayContaining(['drop-table']));
    expect(ids(r)).not.toContain('parse-error');
  }, 120_000);

  it('syntax errors are ordinary errors with a cursor, not crashes', async () => {
    await loadModule();
    const before = crashCount();
    let err: unknown;
    try {
      parseSync('SELECT 1;\nDROP TABEL x;');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PgSyntaxError);
    expect((err as PgSyntaxError).cursorPosition).toBe('SELECT 1;\nDROP '.length);
    expect(crashCount()).toBe(before);
  });

  it('precheck refuses what makes the parser deep or quadratic', () => {
    expect(precheck('SELECT ' + '('.repeat(LIMITS.nesting + 1) + '1' + ')'.repeat(LIMITS.nesting + 1))).toMatch(/nested/);
    expect(precheck('SELECT 1 ' + '+-'.repeat(200) + ' 1')).toMatch(/operator/);
    expect(precheck('SELECT 1 ' + '/* '.repeat(LIMITS.commentNesting + 1))).toMatch(/comments nested/);
    expect(precheck('SELECT 1 /* ' + '/**/'.repeat(200) + ' */')).toMatch(/comment openers/);
  });

  it('precheck lets real SQL through: banners, rulers, parentheses in strings and bodies', () => {
    const ok = [
      'SELECT ' + '('.repeat(50) + '1' + ')'.repeat(50),
      '/' + '*'.repeat(2000) + '/\nSELECT 1',
      '-- ' + '-'.repeat(2000) + '\nSELECT 1',
      '--' + '+-'.repeat(1000) + '\nSELECT 1',
      "SELECT '" + '('.repeat(5000) + "'",
      "SELECT E'\\'" + '('.repeat(5000) + "'",
      'SELECT "' + '('.repeat(5000) + '"',
      'SELECT $q$' + '('.repeat(5000) + '$q$',
      '/* ' + '='.repeat(5000) + ' */ SELECT 1',
      "SELECT '" + '+-'.repeat(5000) + "'",
    ];
    for (const sql of ok) expect(precheck(sql), sql.slice(0, 40)).toBeNull();
  });

  it('every use of the PostgreSQL parser goes through the guard', () => {
    const offenders: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(join(ROOT, d), { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && p !== join('src', 'parse', 'guard.ts')) {
          const text = readFileSync(join(ROOT, p), 'utf8');
          if (/from\s+['"]libpg-query['"]/.test(text.replace(/import\s+type\s[^;]*;/g, ''))) offenders.push(p);
        }
      }
    };
    walk('src');
    walk('rules');
    expect(offenders, 'import parseSync / scanSync / parsePlPgSQLSync from src/parse/guard.ts instead').toEqual([]);
  });
});

describe('invisible characters between statements', () => {
  it('a stray BOM or zero-width space is a parse error at that character, and the statement after it is still analyzed once', async () => {
    const ids = async (t: string) => (await check(t)).findings.map((f) => `${f.ruleId}@${f.line}:${f.column}`);
    expect(await ids('SELECT 1;\n\uFEFFDROP TABLE x;')).toEqual(['parse-error@2:1', 'drop-table@2:2']);
    expect(await ids('SELECT 1;\n\u200B\n')).toEqual(['parse-error@2:1']);
    expect(await ids(' \uFEFF')).toEqual(['parse-error@1:2']);
    expect(await ids('\uFEFFSELECT 1;')).toEqual([]); // a leading BOM is the file's byte-order mark
  });
});
