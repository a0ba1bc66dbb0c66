import { createdEarlier, nestedSuffix, nspTable, perFile, pgNode, rangeVarName } from '../src/sql/ast.js';
import { renamedForRebuild } from '../src/state/rebuild.js';
import type { Rule, Statement } from '../src/types.js';

const KIND: Record<string, string> = {
  OBJECT_TABLE: 'table',
  OBJECT_FOREIGN_TABLE: 'foreign table',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'materialized view',
};

/**
 * `_users_tmp` → `users`, `users_new` → `users`: the swap that completes a table rebuild (copy into a new table, drop the old one,
 * rename the copy). Nothing refers to the temporary name, so the rename breaks nothing; the DROP of the old table is what matters.
 */
function rebuildSwap(from: string, to: string): boolean {
  const f = (from.split('.').pop() ?? '').toLowerCase();
  const t = (to.split('.').pop() ?? '').toLowerCase();
  const m = /^(_*)(.+?)(_(tmp|temp|new|copy|old))?$/.exec(f);
  return !!m && f !== t && m[2] === t && (m[1].length > 0 || !!m[3]);
}

/**
 * Is the relation a sequence: created by CREATE SEQUENCE earlier in the file, or named the way
 * PostgreSQL names the sequences of serial and identity columns (`<table>_<column>_seq`,
 * ChooseRelationName(…, "seq") in src/backend/parser/parse_utilcmd.c)?
 */
function isSequence(stmt: Statement, rv: any): boolean {
  const name = String(rv?.relname ?? '').toLowerCase();
  if (/_seq$/.test(name)) return true;
  // Where each sequence name is first created in the file (any direction), gathered once per file.
  const first = perFile(stmt, 'rename-table:sequences', (all) => {
    const m = new Map<string, number>();
    for (const s of all) {
      const c = s.pg?.CreateSeqStmt;
      const n = c && String(c.sequence?.relname ?? '').toLowerCase();
      if (c && !(m.get(n)! <= s.start)) m.set(n, s.start);
    }
    return m;
  });
  const at = first?.get(name);
  return at !== undefined && at < stmt.start;
}

const rule: Rule = {
  meta: {
    id: 'rename-table',
    category: 'destructive',
    severity: 'error',
    summary: 'Renames a table or view: everything that uses the old name breaks',
    rationale:
      'Running application code, views, functions, triggers and reports that refer to the old name fail as soon as the migration commits, ' +
      'before new code is deployed; it is as disruptive as a drop for readers. Renaming a table created earlier in the same file ' +
      '(e.g. the copy in a SQLite table rebuild) is not reported; renaming `_t_tmp`/`t_new` to `t` (the last step of a rebuild whose steps sit in separate files) is info, ' +
      'and so is renaming `t` out of the way when the same change creates `t` again and copies the old rows into it (a rebuild).',
    fix: 'Expand/contract: create the new table or a view with the new name, move code over, then drop the old name in a later release.',
    examples: {
      bad: [
        { sql: 'ALTER TABLE users RENAME TO accounts;' },
        { sql: 'ALTER VIEW active_users RENAME TO current_users;' },
        { sql: 'RENAME TABLE users TO accounts, orders TO purchases', dialect: 'mysql' },
        { sql: 'ALTER TABLE users RENAME TO accounts', dialect: 'sqlite' },
      ],
      good: [
        { sql: 'CREATE TABLE _users_new (id int);\nALTER TABLE _users_new RENAME TO users_v2;' },
        { sql: 'ALTER TABLE users RENAME COLUMN name TO full_name;', path: 'rename-column-only.sql' },
        { sql: 'ALTER INDEX users_email_idx RENAME TO users_email_key;' },
        { sql: 'ALTER TABLE users_id_seq RENAME TO accounts_id_seq;' },
        { sql: 'CREATE SEQUENCE order_no;\nALTER TABLE order_no RENAME TO order_number;' },
      ],
    },
  },
  kinds: ['RenameStmt'],
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
    const emit = (kind: string, from: string, to: string) => {
      if (createdEarlier(stmt, from)) return;
      if (rebuildSwap(from, to)) {
        report({ message: `Renames ${kind} ${from} to ${to}, completing a table rebuild (the DROP of the replaced table is reported by drop-table)${where}.`, severity: 'info', key: from });
        return;
      }
      // The first step of a rebuild: `from` is created again and `to`'s rows copied into it, later in this change.
      if (kind === 'table' && renamedForRebuild(stmt, from, to)) {
        report({ message: `Renames ${kind} ${from} to ${to} to rebuild it: ${from} is created again and the rows of ${to} copied into it later in this change (the DROP of ${to} is reported by drop-table)${where}.`, severity: 'info', key: from });
        return;
      }
      report({ message: `Renames ${kind} ${from} to ${to}: queries and code that use the old name fail${where}.`, key: from });
    };
    const r = pgNode(stmt, 'RenameStmt');
    // PostgreSQL takes ALTER TABLE … RENAME on a sequence too: not a table rename. Column defaults
    // refer to a sequence by OID (nextval('s'::regclass)) and follow it (ALTER SEQUENCE … RENAME is
    // not reported either).
    if (r && r.renameType === 'OBJECT_TABLE' && isSequence(stmt, r.relation)) return;
    if (r && KIND[r.renameType]) emit(KIND[r.renameType], rangeVarName(r.relation), r.newname ?? '?');
    const a = stmt.ast;
    if (a?.type === 'rename') {
      for (const pair of a.table ?? []) emit('table', nspTable(pair?.[0]), nspTable(pair?.[1]));
    }
    if (a?.type === 'alter') {
      for (const e of a.expr ?? []) {
        if (e?.action === 'rename' && e.resource === 'table') emit('table', nspTable(a.table?.[0] ?? a.table), nspTable(e.table));
      }
    }
  },
  lexical: [/\b(alter\s+(table|view|materialized\s+view|foreign\s+table)\b.*\brename\s+to\b|rename\s+table\b)/],
};
export default rule;
