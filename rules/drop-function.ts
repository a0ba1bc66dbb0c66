import { names, nestedSuffix, pgNode, sameName, statementsNamed } from '../src/sql/ast.js';
import type { Rule, Statement } from '../src/types.js';

const KINDS: Record<string, string> = {
  OBJECT_FUNCTION: 'function',
  OBJECT_PROCEDURE: 'procedure',
  OBJECT_ROUTINE: 'routine',
  OBJECT_AGGREGATE: 'aggregate',
};

/** `f(integer, text)`: the name and, when given, the argument types (pg_catalog. left out). */
function signature(o: any): string {
  const f = o?.ObjectWithArgs;
  if (!f) return names(o?.List?.items ?? []);
  const n = names(f.objname);
  if (f.args_unspecified) return n;
  const args = (f.objargs ?? []).map((t: any) => names(t?.TypeName?.names).replace(/^pg_catalog\./, ''));
  return `${n}(${args.join(', ')})`;
}

/** Is the routine created again later in the same file (DROP + CREATE = redefinition)? */
function recreated(stmt: Statement, name: string): boolean {
  return statementsNamed(stmt, 'drop-function:routines', routineNames, name, 'after').some((s) => {
    const f = s.pg?.CreateFunctionStmt?.funcname ?? (s.pg?.DefineStmt?.kind === 'OBJECT_AGGREGATE' ? s.pg.DefineStmt.defnames : undefined);
    return !!f && sameName(names(f), name);
  });
}

/** The routine a statement creates, if any (what `recreated` compares). */
function routineNames(s: Statement): string[] | undefined {
  const f = s.pg?.CreateFunctionStmt?.funcname ?? (s.pg?.DefineStmt?.kind === 'OBJECT_AGGREGATE' ? s.pg.DefineStmt.defnames : undefined);
  return f ? [names(f)] : undefined;
}

const rule: Rule = {
  meta: {
    id: 'drop-function',
    category: 'destructive',
    severity: 'error',
    summary: 'Drops a function, procedure or aggregate',
    rationale:
      'Triggers, defaults, views, policies and application code that call the routine fail once it is gone; with CASCADE the triggers, ' +
      'defaults and other objects that use it are silently dropped too. Dropping a routine and creating it again later in the same file ' +
      '(needed to change its signature or return type) is a redefinition and is reported as info only. ' +
      'Triggers are covered by the drop-trigger rule; DROP TYPE/DOMAIN/EXTENSION … CASCADE by drop-cascade and drop-schema.',
    fix: 'Check that nothing calls the routine any more (grep the code, check triggers and defaults), or re-create it in the same migration; avoid CASCADE.',
    examples: {
      bad: [
        { sql: 'DROP FUNCTION IF EXISTS storage.get_size_by_bucket();' },
        { sql: 'DROP FUNCTION f(int, text) CASCADE;' },
        { sql: 'DROP PROCEDURE archive_orders;' },
        { sql: 'DROP AGGREGATE my_sum(int);' },
        { sql: 'DROP FUNCTION f;', dialect: 'mysql' },
      ],
      good: [
        { sql: 'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;' },
        { sql: 'DROP TYPE status;' },
      ],
    },
  },
  kinds: ['DropStmt'],
  check(stmt, { report }) {
    const d = pgNode(stmt, 'DropStmt');
    const kind = d && KINDS[d.removeType];
    if (!kind) return;
    const where = nestedSuffix(stmt);
    const list: string[] = (d.objects ?? []).map(signature);
    const s = list.length > 1 ? 's' : '';
    const cascade = d.behavior === 'DROP_CASCADE';
    if (!cascade && list.length && list.every((n) => recreated(stmt, n.replace(/\(.*$/, '')))) {
      report({ message: `Drops ${kind}${s} ${list.join(', ')} and re-creates ${list.length > 1 ? 'them' : 'it'} later in this file (redefinition)${where}.`, severity: 'info' });
      return;
    }
    const casc = cascade ? ' with CASCADE (triggers, defaults, views and other objects that use it are dropped too)' : '';
    report({ message: `Drops ${kind}${s} ${list.join(', ')}${casc}; anything that still calls ${list.length > 1 ? 'them' : 'it'} fails${where}.` });
  },
  lexical: [/\bdrop\s+(function|procedure|routine|aggregate)\b/],
};
export default rule;
