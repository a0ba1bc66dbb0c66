// What a migration role must hold: the shared vocabulary of the derivation (derive.ts), the GRANT
// script (grants.ts) and the privilege-escalation-needed rule. Pure data, no I/O.

/** Where a need comes from: a statement of a migration file. */
export interface Site {
  path: string;
  line: number;
}

/**
 * One thing the migration role must hold.
 * - `role-attribute`: CREATEROLE, CREATEDB, REPLICATION, BYPASSRLS (PostgreSQL role attributes);
 * - `role-setting`: a setting of the role itself (createrole_self_grant, PG16+: SET on the roles it creates);
 * - `database`: CREATE / TEMPORARY / ownership on the database the migrations run in;
 * - `schema`: CREATE / USAGE on a schema it did not create;
 * - `ownership`: an object it ALTERs, DROPs, indexes, comments on… that it did not create;
 * - `object`: a privilege on an object it did not create (REFERENCES, SELECT, INSERT, TRIGGER…),
 *   `grantOption` when the migrations GRANT it to others;
 * - `membership`: a role it must be a member of (SET ROLE, OWNER TO, AUTHORIZATION), `admin` for
 *   GRANT role TO / ALTER ROLE of a role it did not create;
 * - `superuser`: only a superuser can run the statement (not grantable here; listed with file and line);
 * - `unverified`: a statement whose needs could not be read (not parsed, dynamic SQL): fail closed;
 * - `mysql`: a MySQL/MariaDB privilege on the database (`*.*` when `global`).
 */
export type NeedKind = 'role-attribute' | 'role-setting' | 'database' | 'schema' | 'ownership' | 'object' | 'membership' | 'superuser' | 'unverified' | 'mysql';

export interface Need {
  kind: NeedKind;
  /** The privilege or attribute: 'CREATE', 'USAGE', 'REFERENCES', 'CREATEROLE', 'OWNER', 'SUPERUSER', … */
  privilege: string;
  /** The object it is on: `{ type: 'table', name: 'public.users' }`; none for role attributes and the database. */
  object?: { type: string; name: string };
  /** Held WITH GRANT OPTION (object privileges the migrations grant on) or WITH ADMIN OPTION (memberships). */
  grantOption?: boolean;
  /** MySQL: a global privilege (`ON *.*`), not one on the database. */
  global?: boolean;
  /** The first statement that needs it. */
  site: Site;
  /** How many statements need it. */
  count: number;
  /** Superuser-only and not-derived needs: every statement (file and line), the first 500. */
  sites?: Site[];
  /** Why (for the text output and the superuser list): 'CREATE EXTENSION postgis (not a trusted extension)'. */
  reason: string;
}

/** The needs of a migration set (or of the files given, in run order). */
export interface Requirements {
  /** 'postgresql', 'mysql', 'sqlite', …: the GRANT syntax follows it. */
  dialect: string;
  /** The migration set it was derived from (`prisma:db/migrations`), '' for loose files. */
  set: string;
  files: number;
  statements: number;
  /** In first-seen order. */
  needs: Need[];
}

export function needKey(n: Pick<Need, 'kind' | 'privilege' | 'object' | 'grantOption' | 'global' | 'reason'>): string {
  // Superuser-only and not-derived needs are kept apart by what they are about.
  // (Array.join's reading of a missing part: the empty string.)
  const about = n.kind === 'superuser' || n.kind === 'unverified' ? (n.reason ?? '') : '';
  return `${n.kind ?? ''}\0${n.privilege ?? ''}\0${about}\0${n.object?.type ?? ''}\0${n.object?.name ?? ''}\0${n.grantOption ? 'g' : ''}\0${n.global ? 'G' : ''}`;
}

/**
 * The role-level "height" of a need, for the escalation rule: what a DBA grants to a role as a
 * whole, not on one object. SUPERUSER above everything; then the role attributes; then CREATE on
 * the database (new schemas, trusted extensions, publications). Object-level needs are none.
 */
export function levelOf(n: Need): string | undefined {
  if (n.kind === 'superuser') return 'SUPERUSER';
  if (n.kind === 'role-attribute') return n.privilege;
  if (n.kind === 'database' && n.privilege === 'CREATE') return 'CREATE on the database';
  if (n.kind === 'database' && n.privilege === 'OWNER') return 'ownership of the database';
  if (n.kind === 'mysql' && n.global) return `${n.privilege} (global)`;
  return undefined;
}
