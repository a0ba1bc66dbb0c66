import { names, pgNode } from '../src/ast.js';
import type { Rule } from '../src/types.js';

const rule: Rule = {
  meta: {
    id: 'drop-table',
    category: 'destructive',
    severity: 'error',
    summary: 'Drops a table and all of its data',
    rationale:
      'DROP TABLE deletes the table and every row in it; with CASCADE it also drops views, foreign keys and other objects that depend on it. ' +
      'It cannot be undone without a restore, and running code that still reads the table breaks.',
    fix: 'Stop all reads and writes first, keep a backup or rename the table and drop it in a later release; get the drop reviewed.',
    examples: {
      bad: [{ sql: 'DROP TABLE users;' }, { sql: 'DROP TABLE IF EXISTS a, b CASCADE;' }, { sql: 'DROP TABLE users', dialect: 'mysql' }],
      good: [{ sql: 'CREATE TABLE users (id int);' }, { sql: 'DROP INDEX users_email_idx;' }],
    },
  },
  check(stmt, { report }) {
    const d = pgNode(stmt, 'DropStmt');
    if (d && (d.removeType === 'OBJECT_TABLE' || d.removeType === 'OBJECT_FOREIGN_TABLE')) {
      const list = (d.objects ?? []).map((o: any) => names(o.List?.items)).join(', ');
      const cascade = d.behavior === 'DROP_CASCADE' ? ' with CASCADE (dependent objects are dropped too)' : '';
      report({ message: `Drops table ${list}${cascade}.` });
    }
    if (stmt.ast?.type === 'drop' && /^table$/i.test(stmt.ast.keyword ?? '')) {
      const list = (stmt.ast.name ?? []).map((n: any) => [n.db, n.table].filter(Boolean).join('.')).join(', ');
      report({ message: `Drops table ${list}.` });
    }
  },
  lexical: [/\bdrop\s+(foreign\s+)?table\b/],
};
export default rule;
