import { nestedSuffix, pgNode, roleName } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';

const rule: Rule = {
  meta: {
    id: 'drop-owned',
    category: 'destructive',
    severity: 'error',
    summary: 'DROP OWNED BY: drops every object a role owns in the database',
    rationale:
      'DROP OWNED BY role drops all tables, views, sequences and functions owned by the role in the current database, with their data, ' +
      'and revokes its privileges; with CASCADE objects of other roles that depend on them go too. One line can empty a schema.',
    fix: 'Use REASSIGN OWNED BY role TO other_role first, then DROP OWNED only removes privileges; review with the list of owned objects.',
    examples: {
      bad: [{ sql: 'DROP OWNED BY legacy_app;' }, { sql: 'DROP OWNED BY legacy_app CASCADE;' }],
      good: [{ sql: 'REASSIGN OWNED BY legacy_app TO app;' }],
    },
  },
  kinds: ['DropOwnedStmt'],
  check(stmt, { report }) {
    const d = pgNode(stmt, 'DropOwnedStmt');
    if (!d) return;
    const roles = (d.roles ?? []).map(roleName).join(', ');
    const cascade = d.behavior === 'DROP_CASCADE' ? ' with CASCADE (objects of other roles that depend on them are dropped too)' : '';
    report({ message: `Drops every object owned by ${roles} in this database, with their data${cascade}${nestedSuffix(stmt)}.` });
  },
  lexical: [/\bdrop\s+owned\s+by\b/],
};
export default rule;
