import { alwaysTrue, inside, pgNode, rangeVarName, roleName } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';

const rule: Rule = {
  meta: {
    id: 'drop-policy',
    category: 'privilege',
    severity: 'error',
    summary: 'Drops or weakens a row-level security policy (DROP POLICY; ALTER/CREATE POLICY … USING (true))',
    rationale:
      'Row-level security policies are often the only thing keeping one user’s or tenant’s rows from another. DROP POLICY removes one ' +
      '(if it was RESTRICTIVE, the rows it hid become visible; if it is re-created, the new definition needs the same review). ' +
      'ALTER POLICY … USING (true) / WITH CHECK (true) turns a filter into “every row”. A new PERMISSIVE policy with an always-true ' +
      'condition is reported too: as an error when it lets roles write every row, as a warning when it only makes rows readable ' +
      '(public read policies are common and usually intended).',
    fix: 'Replace the policy in a way a reviewer can compare (show old and new condition), keep conditions that filter by the current user or tenant, and get it approved.',
    examples: {
      bad: [
        { sql: 'DROP POLICY "Users can read own rows" ON public.profiles;' },
        { sql: 'ALTER POLICY tenant_isolation ON accounts USING (true);' },
        { sql: 'CREATE POLICY anyone_writes ON t FOR ALL TO PUBLIC USING (true) WITH CHECK (true);' },
        { sql: 'DO $$ BEGIN DROP POLICY IF EXISTS p ON t; END $$;' },
      ],
      good: [
        { sql: 'CREATE POLICY own_rows ON t FOR SELECT USING (user_id = current_user_id());' },
        { sql: 'ALTER POLICY p ON t USING (tenant_id = current_setting($$app.tenant$$)::int);' },
        { sql: 'CREATE POLICY r ON t AS RESTRICTIVE USING (true);' },
      ],
    },
  },
  kinds: ['AlterPolicyStmt', 'CreatePolicyStmt', 'DropStmt'],
  check(stmt, { report }) {
    const d = pgNode(stmt, 'DropStmt');
    if (d?.removeType === 'OBJECT_POLICY') {
      for (const o of d.objects ?? []) {
        const items: string[] = (o?.List?.items ?? []).map((i: any) => i?.String?.sval ?? '?');
        const policy = items.pop() ?? '?';
        report({
          message: `Drops row-level security policy "${policy}" on ${items.join('.')}: the access it allowed or restricted changes; review any replacement${inside(stmt)}.`,
          key: policy,
        });
      }
    }
    const a = pgNode(stmt, 'AlterPolicyStmt');
    if (a) {
      const weak: string[] = [];
      if (a.qual && alwaysTrue(a.qual)) weak.push('USING (true): every row is visible');
      if (a.with_check && alwaysTrue(a.with_check)) weak.push('WITH CHECK (true): any row can be written');
      const roles = (a.roles ?? []).map(roleName);
      if (roles.includes('PUBLIC')) weak.push('TO PUBLIC: applies to every role');
      if (weak.length) report({ message: `Weakens policy "${a.policy_name}" on ${rangeVarName(a.table)}: ${weak.join('; ')}${inside(stmt)}.` });
    }
    const c = pgNode(stmt, 'CreatePolicyStmt');
    if (c && c.permissive && ((c.qual && alwaysTrue(c.qual)) || (c.with_check && alwaysTrue(c.with_check)))) {
      const cmd = String(c.cmd_name ?? 'all').toUpperCase();
      const roles = (c.roles ?? []).map(roleName).join(', ') || 'PUBLIC';
      const writes = cmd !== 'SELECT';
      report({
        message: writes
          ? `Policy "${c.policy_name}" on ${rangeVarName(c.table)} lets ${roles} ${cmd === 'ALL' ? 'read and write' : cmd} every row (condition is always true)${inside(stmt)}.`
          : `Policy "${c.policy_name}" on ${rangeVarName(c.table)} makes every row readable by ${roles} (USING true)${inside(stmt)}.`,
        severity: writes ? 'error' : 'warning',
      });
    }
  },
  lexical: [/\bdrop\s+policy\b/, /\balter\s+policy\b[^;]*\b(using|with\s+check)\s*\(\s*true\s*\)/],
};
export default withDynamic(rule);
