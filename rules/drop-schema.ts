import { nestedSuffix, pgNode, statementsNamed } from '../src/sql/ast.js';
import type { Rule, Statement } from '../src/types.js';

function recreatedExtension(stmt: Statement, name: string): boolean {
  return statementsNamed(stmt, 'drop-schema:extensions', extensionNames, name, 'after').some((s) => s.pg?.CreateExtensionStmt?.extname?.toLowerCase() === name.toLowerCase());
}

/** The extension a statement creates, if any (indexed; `recreatedExtension` compares exactly). */
function extensionNames(s: Statement): string[] | undefined {
  const e = s.pg?.CreateExtensionStmt?.extname;
  return typeof e === 'string' ? [e] : undefined;
}

const rule: Rule = {
  meta: {
    id: 'drop-schema',
    category: 'destructive',
    severity: 'error',
    summary: 'Drops a schema or an extension (with CASCADE: every object in it and everything that depends on it)',
    rationale:
      'DROP SCHEMA … CASCADE deletes every table, view, function and type in the schema with all their data. DROP EXTENSION deletes every ' +
      'object the extension owns (its functions, types and configuration tables, e.g. pg_cron jobs or an audit extension) and, with CASCADE, ' +
      'the user columns, indexes and functions that depend on them. Without CASCADE a DROP SCHEMA fails unless the schema is empty and ' +
      'a DROP EXTENSION fails if user objects depend on it, so those are warnings; an extension re-created later in the same file is info.',
    fix: 'List the objects in the schema/extension and drop them explicitly, after a backup; avoid CASCADE.',
    examples: {
      bad: [
        { sql: 'DROP SCHEMA analytics CASCADE;' },
        { sql: 'DROP SCHEMA IF EXISTS analytics;' },
        { sql: 'DROP EXTENSION postgis CASCADE;' },
        { sql: 'DROP EXTENSION pgaudit;' },
      ],
      good: [
        { sql: 'CREATE SCHEMA IF NOT EXISTS analytics;' },
        { sql: 'CREATE EXTENSION IF NOT EXISTS pgcrypto;' },
        { sql: 'DROP SCHEMA app;', dialect: 'mysql' }, // MySQL: a schema is a database (drop-database)
      ],
    },
  },
  kinds: ['DropStmt'],
  check(stmt, { report }) {
    const d = pgNode(stmt, 'DropStmt');
    if (!d) return;
    const where = nestedSuffix(stmt);
    const cascade = d.behavior === 'DROP_CASCADE';
    const list: string[] = (d.objects ?? []).map((o: any) => o?.String?.sval ?? '?');
    const s = list.length > 1 ? 's' : '';
    if (d.removeType === 'OBJECT_SCHEMA') {
      if (cascade) report({ message: `Drops schema${s} ${list.join(', ')} with CASCADE: every table, view, function and type in ${list.length > 1 ? 'them' : 'it'} and all their data${where}.` });
      else report({ message: `Drops schema${s} ${list.join(', ')} (fails unless empty; nothing is dropped with it)${where}.`, severity: 'warning' });
    }
    if (d.removeType === 'OBJECT_EXTENSION') {
      if (cascade) {
        report({ message: `Drops extension${s} ${list.join(', ')} with CASCADE: the objects it owns and every user column, index, view and function that depends on them${where}.` });
      } else if (list.every((n) => recreatedExtension(stmt, n))) {
        report({ message: `Drops extension${s} ${list.join(', ')} and re-creates ${list.length > 1 ? 'them' : 'it'} later in this file${where}.`, severity: 'info' });
      } else {
        report({ message: `Drops extension${s} ${list.join(', ')} and the functions, types and tables ${list.length > 1 ? 'they own' : 'it owns'} (fails if user objects depend on ${list.length > 1 ? 'them' : 'it'})${where}.`, severity: 'warning' });
      }
    }
  },
  lexical: [/\bdrop\s+schema\b/, /\bdrop\s+extension\b/],
};
export default rule;
