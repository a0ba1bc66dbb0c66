import { inside, pgNode, rangeVarName } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';

const rule: Rule = {
  meta: {
    id: 'rls-disabled',
    category: 'privilege',
    severity: 'error',
    summary: 'Disables row-level security on a table (DISABLE / NO FORCE ROW LEVEL SECURITY)',
    rationale:
      'With row-level security disabled, none of the table’s policies apply: every role with a table privilege sees and changes every row ' +
      '(in multi-tenant schemas, every tenant’s rows). NO FORCE ROW LEVEL SECURITY exempts the table owner from the policies again.',
    fix: 'Keep RLS enabled and change the policies instead; if it must be disabled, get it approved and re-enable it in the same release.',
    examples: {
      bad: [
        { sql: 'ALTER TABLE public.profiles DISABLE ROW LEVEL SECURITY;' },
        { sql: 'ALTER TABLE accounts NO FORCE ROW LEVEL SECURITY;' },
        { sql: "DO $$ BEGIN EXECUTE 'ALTER TABLE t DISABLE ROW LEVEL SECURITY'; END $$;" },
      ],
      good: [{ sql: 'ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;' }, { sql: 'ALTER TABLE t FORCE ROW LEVEL SECURITY;' }],
    },
  },
  kinds: ['AlterTableStmt'],
  check(stmt, { report }) {
    const a = pgNode(stmt, 'AlterTableStmt');
    if (!a) return;
    const table = rangeVarName(a.relation);
    for (const c of a.cmds ?? []) {
      const t = c?.AlterTableCmd?.subtype;
      if (t === 'AT_DisableRowSecurity') {
        report({ message: `Disables row-level security on ${table}: its policies stop applying and every role with a privilege on it sees all rows${inside(stmt)}.`, key: 'disable' });
      } else if (t === 'AT_NoForceRowSecurity') {
        report({ message: `NO FORCE ROW LEVEL SECURITY on ${table}: the table owner is no longer subject to its policies${inside(stmt)}.`, key: 'noforce' });
      }
    }
  },
  lexical: [/\b(disable|no\s+force)\s+row\s+level\s+security\b/],
};
export default withDynamic(rule);
