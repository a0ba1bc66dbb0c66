// Roles worth naming in privilege findings: PostgreSQL's predefined roles and managed services'
// administrator roles.

/**
 * PostgreSQL predefined roles (and well-known administrative roles of managed services) that
 * give more than ordinary table access. `high` marks roles that reach outside the database's
 * permission system (files, programs, every table, other sessions) or amount to administration.
 */
export const NOTABLE_ROLES: Record<string, { what: string; high: boolean }> = {
  pg_read_server_files: { what: 'can read any file the database server can (COPY FROM file, pg_read_file)', high: true },
  pg_write_server_files: { what: 'can write any file the database server can (COPY TO file)', high: true },
  pg_execute_server_program: { what: 'can run programs on the database server as its OS user (COPY … PROGRAM)', high: true },
  pg_read_all_data: { what: 'can read every table, view and sequence', high: true },
  pg_write_all_data: { what: 'can write every table, view and sequence', high: true },
  pg_signal_backend: { what: 'can cancel queries and terminate other sessions', high: true },
  pg_create_subscription: { what: 'can create logical replication subscriptions (outbound connections)', high: true },
  pg_maintain: { what: 'can VACUUM, ANALYZE, CLUSTER, REFRESH, REINDEX and LOCK every relation', high: false },
  pg_checkpoint: { what: 'can run CHECKPOINT', high: false },
  pg_monitor: { what: 'can read monitoring views, including other sessions’ query text', high: false },
  pg_read_all_settings: { what: 'can read every configuration setting', high: false },
  pg_read_all_stats: { what: 'can read all statistics views, including other sessions’ query text', high: false },
  pg_stat_scan_tables: { what: 'can run monitoring functions that take locks', high: false },
  pg_use_reserved_connections: { what: 'can use connection slots reserved for administrators', high: false },
  pg_database_owner: { what: 'owner of the current database', high: true },
  postgres: { what: 'usually the superuser', high: true },
  rds_superuser: { what: 'Amazon RDS administrator role', high: true },
  rds_replication: { what: 'can manage logical replication (Amazon RDS)', high: true },
  cloudsqlsuperuser: { what: 'Cloud SQL administrator role', high: true },
  azure_pg_admin: { what: 'Azure administrator role', high: true },
  supabase_admin: { what: 'Supabase administrator role', high: true },
};

/** ' (can read any file …)' for notable roles, '' otherwise. */
export function roleNote(name: string): { text: string; high: boolean } {
  const n = NOTABLE_ROLES[name.toLowerCase()];
  return n ? { text: ` (${n.what})`, high: n.high } : { text: '', high: false };
}

/**
 * REVOKE cannot open a hole (PostgreSQL and MySQL have no deny rules) but can cut a service off its
 * data in production: it gates like a GRANT, at a lower risk level, except when it only runs on
 * rollback (a down migration revoking what its up migration granted).
 */
export const REVOKE_NOTE = ' (lower risk: it only narrows access, but can cut a service or role off data it still needs)';
export function revokeSeverity(stmt: { unit: { down: boolean } }): 'error' | 'warning' {
  return stmt.unit.down ? 'warning' : 'error';
}
