// Incremental catalog reads (src/replay/pg.ts `advance`, src/replay/pg-catalog.ts factsSql(true)):
// after a judged statement only what it wrote is read again. With `verifyFacts` every incremental
// read is checked against a full one; these statements cover each way a fact can change (own row,
// a child's row, a subtransaction, in-place-free updates, sequences, renames, settings, drops).
import { describe, expect, it } from 'vitest';
import { replay } from '../src/replay/index.js';
import { canonical, factsDiffer } from '../src/replay/pg-catalog.js';
import type { Fact } from '../src/replay/facts.js';
import type { ReplayResult, ReplayStatement } from '../src/replay/types.js';

const FILES: string[][] = [
  [
    'CREATE SCHEMA app',
    "CREATE TYPE app.mood AS ENUM ('a', 'b')",
    "CREATE TABLE app.t (id serial PRIMARY KEY, m app.mood, v text DEFAULT 'x')",
    'CREATE INDEX t_v ON app.t (v)',
  ],
  [
    'ALTER TABLE app.t ADD COLUMN c int',
    'ALTER TABLE app.t ALTER COLUMN c SET NOT NULL',
    "ALTER TABLE app.t ALTER COLUMN v SET DEFAULT 'y'",
    'ALTER TABLE app.t ALTER COLUMN v DROP DEFAULT',
    "ALTER TYPE app.mood ADD VALUE 'c'",
    'GRANT SELECT ON app.t TO PUBLIC',
    'GRANT UPDATE (v) ON app.t TO PUBLIC',
    'REVOKE SELECT ON app.t FROM PUBLIC',
  ],
  [
    'CREATE FUNCTION app.f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$',
    'CREATE TRIGGER tr BEFORE INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.f()',
    'ALTER TABLE app.t DISABLE TRIGGER tr',
    'ALTER TABLE app.t ENABLE ROW LEVEL SECURITY',
    "CREATE POLICY p ON app.t USING (v <> '')",
    "ALTER POLICY p ON app.t USING (v = 'z')",
    'CREATE OR REPLACE FUNCTION app.f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.v := lower(NEW.v); RETURN NEW; END$$',
    'ALTER FUNCTION app.f() SECURITY DEFINER',
    "SELECT setval('app.t_id_seq', 100)",
    "SELECT setval('app.t_id_seq', 1)",
  ],
  [
    'ALTER TABLE app.t RENAME COLUMN v TO w',
    'ALTER TABLE app.t RENAME TO u',
    'ALTER SCHEMA app RENAME TO app2',
    'ALTER TYPE app2.mood RENAME TO feeling',
    'CREATE ROLE r1',
    'ALTER ROLE r1 RENAME TO r2',
    'ALTER TABLE app2.u OWNER TO r2',
    'ALTER SEQUENCE app2.t_id_seq RENAME TO s2',
  ],
  [
    'SET search_path = app2, public',
    'CREATE TABLE plain (a int)',
    'DO $$ BEGIN BEGIN CREATE TABLE public.sub_t (a int); EXCEPTION WHEN others THEN NULL; END; END $$',
    'CREATE VIEW public.v AS SELECT 1 AS a',
    'CREATE OR REPLACE VIEW public.v AS SELECT 1 AS a, 2 AS b',
    'CREATE MATERIALIZED VIEW public.mv AS SELECT 1 AS one',
    'CREATE PUBLICATION pub FOR TABLE app2.u',
    'ALTER PUBLICATION pub ADD TABLE public.sub_t',
    'CREATE RULE r AS ON INSERT TO public.sub_t DO INSTEAD NOTHING',
    'CREATE DOMAIN public.d AS int CHECK (VALUE > 0)',
    'ALTER TABLE public.sub_t ALTER COLUMN a TYPE public.d',
    "COMMENT ON TABLE app2.u IS 'no fact changes'",
  ],
  [
    // Families read whole are read again only when their catalogs were written (mg.written).
    'CREATE PUBLICATION allp FOR ALL TABLES',
    'CREATE TABLE public.later (a int)',
    'CREATE ROLE r3',
    'GRANT r2 TO r3',
    'GRANT USAGE ON SCHEMA app2 TO r3',
    'ALTER SCHEMA app2 OWNER TO r3',
    'ALTER DEFAULT PRIVILEGES IN SCHEMA app2 GRANT SELECT ON TABLES TO r3',
    'ALTER ROLE r3 SET work_mem = 1234',
    'ALTER DATABASE postgres SET work_mem = 2345',
    'GRANT CREATE ON DATABASE postgres TO r3',
    'SELECT pg_catalog.lo_create(4242)',
    'GRANT SELECT ON LARGE OBJECT 4242 TO r3',
    'CREATE FUNCTION public.evt() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$',
    'CREATE EVENT TRIGGER et ON ddl_command_end EXECUTE FUNCTION public.evt()',
    'ALTER EVENT TRIGGER et DISABLE',
    'GRANT SET ON PARAMETER work_mem TO r3',
    'ALTER ROLE r3 CREATEDB',
    'CREATE TABLE public.later2 (a int)',
    'REVOKE r2 FROM r3',
    'DROP TABLE public.later',
  ],
  [
    'ALTER TABLE app2.u DROP COLUMN c',
    'ALTER TABLE app2.u ALTER COLUMN m TYPE text',
    'DROP TRIGGER tr ON app2.u',
    'DROP POLICY p ON app2.u',
    'DROP TABLE plain',
    'DROP FUNCTION app2.f()',
  ],
];

function statements(): ReplayStatement[] {
  const out: ReplayStatement[] = [];
  FILES.forEach((file, i) => file.forEach((sql) => out.push({ id: out.length, sql, file: i, judge: true })));
  return out;
}

const effectsOf = (r: ReplayResult, sql: string) => {
  const id = statements().find((s) => s.sql === sql)!.id;
  return r.outcomes.find((o) => o.id === id)?.effects ?? [];
};

describe('incremental catalog reads (PostgreSQL)', () => {
  let verified: ReplayResult;
  let plain: ReplayResult;

  it('agree with a full read after every statement', { timeout: 120_000 }, async () => {
    verified = await replay({ dialect: 'postgresql', statements: statements(), verifyFacts: true, timeoutMs: 110_000, statementTimeoutMs: 20_000 });
    expect(verified.limit).toBeUndefined();
    expect(verified.debug).toBeUndefined();
    const failed = verified.outcomes.filter((o) => !o.ok);
    expect(failed.map((o) => `${statements()[o.id].sql}: ${o.error}`)).toEqual([]);
  });

  it('are used, and give the same effects as reading the whole catalog', { timeout: 120_000 }, async () => {
    plain = await replay({ dialect: 'postgresql', statements: statements(), timeoutMs: 110_000, statementTimeoutMs: 20_000 });
    expect(plain.debug).toBeUndefined();
    expect(plain.phases?.['catalog-reads-incremental']).toBeGreaterThan(10);
    // Renames, drops and the search_path change take full reads; most statements do not.
    expect(plain.phases?.['catalog-reads']).toBeLessThan(plain.phases!['catalog-reads-incremental']);
    for (const o of plain.outcomes) expect(o.effects, statements()[o.id].sql).toEqual(verified.outcomes.find((x) => x.id === o.id)!.effects);
  });

  it('see what the statement changed', () => {
    const r = plain;
    expect(effectsOf(r, "ALTER TYPE app.mood ADD VALUE 'c'")).toEqual([expect.objectContaining({ change: 'altered', kind: 'type', object: 'app.mood' })]);
    expect(effectsOf(r, 'ALTER TABLE app.t ALTER COLUMN c SET NOT NULL')).toEqual([expect.objectContaining({ change: 'not-null-set', object: 'app.t.c' })]);
    expect(effectsOf(r, "ALTER TABLE app.t ALTER COLUMN v SET DEFAULT 'y'")).toEqual([expect.objectContaining({ change: 'default-changed' })]);
    expect(effectsOf(r, 'GRANT UPDATE (v) ON app.t TO PUBLIC')).toEqual([expect.objectContaining({ change: 'acl-granted', kind: 'column' })]);
    expect(effectsOf(r, 'ALTER TABLE app.t DISABLE TRIGGER tr')).toEqual([expect.objectContaining({ change: 'trigger-disabled' })]);
    expect(effectsOf(r, "ALTER POLICY p ON app.t USING (v = 'z')")).toEqual([expect.objectContaining({ kind: 'policy', change: 'altered' })]);
    expect(effectsOf(r, 'ALTER FUNCTION app.f() SECURITY DEFINER')).toEqual([expect.objectContaining({ change: 'security-definer' })]);
    expect(effectsOf(r, "SELECT setval('app.t_id_seq', 1)")).toEqual([expect.objectContaining({ change: 'sequence-reset', object: 'app.t_id_seq' })]);
    // The policy's expression names the column: it reads differently after the rename.
    expect(effectsOf(r, 'ALTER TABLE app.t RENAME COLUMN v TO w')).toEqual([
      expect.objectContaining({ change: 'renamed', detail: 'app.t.v → app.t.w' }),
      expect.objectContaining({ kind: 'policy', change: 'altered', after: "(w = 'z'::text)" }),
    ]);
    expect(effectsOf(r, 'DO $$ BEGIN BEGIN CREATE TABLE public.sub_t (a int); EXCEPTION WHEN others THEN NULL; END; END $$')).toEqual(
      expect.arrayContaining([expect.objectContaining({ change: 'created', kind: 'table', object: 'public.sub_t' })]),
    );
    expect(effectsOf(r, 'ALTER TABLE public.sub_t ALTER COLUMN a TYPE public.d')).toEqual([expect.objectContaining({ change: 'type-changed', object: 'public.sub_t.a' })]);
    expect(effectsOf(r, 'ALTER TABLE app2.u DROP COLUMN c')).toEqual([expect.objectContaining({ change: 'dropped', object: 'app2.u.c' })]);
    expect(effectsOf(r, 'DROP POLICY p ON app2.u')).toEqual([expect.objectContaining({ change: 'dropped', kind: 'policy' })]);
    expect(effectsOf(r, "COMMENT ON TABLE app2.u IS 'no fact changes'")).toEqual([]);
  });
});

describe('factsDiffer (the check behind verifyFacts)', () => {
  const f = (k: string, name: string, a: Record<string, unknown> = {}): Fact => ({ k, kind: 'table', name, a: { name, ...a } });
  it('finds a different value, a missing fact and another order', () => {
    const base = canonical([f('c16390', 'public.b'), f('c16384', 'public.a')]);
    expect([...base.keys()]).toEqual(['c16384', 'c16390']);
    expect(factsDiffer(base, canonical([f('c16384', 'public.a'), f('c16390', 'public.b')]))).toBe('');
    expect(factsDiffer(base, canonical([f('c16384', 'public.a'), f('c16390', 'public.b', { rls: true })]))).toMatch(/^c16390: /);
    expect(factsDiffer(base, canonical([f('c16384', 'public.a')]))).toMatch(/^key 1: c16390 vs \(none\)/);
    expect(factsDiffer(base, new Map([...base].reverse()))).toMatch(/^key 0: /);
  });
});
