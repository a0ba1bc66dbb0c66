import type { Rule } from '../src/types.js';

const rule: Rule = {
  meta: {
    id: 'privilege-escalation-needed',
    category: 'privilege',
    severity: 'warning',
    summary: 'The migration raises what the database role running the migrations must hold: the first migration of its set that needs SUPERUSER, CREATEROLE, CREATEDB, REPLICATION, BYPASSRLS or CREATE on the database',
    rationale:
      'A dedicated migration role should hold only what the migrations need (`migration-gate privileges` prints that GRANT script). ' +
      'When a change needs more than its whole history did — an untrusted extension, an event trigger, ALTER SYSTEM, COPY … PROGRAM, ' +
      'a role with SUPERUSER (superuser-only); CREATE ROLE (CREATEROLE); CREATE DATABASE (CREATEDB); a new schema or a trusted extension ' +
      '(CREATE on the database) — the deploy either fails with "permission denied" or someone widens the production role to make it pass, ' +
      'often to SUPERUSER. This finding tells the reviewer and the DBA before the merge. It is a warning, not gating: the dangerous ' +
      'statements themselves (untrusted-language, event-trigger, server-config, copy-program, role-attributes, …) already gate with their own ' +
      'approvals; this one is about the deploy role, which is decided outside the pull request. Make it gating per rule in the policy ' +
      '(`rules: { privilege-escalation-needed: { severity: error, gating: true } }`) where any widening of the migration role must be approved.',
    fix:
      'Keep the migration role narrow: move superuser-only steps (extensions, server settings, event triggers) to reviewed provisioning run ' +
      'by a DBA, or grant the one new privilege deliberately; regenerate the role\'s grants with `migration-gate privileges` and compare.',
    examples: {
      bad: [
        { sql: 'CREATE EXTENSION postgis;' },
        { sql: "CREATE ROLE reporting NOLOGIN;" },
        { sql: 'CREATE TABLE t (id int);\nALTER SYSTEM SET work_mem = \'64MB\';' },
        { sql: 'CREATE SCHEMA billing;' },
        { sql: 'CREATE USER app;', dialect: 'mysql' },
      ],
      good: [
        { sql: 'CREATE TABLE t (id int PRIMARY KEY, owner int REFERENCES t (id));\nCREATE INDEX t_owner ON t (owner);' },
        { sql: 'ALTER TABLE t ADD COLUMN email text;' },
        { sql: 'CREATE TABLE t (id int);', dialect: 'mysql' },
        { sql: 'SET search_path TO public;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS \'select 1\';' },
      ],
    },
  },
  check(stmt, { report }) {
    const ctx = stmt.scope?.privileges;
    const raised = ctx?.raised.get(stmt);
    if (!ctx || !raised) return;
    for (const r of raised) {
      const before = ctx.before.length ? `its history needed only ${ctx.before.join(', ')}` : 'nothing before it in its history needed more than ownership of what it creates';
      const known = ctx.historyFiles ? `${ctx.historyFiles} earlier migration${ctx.historyFiles === 1 ? '' : 's'} read` : 'no earlier migration of its set is known';
      report({
        message: `The migration role must now hold ${r.level}: ${r.need.reason}. ${before.charAt(0).toUpperCase()}${before.slice(1)} (${known}).`,
        key: r.level,
      });
    }
  },
};
export default rule;
