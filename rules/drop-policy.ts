import { alwaysTrue, inside, pgNode, rangeVarName, roleName, rowIndependent } from '../src/sql/ast.js';
import type { Statement } from '../src/types.js';
import type { Rule } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';

/**
 * Does a policy condition let every row through: 'true' when always true, 'independent' when it
 * names no column of the table and calls nothing that can vary by row (`current_user = 'mallory'`:
 * every row, for whoever it holds for); undefined for a condition that filters rows.
 */
function everyRow(e: any, table: any): 'true' | 'independent' | undefined {
  if (alwaysTrue(e)) return 'true';
  return rowIndependent(e, table) ? 'independent' : undefined;
}

/** The text of a policy's `USING (…)` / `WITH CHECK (…)` (balanced parentheses, cut to 80 characters), for messages. */
function clauseText(stmt: Statement, clause: 'using' | 'with check'): string {
  const m = (clause === 'using' ? /\busing\s*\(/i : /\bwith\s+check\s*\(/i).exec(stmt.text);
  if (!m) return '…';
  let depth = 1;
  let i = m.index + m[0].length;
  for (; i < stmt.text.length && depth; i++) depth += stmt.text[i] === '(' ? 1 : stmt.text[i] === ')' ? -1 : 0;
  const t = stmt.text.slice(m.index + m[0].length, i - 1).replace(/\s+/g, ' ').trim();
  return t.length > 80 ? `${t.slice(0, 79)}…` : t;
}

const rule: Rule = {
  meta: {
    id: 'drop-policy',
    category: 'privilege',
    severity: 'error',
    summary: 'Drops or weakens a row-level security policy (DROP POLICY; ALTER/CREATE POLICY … USING (true))',
    rationale:
      'Row-level security policies are often the only thing keeping one user’s or tenant’s rows from another. DROP POLICY removes one ' +
      '(if it was RESTRICTIVE, the rows it hid become visible; if it is re-created, the new definition needs the same review). ' +
      'ALTER POLICY … USING (true) / WITH CHECK (true) turns a filter into “every row”, and any other new condition or role list replaces ' +
      'the reviewed one just as a DROP and CREATE would. A new PERMISSIVE policy with an always-true condition, or one that names none of ' +
      'the table\'s columns (`current_user = \'mallory\'`: every row, whenever it holds), is reported too: as an error when it lets roles write every row, as a warning when it only makes rows readable ' +
      '(public read policies are common and usually intended).',
    fix: 'Replace the policy in a way a reviewer can compare (show old and new condition), keep conditions that filter by the current user or tenant, and get it approved.',
    examples: {
      bad: [
        { sql: 'DROP POLICY "Users can read own rows" ON public.profiles;' },
        { sql: 'ALTER POLICY tenant_isolation ON accounts USING (true);' },
        { sql: 'CREATE POLICY anyone_writes ON t FOR ALL TO PUBLIC USING (true) WITH CHECK (true);' },
        { sql: "CREATE POLICY p ON users FOR ALL TO mallory USING (current_user = 'mallory');" },
        { sql: 'ALTER POLICY own_rows ON users USING (id IS NOT NULL);' },
        { sql: 'ALTER POLICY own_rows ON users USING (current_user IS NOT NULL);' },
        { sql: 'DO $$ BEGIN DROP POLICY IF EXISTS p ON t; END $$;' },
      ],
      good: [
        { sql: 'CREATE POLICY own_rows ON t FOR SELECT USING (user_id = current_user_id());' },
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
      const table = rangeVarName(a.table);
      const using = a.qual && everyRow(a.qual, a.table);
      const check = a.with_check && everyRow(a.with_check, a.table);
      if (using) weak.push(`USING (${using === 'true' ? 'true' : clauseText(stmt, 'using')}): every row is visible`);
      if (check) weak.push(`WITH CHECK (${check === 'true' ? 'true' : clauseText(stmt, 'with check')}): any row can be written`);
      const roles = (a.roles ?? []).map(roleName);
      if (roles.includes('PUBLIC')) weak.push('TO PUBLIC: applies to every role');
      if (weak.length) report({ message: `Weakens policy "${a.policy_name}" on ${table}: ${weak.join('; ')}${inside(stmt)}.` });
      else if (a.qual || a.with_check || roles.length) {
        // Any new condition or role list replaces the one reviewed before: the same as dropping the
        // policy and creating another, which this rule reports. Whether it narrows or widens access
        // depends on the old definition.
        const parts = [a.qual && `USING (${clauseText(stmt, 'using')})`, a.with_check && `WITH CHECK (${clauseText(stmt, 'with check')})`, roles.length && `TO ${roles.join(', ')}`].filter(Boolean);
        report({ message: `Changes policy "${a.policy_name}" on ${table} to ${parts.join(' ')}: the rows it lets through change; compare with the old definition${inside(stmt)}.` });
      }
    }
    const c = pgNode(stmt, 'CreatePolicyStmt');
    const usingAll = c?.permissive && c.qual ? everyRow(c.qual, c.table) : undefined;
    const always = c?.permissive ? usingAll || (c.with_check && everyRow(c.with_check, c.table)) : undefined;
    if (c && always) {
      const cmd = String(c.cmd_name ?? 'all').toUpperCase();
      const roles = (c.roles ?? []).map(roleName).join(', ') || 'PUBLIC';
      const writes = cmd !== 'SELECT';
      const text = usingAll ? clauseText(stmt, 'using') : clauseText(stmt, 'with check');
      const why = always === 'true' ? 'condition is always true' : `condition (${text}) names none of its columns: every row whenever it holds`;
      report({
        message: writes
          ? `Policy "${c.policy_name}" on ${rangeVarName(c.table)} lets ${roles} ${cmd === 'ALL' ? 'read and write' : cmd} every row (${why})${inside(stmt)}.`
          : `Policy "${c.policy_name}" on ${rangeVarName(c.table)} makes every row readable by ${roles} (${always === 'true' ? 'USING true' : why})${inside(stmt)}.`,
        severity: writes ? 'error' : 'warning',
      });
    }
  },
  lexical: [/\bdrop\s+policy\b/, /\balter\s+policy\b[^;]*\b(using|with\s+check)\s*\(\s*true\s*\)/],
};
export default withDynamic(rule);
