import { createdEarlier, folded, hasNode, inside, nodeOffset, rangeVarName, textMayName, UNPARSED, walk } from '../src/sql/ast.js';
import type { Report, Rule, Statement } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';

/** PostgreSQL catalogs whose rows are roles, memberships, privileges and settings. */
const PG_AUTH = /^(pg_authid|pg_auth_members|pg_shadow|pg_user|pg_roles|pg_group|pg_default_acl|pg_init_privs|pg_db_role_setting|pg_user_mapping|pg_largeobject_metadata|pg_parameter_acl|pg_hba_file_rules)$/;
/** MySQL system tables that hold accounts and privileges (`FLUSH PRIVILEGES` makes edits take effect). */
const MYSQL_AUTH = /^(user|db|tables_priv|columns_priv|procs_priv|proxies_priv|global_grants|role_edges|default_roles|password_history|roles_mapping|global_priv)$/;

/** What writing to a catalog table means, or undefined when the table is not a catalog. */
function pgCatalog(schema: string | undefined, rel: string): string | undefined {
  const s = schema?.toLowerCase();
  const r = rel.toLowerCase();
  if (s && s !== 'pg_catalog' && s !== 'information_schema') return undefined;
  if (s === 'information_schema') return 'a system view';
  if (!s && !r.startsWith('pg_')) return undefined;
  if (r === 'pg_settings') return 'server settings: an UPDATE of it is set_config(), changing a setting for the rest of the session (audit and security settings included)';
  if (s === 'pg_catalog' || r.startsWith('pg_')) return PG_AUTH.test(r) ? 'roles, passwords and privileges: a direct write grants or changes access without GRANT/ALTER ROLE' : 'a system catalog: a direct write bypasses every check DDL makes';
  return undefined;
}

function mysqlCatalog(db: string | undefined | null, table: string): string | undefined {
  const d = String(db ?? '').toLowerCase();
  const t = table.toLowerCase();
  if (d === 'mysql') return MYSQL_AUTH.test(t) ? 'accounts and privileges: a direct write grants access without GRANT (active after FLUSH PRIVILEGES or a restart)' : 'a MySQL system table';
  if (d === 'performance_schema' && /^setup_/.test(t)) return 'performance schema instrumentation (what is monitored and audited)';
  if (d === 'sys' || d === 'information_schema') return 'a system schema';
  if (!d && /^(sqlite_master|sqlite_schema|sqlite_temp_master)$/.test(t)) return 'the SQLite schema table: a direct write (with PRAGMA writable_schema) rewrites table and trigger definitions unchecked';
  return undefined;
}

const VERB: Record<string, string> = { UpdateStmt: 'Updates', InsertStmt: 'Inserts into', DeleteStmt: 'Deletes from', MergeStmt: 'Merges into' };

function pgCheck(stmt: Statement, report: (r: Report) => void): void {
  if (!stmt.pg || !hasNode(stmt.pg, 'UpdateStmt', 'InsertStmt', 'DeleteStmt', 'MergeStmt')) return;
  walk(stmt.pg, (k, v) => {
    const rel = VERB[k] ? v?.relation : undefined;
    if (!rel) return;
    const name = rangeVarName(rel);
    const what = pgCatalog(rel.schemaname, String(rel.relname ?? ''));
    if (!what || createdEarlier(stmt, name)) return;
    report({ message: `${VERB[k]} ${name}, ${what}${inside(stmt)}.`, offset: nodeOffset(stmt, rel.location), key: name });
  });
}

/**
 * Reads of the password-hash catalogs (pg_authid.rolpassword, pg_shadow.passwd) that copy or expose
 * them: into a table or view, out with COPY, or selecting the hash column (or `*`). An existence check
 * (`SELECT 1 FROM pg_authid WHERE rolname = …`) is not reported.
 */
function pgHashRead(stmt: Statement, report: (r: Report) => void): void {
  if (!stmt.pg || !textMayName(stmt.text, /pg_authid|pg_shadow/i)) return;
  let catalog: string | undefined;
  let location: number | undefined;
  let hashCol = false;
  walk(stmt.pg, (k, v) => {
    if (k === 'RangeVar' || (k === 'relation' && v?.relname)) {
      const r = String(v.relname ?? '').toLowerCase();
      if ((r === 'pg_authid' || r === 'pg_shadow') && (!v.schemaname || v.schemaname === 'pg_catalog')) (catalog = r), (location = v.location);
    }
    if (k === 'ColumnRef') {
      const last = v.fields?.[v.fields.length - 1];
      if (last?.A_Star || /^(rolpassword|passwd)$/i.test(last?.String?.sval ?? '')) hashCol = true;
    }
  });
  if (!catalog) return;
  const type = Object.keys(stmt.pg)[0];
  const persists = ['ViewStmt', 'CreateTableAsStmt', 'InsertStmt', 'CopyStmt', 'UpdateStmt'].includes(type);
  if (!hashCol && !persists) return;
  if (type === 'UpdateStmt' && stmt.pg.UpdateStmt?.relation?.relname === catalog) return; // a write: reported above
  report({
    message: `Reads ${catalog}${hashCol ? ' (password hashes of every role)' : ''}${persists ? ' and copies the result into a table, a view or a file' : ''}: the hashes can be cracked offline or leave the database${inside(stmt)}.`,
    offset: nodeOffset(stmt, location),
    key: `read:${catalog}`,
  });
}

function nspCheck(stmt: Statement, report: (r: Report) => void): void {
  const ast = stmt.ast;
  const type = String(ast?.type ?? '').toLowerCase();
  if (!ast || !['update', 'insert', 'replace', 'delete'].includes(type)) return;
  const tables: any[] = [...(ast.table ?? []), ...(type === 'delete' ? (ast.from ?? []) : [])];
  const seen = new Set<string>();
  for (const t of tables) {
    const table = typeof t?.table === 'string' ? t.table : undefined;
    if (!table) continue;
    const what = mysqlCatalog(t.db, table);
    const name = [t.db, table].filter(Boolean).join('.');
    if (!what || seen.has(name)) continue;
    seen.add(name);
    const verb = type === 'update' ? 'Updates' : type === 'delete' ? 'Deletes from' : type === 'replace' ? 'Replaces into' : 'Inserts into';
    report({ message: `${verb} ${name}, ${what}.`, key: name });
  }
}

function textCheck(stmt: Statement, report: (r: Report) => void, suffix: string): void {
  const t = folded(stmt);
  if (/^flush\s+(local\s+|no_write_to_binlog\s+)?privileges\b/i.test(t)) {
    report({ message: 'FLUSH PRIVILEGES reloads the grant tables: direct edits of mysql.user/mysql.db take effect (look for writes to them).', severity: 'warning', key: 'flush' });
    return;
  }
  if (/^pragma\s+(\w+\.)?writable_schema\s*(=\s*|\()\s*['"]?(1|on|true|yes|reset)\b/i.test(t)) {
    report({ message: `PRAGMA writable_schema lets the statements that follow rewrite sqlite_master directly (table and trigger definitions, unchecked)${suffix}.`, key: 'writable_schema' });
    return;
  }
  const m = /^(update|insert\s+into|delete\s+from|replace\s+into)\s+(?:only\s+)?([`"\w]+)\s*\.\s*([`"\w]+)/i.exec(t) ?? /^(update|insert\s+into|delete\s+from)\s+(?:only\s+)?()(pg_\w+)/i.exec(t);
  if (!m) return;
  const [db, table] = [m[2].replace(/[`"]/g, ''), m[3].replace(/[`"]/g, '')];
  const what = pgCatalog(db || undefined, table) ?? mysqlCatalog(db || undefined, table);
  if (what) report({ message: `Likely: ${m[1].toLowerCase()} ${db ? db + '.' : ''}${table}, ${what}${suffix}.`, key: `${db}.${table}` });
}

const rule: Rule = {
  meta: {
    id: 'catalog-write',
    category: 'privilege',
    severity: 'error',
    summary: 'Writes to system catalogs: UPDATE/INSERT/DELETE on pg_authid, pg_catalog.*, mysql.user/mysql.db, sqlite_master (privilege escalation without GRANT); copies of password hashes',
    rationale:
      'A superuser migration can give a role SUPERUSER with `UPDATE pg_authid SET rolsuper = true`, change function or table definitions in ' +
      'pg_proc/pg_class, or add an account with `INSERT INTO mysql.user` + FLUSH PRIVILEGES: none of it uses GRANT or ALTER ROLE, so the ' +
      'privilege rules never see it, and catalog edits bypass every check the DDL commands make. MySQL performance_schema.setup_* switches ' +
      'instrumentation off; SQLite PRAGMA writable_schema lets sqlite_master be rewritten.',
    fix: 'Use the DDL or GRANT/ALTER ROLE/CREATE USER command that does what you need (reviewed by the privilege rules) instead of editing catalogs.',
    examples: {
      bad: [
        { sql: "UPDATE pg_authid SET rolsuper = true WHERE rolname = 'app';" },
        // pg_authid spelled with Unicode escapes: the hashes copied into a table all the same.
        { sql: "CREATE TABLE leak AS SELECT rolname, rolpassword FROM U&\"pg\\005Fauthid\";" },
        { sql: "UPDATE pg_catalog.pg_proc SET prosecdef = true WHERE proname = 'f';" },
        { sql: "DO $$ BEGIN DELETE FROM pg_catalog.pg_policy WHERE polname = 'tenant_isolation'; END $$;" },
        { sql: "INSERT INTO mysql.user (Host, User, Super_priv) VALUES ('%', 'x', 'Y');\nFLUSH PRIVILEGES;", dialect: 'mysql' },
        { sql: "UPDATE mysql.db SET Select_priv = 'Y' WHERE User = 'app';", dialect: 'mariadb' },
        { sql: 'CREATE TABLE leak AS SELECT rolname, rolpassword FROM pg_authid;' },
        { sql: "PRAGMA writable_schema = 1;\nUPDATE sqlite_master SET sql = 'CREATE TABLE t(a)' WHERE name = 't';", dialect: 'sqlite' },
      ],
      good: [
        { sql: 'SELECT rolname FROM pg_authid;' },
        { sql: "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_authid WHERE rolname = 'app') THEN CREATE ROLE app; END IF; END $$;" },
        { sql: "UPDATE users SET is_admin = true WHERE id = 1;" },
        { sql: "UPDATE app.user SET name = 'x' WHERE id = 1;", dialect: 'mysql' },
        { sql: 'CREATE TABLE pg_stats_cache (id int);\nINSERT INTO pg_stats_cache VALUES (1);' },
      ],
    },
  },
  check(stmt, { report }) {
    pgCheck(stmt, report);
    pgHashRead(stmt, report);
    nspCheck(stmt, report);
    if (stmt.ast && /^pragma\s/.test(stmt.lexical)) textCheck(stmt, report, '');
  },
  unparsed(stmt, { report }) {
    textCheck(stmt, report, UNPARSED);
  },
  lexical: [/^(update|insert\s+into|delete\s+from)\s+(only\s+)?(pg_catalog\s*\.|pg_authid\b|pg_auth_members\b|mysql\s*\.|`mysql`\s*\.)/, /^flush\s+privileges\b/, /^pragma\s+writable_schema\b/],
};
export default withDynamic(rule);
