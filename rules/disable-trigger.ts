import { createdEarlier, firstAbove, folded, nestedSuffix, nodeOffset, nspTable, perFile, pgNode, positionOf, rangeVarName, sameName, sameNamePositions } from '../src/sql/ast.js';
import type { Rule, RuleContext, Statement } from '../src/types.js';

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
  if (a && sameName(rangeVarName(a.relation), table)) return (a.cmds ?? []).some((c: any) => /^AT_Enable(?!Replica)/.test(c?.AlterTableCmd?.subtype ?? ''));
  return !s.parsed && /\benable\s+trigger\b/.test(s.lexical) && s.lexical.includes(table.toLowerCase().split('.').pop()!);
}

const enablesTriggers = (s: Statement) => {
  const a = s.pg?.AlterTableStmt;
  return a && (a.cmds ?? []).some((c: any) => /^AT_Enable(?!Replica)/.test(c?.AlterTableCmd?.subtype ?? '')) ? [rangeVarName(a.relation)] : undefined;
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

/** MySQL/MariaDB `SET [SESSION|@@…]foreign_key_checks = 0|OFF`, SQLite `PRAGMA foreign_keys = OFF`: 'off', 'on' or undefined. */
function fkChecks(s: Statement): 'off' | 'on' | undefined {
  const m =
    /^set\s+(?:(?:session|local|global)\s+|@@(?:session\.|local\.|global\.)?)?foreign_key_checks\s*(?:=|:=|to)\s*'?(\w+)/.exec(s.lexical) ??
    /^pragma\s+(?:\w+\.)?foreign_keys\s*=\s*'?(\w+)/.exec(s.lexical);
  if (!m) return undefined;
  return /^(0|off|false|no)$/.test(m[1]) ? 'off' : /^(1|on|true|yes)$/.test(m[1]) ? 'on' : undefined;
}

/**
 * After a statement that turns foreign-key checks off: is it turned on again in the file, and which
 * deletes or key changes run meanwhile? From a per-file index (positions of the statements that turn
 * the checks on and of those writes), not a walk of the rest of the file per statement.
 */
function whileFkOff(stmt: Statement): { on: boolean; dml: Statement[] } {
  const ix = perFile(stmt, 'disable-trigger:fk-checks', (all) => {
    const on: number[] = [];
    const dml: number[] = [];
    all.forEach((s, i) => {
      if (s.nested) return;
      if (fkChecks(s) === 'on') on.push(i);
      // A DELETE (or REPLACE, which deletes the row it replaces) can orphan children; an UPDATE only
      // when it changes a key (by name: `id`, `…_id`), which is what SQLite's table rebuilds never do.
      const t = String(s.ast?.type ?? '').toLowerCase();
      const setsKey = t === 'update' && (s.ast.set ?? []).some((x: any) => /^(id|\w*_id)$/i.test(String(x?.column ?? '')));
      if (t === 'delete' || t === 'replace' || setsKey || (!s.ast && /^(with\b[\s\S]*?\)\s*)?delete\b/.test(s.lexical))) dml.push(i);
    });
    return { all, on, dml };
  });
  const at = positionOf(stmt);
  if (!ix || at === undefined) return { on: false, dml: [] };
  const same = (p: number) => ix.all[p].unit.down === stmt.unit.down;
  let end = Infinity;
  for (let k = firstAbove(ix.on, at); k < ix.on.length; k++) if (same(ix.on[k])) { end = ix.on[k]; break; }
  const dml: Statement[] = [];
  for (let k = firstAbove(ix.dml, at); k < ix.dml.length && ix.dml[k] < end; k++) if (same(ix.dml[k])) dml.push(ix.all[ix.dml[k]]);
  return { on: end !== Infinity, dml };
}

/**
 * Foreign-key checks turned off (MySQL/MariaDB foreign_key_checks, SQLite PRAGMA foreign_keys): rows
 * deleted or changed meanwhile can leave children pointing at nothing, and nothing checks them when
 * the checks come back on (MySQL does not re-validate; SQLite only on PRAGMA foreign_key_check). A
 * DELETE, REPLACE or UPDATE of a key column while off gates; off and on again with none between is info (SQLite's table-rebuild
 * procedure, sqlite.org/lang_altertable.html); off to the end of the file is a warning.
 */
function foreignKeyChecks(stmt: Statement, { report }: RuleContext): void {
  if (stmt.nested || fkChecks(stmt) !== 'off') return;
  const { on, dml } = whileFkOff(stmt);
  const lines = dml.slice(0, 3).map((s) => s.unit.pos(s.start).line);
  const extra = dml.length
    ? `; ${dml.length} statement${dml.length > 1 ? 's' : ''} that delete rows or change keys run while they are off (line ${lines.join(', ')}${dml.length > 3 ? ', …' : ''}): other rows can be left referencing nothing, and nothing re-checks them`
    : on
      ? '; they are turned on again later in this file with no DELETE or key change in between'
      : '; they are not turned on again in this file';
  report({ message: `Turns foreign-key checks off${extra}.`, severity: dml.length ? undefined : on ? 'info' : 'warning', key: 'fk-checks' });
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
      'without leaving an audit trail. A single named trigger is a warning; ALL and USER gate. MySQL/MariaDB `SET FOREIGN_KEY_CHECKS = 0` ' +
      'and SQLite `PRAGMA foreign_keys = OFF` are the same for foreign keys: a DELETE, REPLACE or key UPDATE while they are off gates (orphans nobody ' +
      're-checks); turned off and on again with none in between (SQLite\'s table rebuild) is info, off to the end of the file a warning.',
    fix: 'Do not disable triggers in a migration; if a bulk load needs it, keep the DML between DISABLE and ENABLE minimal, validate the foreign keys afterwards, and get it approved.',
    examples: {
      bad: [
        { sql: 'ALTER TABLE orders DISABLE TRIGGER ALL;' },
        { sql: 'ALTER TABLE orders DISABLE TRIGGER audit_orders;' },
        { sql: 'ALTER TABLE orders ENABLE REPLICA TRIGGER audit_orders;' },
        { sql: "ALTER TABLE orders DISABLE TRIGGER USER;\nUPDATE orders SET total = 0 WHERE id = 1;\nALTER TABLE orders ENABLE TRIGGER USER;" },
        { sql: 'DO $$ BEGIN EXECUTE \'ALTER TABLE audit DISABLE TRIGGER ALL\'; END $$;' },
        { sql: 'DISABLE TRIGGER ALL ON orders', dialect: 'transactsql' },
        { sql: 'SET FOREIGN_KEY_CHECKS = 0;\nDELETE FROM users WHERE id = 1;\nSET FOREIGN_KEY_CHECKS = 1;', dialect: 'mysql' },
        { sql: 'PRAGMA foreign_keys = OFF;\nDELETE FROM users WHERE id = 1;', dialect: 'sqlite' },
      ],
      good: [
        { sql: 'ALTER TABLE orders ENABLE TRIGGER ALL;' },
        { sql: 'CREATE TABLE t (id int); ALTER TABLE t DISABLE TRIGGER ALL;' },
        { sql: 'SET FOREIGN_KEY_CHECKS = 1;', dialect: 'mysql' },
      ],
    },
  },
  check(stmt, ctx) {
    foreignKeyChecks(stmt, ctx);
    const { report } = ctx;
    const a = pgNode(stmt, 'AlterTableStmt');
    if (!a) return;
    for (const c of a.cmds ?? []) {
      const sub: string = c?.AlterTableCmd?.subtype ?? '';
      // ENABLE REPLICA TRIGGER t: t fires only in sessions with session_replication_role = replica,
      // so for every ordinary session it is off (https://www.postgresql.org/docs/current/sql-altertable.html).
      const replica = sub === 'AT_EnableReplicaTrig';
      if (!/^AT_DisableTrig(All|User)?$/.test(sub) && !replica) continue;
      const t = rangeVarName(a.relation);
      const what = sub === 'AT_DisableTrigAll' ? 'ALL triggers, including the ones that enforce foreign keys,' : sub === 'AT_DisableTrigUser' ? 'every user trigger (audit, validation, denormalization)' : replica ? `trigger ${c.AlterTableCmd.name ?? '?'} for ordinary sessions (ENABLE REPLICA: it fires only under session_replication_role = replica)` : `trigger ${c.AlterTableCmd.name ?? '?'}`;
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
        severity: quiet ? 'info' : sub === 'AT_DisableTrig' || replica ? 'warning' : undefined,
        offset: nodeOffset(stmt, a.relation?.location),
        key: `${t}:${c.AlterTableCmd.name ?? sub}`,
      });
    }
  },
  unparsed(stmt, ctx) {
    foreignKeyChecks(stmt, ctx);
    const { report } = ctx;
    // T-SQL `DISABLE TRIGGER ALL ON t`, and ALTER TABLE forms no parser accepted.
    const m = /\b(?:alter\s+table\s+\S+\s+(?:no\s*check\s+constraint\s+all\s*,?\s*)?)?disable\s+trigger\s+(all|user|[^\s;]+)(?:\s+on\s+(\S+))?/.exec(stmt.lexical);
    if (!m) return;
    report({ message: `Disables trigger${m[1] === 'all' || m[1] === 'user' ? 's ' + m[1].toUpperCase() : ' ' + m[1]} (read from the statement text, which could not be parsed: ${folded(stmt).slice(0, 80)}).`, severity: m[1] === 'all' || m[1] === 'user' ? undefined : 'warning' });
  },
};
export default rule;
