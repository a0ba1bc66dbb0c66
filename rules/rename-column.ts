import { cachedRegExp, createdEarlier, nestedSuffix, nodeOffset, nspColumn, nspTable, pgNode, rangeVarName, textOffset } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const rule: Rule = {
  meta: {
    id: 'rename-column',
    category: 'destructive',
    severity: 'error',
    summary: 'Renames a column: queries that use the old name break',
    rationale:
      'Application code, views, functions and reports that use the old column name fail as soon as the migration commits, before new code ' +
      'is deployed (old code writes to a column that no longer exists). Columns of a table created earlier in the same file are not reported.',
    fix: 'Expand/contract: add the new column, write to both, backfill, switch reads, then drop the old column in a later release.',
    examples: {
      bad: [
        { sql: 'ALTER TABLE users RENAME COLUMN name TO full_name;' },
        { sql: 'ALTER TABLE users RENAME name TO full_name;' },
        { sql: 'ALTER TABLE users RENAME COLUMN name TO full_name', dialect: 'mysql' },
        { sql: 'ALTER TABLE users CHANGE name full_name VARCHAR(100)', dialect: 'mysql' },
        { sql: 'ALTER TABLE users RENAME COLUMN name TO full_name', dialect: 'sqlite' },
      ],
      good: [
        { sql: 'CREATE TABLE t (a int);\nALTER TABLE t RENAME COLUMN a TO b;' },
        { sql: 'ALTER TABLE users RENAME CONSTRAINT a TO b;' },
        { sql: 'ALTER TABLE users CHANGE name name VARCHAR(100)', dialect: 'mysql', path: 'same-name.sql' },
      ],
    },
  },
  kinds: ['RenameStmt'],
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
    const emit = (table: string, from: string, to: string, what: string, fallback?: number) => {
      if (createdEarlier(stmt, table)) return;
      const off = textOffset(stmt, cachedRegExp(`\\b(rename|change)\\s+(column\\s+|attribute\\s+)?[\`"]?${esc(from)}\\b`, 'i')) ?? fallback;
      report({ message: `Renames ${what} ${table}.${from} to ${to}: queries and code that use the old name fail${where}.`, offset: off, key: from });
    };
    const r = pgNode(stmt, 'RenameStmt');
    if (r && (r.renameType === 'OBJECT_COLUMN' || r.renameType === 'OBJECT_ATTRIBUTE')) {
      emit(rangeVarName(r.relation), r.subname ?? '?', r.newname ?? '?', r.renameType === 'OBJECT_ATTRIBUTE' ? 'attribute' : 'column', nodeOffset(stmt, r.relation?.location));
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
  lexical: [/\balter\s+table\b.*\brename\s+(column\s+)?(?!to\b|constraint\b|index\b|key\b)\S+\s+to\b/, /\balter\s+table\b.*\bchange\s+(column\s+)?(\S+)\s+(?!\2\s)\S+\s+\S+/],
};
export default rule;
