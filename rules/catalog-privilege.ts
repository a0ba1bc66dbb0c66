import { nestedSuffix } from '../src/sql/ast.js';
import { unnamedEffects, what } from '../src/state/catalog.js';
import type { Rule } from '../src/types.js';

/** Catalog changes that give someone more power, whoever the object belongs to. */
const GAINS = new Set(['acl-granted', 'attribute-granted', 'member-added', 'owner-changed', 'security-definer', 'rls-disabled', 'rls-unforced']);

const rule: Rule = {
  meta: {
    id: 'catalog-privilege',
    category: 'privilege',
    severity: 'error',
    summary: 'Replaying the migration shows a privilege change that no statement spells (grants, role attributes, memberships, ownership, RLS, SECURITY DEFINER)',
    rationale:
      'The sandboxed replay compares ACLs, default privileges, role attributes and memberships, owners, row level security and ' +
      'SECURITY DEFINER before and after each statement. A gain of privilege reached without GRANT/ALTER ROLE syntax — through ' +
      'EXECUTE format(…), a function call, an event trigger or a write to the catalogs — is invisible to statement rules but plain ' +
      'in its effect: "analyst gains SELECT on table public.users".',
    fix: 'Spell the privilege change as a plain GRANT/ALTER statement so it is reviewed as such, or get this migration approved by the privilege reviewers.',
    examples: {
      bad: [
        { sql: "DO $$ BEGIN EXECUTE format('GRANT ALL ON SCHEMA %I TO PUBLIC', current_schema()); END $$;" },
        { sql: "CREATE ROLE analyst;\nDO $$ BEGIN EXECUTE format('ALTER ROLE %I SUPERUSER', 'analyst'); END $$;" },
      ],
      good: [{ sql: "CREATE TABLE t (id int);\nDO $$ BEGIN EXECUTE 'ALTER TABLE t ADD COLUMN c int'; END $$;" }, { sql: 'CREATE ROLE analyst NOLOGIN;' }],
    },
  },
  check(stmt, { report }) {
    for (const e of unnamedEffects(stmt)) {
      if (!GAINS.has(e.change)) continue;
      // An index has no owner of its own: PostgreSQL gives it its table's, and changes it only with the
      // table's (tablecmds.c ATExecChangeOwner: "If we are operating on a table …, also change the
      // ownership of any indexes"; on an index alone it warns and changes nothing). The table's change says it once.
      if (e.change === 'owner-changed' && e.kind === 'index') continue;
      report({ message: `${e.detail ?? e.change} (${what(e)}), seen by replaying the migration; no statement spells it${nestedSuffix(stmt)}.`, key: `${e.change}:${e.object}:${e.detail ?? ''}` });
    }
  },
};
export default rule;
