import { createdEarlier, namedClause, names, nestedSuffix, nspColumn, nspTable, pgNode, rangeVarName } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';

const ADD_HEAD = /\badd\s+/gi;
const ADD_OPTIONAL = [/column\s+/iy, /if\s+not\s+exists\s+/iy];
const SERIAL = /^(small|big)?serial[248]?$/i;

const rule: Rule = {
  meta: {
    id: 'add-column-not-null-no-default',
    category: 'safety',
    severity: 'warning',
    summary: 'Adds a NOT NULL column without a DEFAULT to an existing table (fails if the table has rows)',
    rationale:
      'Existing rows would get NULL in the new column, so PostgreSQL rejects the ALTER as soon as the table has a row: the migration passes ' +
      'on an empty development database and fails in production. SQLite always rejects it. Identity, serial and generated columns fill ' +
      'themselves and are not reported, nor are tables created earlier in the same file. (MySQL fills the implicit zero value instead: not reported.)',
    fix: 'Add a DEFAULT (constant defaults are instant since PostgreSQL 11), or add the column nullable, backfill, then SET NOT NULL.',
    examples: {
      bad: [
        { sql: 'ALTER TABLE users ADD COLUMN tenant_id uuid NOT NULL;' },
        { sql: 'ALTER TABLE "User" ADD COLUMN "role" TEXT NOT NULL;' },
        { sql: 'ALTER TABLE users ADD COLUMN tenant_id int NOT NULL', dialect: 'sqlite' },
      ],
      good: [
        { sql: 'ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;' },
        { sql: 'ALTER TABLE users ADD COLUMN note text;' },
        { sql: 'ALTER TABLE users ADD COLUMN id2 bigint GENERATED ALWAYS AS IDENTITY NOT NULL, ADD COLUMN n bigserial NOT NULL;' },
        { sql: 'CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN c int NOT NULL;' },
        { sql: 'ALTER TABLE users ADD COLUMN tenant_id int NOT NULL DEFAULT 0', dialect: 'sqlite' },
      ],
    },
  },
  kinds: ['AlterTableStmt'],
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
    // `\badd\s+(column\s+)?(if\s+not\s+exists\s+)?[`"]?COL\b` (flag i), one pattern for every name.
    const off = (col: string) => namedClause(stmt.text, col, ADD_HEAD, ADD_OPTIONAL);
    const a = pgNode(stmt, 'AlterTableStmt');
    if (a && a.objtype === 'OBJECT_TABLE') {
      const table = rangeVarName(a.relation);
      if (createdEarlier(stmt, table)) return;
      for (const c of a.cmds ?? []) {
        const cmd = c?.AlterTableCmd;
        const def = cmd?.def?.ColumnDef;
        if (cmd?.subtype !== 'AT_AddColumn' || !def) continue;
        const cons: string[] = (def.constraints ?? []).map((k: any) => k?.Constraint?.contype);
        if (!cons.includes('CONSTR_NOTNULL') && !cons.includes('CONSTR_PRIMARY')) continue;
        if (cons.some((t) => t === 'CONSTR_DEFAULT' || t === 'CONSTR_IDENTITY' || t === 'CONSTR_GENERATED')) continue;
        if (def.raw_default || SERIAL.test(names(def.typeName?.names).replace(/^pg_catalog\./, ''))) continue;
        const col = def.colname ?? '?';
        report({
          message: `Adds NOT NULL column ${table}.${col} without a DEFAULT: the ALTER fails if ${table} has any row${where}.`,
          offset: off(col),
          key: col,
        });
      }
    }
    if (stmt.dialect === 'sqlite' && stmt.ast?.type === 'alter') {
      const table = nspTable(stmt.ast.table?.[0] ?? stmt.ast.table);
      for (const e of stmt.ast.expr ?? []) {
        if (e?.action !== 'add' || e.resource !== 'column') continue;
        if (String(e.nullable?.type ?? '').toLowerCase() !== 'not null' || e.default_val) continue;
        const col = nspColumn(e.column);
        report({ message: `Adds NOT NULL column ${table}.${col} without a DEFAULT: SQLite rejects this ALTER TABLE (even on an empty table).`, offset: off(col), key: col });
      }
    }
  },
  lexical: [/\balter\s+table\b.*\badd\s+(column\s+)?(?!constraint\b|index\b|unique\b|primary\b|foreign\b|check\b|key\b)[^,;]*\bnot\s+null\b(?![^,;]*\b(default|generated|identity)\b)/],
};
export default rule;
