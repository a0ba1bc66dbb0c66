import { constStr, folded, hasNode, inside, names, nodeOffset, pgFunctionCalls, roleName, UNPARSED, walk } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';

const WHAT = 'ordinary triggers (audit, integrity, replication) and foreign-key checks stop firing';

const rule: Rule = {
  meta: {
    id: 'session-replication-role',
    category: 'privilege',
    severity: 'error',
    summary: 'Sets session_replication_role = replica (or local): triggers and foreign-key checks stop firing',
    rationale:
      'With session_replication_role = replica, PostgreSQL skips every trigger not marked ENABLE REPLICA/ALWAYS, and foreign keys are ' +
      'enforced by triggers: audit triggers record nothing and rows that break referential integrity are accepted. A migration that sets it ' +
      '(SET, SET LOCAL, set_config(), ALTER ROLE/DATABASE … SET) silently bypasses the database’s own safeguards. Setting it back to origin ' +
      '(or RESET) is not reported.',
    fix: 'Do the data change with triggers and constraints in place; if they must be bypassed, do it as a reviewed operational step and get it approved.',
    examples: {
      bad: [
        { sql: 'SET session_replication_role = replica;\nDELETE FROM orders WHERE id = 1;' },
        { sql: "SET LOCAL session_replication_role TO 'replica';" },
        { sql: "SELECT set_config('session_replication_role', 'replica', true);" },
        { sql: "ALTER ROLE app SET session_replication_role = 'replica';" },
        { sql: "DO $$ BEGIN SET session_replication_role = replica; UPDATE t SET a = 1 WHERE id = 2; END $$;" },
        { sql: 'CREATE FUNCTION purge() RETURNS void LANGUAGE sql SET session_replication_role = replica AS $$ DELETE FROM parents $$;' },
      ],
      good: [
        { sql: 'SET session_replication_role = DEFAULT;' },
        { sql: "SET session_replication_role = 'origin';" },
        { sql: 'RESET session_replication_role;' },
      ],
    },
  },
  check(stmt, { report }) {
    const pg = stmt.pg;
    if (!pg) return;
    const one = (s: any, scope: string) => {
      if (String(s?.name ?? '').toLowerCase() !== 'session_replication_role' || s.kind !== 'VAR_SET_VALUE') return;
      const v = (constStr(s.args?.[0]) ?? '').toLowerCase();
      if (v === 'origin') return;
      report({ message: `Sets session_replication_role = ${v || '?'} ${scope}: ${WHAT}${inside(stmt)}.`, offset: nodeOffset(stmt, s.location), key: scope });
    };
    if (pg.AlterRoleSetStmt) one(pg.AlterRoleSetStmt.setstmt, `for every future session of ${pg.AlterRoleSetStmt.role ? roleName(pg.AlterRoleSetStmt.role) : 'ALL roles'}`);
    else if (pg.AlterDatabaseSetStmt) one(pg.AlterDatabaseSetStmt.setstmt, `for every future session in database ${pg.AlterDatabaseSetStmt.dbname}`);
    else if (pg.AlterSystemStmt) one(pg.AlterSystemStmt.setstmt, 'for the whole server');
    else if (hasNode(pg, 'VariableSetStmt', 'CreateFunctionStmt', 'AlterFunctionStmt'))
      walk(pg, (k, v) => {
        if (k === 'VariableSetStmt') one(v, v.is_local ? 'for this transaction (SET LOCAL)' : 'for this session');
        // `CREATE FUNCTION … SET session_replication_role = replica`: every call runs without triggers.
        if (k === 'CreateFunctionStmt' || k === 'AlterFunctionStmt') {
          const fn = names(k === 'CreateFunctionStmt' ? v.funcname : v.func?.objname);
          for (const o of (k === 'CreateFunctionStmt' ? v.options : v.actions) ?? []) {
            if (o?.DefElem?.defname === 'set') one(o.DefElem.arg?.VariableSetStmt, `while function ${fn}() runs (every call)`);
          }
          return false;
        }
      });
    for (const c of pgFunctionCalls(pg)) {
      if (c.base !== 'set_config' || constStr(c.node.args?.[0])?.toLowerCase() !== 'session_replication_role') continue;
      const v = constStr(c.node.args?.[1])?.toLowerCase();
      if (v === 'origin') continue;
      report({ message: `set_config('session_replication_role', ${v !== undefined ? `'${v}'` : '…'}): ${WHAT}${inside(stmt)}.`, offset: nodeOffset(stmt, c.location), key: 'set_config' });
    }
  },
  unparsed(stmt, { report }) {
    const m = /\bsession_replication_role\s*(?:=|to)\s*'?(\w+)/i.exec(folded(stmt));
    if (m && !/^(origin|default)$/i.test(m[1])) report({ message: `Likely: sets session_replication_role = ${m[1]}: ${WHAT}${UNPARSED}.` });
  },
  lexical: [/\bsession_replication_role\s*(=|to)\s*'?(replica|local)\b/, /\bset_config\s*\(\s*'session_replication_role'\s*,\s*'(replica|local)'/],
};
export default withDynamic(rule);
