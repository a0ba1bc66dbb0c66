import { createdEarlier, namedClause, nestedSuffix, nodeOffset, nspColumn, nspTable, pgNode, rangeVarName } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';

// `\bdrop\s+(column\s+|attribute\s+)?(if\s+exists\s+)?[`"[]?COLUMN\b` (flag i), one pattern for every name.
const DROP_HEAD = /\bdrop\s+/gi;
const DROP_OPTIONAL = [/(?:column|attribute)\s+/iy, /if\s+exists\s+/iy];

const rule: Rule = {
  meta: {
    id: 'drop-column',
    category: 'destructive',
    severity: 'error',
    summary: 'Drops a column and the data in it',
    rationale:
      'ALTER TABLE … DROP COLUMN deletes the column and every value in it; with CASCADE it also drops the views, indexes and constraints that use it. ' +
      'Application code that still reads or writes the column fails once the migration runs (deploy order matters). ' +
      'Dropping an attribute of a composite type (ALTER TYPE … DROP ATTRIBUTE) loses that part of every value of the type.',
    fix: 'Deploy code that no longer uses the column first, keep a backup of the data, then drop it; get the drop reviewed.',
    examples: {
      bad: [
        { sql: 'ALTER TABLE users DROP COLUMN email;' },
        { sql: 'ALTER TABLE "User" DROP COLUMN "password", DROP COLUMN "salt" CASCADE;' },
        { sql: 'ALTER TABLE users DROP email', dialect: 'mysql' },
        { sql: 'ALTER TABLE users DROP COLUMN email', dialect: 'sqlite' },
        { sql: 'CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN ALTER TABLE t DROP COLUMN c; END $$;' },
      ],
      good: [
        { sql: 'ALTER TABLE users ADD COLUMN email text;' },
        { sql: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL, ALTER COLUMN email DROP DEFAULT;' },
        { sql: 'ALTER TABLE users DROP CONSTRAINT users_email_key;' },
        { sql: 'ALTER TABLE users DROP INDEX email', dialect: 'mysql' },
      ],
    },
  },
  kinds: ['AlterTableStmt'],
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
    const emit = (table: string, column: string, cascade: boolean, attr: boolean, tableOffset?: number) => {
      const off = namedClause(stmt.text, column, DROP_HEAD, DROP_OPTIONAL, '`"[') ?? tableOffset;
      const what = attr ? `attribute ${column} of type ${table}` : `column ${table}.${column}`;
      const casc = cascade ? ' with CASCADE (views, indexes and constraints that use it are dropped too)' : '';
      if (!cascade && !attr && createdEarlier(stmt, table)) {
        report({ message: `Drops ${what} of a table created earlier in this file; only rows written by this migration are affected${where}.`, severity: 'info', offset: off, key: column });
        return;
      }
      report({ message: `Drops ${what} and all its data${casc}${where}.`, offset: off, key: column });
    };
    const a = pgNode(stmt, 'AlterTableStmt');
    if (a) {
      const table = rangeVarName(a.relation);
      for (const c of a.cmds ?? []) {
        const cmd = c.AlterTableCmd;
        if (cmd?.subtype !== 'AT_DropColumn') continue;
        emit(table, cmd.name ?? '?', cmd.behavior === 'DROP_CASCADE', a.objtype === 'OBJECT_TYPE', nodeOffset(stmt, a.relation?.location));
      }
    }
    if (stmt.ast?.type === 'alter') {
      const table = nspTable(stmt.ast.table?.[0] ?? stmt.ast.table);
      for (const e of stmt.ast.expr ?? []) {
        if (e?.action === 'drop' && e.resource === 'column') emit(table, nspColumn(e.column), false, false);
      }
    }
  },
  lexical: [
    /\balter\s+table\b.*\bdrop\s+column\b/,
    /\balter\s+table\b.*\bdrop\s+(?!column\b|constraint\b|index\b|key\b|primary\b|foreign\b|check\b|partition\b|default\b|not\b|identity\b|expression\b|trigger\b|unique\b|fulltext\b|spatial\b|period\b|system\b)[a-z_"`[]/,
    /\balter\s+type\b.*\bdrop\s+attribute\b/,
  ],
};
export default rule;
