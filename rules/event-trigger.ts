import { inside, names, pgNode } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';

const rule: Rule = {
  meta: {
    id: 'event-trigger',
    category: 'execution',
    severity: 'error',
    summary: 'Creates or enables an event trigger: a function that runs on every DDL command (or login) of every user',
    rationale:
      'An event trigger (superuser only) runs its function on ddl_command_start/end, sql_drop, table_rewrite or login for every role, ' +
      'including superusers: a SECURITY INVOKER function then runs with the privileges of whoever issues the DDL, a classic path from a ' +
      'trigger owner to superuser, and it can veto or silently alter later migrations.',
    fix: 'Install event triggers as a reviewed operational step (or through a vetted extension), not from an application migration; get it approved.',
    examples: {
      bad: [
        { sql: 'CREATE EVENT TRIGGER grab ON ddl_command_start EXECUTE FUNCTION public.grab();' },
        { sql: 'ALTER EVENT TRIGGER grab ENABLE ALWAYS;' },
        { sql: "DO $$ BEGIN EXECUTE 'CREATE EVENT TRIGGER x ON sql_drop EXECUTE PROCEDURE f()'; END $$;" },
      ],
      good: [{ sql: 'CREATE TRIGGER t BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();' }, { sql: 'ALTER EVENT TRIGGER grab DISABLE;' }, { sql: 'DROP EVENT TRIGGER IF EXISTS grab;' }],
    },
  },
  check(stmt, { report }) {
    const c = pgNode(stmt, 'CreateEventTrigStmt');
    if (c) {
      const tags = (c.whenclause ?? []).flatMap((w: any) => (w?.DefElem?.arg?.List?.items ?? []).map((i: any) => i?.String?.sval)).filter(Boolean);
      report({
        message: `Creates event trigger ${c.trigname} on ${c.eventname}${tags.length ? ` (${tags.join(', ')})` : ''}: ${names(c.funcname)}() runs on that event for every user, superusers included${inside(stmt)}.`,
      });
    }
    const a = pgNode(stmt, 'AlterEventTrigStmt');
    if (a && a.tgenabled && a.tgenabled !== 'D') {
      const mode = a.tgenabled === 'A' ? 'ALWAYS' : a.tgenabled === 'R' ? 'REPLICA' : '';
      report({ message: `Enables event trigger ${a.trigname}${mode ? ` ${mode}` : ''}: its function runs on every matching event for every user${inside(stmt)}.` });
    }
  },
  lexical: [/\bcreate\s+event\s+trigger\b/, /\balter\s+event\s+trigger\s+\S+\s+enable\b/],
};
export default withDynamic(rule);
