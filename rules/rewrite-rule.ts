import { createdEarlier, inside, nodeOffset, pgNode, rangeVarName, sameName } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';

const EVENT: Record<string, string> = { CMD_SELECT: 'SELECT', CMD_INSERT: 'INSERT', CMD_UPDATE: 'UPDATE', CMD_DELETE: 'DELETE' };

/** Tables a rule action writes (INSERT/UPDATE/DELETE/MERGE into). */
function writes(action: any): string[] {
  const rv = action?.InsertStmt?.relation ?? action?.UpdateStmt?.relation ?? action?.DeleteStmt?.relation ?? action?.MergeStmt?.relation;
  return rv ? [rangeVarName(rv)] : [];
}

const rule: Rule = {
  meta: {
    id: 'rewrite-rule',
    category: 'integrity',
    severity: 'error',
    summary: 'Creates or replaces a rewrite rule (CREATE [OR REPLACE] RULE … ON INSERT/UPDATE/DELETE/SELECT … DO INSTEAD/ALSO): every such statement on the table is rewritten',
    rationale:
      'A rule rewrites the statements run against a table before they run, for every session and every application: `DO INSTEAD NOTHING` ' +
      'makes deletes or updates silently do nothing (the client sees success), `DO ALSO INSERT INTO other …` copies every new row somewhere ' +
      'else, `DO INSTEAD UPDATE …` turns a write into a different one. Triggers, audit and row counts follow the rewritten statement, not ' +
      'the one the application sent, and nothing in the schema of the table shows it. Rules on a relation created in the same migration ' +
      '(an updatable view built the old way) are reported as warnings.',
    fix: 'Use a trigger or a view with INSTEAD OF triggers that reviewers can read as code, or get the rule approved by the owner of the table.',
    examples: {
      bad: [
        { sql: 'CREATE OR REPLACE RULE keep_rows AS ON DELETE TO accounts DO INSTEAD NOTHING;' },
        { sql: 'CREATE RULE copy_rows AS ON INSERT TO payments DO ALSO INSERT INTO public.mirror VALUES (new.*);' },
        { sql: 'DO $$ BEGIN CREATE RULE r AS ON UPDATE TO users DO INSTEAD NOTHING; END $$;' },
      ],
      good: [
        { sql: 'CREATE TRIGGER audit AFTER DELETE ON accounts FOR EACH ROW EXECUTE FUNCTION audit_row();' },
        { sql: 'DROP RULE IF EXISTS keep_rows ON accounts;' },
      ],
    },
  },
  kinds: ['RuleStmt'],
  check(stmt, { report }) {
    const r = pgNode(stmt, 'RuleStmt');
    if (!r) return;
    const table = rangeVarName(r.relation);
    const event = EVENT[r.event] ?? String(r.event ?? '?');
    const actions: any[] = r.actions ?? [];
    const elsewhere = [...new Set(actions.flatMap(writes).filter((t) => !sameName(t, table)))];
    const what = !actions.length
      ? r.instead
        ? `every ${event} on ${table} silently does nothing (DO INSTEAD NOTHING)`
        : `every ${event} on ${table} is rewritten`
      : r.instead
        ? `every ${event} on ${table} is replaced by the rule's ${actions.length > 1 ? `${actions.length} actions` : 'action'}`
        : `every ${event} on ${table} also runs the rule's ${actions.length > 1 ? `${actions.length} actions` : 'action'}`;
    const copies = elsewhere.length ? `; it writes ${elsewhere.join(', ')}` : '';
    const conditional = r.whereClause ? ' (when its condition holds)' : '';
    const fresh = createdEarlier(stmt, table);
    report({
      message: `${r.replace ? 'Creates or replaces' : 'Creates'} rewrite rule ${r.rulename ?? '?'}: ${what}${conditional}${copies}${fresh ? `; ${table} is created in this migration` : ''}${inside(stmt)}.`,
      severity: fresh ? 'warning' : undefined,
      offset: nodeOffset(stmt, r.relation?.location),
      key: `${table}:${r.rulename ?? '?'}`,
    });
  },
  lexical: [/\bcreate\s+(or\s+replace\s+)?rule\b/],
};
export default withDynamic(rule);
