import { cachedRegExp, createdEarlier, namedClause, names, nestedSuffix, nodeOffset, nspColumn, nspTable, pgNode, rangeVarName, statementsNamed, textOffset } from '../src/sql/ast.js';
import { isNewColumn } from '../src/state/index.js';
import type { Rule, Statement } from '../src/types.js';

// `\b(rename|change)\s+(column\s+|attribute\s+)?[`"]?FROM\b` (flag i), one pattern for every name.
const RENAME_HEAD = /\b(?:rename|change)\s+/gi;
const RENAME_OPTIONAL = [/(?:column|attribute)\s+/iy];

/** Enum types a statement creates: a value renamed in a type made earlier in the same file breaks nothing. */
function enumsCreated(s: Statement): string[] | undefined {
  const e = s.pg?.CreateEnumStmt;
  return e ? [names(e.typeName)] : undefined;
}

const rule: Rule = {
  meta: {
    id: 'rename-column',
    category: 'destructive',
    severity: 'error',
    summary: 'Renames a column (or an enum value): queries that use the old name break',
    rationale:
      'Application code, views, functions and reports that use the old column name fail as soon as the migration commits, before new code ' +
      'is deployed (old code writes to a column that no longer exists). Renaming an enum value (ALTER TYPE … RENAME VALUE) breaks the same ' +
      'way: code that writes or compares the old label gets "invalid input value for enum". Columns of a table (values of a type) created earlier ' +
      'in the same file, and columns the migration added itself (a staging column renamed into place), are not reported.',
    fix: 'Expand/contract: add the new column, write to both, backfill, switch reads, then drop the old column in a later release.',
    examples: {
      bad: [
        { sql: 'ALTER TABLE users RENAME COLUMN name TO full_name;' },
        { sql: 'ALTER TABLE users ADD COLUMN IF NOT EXISTS name text;\nALTER TABLE users RENAME COLUMN name TO full_name;' },
        { sql: 'ALTER TABLE users ADD COLUMN name_tmp text;\nALTER TABLE users RENAME COLUMN name TO full_name;' },
        { sql: 'ALTER TABLE users RENAME name TO full_name;' },
        { sql: 'ALTER TABLE users RENAME COLUMN name TO full_name', dialect: 'mysql' },
        { sql: 'ALTER TABLE users CHANGE name full_name VARCHAR(100)', dialect: 'mysql' },
        { sql: 'ALTER TABLE users RENAME COLUMN name TO full_name', dialect: 'sqlite' },
        { sql: "ALTER TYPE order_status RENAME VALUE 'shipped' TO 'dispatched';" },
      ],
      good: [
        { sql: 'CREATE TABLE t (a int);\nALTER TABLE t RENAME COLUMN a TO b;' },
        { sql: 'ALTER TABLE memo ADD COLUMN tags_temp text;\nUPDATE memo SET tags_temp = tags WHERE tags IS NOT NULL;\nALTER TABLE memo DROP COLUMN tags;\nALTER TABLE memo RENAME COLUMN tags_temp TO tags;' },
        { sql: 'ALTER TABLE memo ADD COLUMN tags_temp JSON;\nALTER TABLE memo CHANGE tags_temp tags JSON;', dialect: 'mysql' },
        { sql: 'ALTER TABLE users RENAME CONSTRAINT a TO b;' },
        { sql: "CREATE TYPE mood AS ENUM ('ok', 'sad');\nALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy';" },
        { sql: "ALTER TYPE order_status ADD VALUE 'returned';" },
        { sql: 'ALTER TABLE users CHANGE name name VARCHAR(100)', dialect: 'mysql', path: 'same-name.sql' },
      ],
    },
  },
  kinds: ['RenameStmt', 'AlterEnumStmt'],
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
    const emit = (table: string, from: string, to: string, what: string, fallback?: number) => {
      // A column the migration under review added (schema state): no deployed code uses its name yet.
      if (createdEarlier(stmt, table) || isNewColumn(stmt, table, from)) return;
      const off = namedClause(stmt.text, from, RENAME_HEAD, RENAME_OPTIONAL) ?? fallback;
      report({ message: `Renames ${what} ${table}.${from} to ${to}: queries and code that use the old name fail${where}.`, offset: off, key: from });
    };
    const r = pgNode(stmt, 'RenameStmt');
    if (r && (r.renameType === 'OBJECT_COLUMN' || r.renameType === 'OBJECT_ATTRIBUTE')) {
      emit(rangeVarName(r.relation), r.subname ?? '?', r.newname ?? '?', r.renameType === 'OBJECT_ATTRIBUTE' ? 'attribute' : 'column', nodeOffset(stmt, r.relation?.location));
    }
    const en = pgNode(stmt, 'AlterEnumStmt');
    if (en?.oldVal !== undefined && en.newVal !== undefined) {
      const type = names(en.typeName);
      if (!statementsNamed(stmt, 'rename-column:enums', enumsCreated, type, 'before').length) {
        const off = textOffset(stmt, cachedRegExp(`\\brename\\s+value\\b`, 'i'));
        report({ message: `Renames value '${en.oldVal}' of enum type ${type} to '${en.newVal}': code and queries that write or compare the old value fail (invalid input value for enum)${where}.`, offset: off, key: `${type}.${en.oldVal}` });
      }
    }
    const a = stmt.ast;
    if (a?.type === 'alter') {
      const table = nspTable(a.table?.[0] ?? a.table);
      for (const e of a.expr ?? []) {
        if (e?.resource !== 'column' || (e.action !== 'rename' && e.action !== 'change')) continue;
        const from = nspColumn(e.old_column);
        const to = nspColumn(e.column);
        if (from.toLowerCase() !== to.toLowerCase()) emit(table, from, to, 'column');
      }
    }
  },
  lexical: [/\balter\s+type\b[^;]*\brename\s+value\b/, /\balter\s+table\b.*\brename\s+(column\s+)?(?!to\b|constraint\b|index\b|key\b)\S+\s+to\b/, /\balter\s+table\b.*\bchange\s+(column\s+)?(\S+)\s+(?!\2\s)\S+\s+\S+/],
};
export default rule;
