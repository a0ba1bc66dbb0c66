import { inside, nodeOffset, pgFunctionCalls } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';

const WHAT: Record<string, string> = {
  pg_terminate_backend: 'ends other sessions (their open transactions roll back)',
  pg_cancel_backend: 'cancels queries of other sessions',
  pg_reload_conf: 'reloads the server configuration (applies edited postgresql.conf / ALTER SYSTEM settings)',
  pg_rotate_logfile: 'rotates the server log',
  pg_promote: 'promotes a standby server to primary',
  pg_switch_wal: 'forces a WAL switch',
  pg_drop_replication_slot: 'drops a replication slot (a replica or CDC consumer loses its place)',
  pg_replication_origin_advance: 'moves a replication origin (changes are skipped or replayed)',
  pg_replication_slot_advance: 'moves a replication slot forward (its consumer skips changes)',
};

const rule: Rule = {
  meta: {
    id: 'terminate-backend',
    category: 'privilege',
    severity: 'error',
    summary: 'Acts on other sessions or the running server: pg_terminate_backend, pg_cancel_backend, pg_reload_conf, pg_drop_replication_slot, …',
    rationale:
      'pg_terminate_backend and pg_cancel_backend kill or cancel other sessions (the application’s, a replication worker’s, an auditor’s); ' +
      'pg_reload_conf applies configuration changes; replication-slot functions make replicas and change-data-capture consumers lose or skip data. ' +
      'None of them change the schema: in a migration they are an outage or an attack on other users of the server.',
    fix: 'Remove the call; let operators end sessions or manage replication, or get the step approved.',
    examples: {
      bad: [
        { sql: "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'auditor';" },
        { sql: 'SELECT pg_cancel_backend(12345);' },
        { sql: 'DO $$ BEGIN PERFORM pg_terminate_backend(pid) FROM pg_stat_activity; END $$;' },
        { sql: 'SELECT pg_reload_conf();' },
      ],
      good: [{ sql: 'SELECT pid FROM pg_stat_activity;' }, { sql: "SELECT 'pg_terminate_backend';" }],
    },
  },
  check(stmt, { report }) {
    if (!stmt.pg) return;
    for (const c of pgFunctionCalls(stmt.pg)) {
      if (c.name.includes('.') && !c.name.startsWith('pg_catalog.')) continue;
      const what = Object.prototype.hasOwnProperty.call(WHAT, c.base) ? WHAT[c.base] : undefined;
      if (what) report({ message: `Calls ${c.base}(): ${what}${inside(stmt)}.`, offset: nodeOffset(stmt, c.location), key: c.base });
    }
  },
  lexical: [new RegExp(`\\b(${Object.keys(WHAT).join('|')})\\s*\\(`)],
};
export default withDynamic(rule);
