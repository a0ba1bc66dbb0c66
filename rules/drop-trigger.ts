import { alteredTableNames, nestedSuffix, nspTable, pgNode, rangeVarName, sameName, statementsNamed } from '../src/ast.js';
import type { Rule, Statement } from '../src/types.js';

/** Is trigger `name` on `table` created again later in the file? */
function recreated(stmt: Statement, table: string, name: string): boolean {
  return statementsNamed(stmt, 'drop-trigger:triggers', triggerNames, name, 'after').some((s) => {
    const c = s.pg?.CreateTrigStmt;
    if (c) return c.trigname?.toLowerCase() === name.toLowerCase() && sameName(rangeVarName(c.relation), table);
    return false;
  });
}

/** Is the disabled trigger enabled again later in the file (disable → bulk update → enable)? */
function reenabled(stmt: Statement, table: string, subtype: string, name?: string): boolean {
  const want = subtype.replace('Disable', 'Enable');
  return statementsNamed(stmt, 'altered-tables', alteredTableNames, table, 'after').some((s) => {
    const a = s.pg?.AlterTableStmt;
    if (!a || !sameName(rangeVarName(a.relation), table)) return false;
    return (a.cmds ?? []).some((c: any) => {
      const t = c?.AlterTableCmd?.subtype ?? '';
      if (t === 'AT_EnableTrigAll') return true;
      if (t === 'AT_EnableTrigUser') return want !== 'AT_EnableTrigAll';
      return t === want && (name === undefined || c.AlterTableCmd.name?.toLowerCase() === name.toLowerCase());
    });
  });
}

/** The trigger a statement creates, if any (indexed; `recreated` compares the name exactly and the table). */
function triggerNames(s: Statement): string[] | undefined {
  const t = s.pg?.CreateTrigStmt?.trigname;
  return typeof t === 'string' ? [t] : undefined;
}

const rule: Rule = {
  meta: {
    id: 'drop-trigger',
    category: 'integrity',
    severity: 'warning',
    summary: 'Drops or disables a trigger: the checks, audit rows or derived data it maintained stop',
    rationale:
      'Triggers often enforce rules the schema cannot (protect rows from deletion, write audit logs, keep denormalized data in sync). Dropping ' +
      'or disabling one silently stops that; DISABLE TRIGGER ALL also disables the internal triggers that enforce foreign keys. ' +
      'It loses no data by itself, so it is a warning; dropping a trigger and creating it again later in the same file (or disabling and ' +
      're-enabling it) is reported as info.',
    fix: 'Say in the pull request what the trigger did and why it is no longer needed, or re-create / re-enable it in the same migration.',
    examples: {
      bad: [
        { sql: 'DROP TRIGGER IF EXISTS protect_objects_delete ON storage.objects;' },
        { sql: 'ALTER TABLE orders DISABLE TRIGGER ALL;' },
        { sql: 'ALTER TABLE orders DISABLE TRIGGER audit_orders;' },
        { sql: 'DROP TRIGGER audit_orders', dialect: 'mysql' },
      ],
      good: [
        { sql: 'CREATE TRIGGER t BEFORE UPDATE ON x FOR EACH ROW EXECUTE FUNCTION f();' },
        { sql: 'ALTER TABLE orders ENABLE TRIGGER audit_orders;' },
        { sql: 'DROP EVENT TRIGGER IF EXISTS issue_pg_graphql_access;' },
      ],
    },
  },
  kinds: ['AlterTableStmt', 'DropStmt'],
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
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
    const a = pgNode(stmt, 'AlterTableStmt');
    if (a) {
      const table = rangeVarName(a.relation);
      for (const c of a.cmds ?? []) {
        const cmd = c?.AlterTableCmd;
        const t: string = cmd?.subtype ?? '';
        if (t !== 'AT_DisableTrig' && t !== 'AT_DisableTrigAll' && t !== 'AT_DisableTrigUser') continue;
        const what =
          t === 'AT_DisableTrig'
            ? `trigger ${cmd.name} on ${table}`
            : t === 'AT_DisableTrigAll'
              ? `ALL triggers on ${table}, including the internal ones that enforce foreign keys,`
              : `all user triggers on ${table}`;
        if (reenabled(stmt, table, t, cmd.name)) {
          report({ message: `Disables ${what} and enables ${t === 'AT_DisableTrig' ? 'it' : 'them'} again later in this file${where}.`, severity: 'info', key: t + (cmd.name ?? '') });
        } else {
          report({ message: `Disables ${what} and does not re-enable ${t === 'AT_DisableTrig' ? 'it' : 'them'} in this file${where}.`, key: t + (cmd.name ?? '') });
        }
      }
    }
    if (stmt.ast?.type === 'drop' && /^trigger$/i.test(stmt.ast.keyword ?? '')) {
      const list = (Array.isArray(stmt.ast.name) ? stmt.ast.name : [stmt.ast.name]).map((n: any) => [n?.schema, n?.trigger ?? n?.table].filter(Boolean).join('.'));
      report({ message: `Drops trigger ${list.join(', ')}: what it enforced or maintained on every write stops${where}.` });
    }
  },
  lexical: [/\bdrop\s+trigger\b/, /\bdisable\s+trigger\b/],
};
export default rule;
