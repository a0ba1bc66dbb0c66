import { nestedSuffix } from '../src/sql/ast.js';
import { unnamedEffects, what } from '../src/state/catalog.js';
import type { Rule } from '../src/types.js';

const DATA = new Set(['table', 'column', 'schema', 'materialized view', 'sequence', 'foreign table', 'view', 'function', 'type', 'database']);

const rule: Rule = {
  meta: {
    id: 'catalog-drop',
    category: 'destructive',
    severity: 'error',
    summary: 'Replaying the migration shows it drops an object that existed before it, though no statement spells that drop',
    rationale:
      'migration-gate replays the migration history and the change in an embedded, sandboxed PostgreSQL or SQLite and compares the ' +
      'catalog before and after each statement. A table, column, schema or view that existed before the migration and is gone after ' +
      'a statement is reported here when the statement does not name it as DDL — it was dropped through EXECUTE format(…), a function ' +
      'call, CASCADE, or another indirect way that no statement rule reads. Identity is by object id, so a re-created name does not hide it.',
    fix: 'Make the drop explicit and reviewable (a plain DROP statement), or get this migration approved.',
    examples: {
      bad: [
        { sql: "DO $$ BEGIN EXECUTE format('DROP SCHEMA %I CASCADE', current_schema()); END $$;" },
        { sql: "CREATE FUNCTION wipe() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'DROP SCHEMA ' || 'public CASCADE'; END $$;\nSELECT wipe();" },
      ],
      good: [
        { sql: "CREATE TABLE t (id int);\nDO $$ BEGIN EXECUTE 'DROP TABLE ' || 't'; END $$;" },
        { sql: 'CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN c int;' },
      ],
    },
  },
  check(stmt, { report }) {
    for (const e of unnamedEffects(stmt)) {
      if (e.change !== 'dropped' || !DATA.has(e.kind) || !e.preexisting) continue;
      report({ message: `Drops ${what(e)}, which existed before this migration, without naming it (seen by replaying the migration)${nestedSuffix(stmt)}.`, key: e.object });
    }
  },
};
export default rule;
