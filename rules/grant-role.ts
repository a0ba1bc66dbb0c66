import { parseSync } from '../src/parse/guard.js';
import { pgNode, roleName } from '../src/ast.js';
import { lexicalForm } from '../src/parse/split.js';
import type { Report, Rule, Statement } from '../src/types.js';

/**
 * PostgreSQL predefined roles (and well-known administrative roles of managed services) that
 * give more than ordinary table access. `high` marks roles that reach outside the database's
 * permission system (files, programs, every table, other sessions) or amount to administration.
 */
export const NOTABLE_ROLES: Record<string, { what: string; high: boolean }> = {
  pg_read_server_files: { what: 'can read any file the database server can (COPY FROM file, pg_read_file)', high: true },
  pg_write_server_files: { what: 'can write any file the database server can (COPY TO file)', high: true },
  pg_execute_server_program: { what: 'can run programs on the database server as its OS user (COPY … PROGRAM)', high: true },
  pg_read_all_data: { what: 'can read every table, view and sequence', high: true },
  pg_write_all_data: { what: 'can write every table, view and sequence', high: true },
  pg_signal_backend: { what: 'can cancel queries and terminate other sessions', high: true },
  pg_create_subscription: { what: 'can create logical replication subscriptions (outbound connections)', high: true },
  pg_maintain: { what: 'can VACUUM, ANALYZE, CLUSTER, REFRESH, REINDEX and LOCK every relation', high: false },
  pg_checkpoint: { what: 'can run CHECKPOINT', high: false },
  pg_monitor: { what: 'can read monitoring views, including other sessions’ query text', high: false },
  pg_read_all_settings: { what: 'can read every configuration setting', high: false },
  pg_read_all_stats: { what: 'can read all statistics views, including other sessions’ query text', high: false },
  pg_stat_scan_tables: { what: 'can run monitoring functions that take locks', high: false },
  pg_use_reserved_connections: { what: 'can use connection slots reserved for administrators', high: false },
  pg_database_owner: { what: 'owner of the current database', high: true },
  postgres: { what: 'usually the superuser', high: true },
  rds_superuser: { what: 'Amazon RDS administrator role', high: true },
  rds_replication: { what: 'can manage logical replication (Amazon RDS)', high: true },
  cloudsqlsuperuser: { what: 'Cloud SQL administrator role', high: true },
  azure_pg_admin: { what: 'Azure administrator role', high: true },
  supabase_admin: { what: 'Supabase administrator role', high: true },
};

/** ' (can read any file …)' for notable roles, '' otherwise. */
export function roleNote(name: string): { text: string; high: boolean } {
  const n = NOTABLE_ROLES[name.toLowerCase()];
  return n ? { text: ` (${n.what})`, high: n.high } : { text: '', high: false };
}

/** Where a nested statement runs, for messages: ' inside function f (runs when it is called)'. */
export function inside(stmt: Statement): string {
  if (!stmt.nested) return '';
  if (stmt.nested.kind === 'do') return ' inside a DO block';
  return ` inside function ${stmt.nested.name ?? '?'} (runs whenever it is called)`;
}

/** MySQL account `'bob'@'%'` from node-sql-parser's `{name:{value}, host:{value}}`. */
export function mysqlAccount(u: any): string {
  const name = u?.name?.value ?? u?.name ?? '?';
  const host = u?.host?.value ?? u?.host;
  return host !== undefined && host !== null ? `'${name}'@'${host}'` : `'${name}'`;
}

/** Whitespace folded, case kept: the text that unparsed-statement messages quote from. */
export function folded(stmt: Statement): string {
  return stmt.text
    .replace(/--[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export const UNPARSED = ' (statement not parsed; read from its text)';

/**
 * The SQL a partly-known dynamic EXECUTE builds, with each unknown part replaced by the variable's
 * name (or `dyn_N`): `'ALTER TABLE t OWNER TO ' || r` → `ALTER TABLE t OWNER TO r`. Handles `||`,
 * quote_ident/quote_literal/quote_nullable and format('%I %L %s', …). Undefined if not understood.
 */
export function dynamicTemplate(query: string): string | undefined {
  let tree: any;
  try {
    tree = parseSync(`SELECT ${query}`);
  } catch {
    return undefined;
  }
  const targets = tree?.stmts?.[0]?.stmt?.SelectStmt?.targetList;
  if (targets?.length !== 1) return undefined;
  let n = 0;
  const unknown = (node: any): string => {
    const f = node?.ColumnRef?.fields;
    const name = f?.[f.length - 1]?.String?.sval;
    return typeof name === 'string' && /^[a-z_][a-z0-9_]*$/.test(name) ? name : `dyn_${++n}`;
  };
  const flat = (node: any): string => {
    const c = node?.A_Const;
    if (c) return c.sval ? (c.sval.sval ?? '') : c.ival ? String(c.ival.ival ?? 0) : c.fval ? String(c.fval.fval) : '';
    if (node?.TypeCast) return flat(node.TypeCast.arg);
    const e = node?.A_Expr;
    if (e?.kind === 'AEXPR_OP' && e.name?.[0]?.String?.sval === '||') return flat(e.lexpr) + flat(e.rexpr);
    const fc = node?.FuncCall;
    if (fc) {
      const fn = fc.funcname?.[fc.funcname.length - 1]?.String?.sval;
      const args: any[] = fc.args ?? [];
      if (fn === 'quote_ident' && args.length === 1) return flat(args[0]);
      if ((fn === 'quote_literal' || fn === 'quote_nullable') && args.length === 1) return `'${flat(args[0])}'`;
      if (fn === 'format' && args[0]?.A_Const?.sval) {
        let i = 1;
        return String(args[0].A_Const.sval.sval ?? '').replace(/%(\d+\$)?([-\d]*)([sIL%])/g, (_m, pos, _w, t) => {
          if (t === '%') return '%';
          const a = args[pos ? parseInt(pos, 10) : i++];
          const v = a ? flat(a) : `dyn_${++n}`;
          return t === 'L' ? `'${v}'` : v;
        });
      }
    }
    return unknown(node);
  };
  return flat(targets[0]?.ResTarget?.val);
}

/** The rebuilt SQL of a dynamic pseudo-statement and its parse, computed once for all rules. */
const rebuiltCache = new WeakMap<object, { tpl?: string; stmts?: any[] }>();
function rebuilt(d: any): { tpl?: string; stmts?: any[] } {
  let r = rebuiltCache.get(d);
  if (!r) {
    const tpl = dynamicTemplate(String(d.query));
    let stmts: any[] | undefined;
    if (tpl !== undefined) {
      try {
        stmts = (parseSync(tpl) as any).stmts ?? [];
      } catch {
        stmts = undefined;
      }
    }
    r = { tpl, stmts };
    rebuiltCache.set(d, r);
  }
  return r;
}

/**
 * Wrap a rule so that it also looks into dynamic SQL whose text is only partly known
 * (`EXECUTE 'ALTER TABLE t OWNER TO ' || r`). The dynamic-sql rule reports that such SQL cannot be
 * checked; this says what it most likely does: the rule's own check runs on the SQL rebuilt with
 * variable names in place of the unknown parts, else its `unparsed` hook, else its `lexical` patterns.
 */
export function withDynamic(rule: Rule): Rule {
  const check = rule.check;
  return {
    ...rule,
    check(stmt, ctx) {
      check?.(stmt, ctx);
      const d = stmt.pg?.PLpgSQL_dynamic;
      if (!d || d.literal !== undefined) return;
      const where = ` (built by dynamic SQL${inside(stmt)}; unknown parts shown by variable name)`;
      let reported = false;
      const report = (r: Report) => {
        reported = true;
        let m = r.message.replace(UNPARSED, '').replace(/^Likely: /, '');
        if (stmt.nested) m = m.replace(inside(stmt), '');
        m = m.replace(/\.$/, '');
        ctx.report({ ...r, offset: undefined, message: `Likely: ${m}${where}.`, key: `dynamic:${r.key ?? ''}` });
      };
      const { tpl, stmts } = rebuilt(d);
      const parsedTemplate = !!stmts?.length;
      if (tpl !== undefined) {
        const base = { ...stmt, text: tpl, lexical: lexicalForm(tpl), pgText: undefined, pgOffset: undefined };
        if (stmts) for (const s of stmts) check?.({ ...base, pg: s.stmt }, { report });
        else rule.unparsed?.({ ...base, pg: undefined, parsed: false }, { report });
      }
      // When the rebuilt SQL parsed, the rule's check had its say; otherwise fall back to the patterns.
      if (!reported && !parsedTemplate && rule.lexical?.some((re) => re.test(stmt.lexical))) {
        ctx.report({ message: `Likely: ${rule.meta.summary} (built by dynamic SQL${inside(stmt)}: ${String(d.query).slice(0, 80)}).`, key: 'dynamic' });
      }
    },
  };
}

const rule: Rule = {
  meta: {
    id: 'grant-role',
    category: 'privilege',
    severity: 'error',
    summary: 'Grants (or revokes) membership in a role: GRANT role TO user, ALTER GROUP … ADD USER',
    rationale:
      'A member of a role gets all of its privileges. Predefined roles such as pg_read_server_files, pg_write_server_files and ' +
      'pg_execute_server_program reach outside the database (files, shell commands as the server OS user); pg_read_all_data / ' +
      'pg_write_all_data give access to every table; WITH ADMIN OPTION lets the grantee hand the role on. ' +
      'Revoking membership only reduces access; it is reported as a warning because it can break the application.',
    fix: 'Grant the narrowest role that works (not a predefined or administrative role), without ADMIN OPTION, and get the grant approved by a security reviewer.',
    examples: {
      bad: [
        { sql: 'GRANT pg_read_server_files TO reporting;' },
        { sql: 'GRANT admin TO bob WITH ADMIN OPTION;' },
        { sql: 'ALTER GROUP staff ADD USER bob;' },
        { sql: "GRANT 'admin' TO 'bob'@'%';", dialect: 'mysql' },
        { sql: 'DO $$ BEGIN GRANT pg_write_server_files TO app; END $$;' },
      ],
      good: [{ sql: 'GRANT SELECT ON t TO bob;' }, { sql: 'CREATE ROLE reporting NOLOGIN;' }, { sql: 'GRANT SELECT ON db.t TO bob', dialect: 'mysql' }],
    },
  },
  check(stmt, { report }) {
    const g = pgNode(stmt, 'GrantRoleStmt');
    if (g) {
      const roles: string[] = (g.granted_roles ?? []).map((r: any) => r?.AccessPriv?.priv_name ?? roleName(r));
      const grantees = (g.grantee_roles ?? []).map(roleName).join(', ');
      const notes = roles.map(roleNote);
      const opts = new Map<string, boolean>();
      for (const o of g.opt ?? []) if (o?.DefElem?.defname) opts.set(o.DefElem.defname, o.DefElem.arg?.Boolean?.boolval === true);
      const admin = opts.get('admin') === true;
      const roleText = roles.map((r, i) => r + notes[i].text).join(', ');
      if (g.is_grant) {
        const high = notes.some((n) => n.high) || admin;
        const extra = admin ? ' with ADMIN OPTION (can grant it to others)' : '';
        report({ message: `Grants role ${roleText} to ${grantees}${extra}${inside(stmt)}${high ? ' (high risk)' : ''}.` });
      } else {
        const what = g.opt?.length ? `${[...opts.keys()].map((k) => k.toUpperCase()).join(', ')} OPTION of role` : 'membership in role';
        report({ message: `Revokes ${what} ${roleText} from ${grantees}${inside(stmt)} (reduces access).`, severity: 'warning' });
      }
    }
    // ALTER GROUP g ADD/DROP USER u is GRANT/REVOKE g TO/FROM u.
    const a = pgNode(stmt, 'AlterRoleStmt');
    if (a) {
      for (const o of a.options ?? []) {
        if (o?.DefElem?.defname !== 'rolemembers') continue;
        const group = roleName(a.role);
        const members = (o.DefElem.arg?.List?.items ?? []).map(roleName).join(', ');
        const note = roleNote(group);
        if (a.action === -1) report({ message: `Removes ${members} from role ${group}${inside(stmt)} (reduces access).`, severity: 'warning' });
        else report({ message: `Adds ${members} to role ${group}${note.text}${inside(stmt)}${note.high ? ' (high risk)' : ''}.` });
      }
    }
    // node-sql-parser (MySQL/MariaDB): GRANT role[, role] TO account.
    const ast = stmt.ast;
    if (ast?.type === 'grant' && ast.keyword === 'role') {
      const roles = (ast.objects ?? []).map((o: any) => String(o?.priv?.value ?? '?'));
      const to = (ast.user_or_roles ?? []).map(mysqlAccount).join(', ');
      const admin = /admin option/i.test(ast.with?.value ?? '');
      const revoke = String(ast.to_from ?? '').toUpperCase() === 'FROM';
      if (revoke) report({ message: `Revokes role ${roles.join(', ')} from ${to} (reduces access).`, severity: 'warning' });
      else report({ message: `Grants role ${roles.join(', ')} to ${to}${admin ? ' with ADMIN OPTION (can grant it to others) (high risk)' : ''}.` });
    } else if (ast && ast.type !== 'grant' && /^(grant|revoke)\s/.test(stmt.lexical)) {
      textRoleGrant(stmt, report, ' (the parser misread the statement; read from its text)'); // seen with transactsql
    }
  },
  unparsed(stmt, { report }) {
    textRoleGrant(stmt, report, UNPARSED);
  },
  lexical: [/\bgrant\s+(?:(?!\bon\b)[^;])+?\bto\b/, /\brevoke\s+(?:(?!\bon\b)[^;])+?\bfrom\b/, /\balter\s+group\s+\S+\s+add\s+user\b/],
};
/** GRANT r1, r2 TO u / REVOKE r FROM u read from the text (no ON clause: otherwise it is an object grant). */
function textRoleGrant(stmt: Statement, report: (r: Report) => void, suffix: string): void {
  const t = folded(stmt);
  const m = /^(grant|revoke)\s+((?:(?!\s(?:on|to|from)\s).)+?)\s+(to|from)\s+([^;\s].*?)(\s+with\s+admin\s+option)?\s*;?$/i.exec(t);
  if (!m || /\son\s/i.test(m[2])) return;
  if (m[1].toLowerCase() === 'grant') {
    const notes = m[2].split(',').map((r) => roleNote(r.trim().replace(/^['"`]|['"`]$/g, '')));
    const high = !!m[5] || notes.some((n) => n.high);
    report({ message: `Likely: Grants role ${m[2]} to ${m[4]}${m[5] ? ' with ADMIN OPTION' : ''}${high ? ' (high risk)' : ''}${suffix}.` });
  } else report({ message: `Likely: Revokes role ${m[2]} from ${m[4]} (reduces access)${suffix}.`, severity: 'warning' });
}

export default withDynamic(rule);
