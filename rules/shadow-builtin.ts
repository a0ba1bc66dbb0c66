import { names, nestedSuffix, nodeOffset } from '../src/sql/ast.js';
import { PG_CATALOG_FUNCTIONS, PG_CATALOG_OPERATORS, PG_CATALOG_TYPES } from '../src/sql/pg-builtins.generated.js';
import type { Rule } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';

/** A TypeName the engine has built in (`pg_catalog.varchar` as the parser writes it, or `text`, `uuid`…); arrays of one too. */
function builtinType(t: any): boolean {
  const n: string[] = (t?.names ?? []).map((x: any) => String(x?.String?.sval ?? ''));
  if (n.length === 2 && n[0] === 'pg_catalog') return true;
  return n.length === 1 && PG_CATALOG_TYPES.has(n[0].toLowerCase());
}

/** `schema.name` → [schema or '', name]. */
function split(list: any[] | undefined): [string, string] {
  const parts = names(list).split('.');
  return [parts.length > 1 ? parts[parts.length - 2] : '', parts[parts.length - 1]];
}

const HOW =
  'a call that names it without a schema, with argument types this one matches more closely (varchar against the built-in’s text, say), ' +
  'or under a search_path that lists this schema before pg_catalog, runs this one instead: queries, views, triggers and SECURITY DEFINER ' +
  'functions of other roles included (CVE-2018-1058)';

const rule: Rule = {
  meta: {
    id: 'shadow-builtin',
    category: 'privilege',
    severity: 'error',
    summary: 'Creates a function, procedure or operator with the name of a PostgreSQL built-in (pg_catalog), or an implicit cast: calls meant for the built-in can run it instead',
    rationale:
      'PostgreSQL resolves an unqualified function or operator by search_path and by how closely the argument types match. A `public.lower(varchar)` ' +
      'is a closer match for a varchar argument than the built-in `pg_catalog.lower(text)`, so every unqualified `lower(col)` on a varchar column, ' +
      'in any role’s query, view, trigger or SECURITY DEFINER function, now runs the new function with that caller’s privileges: the ' +
      'CVE-2018-1058 way to take over other roles. An operator works the same way, and an implicit cast changes how existing expressions resolve. ' +
      'The built-in names come from the engine’s own catalog (PGlite, src/sql/pg-builtins.generated.ts). An overload whose arguments are all ' +
      'types of the project’s own (no built-in takes them) is not reported.',
    fix: 'Give the function or operator a name of its own (or keep it in a schema that is never on search_path and call it qualified); make the cast explicit.',
    examples: {
      bad: [
        { sql: "CREATE FUNCTION public.lower(varchar) RETURNS text LANGUAGE sql AS $$ SELECT pg_catalog.lower($1::text) $$;" },
        { sql: 'CREATE OR REPLACE FUNCTION now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT pg_catalog.now() $$;' },
        { sql: 'CREATE OPERATOR public.= (LEFTARG = varchar, RIGHTARG = varchar, FUNCTION = varchar_eq_ci);' },
        { sql: 'CREATE CAST (text AS integer) WITH FUNCTION to_int(text) AS IMPLICIT;' },
        { sql: 'CREATE CAST (integer AS text) WITH FUNCTION public.int_to_text(int) AS ASSIGNMENT;' },
        { sql: "DO $$ BEGIN EXECUTE 'CREATE FUNCTION public.upper(varchar) RETURNS text LANGUAGE sql AS ''SELECT 1::text'''; END $$;" },
      ],
      good: [
        { sql: 'CREATE FUNCTION public.lower_email(text) RETURNS text LANGUAGE sql AS $$ SELECT lower($1) $$;' },
        { sql: 'CREATE TYPE money2 AS (amount numeric, currency text);\nCREATE FUNCTION abs(money2) RETURNS money2 LANGUAGE sql AS $$ SELECT $1 $$;' },
        { sql: 'CREATE OPERATOR public.=== (LEFTARG = text, RIGHTARG = text, FUNCTION = texteq);' },
        { sql: 'CREATE CAST (text AS integer) WITH FUNCTION to_int(text);' },
        { sql: 'CREATE FUNCTION update_updated_at_column() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;' },
      ],
    },
  },
  kinds: ['CreateFunctionStmt', 'DefineStmt', 'CreateCastStmt'],
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
    const f = stmt.pg?.CreateFunctionStmt;
    if (f) {
      const [schema, name] = split(f.funcname);
      if (schema.toLowerCase() === 'pg_catalog' || !PG_CATALOG_FUNCTIONS.has(name.toLowerCase())) return;
      const params = (f.parameters ?? []).map((p: any) => p?.FunctionParameter).filter((p: any) => p && p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE');
      // An overload for the project's own types only: no built-in takes them, nothing is shadowed.
      if (params.length && !params.some((p: any) => builtinType(p.argType))) return;
      const what = f.is_procedure ? 'procedure' : 'function';
      report({ message: `Creates ${what} ${schema ? `${schema}.` : ''}${name}, the name of built-in pg_catalog.${name}: ${HOW}${where}.`, offset: nodeOffset(stmt, params[0]?.location), key: name });
      return;
    }
    const d = stmt.pg?.DefineStmt;
    if (d?.kind === 'OBJECT_OPERATOR') {
      const [schema, name] = split(d.defnames);
      if (schema.toLowerCase() === 'pg_catalog' || !PG_CATALOG_OPERATORS.has(name)) return;
      const args = (d.definition ?? []).map((x: any) => x?.DefElem).filter((e: any) => e?.defname === 'leftarg' || e?.defname === 'rightarg');
      if (args.length && !args.some((e: any) => builtinType(e.arg?.TypeName))) return;
      report({ message: `Creates operator ${schema ? `${schema}.` : ''}${name}, the name of a built-in operator: ${HOW}${where}.`, key: name });
      return;
    }
    const c = stmt.pg?.CreateCastStmt;
    if ((c?.context === 'COERCION_IMPLICIT' || c?.context === 'COERCION_ASSIGNMENT') && builtinType(c.sourcetype) && builtinType(c.targettype)) {
      const t = (x: any) => names(x?.names).replace(/^pg_catalog\./, '');
      // AS ASSIGNMENT: every INSERT/UPDATE that stores one type into a column of the other converts through it.
      const how = c.context === 'COERCION_IMPLICIT' ? 'an implicit cast' : 'an assignment cast';
      const what = c.context === 'COERCION_IMPLICIT' ? 'expressions that mix the two now resolve differently everywhere' : 'every INSERT or UPDATE that stores one into a column of the other now converts through it';
      report({ message: `Creates ${how} from ${t(c.sourcetype)} to ${t(c.targettype)}: ${what}, and the cast's function runs inside them${where}.`, key: `${t(c.sourcetype)}->${t(c.targettype)}` });
    }
  },
  lexical: [/\bcreate\s+cast\b[^;]*\bas\s+(implicit|assignment)\b/],
};
export default withDynamic(rule);
