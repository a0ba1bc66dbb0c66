import { nestedSuffix } from '../src/sql/ast.js';
import { unnamedEffects, what } from '../src/state/catalog.js';
import type { Rule } from '../src/types.js';

/** Changes that weaken integrity or reach outside the database, and whether they matter on objects the migration itself created. */
const CHANGES: Record<string, { anyObject: boolean }> = {
  'trigger-disabled': { anyObject: false },
  'rule-disabled': { anyObject: false },
  'persistence-changed': { anyObject: false },
  'sequence-reset': { anyObject: false },
  'setting-changed': { anyObject: true },
  'body-replaced': { anyObject: false },
};
const CREATED = new Set(['publication', 'subscription', 'event trigger']);

const rule: Rule = {
  meta: {
    id: 'catalog-integrity',
    category: 'integrity',
    severity: 'error',
    summary: 'Replaying the migration shows an integrity change that no statement spells (triggers disabled, UNLOGGED, sequence reset, settings, publications, event triggers, replaced functions)',
    rationale:
      'The sandboxed replay compares triggers, persistence, sequences, role and database settings, publications, subscriptions, event ' +
      'triggers and function bodies before and after each statement. When one of them changes and the statement does not name the ' +
      'object as DDL — the change came through EXECUTE, a function call or the catalogs — statement rules cannot see it; its effect shows.',
    fix: 'Spell the change as a plain statement so it is reviewed as such, or get this migration approved.',
    examples: {
      bad: [
        { sql: "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET session_replication_role = replica', current_database()); END $$;" },
        { sql: "DO $$ BEGIN EXECUTE format('CREATE PUBLICATION %I FOR ALL TABLES', 'leak_' || current_database()); END $$;" },
      ],
      good: [{ sql: "CREATE TABLE t (id int);\nDO $$ BEGIN EXECUTE 'ALTER TABLE t SET UNLOGGED'; END $$;" }, { sql: 'CREATE TABLE t (id int);' }],
    },
  },
  check(stmt, { report }) {
    for (const e of unnamedEffects(stmt)) {
      const c = CHANGES[e.change];
      const made = e.change === 'created' && CREATED.has(e.kind);
      if (!made && !(c && (c.anyObject || e.preexisting))) continue;
      const detail = made ? `creates ${what(e)}` : `${what(e)}: ${e.detail ?? e.change}`;
      report({ message: `${detail.replace(/^./, (x) => x.toUpperCase())}, seen by replaying the migration; no statement spells it${nestedSuffix(stmt)}.`, severity: e.change === 'body-replaced' ? 'warning' : undefined, key: `${e.change}:${e.object}` });
    }
  },
};
export default rule;
