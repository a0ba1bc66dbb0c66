// `migration-gate privileges --database-url`: what a live PostgreSQL role really holds, read with
// catalog queries only. The session is read-only three ways: `default_transaction_read_only`,
// one `BEGIN READ ONLY` transaction that is rolled back, and nothing but SELECTs on catalogs and
// the `has_*_privilege` / `pg_has_role` functions. The client is node-postgres (`pg`), bundled.
//
// PostgreSQL references: the access privilege inquiry functions
// (https://www.postgresql.org/docs/current/functions-info.html#FUNCTIONS-INFO-ACCESS-TABLE),
// pg_auth_members / pg_roles / aclexplode / acldefault
// (https://www.postgresql.org/docs/current/catalog-pg-auth-members.html), role membership and
// inheritance (https://www.postgresql.org/docs/current/role-membership.html), predefined roles
// (https://www.postgresql.org/docs/current/predefined-roles.html). Ownership checks are made with
// `pg_has_role(role, owner, 'USAGE')`: PostgreSQL lets a role alter an object when it has the
// privileges of the owner (has_privs_of_role: membership with inheritance).
import pg from 'pg';
import type { Need } from './needs.js';

/** A connection or query problem: the message never carries the URL or the password. */
export class LiveError extends Error {}

export interface Target {
  /** What error messages name: `host:port` (or the socket directory), never the URL. */
  host: string;
  url: string;
}

/**
 * The URL as the user gave it, checked: PostgreSQL (`postgres://`, `postgresql://`) only; MySQL
 * and MariaDB URLs are refused with their own message. Errors never echo the URL.
 */
export function parseDatabaseUrl(url: string): Target {
  let u: URL;
  // libpq allows an empty host (`postgres://user@/db?host=/run/postgresql`, `postgres:///db`); WHATWG URL does not.
  const hosted = url.replace(/^(postgres(?:ql)?:\/\/(?:[^/?#@]*@)?)(?=[/?#]|$)/i, '$1localhost');
  const noHost = hosted !== url;
  try {
    u = new URL(hosted);
  } catch {
    throw new LiveError('--database-url is not a valid URL (expected postgres://USER@HOST:PORT/DATABASE)');
  }
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  if (scheme === 'mysql' || scheme === 'mariadb' || scheme === 'mysqlx')
    throw new LiveError(
      `--database-url: ${scheme}:// is not supported: the live comparison reads PostgreSQL catalogs only. For MySQL/MariaDB compare the script (without --database-url) with SHOW GRANTS FOR CURRENT_USER() by hand`,
    );
  if (scheme !== 'postgres' && scheme !== 'postgresql') throw new LiveError(`--database-url: unsupported scheme '${scheme.replace(/[^a-z0-9+.-]/g, '?').slice(0, 20)}' (expected postgres:// or postgresql://)`);
  const socket = u.searchParams.get('host');
  const host = !noHost ? `${u.hostname}${u.port ? `:${u.port}` : ''}` : socket ? socket : 'localhost (default socket)';
  return { host, url };
}

/** `s` without the URL, its password (raw and decoded) or its user:password part. */
export function redact(s: string, url: string): string {
  let out = s;
  const secrets = new Set<string>([url]);
  try {
    const u = new URL(url);
    if (u.password) {
      secrets.add(u.password);
      try {
        secrets.add(decodeURIComponent(u.password));
      } catch {
        /* a malformed escape: the raw form is redacted */
      }
    }
    const qp = u.searchParams.get('password');
    if (qp) secrets.add(qp);
  } catch {
    /* not a URL: only the whole string is redacted */
  }
  for (const x of [...secrets].filter((x) => x.length >= 1).sort((a, b) => b.length - a.length)) out = out.split(x).join('***');
  return out.replace(/(\w+:\/\/[^:@/\s]*:)[^@\s]*@/g, '$1***@');
}

export interface Timeouts {
  connectMs: number;
  statementMs: number;
}

/** A read-only session: connected, `default_transaction_read_only = on`, statement and lock timeouts, inside `BEGIN READ ONLY`. */
export async function connectReadOnly(target: Target, t: Timeouts): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: target.url,
    connectionTimeoutMillis: t.connectMs,
    query_timeout: t.statementMs + 2000,
    application_name: 'migration-gate privileges',
  });
  // A connection error after connect (server restart) must not crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SET default_transaction_read_only = on');
    await client.query(`SET statement_timeout = ${Math.max(1, Math.floor(t.statementMs))}`);
    await client.query('SET lock_timeout = 5000');
    await client.query('BEGIN READ ONLY');
  } catch (e) {
    await client.end().catch(() => {});
    throw new LiveError(`cannot connect to ${target.host}: ${reason(e, target.url)}`);
  }
  return client;
}

/** One line: the driver's message (or its code), redacted. */
export function reason(e: unknown, url: string): string {
  const err = e as NodeJS.ErrnoException & { code?: string };
  let m = (err?.message || err?.code || String(e)).split('\n')[0];
  if (!m && (e as AggregateError)?.errors?.length) m = ((e as AggregateError).errors[0] as Error).message;
  if (/timeout/i.test(m) && /connect/i.test(m)) m = 'connection timed out';
  return redact(m || 'unknown error', url).slice(0, 300);
}

export interface LiveRole {
  name: string;
  /** The role inspected is the session's own (no --role, or --role names current_user). */
  current: boolean;
  superuser: boolean;
  inherit: boolean;
  createrole: boolean;
  createdb: boolean;
  replication: boolean;
  bypassrls: boolean;
  login: boolean;
}

export interface LiveMembership {
  role: string;
  /** From the inspected role to this one: `[direct, …, role]`. */
  path: string[];
  admin: boolean;
  /** Its privileges are the inspected role's (inheritance along the path). */
  inherited: boolean;
  superuser: boolean;
  /** A predefined role (pg_write_all_data, pg_read_server_files, …). */
  predefined: boolean;
}

export interface LiveSchema {
  name: string;
  owner: string;
  owns: boolean;
  create: boolean;
  usage: boolean;
  /** Privileges granted to PUBLIC (every role has them). */
  publicPrivileges: string[];
}

export interface LiveObject {
  /** 'table', 'view', 'materialized view', 'sequence', 'foreign table', 'function', 'type'. */
  type: string;
  /** `schema.name` */
  name: string;
  owner: string;
  owns: boolean;
  /** Privileges granted to the role or to roles whose privileges it has (not PUBLIC, not as owner); `*` marks WITH GRANT OPTION. */
  privileges: string[];
}

export type CheckStatus = 'held' | 'missing' | 'absent' | 'unchecked';
export interface NeedCheck {
  need: Need;
  status: CheckStatus;
  /** 'owned by app_owner', 'held through pg_execute_server_program', … */
  detail?: string;
}

export interface LiveState {
  server: { version: number; versionText: string; database: string; dbOwner: string };
  role: LiveRole;
  memberships: LiveMembership[];
  database: { owner: boolean; create: boolean; temporary: boolean; connect: boolean; publicPrivileges: string[] };
  schemas: LiveSchema[];
  /** Relations, functions and types in the schemas the migrations touch. */
  objects: LiveObject[];
  checks: NeedCheck[];
  /** Objects the migrations created that exist, owned by a role whose privileges the inspected role does not have. */
  createdNotOwned: { type: string; name: string; owner: string }[];
  /** Objects the migrations created that exist and the role owns. */
  createdOwned: number;
  /** Roles (the inspected one and those it inherits from) that hold each need, by need index (for "is this membership used"). */
  usedMemberships: Map<string, string[]>;
}

type Q = (sql: string, params?: unknown[]) => Promise<any[]>;

const RELKIND: Record<string, string> = { r: 'table', p: 'table', v: 'view', m: 'materialized view', S: 'sequence', f: 'foreign table', i: 'index', I: 'index', c: 'type' };
const TABLE_PRIVS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];
const SEQUENCE_PRIVS = ['USAGE', 'SELECT', 'UPDATE'];
const split = (full: string): [string, string] => {
  const i = full.indexOf('.');
  return i < 0 ? ['', full] : [full.slice(0, i), full.slice(i + 1)];
};

/** Everything the comparison needs, read in the open read-only transaction, then rolled back. */
export async function inspect(client: pg.Client, roleName: string | undefined, needs: Need[], created: { type: string; name: string }[]): Promise<LiveState> {
  const q: Q = async (sql, params) => (await client.query(sql, params as any[])).rows;
  try {
    return await read(q, roleName, needs, created);
  } finally {
    await client.query('ROLLBACK').catch(() => {});
  }
}

async function read(q: Q, roleName: string | undefined, needs: Need[], created: { type: string; name: string }[]): Promise<LiveState> {
  const head = await q(
    `SELECT r.oid::int8::text AS oid, r.rolname, r.rolname = current_user AS current, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb,
            r.rolreplication, r.rolbypassrls, r.rolcanlogin,
            current_setting('server_version_num')::int AS version, current_setting('server_version') AS version_text,
            current_database() AS db, pg_get_userbyid(d.datdba) AS db_owner, pg_has_role(r.oid, d.datdba, 'USAGE') AS owns_db,
            has_database_privilege(r.oid, d.oid, 'CREATE') AS db_create, has_database_privilege(r.oid, d.oid, 'TEMPORARY') AS db_temp,
            has_database_privilege(r.oid, d.oid, 'CONNECT') AS db_connect,
            ARRAY(SELECT a.privilege_type FROM aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a WHERE a.grantee = 0) AS db_public
       FROM pg_roles r, pg_database d
      WHERE r.rolname = coalesce($1::text, current_user) AND d.datname = current_database()`,
    [roleName ?? null],
  );
  if (!head.length) throw new LiveError(`role '${(roleName ?? '').replace(/[^\x20-\x7e]/g, '?').slice(0, 80)}' does not exist in this database cluster`);
  const h = head[0];
  const oid = h.oid as string;
  const role: LiveRole = {
    name: h.rolname,
    current: h.current,
    superuser: h.rolsuper,
    inherit: h.rolinherit,
    createrole: h.rolcreaterole,
    createdb: h.rolcreatedb,
    replication: h.rolreplication,
    bypassrls: h.rolbypassrls,
    login: h.rolcanlogin,
  };
  const version = Number(h.version);
  const memberships: LiveMembership[] = (
    await q(
      `WITH RECURSIVE m(roleid, path, admin, depth) AS (
         SELECT am.roleid, ARRAY[am.roleid], am.admin_option, 1 FROM pg_auth_members am WHERE am.member = $1::oid
         UNION ALL
         SELECT am.roleid, m.path || am.roleid, am.admin_option, m.depth + 1
           FROM pg_auth_members am JOIN m ON am.member = m.roleid
          WHERE NOT am.roleid = ANY(m.path) AND m.depth < 32)
       SELECT DISTINCT ON (r.rolname) r.rolname, r.rolsuper, r.oid < 16384 AS predefined, m.admin,
              ARRAY(SELECT pg_get_userbyid(x)::text FROM unnest(m.path) WITH ORDINALITY u(x, i) ORDER BY i) AS path,
              pg_has_role($1::oid, r.oid, 'USAGE') AS inherited
         FROM m JOIN pg_roles r ON r.oid = m.roleid
        ORDER BY r.rolname, m.depth, m.admin DESC`,
      [oid],
    )
  ).map((r) => ({ role: r.rolname, path: r.path, admin: r.admin, inherited: r.inherited, superuser: r.rolsuper, predefined: r.predefined }));
  const schemas: LiveSchema[] = (
    await q(
      `SELECT n.nspname, pg_get_userbyid(n.nspowner) AS owner, pg_has_role($1::oid, n.nspowner, 'USAGE') AS owns,
              has_schema_privilege($1::oid, n.oid, 'CREATE') AS can_create, has_schema_privilege($1::oid, n.oid, 'USAGE') AS can_use,
              ARRAY(SELECT a.privilege_type FROM aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a WHERE a.grantee = 0) AS public_privs
         FROM pg_namespace n
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname !~ '^pg_(toast_)?temp_'
        ORDER BY 1`,
      [oid],
    )
  ).map((r) => ({ name: r.nspname, owner: r.owner, owns: r.owns, create: r.can_create, usage: r.can_use, publicPrivileges: r.public_privs }));

  // The schemas the migrations touch: those of their needs and of what they create (public when none).
  const touched = new Set<string>();
  for (const n of needs) {
    if (!n.object) continue;
    if (n.object.type === 'schema' || n.object.type.startsWith('every ')) touched.add(n.object.name);
    else if (n.object.name.includes('.')) touched.add(split(n.object.name)[0]);
  }
  for (const c of created) {
    if (c.type === 'schema') touched.add(c.name);
    else if (c.name.includes('.')) touched.add(split(c.name)[0]);
  }
  if (!touched.size) touched.add('public');
  const privsOf = (acl: string, owner: string) =>
    `ARRAY(SELECT DISTINCT a.privilege_type || CASE WHEN a.is_grantable THEN '*' ELSE '' END FROM aclexplode(${acl}) a
            WHERE a.grantee <> 0 AND a.grantee <> ${owner} AND pg_has_role($1::oid, a.grantee, 'USAGE'))`;
  const objects: LiveObject[] = (
    await q(
      `SELECT c.relkind::text AS kind, n.nspname || '.' || c.relname AS name, pg_get_userbyid(c.relowner) AS owner,
              pg_has_role($1::oid, c.relowner, 'USAGE') AS owns, ${privsOf('c.relacl', 'c.relowner')} AS privs
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($2::text[]) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
          -- a serial or identity column's sequence: its owner follows the table's (ALTER TABLE … OWNER TO moves it)
          AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                                  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
       UNION ALL
       SELECT 'function', n.nspname || '.' || p.proname, pg_get_userbyid(p.proowner), pg_has_role($1::oid, p.proowner, 'USAGE'),
              ${privsOf('p.proacl', 'p.proowner')}
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = ANY($2::text[])
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
       UNION ALL
       SELECT 'type', n.nspname || '.' || t.typname, pg_get_userbyid(t.typowner), pg_has_role($1::oid, t.typowner, 'USAGE'),
              ${privsOf('t.typacl', 't.typowner')}
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = ANY($2::text[]) AND t.typtype IN ('d', 'e', 'r', 'm')
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
        ORDER BY 2, 1`,
      [oid, [...touched]],
    )
  ).map((r) => ({ type: RELKIND[r.kind] ?? r.kind, name: r.name, owner: r.owner, owns: r.owns, privileges: r.privs }));

  const state: LiveState = {
    server: { version, versionText: h.version_text, database: h.db, dbOwner: h.db_owner },
    role,
    memberships,
    database: { owner: h.owns_db, create: h.db_create, temporary: h.db_temp, connect: h.db_connect, publicPrivileges: h.db_public },
    schemas,
    objects,
    checks: [],
    createdNotOwned: [],
    createdOwned: 0,
    usedMemberships: new Map(),
  };
  // Each need, checked for the role; then, for the roles it is a member of, which of them hold it
  // (a membership that provides a needed privilege or ownership is not excess).
  const candidates = memberships.filter((m) => m.inherited && !m.predefined).map((m) => m.role);
  for (const need of needs) {
    const c = await checkNeed(q, oid, role, need, state);
    state.checks.push(c);
    if (c.status !== 'held' || role.superuser) continue;
    for (const r of candidates) {
      const ro = (await q(`SELECT oid::int8::text AS oid FROM pg_roles WHERE rolname = $1`, [r]))[0]?.oid;
      if (!ro) continue;
      const viaRole = await checkNeed(q, ro, { ...role, name: r, superuser: false }, need, state, true);
      if (viaRole.status === 'held') state.usedMemberships.set(r, [...(state.usedMemberships.get(r) ?? []), describe(need)]);
    }
  }
  // What the migrations created: where the history has run, the role must own it (the next
  // migration that alters or drops it would fail otherwise).
  const byType = new Map<string, string[]>();
  for (const c of created) byType.set(c.type, [...(byType.get(c.type) ?? []), c.name]);
  const owners = new Map<string, Owner>();
  for (const [type, fulls] of byType) for (const [k, o] of await ownersOf(q, oid, type, [...new Set(fulls)])) owners.set(`${type}:${k}`, o);
  for (const c of created) {
    const found = owners.get(`${c.type}:${c.name}`);
    // Indexes and a serial or identity column's sequence belong to their table's owner.
    if (!found || found.follows) continue;
    if (found.owns) state.createdOwned++;
    else state.createdNotOwned.push({ type: found.type, name: c.name, owner: found.owner });
  }
  return state;
}

/** The predefined role a superuser-only need can be delegated to, as derive.ts names it at the end of its reason: `… (superuser or pg_execute_server_program)`. */
export function delegatedRole(reason: string): string | undefined {
  return /\((?:superuser or |superuser; PG16\+: )?(pg_[a-z_]+)(?:;[^()]*)?\)$/.exec(reason)?.[1];
}

/** 'CREATE on schema public', 'owner of table public.users', … */
export function describe(n: Need): string {
  switch (n.kind) {
    case 'role-attribute':
      return n.privilege;
    case 'role-setting':
      return `createrole_self_grant = 'set, inherit'`;
    case 'database':
      return n.privilege === 'OWNER' ? 'owner of the database' : `${n.privilege} on the database`;
    case 'schema':
      return `${n.privilege} on schema ${n.object!.name}`;
    case 'object':
      return `${n.privilege} on ${n.object!.type} ${n.object!.name}${n.grantOption ? ' WITH GRANT OPTION' : ''}`;
    case 'membership':
      return `member of ${n.object!.name}${n.grantOption ? ' WITH ADMIN OPTION' : ''}`;
    case 'ownership':
      return `owner of ${n.object!.type} ${n.object!.name}`;
    case 'superuser':
      return `SUPERUSER (${n.reason})`;
    case 'unverified':
      return `not derived: ${n.reason}`;
    default:
      return `${n.privilege}${n.global ? ' ON *.*' : ''}`;
  }
}

type Owner = { type: string; owner: string; owns: boolean; follows: boolean };

async function ownerOf(q: Q, role: string, type: string, full: string): Promise<Owner | undefined> {
  return (await ownersOf(q, role, type, [full])).get(full);
}

/** The owner of each named object of one catalog, in one query: `schema.name` (or the bare name of a schema, extension, publication, server). */
async function ownersOf(q: Q, role: string, type: string, fulls: string[]): Promise<Map<string, Owner>> {
  const out = new Map<string, Owner>();
  if (!fulls.length) return out;
  const schemas = fulls.map((f) => split(f)[0]);
  const names = fulls.map((f) => split(f)[1]);
  const inSchema = (catalog: string, ns: string, nm: string, own: string, kind: string, extra = 'false') =>
    q(
      `SELECT x.k, ${kind} AS kind, pg_get_userbyid(o.${own}) AS owner, pg_has_role($1::oid, o.${own}, 'USAGE') AS owns, ${extra} AS follows
         FROM unnest($2::text[], $3::text[], $4::text[]) x(k, sch, nam)
         JOIN pg_namespace n ON n.nspname = x.sch JOIN ${catalog} o ON o.${ns} = n.oid AND o.${nm} = x.nam`,
      [role, fulls, schemas, names],
    );
  const named = (catalog: string, nm: string, own: string, kind: string) =>
    q(
      `SELECT x.k, '${kind}' AS kind, pg_get_userbyid(o.${own}) AS owner, pg_has_role($1::oid, o.${own}, 'USAGE') AS owns, false AS follows
         FROM unnest($2::text[]) x(k) JOIN ${catalog} o ON o.${nm} = x.k`,
      [role, fulls],
    );
  let rows: any[] = [];
  if (type === 'rel')
    rows = await inSchema(
      'pg_class',
      'relnamespace',
      'relname',
      'relowner',
      'o.relkind::text',
      `o.relkind IN ('i', 'I') OR (o.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = o.oid
                                                               AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))`,
    );
  else if (type === 'type') rows = await inSchema('pg_type', 'typnamespace', 'typname', 'typowner', `'type'`);
  else if (type === 'function') rows = await inSchema('pg_proc', 'pronamespace', 'proname', 'proowner', `'function'`);
  else if (type === 'schema') rows = await named('pg_namespace', 'nspname', 'nspowner', 'schema');
  else if (type === 'extension') rows = await named('pg_extension', 'extname', 'extowner', 'extension');
  else if (type === 'publication') rows = await named('pg_publication', 'pubname', 'pubowner', 'publication');
  else if (type === 'server') rows = await named('pg_foreign_server', 'srvname', 'srvowner', 'server');
  const by = new Map<string, any[]>();
  for (const r of rows) by.set(r.k, [...(by.get(r.k) ?? []), r]);
  for (const [k, rs] of by) {
    // Overloaded functions: every one must be owned.
    const notOwned = rs.find((r) => !r.owns);
    out.set(k, { type: RELKIND[rs[0].kind] ?? rs[0].kind, owner: (notOwned ?? rs[0]).owner, owns: !notOwned, follows: rs.every((r) => r.follows === true) });
  }
  return out;
}

const OWN_KINDS: Record<string, string> = {
  table: 'rel', view: 'rel', 'materialized view': 'rel', sequence: 'rel', 'foreign table': 'rel', index: 'rel',
  type: 'type', domain: 'type', function: 'function', procedure: 'function', routine: 'function', aggregate: 'function',
  schema: 'schema', extension: 'extension', publication: 'publication', server: 'server',
};

async function checkNeed(q: Q, oid: string, role: LiveRole, n: Need, s: LiveState, quiet = false): Promise<NeedCheck> {
  const held = (detail?: string): NeedCheck => ({ need: n, status: 'held', ...(detail ? { detail } : {}) });
  const missing = (detail?: string): NeedCheck => ({ need: n, status: 'missing', ...(detail ? { detail } : {}) });
  const absent = (detail: string): NeedCheck => ({ need: n, status: 'absent', detail });
  const unchecked = (detail: string): NeedCheck => ({ need: n, status: 'unchecked', detail });
  if (n.kind === 'unverified') return unchecked('the statement could not be read: check it by hand');
  if (n.kind === 'superuser') {
    if (role.superuser) return held('the role is a superuser');
    // Some superuser-only statements can be delegated to a predefined role the derivation names.
    // Only the role the derivation names in its closing parenthesis (derive.ts), not any text of
    // the statement (a file name in the reason comes from the migration).
    const named = delegatedRole(n.reason);
    const via = named ? s.memberships.find((m) => m.predefined && m.inherited && m.role === named) : undefined;
    if (via && !quiet) return held(`through ${via.role}`);
    return missing('only a superuser can run it: run it as a DBA, or change the migration');
  }
  if (role.superuser) return held('the role is a superuser');
  switch (n.kind) {
    case 'role-attribute': {
      const attr: Record<string, keyof LiveRole> = { CREATEROLE: 'createrole', CREATEDB: 'createdb', REPLICATION: 'replication', BYPASSRLS: 'bypassrls' };
      const k = attr[n.privilege];
      if (!k) return unchecked(`role attribute ${n.privilege} is not read`);
      return role[k] ? held() : missing();
    }
    case 'role-setting': {
      if (s.server.version < 160000) return held('not needed before PostgreSQL 16');
      const rows = await q(
        `SELECT c FROM pg_db_role_setting s, unnest(s.setconfig) c
          WHERE s.setrole = $1::oid AND s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
            AND c LIKE 'createrole\\_self\\_grant=%'`,
        [oid],
      );
      const v = rows.map((r) => String(r.c).slice('createrole_self_grant='.length).toLowerCase());
      return v.some((x) => /\bset\b/.test(x) && /\binherit\b/.test(x)) ? held() : missing(v.length ? `set to '${v[0]}'` : 'not set');
    }
    case 'database': {
      if (n.privilege === 'OWNER') {
        const r = await q(`SELECT pg_has_role($1::oid, datdba, 'USAGE') AS ok FROM pg_database WHERE datname = current_database()`, [oid]);
        return r[0]?.ok ? held() : missing(`owned by ${s.server.dbOwner}`);
      }
      if (!['CREATE', 'TEMPORARY', 'TEMP', 'CONNECT'].includes(n.privilege)) return unchecked(`database privilege ${n.privilege} is not read`);
      const r = await q(`SELECT has_database_privilege($1::oid, current_database(), $2) AS ok`, [oid, n.privilege]);
      return r[0]?.ok ? held() : missing();
    }
    case 'schema': {
      const r = await q(`SELECT has_schema_privilege($1::oid, oid, $3) AS ok FROM pg_namespace WHERE nspname = $2`, [oid, n.object!.name, n.privilege]);
      if (!r.length) return absent(`schema ${n.object!.name} does not exist in this database`);
      return r[0].ok ? held() : missing();
    }
    case 'membership': {
      const r = await q(`SELECT pg_has_role($1::oid, oid, $2) AS ok FROM pg_roles WHERE rolname = $3`, [
        oid,
        n.grantOption ? 'MEMBER WITH ADMIN OPTION' : s.server.version >= 160000 ? 'SET' : 'MEMBER',
        n.object!.name,
      ]);
      if (!r.length) return absent(`role ${n.object!.name} does not exist`);
      return r[0].ok ? held() : missing();
    }
    case 'ownership': {
      const t = n.object!.type;
      const every = /^every (\w[\w ]*) in schema$/.exec(t);
      if (every) {
        const kinds = every[1] === 'sequence' ? `('S')` : every[1] === 'function' || every[1] === 'routine' || every[1] === 'procedure' ? '' : `('r', 'p', 'v', 'm', 'f')`;
        const rows = kinds
          ? await q(
              `SELECT c.relname, pg_get_userbyid(c.relowner) AS owner FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
                WHERE ns.nspname = $2 AND c.relkind IN ${kinds} AND NOT pg_has_role($1::oid, c.relowner, 'USAGE')`,
              [oid, n.object!.name],
            )
          : await q(
              `SELECT p.proname AS relname, pg_get_userbyid(p.proowner) AS owner FROM pg_proc p JOIN pg_namespace ns ON ns.oid = p.pronamespace
                WHERE ns.nspname = $2 AND NOT pg_has_role($1::oid, p.proowner, 'USAGE')`,
              [oid, n.object!.name],
            );
        return rows.length ? missing(`${rows.length} not owned (${rows[0].relname}, owned by ${rows[0].owner}${rows.length > 1 ? ', …' : ''})`) : held();
      }
      const kind = OWN_KINDS[t];
      if (!kind) return unchecked(`ownership of a ${t} is not read`);
      const o = await ownerOf(q, oid, kind, n.object!.name);
      if (!o) return absent(`${t} ${n.object!.name} does not exist in this database`);
      return o.owns ? held(o.owner === role.name ? undefined : `owned by ${o.owner}`) : missing(`owned by ${o.owner}`);
    }
    case 'object':
      return checkObject(q, oid, n);
    default:
      return unchecked(`a ${n.kind} need is not read on PostgreSQL`);
  }
}

async function checkObject(q: Q, oid: string, n: Need): Promise<NeedCheck> {
  const t = n.object!.type;
  const name = n.object!.name;
  const opt = n.grantOption ? ' WITH GRANT OPTION' : '';
  const verdict = (rows: any[], what: string): NeedCheck => {
    if (!rows.length) return { need: n, status: 'absent', detail: `${what} does not exist in this database` };
    const lacking = rows.filter((r) => !r.ok);
    return lacking.length ? { need: n, status: 'missing', ...(lacking[0].p ? { detail: `lacks ${lacking.map((r) => r.p).join(', ')}` } : {}) } : { need: n, status: 'held' };
  };
  const [schema, rel] = split(name);
  if (t === 'table' || t === 'view' || t === 'sequence' || t === 'materialized view' || t === 'foreign table') {
    const c = await q(`SELECT c.oid::int8::text AS oid, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE ns.nspname = $1 AND c.relname = $2`, [schema, rel]);
    if (!c.length) return verdict([], `${t} ${name}`);
    const seq = c[0].kind === 'S';
    const all = seq ? SEQUENCE_PRIVS : TABLE_PRIVS;
    const privs = n.privilege === 'ALL' ? all : [n.privilege];
    if (privs.some((p) => !all.includes(p))) return { need: n, status: 'unchecked', detail: `privilege ${n.privilege} on a ${seq ? 'sequence' : 'table'} is not read` };
    const rows = await q(`SELECT p, ${seq ? 'has_sequence_privilege' : 'has_table_privilege'}($1::oid, $2::oid, p || $3) AS ok FROM unnest($4::text[]) p`, [oid, c[0].oid, opt, privs]);
    return verdict(rows, `${t} ${name}`);
  }
  const fn: Record<string, [string, string, string[]]> = {
    // type: [catalog lookup, inquiry function, the privileges it knows]
    function: [`SELECT p.oid::int8::text AS oid FROM pg_proc p JOIN pg_namespace ns ON ns.oid = p.pronamespace WHERE ns.nspname = $1 AND p.proname = $2`, 'has_function_privilege', ['EXECUTE']],
    type: [`SELECT t.oid::int8::text AS oid FROM pg_type t JOIN pg_namespace ns ON ns.oid = t.typnamespace WHERE ns.nspname = $1 AND t.typname = $2`, 'has_type_privilege', ['USAGE']],
    schema: [`SELECT oid::int8::text AS oid FROM pg_namespace WHERE nspname = $1`, 'has_schema_privilege', ['CREATE', 'USAGE']],
    language: [`SELECT oid::int8::text AS oid FROM pg_language WHERE lanname = $1`, 'has_language_privilege', ['USAGE']],
    server: [`SELECT oid::int8::text AS oid FROM pg_foreign_server WHERE srvname = $1`, 'has_server_privilege', ['USAGE']],
    'foreign data wrapper': [`SELECT oid::int8::text AS oid FROM pg_foreign_data_wrapper WHERE fdwname = $1`, 'has_foreign_data_wrapper_privilege', ['USAGE']],
    tablespace: [`SELECT oid::int8::text AS oid FROM pg_tablespace WHERE spcname = $1`, 'has_tablespace_privilege', ['CREATE']],
  };
  const key = t === 'foreign-data wrapper' ? 'foreign data wrapper' : t === 'domain' ? 'type' : t === 'procedure' || t === 'routine' || t === 'aggregate' ? 'function' : t;
  const f = fn[key];
  if (!f) return { need: n, status: 'unchecked', detail: `privileges on a ${t} are not read` };
  const privs = n.privilege === 'ALL' ? f[2] : [n.privilege];
  if (privs.some((p) => !f[2].includes(p))) return { need: n, status: 'unchecked', detail: `privilege ${n.privilege} on a ${t} is not read` };
  const named = ['schema', 'language', 'server', 'foreign data wrapper', 'tablespace'].includes(key);
  const objs = await q(f[0], named ? [name] : [schema, rel]);
  if (!objs.length) return verdict([], `${t} ${name}`);
  const rows = await q(`SELECT p, ${f[1]}($1::oid, o::oid, p || $2) AS ok FROM unnest($3::text[]) p, unnest($4::text[]) o`, [oid, opt, privs, objs.map((o) => o.oid)]);
  return verdict(rows, `${t} ${name}`);
}
