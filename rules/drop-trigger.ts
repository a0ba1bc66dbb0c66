import { alwaysTrue, createdEarlier, names, nestedSuffix, pgNode, rangeVarName, sameName, statementsNamed } from '../src/sql/ast.js';
import { pgValue, truthOf } from '../src/sql/fold.js';
import type { Rule, Statement } from '../src/types.js';

/** Is trigger `name` on `table` created again later in the file? */
function recreated(stmt: Statement, table: string, name: string): boolean {
  return statementsNamed(stmt, 'drop-trigger:triggers', triggerNames, name, 'after').some((s) => {
    const c = s.pg?.CreateTrigStmt;
    if (c) return c.trigname?.toLowerCase() === name.toLowerCase() && sameName(rangeVarName(c.relation), table);
    return false;
  });
}

/** The trigger a statement creates, if any (indexed; `recreated` compares the name exactly and the table). */
function triggerNames(s: Statement): string[] | undefined {
  const t = s.pg?.CreateTrigStmt?.trigname;
  return typeof t === 'string' ? [t] : undefined;
}

/** CreateTrigStmt.events (TRIGGER_TYPE_INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32) as words. */
function events(mask: number | undefined): string {
  const m = mask ?? 0;
  const out = [m & 4 && 'INSERT', m & 16 && 'UPDATE', m & 8 && 'DELETE', m & 32 && 'TRUNCATE'].filter(Boolean);
  return out.join(' OR ') || '?';
}

const rule: Rule = {
  meta: {
    id: 'drop-trigger',
    category: 'integrity',
    severity: 'warning',
    summary: 'Drops a trigger: the checks, audit rows or derived data it maintained stop (disabling one: disable-trigger)',
    rationale:
      'Triggers often enforce rules the schema cannot (protect rows from deletion, write audit logs, keep denormalized data in sync). Dropping ' +
      'one silently stops that. It loses no data by itself, so it is a warning; dropping a trigger and creating it again later in the same ' +
      'file is reported as info. CREATE OR REPLACE TRIGGER replaces an existing trigger of that name (other events, another function, a WHEN ' +
      'that never holds) and is reported the same way, unless the trigger or its table was created earlier in the file. Disabling triggers is the disable-trigger rule.',
    fix: 'Say in the pull request what the trigger did and why it is no longer needed, or re-create / re-enable it in the same migration.',
    examples: {
      bad: [
        { sql: 'DROP TRIGGER IF EXISTS protect_objects_delete ON storage.objects;' },
        { sql: 'DROP TRIGGER audit_orders', dialect: 'mysql' },
        { sql: 'CREATE OR REPLACE TRIGGER users_audit AFTER UPDATE ON users FOR EACH ROW WHEN (false) EXECUTE FUNCTION audit_trg();' },
      ],
      good: [
        { sql: 'CREATE TRIGGER t BEFORE UPDATE ON x FOR EACH ROW EXECUTE FUNCTION f();' },
        { sql: 'ALTER TABLE orders ENABLE TRIGGER audit_orders;' },
        { sql: 'DROP EVENT TRIGGER IF EXISTS issue_pg_graphql_access;' },
        { sql: 'CREATE TABLE x (id int);\nCREATE OR REPLACE TRIGGER t BEFORE UPDATE ON x FOR EACH ROW EXECUTE FUNCTION f();' },
      ],
    },
  },
  kinds: ['DropStmt', 'CreateTrigStmt'],
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
    // CREATE OR REPLACE TRIGGER (PostgreSQL 14+): an existing trigger of that name is dropped and
    // this one takes its place, with other events, another function or a condition that never holds.
    const ct = pgNode(stmt, 'CreateTrigStmt');
    if (ct?.replace && ct.trigname) {
      const table = rangeVarName(ct.relation);
      const made = createdEarlier(stmt, table) || statementsNamed(stmt, 'drop-trigger:triggers', triggerNames, ct.trigname, 'before').some((s) => sameName(rangeVarName(s.pg?.CreateTrigStmt?.relation), table));
      if (!made) {
        const never = ct.whenClause && !alwaysTrue(ct.whenClause) && truthOf(pgValue(ct.whenClause)) !== undefined ? '; its WHEN condition never holds, so it never fires' : '';
        report({
          message: `Replaces trigger ${ct.trigname} on ${table} if it exists: it now runs ${names(ct.funcname)}() on ${events(ct.events)}${never}; what the old one did on other events, or through another function, stops; compare with the old definition${where}.`,
          key: `replace:${ct.trigname}`,
        });
      }
    }
    const d = pgNode(stmt, 'DropStmt');
    if (d?.removeType === 'OBJECT_TRIGGER') {
      const cascade = d.behavior === 'DROP_CASCADE' ? ' with CASCADE' : '';
      for (const o of d.objects ?? []) {
        const parts: string[] = (o?.List?.items ?? []).map((i: any) => i?.String?.sval ?? '?');
        const name = parts.pop() ?? '?';
        const table = parts.join('.');
        if (recreated(stmt, table, name)) {
          report({ message: `Drops trigger ${name} on ${table} and re-creates it later in this file${where}.`, severity: 'info', key: name });
        } else {
          report({ message: `Drops trigger ${name} on ${table}${cascade}: what it enforced or maintained on every write stops${where}.`, key: name });
        }
      }
    }
    if (stmt.ast?.type === 'drop' && /^trigger$/i.test(stmt.ast.keyword ?? '')) {
      const list = (Array.isArray(stmt.ast.name) ? stmt.ast.name : [stmt.ast.name]).map((n: any) => [n?.schema, n?.trigger ?? n?.table].filter(Boolean).join('.'));
      report({ message: `Drops trigger ${list.join(', ')}: what it enforced or maintained on every write stops${where}.` });
    }
  },
  lexical: [/\bdrop\s+trigger\b/],
};
export default rule;
