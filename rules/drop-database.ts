import { nestedSuffix, pgNode } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';

const rule: Rule = {
  meta: {
    id: 'drop-database',
    category: 'destructive',
    severity: 'error',
    summary: 'Drops a whole database',
    rationale:
      'DROP DATABASE deletes every table and row in the database at once; it cannot be undone without a restore. In MySQL and MariaDB ' +
      'DROP SCHEMA is the same statement. A migration has no business dropping a database.',
    fix: 'Remove the statement from the migration; drop databases by hand with a backup and a change ticket.',
    examples: {
      bad: [
        { sql: 'DROP DATABASE legacy;' },
        { sql: 'DROP DATABASE IF EXISTS legacy WITH (FORCE);' },
        { sql: 'DROP DATABASE legacy', dialect: 'mysql' },
        { sql: 'DROP SCHEMA IF EXISTS legacy', dialect: 'mysql' },
      ],
      good: [{ sql: 'CREATE DATABASE app;' }, { sql: 'DROP TABLE legacy_users', dialect: 'mysql', path: 'other.sql' }],
    },
  },
  kinds: ['DropdbStmt'],
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
    const d = pgNode(stmt, 'DropdbStmt');
    if (d) {
      const force = (d.options ?? []).some((o: any) => o?.DefElem?.defname === 'force') ? ' with FORCE (open connections are terminated)' : '';
      report({ message: `Drops database ${d.dbname ?? '?'} and every table in it${force}${where}.` });
    }
    if (stmt.ast?.type === 'drop' && /^(database|schema)$/i.test(stmt.ast.keyword ?? '')) {
      const n = Array.isArray(stmt.ast.name) ? stmt.ast.name.map((x: any) => x?.table ?? x?.value ?? x).join(', ') : String(stmt.ast.name?.value ?? stmt.ast.name ?? '?');
      const alias = /^schema$/i.test(stmt.ast.keyword) ? ' (DROP SCHEMA is DROP DATABASE here)' : '';
      report({ message: `Drops database ${n}${alias} and every table in it${where}.` });
    }
  },
  lexical: [/\bdrop\s+database\b/],
};
export default rule;
