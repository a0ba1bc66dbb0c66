// The live comparison of `migration-gate privileges --database-url`: what the migrations need
// (derive.ts) against what the live role holds (live.ts): the EXCESS (held, not needed) and the
// SHORTFALL (needed, not held: the next migration that needs it would fail), and what could not
// be checked (fail closed: never counted as matching). Pure: no I/O.
import type { LiveState } from './live.js';
import { describe } from './live.js';
import { commentSafe } from './grants.js';
import type { Need, Site } from './needs.js';

export interface Finding {
  /** 'superuser', 'role-attribute', 'membership', 'database', 'schema', 'ownership', 'object', … */
  kind: string;
  /** What is held or needed: 'CREATEROLE', 'member of pg_write_all_data', 'owner of table public.users'. */
  what: string;
  detail: string;
  /** The first statement that needs it (shortfall, unchecked). */
  site?: Site;
  /** Every statement (superuser-only, not derived). */
  sites?: Site[];
}

export interface Comparison {
  version: 1;
  database: string;
  server: string;
  role: LiveState['role'];
  memberships: string[];
  sets: string[];
  files: number;
  statements: number;
  /** What the migrations need, described. */
  needs: string[];
  excess: Finding[];
  shortfall: Finding[];
  unchecked: Finding[];
  /** No excess, no shortfall, nothing unchecked. */
  matches: boolean;
}

const ATTRIBUTES: [keyof LiveState['role'], string, string][] = [
  ['createrole', 'CREATEROLE', 'can create, alter and drop roles and grant memberships in them'],
  ['createdb', 'CREATEDB', 'can create databases'],
  ['replication', 'REPLICATION', "can stream the cluster's WAL (every database's data) and manage replication slots"],
  ['bypassrls', 'BYPASSRLS', 'ignores every row-level security policy'],
];

/** What each predefined role gives (https://www.postgresql.org/docs/current/predefined-roles.html). */
const PREDEFINED: Record<string, string> = {
  pg_read_all_data: 'SELECT on every table, view and sequence, USAGE on every schema',
  pg_write_all_data: 'INSERT, UPDATE and DELETE on every table, view and sequence, USAGE on every schema',
  pg_read_server_files: 'reads any file the server can read (COPY FROM a file, pg_read_file)',
  pg_write_server_files: 'writes any file the server can write (COPY TO a file)',
  pg_execute_server_program: 'runs programs on the database server as its OS user (COPY … PROGRAM)',
  pg_signal_backend: "cancels queries and ends other (non-superuser) roles' sessions",
  pg_monitor: 'reads every monitoring view and setting',
  pg_read_all_settings: 'reads every setting',
  pg_read_all_stats: 'reads every statistics view',
  pg_stat_scan_tables: 'runs monitoring functions that lock tables',
  pg_checkpoint: 'runs CHECKPOINT',
  pg_create_subscription: 'creates subscriptions (connects out to other servers)',
  pg_maintain: 'VACUUM, ANALYZE, REINDEX, REFRESH, CLUSTER and LOCK on every relation',
  pg_use_reserved_connections: 'uses the connection slots reserved for administrators',
  pg_database_owner: 'the owner of the current database',
};

function list(xs: string[], max = 8): string {
  return xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`;
}

const CREATED_KEY: Record<string, string> = {
  table: 'rel', view: 'rel', 'materialized view': 'rel', sequence: 'rel', 'foreign table': 'rel', function: 'function', type: 'type',
};

export function compare(needs: Need[], created: { type: string; name: string }[], live: LiveState, meta: { sets: string[]; files: number; statements: number }): Comparison {
  const excess: Finding[] = [];
  const shortfall: Finding[] = [];
  const unchecked: Finding[] = [];
  const role = live.role;
  const grantable = needs.filter((n) => n.kind !== 'superuser' && n.kind !== 'unverified');
  const needList = grantable.map(describe);
  const su = needs.filter((n) => n.kind === 'superuser');
  const onlyNeeds = needList.length ? list(needList) : 'owning what they create (and CONNECT)';

  // Role attributes.
  if (role.superuser) {
    const suCount = su.reduce((a, n) => a + n.count, 0);
    excess.push({
      kind: 'superuser',
      what: 'SUPERUSER',
      detail: suCount
        ? `the migration user is SUPERUSER; only ${suCount} superuser-only statement(s) need it (first: ${su[0].site.path}:${su[0].site.line} ${commentSafe(su[0].reason)}): run those as a DBA; the rest needs only: ${onlyNeeds}`
        : `the migration user is SUPERUSER but the migrations need only: ${onlyNeeds}`,
    });
  }
  for (const [k, name, what] of ATTRIBUTES)
    if (role[k] && !needs.some((n) => n.kind === 'role-attribute' && n.privilege === name)) excess.push({ kind: 'role-attribute', what: name, detail: `has ${name}, not needed (${what})` });

  // Memberships (transitive): needed when a needed membership, ownership or privilege comes through them.
  const neededTargets = new Set(needs.filter((n) => n.kind === 'membership').map((n) => n.object!.name));
  const heldVia = new Map<string, string>();
  for (const c of live.checks) {
    if (c.need.kind === 'superuser' && c.status === 'held' && c.detail?.startsWith('through ')) heldVia.set(c.detail.slice(8), describe(c.need));
  }
  const used = new Set<string>([...neededTargets, ...live.usedMemberships.keys(), ...heldVia.keys()]);
  // A role on the way to a used one is used too.
  for (const m of live.memberships) if (used.has(m.role)) for (const p of m.path) used.add(p);
  for (const m of live.memberships) {
    if (used.has(m.role)) continue;
    const via = m.path.length > 1 ? ` (through ${m.path.slice(0, -1).join(' → ')})` : '';
    const admin = m.admin ? ' WITH ADMIN OPTION' : '';
    const gives = m.superuser
      ? 'a superuser role: the migration user can SET ROLE to it and do anything'
      : m.predefined
        ? (PREDEFINED[m.role] ?? 'a predefined role')
        : 'no privilege or ownership the migrations need comes from it';
    excess.push({ kind: 'membership', what: `member of ${m.role}${admin}`, detail: `member of ${m.role}${admin}${via}, not needed (${gives})` });
  }

  // Database, schemas and objects: only for a role that is not a superuser (a superuser's
  // privileges come from SUPERUSER, already reported).
  if (!role.superuser) {
    const db = live.database;
    const need = (k: Need['kind'], p: string) => needs.some((n) => n.kind === k && n.privilege === p);
    if (!db.connect) shortfall.push({ kind: 'database', what: 'CONNECT on the database', detail: `the role cannot connect to ${live.server.database}` });
    if (db.owner && !need('database', 'OWNER'))
      excess.push({ kind: 'database', what: 'owner of the database', detail: `owns database ${live.server.database}${live.server.dbOwner !== role.name ? ` (through ${live.server.dbOwner})` : ''}, not needed (the owner can drop it, rename it and grant every privilege on it)` });
    if (!db.owner) {
      if (db.create && !db.publicPrivileges.includes('CREATE') && !need('database', 'CREATE')) excess.push({ kind: 'database', what: 'CREATE on the database', detail: 'has CREATE on the database, not needed (creates schemas and trusted extensions)' });
      if (db.temporary && !db.publicPrivileges.includes('TEMPORARY') && !need('database', 'TEMPORARY')) excess.push({ kind: 'database', what: 'TEMPORARY on the database', detail: 'has TEMPORARY on the database, not needed' });
    }
    const createdSet = new Set(created.map((c) => `${c.type}:${c.name}`));
    for (const s of live.schemas) {
      const madeHere = createdSet.has(`schema:${s.name}`);
      const ownNeeded = needs.some((n) => n.kind === 'ownership' && n.object?.type === 'schema' && n.object.name === s.name);
      const createNeeded = needs.some((n) => (n.kind === 'schema' || n.kind === 'object') && n.object?.type === 'schema' && n.object.name === s.name && n.privilege === 'CREATE');
      if (s.owns && !madeHere && !ownNeeded) {
        const through = s.owner === role.name ? '' : s.owner === 'pg_database_owner' ? ' (through pg_database_owner: the role owns the database)' : ` (through ${s.owner})`;
        excess.push({ kind: 'schema', what: `owner of schema ${s.name}`, detail: `owns schema ${s.name}${through}, not needed${createNeeded ? ' (CREATE on it is enough)' : ''}` });
      } else if (!s.owns && s.create && !s.publicPrivileges.includes('CREATE') && !createNeeded)
        excess.push({ kind: 'schema', what: `CREATE on schema ${s.name}`, detail: `has CREATE on schema ${s.name}, not needed` });
    }
    const ownedNeeded = new Set(needs.filter((n) => n.kind === 'ownership').map((n) => `${CREATED_KEY[n.object!.type] ?? n.object!.type}:${n.object!.name}`));
    const everyIn = new Set(needs.filter((n) => n.kind === 'ownership' && n.object!.type.startsWith('every ')).map((n) => n.object!.name));
    for (const o of live.objects) {
      const key = `${CREATED_KEY[o.type] ?? o.type}:${o.name}`;
      const schema = o.name.slice(0, o.name.indexOf('.'));
      if (o.owns) {
        if (createdSet.has(key) || ownedNeeded.has(key) || everyIn.has(schema)) continue;
        excess.push({ kind: 'ownership', what: `owner of ${o.type} ${o.name}`, detail: `owns ${o.type} ${o.name}${o.owner !== role.name ? ` (through ${o.owner})` : ''}, not needed (the migrations neither create nor alter it)` });
        continue;
      }
      const neededPrivs = new Set(
        needs
          .filter((n) => n.kind === 'object' && n.object!.name === o.name && (CREATED_KEY[n.object!.type] ?? n.object!.type) === (CREATED_KEY[o.type] ?? o.type))
          .flatMap((n) => (n.privilege === 'ALL' ? ['*'] : [n.privilege + (n.grantOption ? '*' : ''), n.privilege])),
      );
      if (neededPrivs.has('*')) continue;
      const extra = o.privileges.filter((p) => !neededPrivs.has(p));
      // Held WITH GRANT OPTION where only the privilege is needed: the grant option is the excess.
      const shown = extra.map((p) => (p.endsWith('*') ? (neededPrivs.has(p.slice(0, -1)) ? `grant option of ${p.slice(0, -1)}` : `${p.slice(0, -1)} WITH GRANT OPTION`) : p));
      if (shown.length) excess.push({ kind: 'object', what: `${shown.join(', ')} on ${o.type} ${o.name}`, detail: `has ${shown.join(', ')} on ${o.type} ${o.name}, not needed` });
    }
  }

  // Needs the role lacks, and what could not be checked.
  for (const c of live.checks) {
    const n = c.need;
    const site = { path: n.site.path, line: n.site.line };
    if (c.status === 'missing') {
      if (n.kind === 'superuser')
        shortfall.push({ kind: 'superuser', what: `superuser-only: ${commentSafe(n.reason)}`, detail: `superuser-only: ${commentSafe(n.reason)}: ${c.detail ?? ''}`, site, sites: n.sites ?? [site] });
      else shortfall.push({ kind: n.kind, what: describe(n), detail: `needs ${describe(n)}${c.detail ? ` (${c.detail})` : ''}: the role lacks it, so ${n.reason} would fail`, site });
    } else if (c.status === 'absent' || c.status === 'unchecked') {
      unchecked.push({ kind: n.kind, what: describe(n), detail: `${describe(n)}: ${c.detail ?? 'not checked'}`, site, ...(n.sites ? { sites: n.sites } : {}) });
    }
  }
  const byOwner = new Map<string, { type: string; name: string }[]>();
  for (const c of live.createdNotOwned) byOwner.set(c.owner, [...(byOwner.get(c.owner) ?? []), c]);
  for (const [owner, objs] of byOwner)
    shortfall.push({
      kind: 'ownership',
      what: `owner of ${objs.length} object(s) the migrations created, owned by ${owner}`,
      detail: `${objs.length} object(s) the migrations created belong to ${owner}, not to ${role.name} (${list(objs.map((o) => `${o.type} ${o.name}`), 5)}): a later migration that alters or drops them would fail (ALTER … OWNER TO ${role.name}, or make it a member of ${owner})`,
    });

  return {
    version: 1,
    database: live.server.database,
    server: live.server.versionText,
    role,
    memberships: live.memberships.map((m) => m.role),
    sets: meta.sets,
    files: meta.files,
    statements: meta.statements,
    needs: needList,
    excess,
    shortfall,
    unchecked,
    matches: !excess.length && !shortfall.length && !unchecked.length,
  };
}

const LIMIT = 25;

/** One line, no control characters (names come from the database and the migrations), at most `max` characters. */
function oneLine(s: string, max = 1000): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

/** Human report. Every line is one line (names from the database and the migrations are made comment-safe). */
export function comparisonText(c: Comparison): string {
  const out: string[] = [];
  const attrs = ['superuser', 'createrole', 'createdb', 'replication', 'bypassrls'].filter((k) => (c.role as any)[k]).map((k) => k.toUpperCase());
  out.push(commentSafe(`Role ${c.role.name} on database ${c.database} (PostgreSQL ${c.server})${attrs.length ? `: ${attrs.join(', ')}` : ''}${c.role.inherit ? '' : ', NOINHERIT'}`));
  if (c.memberships.length) out.push(`  member of: ${commentSafe(list(c.memberships, 12))}`);
  out.push(oneLine(`Compared with ${c.files} migration file(s), ${c.statements} statement(s)${c.sets.length ? ` of ${c.sets.join(', ')}` : ''}.`));
  out.push(`The migrations need: ${oneLine(c.needs.length ? list(c.needs, 12) : 'owning what they create (and CONNECT)')}`);
  const section = (title: string, fs: Finding[]) => {
    out.push('');
    out.push(`${title} (${fs.length}):${fs.length ? '' : ' none'}`);
    for (const f of fs.slice(0, LIMIT)) {
      out.push(`  ${oneLine(f.detail || f.what)}${f.site ? `  [${commentSafe(`${f.site.path}:${f.site.line}`)}]` : ''}`);
      if (f.sites && f.sites.length > 1) for (const s of f.sites.slice(1, 10)) out.push(`    also ${commentSafe(`${s.path}:${s.line}`)}`);
    }
    if (fs.length > LIMIT) out.push(`  … and ${fs.length - LIMIT} more (--format json lists them all)`);
  };
  section('Excess — held, not needed', c.excess);
  section('Shortfall — needed, not held (the next migration that needs it would fail)', c.shortfall);
  if (c.unchecked.length) section('Not checked — fail closed: check by hand', c.unchecked);
  out.push('');
  out.push(c.matches ? 'The role holds what the migrations need, and nothing more.' : `Result: ${c.excess.length} excess, ${c.shortfall.length} shortfall${c.unchecked.length ? `, ${c.unchecked.length} not checked` : ''}.`);
  return out.join('\n') + '\n';
}

export function comparisonJson(c: Comparison): string {
  return JSON.stringify(c, null, 2) + '\n';
}
