import { folded, inside, mysqlAccount, names, pgNode, rangeVarName, roleName, UNPARSED } from '../src/sql/ast.js';
import type { Report, Rule, Statement } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';
import { REVOKE_NOTE, revokeSeverity } from '../src/sql/roles.js';
import { fileFunction } from './server-file-access.js';
import { isUntrustedLanguage } from './untrusted-language.js';

const KIND: Record<string, [string, string]> = {
  OBJECT_TABLE: ['table', 'tables'],
  OBJECT_SEQUENCE: ['sequence', 'sequences'],
  OBJECT_FUNCTION: ['function', 'functions'],
  OBJECT_PROCEDURE: ['procedure', 'procedures'],
  OBJECT_ROUTINE: ['routine', 'routines'],
  OBJECT_SCHEMA: ['schema', 'schemas'],
  OBJECT_DATABASE: ['database', 'databases'],
  OBJECT_LANGUAGE: ['language', 'languages'],
  OBJECT_FOREIGN_SERVER: ['foreign server', 'foreign servers'],
  OBJECT_FDW: ['foreign data wrapper', 'foreign data wrappers'],
  OBJECT_TABLESPACE: ['tablespace', 'tablespaces'],
  OBJECT_TYPE: ['type', 'types'],
  OBJECT_DOMAIN: ['domain', 'domains'],
  OBJECT_LARGEOBJECT: ['large object', 'large objects'],
  OBJECT_PARAMETER_ACL: ['parameter', 'parameters'],
};

function typeName(t: any): string {
  const n = (t?.TypeName?.names ?? t?.names ?? []).map((x: any) => x?.String?.sval).filter((x: string) => x && x !== 'pg_catalog');
  return n.join('.') || '?';
}

function objectName(o: any): string {
  if (o?.RangeVar) return rangeVarName(o);
  if (o?.String) return o.String.sval;
  if (o?.List) return names(o.List.items);
  if (o?.Integer) return String(o.Integer.ival ?? 0);
  if (o?.ObjectWithArgs) {
    const f = o.ObjectWithArgs;
    return names(f.objname) + (f.args_unspecified ? '' : `(${(f.objargs ?? []).map(typeName).join(', ')})`);
  }
  return '?';
}

/** Object privileges of a PostgreSQL GRANT/REVOKE (libpg-query GrantStmt), described. */
function pgGrant(stmt: Statement, g: any, report: (r: Report) => void): void {
  const [one, many] = KIND[g.objtype] ?? [String(g.objtype ?? 'object').replace(/^OBJECT_/, '').toLowerCase(), 'objects'];
  const objs: string[] = (g.objects ?? []).map(objectName);
  let what: string;
  if (g.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') what = `all ${many} in schema ${objs.join(', ')}`;
  else if (g.objtype === 'OBJECT_TABLE') what = objs.join(', ');
  else what = `${objs.length > 1 ? many : one} ${objs.join(', ')}`;
  const all = !g.privileges?.length;
  const privs = all
    ? 'ALL'
    : g.privileges
        .map((p: any) => {
          const a = p?.AccessPriv ?? {};
          const cols = (a.cols ?? []).map((c: any) => c?.String?.sval).filter(Boolean);
          return String(a.priv_name ?? '?').toUpperCase() + (cols.length ? ` (${cols.join(', ')})` : '');
        })
        .join(', ');
  const grantees: string[] = (g.grantees ?? []).map(roleName);
  const to = grantees.join(', ');
  if (!g.is_grant) {
    const opt = g.grant_option ? 'GRANT OPTION FOR ' : '';
    report({ message: `Revokes ${opt}${privs} on ${what} from ${to}${inside(stmt)}${REVOKE_NOTE}.`, severity: revokeSeverity(stmt) });
    return;
  }
  const risks: string[] = [];
  if (grantees.includes('PUBLIC')) risks.push('PUBLIC is every role, present and future');
  if (all) risks.push('ALL privileges');
  if (g.grant_option) risks.push('WITH GRANT OPTION lets the grantee grant it on');
  if (g.objtype === 'OBJECT_LANGUAGE' && objs.some(isUntrustedLanguage)) risks.push('untrusted language: runs any code on the server');
  if (['OBJECT_FUNCTION', 'OBJECT_PROCEDURE', 'OBJECT_ROUTINE'].includes(g.objtype)) {
    for (const o of g.objects ?? []) {
      const fn = o?.ObjectWithArgs ? names(o.ObjectWithArgs.objname) : '';
      const why = fn ? fileFunction(fn) : undefined;
      if (why) risks.push(`${fn} ${why}`);
    }
  }
  if (g.objtype === 'OBJECT_PARAMETER_ACL' && !all && /alter system/i.test(privs)) risks.push('ALTER SYSTEM changes server configuration');
  if (g.objtype === 'OBJECT_FOREIGN_SERVER' || g.objtype === 'OBJECT_FDW') risks.push('lets the grantee reach an external system');
  const opt = g.grant_option ? ' WITH GRANT OPTION' : '';
  report({ message: `Grants ${privs} on ${what} to ${to}${opt}${inside(stmt)}${risks.length ? ` (high risk: ${risks.join('; ')})` : ''}.` });
}

/** MySQL privileges that reach past one database's data (server administration, files, accounts). */
const MYSQL_HIGH = /^(all|all privileges|file|super|process|shutdown|reload|grant option|create user|system_user|set_user_id|set_any_definer|allow_nonexistent_definer|system_variables_admin|binlog_admin|connection_admin|role_admin|encryption_key_admin|replication_slave_admin|replication slave|audit_admin|create tablespace)$/i;

function mysqlRisks(privs: string[], level: string, grantees: string, grantOption: boolean, proxy: boolean): string[] {
  const r: string[] = [];
  if (level === '*.*' || level === '*') r.push(`${level} is every database`);
  const high = privs.filter((p) => MYSQL_HIGH.test(p.trim()));
  if (high.length) r.push(`${high.map((p) => p.toUpperCase()).join(', ')}`);
  if (grantOption) r.push('WITH GRANT OPTION lets the grantee grant it on');
  if (proxy) r.push('PROXY lets the grantee act as that account');
  if (/@\s*['"`]?%/.test(grantees)) r.push('from any host');
  return r;
}

function textGrant(stmt: Statement, report: (r: Report) => void, suffix = UNPARSED): void {
  const t = folded(stmt);
  const m = /^(grant|revoke)\s+(.+?)\s+on\s+(?:(table|function|procedure|schema|database|sequence|all\s+\w+\s+in\s+schema)\s+)?(\S+(?:\s*,\s*\S+)*?)\s+(to|from)\s+([^;\s].*?)(\s+with\s+grant\s+option)?(?:\s+(?:require|identified|with|as|granted)\b.*)?\s*;?$/i.exec(t);
  if (!m) return;
  const [, verb, privs, kind, level, , who, go] = m;
  const what = `${kind ? kind.toLowerCase() + ' ' : ''}${level}`;
  if (verb.toLowerCase() === 'revoke') {
    report({ message: `Likely: Revokes ${privs} on ${what} from ${who}${REVOKE_NOTE}${suffix}.`, severity: revokeSeverity(stmt) });
    return;
  }
  const risks = mysqlRisks(privs.split(','), level, who, !!go, /^proxy$/i.test(privs.trim()));
  if (/\bpublic\b/i.test(who)) risks.unshift('PUBLIC is every role');
  report({ message: `Likely: Grants ${privs} on ${what} to ${who}${go ? ' WITH GRANT OPTION' : ''}${risks.length ? ` (high risk: ${risks.join('; ')})` : ''}${suffix}.` });
}

const rule: Rule = {
  meta: {
    id: 'grant',
    category: 'privilege',
    severity: 'error',
    summary: 'Grants (or revokes) privileges on objects: GRANT … ON … TO (PUBLIC, ALL and WITH GRANT OPTION rated high risk)',
    rationale:
      'A GRANT widens who can read, change or execute something, usually for good; it needs a reviewer who knows the access model. ' +
      'GRANT … TO PUBLIC gives it to every role that exists or will exist, GRANT ALL gives every privilege (including TRUNCATE, REFERENCES, ' +
      'TRIGGER), WITH GRANT OPTION lets the grantee hand it on, and MySQL ON *.* is server-wide: those are reported as high risk. ' +
      'REVOKE only narrows access (PostgreSQL and MySQL have no deny rules), but it can cut a service off production data: it gates like a GRANT, ' +
      'with a lower risk level in the message, except in down migrations (rollback of a grant), where it is a warning.',
    fix: 'Grant the narrowest privileges to a specific role (not PUBLIC, not ALL, no GRANT OPTION) and have the grant approved by a security reviewer.',
    examples: {
      bad: [
        { sql: 'GRANT ALL ON public.users TO PUBLIC;' },
        { sql: 'GRANT SELECT, INSERT ON TABLE orders TO app_rw;' },
        { sql: 'GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO anon;' },
        { sql: "DO $$ BEGIN EXECUTE 'GRANT SELECT ON secrets TO PUBLIC'; END $$;" },
        { sql: "GRANT ALL PRIVILEGES ON *.* TO 'bob'@'%' WITH GRANT OPTION;", dialect: 'mysql' },
        { sql: 'GRANT SELECT ON db.t TO bob;', dialect: 'mysql' },
        { sql: 'REVOKE ALL ON public.users FROM PUBLIC;' },
      ],
      good: [
        { sql: 'CREATE TABLE users (id int, password_hash text);' },
        { sql: "COMMENT ON TABLE users IS 'grant select on this table to readers';" },
        { sql: 'GRANT reader TO bob;' },
      ],
    },
  },
  kinds: ['GrantStmt'],
  check(stmt, { report }) {
    const g = pgNode(stmt, 'GrantStmt');
    if (g) pgGrant(stmt, g, report);
    const ast = stmt.ast;
    if (ast?.type === 'grant' && (ast.keyword === 'priv' || ast.keyword === 'proxy')) {
      const privs: string[] = (ast.objects ?? []).map((o: any) => {
        const cols = (o?.columns ?? []).map((c: any) => c?.column).filter(Boolean);
        return String(o?.priv?.value ?? '?').toUpperCase() + (cols.length ? ` (${cols.join(', ')})` : '');
      });
      const proxy = ast.keyword === 'proxy';
      const level = proxy ? mysqlAccount(ast.on) : (ast.on?.priv_level ?? []).map((l: any) => [l.prefix, l.name].filter((x) => x !== null && x !== undefined).join('.')).join(', ');
      const kind = ast.on?.object_type?.value ? `${String(ast.on.object_type.value).toLowerCase()} ` : '';
      const who = (ast.user_or_roles ?? []).map(mysqlAccount).join(', ');
      const go = /grant option/i.test(ast.with?.value ?? '');
      if (String(ast.to_from ?? '').toUpperCase() === 'FROM') {
        report({ message: `Revokes ${privs.join(', ')} on ${kind}${level} from ${who}${REVOKE_NOTE}.`, severity: revokeSeverity(stmt) });
      } else {
        const risks = mysqlRisks(privs, level, who, go, proxy);
        report({ message: `Grants ${privs.join(', ')} on ${kind}${level} to ${who}${go ? ' WITH GRANT OPTION' : ''}${risks.length ? ` (high risk: ${risks.join('; ')})` : ''}.` });
      }
    } else if (ast && ast.type !== 'grant' && /^(grant|revoke)\s/.test(stmt.lexical)) {
      // A grammar that misread the GRANT as something else (seen with transactsql): fall back to the text.
      textGrant(stmt, report, ' (the parser misread the statement; read from its text)');
    }
  },
  unparsed(stmt, { report }) {
    textGrant(stmt, report);
  },
  // Not ALTER DEFAULT PRIVILEGES … GRANT … ON … TO: that is the default-privileges rule's.
  lexical: [/^(?![^;]*\balter\s+default\s+privileges\b)[^;]*?\b(grant|revoke)\s[^;]*?\bon\b[^;]*?\b(to|from)\b/],
};
export default withDynamic(rule);
