// Rules are dispatched by statement node type (`Rule.kinds`, src/analyze/index.ts): a rule is not run on a
// libpg-query statement of a type it does not list. This guards the lists: every statement of every
// rule's examples (and a few more), run through every rule directly, must give no report from a
// rule whose `kinds` leave that statement's type out. A rule that gains a branch for a new type (with
// the example the rules test requires) fails here until its `kinds` name the type.
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { pgType } from '../src/sql/ast.js';
import { run } from '../src/engine.js';
import type { Dialect, Report, Rule, Statement } from '../src/types.js';

/** Statements beyond the examples: common kinds that no example may show. */
const EXTRA = [
  'CREATE TABLE t (id int); ALTER TABLE t ADD COLUMN c int NOT NULL; CREATE INDEX i ON t (c); DROP TABLE t;',
  "UPDATE t SET a = 1; DELETE FROM t; INSERT INTO t VALUES (1); SELECT pg_read_file('/etc/passwd'); COPY t FROM PROGRAM 'x';",
  "CREATE ROLE r LOGIN PASSWORD 'Sup3rSecret!'; ALTER ROLE r PASSWORD 'x'; GRANT r TO s; GRANT ALL ON t TO PUBLIC; SET ROLE r;",
  "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN EXECUTE 'DROP TABLE ' || 'x'; DROP TABLE y; RETURN 1; END $$;",
  "CREATE FOREIGN DATA WRAPPER w; CREATE LANGUAGE plperlu; CREATE LANGUAGE plx HANDLER plx_call_handler; CREATE SCHEMA s; CREATE SEQUENCE q; CREATE TYPE e AS ENUM ('a'); VACUUM t;",
  "DO $$ BEGIN TRUNCATE t; ALTER TABLE t DROP COLUMN c; END $$; COMMENT ON TABLE t IS 'x'; CREATE VIEW v AS SELECT 1; ALTER TABLE t OWNER TO r;",
];

async function statementBank(): Promise<Statement[]> {
  const bank: Statement[] = [];
  const capture: Rule = {
    meta: { id: 'capture', category: 'parse', severity: 'info', summary: 'capture', rationale: 'capture', fix: 'capture', examples: { bad: [], good: [] } },
    check: (stmt) => void bank.push(stmt),
  };
  const inputs: Array<{ sql: string; path?: string; dialect?: Dialect }> = [...EXTRA.map((sql) => ({ sql }))];
  for (const r of rules) for (const ex of [...r.meta.examples.bad, ...r.meta.examples.good]) if (!ex.change) inputs.push(ex);
  for (const ex of inputs) {
    await run([{ path: ex.path ?? 'migrations/0001_test.sql', content: ex.sql }], { dialect: ex.dialect, rules: [...rules, capture] });
  }
  // Each PostgreSQL statement again as dynamic SQL whose text is only partly known (rules wrapped by
  // withDynamic read the SQL rebuilt from it): `EXECUTE format('…')`.
  const dynamic = bank
    .filter((s) => s.pg && !s.ast && !s.nested && s.dialect === 'postgresql' && !s.text.includes('$'))
    .map((s) => `DO $$ BEGIN EXECUTE format('${s.text.replace(/%/g, '%%').replace(/'/g, "''")}'); END $$;`);
  for (const sql of dynamic) await run([{ path: 'migrations/0001_test.sql', content: sql }], { rules: [...rules, capture] });
  return bank;
}

/** Reports a rule gives on statements whose node type its `kinds` leave out (so dispatch never runs it there). */
function violations(rule: Rule, bank: Statement[]): string[] {
  const out: string[] = [];
  if (!rule.kinds || !rule.check) return out;
  for (const stmt of bank) {
    if (!stmt.pg || stmt.ast) continue; // dispatched only when libpg-query alone parsed it
    const kind = pgType(stmt.pg)!;
    if (rule.kinds.includes(kind)) continue;
    const reports: Report[] = [];
    try {
      rule.check(stmt, { report: (r) => void reports.push(r) });
    } catch (e) {
      reports.push({ message: `threw ${(e as Error).message}` });
    }
    for (const r of reports) out.push(`${kind}: ${stmt.text.slice(0, 60)} → ${r.message}`);
  }
  return out;
}

describe('dispatch by statement kind', async () => {
  const bank = await statementBank();

  it('the bank holds many kinds of statement, nested and dynamic ones too', () => {
    const kinds = new Set(bank.filter((s) => s.pg).map((s) => pgType(s.pg)));
    expect(kinds.size).toBeGreaterThan(40);
    expect(bank.some((s) => s.nested)).toBe(true);
    expect(bank.filter((s) => s.pg?.PLpgSQL_dynamic && s.pg.PLpgSQL_dynamic.literal === undefined).length).toBeGreaterThan(50);
  });

  it.each(rules.filter((r) => r.kinds).map((r) => [r.meta.id, r] as const))('%s reports only on the kinds it lists', (_id, rule) => {
    expect(violations(rule, bank)).toEqual([]);
  });

  it('every listed kind is a statement type some example shows (no typo)', () => {
    const seen = new Set(bank.filter((s) => s.pg).map((s) => pgType(s.pg)));
    const unknown = rules.flatMap((r) => (r.kinds ?? []).filter((k) => !seen.has(k)).map((k) => `${r.meta.id}: ${k}`));
    // Kinds no example reaches are allowed only when named here (statement types the bank lacks).
    expect(unknown.filter((u) => !ALLOWED_UNSEEN.has(u))).toEqual([]);
  });

  it('the guard fails a rule that reports on a kind it does not list', () => {
    const drop = rules.find((r) => r.meta.id === 'drop-table')!;
    expect(violations({ ...drop, kinds: ['AlterTableStmt'] }, bank).length).toBeGreaterThan(0);
  });
});

const ALLOWED_UNSEEN = new Set<string>([]);

// A rule runs on every statement of its kinds, so a rule that walks the file's statement list for
// each statement is quadratic in the file (a generated 10 MB migration took 438 s before this was
// mended). Rules read the rest of the file through the per-file indexes of src/sql/ast.ts
// (`statementsNamed`, `sameNamePositions`, `definedBefore`, `positionOf`, `perFile`).
describe('rules read the rest of the file through per-file indexes', () => {
  // The one walk allowed: guard-function-replaced reads the statements nested in the function it
  // judges (from its own position on, while they are that function's body), not the file.
  const ALLOWED: Record<string, number> = { 'guard-function-replaced.ts': 1 };
  it('no rule scans `scope.statements` or looks a statement up with indexOf', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = join(__dirname, '..', 'rules');
    const found: Record<string, number> = {};
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const text = readFileSync(join(dir, f), 'utf8');
      const n = (text.match(/scope\??\.statements|\.indexOf\(stmt\)/g) ?? []).length;
      if (n) found[f] = n;
    }
    expect(found).toEqual(ALLOWED);
  });
});
