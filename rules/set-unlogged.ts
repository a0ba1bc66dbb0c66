import { createdEarlier, nestedSuffix, nodeOffset, pgNode, rangeVarName } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';

const rule: Rule = {
  meta: {
    id: 'set-unlogged',
    category: 'integrity',
    severity: 'error',
    summary: 'Makes a table UNLOGGED (ALTER TABLE … SET UNLOGGED): its data is no longer crash-safe or replicated',
    rationale:
      'An unlogged table is not written to the WAL: after a crash or an unclean shutdown PostgreSQL empties it, and its contents never reach ' +
      'streaming replicas or point-in-time recovery (a failover promotes a replica on which the table is empty). Turning a table with real ' +
      'data unlogged trades its durability for write speed, silently.',
    fix: 'Keep the table logged; if the speed-up is really wanted for a bulk load, set it LOGGED again in the same migration and get it approved.',
    examples: {
      bad: [{ sql: 'ALTER TABLE payments SET UNLOGGED;' }, { sql: 'DO $$ BEGIN ALTER TABLE audit_log SET UNLOGGED; END $$;' }],
      good: [
        { sql: 'ALTER TABLE payments SET LOGGED;' },
        { sql: 'CREATE UNLOGGED TABLE cache_entries (k text primary key, v text);' },
        { sql: 'CREATE TABLE staging (id int); ALTER TABLE staging SET UNLOGGED;' },
      ],
    },
  },
  check(stmt, { report }) {
    const a = pgNode(stmt, 'AlterTableStmt');
    if (!a) return;
    for (const c of a.cmds ?? []) {
      if (c?.AlterTableCmd?.subtype !== 'AT_SetUnLogged') continue;
      const t = rangeVarName(a.relation);
      if (createdEarlier(stmt, t)) continue; // a table this migration just created holds no data yet
      report({ message: `Makes ${t} UNLOGGED: its rows are emptied after a crash and no longer reach replicas or backups by WAL${nestedSuffix(stmt)}.`, offset: nodeOffset(stmt, a.relation?.location), key: t });
    }
  },
  lexical: [/\balter\s+table\b[^;]*\bset\s+unlogged\b/],
};
export default rule;
