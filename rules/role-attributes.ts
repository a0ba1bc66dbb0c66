import { folded, inside, mysqlAccount, pgNode, roleName, UNPARSED } from '../src/sql/ast.js';
import type { Report, Rule, Statement } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';
import { roleNote } from '../src/sql/roles.js';

/** Role attributes that widen what a role can do; `high`: bypasses permission checks or administers roles/replication. */
const ATTRS: Record<string, { label: string; what: string; high: boolean }> = {
  superuser: { label: 'SUPERUSER', what: 'bypasses every permission check', high: true },
  bypassrls: { label: 'BYPASSRLS', what: 'ignores row-level security', high: true },
  createrole: { label: 'CREATEROLE', what: 'can create, alter and grant roles', high: true },
  isreplication: { label: 'REPLICATION', what: 'can stream all data', high: true },
  createdb: { label: 'CREATEDB', what: 'can create databases', high: false },
  canlogin: { label: 'LOGIN', what: 'can log in', high: false },
  inherit: { label: 'INHERIT', what: 'uses the privileges of the roles it is a member of', high: false },
};

/** ALTER ROLE … SET parameters that matter for privileges or code execution. */
const SET_PARAMS: Record<string, string> = {
  session_preload_libraries: 'loads a shared library into every session of the role',
  local_preload_libraries: 'loads a shared library into every session of the role',
  role: 'switches every session of the role to another role',
  session_authorization: 'switches every session of the role to another user',
};

function bool(arg: any): boolean | undefined {
  if (arg?.Boolean) return arg.Boolean.boolval === true;
  if (arg?.Integer) return (arg.Integer.ival ?? 0) !== 0;
  return undefined;
}

function pgRole(stmt: Statement, report: (r: Report) => void): void {
  const c = pgNode(stmt, 'CreateRoleStmt');
  const a = pgNode(stmt, 'AlterRoleStmt');
  const node = c ?? a;
  if (!node) return;
  // ALTER GROUP … ADD/DROP USER only: the grant-role rule's.
  if (a && (a.options ?? []).length && a.options.every((o: any) => o?.DefElem?.defname === 'rolemembers')) return;
  const name = c ? c.role : roleName(a.role);
  const kind = c ? (c.stmt_type === 'ROLESTMT_USER' ? 'user' : c.stmt_type === 'ROLESTMT_GROUP' ? 'group' : 'role') : 'role';
  const granted: string[] = [];
  const removed: string[] = [];
  const other: string[] = [];
  const secrets: string[] = [];
  let high = false;
  let login = c?.stmt_type === 'ROLESTMT_USER'; // CREATE USER implies LOGIN
  let membership = false;
  for (const o of node.options ?? []) {
    const d = o?.DefElem;
    if (!d) continue;
    const k = String(d.defname);
    if (k === 'rolemembers' && a) continue; // ALTER GROUP … ADD/DROP USER: the grant-role rule's
    const attr = ATTRS[k];
    if (attr) {
      const on = bool(d.arg) !== false;
      if (k === 'canlogin') login = on;
      if (on) {
        if (k === 'inherit' && c) continue; // INHERIT is the default for new roles
        if (k === 'canlogin') continue; // added below
        granted.push(`${attr.label} (${attr.what})`);
        high ||= attr.high;
      } else removed.push(attr.label);
      continue;
    }
    if (k === 'password') {
      const p = d.arg?.String?.sval;
      if (p) secrets.push(p);
      other.push(p === undefined ? 'PASSWORD NULL' : c ? 'a password' : 'sets a password');
    } else if (k === 'addroleto' || k === 'rolemembers' || k === 'adminmembers') {
      const roles: string[] = (d.arg?.List?.items ?? []).map(roleName);
      if (k === 'addroleto') {
        membership = true;
        const notes = roles.map(roleNote);
        high ||= notes.some((n) => n.high);
        other.push(`membership IN ROLE ${roles.map((r: string, i: number) => r + notes[i].text).join(', ')}`);
      } else other.push(`${k === 'adminmembers' ? 'ADMIN' : 'ROLE'} ${roles.join(', ')} (${k === 'adminmembers' ? 'can administer it' : 'become members'})`);
    } else if (k === 'validUntil') other.push(`VALID UNTIL '${d.arg?.String?.sval ?? '?'}'`);
    else if (k === 'connectionlimit') other.push(`CONNECTION LIMIT ${d.arg?.Integer?.ival ?? 0}`);
    else other.push(k.toUpperCase());
  }
  if (login) granted.unshift(`LOGIN (${ATTRS.canlogin.what})`);
  const removedText = removed.length ? (c ? removed.map((r) => `NO${r}`) : [`removes ${removed.join(', ')}`]) : [];
  const parts = [...granted, ...other, ...removedText];
  const detail = parts.length ? `${c ? ' with' : ':'} ${parts.join(', ')}` : '';
  const verb = c ? `Creates ${kind} ${name}` : `Alters role ${name}`;
  // Elevation (or a new login identity, or membership) is an error; anything else is informative.
  const elevating = granted.length > 0 || membership;
  const risk = high ? ' (high risk)' : '';
  const plain = c && !elevating ? ' (no special attributes; review what is granted to it)' : '';
  report({
    message: `${verb}${detail}${inside(stmt)}${risk}${plain}.`,
    severity: elevating ? 'error' : 'warning',
    secrets: secrets.length ? secrets : undefined,
  });
}

const rule: Rule = {
  meta: {
    id: 'role-attributes',
    category: 'privilege',
    severity: 'error',
    summary: 'Creates or alters a role/user: SUPERUSER, BYPASSRLS, CREATEROLE, REPLICATION, CREATEDB, LOGIN and memberships called out',
    rationale:
      'SUPERUSER bypasses every check, BYPASSRLS ignores row-level security, CREATEROLE can create roles and grant itself most memberships, ' +
      'REPLICATION can stream every row; LOGIN creates a new identity that can connect. New roles with LOGIN or elevated attributes are errors; ' +
      'a role without special attributes, or an ALTER that only removes attributes or sets a password/limit, is a warning. ' +
      'ALTER ROLE … SET of session_preload_libraries / role is reported (loads code or switches identity at every login). ' +
      'MySQL/MariaDB CREATE/ALTER USER and CREATE ROLE are reported the same way (hardcoded passwords are the credential rules’).',
    fix: 'Create roles without LOGIN and without elevated attributes, grant them what they need, and let operators (not migrations) create login users; get role changes approved.',
    examples: {
      bad: [
        { sql: "CREATE ROLE admin WITH SUPERUSER LOGIN PASSWORD 'x';" },
        { sql: 'ALTER ROLE app BYPASSRLS;' },
        { sql: 'CREATE USER reporting;' },
        { sql: "ALTER DATABASE app SET role = 'postgres';" },
        { sql: 'CREATE ROLE r IN ROLE pg_read_server_files;' },
        { sql: "ALTER ROLE app SET session_preload_libraries = 'evil';" },
        { sql: "CREATE USER 'app'@'%' IDENTIFIED BY 'x';", dialect: 'mysql' },
        { sql: "ALTER USER 'app'@'%' IDENTIFIED BY 'y';", dialect: 'mysql' },
        { sql: 'DO $$ BEGIN CREATE ROLE anon NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;' },
      ],
      good: [
        { sql: 'CREATE TABLE users (id int, password_hash text);' },
        { sql: "ALTER ROLE authenticator SET statement_timeout = '8s';" },
        { sql: "ALTER DATABASE app SET statement_timeout = '8s';" },
        { sql: 'CREATE USER MAPPING FOR bob SERVER s;' },
      ],
    },
  },
  kinds: ['AlterRoleSetStmt', 'AlterDatabaseSetStmt', 'AlterRoleStmt', 'CreateRoleStmt'],
  check(stmt, { report }) {
    pgRole(stmt, report);
    const s = pgNode(stmt, 'AlterRoleSetStmt');
    // ALTER DATABASE … SET role / session_authorization: every session in the database, whoever logs in.
    const d = pgNode(stmt, 'AlterDatabaseSetStmt');
    const set = s?.setstmt ?? d?.setstmt;
    const param = String(set?.name ?? '').toLowerCase();
    if (set && SET_PARAMS[param]) {
      const who = d ? `every session in database ${d.dbname ?? '?'}` : s.role ? roleName(s.role) : 'ALL roles';
      const val = (set.args ?? []).map((x: any) => x?.A_Const?.sval?.sval).filter(Boolean).join(', ');
      const what = d ? SET_PARAMS[param].replace(' of the role', ' of every role that connects to it') : SET_PARAMS[param];
      report({ message: `Sets ${param}${val ? ` = '${val}'` : ''} for ${who}: ${what}${inside(stmt)}.` });
    }
    const ast = stmt.ast;
    if (ast?.type === 'create' && ast.keyword === 'user') {
      const users = (ast.user ?? []).map((u: any) => mysqlAccount(u?.user));
      const secrets = (ast.user ?? []).map((u: any) => u?.auth_option?.value?.value).filter((x: any) => typeof x === 'string' && x);
      const anyHost = (ast.user ?? []).some((u: any) => u?.user?.host?.value === '%' || !u?.user?.host);
      const roles = (ast.default_role?.value ?? []).map(mysqlAccount);
      report({
        message: `Creates user ${users.join(', ')}${anyHost ? ' (can connect from any host)' : ''}${roles.length ? ` with DEFAULT ROLE ${roles.join(', ')}` : ''}.`,
        secrets: secrets.length ? secrets : undefined,
      });
    } else if (ast && !(ast.type === 'create' && ast.keyword === 'user') && /^(create|alter)\s+(user|role)\s/.test(stmt.lexical) && !/^(create|alter)\s+user\s+mapping\b/.test(stmt.lexical)) {
      textRole(stmt, report); // a grammar that misread the statement
    }
  },
  unparsed(stmt, { report }) {
    textRole(stmt, report, UNPARSED);
  },
  // Not CREATE/ALTER USER MAPPING (dangerous-extension) nor ALTER GROUP … ADD/DROP USER (grant-role).
  lexical: [/\b(create|alter)\s+(role|group|user(?!\s+mapping\b))\b(?!\s+\S+\s+(add|drop)\s+user\b)/],
};

/** MySQL/MariaDB CREATE ROLE, ALTER USER, … from the text (node-sql-parser does not accept them). */
function textRole(stmt: Statement, report: (r: Report) => void, suffix = ''): void {
  const t = folded(stmt);
  const m = /^(create|alter)\s+(user|role)\s+(?:if\s+(?:not\s+)?exists\s+)?(.+?)(?:\s+(identified|with|default|require|account|password|comment|attribute)\b(.*))?;?$/i.exec(t);
  if (!m || /^mapping\b/i.test(m[3])) return;
  const secret = /\bidentified\s+(?:with\s+\S+\s+)?(?:by|as)\s+(?:password\s+)?'([^']*)'/i.exec(t)?.[1];
  const verb = m[1].toLowerCase() === 'create' ? 'Creates' : 'Alters';
  const details: string[] = [];
  if (/\bidentified\b/i.test(t)) details.push('sets its password');
  if (/\baccount\s+unlock\b/i.test(t)) details.push('unlocks the account');
  if (/\bdefault\s+role\b/i.test(t)) details.push('sets a DEFAULT ROLE');
  if (/@\s*['"`]?%/.test(m[3])) details.push('can connect from any host');
  report({
    message: `Likely: ${verb} ${m[2].toLowerCase()} ${m[3]}${details.length ? ` (${details.join(', ')})` : ''}${suffix}.`,
    secrets: secret ? [secret] : undefined,
  });
}
export default withDynamic(rule);
