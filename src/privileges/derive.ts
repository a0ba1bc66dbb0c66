// Least privilege for the migration role (issue 11, item 3): walk a migration set's statements in
// run order (parse trees: libpg-query for PostgreSQL, node-sql-parser for MySQL/MariaDB) and say
// what the role that runs them must hold. Objects the migrations create, the role owns; everything
// else they touch needs ownership or a privilege, and some statements need a superuser whatever
// is granted.
//
// PostgreSQL references (PostgreSQL 18 documentation):
// - privileges per object type: https://www.postgresql.org/docs/current/ddl-priv.html
// - role attributes (CREATEROLE, CREATEDB, REPLICATION, BYPASSRLS; PG16 CREATEROLE rules):
//   https://www.postgresql.org/docs/current/role-attributes.html, …/sql-createrole.html
// - trusted extensions (installable with CREATE on the database since PG13):
//   https://www.postgresql.org/docs/current/contrib.html ("trusted" modules) and
//   https://www.postgresql.org/docs/current/sql-createextension.html
// - superuser-only: CREATE LANGUAGE / untrusted languages (…/sql-createlanguage.html,
//   …/plpython.html "untrusted"), ALTER SYSTEM (…/sql-altersystem.html), event triggers
//   (…/sql-createeventtrigger.html), COPY to/from a file or PROGRAM (…/sql-copy.html: superuser or
//   pg_read_server_files / pg_write_server_files / pg_execute_server_program), LOAD (…/sql-load.html),
//   CREATE CAST WITHOUT FUNCTION (…/sql-createcast.html: "binary-coercible cast … superuser"),
//   base types (…/sql-createtype.html), operator classes/families (…/sql-createopclass.html),
//   text search parsers/templates, access methods, tablespaces, foreign-data wrappers,
//   subscriptions (PG16: pg_create_subscription), LEAKPROOF (…/sql-createfunction.html),
//   SUSET parameters such as session_replication_role (…/runtime-config-client.html),
//   SET SESSION AUTHORIZATION, ALTER TABLE … DISABLE TRIGGER ALL (system triggers:
//   …/sql-altertable.html "requires superuser privileges"), writes to system catalogs.
import { names, pgFunctionCalls, pgType, walk } from '../sql/ast.js';
import type { Statement } from '../types.js';
import { needKey, type Need, type NeedKind, type Requirements, type Site } from './needs.js';

/** Extensions marked `trusted` in the PostgreSQL 13+ contrib control files (installable by a non-superuser with CREATE on the database). */
export const TRUSTED_EXTENSIONS = new Set([
  'btree_gin', 'btree_gist', 'citext', 'cube', 'dict_int', 'earthdistance', 'fuzzystrmatch', 'hstore', 'intarray', 'isn', 'lo',
  'ltree', 'pgcrypto', 'pg_trgm', 'seg', 'tablefunc', 'tcn', 'tsm_system_rows', 'tsm_system_time', 'unaccent', 'uuid-ossp',
  // trusted procedural languages and their transforms
  'plpgsql', 'plperl', 'pltcl', 'jsonb_plperl', 'bool_plperl', 'hstore_plperl',
]);

/** Languages a non-superuser may write functions in (USAGE is granted to PUBLIC on the trusted ones). */
const TRUSTED_LANGUAGES = new Set(['sql', 'plpgsql', 'plperl', 'pltcl', 'plv8', 'plpgsql_check']);

/** Parameters only a superuser may SET (PGC_SUSET; PG15+: GRANT SET ON PARAMETER). */
const SUSET = /^(session_replication_role|lc_messages|log_\w+|debug_\w+|track_\w+|zero_damaged_pages|ignore_system_indexes|ignore_checksum_failure|allow_system_table_mods|jit_\w*debug\w*|session_preload_libraries|compute_query_id|pgaudit\.\w+|auto_explain\.\w+|temp_file_limit|backtrace_functions|deadlock_timeout|max_stack_depth|commit_delay|wal_compression|wal_consistency_checking|update_process_title)$/;

/** Functions only a superuser may call by default (or a predefined role holds them). */
const SUPERUSER_FUNCTIONS: Record<string, string> = {
  pg_read_file: 'reads a server file (pg_read_server_files)',
  pg_read_binary_file: 'reads a server file (pg_read_server_files)',
  pg_ls_dir: 'lists a server directory',
  pg_stat_file: 'reads server file metadata',
  pg_reload_conf: 'reloads the server configuration',
  pg_rotate_logfile: 'rotates the server log',
  pg_switch_wal: 'switches the WAL file',
  pg_create_restore_point: 'creates a WAL restore point',
  pg_create_logical_replication_slot: 'creates a replication slot (REPLICATION)',
  pg_create_physical_replication_slot: 'creates a replication slot (REPLICATION)',
  pg_drop_replication_slot: 'drops a replication slot (REPLICATION)',
  pg_terminate_backend: "ends other sessions (pg_signal_backend; another superuser's: superuser)",
  pg_cancel_backend: "cancels other sessions' queries (pg_signal_backend)",
  dblink_connect_u: 'connects without password checks',
};

const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema', 'pg_toast']);

const OBJ: Record<string, string> = {
  OBJECT_TABLE: 'table', OBJECT_VIEW: 'view', OBJECT_MATVIEW: 'materialized view', OBJECT_SEQUENCE: 'sequence', OBJECT_INDEX: 'index',
  OBJECT_FOREIGN_TABLE: 'foreign table', OBJECT_TYPE: 'type', OBJECT_DOMAIN: 'domain', OBJECT_FUNCTION: 'function', OBJECT_PROCEDURE: 'procedure',
  OBJECT_ROUTINE: 'routine', OBJECT_AGGREGATE: 'aggregate', OBJECT_SCHEMA: 'schema', OBJECT_EXTENSION: 'extension', OBJECT_COLLATION: 'collation',
  OBJECT_CONVERSION: 'conversion', OBJECT_OPERATOR: 'operator', OBJECT_TSCONFIGURATION: 'text search configuration', OBJECT_TSDICTIONARY: 'text search dictionary',
  OBJECT_POLICY: 'policy', OBJECT_TRIGGER: 'trigger', OBJECT_RULE: 'rule', OBJECT_PUBLICATION: 'publication', OBJECT_STATISTIC_EXT: 'statistics',
  OBJECT_FOREIGN_SERVER: 'server', OBJECT_EVENT_TRIGGER: 'event trigger', OBJECT_DATABASE: 'database', OBJECT_LANGUAGE: 'language',
  OBJECT_TABCONSTRAINT: 'constraint', OBJECT_COLUMN: 'column', OBJECT_FDW: 'foreign-data wrapper', OBJECT_TABLESPACE: 'tablespace',
  OBJECT_ROLE: 'role', OBJECT_SUBSCRIPTION: 'subscription', OBJECT_CAST: 'cast', OBJECT_OPCLASS: 'operator class', OBJECT_OPFAMILY: 'operator family',
  OBJECT_ACCESS_METHOD: 'access method', OBJECT_TSPARSER: 'text search parser', OBJECT_TSTEMPLATE: 'text search template', OBJECT_DOMCONSTRAINT: 'constraint',
  OBJECT_LARGEOBJECT: 'large object', OBJECT_PARAMETER_ACL: 'parameter',
};
/** Objects that live in a schema and are owned (so: ownership needed to alter or drop them). */
const RELATIONS = new Set(['table', 'view', 'materialized view', 'sequence', 'index', 'foreign table']);
const SUPERUSER_CREATE: Record<string, string> = {
  'text search parser': 'CREATE TEXT SEARCH PARSER', 'text search template': 'CREATE TEXT SEARCH TEMPLATE', 'access method': 'CREATE ACCESS METHOD',
  'foreign-data wrapper': 'CREATE/ALTER FOREIGN DATA WRAPPER', tablespace: 'CREATE TABLESPACE', 'operator class': 'CREATE/ALTER OPERATOR CLASS',
  'operator family': 'CREATE/ALTER OPERATOR FAMILY', 'event trigger': 'CREATE/ALTER EVENT TRIGGER', subscription: 'CREATE SUBSCRIPTION',
};

/** Identifiers as the parser gives them (unquoted ones already folded to lower case; quoted ones keep their case). */
const lc = (s: string | undefined) => s ?? '';
const lower = (s: string | undefined) => (s ?? '').toLowerCase();
const strArg = (a: any): string | undefined => a?.String?.sval ?? a?.A_Const?.sval?.sval ?? (a?.TypeName ? names(a.TypeName.names) : undefined);
function defs(list: any[] | undefined): Record<string, any> {
  const r: Record<string, any> = {};
  for (const o of list ?? []) if (o?.DefElem?.defname) r[o.DefElem.defname] = o.DefElem.arg ?? { Boolean: { boolval: true } };
  return r;
}
const truthy = (a: any) => a?.Boolean?.boolval === true || a?.Integer?.ival === 1;

/** Walks statements in run order and accumulates what the migration role must hold. */
export class PrivilegeTracker {
  private readonly needs = new Map<string, Need>();
  /** Objects the migrations created (the role owns them): `type:schema.name` (relations share 'rel'). */
  private readonly created = new Set<string>();
  private readonly createdRoles = new Set<string>();
  /** `schema\0role` pairs the migrations granted CREATE on a schema to. */
  private readonly schemaCreate = new Set<string>();
  /** Roles known to be superusers: the bootstrap superuser and those the migrations make SUPERUSER. */
  private readonly superuserRoles = new Set<string>(['postgres']);
  private schema = 'public';
  /** Names (`schema.name`) that came from unqualified references: resolved by name among what the history created. */
  private readonly unqualified = new Set<string>();
  private readonly createdNames = new Set<string>();
  statements = 0;
  files = 0;

  constructor(readonly dialect: string) {
    // The runners' own bookkeeping tables: the runner creates them as the migration role.
    for (const t of ['schema_migrations', '_prisma_migrations', 'goose_db_version', 'flyway_schema_history', 'alembic_version', 'django_migrations', '__drizzle_migrations', 'gorp_migrations', 'schema_version', 'knex_migrations', 'knex_migrations_lock'])
      this.markCreated('table', `public.${t}`);
  }

  /** A copy of the needs so far (first-seen order). */
  list(): Need[] {
    return [...this.needs.values()].map((n) => ({ ...n, site: { ...n.site }, ...(n.object ? { object: { ...n.object } } : {}), ...(n.sites ? { sites: n.sites.map((s) => ({ ...s })) } : {}) }));
  }

  /**
   * What the migrations created and did not drop, by catalog: `rel` (tables, views, sequences,
   * indexes…), `type`, `function`, `schema`, `extension`, `server`, `publication`. For the live
   * comparison (live.ts): where the history has run, the role must own these to alter them later.
   */
  createdObjects(): { type: string; name: string }[] {
    const out: { type: string; name: string }[] = [];
    for (const k of this.created) {
      const i = k.indexOf(':');
      const name = k.slice(i + 1);
      if (!name.startsWith('*.')) out.push({ type: k.slice(0, i), name });
    }
    return out;
  }

  keys(): Set<string> {
    return new Set(this.needs.keys());
  }

  result(set: string): Requirements {
    return { dialect: this.dialect, set, files: this.files, statements: this.statements, needs: this.list() };
  }

  /**
   * One file's statements (top level and nested, as parsed). Down sections and function bodies
   * (which run when called, not when migrating) are left out; DO block bodies run now and count.
   * `onNeed` sees every need a statement raises (new or not), for the rule.
   */
  addFile(path: string, statements: Statement[], onNeed?: (st: Statement, n: Need, fresh: boolean) => void): void {
    this.files++;
    this.schema = 'public'; // every migration starts a session with the default search_path
    for (const st of statements) {
      if (st.unit.down || st.meta !== undefined && st.meta !== '') {
        if (!st.unit.down && st.meta) this.need(st, path, onNeed, { kind: 'unverified', privilege: 'META', reason: `psql meta-command ${st.meta.split(/\s/)[0]}: runs in the client, its needs are not derived` });
        continue;
      }
      if (st.nested && st.nested.kind !== 'do' && st.nested.kind !== 'query') continue;
      if (!st.text.trim()) continue;
      this.statements++;
      if (!st.parsed || (!st.pg && !st.ast)) {
        this.need(st, path, onNeed, { kind: 'unverified', privilege: 'UNPARSED', reason: `statement not parsed: its needs could not be derived (${first(st)})` });
        continue;
      }
      if (st.pg) this.pgStatement(st, path, onNeed);
      else this.nspStatement(st, path, onNeed);
    }
  }

  private need(st: Statement, path: string, onNeed: ((st: Statement, n: Need, fresh: boolean) => void) | undefined, n: Omit<Need, 'site' | 'count'>): void {
    const key = needKey(n);
    const have = this.needs.get(key);
    // The site (a line lookup) only where it is kept: a new need, or one that lists its sites.
    const siteOf = () => ({ path, line: st.unit.pos(st.start).line });
    if (have) {
      have.count++;
      if (have.sites && have.sites.length < 500) {
        const site = siteOf();
        if (!have.sites.some((s) => s.path === site.path && s.line === site.line)) have.sites.push(site);
      }
    } else {
      const site = siteOf();
      const listed = n.kind === 'superuser' || n.kind === 'unverified';
      this.needs.set(key, { ...n, site, count: 1, ...(listed ? { sites: [site] } : {}) });
    }
    onNeed?.(st, have ?? this.needs.get(key)!, !have);
  }

  // ---- PostgreSQL ----

  private qual(parts: string[]): { schema: string; name: string; full: string } {
    const p = parts.map(lc);
    const name = p[p.length - 1] ?? '?';
    if (p.length >= 2) return { schema: p[p.length - 2], name, full: `${p[p.length - 2]}.${name}` };
    // Unqualified: pg_catalog is searched first (pg_class, pg_roles, …); else the first schema of
    // the search path, or wherever the history created an object of that name.
    const schema = /^pg_/.test(name) && !this.createdNames.has(name) ? 'pg_catalog' : this.schema;
    const full = `${schema}.${name}`;
    this.unqualified.add(full);
    return { schema, name, full };
  }
  private rv(rv: any) {
    const r = rv?.RangeVar ?? rv ?? {};
    return this.qual([r.schemaname, r.relname].filter(Boolean));
  }
  private key(type: string): string {
    return RELATIONS.has(type) ? 'rel' : type === 'procedure' || type === 'routine' || type === 'aggregate' ? 'function' : type === 'domain' ? 'type' : type;
  }
  private isCreated(type: string, full: string): boolean {
    if (this.created.has(`${this.key(type)}:${full}`)) return true;
    const name = full.slice(full.indexOf('.') + 1);
    return this.unqualified.has(full) && this.created.has(`${this.key(type)}:*.${name}`);
  }
  private markCreated(type: string, full: string): void {
    const name = full.slice(full.indexOf('.') + 1);
    this.created.add(`${this.key(type)}:${full}`);
    this.created.add(`${this.key(type)}:*.${name}`);
    this.createdNames.add(name);
  }
  private unmark(type: string, full: string): void {
    this.created.delete(`${this.key(type)}:${full}`);
  }

  private pgStatement(st: Statement, path: string, onNeed?: (st: Statement, n: Need, fresh: boolean) => void): void {
    const add = (n: Omit<Need, 'site' | 'count'>) => this.need(st, path, onNeed, n);
    const su = (reason: string) => add({ kind: 'superuser', privilege: 'SUPERUSER', reason });
    const type = pgType(st.pg)!;
    const node = st.pg![type];
    const createIn = (schema: string, what: string) => {
      if (SYSTEM_SCHEMAS.has(schema)) su(`${what} in system schema ${schema}`);
      else if (!this.created.has(`schema:${schema}`)) add({ kind: 'schema', privilege: 'CREATE', object: { type: 'schema', name: schema }, reason: what });
    };
    const usage = (schema: string, what: string) => {
      if (schema && !SYSTEM_SCHEMAS.has(schema) && !this.created.has(`schema:${schema}`)) add({ kind: 'schema', privilege: 'USAGE', object: { type: 'schema', name: schema }, reason: what });
    };
    const own = (otype: string, full: string, what: string) => {
      if (this.isCreated(otype, full)) return;
      const schema = full.includes('.') ? full.slice(0, full.indexOf('.')) : '';
      if (SYSTEM_SCHEMAS.has(schema)) return su(`${what} on ${full}, a system object`);
      add({ kind: 'ownership', privilege: 'OWNER', object: { type: RELATIONS.has(otype) ? (otype === 'index' ? 'index' : otype) : otype, name: full }, reason: what });
    };
    const priv = (privilege: string, otype: string, full: string, what: string, grantOption = false) => {
      if (this.isCreated(otype, full)) return;
      const schema = full.slice(0, full.indexOf('.'));
      if (SYSTEM_SCHEMAS.has(schema) && !grantOption && (privilege === 'SELECT' || privilege === 'USAGE' || privilege === 'EXECUTE')) return;
      if (SYSTEM_SCHEMAS.has(schema) && !grantOption) return su(`${what}: writes system catalog ${full}`);
      usage(schema, `${what} (${full})`);
      add({ kind: 'object', privilege, object: { type: otype, name: full }, reason: what, ...(grantOption ? { grantOption } : {}) });
    };
    const member = (role: string, what: string, admin = false) => {
      const r = lc(role);
      if (!r || /^(current_user|current_role|session_user|public)$/i.test(r)) return;
      if (this.superuserRoles.has(r)) return su(`${what}: ${r} is a superuser role (membership in it, or changing it, is superuser)`);
      if (this.createdRoles.has(r) && !admin) {
        // PG16+: a CREATEROLE role gets ADMIN OPTION on the roles it creates, but SET (OWNER TO,
        // SET ROLE, AUTHORIZATION) only through createrole_self_grant.
        return add({ kind: 'role-setting', privilege: 'createrole_self_grant', reason: what });
      }
      if (this.createdRoles.has(r) && admin) return add({ kind: 'role-attribute', privilege: 'CREATEROLE', reason: what });
      if (/^pg_/.test(r)) return su(`${what}: ${r} is a predefined role (ADMIN OPTION on it: superuser)`);
      add({ kind: 'membership', privilege: 'MEMBER', object: { type: 'role', name: r }, reason: what, ...(admin ? { grantOption: true } : {}) });
    };
    // ALTER … OWNER TO r: r must have CREATE on the object's schema (superusers skip the check).
    const newOwnerCreate = (schema: string, spec: any, what: string) => {
      const r = lc(spec?.rolename);
      if (!r || spec?.roletype !== 'ROLESPEC_CSTRING' || this.superuserRoles.has(r)) return;
      if (this.schemaCreate.has(`${schema}\0${r}`) || this.schemaCreate.has(`${schema}\0public`)) return;
      su(`${what}: ${r} has no CREATE on schema ${schema} (only a superuser skips that check; or GRANT CREATE ON SCHEMA ${schema} TO ${r} first)`);
    };
    const typeRef = (tn: any, what: string) => {
      const parts: string[] = (tn?.TypeName ?? tn)?.names?.map((n: any) => n?.String?.sval) ?? [];
      if (parts.length >= 2 && !SYSTEM_SCHEMAS.has(lc(parts[0])) && !this.created.has(`type:${lc(parts[0])}.${lc(parts[1])}`)) usage(lc(parts[0]), `${what} uses type ${parts.join('.')}`);
    };
    const reads = (tree: any, what: string) => {
      const ctes = new Set<string>();
      walk(tree, (k, v) => {
        if (k === 'CommonTableExpr' && v.ctename) ctes.add(lc(v.ctename));
      });
      walk(tree, (k, v) => {
        if (k === 'RangeVar' || (k === 'relation' && v.relname)) {
          if (!v.schemaname && ctes.has(lc(v.relname))) return;
          const q = this.rv(v);
          priv('SELECT', 'table', q.full, what);
        }
      });
    };
    const fk = (c: any, what: string) => {
      const con = c?.Constraint;
      if (con?.contype === 'CONSTR_FOREIGN' && con.pktable) {
        const q = this.rv(con.pktable);
        priv('REFERENCES', 'table', q.full, `${what}: foreign key to ${q.full}`);
      }
    };
    // Superuser-only functions anywhere in the statement (SELECT pg_reload_conf(), …).
    for (const call of pgFunctionCalls(st.pg)) { // the whole statement: the walk other readers of it have made (cached per node)
      const why = SUPERUSER_FUNCTIONS[call.base];
      if (why && (call.name === call.base || call.name === `pg_catalog.${call.base}`)) su(`${call.base}() ${why}`);
      if (call.base === 'set_config') {
        const arg = call.node.args?.[0]?.A_Const?.sval?.sval;
        if (arg && SUSET.test(lower(arg))) su(`set_config('${lc(arg)}', …): a superuser-only parameter`);
      }
      if ((call.base === 'lo_import' || call.base === 'lo_export') && (call.node.args?.length ?? 0) >= (call.base === 'lo_import' ? 1 : 2)) su(`${call.base}() reads or writes a server file`);
    }
    switch (type) {
      case 'CreateStmt': {
        const q = this.rv(node.relation);
        if (node.relation?.relpersistence === 't') add({ kind: 'database', privilege: 'TEMPORARY', reason: `CREATE TEMP TABLE ${q.name}` });
        else createIn(q.schema, `CREATE TABLE ${q.full}`);
        for (const e of node.tableElts ?? []) {
          if (e.ColumnDef) {
            this.implicitSequence(q, e.ColumnDef);
            typeRef(e.ColumnDef.typeName, `CREATE TABLE ${q.full}`);
            for (const c of e.ColumnDef.constraints ?? []) fk(c, `CREATE TABLE ${q.full}`);
          } else fk(e, `CREATE TABLE ${q.full}`);
          if (e.TableLikeClause) reads(e.TableLikeClause.relation, `CREATE TABLE ${q.full} (LIKE …)`);
        }
        for (const p of node.inhRelations ?? []) own('table', this.rv(p).full, `CREATE TABLE ${q.full} ${node.partbound ? 'PARTITION OF' : 'INHERITS'} ${this.rv(p).full}`);
        if (node.ofTypename) typeRef(node.ofTypename, `CREATE TABLE ${q.full} OF`);
        if (node.tablespacename) add({ kind: 'object', privilege: 'CREATE', object: { type: 'tablespace', name: lc(node.tablespacename) }, reason: `CREATE TABLE ${q.full} TABLESPACE` });
        this.markCreated('table', q.full);
        break;
      }
      case 'CreateTableAsStmt': {
        const q = this.rv(node.into?.rel);
        const what = `CREATE ${node.objtype === 'OBJECT_MATVIEW' ? 'MATERIALIZED VIEW' : 'TABLE … AS'} ${q.full}`;
        if (node.into?.rel?.relpersistence === 't') add({ kind: 'database', privilege: 'TEMPORARY', reason: what });
        else createIn(q.schema, what);
        reads(node.query, what);
        this.markCreated('table', q.full);
        break;
      }
      case 'ViewStmt': {
        const q = this.rv(node.view);
        if (node.view?.relpersistence === 't') add({ kind: 'database', privilege: 'TEMPORARY', reason: `CREATE TEMP VIEW ${q.name}` });
        else if (!this.isCreated('view', q.full)) createIn(q.schema, `CREATE VIEW ${q.full}`);
        reads(node.query, `CREATE VIEW ${q.full}`);
        this.markCreated('view', q.full);
        break;
      }
      case 'IndexStmt': {
        const q = this.rv(node.relation);
        own('table', q.full, `CREATE INDEX on ${q.full}`);
        if (node.idxname) this.markCreated('index', `${q.schema}.${lc(node.idxname)}`);
        if (node.tableSpace) add({ kind: 'object', privilege: 'CREATE', object: { type: 'tablespace', name: lc(node.tableSpace) }, reason: `CREATE INDEX … TABLESPACE` });
        break;
      }
      case 'AlterTableStmt': {
        const otype = OBJ[node.objtype] ?? 'table';
        const q = this.rv(node.relation);
        const what = `ALTER ${otype.toUpperCase()} ${q.full}`;
        for (const c of node.cmds ?? []) {
          const cmd = c.AlterTableCmd ?? {};
          if (cmd.subtype === 'AT_DisableTrigAll' || cmd.subtype === 'AT_EnableTrigAll' || cmd.subtype === 'AT_EnableAlwaysTrigAll' || cmd.subtype === 'AT_EnableReplicaTrigAll')
            su(`${what} ${cmd.subtype.includes('Disable') ? 'DISABLE' : 'ENABLE'} TRIGGER ALL (includes the system triggers of foreign keys, if the table has any)`);
          if (cmd.subtype === 'AT_AddConstraint') fk(cmd.def, what);
          if (cmd.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef) {
            this.implicitSequence(q, cmd.def.ColumnDef);
            typeRef(cmd.def.ColumnDef.typeName, what);
            for (const k of cmd.def.ColumnDef.constraints ?? []) fk(k, what);
          }
          if (cmd.subtype === 'AT_AlterColumnType') typeRef(cmd.def?.ColumnDef?.typeName, what);
          if (cmd.subtype === 'AT_ChangeOwner') {
            member(cmd.newowner?.rolename, `${what} OWNER TO ${cmd.newowner?.rolename}`);
            newOwnerCreate(q.schema, cmd.newowner, `${what} OWNER TO ${cmd.newowner?.rolename}`);
          }
          if (cmd.subtype === 'AT_AttachPartition') own('table', this.rv(cmd.def?.PartitionCmd?.name).full, `${what} ATTACH PARTITION`);
          if (cmd.subtype === 'AT_SetTableSpace') add({ kind: 'object', privilege: 'CREATE', object: { type: 'tablespace', name: lc(cmd.name) }, reason: `${what} SET TABLESPACE` });
        }
        own(otype, q.full, what);
        break;
      }
      case 'RenameStmt': {
        const rt = OBJ[node.renameType] ?? 'object';
        if (node.relation) {
          const q = this.rv(node.relation);
          const reltype = rt === 'column' || rt === 'constraint' || rt === 'trigger' || rt === 'policy' || rt === 'rule' ? OBJ[node.relationType] && RELATIONS.has(OBJ[node.relationType]) ? OBJ[node.relationType] : 'table' : rt;
          own(reltype, q.full, `ALTER … RENAME on ${q.full}`);
          if (rt === reltype && node.newname && this.isCreated(reltype, q.full)) this.markCreated(reltype, `${q.schema}.${lc(node.newname)}`);
        } else if (rt === 'schema') {
          const s = lc(strArg(node.subname) ?? node.subname);
          if (!this.created.has(`schema:${s}`)) add({ kind: 'ownership', privilege: 'OWNER', object: { type: 'schema', name: s }, reason: `ALTER SCHEMA ${s} RENAME` });
          add({ kind: 'database', privilege: 'CREATE', reason: `ALTER SCHEMA ${s} RENAME` });
          if (this.created.has(`schema:${s}`)) this.created.add(`schema:${lc(node.newname)}`);
        } else if (rt === 'role') {
          add({ kind: 'role-attribute', privilege: 'CREATEROLE', reason: `ALTER ROLE ${node.subname} RENAME` });
        } else if (rt === 'database') {
          add({ kind: 'database', privilege: 'OWNER', reason: `ALTER DATABASE ${node.subname} RENAME` });
          add({ kind: 'role-attribute', privilege: 'CREATEDB', reason: `ALTER DATABASE ${node.subname} RENAME` });
        } else {
          const q = this.objName(node.object, rt);
          own(rt, q.full, `ALTER ${rt.toUpperCase()} ${q.full} RENAME`);
          if (this.isCreated(rt, q.full) && node.newname) this.markCreated(rt, `${q.schema}.${lc(node.newname)}`);
        }
        break;
      }
      case 'AlterObjectSchemaStmt': {
        const ot = OBJ[node.objectType] ?? 'object';
        const q = node.relation ? this.rv(node.relation) : this.objName(node.object, ot);
        own(ot, q.full, `ALTER ${ot.toUpperCase()} ${q.full} SET SCHEMA ${node.newschema}`);
        createIn(lc(node.newschema), `ALTER ${ot.toUpperCase()} ${q.full} SET SCHEMA ${node.newschema}`);
        if (this.isCreated(ot, q.full)) this.markCreated(ot, `${lc(node.newschema)}.${q.name}`);
        break;
      }
      case 'AlterOwnerStmt': {
        const ot = OBJ[node.objectType] ?? 'object';
        const q = node.relation ? this.rv(node.relation) : this.objName(node.object, ot);
        if (ot === 'database') add({ kind: 'database', privilege: 'OWNER', reason: `ALTER DATABASE OWNER TO` });
        else if (ot !== 'schema' && q.schema) newOwnerCreate(q.schema, node.newowner, `ALTER ${ot.toUpperCase()} ${q.full} OWNER TO ${node.newowner?.rolename ?? ''}`);
        else own(ot, ot === 'schema' || ot === 'extension' || ot === 'language' || ot === 'publication' || ot === 'server' ? q.name : q.full, `ALTER ${ot.toUpperCase()} ${q.full} OWNER TO ${node.newowner?.rolename ?? ''}`);
        member(node.newowner?.rolename, `ALTER ${ot.toUpperCase()} ${q.full} OWNER TO ${node.newowner?.rolename ?? ''}`);
        break;
      }
      case 'DropStmt': {
        const ot = OBJ[node.removeType] ?? 'object';
        if (SUPERUSER_CREATE[ot]) {
          su(`DROP ${ot.toUpperCase()}`);
          break;
        }
        for (const o of node.objects ?? []) {
          if (ot === 'trigger' || ot === 'policy' || ot === 'rule') {
            const parts: string[] = (o.List?.items ?? []).map((i: any) => i?.String?.sval);
            const q = this.qual(parts.slice(0, -1));
            own('table', q.full, `DROP ${ot.toUpperCase()} ${parts[parts.length - 1]} ON ${q.full}`);
            continue;
          }
          const q = this.objName(o, ot);
          if (ot === 'schema' || ot === 'extension' || ot === 'language' || ot === 'publication' || ot === 'server') {
            if (!this.created.has(`${ot}:${q.name}`)) {
              add({ kind: 'ownership', privilege: 'OWNER', object: { type: ot, name: q.name }, reason: `DROP ${ot.toUpperCase()} ${q.name}` });
            }
            this.created.delete(`${ot}:${q.name}`);
            continue;
          }
          if (ot === 'cast') continue; // owner of the source or target type (created types: ours)
          own(ot, q.full, `DROP ${ot.toUpperCase()} ${node.missing_ok ? 'IF EXISTS ' : ''}${q.full}`);
          // Not forgotten on drop: a later IF EXISTS drop of it needs nothing, a re-creation is ours again.
        }
        break;
      }
      case 'DropRoleStmt':
        for (const r of node.roles ?? []) {
          const name = lc(r.RoleSpec?.rolename);
          if (node.missing_ok && !this.createdRoles.has(name)) continue;
          member(name, `DROP ROLE ${name}`, true);
          add({ kind: 'role-attribute', privilege: 'CREATEROLE', reason: `DROP ROLE ${name}` });
        }
        break;
      case 'TruncateStmt':
        for (const r of node.relations ?? []) priv('TRUNCATE', 'table', this.rv(r).full, `TRUNCATE ${this.rv(r).full}`);
        break;
      case 'InsertStmt':
      case 'UpdateStmt':
      case 'DeleteStmt':
      case 'MergeStmt': {
        const q = this.rv(node.relation);
        const verb = type === 'InsertStmt' ? 'INSERT' : type === 'UpdateStmt' ? 'UPDATE' : type === 'DeleteStmt' ? 'DELETE' : 'UPDATE';
        if (SYSTEM_SCHEMAS.has(q.schema) || /^pg_/.test(q.name) && !this.isCreated('table', q.full)) su(`${verb} on system catalog ${q.full}`);
        else priv(verb, 'table', q.full, `${verb} ${q.full}`);
        if (type === 'MergeStmt') priv('INSERT', 'table', q.full, `MERGE INTO ${q.full}`), priv('DELETE', 'table', q.full, `MERGE INTO ${q.full}`);
        const { relation: _r, ...rest } = node;
        reads(rest, `${verb} ${q.full}`);
        break;
      }
      case 'SelectStmt':
        if (node.intoClause) {
          const q = this.rv(node.intoClause.rel);
          createIn(q.schema, `SELECT … INTO ${q.full}`);
          this.markCreated('table', q.full);
        }
        reads(node, 'SELECT');
        break;
      case 'CopyStmt': {
        const q = node.relation ? this.rv(node.relation) : undefined;
        if (node.is_program) su(`COPY … ${node.is_from ? 'FROM' : 'TO'} PROGRAM runs a shell command on the server (superuser or pg_execute_server_program)`);
        else if (node.filename) su(`COPY … ${node.is_from ? 'FROM' : 'TO'} a server file '${node.filename}' (superuser or ${node.is_from ? 'pg_read_server_files' : 'pg_write_server_files'})`);
        if (q) priv(node.is_from ? 'INSERT' : 'SELECT', 'table', q.full, `COPY ${q.full}`);
        if (node.query) reads(node.query, 'COPY (query)');
        break;
      }
      case 'CreateSchemaStmt': {
        const s = lc(node.schemaname ?? node.authrole?.rolename);
        if (!(node.if_not_exists && this.created.has(`schema:${s}`))) add({ kind: 'database', privilege: 'CREATE', reason: `CREATE SCHEMA ${s}` });
        if (node.authrole) member(node.authrole.rolename, `CREATE SCHEMA ${s} AUTHORIZATION ${node.authrole.rolename}`);
        this.created.add(`schema:${s}`);
        const saved = this.schema;
        this.schema = s;
        for (const e of node.schemaElts ?? []) this.pgStatement({ ...st, pg: e }, path, onNeed);
        this.schema = saved;
        break;
      }
      case 'CreateExtensionStmt': {
        const name = lc(node.extname);
        const o = defs(node.options);
        if (node.if_not_exists && this.created.has(`extension:${name}`)) break;
        const lexical = /^create\s+(or\s+replace\s+)?(trusted\s+)?(procedural\s+)?language\b/.test(st.lexical);
        if (!TRUSTED_EXTENSIONS.has(name)) su(`CREATE ${lexical ? 'LANGUAGE' : 'EXTENSION'} ${name} (not a trusted extension${/u$/.test(name) && /^pl/.test(name) ? ': an untrusted language' : ''})`);
        else {
          add({ kind: 'database', privilege: 'CREATE', reason: `CREATE EXTENSION ${name} (trusted: needs CREATE on the database)` });
          const schema = o.schema ? lc(strArg(o.schema)) : this.schema;
          createIn(schema, `CREATE EXTENSION ${name}`);
        }
        this.created.add(`extension:${name}`);
        break;
      }
      case 'CreatePLangStmt':
        if (!TRUSTED_EXTENSIONS.has(lc(node.plname))) su(`CREATE LANGUAGE ${node.plname}`);
        else add({ kind: 'database', privilege: 'CREATE', reason: `CREATE LANGUAGE ${node.plname}` });
        break;
      case 'CreateFunctionStmt': {
        const q = this.qual((node.funcname ?? []).map((n: any) => n?.String?.sval));
        const o = defs(node.options);
        const lang = lower(strArg(o.language) ?? 'sql');
        const kind = node.is_procedure ? 'procedure' : 'function';
        const what = `CREATE ${kind.toUpperCase()} ${q.full}`;
        if (lang === 'c' || lang === 'internal') su(`${what} LANGUAGE ${lang}`);
        else if (!TRUSTED_LANGUAGES.has(lang)) {
          if (/^pl.*u$/.test(lang) || !this.created.has(`extension:${lang}`)) su(`${what} LANGUAGE ${lang} (an untrusted language)`);
        }
        if (o.leakproof && truthy(o.leakproof)) su(`${what} LEAKPROOF`);
        for (const p of node.parameters ?? []) typeRef(p.FunctionParameter?.argType, what);
        if (node.returnType) typeRef(node.returnType, what);
        // OR REPLACE of a function the (whole) history did not create: it is created here. (One made
        // outside the migrations would need ownership: the replay of the GRANT script shows it.)
        if (!this.isCreated('function', q.full)) createIn(q.schema, what);
        this.markCreated('function', q.full);
        break;
      }
      case 'AlterFunctionStmt': {
        const q = this.objName(node.func, 'function');
        own('function', q.full, `ALTER FUNCTION ${q.full}`);
        const o = defs(node.actions);
        if (o.leakproof && truthy(o.leakproof)) su(`ALTER FUNCTION ${q.full} LEAKPROOF`);
        break;
      }
      case 'DoStmt': {
        const lang = lower(strArg(defs(node.args).language) ?? 'plpgsql');
        if (lang === 'c' || (!TRUSTED_LANGUAGES.has(lang) && /^pl.*u$/.test(lang))) su(`DO block in ${lang} (an untrusted language)`);
        break;
      }
      case 'PLpgSQL_dynamic':
        add({ kind: 'unverified', privilege: 'DYNAMIC', reason: 'EXECUTE of SQL built at run time: its needs could not be derived' });
        break;
      case 'CreateTrigStmt': {
        const q = this.rv(node.relation);
        if (!this.isCreated('table', q.full)) priv('TRIGGER', 'table', q.full, `CREATE TRIGGER ${node.trigname} ON ${q.full}`);
        if (node.replace && !this.isCreated('table', q.full)) own('table', q.full, `CREATE OR REPLACE TRIGGER ${node.trigname}`);
        break;
      }
      case 'CreateEventTrigStmt':
      case 'AlterEventTrigStmt':
        su(`${type === 'CreateEventTrigStmt' ? 'CREATE' : 'ALTER'} EVENT TRIGGER ${node.trigname}`);
        break;
      case 'AlterSystemStmt':
        su(`ALTER SYSTEM SET ${node.setstmt?.name ?? ''} (superuser, or GRANT ALTER SYSTEM ON PARAMETER, PG15+)`);
        break;
      case 'VariableSetStmt': {
        const name = lower(node.name);
        if (name === 'search_path' && node.kind === 'VAR_SET_VALUE') {
          const firstSchema = lower(strArg(node.args?.[0]) ?? '').replace(/^"(.*)"$/, '$1');
          if (firstSchema && firstSchema !== '$user') this.schema = firstSchema;
        } else if (name === 'search_path') this.schema = 'public';
        else if (name === 'role' && node.kind === 'VAR_SET_VALUE') member(strArg(node.args?.[0]) ?? '', `SET ROLE ${strArg(node.args?.[0]) ?? ''}`);
        else if (name === 'session_authorization' && node.kind === 'VAR_SET_VALUE') su('SET SESSION AUTHORIZATION');
        else if (SUSET.test(name) && node.kind !== 'VAR_RESET') su(`SET ${name} (a superuser-only parameter; PG15+: GRANT SET ON PARAMETER)`);
        break;
      }
      case 'LoadStmt':
        su(`LOAD '${node.filename}' (a shared library)`);
        break;
      case 'CreateCastStmt':
        if (!node.func && !node.inout) su('CREATE CAST … WITHOUT FUNCTION (a binary-coercible cast)');
        else {
          typeRef(node.sourcetype, 'CREATE CAST');
          typeRef(node.targettype, 'CREATE CAST');
        }
        break;
      case 'CreateRoleStmt': {
        const name = lc(node.role);
        const o = defs(node.options);
        add({ kind: 'role-attribute', privilege: 'CREATEROLE', reason: `CREATE ROLE ${name}` });
        this.roleOptions(o, `CREATE ROLE ${name}`, add, su);
        if (o.superuser && truthy(o.superuser)) this.superuserRoles.add(name);
        for (const r of o.rolemembers?.List?.items ?? []) member(r.RoleSpec?.rolename, `CREATE ROLE ${name} ROLE …`, true);
        for (const r of o.addroleto?.List?.items ?? []) member(r.RoleSpec?.rolename, `CREATE ROLE ${name} IN ROLE …`, true);
        this.createdRoles.add(name);
        break;
      }
      case 'AlterRoleStmt': {
        const name = lc(node.role?.rolename ?? node.role?.roletype);
        const o = defs(node.options);
        if (Object.keys(o).length === 1 && o.password !== undefined && (node.role?.roletype === 'ROLESPEC_CURRENT_USER' || node.role?.roletype === 'ROLESPEC_SESSION_USER')) break;
        if (o.rolemembers) {
          for (const r of o.rolemembers.List?.items ?? []) void r;
          member(name, `ALTER GROUP ${name} ADD/DROP USER`, true);
          break;
        }
        add({ kind: 'role-attribute', privilege: 'CREATEROLE', reason: `ALTER ROLE ${name}` });
        member(name, `ALTER ROLE ${name}`, true);
        this.roleOptions(o, `ALTER ROLE ${name}`, add, su);
        if (o.superuser && truthy(o.superuser)) this.superuserRoles.add(name);
        break;
      }
      case 'AlterRoleSetStmt': {
        if (!node.role) su(`ALTER ROLE ALL SET ${node.setstmt?.name ?? ''}`);
        else {
          const name = lc(node.role.rolename);
          add({ kind: 'role-attribute', privilege: 'CREATEROLE', reason: `ALTER ROLE ${name} SET` });
          member(name, `ALTER ROLE ${name} SET`, true);
          if (SUSET.test(lower(node.setstmt?.name))) su(`ALTER ROLE ${name} SET ${node.setstmt?.name} (a superuser-only parameter)`);
        }
        break;
      }
      case 'AlterDatabaseStmt':
      case 'AlterDatabaseSetStmt':
      case 'AlterDatabaseRefreshCollStmt':
        add({ kind: 'database', privilege: 'OWNER', reason: `ALTER DATABASE ${node.dbname ?? ''}` });
        if (type === 'AlterDatabaseSetStmt' && SUSET.test(lower(node.setstmt?.name))) su(`ALTER DATABASE SET ${node.setstmt?.name} (a superuser-only parameter)`);
        break;
      case 'CreatedbStmt':
        add({ kind: 'role-attribute', privilege: 'CREATEDB', reason: `CREATE DATABASE ${node.dbname}` });
        break;
      case 'DropdbStmt':
        add({ kind: 'role-attribute', privilege: 'CREATEDB', reason: `DROP DATABASE ${node.dbname}` });
        break;
      case 'GrantStmt':
        this.grant(st, node, add, su, priv);
        break;
      case 'GrantRoleStmt':
        for (const r of node.granted_roles ?? []) member(r.AccessPriv?.priv_name, `${node.is_grant ? 'GRANT' : 'REVOKE'} ${r.AccessPriv?.priv_name} ${node.is_grant ? 'TO' : 'FROM'} …`, true);
        break;
      case 'AlterDefaultPrivilegesStmt':
        for (const o of node.options ?? []) if (o.DefElem?.defname === 'roles') for (const r of o.DefElem.arg?.List?.items ?? []) member(r.RoleSpec?.rolename, 'ALTER DEFAULT PRIVILEGES FOR ROLE …');
        break;
      case 'CreatePolicyStmt':
      case 'AlterPolicyStmt': {
        const q = this.rv(node.table);
        own('table', q.full, `${type === 'CreatePolicyStmt' ? 'CREATE' : 'ALTER'} POLICY ${node.policy_name} ON ${q.full}`);
        break;
      }
      case 'RuleStmt': {
        const q = this.rv(node.relation);
        own('table', q.full, `CREATE RULE ${node.rulename} ON ${q.full}`);
        break;
      }
      case 'CreateEnumStmt':
      case 'CreateRangeStmt':
      case 'CreateDomainStmt': {
        const q = this.qual((node.typeName ?? node.domainname ?? []).map((n: any) => n?.String?.sval));
        createIn(q.schema, `CREATE ${type === 'CreateDomainStmt' ? 'DOMAIN' : 'TYPE'} ${q.full}`);
        if (node.typeName?.TypeName) typeRef(node.typeName, 'CREATE DOMAIN');
        this.markCreated('type', q.full);
        break;
      }
      case 'CompositeTypeStmt': {
        const q = this.rv(node.typevar);
        createIn(q.schema, `CREATE TYPE ${q.full}`);
        this.markCreated('type', q.full);
        break;
      }
      case 'DefineStmt': {
        const ot = OBJ[node.kind] ?? 'object';
        const q = this.qual((node.defnames ?? []).map((n: any) => n?.String?.sval));
        if (SUPERUSER_CREATE[ot]) su(`${SUPERUSER_CREATE[ot]} ${q.full}`);
        else if (ot === 'type' && node.definition?.length) su(`CREATE TYPE ${q.full} (a base type with I/O functions)`);
        else if (!this.isCreated(ot, q.full)) createIn(q.schema, `CREATE ${ot.toUpperCase()} ${q.full}`);
        this.markCreated(ot === 'type' ? 'type' : ot, q.full);
        break;
      }
      case 'AlterEnumStmt':
      case 'AlterTypeStmt':
      case 'AlterDomainStmt': {
        const q = this.qual((node.typeName ?? []).map((n: any) => n?.String?.sval));
        own('type', q.full, `ALTER ${type === 'AlterDomainStmt' ? 'DOMAIN' : 'TYPE'} ${q.full}`);
        break;
      }
      case 'CreateSeqStmt': {
        const q = this.rv(node.sequence);
        if (node.sequence?.relpersistence === 't') add({ kind: 'database', privilege: 'TEMPORARY', reason: `CREATE TEMP SEQUENCE ${q.name}` });
        else if (!(node.if_not_exists && this.isCreated('sequence', q.full))) createIn(q.schema, `CREATE SEQUENCE ${q.full}`);
        this.markCreated('sequence', q.full);
        this.seqOwnedBy(node.options, add, own);
        break;
      }
      case 'AlterSeqStmt': {
        const q = this.rv(node.sequence);
        if (!(node.missing_ok && !this.isCreated('sequence', q.full))) own('sequence', q.full, `ALTER SEQUENCE ${q.full}`);
        this.seqOwnedBy(node.options, add, own);
        break;
      }
      case 'CommentStmt':
      case 'SecLabelStmt': {
        const ot = OBJ[node.objtype] ?? 'object';
        const verb = type === 'CommentStmt' ? 'COMMENT ON' : 'SECURITY LABEL ON';
        if (ot === 'column' || ot === 'constraint' || ot === 'trigger' || ot === 'policy' || ot === 'rule') {
          const parts: string[] = (node.object?.List?.items ?? []).map((i: any) => i?.String?.sval);
          // COMMENT ON COLUMN t.c: the table is all but the last part; CONSTRAINT/TRIGGER name ON table: the object is [table…, name].
          const tbl = this.qual(parts.slice(0, -1));
          own('table', tbl.full, `${verb} ${ot.toUpperCase()} of ${tbl.full}`);
        } else if (ot === 'schema' || ot === 'extension' || ot === 'language') {
          const n = lc(strArg(node.object));
          if (!this.created.has(`${ot}:${n}`)) add({ kind: 'ownership', privilege: 'OWNER', object: { type: ot, name: n }, reason: `${verb} ${ot.toUpperCase()} ${n}` });
        } else if (ot === 'database') add({ kind: 'database', privilege: 'OWNER', reason: `${verb} DATABASE` });
        else if (ot === 'role') {
          const n = lc(strArg(node.object));
          member(n, `${verb} ROLE ${n}`, true);
        } else own(ot, this.objName(node.object, ot).full, `${verb} ${ot.toUpperCase()}`);
        if (type === 'SecLabelStmt') su('SECURITY LABEL (a label provider decides; sepgsql and anon need superuser)');
        break;
      }
      case 'CreateFdwStmt':
      case 'AlterFdwStmt':
        su(`${type === 'CreateFdwStmt' ? 'CREATE' : 'ALTER'} FOREIGN DATA WRAPPER ${node.fdwname}`);
        break;
      case 'CreateForeignServerStmt':
        add({ kind: 'object', privilege: 'USAGE', object: { type: 'foreign data wrapper', name: lc(node.fdwname) }, reason: `CREATE SERVER ${node.servername}` });
        this.created.add(`server:${lc(node.servername)}`);
        break;
      case 'AlterForeignServerStmt':
        if (!this.created.has(`server:${lc(node.servername)}`)) add({ kind: 'ownership', privilege: 'OWNER', object: { type: 'server', name: lc(node.servername) }, reason: `ALTER SERVER ${node.servername}` });
        break;
      case 'CreateUserMappingStmt':
      case 'AlterUserMappingStmt':
      case 'DropUserMappingStmt':
        if (!this.created.has(`server:${lc(node.servername)}`)) add({ kind: 'ownership', privilege: 'OWNER', object: { type: 'server', name: lc(node.servername) }, reason: `USER MAPPING FOR … SERVER ${node.servername}` });
        break;
      case 'CreateForeignTableStmt': {
        const q = this.rv(node.base?.relation);
        createIn(q.schema, `CREATE FOREIGN TABLE ${q.full}`);
        if (!this.created.has(`server:${lc(node.servername)}`)) add({ kind: 'object', privilege: 'USAGE', object: { type: 'server', name: lc(node.servername) }, reason: `CREATE FOREIGN TABLE ${q.full}` });
        this.markCreated('foreign table', q.full);
        break;
      }
      case 'ImportForeignSchemaStmt':
        createIn(lc(node.local_schema), `IMPORT FOREIGN SCHEMA INTO ${node.local_schema}`);
        if (!this.created.has(`server:${lc(node.server_name)}`)) add({ kind: 'object', privilege: 'USAGE', object: { type: 'server', name: lc(node.server_name) }, reason: 'IMPORT FOREIGN SCHEMA' });
        break;
      case 'CreatePublicationStmt': {
        add({ kind: 'database', privilege: 'CREATE', reason: `CREATE PUBLICATION ${node.pubname}` });
        if (node.for_all_tables) su(`CREATE PUBLICATION ${node.pubname} FOR ALL TABLES`);
        for (const o of node.pubobjects ?? []) {
          const p = o.PublicationObjSpec;
          if (p?.pubobjtype === 'PUBLICATIONOBJ_TABLE' && p.pubtable) own('table', this.rv(p.pubtable.PublicationTable?.relation ?? p.pubtable.relation).full, `CREATE PUBLICATION ${node.pubname} FOR TABLE`);
          else if (p) su(`CREATE PUBLICATION ${node.pubname} FOR TABLES IN SCHEMA`);
        }
        this.created.add(`publication:${lc(node.pubname)}`);
        break;
      }
      case 'AlterPublicationStmt':
        if (!this.created.has(`publication:${lc(node.pubname)}`)) add({ kind: 'ownership', privilege: 'OWNER', object: { type: 'publication', name: lc(node.pubname) }, reason: `ALTER PUBLICATION ${node.pubname}` });
        if (node.for_all_tables || (node.pubobjects ?? []).some((o: any) => o.PublicationObjSpec?.pubobjtype !== 'PUBLICATIONOBJ_TABLE')) su(`ALTER PUBLICATION ${node.pubname} … TABLES IN SCHEMA / ALL TABLES`);
        break;
      case 'CreateSubscriptionStmt':
      case 'AlterSubscriptionStmt':
      case 'DropSubscriptionStmt':
        su(`${type.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase()} (superuser; PG16+: pg_create_subscription)`);
        break;
      case 'CreateTableSpaceStmt':
      case 'DropTableSpaceStmt':
      case 'AlterTableSpaceOptionsStmt':
      case 'CreateAmStmt':
      case 'CreateOpClassStmt':
      case 'CreateOpFamilyStmt':
      case 'AlterOpFamilyStmt':
        su(type.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase());
        break;
      case 'CreateTransformStmt':
        su('CREATE TRANSFORM (owner of the type and USAGE on the language; in practice superuser-installed)');
        break;
      case 'CreateConversionStmt': {
        const q = this.qual((node.conversion_name ?? []).map((n: any) => n?.String?.sval));
        createIn(q.schema, `CREATE CONVERSION ${q.full}`);
        break;
      }
      case 'CreateStatsStmt': {
        const q = this.qual((node.defnames ?? []).map((n: any) => n?.String?.sval));
        for (const r of node.relations ?? []) own('table', this.rv(r).full, 'CREATE STATISTICS');
        createIn(q.schema, `CREATE STATISTICS ${q.full}`);
        break;
      }
      case 'ClusterStmt':
      case 'ReindexStmt':
      case 'RefreshMatViewStmt':
      case 'VacuumStmt': {
        const rels: any[] = type === 'VacuumStmt' ? (node.rels ?? []).map((r: any) => r.VacuumRelation?.relation) : [node.relation];
        for (const r of rels) if (r) own('table', this.rv(r).full, `${type.replace(/Stmt$/, '').toUpperCase()} ${this.rv(r).full} (owner; PG17+: MAINTAIN)`);
        if (type === 'ReindexStmt' && (node.kind === 'REINDEX_OBJECT_DATABASE' || node.kind === 'REINDEX_OBJECT_SYSTEM')) add({ kind: 'database', privilege: 'OWNER', reason: 'REINDEX DATABASE/SYSTEM' });
        break;
      }
      case 'LockStmt':
        for (const r of node.relations ?? []) priv(node.mode >= 4 ? 'UPDATE' : 'SELECT', 'table', this.rv(r).full, `LOCK TABLE ${this.rv(r).full}`);
        break;
      case 'ReassignOwnedStmt':
      case 'DropOwnedStmt':
        for (const r of node.roles ?? []) member(r.RoleSpec?.rolename, `${type === 'ReassignOwnedStmt' ? 'REASSIGN' : 'DROP'} OWNED BY ${r.RoleSpec?.rolename}`);
        if (node.newrole) member(node.newrole.rolename, `REASSIGN OWNED … TO ${node.newrole.rolename}`);
        break;
      case 'CallStmt':
      case 'ExplainStmt':
      case 'TransactionStmt':
      case 'VariableShowStmt':
      case 'DiscardStmt':
      case 'NotifyStmt':
      case 'ListenStmt':
      case 'UnlistenStmt':
      case 'CheckPointStmt':
      case 'PrepareStmt':
      case 'ExecuteStmt':
      case 'DeallocateStmt':
      case 'DeclareCursorStmt':
      case 'ClosePortalStmt':
      case 'FetchStmt':
      case 'ConstraintsSetStmt':
      case 'AlterExtensionStmt':
      case 'AlterExtensionContentsStmt':
      case 'AlterCollationStmt':
      case 'AlterOperatorStmt':
      case 'AlterStatsStmt':
      case 'AlterTSDictionaryStmt':
      case 'AlterTSConfigurationStmt':
      case 'CreateEventTriggerStmt':
      case 'PLpgSQL_stmt':
        if (type === 'CheckPointStmt') su('CHECKPOINT (superuser; PG15+: pg_checkpoint)');
        if (type === 'AlterExtensionStmt' || type === 'AlterExtensionContentsStmt') {
          const n = lc(node.extname);
          if (!this.created.has(`extension:${n}`)) add({ kind: 'ownership', privilege: 'OWNER', object: { type: 'extension', name: n }, reason: `ALTER EXTENSION ${n}` });
        }
        if (type === 'AlterCollationStmt' || type === 'AlterTSDictionaryStmt' || type === 'AlterTSConfigurationStmt' || type === 'AlterStatsStmt') {
          const list = node.collname ?? node.dictname ?? node.cfgname ?? node.defnames ?? [];
          const q = this.qual(list.map((n: any) => n?.String?.sval));
          own(type === 'AlterCollationStmt' ? 'collation' : type === 'AlterStatsStmt' ? 'statistics' : 'text search object', q.full, type.replace(/Stmt$/, ''));
        }
        if (type === 'AlterOperatorStmt') own('operator', this.objName(node.opername, 'operator').full, 'ALTER OPERATOR');
        break;
      default:
        add({ kind: 'unverified', privilege: 'UNKNOWN', reason: `${type}: no privilege reading for this statement type` });
    }
  }

  /** serial / identity columns create `table_column_seq`, owned by the table's owner. */
  private implicitSequence(q: { schema: string; name: string }, col: any): void {
    const t = lower(names(col.typeName?.names));
    const identity = (col.constraints ?? []).some((c: any) => c.Constraint?.contype === 'CONSTR_IDENTITY');
    if (/serial\d?$|serial[248]$/.test(t) || identity) this.markCreated('sequence', `${q.schema}.${q.name}_${col.colname}_seq`);
  }

  private roleOptions(o: Record<string, any>, what: string, add: (n: Omit<Need, 'site' | 'count'>) => void, su: (r: string) => void): void {
    if (o.superuser && truthy(o.superuser)) su(`${what} SUPERUSER`);
    else if (o.superuser) su(`${what} NOSUPERUSER (changing a superuser attribute)`);
    if (o.isreplication && truthy(o.isreplication)) add({ kind: 'role-attribute', privilege: 'REPLICATION', reason: `${what} REPLICATION (PG16+: the creating role must have it)` });
    if (o.bypassrls && truthy(o.bypassrls)) add({ kind: 'role-attribute', privilege: 'BYPASSRLS', reason: `${what} BYPASSRLS (PG16+: the creating role must have it)` });
    if (o.createdb && truthy(o.createdb)) add({ kind: 'role-attribute', privilege: 'CREATEDB', reason: `${what} CREATEDB (PG16+: the creating role must have it)` });
  }

  private seqOwnedBy(options: any[] | undefined, add: (n: Omit<Need, 'site' | 'count'>) => void, own: (t: string, f: string, w: string) => void): void {
    const o = defs(options);
    const items: string[] = (o.owned_by?.List?.items ?? []).map((i: any) => i?.String?.sval);
    if (items.length >= 2 && lc(items[0]) !== 'none') own('table', this.qual(items.slice(0, -1)).full, 'ALTER SEQUENCE … OWNED BY');
    void add;
  }

  /** An object name from a DropStmt / CommentStmt / RenameStmt object node (List, ObjectWithArgs, TypeName, String). */
  private objName(o: any, _type: string): { schema: string; name: string; full: string } {
    if (!o) return { schema: this.schema, name: '?', full: `${this.schema}.?` };
    if (o.String) return { schema: '', name: lc(o.String.sval), full: lc(o.String.sval) };
    if (o.ObjectWithArgs) return this.qual((o.ObjectWithArgs.objname ?? []).map((n: any) => n?.String?.sval));
    if (o.TypeName) return this.qual((o.TypeName.names ?? []).map((n: any) => n?.String?.sval));
    if (o.List) return this.qual((o.List.items ?? []).map((n: any) => n?.String?.sval ?? n?.TypeName?.names?.map((x: any) => x?.String?.sval).join('.')));
    if (o.objname) return this.qual((o.objname ?? []).map((n: any) => n?.String?.sval));
    if (o.names) return this.qual((o.names ?? []).map((n: any) => n?.String?.sval));
    return { schema: this.schema, name: '?', full: `${this.schema}.?` };
  }

  private grant(
    st: Statement,
    node: any,
    add: (n: Omit<Need, 'site' | 'count'>) => void,
    su: (r: string) => void,
    priv: (p: string, t: string, f: string, w: string, g?: boolean) => void,
  ): void {
    const ot = OBJ[node.objtype] ?? 'object';
    const privs: string[] = (node.privileges ?? []).map((p: any) => (p.AccessPriv?.priv_name ?? 'all').toUpperCase());
    const list = privs.length ? privs : ['ALL'];
    const verb = node.is_grant ? 'GRANT' : 'REVOKE';
    if (node.is_grant && ot === 'schema' && node.targtype === 'ACL_TARGET_OBJECT' && list.some((p) => p === 'CREATE' || p === 'ALL'))
      for (const o of node.objects ?? []) for (const g of node.grantees ?? []) this.schemaCreate.add(`${lc(o.String?.sval)}\0${g.RoleSpec?.roletype === 'ROLESPEC_PUBLIC' ? 'public' : lc(g.RoleSpec?.rolename)}`);
    void st;
    if (ot === 'parameter') return su(`${verb} … ON PARAMETER`);
    if (node.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') {
      for (const s of node.objects ?? []) {
        const schema = lc(s.String?.sval);
        if (!this.created.has(`schema:${schema}`)) add({ kind: 'ownership', privilege: 'OWNER', object: { type: `every ${ot} in schema`, name: schema }, reason: `${verb} ${list.join(', ')} ON ALL ${ot.toUpperCase()}S IN SCHEMA ${schema} (owner, or the privileges WITH GRANT OPTION)` });
      }
      return;
    }
    for (const o of node.objects ?? []) {
      if (ot === 'table' || ot === 'sequence' || ot === 'view' || ot === 'foreign table') {
        const q = this.rv(o);
        for (const p of list) priv(p, 'table', q.full, `${verb} ${p} ON ${q.full}`, true);
      } else if (ot === 'schema' || ot === 'language' || ot === 'foreign-data wrapper' || ot === 'server' || ot === 'tablespace') {
        const n = lc(o.String?.sval);
        if (ot === 'schema' && this.created.has(`schema:${n}`)) continue;
        if (ot === 'server' && this.created.has(`server:${n}`)) continue;
        if (ot === 'language' && !TRUSTED_EXTENSIONS.has(n)) {
          su(`${verb} … ON LANGUAGE ${n} (an untrusted language)`);
          continue;
        }
        for (const p of list) add({ kind: 'object', privilege: p, object: { type: ot, name: n }, grantOption: true, reason: `${verb} ${p} ON ${ot.toUpperCase()} ${n}` });
      } else if (ot === 'database') {
        add({ kind: 'database', privilege: 'OWNER', reason: `${verb} ${list.join(', ')} ON DATABASE (owner, or the privileges WITH GRANT OPTION)` });
      } else if (ot === 'largeobject') {
        su(`${verb} ON LARGE OBJECT`);
      } else {
        const q = this.objName(o, ot);
        const t = ot === 'procedure' || ot === 'routine' ? 'function' : ot === 'domain' ? 'type' : ot;
        for (const p of list) priv(p, t, q.full, `${verb} ${p} ON ${ot.toUpperCase()} ${q.full}`, true);
      }
    }
  }

  // ---- MySQL / MariaDB (node-sql-parser) ----

  private nspStatement(st: Statement, path: string, onNeed?: (st: Statement, n: Need, fresh: boolean) => void): void {
    if (this.dialect === 'sqlite') return; // SQLite: file permissions, no privileges
    const add = (privilege: string, reason: string, global = false) => this.need(st, path, onNeed, { kind: 'mysql', privilege, reason, ...(global ? { global } : {}) });
    const ast = st.ast;
    const type = String(ast?.type ?? '').toLowerCase();
    const kw = String(ast?.keyword ?? '').toLowerCase();
    const lex = st.lexical;
    // A DEFINER other than the running user needs SET_USER_ID (8.0) / SUPER.
    const definer = /\bdefiner\s*=\s*(?!current_user\b)/.test(lex);
    if (definer) add('SET_USER_ID', 'DEFINER = another account (SET_USER_ID; SUPER before 8.0.22)', true);
    switch (type) {
      case 'create':
        if (kw === 'table') {
          add(ast.temporary ? 'CREATE TEMPORARY TABLES' : 'CREATE', 'CREATE TABLE');
          if (JSON.stringify(ast.create_definitions ?? []).includes('"reference_definition"')) add('REFERENCES', 'CREATE TABLE … FOREIGN KEY');
          if (ast.as || ast.query_expr) add('SELECT', 'CREATE TABLE … AS SELECT');
          if (/\bengine\s*=\s*federated\b/.test(lex)) add('SUPER', 'ENGINE=FEDERATED connects to another server', true);
        } else if (kw === 'index') add('INDEX', 'CREATE INDEX');
        else if (kw === 'view') add('CREATE VIEW', 'CREATE VIEW'), add('SELECT', 'CREATE VIEW');
        else if (kw === 'trigger') add('TRIGGER', 'CREATE TRIGGER');
        else if (kw === 'procedure' || kw === 'function') add('CREATE ROUTINE', `CREATE ${kw.toUpperCase()}`);
        else if (kw === 'database' || kw === 'schema') add('CREATE', 'CREATE DATABASE', true);
        else if (kw === 'user') add('CREATE USER', 'CREATE USER', true);
        else if (kw === 'event') add('EVENT', 'CREATE EVENT');
        else add('CREATE', `CREATE ${kw.toUpperCase()}`);
        break;
      case 'alter': {
        const j = JSON.stringify(ast.expr ?? ast);
        add('ALTER', 'ALTER TABLE');
        if (j.includes('"reference_definition"')) add('REFERENCES', 'ALTER TABLE … ADD FOREIGN KEY');
        if (/"resource":"index"|"keyword":"index"|"resource":"key"/.test(j) || /\badd\s+(unique\s+)?(index|key|fulltext|spatial)\b/.test(lex)) add('INDEX', 'ALTER TABLE … ADD INDEX');
        if (/\brename\s+(to|as)\b/.test(lex)) add('DROP', 'ALTER TABLE … RENAME'), add('CREATE', 'ALTER TABLE … RENAME'), add('INSERT', 'ALTER TABLE … RENAME');
        if (/\bdrop\s+(column|index|key|foreign|primary|partition|check|constraint)\b|\bdrop\s+`?\w/.test(lex)) add('DROP', 'ALTER TABLE … DROP');
        break;
      }
      case 'drop':
        if (kw === 'index') add('INDEX', 'DROP INDEX');
        else if (kw === 'trigger') add('TRIGGER', 'DROP TRIGGER');
        else if (kw === 'procedure' || kw === 'function') add('ALTER ROUTINE', `DROP ${kw.toUpperCase()}`);
        else if (kw === 'database' || kw === 'schema') add('DROP', 'DROP DATABASE', true);
        else if (kw === 'user') add('CREATE USER', 'DROP USER', true);
        else if (kw === 'event') add('EVENT', 'DROP EVENT');
        else add('DROP', `DROP ${kw.toUpperCase() || 'TABLE'}`);
        break;
      case 'rename':
        add('ALTER', 'RENAME TABLE'), add('DROP', 'RENAME TABLE'), add('CREATE', 'RENAME TABLE'), add('INSERT', 'RENAME TABLE');
        break;
      case 'truncate':
        add('DROP', 'TRUNCATE TABLE');
        break;
      case 'insert':
      case 'replace':
        add('INSERT', type.toUpperCase());
        if (type === 'replace') add('DELETE', 'REPLACE');
        break;
      case 'update':
        add('UPDATE', 'UPDATE');
        add('SELECT', 'UPDATE … WHERE');
        break;
      case 'delete':
        add('DELETE', 'DELETE');
        add('SELECT', 'DELETE … WHERE');
        break;
      case 'select':
        if (/\binto\s+(outfile|dumpfile)\b/.test(lex)) add('FILE', 'SELECT … INTO OUTFILE', true);
        if (/\bload_file\s*\(/.test(lex)) add('FILE', 'LOAD_FILE()', true);
        break;
      case 'grant':
      case 'revoke':
        add('GRANT OPTION', type.toUpperCase());
        break;
      case 'lock':
        add('LOCK TABLES', 'LOCK TABLES');
        break;
      case 'set':
        if (/^set\s+(global|persist|persist_only|@@global\.|@@persist)/.test(lex)) add('SYSTEM_VARIABLES_ADMIN', 'SET GLOBAL (SYSTEM_VARIABLES_ADMIN; SUPER before 8.0)', true);
        else if (/\bsql_log_bin\b/.test(lex)) add('SYSTEM_VARIABLES_ADMIN', 'SET sql_log_bin (SYSTEM_VARIABLES_ADMIN / SESSION_VARIABLES_ADMIN)', true);
        break;
      case 'use':
      case 'unlock':
      case 'transaction':
      case 'show':
      case 'desc':
      case 'call':
        break;
      default:
        if (/^load\s+(data|xml)\b/.test(lex)) add('FILE', 'LOAD DATA INFILE', true);
        else if (/^(install|uninstall)\s+(plugin|component)\b/.test(lex)) add('SUPER', 'INSTALL PLUGIN', true);
        else this.need(st, path, onNeed, { kind: 'unverified', privilege: 'UNKNOWN', reason: `${type || 'statement'}: no privilege reading for this statement type` });
    }
  }
}

function first(st: Statement): string {
  return st.text.trim().split(/\s+/).slice(0, 3).join(' ').replace(/'.*$/, '').slice(0, 60);
}

/** Convenience: the needs of files in run order. */
export function deriveNeeds(dialect: string, set: string, files: Array<{ path: string; statements: Statement[] }>): Requirements {
  const t = new PrivilegeTracker(dialect);
  for (const f of files) t.addFile(f.path, f.statements);
  return t.result(set);
}

export type { Need, NeedKind, Requirements, Site };
