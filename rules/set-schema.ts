import { definedBefore, names, nestedSuffix, nodeOffset, pgNode, rangeVarName } from '../src/sql/ast.js';
import type { Rule, Statement } from '../src/types.js';

/** OBJECT_TABLE → 'table'. */
function objWord(t: string | undefined): string {
  return (t ?? 'OBJECT_?').replace(/^OBJECT_/, '').toLowerCase().replace(/_/g, ' ');
}

/** Name of the object an AlterObjectSchemaStmt moves. */
function objectName(a: any): string {
  if (a.relation) return rangeVarName(a.relation);
  const o = a.object;
  if (!o) return '?';
  if (o.List) return names(o.List.items);
  if (o.ObjectWithArgs) return names(o.ObjectWithArgs.objname) + '(…)';
  if (o.TypeName) return names(o.TypeName.names);
  if (o.String) return o.String.sval;
  return '?';
}

/** The relation a statement creates (table, view, sequence), by its name as written. */
function relationCreated(s: Statement): string[] | undefined {
  const rv = s.pg?.CreateStmt?.relation ?? s.pg?.ViewStmt?.view ?? s.pg?.CreateSeqStmt?.sequence;
  return rv ? [rangeVarName(rv)] : undefined;
}

const rule: Rule = {
  meta: {
    id: 'set-schema',
    category: 'destructive',
    severity: 'error',
    summary: 'Moves an object to another schema (ALTER … SET SCHEMA): every query by its old name breaks, or finds another object',
    rationale:
      'After `ALTER TABLE t SET SCHEMA archive` the table is gone from where the application looks for it: queries by the qualified name fail, ' +
      'and unqualified ones resolve through search_path — possibly to a different object with the same name. Policies, grants on the schema ' +
      'and search_path-dependent functions change with it. For the application it looks like a dropped table.',
    fix: 'Move objects between schemas in a release of their own, with a compatibility view or synonym at the old name, and get it approved.',
    examples: {
      bad: [
        { sql: 'ALTER TABLE users SET SCHEMA archive;' },
        { sql: 'ALTER FUNCTION is_admin(uuid) SET SCHEMA attacker;' },
        { sql: 'ALTER TYPE status SET SCHEMA old;' },
      ],
      good: [{ sql: 'ALTER TABLE users RENAME TO people;' }, { sql: 'CREATE TABLE t (id int); ALTER TABLE t SET SCHEMA app;' }, { sql: "ALTER TABLE users SET (fillfactor = 70);" }],
    },
  },
  check(stmt, { report }) {
    const a = pgNode(stmt, 'AlterObjectSchemaStmt');
    if (!a) return;
    const name = objectName(a);
    const word = objWord(a.objectType);
    const created = a.relation && definedBefore(stmt, 'set-schema:relations', relationCreated, name);
    if (created) return; // created by this migration: nothing uses the old name yet
    report({
      message: `Moves ${word} ${name} to schema ${a.newschema}: queries by its old name fail or resolve to another object through search_path${nestedSuffix(stmt)}.`,
      offset: nodeOffset(stmt, a.relation?.location),
      key: `${word}:${name}`,
    });
  },
  lexical: [/\balter\s+(table|view|materialized\s+view|sequence|function|procedure|type|domain|extension|aggregate|operator|collation|conversion|foreign\s+table|statistics|text\s+search\s+\w+)\b[^;]*\bset\s+schema\b/],
};
export default rule;
