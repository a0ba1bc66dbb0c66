// drop-constraint on DROP INDEX of a unique index of the history: when the replay shows another
// unique index staying on the table that rejects every duplicate the dropped one rejected (same
// columns or a subset, usable, not partial, NULLS NOT DISTINCT where the dropped one was; still
// there at the end of the file), nothing is lost: info. Otherwise the warning stands.
import { describe, expect, it } from 'vitest';
import { run } from '../src/engine.js';

const history =
  'CREATE TABLE t (a int, b int, c text);\nCREATE UNIQUE INDEX t_ab ON t (a, b);\n' +
  'CREATE TABLE t2 (a int, b int);\nCREATE UNIQUE INDEX t2_ab ON t2 (a, b) NULLS NOT DISTINCT;\n';

async function dropFindings(sql: string, skipped = 0) {
  const r = await run([{ path: 'db/V2__change.sql', content: sql }], { history: [{ path: 'db/V1__init.sql', content: history }], replay: true });
  expect(r.replay?.[0]?.skipped ?? []).toHaveLength(skipped);
  return r.findings.filter((f) => f.ruleId === 'drop-constraint').map((f) => [f.line, f.severity, f.message]);
}

describe('drop-constraint: a dropped unique index another one covers', () => {
  it.each([
    ['the CONCURRENTLY swap (same columns, renamed to the old name)', 'CREATE UNIQUE INDEX CONCURRENTLY t_ab_new ON t (a, b);\nDROP INDEX CONCURRENTLY t_ab;\nALTER INDEX t_ab_new RENAME TO t_ab;', 'public.t_ab_new'],
    ['a narrower unique index', 'CREATE UNIQUE INDEX t_a ON t (a);\nDROP INDEX t_ab;', 'public.t_a'],
    ['a unique constraint on a subset', 'ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a);\nDROP INDEX t_ab;', 'public.t_a_key'],
    ['a narrower one with INCLUDE columns (not keys)', 'CREATE UNIQUE INDEX t_a_inc ON t (a) INCLUDE (c);\nDROP INDEX t_ab;', 'public.t_a_inc'],
    ['NULLS NOT DISTINCT kept', 'CREATE UNIQUE INDEX t2_a ON t2 (a) NULLS NOT DISTINCT;\nDROP INDEX t2_ab;', 'public.t2_a'],
  ])('%s: info', async (_name, sql, cover) => {
    const f = await dropFindings(sql);
    expect(f.map((x) => x[1])).toEqual(['info']);
    expect(f[0][2]).toBe(`Drops unique index ${sql.includes('t2_ab') ? 't2_ab' : 't_ab'}; unique index ${cover} (on the same columns or a subset of them) still rejects the same duplicates.`);
  });

  it.each([
    ['a wider unique index (more columns: fewer duplicates rejected)', 'CREATE UNIQUE INDEX t_abc ON t (a, b, c);\nDROP INDEX t_ab;'],
    ['a partial one', 'CREATE UNIQUE INDEX t_a_p ON t (a) WHERE c IS NOT NULL;\nDROP INDEX t_ab;'],
    ['an expression index', 'CREATE UNIQUE INDEX t_ea ON t ((a + 0));\nDROP INDEX t_ab;'],
    ['NULLS NOT DISTINCT dropped, NULLS DISTINCT left', 'CREATE UNIQUE INDEX t2_a ON t2 (a);\nDROP INDEX t2_ab;'],
    ['a unique index on another table', 'CREATE TABLE u (a int, b int);\nCREATE UNIQUE INDEX u_a ON u (a);\nDROP INDEX t_ab;'],
    ['the cover dropped by the same statement', 'CREATE UNIQUE INDEX t_b ON t (b);\nDROP INDEX t_ab, t_b;'],
    ['CASCADE (what depends on the index goes too)', 'CREATE UNIQUE INDEX t_a ON t (a);\nDROP INDEX t_ab CASCADE;'],
    ['the cover dropped later in the file', 'CREATE UNIQUE INDEX t_a ON t (a);\nDROP INDEX t_ab;\nDROP INDEX t_a;'],
    ['the cover renamed, then dropped', 'CREATE UNIQUE INDEX t_a ON t (a);\nDROP INDEX t_ab;\nALTER INDEX t_a RENAME TO t_a2;\nDROP INDEX t_a2;'],
    ['the cover dropped by dynamic SQL in a DO block', "CREATE UNIQUE INDEX t_a ON t (a);\nDROP INDEX t_ab;\nDO $$ BEGIN EXECUTE 'DROP INDEX t_a'; END $$;"],
  ])('%s: the warning stands', async (_name, sql) => {
    const f = await dropFindings(sql);
    const line = sql.split('\n').findIndex((l) => /DROP INDEX t2?_ab\b/.test(l)) + 1;
    expect(f.find((x) => x[0] === line)?.slice(1)).toEqual(['warning', `Drops unique index ${sql.includes('t2_ab') ? 't2_ab' : 't_ab'}: unless another unique index or constraint covers its columns, duplicate values can be written to them from now on.`]);
  });

  it('a later statement the sandbox refused (what it would do is unknown): the warning stands', async () => {
    const f = await dropFindings('CREATE UNIQUE INDEX t_a ON t (a);\nDROP INDEX t_ab;\nALTER TABLE missing ADD COLUMN x int;', 1);
    expect(f.map((x) => x.slice(0, 2))).toEqual([[2, 'warning']]);
  });
});
