import { names, nestedSuffix, pgNode } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';

/** Object types whose DROP … CASCADE another rule reports (and names CASCADE in its message). */
const OWN_RULE = new Set([
  'OBJECT_TABLE',
  'OBJECT_FOREIGN_TABLE',
  'OBJECT_VIEW',
  'OBJECT_MATVIEW',
  'OBJECT_SCHEMA',
  'OBJECT_EXTENSION',
  'OBJECT_FUNCTION',
  'OBJECT_PROCEDURE',
  'OBJECT_ROUTINE',
  'OBJECT_AGGREGATE',
  'OBJECT_TRIGGER',
  'OBJECT_POLICY', // drop-policy (privilege rules); a policy has no dependents
]);

const KIND: Record<string, string> = {
  OBJECT_FOREIGN_SERVER: 'server',
  OBJECT_FDW: 'foreign data wrapper',
  OBJECT_TSCONFIGURATION: 'text search configuration',
  OBJECT_TSDICTIONARY: 'text search dictionary',
  OBJECT_TSPARSER: 'text search parser',
  OBJECT_TSTEMPLATE: 'text search template',
  OBJECT_STATISTIC_EXT: 'statistics object',
  OBJECT_OPCLASS: 'operator class',
  OBJECT_OPFAMILY: 'operator family',
};

const CONSEQUENCE: Record<string, string> = {
  OBJECT_TYPE: 'every table column of this type is dropped with its data, and the functions and views that use it',
  OBJECT_DOMAIN: 'every table column of this domain is dropped with its data, and the functions and views that use it',
  OBJECT_SEQUENCE: 'column defaults that call it (nextval) are dropped, so inserts that rely on them fail',
  OBJECT_INDEX: 'constraints that depend on it (e.g. foreign keys referencing a unique index) are dropped',
  OBJECT_COLLATION: 'columns and indexes that use it are dropped',
  OBJECT_FOREIGN_SERVER: 'the foreign tables and user mappings on it are dropped',
  OBJECT_FDW: 'its servers, user mappings and foreign tables are dropped',
  OBJECT_LANGUAGE: 'every function written in it is dropped',
};

function objectName(o: any): string {
  if (o?.String) return o.String.sval;
  if (o?.TypeName) return names(o.TypeName.names);
  if (o?.ObjectWithArgs) return names(o.ObjectWithArgs.objname);
  if (o?.List) return (o.List.items ?? []).map((i: any) => i?.String?.sval ?? (i?.TypeName ? names(i.TypeName.names).replace(/^pg_catalog\./, '') : '?')).join('.');
  return '?';
}

const rule: Rule = {
  meta: {
    id: 'drop-cascade',
    category: 'destructive',
    severity: 'error',
    summary: 'DROP … CASCADE of a type, domain, sequence, index or other object silently drops what depends on it',
    rationale:
      'Dropping a type or domain with CASCADE drops every table column of that type, with its data, without naming the columns; a sequence ' +
      'takes the column defaults that use it, an index the foreign keys that need it. The statement looks harmless and is not. ' +
      '(Tables, views, schemas, extensions, functions and triggers are reported by their own drop-* rules, which also say CASCADE.)',
    fix: 'Drop without CASCADE so PostgreSQL refuses while something depends on the object, and change or drop the dependents explicitly.',
    examples: {
      bad: [{ sql: 'DROP TYPE status CASCADE;' }, { sql: 'DROP DOMAIN email_address CASCADE;' }, { sql: 'DROP SEQUENCE users_id_seq CASCADE;' }, { sql: 'DROP INDEX users_email_key CASCADE;' }],
      good: [{ sql: 'DROP TYPE status;' }, { sql: 'DROP INDEX users_email_idx;' }, { sql: 'DROP SEQUENCE "Webhook_id_seq";' }],
    },
  },
  kinds: ['DropStmt'],
  check(stmt, { report }) {
    const d = pgNode(stmt, 'DropStmt');
    if (!d || d.behavior !== 'DROP_CASCADE' || OWN_RULE.has(d.removeType)) return;
    const kind = KIND[d.removeType] ?? String(d.removeType ?? 'OBJECT_?').replace(/^OBJECT_/, '').replace(/_/g, ' ').toLowerCase();
    const list = (d.objects ?? []).map(objectName).join(', ');
    const what = CONSEQUENCE[d.removeType] ?? 'every object that depends on it is dropped too';
    report({ message: `Drops ${kind} ${list} with CASCADE: ${what}${nestedSuffix(stmt)}.` });
  },
  lexical: [/\bdrop\s+(?!table\b|foreign\s+table\b|view\b|materialized\b|schema\b|extension\b|function\b|procedure\b|routine\b|aggregate\b|trigger\b|owned\b|constraint\b|column\b|database\b|policy\b)[a-z ]+\b.*\bcascade\s*;?$/],
};
export default rule;
