import { folded, inside, mysqlAccount, pgNode, roleName, UNPARSED } from '../src/sql/ast.js';
import { withDynamic } from '../src/sql/dynamic.js';
import { roleNote, REVOKE_NOTE, revokeSeverity } from '../src/sql/roles.js';
import type { Report, Rule, Statement } from '../src/types.js';

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
      'Revoking membership only reduces access, but it can cut a service off production data: it gates like a grant (lower risk level in the message), except in down migrations.',
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
  kinds: ['AlterRoleStmt', 'GrantRoleStmt'],
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
        report({ message: `Revokes ${what} ${roleText} from ${grantees}${inside(stmt)}${REVOKE_NOTE}.`, severity: revokeSeverity(stmt) });
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
        if (a.action === -1) report({ message: `Removes ${members} from role ${group}${inside(stmt)}${REVOKE_NOTE}.`, severity: revokeSeverity(stmt) });
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
      if (revoke) report({ message: `Revokes role ${roles.join(', ')} from ${to}${REVOKE_NOTE}.`, severity: revokeSeverity(stmt) });
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
  } else report({ message: `Likely: Revokes role ${m[2]} from ${m[4]}${REVOKE_NOTE}${suffix}.`, severity: revokeSeverity(stmt) });
}

export default withDynamic(rule);
