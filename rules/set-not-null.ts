import { alteredTableNames, createdEarlier, namedClause, nestedSuffix, pgNode, rangeVarName, sameName, statementsNamed } from '../src/sql/ast.js';
import { lockNote } from '../src/state/index.js';
import type { Rule, Statement } from '../src/types.js';

// `\balter\s+(column\s+)?[`"]?COL[`"]?\s+set\s+not\s+null` (flag i), one pattern for every name.
const ALTER_HEAD = /\balter\s+/gi;
const ALTER_OPTIONAL = [/column\s+/iy];
const SET_NOT_NULL = /[`"]?\s+set\s+not\s+null/iy;

/** Does this file add `CHECK (col IS NOT NULL)` on the table before (the pattern that lets SET NOT NULL skip its scan)? */
function checkedBefore(stmt: Statement, table: string, col: string, cmdIndex: number): boolean {
  const isCheck = (cmd: any) => {
    const k = cmd?.AlterTableCmd?.def?.Constraint;
    const e = k?.contype === 'CONSTR_CHECK' ? k.raw_expr?.NullTest : undefined;
    const f = e?.arg?.ColumnRef?.fields;
    return e?.nulltesttype === 'IS_NOT_NULL' && f?.length === 1 && String(f[0]?.String?.sval).toLowerCase() === col.toLowerCase();
  };
  const stmts = [...statementsNamed(stmt, 'altered-tables', alteredTableNames, table, 'before'), stmt];
  return stmts.some((s) => {
    const a = s.pg?.AlterTableStmt;
    if (!a || !sameName(rangeVarName(a.relation), table)) return false;
    const cmds = s === stmt ? (a.cmds ?? []).slice(0, cmdIndex) : a.cmds ?? [];
    return cmds.some(isCheck);
  });
}

const rule: Rule = {
  meta: {
    id: 'set-not-null',
    category: 'safety',
    severity: 'warning',
    summary: 'ALTER COLUMN … SET NOT NULL on an existing table (scans the whole table under an ACCESS EXCLUSIVE lock)',
    rationale:
      'SET NOT NULL checks every row while holding an ACCESS EXCLUSIVE lock (reads and writes wait), and fails the migration if any row is ' +
      'NULL. Not reported for tables created earlier in the same file, or when the file first adds a CHECK (col IS NOT NULL) constraint, ' +
      'which lets PostgreSQL 12+ skip the scan.',
    fix: 'Add CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it (no write lock), then SET NOT NULL (no scan) and drop the check.',
    examples: {
      bad: [{ sql: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;' }, { sql: 'ALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL, ALTER COLUMN "role" SET NOT NULL;' }],
      good: [
        { sql: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;' },
        { sql: 'CREATE TABLE users (email text);\nALTER TABLE users ALTER COLUMN email SET NOT NULL;' },
        {
          sql: 'ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT email_nn;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;',
        },
      ],
    },
  },
  kinds: ['AlterTableStmt'],
  check(stmt, { report }) {
    const a = pgNode(stmt, 'AlterTableStmt');
    if (!a || a.objtype !== 'OBJECT_TABLE') return;
    const table = rangeVarName(a.relation);
    if (createdEarlier(stmt, table)) return;
    (a.cmds ?? []).forEach((c: any, i: number) => {
      const cmd = c?.AlterTableCmd;
      if (cmd?.subtype !== 'AT_SetNotNull') return;
      const col = cmd.name ?? '?';
      if (checkedBefore(stmt, table, col, i)) return;
      report({
        message: `Sets ${table}.${col} NOT NULL on an existing table: every row is scanned under an ACCESS EXCLUSIVE lock, and any NULL fails the migration${lockNote(stmt, table)}${nestedSuffix(stmt)}.`,
        offset: namedClause(stmt.text, col, ALTER_HEAD, ALTER_OPTIONAL, '`"', SET_NOT_NULL),
        key: col,
      });
    });
  },
  lexical: [/\balter\s+table\b.*\balter\s+(column\s+)?\S+\s+set\s+not\s+null\b/],
};
export default rule;
