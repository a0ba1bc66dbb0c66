import { constStr, folded, hasNode, inside, nodeOffset, pgFunctionCalls, pgType, UNPARSED, walk } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';
import { roleNote } from '../src/sql/roles.js';

const rule: Rule = {
  meta: {
    id: 'set-role',
    category: 'privilege',
    severity: 'error',
    summary: 'Switches the identity the migration runs as (SET ROLE, SET SESSION AUTHORIZATION, set_config(\'role\', …))',
    rationale:
      'After SET ROLE x / SET SESSION AUTHORIZATION x, the statements that follow run with x’s privileges and the objects they create ' +
      'are owned by x: a migration can use it to act as a more privileged role than the one the deploy tool connects as, or to hand ' +
      'objects to a role that should not own them. RESET ROLE / SET ROLE NONE returns to the login role, which may itself be more ' +
      'privileged than a role the deploy tool set: reported as a warning. MySQL SET ROLE / SET DEFAULT ROLE activate granted roles.',
    fix: 'Run the migration as the role that should own its objects (configure the deploy tool) instead of switching inside it; get the switch approved.',
    examples: {
      bad: [
        { sql: 'SET ROLE supabase_admin;' },
        { sql: 'SET SESSION AUTHORIZATION postgres;' },
        { sql: "SELECT set_config('role', 'admin', false);" },
        { sql: 'DO $$ BEGIN SET LOCAL ROLE admin; END $$;' },
        { sql: 'SET ROLE ALL;', dialect: 'mysql' },
      ],
      good: [{ sql: "SET search_path = public;" }, { sql: "SET statement_timeout = '5s';" }, { sql: 'SET @x = 1;', dialect: 'mysql' }],
    },
  },
  check(stmt, { report }) {
    if (!stmt.pg) return;
    // ALTER ROLE … SET role is the role-attributes rule's.
    if (pgType(stmt.pg) === 'AlterRoleSetStmt') return;
    if (hasNode(stmt.pg, 'VariableSetStmt')) walk(stmt.pg, (k, v) => {
      if (k !== 'VariableSetStmt') return;
      const name = String(v.name ?? '').toLowerCase();
      if (name !== 'role' && name !== 'session_authorization') return;
      const label = name === 'role' ? 'ROLE' : 'SESSION AUTHORIZATION';
      const local = v.is_local ? ' LOCAL' : '';
      const to = constStr(v.args?.[0]);
      if (v.kind === 'VAR_RESET' || v.kind === 'VAR_SET_DEFAULT' || (name === 'role' && to?.toLowerCase() === 'none')) {
        report({ message: `RESET ${label}: returns to the session's login identity, which may be more privileged than the role in use${inside(stmt)}.`, severity: 'warning', key: 'reset' });
      } else if (to !== undefined) {
        const n = roleNote(to);
        report({ message: `SET${local} ${label} ${to}${n.text}: the statements that follow run as ${to} and objects they create are owned by it${inside(stmt)}.`, key: to });
      }
    });
    for (const c of pgFunctionCalls(stmt.pg)) {
      if (c.base !== 'set_config') continue;
      const param = constStr(c.node.args?.[0])?.toLowerCase();
      if (param !== 'role' && param !== 'session_authorization') continue;
      const to = constStr(c.node.args?.[1]);
      report({ message: `set_config('${param}', ${to !== undefined ? `'${to}'` : '…'}) switches the current ${param === 'role' ? 'role' : 'session user'}${inside(stmt)}.`, offset: nodeOffset(stmt, c.location), key: 'set_config' });
    }
  },
  unparsed(stmt, { report }) {
    const t = folded(stmt);
    const m = /^set\s+(default\s+role|role|session\s+authorization)\s+(.+?);?$/i.exec(t);
    if (m) report({ message: `Likely: SET ${m[1].toUpperCase()} ${m[2]}: changes which role's privileges apply${UNPARSED}.` });
  },
  lexical: [/\bset\s+(local\s+|session\s+)?(role|session\s+authorization)\b/, /\bset\s+default\s+role\b/, /\bset_config\s*\(\s*'(role|session_authorization)'/],
};
export default withDynamic(rule);
