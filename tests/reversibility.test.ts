// Reversibility (issue 11, part 1): up then down replayed in the sandbox, the catalog compared
// with the one before the up. The single-file frameworks (goose, dbmate, Liquibase, Alembic) are
// the `irreversible` rule's examples (tests/rules.test.ts); here: the two-file pairs
// (golang-migrate, Flyway U), history, pull requests judged as one unit, and the up judgement left
// as it was.
import { describe, expect, it } from 'vitest';
import { run, type EngineOptions } from '../src/engine.js';
import type { Finding, SourceFile } from '../src/types.js';

const f = (path: string, content: string): SourceFile => ({ path, content });

async function irreversible(files: SourceFile[], opts: EngineOptions = {}): Promise<Finding[]> {
  const r = await run(files, { dialect: 'postgresql', replay: true, ...opts });
  return r.findings.filter((x) => x.ruleId === 'irreversible');
}

const USERS = f('db/migrations/001_users.up.sql', 'CREATE TABLE users (id int PRIMARY KEY, email varchar(255) NOT NULL);\n');
const USERS_DOWN = f('db/migrations/001_users.down.sql', 'DROP TABLE users;\n');

describe('golang-migrate pairs', () => {
  it('a down that undoes the up: no finding; the verdict is counted clean', async () => {
    const r = await run(
      [f('db/migrations/002_idx.up.sql', 'CREATE INDEX users_email ON users (email);\nALTER TABLE users ADD COLUMN name text;\n'), f('db/migrations/002_idx.down.sql', 'ALTER TABLE users DROP COLUMN name;\nDROP INDEX users_email;\n')],
      { dialect: 'postgresql', replay: true, history: [USERS, USERS_DOWN] },
    );
    expect(r.findings.filter((x) => x.ruleId === 'irreversible')).toEqual([]);
    expect(r.replay?.[0].reversal).toEqual({ clean: 1 });
  });

  it('a down that leaves an index behind and changes a type: names each difference', async () => {
    const found = await irreversible(
      [
        f('db/migrations/002_idx.up.sql', 'CREATE INDEX users_email ON users (email);\nALTER TABLE users ALTER COLUMN email TYPE text;\n'),
        f('db/migrations/002_idx.down.sql', 'SELECT 1;\n'),
      ],
      { history: [USERS, USERS_DOWN] },
    );
    expect(found).toHaveLength(1);
    expect(found[0].path).toBe('db/migrations/002_idx.up.sql');
    expect(found[0].message).toContain('does not restore the schema');
    expect(found[0].message).toContain('index public.users_email still exists after the down');
    expect(found[0].message).toContain('column public.users.email has type text, was character varying(255)');
    expect(found[0].gating).toBe(false);
  });

  it('the down file in the history (not changed) is the one replayed', async () => {
    const found = await irreversible([f('db/migrations/002_t.up.sql', 'CREATE TABLE t (id int);\n')], {
      history: [USERS, USERS_DOWN, f('db/migrations/002_t.down.sql', 'DROP TABLE t;\n')],
    });
    expect(found).toEqual([]);
  });

  it('no .down.sql for the version: missing (the set is known from the history)', async () => {
    const found = await irreversible([f('db/migrations/002_t.up.sql', 'CREATE TABLE t (id int);\n')], { history: [USERS, USERS_DOWN] });
    expect(found.map((x) => x.message)).toEqual(['No down migration: 002_t.down.sql does not exist, so rolling back this version changes nothing.']);
  });

  it('an empty .down.sql: empty', async () => {
    const found = await irreversible([f('db/migrations/002_t.up.sql', 'CREATE TABLE t (id int);\n'), f('db/migrations/002_t.down.sql', '-- nothing\n')], { history: [USERS, USERS_DOWN] });
    expect(found.map((x) => x.message)).toEqual(['The down migration 002_t.down.sql is empty: rolling back this version changes nothing.']);
  });

  it('up drops a preexisting column, down re-adds it: the schema is back, the data is not', async () => {
    const found = await irreversible(
      [f('db/migrations/002_drop.up.sql', 'ALTER TABLE users DROP COLUMN email;\n'), f('db/migrations/002_drop.down.sql', 'ALTER TABLE users ADD COLUMN email varchar(255) NOT NULL;\n')],
      { history: [USERS, USERS_DOWN] },
    );
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/restores the schema but not the data: the up drops column public\.users\.email, which existed before it/);
  });

  it('a down that fails is reported at the failing statement of the changed down file', async () => {
    const found = await irreversible(
      [f('db/migrations/002_t.up.sql', 'CREATE TABLE t (id int);\n'), f('db/migrations/002_t.down.sql', 'DROP TABLE t;\nDROP TABLE t_missing;\n')],
      { history: [USERS, USERS_DOWN] },
    );
    expect(found).toHaveLength(1);
    expect(found[0].path).toBe('db/migrations/002_t.down.sql');
    expect(found[0].line).toBe(2);
    expect(found[0].message).toMatch(/^The down fails \(002_t\.down\.sql, line 2\): table "t_missing" does not exist/);
    expect(found[0].down).toBeUndefined(); // reported even with `down: ignore`
  });

  it('an up that fails to replay: reversibility could not be checked (info), not "down failed"', async () => {
    const found = await irreversible([f('db/migrations/002_t.up.sql', 'ALTER TABLE nope ADD COLUMN x int;\n'), f('db/migrations/002_t.down.sql', 'ALTER TABLE nope DROP COLUMN x;\n')], {
      history: [USERS, USERS_DOWN],
    });
    expect(found).toHaveLength(1);
    expect(found[0].severity).toBe('info');
    expect(found[0].message).toMatch(/^Reversibility could not be checked: the up did not replay in the sandbox \(line 1: relation "nope" does not exist\), so its down was not tried/);
  });

  it('SQLite pairs', async () => {
    const found = await irreversible(
      [f('db/migrations/002_t.up.sql', 'CREATE TABLE t (id integer);\nCREATE INDEX t_id ON t (id);\n'), f('db/migrations/002_t.down.sql', 'DROP INDEX t_id;\n')],
      { dialect: 'sqlite', history: [f('db/migrations/001_a.up.sql', 'CREATE TABLE a (id integer);\n'), f('db/migrations/001_a.down.sql', 'DROP TABLE a;\n')] },
    );
    expect(found.map((x) => x.message)).toEqual(['Rolling back with 002_t.down.sql does not restore the schema: table main.t still exists after the down.']);
  });
});

describe('Flyway undo', () => {
  it('U<ver>__ beside V<ver>__ is the down; V alone gets nothing', async () => {
    const v1 = f('db/migration/V1__users.sql', 'CREATE TABLE users (id int, email varchar(255));\n');
    const found = await irreversible(
      [f('db/migration/V2__email.sql', 'ALTER TABLE users ALTER COLUMN email TYPE text;\n'), f('db/migration/U2__email.sql', 'ALTER TABLE users ALTER COLUMN email TYPE varchar(100);\n')],
      { history: [v1] },
    );
    expect(found.map((x) => x.message)).toEqual(['Rolling back with U2__email.sql does not restore the schema: column public.users.email has type character varying(100), was character varying(255).']);
    expect(await irreversible([f('db/migration/V2__t.sql', 'CREATE TABLE t (id int);\n')], { history: [v1] })).toEqual([]);
  }, 60_000);
});

describe('a pull request judged as one unit', () => {
  const one = f('db/migrations/20240101000000_a.sql', '-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n');
  const two = f('db/migrations/20240102000000_b.sql', '-- +goose Up\nCREATE TABLE b (id int);\nCREATE TABLE c (id int);\n-- +goose Down\nDROP TABLE b;\n');

  it('several migrations: each one checked against the state before it (a second request)', async () => {
    const three = f('db/migrations/20240103000000_d.sql', '-- +goose Up\nCREATE TABLE d (id int);\n-- +goose Down\nDROP TABLE d;\n');
    const r = await run([two, three], { dialect: 'postgresql', replay: true, units: 'together', historyKnown: true, history: [one] });
    expect(r.findings.filter((x) => x.ruleId === 'irreversible').map((x) => [x.path, x.message])).toEqual([
      ['db/migrations/20240102000000_b.sql', 'Rolling back with the -- +goose Down section does not restore the schema: table public.c still exists after the down.'],
    ]);
    expect(r.replay?.[0].reversal).toEqual({ schema: 1, clean: 1 });
  }, 60_000);

  it('one migration and its .down.sql: the downs are appended to the request that judges the up', async () => {
    const r = await run(
      [f('db/migrations/002_t.up.sql', 'CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\n'), f('db/migrations/002_t.down.sql', 'DROP INDEX t_id;\n')],
      { dialect: 'postgresql', replay: true, units: 'together', history: [USERS, USERS_DOWN] },
    );
    expect(r.findings.filter((x) => x.ruleId === 'irreversible').map((x) => x.message)).toEqual([
      'Rolling back with 002_t.down.sql does not restore the schema: table public.t still exists after the down.',
    ]);
    expect(r.replay?.[0].judged).toEqual({ statements: 2, replayed: 2 });
  });

  it('an earlier migration is not judged by a later down that did not restore', async () => {
    const found = await irreversible([one, two], { historyKnown: true });
    expect(found.map((x) => [x.path, x.severity, x.message])).toEqual([
      ['db/migrations/20240101000000_a.sql', 'info', 'Reversibility could not be checked: the down of 20240102000000_b.sql, which runs after it, does not restore the schema.'],
      ['db/migrations/20240102000000_b.sql', 'warning', 'Rolling back with the -- +goose Down section does not restore the schema: table public.c still exists after the down.'],
    ]);
  });
});

it('the up judgement does not change when the downs are replayed after it', async () => {
  const history = [f('db/migrations/20240101000000_a.sql', '-- +goose Up\nCREATE TABLE users (id int, email text);\n-- +goose Down\nDROP TABLE users;\n')];
  const up = '-- +goose Up\nALTER TABLE users DROP COLUMN email;\nCREATE TABLE t (id int);\nDROP TABLE t;\n';
  const withDown = await run([f('db/migrations/20240102000000_b.sql', `${up}-- +goose Down\nCREATE TABLE t (id int);\nDROP TABLE users CASCADE;\n`)], { dialect: 'postgresql', history, replay: true });
  const without = await run([f('db/migrations/20240102000000_b.sql', up)], { dialect: 'postgresql', history, replay: true });
  const upFindings = (r: typeof withDown) => r.findings.filter((x) => x.ruleId !== 'irreversible' && !x.down).map((x) => [x.ruleId, x.line, x.message]);
  expect(upFindings(withDown)).toEqual(upFindings(without));
  expect(upFindings(withDown).some(([id]) => id === 'drop-column')).toBe(true);
  expect(withDown.replay?.[0].judged).toEqual(without.replay?.[0].judged);
  expect(withDown.findings.filter((x) => x.ruleId === 'irreversible').map((x) => x.message)).toEqual([
    'Rolling back with the -- +goose Down section does not restore the schema: table public.t still exists after the down; table public.users is missing after the down.',
  ]);
}, 60_000);
