// Migration layouts (issue 3): which files are selected, their kind, up/down sections and where
// each statement is. Fixtures are inline or written to a temporary directory.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverFiles, globPath, isSelected } from '../src/discover/index.js';
import { run } from '../src/engine.js';
import { extract } from '../src/extract/index.js';
import { isDownPath, liquibaseUnits } from '../src/extract/sql.js';
import type { Finding } from '../src/types.js';
import { check, findings } from './helpers.js';

const drops = async (sql: string, path: string, config = {}) => findings(sql, 'drop-table', { path, config });
const brief = (f: Finding[]) => f.map((x) => `${x.line}:${x.column}${x.down ? ' down' : ''}${x.gating ? ' gating' : ''}`);

describe('Prisma', () => {
  it('classifies migrations/<name>/migration.sql as prisma', () => {
    expect(extract({ path: 'prisma/migrations/20240101_init/migration.sql', content: 'SELECT 1;' }).kind).toBe('prisma');
  });
});

describe('Flyway', () => {
  it('V__ is up, U__ (undo) is down, R__ (repeatable) is up', async () => {
    expect(brief(await drops('DROP TABLE a;', 'db/migration/V2__drop.sql'))).toEqual(['1:1 gating']);
    expect(brief(await drops('DROP TABLE a;', 'db/migration/U2__drop.sql'))).toEqual(['1:1 down']);
    expect(brief(await drops('DROP TABLE a;', 'db/migration/R__views.sql'))).toEqual(['1:1 gating']);
    expect(brief(await drops('DROP TABLE a;', 'db/migration/V2.1__undo_old.sql'))).toEqual(['1:1 gating']);
  });
  it('neutralizes Go templates but not PostgreSQL array literals', async () => {
    const go = await check('CREATE TABLE {{ index .Options "Namespace" }}.users (id int);\nDROP TABLE {{- .Schema -}}.old;', { path: 'migrations/00_init.up.sql' });
    expect(go.findings.map((f) => f.ruleId).sort()).toEqual(['drop-table', 'templated-sql']);
    const arr = await check("SELECT '{{1,2},{3,4}}'::int[][];", { path: 'migrations/01_x.up.sql' });
    expect(arr.findings).toEqual([]);
  });
  it('replaces ${placeholders} and says so', async () => {
    const r = await check('DROP TABLE ${schema}.users;', { path: 'db/migration/V3__x.sql' });
    expect(r.findings.map((f) => f.ruleId).sort()).toEqual(['drop-table', 'templated-sql']);
  });
});

describe('Liquibase formatted SQL', () => {
  const file = [
    '--liquibase formatted sql',
    '',
    '--changeset alice:1',
    'CREATE TABLE a (id int)',
    '--rollback DROP TABLE a;',
    '',
    '--changeset alice:2',
    'DROP TABLE b;',
    '--rollback not required',
    '',
    '--changeset alice:3',
    'CREATE TABLE c (id int);',
    '/* liquibase rollback',
    'DROP TABLE c;',
    '*/',
  ].join('\n');
  it('is its own kind; --rollback lines and rollback blocks are the down unit', async () => {
    expect(extract({ path: 'db/changelog.sql', content: file }).kind).toBe('liquibase');
    const r = await check(file, { path: 'db/changelog.sql' });
    expect(brief(r.findings.filter((f) => f.ruleId === 'drop-table'))).toEqual(['5:12 down', '8:1 gating', '14:1 down']);
    // `--rollback not required` is not SQL; a changeset without `;` ends at the next changeset.
    expect(r.findings.filter((f) => f.ruleId === 'parse-error')).toEqual([]);
    expect(r.files[0].statements).toBe(5);
  });
  it('keeps offsets in both units', () => {
    const { up, down } = liquibaseUnits(file);
    expect(up.length).toBe(file.length);
    expect(down!.length).toBe(file.length);
    expect(down!.split('\n')[4]).toBe('           DROP TABLE a;');
  });
  it('analyzes precondition queries (Liquibase runs them) as up statements', async () => {
    const sql = ['--liquibase formatted sql', '--changeset a:1', "--precondition-sql-check expectedResult:0 SELECT count(*) FROM pg_tables WHERE tablename = 'x'", '--precondition-sql-check expectedResult:1 SELECT public.drop_everything()', 'CREATE TABLE x (id int);'].join('\n');
    const ex = extract({ path: 'changelog.sql', content: sql });
    expect(ex.units.map((u) => [u.origin ?? 'main', u.down])).toEqual([['main', false], ['liquibase precondition', false], ['liquibase precondition', false]]);
    const r = await check(sql, { path: 'changelog.sql' });
    expect(r.files[0].statements).toBe(3);
    expect(r.findings.filter((f) => f.ruleId === 'parse-error')).toEqual([]);
  });
  it('rolls back with the changeset rollback attributes', async () => {
    const sql = ['--liquibase formatted sql', '--changeset a:1 rollbackSplitStatements:false', 'CREATE TABLE t (id int);', '--rollback DROP TABLE t; DROP TABLE u;'].join('\n');
    const ex = extract({ path: 'changelog.sql', content: sql });
    expect(ex.units.map((u) => u.down)).toEqual([false, true]);
    expect(ex.units[1].text).toContain('--changeset r:1 splitStatements:false');
    expect(ex.units[1].text.length).toBe(sql.length);
  });
});

describe('golang-migrate, ory/pop, Diesel, sqitch', () => {
  it('*.down.sql, down.sql and revert/ are down; *.up.sql, deploy/ and verify/ are up', () => {
    expect(isDownPath('migrations/000001_init.down.sql')).toBe(true);
    expect(isDownPath('migrations/000001_init.up.sql')).toBe(false);
    expect(isDownPath('migrations/2020-01-01_create/down.sql')).toBe(true);
    expect(isDownPath('sqitch/revert/users.sql')).toBe(true);
    expect(isDownPath('sqitch/deploy/users.sql')).toBe(false);
    expect(isDownPath('sqitch/verify/users.sql')).toBe(false);
    // Not down: names that merely end in "down" run as up migrations with most tools.
    expect(isDownPath('migrations/0003_lock_down.sql')).toBe(false);
    expect(isDownPath('migrations/0003_shutdown.sql')).toBe(false);
  });
  it('reads the dialect and the direction from ory/pop names', async () => {
    const r = await run([
      { path: 'm/20200101000000_x.mysql.down.sql', content: 'DROP TABLE `a`;' },
      { path: 'm/20200101000000_x.sqlite3.up.sql', content: 'DROP TABLE "a";' },
      { path: 'm/20200101000000_x.cockroach.up.sql', content: 'DROP TABLE a;' },
      { path: 'm/20200101000000_x.postgres.up.sql', content: 'DROP TABLE a;' },
    ]);
    expect(r.files.map((f) => f.dialect)).toEqual(['mysql', 'sqlite', 'postgresql', 'postgresql']);
    expect(r.findings.filter((f) => f.ruleId === 'drop-table').map((f) => [f.path.split('.')[1], !!f.down, f.gating])).toEqual([
      ['cockroach', false, true],
      ['mysql', true, false],
      ['postgres', false, true],
      ['sqlite3', false, true],
    ]);
  });
});

describe('goose', () => {
  const file = [
    '-- +goose Up',
    'CREATE TABLE a (id int);',
    '-- +goose StatementBegin',
    'CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;',
    '-- +goose StatementEnd',
    '',
    '-- +goose Down',
    'DROP FUNCTION f();',
    '  DROP TABLE users;',
  ].join('\n');
  it('splits Up and Down sections; Down findings are non-gating by default', async () => {
    const r = await check(file, { path: 'db/migrations/00001_init.sql' });
    expect(brief(r.findings.filter((f) => f.ruleId === 'drop-table'))).toEqual(['9:3 down']);
    expect(r.findings.filter((f) => f.ruleId === 'parse-error')).toEqual([]);
  });
  it('config down: gate makes them gating, down: ignore drops them', async () => {
    expect(brief(await drops(file, 'db/00001_init.sql', { down: 'gate' }))).toEqual(['9:3 down gating']);
    expect(await drops(file, 'db/00001_init.sql', { down: 'ignore' })).toEqual([]);
  });
  it('takes annotations case-insensitively at column 1 only (as goose does)', async () => {
    expect(brief(await drops('-- +goose up\nSELECT 1;\n-- +goose DOWN\nDROP TABLE a;\n', 'db/migrations/00002_x.sql'))).toEqual(['4:1 down']);
    // An indented or unknown marker is not a section: the DROP stays an up statement (gating).
    expect(brief(await drops('-- +goose Up\nSELECT 1;\n  -- +goose Down\nDROP TABLE a;\n', 'db/migrations/00002_x.sql'))).toEqual(['4:1 gating']);
    expect(brief(await drops('-- +goose Up\nSELECT 1;\n-- +goose Down please\nDROP TABLE a;\n', 'db/migrations/00002_x.sql'))).toEqual(['4:1 gating']);
  });
  it('positions statements in the Down section exactly after non-ASCII text', async () => {
    const sql = '-- +goose Up\nSELECT \'日本語 😀\';\n-- +goose Down\nSELECT \'é\'; DROP TABLE a;\n';
    expect(brief(await drops(sql, 'db/migrations/00002_x.sql'))).toEqual(['4:13 down']);
  });
});

describe('dbmate', () => {
  it('splits migrate:up and migrate:down (case-sensitive, column 1)', async () => {
    const sql = '-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\n  DROP TABLE a;\n';
    expect(brief(await drops(sql, 'db/migrations/20240101_x.sql'))).toEqual(['5:3 down']);
    const upper = '-- migrate:up\nSELECT 1;\n-- MIGRATE:DOWN\nDROP TABLE a;\n';
    expect(brief(await drops(upper, 'db/migrations/20240101_x.sql'))).toEqual(['4:1 gating']);
  });
  it('does not take a marker inside text that dbmate would not take either', async () => {
    // dbmate reads markers line by line; one inside a function body still splits the file for
    // dbmate, and so here. An indented one does not split it for dbmate, nor here.
    const sql = '-- migrate:up\nCREATE FUNCTION f() RETURNS int AS $$\n    -- migrate:down\nSELECT 1 $$ LANGUAGE sql;\nDROP TABLE users;\n';
    expect(brief(await drops(sql, 'db/migrations/20240101_x.sql'))).toEqual(['5:1 gating']);
  });
});

describe('Drizzle', () => {
  it('splits at statement breakpoints', async () => {
    const sql = 'CREATE TABLE "a" ("id" serial)\n--> statement-breakpoint\nDROP TABLE "b";\n';
    const r = await check(sql, { path: 'drizzle/0001_x.sql' });
    expect(r.findings.filter((f) => f.ruleId === 'parse-error')).toEqual([]);
    expect(brief(r.findings.filter((f) => f.ruleId === 'drop-table'))).toEqual(['3:1 gating']);
  });
});

describe('selection and discovery', () => {
  let dir: string;
  const write = (rel: string, text: string) => {
    const p = join(dir, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
  };
  const rel = (files: { path: string }[]) => files.map((f) => relative(dir, join(process.cwd(), f.path)).split('\\').join('/')).sort();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mg-layouts-'));
    write('prisma/migrations/migration_lock.toml', 'provider = "mysql"\n');
    write('prisma/migrations/20240101_init/migration.sql', 'DROP TABLE `a`;');
    write('db/V1__init.SQL', 'CREATE TABLE a (id int);');
    write('db/notes.txt', 'DROP TABLE a;');
    write('db/changelog.xml', '<databaseChangeLog/>');
    write('node_modules/pkg/x.sql', 'DROP TABLE a;');
    write('vendor/old.sql', 'DROP TABLE a;');
    write('alembic/versions/__init__.py', '');
    mkdirSync(join(dir, 'linked'), { recursive: true });
    symlinkSync(join(dir, 'db', 'V1__init.SQL'), join(dir, 'linked', 'V2__link.sql'));
    symlinkSync(join(dir, 'db'), join(dir, 'linked', 'loop'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('walks directories with the default globs (any case), following links inside the tree; a directory once', () => {
    // linked/loop is db/ again: walked once.
    expect(rel(discoverFiles([dir]))).toEqual(['db/V1__init.SQL', 'linked/V2__link.sql', 'prisma/migrations/20240101_init/migration.sql', 'vendor/old.sql']);
    // Walking linked/ alone (no git work tree here), loop/ leads out of the tree walked: listed as
    // a link that is not followed (rules/migration-symlink.ts gates it), never read or skipped.
    const alone = discoverFiles([join(dir, 'linked')]);
    expect(rel(alone)).toEqual(['linked/V2__link.sql', 'linked/loop']);
    expect(alone.find((f) => f.path.endsWith('loop'))?.link).toMatchObject({ resolved: null, problem: 'outside' });
  });
  it('reads the Prisma provider from migration_lock.toml', async () => {
    const files = discoverFiles([join(dir, 'prisma')]);
    expect(files.map((f) => f.dialectHint)).toEqual(['mysql']);
    const r = await run(files);
    expect(r.files.map((f) => [f.kind, f.dialect])).toEqual([['prisma', 'mysql']]);
    expect(r.findings.filter((f) => f.ruleId === 'parse-error')).toEqual([]);
  });
  it('takes include/exclude from the config', () => {
    const files = discoverFiles([dir], { include: ['**/*.sql', '**/*.xml'], exclude: ['**/vendor/**', '**/loop/**'] });
    expect(rel(files)).toEqual(['db/V1__init.SQL', 'db/changelog.xml', 'linked/V2__link.sql', 'prisma/migrations/20240101_init/migration.sql']);
  });
  it('always takes explicit files, selected or not', () => {
    expect(rel(discoverFiles([join(dir, 'db', 'notes.txt'), join(dir, 'vendor', 'old.sql')]))).toEqual(['db/notes.txt', 'vendor/old.sql']);
  });
  it('reports a selected file it cannot classify instead of skipping it', async () => {
    const files = discoverFiles([dir], { include: ['**/*.xml'] });
    const r = await run(files);
    expect(r.files.map((f) => f.kind)).toEqual(['unknown']);
    expect(r.findings.map((f) => [f.ruleId, f.gating])).toEqual([['parse-error', true]]);
  });
  it('matches globs against the path inside the working directory', () => {
    expect(globPath(join(process.cwd(), 'db', 'x.sql'))).toBe('db/x.sql');
    expect(isSelected('db/x.sql', { include: ['db/*.sql'] })).toBe(true);
    expect(isSelected('./db/x.sql', { include: ['db/*.sql'] })).toBe(true);
    expect(isSelected('other/db/x.sql', { include: ['db/*.sql'] })).toBe(false);
    expect(isSelected('a/node_modules/x.sql')).toBe(false);
    expect(isSelected('a/versions/__init__.py')).toBe(false);
    // Django's migrate imports the migrations package: its __init__.py runs and is reviewed.
    expect(isSelected('app/migrations/__init__.py')).toBe(true);
    expect(isSelected('app/migrations/versions/__init__.py')).toBe(false);
    expect(isSelected('app/migrations/sub/__init__.py')).toBe(false);
    expect(isSelected('a/versions/0001_x.py')).toBe(true);
  });
  it('fails clearly on a path that does not exist', () => {
    expect(() => discoverFiles([join(dir, 'nope')])).toThrow(/no such file or directory/);
  });
});

describe('.gitignore while walking, and directories with nothing to check', () => {
  const mk = (files: Record<string, string>, opts: { git?: boolean; track?: string[] } = {}) => {
    const d = mkdtempSync(join(tmpdir(), 'mg-gitignore-'));
    if (opts.git !== false) execFileSync('git', ['init', '-q', d]);
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(join(d, p, '..'), { recursive: true });
      writeFileSync(join(d, p), text);
    }
    if (opts.track?.length) execFileSync('git', ['-C', d, 'add', '-f', ...opts.track]);
    return d;
  };
  const names = (d: string, files: { path: string }[]) => files.map((f) => relative(d, join(process.cwd(), f.path)).split('\\').join('/')).sort();

  it('honours nested .gitignore files with git semantics (deeper wins, ignored directories skipped)', () => {
    const d = mk({
      '.gitignore': 'build/\n*.tmp.sql\nscratch/*.sql\n',
      'db/V1__a.sql': 'SELECT 1;',
      'db/x.tmp.sql': 'DROP TABLE a;',
      'build/out.sql': 'DROP TABLE a;',
      'scratch/a.sql': 'DROP TABLE a;',
      'scratch/.gitignore': '!keep.sql\n',
      'scratch/keep.sql': 'SELECT 1;',
      'sub/.gitignore': '/local.sql\n',
      'sub/local.sql': 'DROP TABLE a;',
      'sub/deeper/local.sql': 'SELECT 1;',
    });
    expect(names(d, discoverFiles([d]))).toEqual(['db/V1__a.sql', 'scratch/keep.sql', 'sub/deeper/local.sql']);
    // An ignored file named explicitly is still checked.
    expect(names(d, discoverFiles([join(d, 'build', 'out.sql')]))).toEqual(['build/out.sql']);
  });

  it("applies the enclosing work tree's .gitignore and .git/info/exclude when walking a subdirectory", () => {
    const d = mk({ '.git/info/exclude': 'db/private.sql\n', '.gitignore': 'db/gen/\n', 'db/V1__a.sql': 'SELECT 1;', 'db/private.sql': 'DROP TABLE a;', 'db/gen/x.sql': 'DROP TABLE a;' });
    expect(names(d, discoverFiles([join(d, 'db')]))).toEqual(['db/V1__a.sql']);
  });

  it('a tracked file is checked even when a .gitignore pattern matches it (git add -f): it is deployed', () => {
    const d = mk({ '.gitignore': 'db/gen/\n*.local.sql\n', 'db/V1__a.sql': 'SELECT 1;', 'db/gen/V2__b.sql': 'DROP TABLE a;', 'db/V3.local.sql': 'DROP TABLE b;', 'db/V4.local.sql': 'x' }, { track: ['db/gen/V2__b.sql', 'db/V3.local.sql'] });
    expect(names(d, discoverFiles([d]))).toEqual(['db/V1__a.sql', 'db/V3.local.sql', 'db/gen/V2__b.sql']);
  });

  it('outside a git work tree nothing is ignored (no tracking information: check more, not less)', () => {
    const d = mk({ '.gitignore': '*.sql\n', 'a.sql': 'DROP TABLE a;' }, { git: false });
    expect(names(d, discoverFiles([d]))).toEqual(['a.sql']);
  });

  it('a directory with no migrations (empty, or nothing selected) is an error naming it', () => {
    const d = mk({ 'docs/readme.md': 'hi', 'empty/.keep': '' });
    rmSync(join(d, 'empty', '.keep'));
    expect(() => discoverFiles([join(d, 'empty')])).toThrow(/empty: no migration files in this directory \(it is empty\)/);
    expect(() => discoverFiles([join(d, 'docs')])).toThrow(/docs: no migration files in this directory \(1 file\(s\), none matching the default globs\)/);
    expect(() => discoverFiles([join(d, 'docs')], { include: ['**/*.ddl'] })).toThrow(/configured include globs/);
  });
});

describe('many sections in one file', () => {
  it('one unit per direction, each the size of the file (no per-section copies)', () => {
    // dbmate takes many up/down sections in one file (goose takes one Up and one Down only).
    const body = Array.from({ length: 200 }, (_, i) => `-- migrate:up\nCREATE TABLE t${i} (id int);\n-- migrate:down\nDROP TABLE t${i};\n`).join('');
    const ex = extract({ path: 'db/00001_many.sql', content: body });
    expect(ex.units.map((u) => u.down)).toEqual([false, true]);
    for (const u of ex.units) expect(u.text.length).toBe(body.length);
  });

  it('a statement without `;` at the end of a section does not run into the next section of the same direction', async () => {
    const r = await check('-- migrate:up\nCREATE TABLE a (id int)\n-- migrate:down\nDROP TABLE a;\n-- migrate:up\nDROP TABLE b;\n-- migrate:down\n', { path: 'db/00002_x.sql' });
    expect(r.findings.filter((f) => f.ruleId === 'parse-error')).toEqual([]);
    const drops = r.findings.filter((f) => f.ruleId === 'drop-table').map((f) => `${f.line}:${f.gating}`);
    expect(drops).toEqual(['4:false', '6:true']);
  });

  it('goose refuses a second Up (and an up statement left without `;`): nothing is taken for down', async () => {
    // pressly/goose internal/sqlparser/parser.go ParseSQLMigration: "duplicate '-- +goose Up'
    // annotations" and "unexpected unfinished SQL query … missing semicolon?" are errors; goose
    // parses the whole file before running any of it.
    const r = await check('-- +goose Up\nCREATE TABLE a (id int)\n-- +goose Down\nDROP TABLE a;\n-- +goose Up\nDROP TABLE b;\n', { path: 'db/00002_x.sql' });
    const drops = r.findings.filter((f) => f.ruleId === 'drop-table').map((f) => `${f.line}:${f.gating}`);
    // Read as up throughout: `CREATE TABLE a (id int)` runs on into the DROP (one statement from line 2).
    expect(drops).toEqual(['2:true', '6:true']);
  });
});
