import { cachedRegExp, createdEarlier, nestedSuffix, nodeOffset, nspTable, pgNode, rangeVarName, sameName, statementsNamed, textOffset } from '../src/sql/ast.js';
import type { Rule, Statement } from '../src/types.js';

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Is a constraint (or unique index) of that name added again on that table later in this statement or file? */
function readded(stmt: Statement, table: string, name: string, cmdIndex: number): boolean {
  const n = name.toLowerCase();
  const addsIt = (s: Statement, from: number) => {
    const a = s.pg?.AlterTableStmt;
    if (a && sameName(rangeVarName(a.relation), table)) {
      const cmds = (a.cmds ?? []).slice(from);
      if (cmds.some((c: any) => c?.AlterTableCmd?.subtype === 'AT_AddConstraint' && c.AlterTableCmd.def?.Constraint?.conname?.toLowerCase() === n)) return true;
      if (cmds.some((c: any) => c?.AlterTableCmd?.subtype === 'AT_AddIndex' && c.AlterTableCmd.def?.IndexStmt?.idxname?.toLowerCase() === n)) return true;
    }
    const i = s.pg?.IndexStmt;
    if (i && i.unique && i.idxname?.toLowerCase() === n && sameName(rangeVarName(i.relation), table)) return true;
    if (s.ast?.type === 'alter' && sameName(nspTable(s.ast.table?.[0]), table)) {
      return (s.ast.expr ?? []).slice(from).some((e: any) => e?.action === 'add' && String(e.create_definitions?.constraint ?? '').toLowerCase() === n);
    }
    return false;
  };
  return addsIt(stmt, cmdIndex + 1) || statementsNamed(stmt, 'drop-constraint:added', addedConstraintNames, n, 'after').some((s) => addsIt(s, 0));
}

/** Every constraint or index name a statement may add (indexed; `addsIt` decides). */
function addedConstraintNames(s: Statement): string[] | undefined {
  const out: string[] = [];
  for (const c of s.pg?.AlterTableStmt?.cmds ?? []) {
    const cmd = c?.AlterTableCmd;
    if (typeof cmd?.def?.Constraint?.conname === 'string') out.push(cmd.def.Constraint.conname);
    if (typeof cmd?.def?.IndexStmt?.idxname === 'string') out.push(cmd.def.IndexStmt.idxname);
  }
  if (typeof s.pg?.IndexStmt?.idxname === 'string') out.push(s.pg.IndexStmt.idxname);
  if (s.ast?.type === 'alter') for (const e of s.ast.expr ?? []) if (e?.action === 'add') out.push(String(e.create_definitions?.constraint ?? ''));
  return out.length ? out : undefined;
}

const rule: Rule = {
  meta: {
    id: 'drop-constraint',
    category: 'integrity',
    severity: 'warning',
    summary: 'Drops a constraint (foreign key, unique, check, primary key): the rule it enforced is no longer checked',
    rationale:
      'Without the constraint, rows that break the rule can be written (orphans, duplicates, invalid values) and nothing reports it; ' +
      'with CASCADE, foreign keys in other tables that depend on a dropped unique or primary key go too. It deletes no data, so it is a ' +
      'warning; a constraint added again under the same name later in the same statement or file (the usual way to change it) is info.',
    fix: 'Say in the pull request why the rule no longer holds, or re-add the changed constraint in the same migration (NOT VALID + VALIDATE on big tables).',
    examples: {
      bad: [
        { sql: 'ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;' },
        { sql: 'ALTER TABLE users DROP CONSTRAINT users_pkey CASCADE;' },
        { sql: 'ALTER TABLE orders DROP FOREIGN KEY fk_user', dialect: 'mysql' },
        { sql: 'ALTER TABLE orders DROP CHECK chk_total', dialect: 'mysql' },
      ],
      good: [
        { sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);' },
        { sql: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;' },
      ],
    },
  },
  kinds: ['AlterTableStmt'],
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
    const emit = (table: string, name: string, kind: string, cascade: boolean, idx: number, fallback?: number) => {
      const off = textOffset(stmt, cachedRegExp(`\\bdrop\\s+(constraint|foreign\\s+key|check)\\s+(if\\s+exists\\s+)?[\`"]?${esc(name)}\\b`, 'i')) ?? fallback;
      const casc = cascade ? ' with CASCADE (foreign keys in other tables that depend on it are dropped too)' : '';
      if (!cascade && (readded(stmt, table, name, idx) || createdEarlier(stmt, table))) {
        report({ message: `Drops ${kind} ${name} on ${table} and adds it again in this file${where}.`, severity: 'info', offset: off, key: name });
        return;
      }
      report({ message: `Drops ${kind} ${name} on ${table}${casc}: the rule it enforced is no longer checked${where}.`, offset: off, key: name });
    };
    const a = pgNode(stmt, 'AlterTableStmt');
    if (a) {
      const table = rangeVarName(a.relation);
      (a.cmds ?? []).forEach((c: any, i: number) => {
        const cmd = c?.AlterTableCmd;
        if (cmd?.subtype === 'AT_DropConstraint') emit(table, cmd.name ?? '?', 'constraint', cmd.behavior === 'DROP_CASCADE', i, nodeOffset(stmt, a.relation?.location));
      });
    }
    if (stmt.ast?.type === 'alter') {
      const table = nspTable(stmt.ast.table?.[0] ?? stmt.ast.table);
      (stmt.ast.expr ?? []).forEach((e: any, i: number) => {
        if (e?.action !== 'drop') return;
        const kw = String(e.keyword ?? '').toLowerCase();
        if (e.resource === 'constraint') emit(table, String(e.constraint ?? '?'), kw === 'check' ? 'check constraint' : 'constraint', false, i);
        else if (e.resource === 'key' && kw === 'foreign key') emit(table, String(e.key ?? '?'), 'foreign key', false, i);
        else if (e.resource === 'key' && kw === 'primary key') emit(table, 'PRIMARY KEY', 'the', false, i);
      });
    }
  },
  lexical: [/\balter\s+table\b.*\bdrop\s+(constraint|foreign\s+key|primary\s+key|check)\b/],
};
export default rule;
