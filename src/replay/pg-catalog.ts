// The PostgreSQL catalog as facts (see facts.ts), read in one query. Identity is the OID (columns:
// table OID + attnum), so a rename keeps its identity and a drop + re-create of a name does not.
// System schemas (pg_catalog, information_schema, pg_toast) are left out; temporary objects are in
// (their schema reads 'pg_temp'). Objects made after initdb have OIDs from 16384 up
// (FirstNormalObjectId, src/include/access/transam.h): the `oid >= 16384` filters let the catalog
// indexes skip the built-in rows, which is most of the cost of this query.
import type { Fact } from './facts.js';
import type { CatalogSnapshot, ObjectKind } from './types.js';

// Privileges as 'grantee:PRIV' ('…*' with grant option); a NULL ACL is the built-in default for the
// object type (acldefault), so a REVOKE from PUBLIC on a function shows as PUBLIC losing EXECUTE.
const acl = (col: string, type: string | null, owner: string) =>
  `(SELECT coalesce(array_agg(coalesce(r.rolname, 'PUBLIC') || ':' || e.privilege_type || CASE WHEN e.is_grantable THEN '*' ELSE '' END ORDER BY 1), '{}')
     FROM pg_catalog.aclexplode(${type ? `coalesce(${col}, pg_catalog.acldefault(${type}, ${owner}))` : col}) e
     LEFT JOIN pg_catalog.pg_roles r ON r.oid = e.grantee)`;
const role = (oid: string) => `(SELECT rolname FROM pg_catalog.pg_roles WHERE oid = ${oid})`;
const nsp = (oid: string) => `(SELECT CASE WHEN nspname ~ '^pg_temp_' THEN 'pg_temp' ELSE nspname END FROM pg_catalog.pg_namespace WHERE oid = ${oid})`;
const USER_NS = `NOT IN (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname IN ('pg_catalog', 'information_schema') OR nspname ~ '^pg_toast')`;

// An incremental read (`factsSql(true)`, after a judged statement): relations (with their
// columns, policies, triggers and rules), functions and types are read only for objects whose
// catalog rows the statement wrote; every other family is read whole. A statement's rows carry its
// transaction's xid (or a subtransaction's, assigned later: one session, so xids only grow) as
// xmin; the setting mg.from_xid is the first xid the statement could have used (a setting, not a
// parameter: a parameter makes PostgreSQL plan the query anew on every run, which costs more than
// running it). Updates that PostgreSQL makes in place (heap_inplace_update: relhasindex, reltuples,
// frozen xids) touch no column read here. nextval/setval write no catalog row: a sequence is read
// again when its last value differs from the one the caller had (the setting mg.seqs,
// ',oid:last_value,…,' as pg.ts `sequencesOf`). Deleted rows leave no xmin: when the statement deleted catalog rows (mg.deleted =
// 'yes'), the read lists the OIDs that still exist (OIDS). The caller (pg.ts `advance`) takes a
// full read instead when the statement renamed something whose name other facts embed, or changed
// the settings that format the text (SETTINGS).
// The bound is a scalar subquery, computed once per scan (an InitPlan); written inline it is
// computed again for every catalog row tested, which was a sixth of the read.
const XMIN = (t: string) => `pg_catalog.age(${t}.xmin) <= (SELECT pg_catalog.age(pg_catalog.current_setting('mg.from_xid')::xid))`;
// mg.written: the catalogs the statement wrote rows of (',pg_class,pg_attribute,'), or '*' when
// unknown (pg.ts `writtenBetween`). A part of the read whose catalogs were not written is skipped
// (a constant condition: PostgreSQL evaluates it once and does not scan), and the caller keeps
// what it had for it.
const written = (catalogs: readonly string[]) =>
  `(pg_catalog.current_setting('mg.written') = '*' OR ${catalogs.map((c) => `pg_catalog.strpos(pg_catalog.current_setting('mg.written'), ',${c},') > 0`).join(' OR ')})`;
/**
 * Families read whole, and the catalogs their facts are made of (names of owners, grantees and
 * schemas included): in an incremental read a family is read again only when one of them was written.
 */
export const WHOLE_FAMILY_CATALOGS: Readonly<Record<string, readonly string[]>> = {
  n: ['pg_namespace', 'pg_authid'],
  r: ['pg_authid'],
  m: ['pg_auth_members', 'pg_authid'],
  d: ['pg_database', 'pg_authid'],
  set: ['pg_db_role_setting', 'pg_database', 'pg_authid'],
  da: ['pg_default_acl', 'pg_authid', 'pg_namespace'],
  lo: ['pg_largeobject_metadata', 'pg_authid'],
  // pg_publication_tables: a publication's tables, FOR ALL TABLES and TABLES IN SCHEMA included.
  pub: ['pg_publication', 'pg_publication_rel', 'pg_publication_namespace', 'pg_class', 'pg_namespace', 'pg_inherits', 'pg_authid'],
  sub: ['pg_subscription', 'pg_authid'],
  evt: ['pg_event_trigger', 'pg_authid', 'pg_proc', 'pg_namespace'],
  ext: ['pg_extension', 'pg_namespace'],
  lan: ['pg_language', 'pg_authid'],
  fdw: ['pg_foreign_data_wrapper', 'pg_authid'],
  srv: ['pg_foreign_server', 'pg_authid'],
  par: ['pg_parameter_acl', 'pg_authid'],
};
/** The whole families an incremental read after writes to `catalogs` (mg.written's value) reads. */
export function wholeFamiliesRead(catalogs: string): Set<string> {
  const all = catalogs === '*';
  return new Set(Object.entries(WHOLE_FAMILY_CATALOGS).filter(([, cs]) => all || cs.some((c) => catalogs.includes(`,${c},`))).map(([f]) => f));
}
const SEQ_MOVED = `pg_catalog.strpos(pg_catalog.current_setting('mg.seqs'), ',' || c.oid || ':' || coalesce(pg_catalog.pg_sequence_last_value(c.oid)::text, '') || ',') = 0`;
const DIRTY = `dirty_rel(o) AS (
  SELECT c.oid FROM pg_catalog.pg_class c WHERE c.oid >= 16384 AND ((${written(['pg_class'])} AND ${XMIN('c')}) OR (c.relkind = 'S' AND ${SEQ_MOVED}))
  UNION SELECT at.attrelid FROM pg_catalog.pg_attribute at WHERE ${written(['pg_attribute'])} AND at.attrelid >= 16384 AND ${XMIN('at')}
  UNION SELECT ad.adrelid FROM pg_catalog.pg_attrdef ad WHERE ${written(['pg_attrdef'])} AND ad.adrelid >= 16384 AND ${XMIN('ad')}
  UNION SELECT i.indrelid FROM pg_catalog.pg_index i WHERE ${written(['pg_index'])} AND i.indexrelid >= 16384 AND ${XMIN('i')}
  UNION SELECT i.indexrelid FROM pg_catalog.pg_index i WHERE ${written(['pg_index'])} AND i.indexrelid >= 16384 AND ${XMIN('i')}
  UNION SELECT pl.polrelid FROM pg_catalog.pg_policy pl WHERE ${written(['pg_policy'])} AND ${XMIN('pl')}
  UNION SELECT tg.tgrelid FROM pg_catalog.pg_trigger tg WHERE ${written(['pg_trigger'])} AND ${XMIN('tg')}
  UNION SELECT rw.ev_class FROM pg_catalog.pg_rewrite rw WHERE ${written(['pg_rewrite'])} AND ${XMIN('rw')}
), dirty_proc(o) AS (
  SELECT p.oid FROM pg_catalog.pg_proc p WHERE ${written(['pg_proc'])} AND p.oid >= 16384 AND ${XMIN('p')}
), dirty_type(o) AS (
  SELECT t.oid FROM pg_catalog.pg_type t WHERE ${written(['pg_type'])} AND t.oid >= 16384 AND ${XMIN('t')}
  UNION SELECT e.enumtypid FROM pg_catalog.pg_enum e WHERE ${written(['pg_enum'])} AND e.enumtypid >= 16384 AND ${XMIN('e')}
)`;
const SCOPED: Record<string, string> = {
  // = ANY (ARRAY(…)): looked up by OID in the catalog's index (IN (SELECT …) is planned as a hash
  // join over every user row, the generic plan not knowing how few rows were written).
  rel: 'c.oid = ANY (ARRAY(SELECT o FROM dirty_rel))',
  p: 'p.oid = ANY (ARRAY(SELECT o FROM dirty_proc))',
  t: 't.oid = ANY (ARRAY(SELECT o FROM dirty_type))',
};
// With an incremental read: every OID that can carry a fact of the families read in part (a
// superset: the caller drops the facts whose OID is gone, and their children).
const OIDS = `json_build_object(
    'c', (SELECT coalesce(array_agg(c.oid), '{}') FROM pg_catalog.pg_class c WHERE c.oid >= 16384),
    'p', (SELECT coalesce(array_agg(p.oid), '{}') FROM pg_catalog.pg_proc p WHERE p.oid >= 16384),
    't', (SELECT coalesce(array_agg(t.oid), '{}') FROM pg_catalog.pg_type t WHERE t.oid >= 16384),
    'pol', (SELECT coalesce(array_agg(pl.oid), '{}') FROM pg_catalog.pg_policy pl),
    'tg', (SELECT coalesce(array_agg(tg.oid), '{}') FROM pg_catalog.pg_trigger tg WHERE tg.oid >= 16384),
    'rw', (SELECT coalesce(array_agg(rw.oid), '{}') FROM pg_catalog.pg_rewrite rw WHERE rw.oid >= 16384))`;
/**
 * The families `factsSql(true)` reads in part (the rest are always read whole): relations and
 * what hangs off them (read for the relations in `rel`, which is cut to the written ones),
 * functions, types.
 */
export const SCOPED_FAMILIES: ReadonlySet<string> = new Set(['c', 'a', 'pol', 'tg', 'rw', 'p', 't']);
/**
 * Families whose names other facts embed (a column's in a policy's or a view's expression, a
 * schema's in every name, a role's in every ACL): one renamed makes an incremental read unsafe.
 */
export const NAMED_FAMILIES: ReadonlySet<string> = new Set(['c', 'a', 'p', 't', 'n', 'r']);
// Settings that change how format_type / pg_get_expr / acl text reads (qualification, literals).
const SETTINGS = `concat_ws('|', current_setting('search_path'), current_setting('DateStyle'), current_setting('IntervalStyle'), current_setting('TimeZone'),
    current_setting('extra_float_digits'), current_setting('bytea_output'), current_setting('quote_all_identifiers'))`;

/**
 * The catalog's facts in one query (prepared once per session). `scoped` false: every fact (no
 * parameter). true: the incremental read above (SET LOCAL mg.from_xid, mg.deleted, mg.seqs and mg.written first).
 */
export function factsSql(scoped: boolean): string {
  const only = (family: string) => (scoped && SCOPED[family] ? ` AND ${SCOPED[family]}` : '');
  // A whole family's condition (with the AND that follows it): in an incremental read, whether its catalogs were written.
  const whole = (family: string) => (scoped ? `${written(WHOLE_FAMILY_CATALOGS[family])} AND ` : '');
  return `
WITH ${scoped ? `${DIRTY},\n` : ''}rel AS (
  SELECT c.oid, c.relname, c.relkind, c.relpersistence, c.relowner, c.relacl, c.relrowsecurity, c.relforcerowsecurity, c.reloptions,
         ${nsp('c.relnamespace')} AS ns
    FROM pg_catalog.pg_class c
   WHERE c.oid >= 16384 AND c.relkind IN ('r','p','v','m','S','f','i','I') AND c.relnamespace ${USER_NS}${only('rel')}
), f(k, v) AS (
  SELECT 'c' || r.oid, json_build_array(CASE r.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
           WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' ELSE 'index' END,
           r.ns || '.' || r.relname,
           CASE WHEN r.relkind IN ('i','I') THEN (SELECT 'c' || indrelid FROM pg_catalog.pg_index WHERE indexrelid = r.oid) END,
           jsonb_strip_nulls(jsonb_build_object('name', r.ns || '.' || r.relname,
           'persistence', CASE r.relpersistence WHEN 'u' THEN 'unlogged' WHEN 't' THEN 'temporary' ELSE 'permanent' END,
           'rls', CASE WHEN r.relkind IN ('r','p') THEN r.relrowsecurity END,
           'forcerls', CASE WHEN r.relkind IN ('r','p') THEN r.relforcerowsecurity END,
           'last_value', CASE WHEN r.relkind = 'S' THEN pg_catalog.pg_sequence_last_value(r.oid)::text END,
           -- A view's options (security_invoker, security_barrier, check_option), as stored: 'security_invoker=true'.
           'options', CASE WHEN r.relkind = 'v' THEN r.reloptions END,
           -- A unique index (CREATE UNIQUE INDEX: Prisma's @unique): dropping it lifts the uniqueness.
           'unique', CASE WHEN r.relkind IN ('i','I') THEN (SELECT NULLIF(x.indisunique, false) FROM pg_catalog.pg_index x WHERE x.indexrelid = r.oid) END,
           -- What a unique index enforces, for telling whether another still does when it is dropped
           -- (facts.ts coveringIndex): its key columns by number (INCLUDE columns are not keys; 0 is an
           -- expression), partial or not, NULLS NOT DISTINCT, usable. Not compared between reads.
           'cover', CASE WHEN r.relkind IN ('i','I') THEN (SELECT jsonb_build_object(
                      'keys', (SELECT jsonb_agg(u.k) FROM unnest(x.indkey::int2[]) WITH ORDINALITY u(k, o) WHERE u.o <= x.indnkeyatts),
                      'partial', x.indpred IS NOT NULL, 'nnd', x.indnullsnotdistinct, 'valid', x.indisvalid AND x.indisready)
                    FROM pg_catalog.pg_index x WHERE x.indexrelid = r.oid AND x.indisunique) END,
           'owner', ${role('r.relowner')})),
           CASE WHEN r.relkind IN ('i','I') THEN NULL ELSE ${acl('r.relacl', `(CASE WHEN r.relkind = 'S' THEN 's' ELSE 'r' END)::"char"`, 'r.relowner')} END,
           r.relacl IS NULL,
           ${role('r.relowner')})
    FROM rel r
  UNION ALL
  SELECT 'a' || at.attrelid || '.' || at.attnum, json_build_array('column',
           r.ns || '.' || r.relname || '.' || at.attname,
           'c' || r.oid,
           jsonb_strip_nulls(jsonb_build_object('name', at.attname, 'type', pg_catalog.format_type(at.atttypid, at.atttypmod),
           'notnull', at.attnotnull, 'default', (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attrdef d WHERE d.adrelid = at.attrelid AND d.adnum = at.attnum),
           'generated', NULLIF(at.attgenerated, ''), 'identity', NULLIF(at.attidentity, ''))),
           CASE WHEN at.attacl IS NULL THEN NULL ELSE ${acl('at.attacl', null, '')} END,
           at.attacl IS NULL,
           NULL)
    -- Driven by rel (a few relations in an incremental read): OFFSET 0 keeps the planner from
    -- turning it round into a scan of every user column (its generic plan cannot know rel's size).
    FROM rel r CROSS JOIN LATERAL (SELECT * FROM pg_catalog.pg_attribute a WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped OFFSET 0) at
   WHERE r.relkind IN ('r','p','v','m','f')
  UNION ALL
  SELECT 'n' || n.oid, json_build_array('schema',
           n.nspname,
           NULL,
           jsonb_build_object('name', n.nspname, 'owner', ${role('n.nspowner')}),
           ${acl('n.nspacl', "'n'", 'n.nspowner')},
           n.nspacl IS NULL,
           ${role('n.nspowner')})
    FROM pg_catalog.pg_namespace n
   WHERE ${whole('n')}n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  UNION ALL
  SELECT 'r' || a.oid, json_build_array('role',
           a.rolname,
           NULL,
           jsonb_build_object('name', a.rolname, 'superuser', a.rolsuper, 'createrole', a.rolcreaterole, 'createdb', a.rolcreatedb,
           'replication', a.rolreplication, 'bypassrls', a.rolbypassrls, 'login', a.rolcanlogin, 'inherit', a.rolinherit),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_roles a WHERE ${whole('r')}true
  UNION ALL
  SELECT 'm' || m.oid, json_build_array('role',
           ${role('m.member')} || ' → ' || ${role('m.roleid')},
           NULL,
           jsonb_build_object('admin', m.admin_option, 'inherit', m.inherit_option, 'set', m.set_option, 'grantor', ${role('m.grantor')}),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_auth_members m WHERE ${whole('m')}true
  UNION ALL
  SELECT 'p' || p.oid, json_build_array('function',
           ${nsp('p.pronamespace')} || '.' || p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',
           NULL,
           jsonb_strip_nulls(jsonb_build_object('name', ${nsp('p.pronamespace')} || '.' || p.proname, 'owner', ${role('p.proowner')}, 'secdef', p.prosecdef,
           'language', (SELECT lanname FROM pg_catalog.pg_language WHERE oid = p.prolang),
           'body', md5(coalesce(p.prosrc, '') || coalesce(pg_catalog.pg_get_function_sqlbody(p.oid), '')),
           'config', p.proconfig, 'returns', pg_catalog.pg_get_function_result(p.oid))),
           ${acl('p.proacl', "'f'", 'p.proowner')},
           p.proacl IS NULL,
           ${role('p.proowner')})
    FROM pg_catalog.pg_proc p WHERE p.oid >= 16384 AND p.pronamespace ${USER_NS}${only('p')}
  UNION ALL
  SELECT 't' || t.oid, json_build_array('type',
           ${nsp('t.typnamespace')} || '.' || t.typname,
           NULL,
           jsonb_strip_nulls(jsonb_build_object('name', ${nsp('t.typnamespace')} || '.' || t.typname, 'owner', ${role('t.typowner')},
           'values', CASE WHEN t.typtype = 'e' THEN (SELECT array_agg(enumlabel ORDER BY enumsortorder) FROM pg_catalog.pg_enum WHERE enumtypid = t.oid) END)),
           ${acl('t.typacl', "'T'", 't.typowner')},
           t.typacl IS NULL,
           ${role('t.typowner')})
    FROM pg_catalog.pg_type t
   WHERE t.oid >= 16384 AND t.typnamespace ${USER_NS} AND t.typcategory <> 'A'
     AND (t.typrelid = 0 OR (SELECT relkind FROM pg_catalog.pg_class WHERE oid = t.typrelid) = 'c')${only('t')}
  UNION ALL
  SELECT 'd' || d.oid, json_build_array('database',
           d.datname,
           NULL,
           jsonb_build_object('name', d.datname, 'owner', ${role('d.datdba')}),
           ${acl('d.datacl', "'d'", 'd.datdba')},
           d.datacl IS NULL,
           ${role('d.datdba')})
    FROM pg_catalog.pg_database d WHERE ${whole('d')}true
  UNION ALL
  SELECT 'set' || s.setdatabase || '.' || s.setrole, json_build_array(CASE WHEN s.setrole = 0 THEN 'database' ELSE 'role' END,
           coalesce(${role('s.setrole')}, 'all roles') || CASE WHEN s.setdatabase = 0 THEN '' ELSE ' in database ' || (SELECT datname FROM pg_catalog.pg_database WHERE oid = s.setdatabase) END,
           NULL,
           jsonb_build_object('settings', s.setconfig),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_db_role_setting s WHERE ${whole('set')}true
  UNION ALL
  SELECT 'da' || da.oid, json_build_array('default privileges',
           CASE da.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' ELSE 'large objects' END
           || ' created by ' || ${role('da.defaclrole')} || CASE WHEN da.defaclnamespace = 0 THEN '' ELSE ' in schema ' || ${nsp('da.defaclnamespace')} END,
           NULL,
           '{}'::jsonb,
           ${acl('da.defaclacl', null, '')},
           false,
           ${role('da.defaclrole')})
    FROM pg_catalog.pg_default_acl da WHERE ${whole('da')}true
  UNION ALL
  SELECT 'lo' || l.oid, json_build_array('large object',
           'large object ' || l.oid,
           NULL,
           jsonb_build_object('owner', ${role('l.lomowner')}),
           ${acl('l.lomacl', "'L'", 'l.lomowner')},
           l.lomacl IS NULL,
           ${role('l.lomowner')})
    FROM pg_catalog.pg_largeobject_metadata l WHERE ${whole('lo')}true
  UNION ALL
  SELECT 'pol' || pl.oid, json_build_array('policy',
           pl.polname || ' on ' || r.ns || '.' || r.relname,
           'c' || r.oid,
           jsonb_strip_nulls(jsonb_build_object('name', pl.polname, 'command', pl.polcmd, 'permissive', pl.polpermissive,
           'roles', (SELECT array_agg(CASE WHEN x = 0 THEN 'PUBLIC' ELSE ${role('x')} END ORDER BY 1) FROM unnest(pl.polroles) x),
           'using', pg_catalog.pg_get_expr(pl.polqual, pl.polrelid), 'check', pg_catalog.pg_get_expr(pl.polwithcheck, pl.polrelid))),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_policy pl JOIN rel r ON r.oid = pl.polrelid
  UNION ALL
  SELECT 'tg' || tg.oid, json_build_array('trigger',
           tg.tgname || ' on ' || r.ns || '.' || r.relname,
           'c' || r.oid,
           jsonb_build_object('name', tg.tgname, 'enabled', tg.tgenabled, 'function', tg.tgfoid::pg_catalog.regproc::text),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_trigger tg JOIN rel r ON r.oid = tg.tgrelid WHERE NOT tg.tgisinternal
  UNION ALL
  SELECT 'rw' || rw.oid, json_build_array('rule',
           rw.rulename || ' on ' || r.ns || '.' || r.relname,
           'c' || r.oid,
           jsonb_build_object('name', rw.rulename, 'enabled', rw.ev_enabled, 'definition', md5(pg_catalog.pg_get_ruledef(rw.oid))),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_rewrite rw JOIN rel r ON r.oid = rw.ev_class WHERE rw.rulename <> '_RETURN'
  UNION ALL
  SELECT 'pub' || pb.oid, json_build_array('publication',
           pb.pubname,
           NULL,
           jsonb_build_object('name', pb.pubname, 'owner', ${role('pb.pubowner')}, 'all tables', pb.puballtables,
           'tables', (SELECT array_agg(pt.schemaname || '.' || pt.tablename ORDER BY 1) FROM pg_catalog.pg_publication_tables pt WHERE pt.pubname = pb.pubname),
           'operations', concat_ws(',', CASE WHEN pb.pubinsert THEN 'insert' END, CASE WHEN pb.pubupdate THEN 'update' END, CASE WHEN pb.pubdelete THEN 'delete' END, CASE WHEN pb.pubtruncate THEN 'truncate' END)),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_publication pb WHERE ${whole('pub')}true
  UNION ALL
  SELECT 'sub' || sb.oid, json_build_array('subscription',
           sb.subname,
           NULL,
           jsonb_build_object('name', sb.subname, 'owner', ${role('sb.subowner')}, 'enabled', sb.subenabled, 'publications', sb.subpublications),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_subscription sb WHERE ${whole('sub')}true
  UNION ALL
  SELECT 'evt' || ev.oid, json_build_array('event trigger',
           ev.evtname,
           NULL,
           jsonb_build_object('name', ev.evtname, 'owner', ${role('ev.evtowner')}, 'event', ev.evtevent, 'enabled', ev.evtenabled,
           'function', ev.evtfoid::pg_catalog.regproc::text, 'tags', ev.evttags),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_event_trigger ev WHERE ${whole('evt')}true
  UNION ALL
  SELECT 'ext' || x.oid, json_build_array('extension',
           x.extname,
           NULL,
           jsonb_build_object('name', x.extname, 'version', x.extversion, 'schema', ${nsp('x.extnamespace')}),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_extension x WHERE ${whole('ext')}true
  UNION ALL
  SELECT 'lan' || lg.oid, json_build_array('language',
           lg.lanname,
           NULL,
           jsonb_build_object('name', lg.lanname, 'owner', ${role('lg.lanowner')}, 'trusted', lg.lanpltrusted),
           ${acl('lg.lanacl', "'l'", 'lg.lanowner')},
           lg.lanacl IS NULL,
           ${role('lg.lanowner')})
    FROM pg_catalog.pg_language lg WHERE ${whole('lan')}lg.lanname NOT IN ('internal', 'c')
  UNION ALL
  SELECT 'fdw' || w.oid, json_build_array('foreign-data wrapper',
           w.fdwname,
           NULL,
           jsonb_build_object('name', w.fdwname, 'owner', ${role('w.fdwowner')}),
           ${acl('w.fdwacl', "'F'", 'w.fdwowner')},
           w.fdwacl IS NULL,
           ${role('w.fdwowner')})
    FROM pg_catalog.pg_foreign_data_wrapper w WHERE ${whole('fdw')}true
  UNION ALL
  SELECT 'srv' || sv.oid, json_build_array('server',
           sv.srvname,
           NULL,
           jsonb_build_object('name', sv.srvname, 'owner', ${role('sv.srvowner')}),
           ${acl('sv.srvacl', "'S'", 'sv.srvowner')},
           sv.srvacl IS NULL,
           ${role('sv.srvowner')})
    FROM pg_catalog.pg_foreign_server sv WHERE ${whole('srv')}true
  UNION ALL
  SELECT 'par' || pa.oid, json_build_array('parameter',
           pa.parname,
           NULL,
           jsonb_build_object('name', pa.parname),
           ${acl('pa.paracl', null, '')},
           false,
           NULL)
    FROM pg_catalog.pg_parameter_acl pa WHERE ${whole('par')}true
)
SELECT json_build_object('f', coalesce(json_agg(json_build_array(k, v)), '[]'), 's', ${SETTINGS}${scoped ? `, 'o', CASE WHEN pg_catalog.current_setting('mg.deleted') = 'yes' THEN ${OIDS} END` : ''})::text AS j FROM f`;
}

type Row = [string, [ObjectKind, string, string | null, Record<string, unknown>, string[] | null, boolean, string | null]];

/** A read: the facts, and the settings that formatted their text. */
export interface FactsRead {
  facts: Fact[];
  settings: string;
  /** Incremental reads after a delete: the OIDs that exist, per family read in part ('c', 'p', 't', 'pol', 'tg', 'rw'). */
  oids?: Record<string, number[]>;
}

export function parseFacts(json: string): FactsRead {
  const { f, s, o } = JSON.parse(json) as { f: Row[]; s: string; o?: Record<string, number[]> | null };
  const facts = f.map(([k, [kind, name, parent, a, acl, dflt, owner]]) => {
    const x: Fact = { k, kind, name, a: a ?? {} };
    if (parent) x.parent = parent;
    // For created objects the diff reports privileges only when they are not the default.
    x.acl = acl;
    if (dflt) x.dflt = true;
    if (owner) x.owner = owner;
    return x;
  });
  return { facts, settings: s, ...(o ? { oids: o } : {}) };
}

/** '' when `a` and `b` hold the same facts in the same order, else the first difference. */
export function factsDiffer(a: Map<string, Fact>, b: Map<string, Fact>): string {
  const ka = [...a.keys()];
  const kb = [...b.keys()];
  for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
    if (ka[i] !== kb[i]) return `key ${i}: ${ka[i] ?? '(none)'} vs ${kb[i] ?? '(none)'}`;
    const x = JSON.stringify(a.get(ka[i]));
    const y = JSON.stringify(b.get(kb[i]));
    if (x !== y) return `${ka[i]}: ${x} vs ${y}`;
  }
  return '';
}

/** A fact key's family: 'c' for 'c16384', 'set' for 'set0.10'. */
export function familyOf(k: string): string {
  let i = 0;
  while (i < k.length && k.charCodeAt(i) >= 97 && k.charCodeAt(i) <= 122) i++; // a-z
  return k.slice(0, i);
}

// The order of factsSql's branches: facts are kept in this order, then by OID (and attnum), so a
// full read and an incremental one list the same catalog in the same order (the diff's order).
const RANK = new Map(['c', 'a', 'n', 'r', 'm', 'p', 't', 'd', 'set', 'da', 'lo', 'pol', 'tg', 'rw', 'pub', 'sub', 'evt', 'ext', 'lan', 'fdw', 'srv', 'par'].map((f, i) => [f, i]));

/** `facts` as a map in the canonical order (family, then the numbers of the key). */
export function canonical(facts: Iterable<Fact>): Map<string, Fact> {
  const keyed = [...facts].map((f) => {
    const fam = familyOf(f.k);
    const [x, y] = f.k.slice(fam.length).split('.');
    return { f, r: RANK.get(fam) ?? 99, x: Number(x), y: Number(y ?? 0) };
  });
  keyed.sort((p, q) => p.r - q.r || p.x - q.x || p.y - q.y);
  return new Map(keyed.map((e) => [e.f.k, e.f]));
}

/** The contract's CatalogSnapshot, from the facts. */
export function snapshotOf(facts: Iterable<Fact>): CatalogSnapshot {
  const snap: CatalogSnapshot = { relations: {}, schemas: {}, roles: {}, functions: {} };
  const rels = new Map<string, CatalogSnapshot['relations'][string]>();
  const cols: Fact[] = [];
  for (const f of facts) {
    const id = Number(f.k.replace(/^[a-z]+/, ''));
    if (f.k.startsWith('c')) {
      const r = { kind: f.kind, id, persistence: f.a.persistence as 'permanent' | 'unlogged' | 'temporary' | undefined, owner: f.owner, columns: {} };
      snap.relations[f.name] = r;
      rels.set(f.k, r);
    } else if (f.k.startsWith('a')) cols.push(f);
    else if (f.k.startsWith('n')) snap.schemas[f.name] = { id, owner: f.owner };
    else if (f.k.startsWith('r') && f.kind === 'role')
      snap.roles[f.name] = {
        superuser: !!f.a.superuser,
        createrole: !!f.a.createrole,
        createdb: !!f.a.createdb,
        replication: !!f.a.replication,
        bypassrls: !!f.a.bypassrls,
        login: !!f.a.login,
      };
    else if (f.k.startsWith('p') && f.kind === 'function') snap.functions[f.name] = { id, securityDefiner: !!f.a.secdef, language: String(f.a.language) };
  }
  for (const c of cols) {
    const r = c.parent ? rels.get(c.parent) : undefined;
    if (r) r.columns[String(c.a.name)] = { type: String(c.a.type), notNull: !!c.a.notnull };
  }
  return snap;
}
