import { createdEarlier, firstAbove, folded, nestedSuffix, nodeOffset, nspTable, perFile, pgNode, rangeVarName, sameName, sameNamePositions } from '../src/sql/ast.js';
import type { Rule, Statement } from '../src/types.js';

/** Table a statement writes rows of (INSERT/UPDATE/DELETE/COPY FROM/MERGE), if any. */
function dmlTarget(s: Statement): string | undefined {
  const p = s.pg;
  if (p?.InsertStmt) return rangeVarName(p.InsertStmt.relation);
  if (p?.UpdateStmt) return rangeVarName(p.UpdateStmt.relation);
  if (p?.DeleteStmt) return rangeVarName(p.DeleteStmt.relation);
  if (p?.MergeStmt) return rangeVarName(p.MergeStmt.relation);
  if (p?.CopyStmt?.is_from) return rangeVarName(p.CopyStmt.relation);
  const a = s.ast;
  if (a && ['insert', 'replace', 'update', 'delete'].includes(a.type)) return nspTable((a.table ?? a.from ?? [])[0]);
  return undefined;
}

/** Does this statement enable the table's triggers again? */
function reEnables(s: Statement, table: string): boolean {
  const a = s.pg?.AlterTableStmt;
  if (a && sameName(rangeVarName(a.relation), table)) return (a.cmds ?? []).some((c: any) => /^AT_EnableTrig(All|User)?$|^AT_Enable/.test(c?.AlterTableCmd?.subtype ?? ''));
  return !s.parsed && /\benable\s+trigger\b/.test(s.lexical) && s.lexical.includes(table.toLowerCase().split('.').pop()!);
}

const enablesTriggers = (s: Statement) => {
  const a = s.pg?.AlterTableStmt;
  return a && (a.cmds ?? []).some((c: any) => /^AT_EnableTrig(All|User)?$|^AT_Enable/.test(c?.AlterTableCmd?.subtype ?? '')) ? [rangeVarName(a.relation)] : undefined;
};
const writesRows = (s: Statement) => {
  const t = dmlTarget(s);
  return t ? [t] : undefined;
};

/**
 * After this statement, in its direction: is `table`'s trigger enabled again (`reEnables`), and
 * which statements write its rows before that? From per-file indexes, not a walk of the rest of
 * the file per statement (a file of many DISABLE TRIGGERs would be quadratic).
 */
function laterInFile(stmt: Statement, table: string): { enabled: boolean; dml: Statement[] } {
  const en = sameNamePositions(stmt, 'disable-trigger:enables', enablesTriggers, table);
  const writes = sameNamePositions(stmt, 'disable-trigger:writes', writesRows, table);
  if (!en || !writes) return { enabled: false, dml: [] };
  const { at, all } = en;
  let end = en.positions[firstAbove(en.positions, at)] ?? Infinity;
  // Statements no parser read that spell ENABLE TRIGGER and the table's name (reEnables), per file.
  const loose = perFile(stmt, 'disable-trigger:unparsed-enables', (list) => list.flatMap((s, i) => (!s.parsed && /\benable\s+trigger\b/.test(s.lexical) ? [i] : []))) ?? [];
  for (let k = firstAbove(loose, at); k < loose.length && loose[k] < end; k++) if (all[loose[k]].unit.down === stmt.unit.down && reEnables(all[loose[k]], table)) end = loose[k];
  const dml = writes.positions.slice(firstAbove(writes.positions, at), firstAbove(writes.positions, end - 1)).map((p) => all[p]);
  return { enabled: end !== Infinity, dml };
}

const rule: Rule = {
  meta: {
    id: 'disable-trigger',
    category: 'integrity',
    severity: 'error',
    summary: 'Disables triggers on a table (ALTER TABLE … DISABLE TRIGGER ALL/USER/name): foreign keys, audit and integrity triggers stop firing',
    rationale:
      '`DISABLE TRIGGER ALL` also disables the internal triggers that enforce foreign keys, so rows written meanwhile can reference rows that ' +
      'do not exist, and nothing checks them when the triggers come back. `DISABLE TRIGGER USER` (or a named trigger) turns off audit logging, ' +
      'denormalization and validation triggers: every data change made while they are off escapes them — the classic way to change data ' +
      'without leaving an audit trail. A single named trigger is a warning; ALL and USER gate.',
    fix: 'Do not disable triggers in a migration; if a bulk load needs it, keep the DML between DISABLE and ENABLE minimal, validate the foreign keys afterwards, and get it approved.',
    examples: {
      bad: [
        { sql: 'ALTER TABLE orders DISABLE TRIGGER ALL;' },
        { sql: 'ALTER TABLE orders DISABLE TRIGGER audit_orders;' },
        { sql: "ALTER TABLE orders DISABLE TRIGGER USER;\nUPDATE orders SET total = 0 WHERE id = 1;\nALTER TABLE orders ENABLE TRIGGER USER;" },
        { sql: 'DO $$ BEGIN EXECUTE \'ALTER TABLE audit DISABLE TRIGGER ALL\'; END $$;' },
        { sql: 'DISABLE TRIGGER ALL ON orders', dialect: 'transactsql' },
      ],
      good: [{ sql: 'ALTER TABLE orders ENABLE TRIGGER ALL;' }, { sql: 'CREATE TABLE t (id int); ALTER TABLE t DISABLE TRIGGER ALL;' }],
    },
  },
  check(stmt, { report }) {
    const a = pgNode(stmt, 'AlterTableStmt');
    if (!a) return;
    for (const c of a.cmds ?? []) {
      const sub: string = c?.AlterTableCmd?.subtype ?? '';
      if (!/^AT_DisableTrig(All|User)?$/.test(sub)) continue;
      const t = rangeVarName(a.relation);
      const what = sub === 'AT_DisableTrigAll' ? 'ALL triggers, including the ones that enforce foreign keys,' : sub === 'AT_DisableTrigUser' ? 'every user trigger (audit, validation, denormalization)' : `trigger ${c.AlterTableCmd.name ?? '?'}`;
      const { enabled, dml } = laterInFile(stmt, t);
      let extra = '';
      if (dml.length) {
        const lines = dml.slice(0, 3).map((s) => s.unit.pos(s.start).line);
        extra += `; ${dml.length} data change${dml.length > 1 ? 's' : ''} to ${t} run${dml.length > 1 ? '' : 's'} while they are off (line ${lines.join(', ')}${dml.length > 3 ? ', …' : ''})`;
      }
      if (!enabled && !stmt.nested) extra += '; they are not enabled again later in this file';
      if (createdEarlier(stmt, t)) continue; // a table created in this file has no rows or triggers of consequence yet
      // Disabled and enabled again with no data change in between: nothing escaped the triggers.
      const quiet = enabled && !dml.length;
      if (quiet) extra += '; they are enabled again later in this file with no data change to it in between';
      report({
        message: `Disables ${what} on ${t}${extra}${nestedSuffix(stmt)}.`,
        severity: quiet ? 'info' : sub === 'AT_DisableTrig' ? 'warning' : undefined,
        offset: nodeOffset(stmt, a.relation?.location),
        key: `${t}:${c.AlterTableCmd.name ?? sub}`,
      });
    }
  },
  unparsed(stmt, { report }) {
    // T-SQL `DISABLE TRIGGER ALL ON t`, and ALTER TABLE forms no parser accepted.
    const m = /\b(?:alter\s+table\s+\S+\s+(?:no\s*check\s+constraint\s+all\s*,?\s*)?)?disable\s+trigger\s+(all|user|[^\s;]+)(?:\s+on\s+(\S+))?/.exec(stmt.lexical);
    if (!m) return;
    report({ message: `Disables trigger${m[1] === 'all' || m[1] === 'user' ? 's ' + m[1].toUpperCase() : ' ' + m[1]} (read from the statement text, which could not be parsed: ${folded(stmt).slice(0, 80)}).`, severity: m[1] === 'all' || m[1] === 'user' ? undefined : 'warning' });
  },
};
export default rule;
