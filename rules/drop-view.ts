import { names, nestedSuffix, nspTable, pgNode, rangeVarName, sameName, statementsNamed } from '../src/sql/ast.js';
import type { Rule, Statement } from '../src/types.js';

/** Is view `name` created again by a later statement of the same file (DROP + CREATE = redefinition)? */
function recreated(stmt: Statement, name: string): boolean {
  return statementsNamed(stmt, 'drop-view:views', viewNames, name, 'after').some((s) => {
    const v = s.pg?.ViewStmt?.view ?? (s.pg?.CreateTableAsStmt?.objtype === 'OBJECT_MATVIEW' ? s.pg.CreateTableAsStmt.into?.rel : undefined);
    if (v) return sameName(rangeVarName(v), name);
    if (s.ast?.type === 'create' && s.ast.keyword === 'view') return sameName(nspTable(s.ast.view ?? s.ast.name ?? s.ast.table?.[0]), name);
    return false;
  });
}

/** The view a statement creates, if any (what `recreated` compares). */
function viewNames(s: Statement): string[] | undefined {
  const v = s.pg?.ViewStmt?.view ?? (s.pg?.CreateTableAsStmt?.objtype === 'OBJECT_MATVIEW' ? s.pg.CreateTableAsStmt.into?.rel : undefined);
  if (v) return [rangeVarName(v)];
  if (s.ast?.type === 'create' && s.ast.keyword === 'view') return [nspTable(s.ast.view ?? s.ast.name ?? s.ast.table?.[0])];
  return undefined;
}

const rule: Rule = {
  meta: {
    id: 'drop-view',
    category: 'destructive',
    severity: 'error',
    summary: 'Drops a view or materialized view',
    rationale:
      'Queries and code that read the view fail once it is gone; a materialized view also loses its stored rows, and with CASCADE every view built on it is dropped too. ' +
      'Dropping a view and creating it again later in the same file (the usual way to change its columns) is a redefinition and is reported as info only, unless CASCADE also drops views that depend on it.',
    fix: 'Make sure nothing reads the view any more (or re-create it in the same migration); avoid CASCADE, drop dependent views explicitly.',
    examples: {
      bad: [
        { sql: 'DROP VIEW active_users;' },
        { sql: 'DROP MATERIALIZED VIEW IF EXISTS stats CASCADE;' },
        { sql: 'DROP VIEW v; CREATE VIEW v AS SELECT 1; DROP VIEW w CASCADE;' },
        { sql: 'DROP VIEW active_users', dialect: 'mysql' },
      ],
      good: [{ sql: 'CREATE OR REPLACE VIEW v AS SELECT 1;' }, { sql: 'DROP TABLE t; CREATE TABLE t (id int);', path: 'not-a-view.sql' }],
    },
  },
  kinds: ['DropStmt'],
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
    const emit = (views: string[], kind: string, cascade: boolean) => {
      const s = views.length > 1 ? 's' : '';
      const casc = cascade ? ' with CASCADE (every view and object built on it is dropped too)' : '';
      if (!cascade && views.length && views.every((v) => recreated(stmt, v))) {
        report({ message: `Drops ${kind}${s} ${views.join(', ')} and re-creates ${views.length > 1 ? 'them' : 'it'} later in this file (redefinition)${where}.`, severity: 'info' });
        return;
      }
      const data = kind.startsWith('materialized') ? ' and its stored rows' : '';
      report({ message: `Drops ${kind}${s} ${views.join(', ')}${data}${casc}${where}.` });
    };
    const d = pgNode(stmt, 'DropStmt');
    if (d && (d.removeType === 'OBJECT_VIEW' || d.removeType === 'OBJECT_MATVIEW')) {
      const list: string[] = (d.objects ?? []).map((o: any) => names(o.List?.items));
      emit(list, d.removeType === 'OBJECT_MATVIEW' ? 'materialized view' : 'view', d.behavior === 'DROP_CASCADE');
    }
    if (stmt.ast?.type === 'drop' && /^view$/i.test(stmt.ast.keyword ?? '')) {
      const list = Array.isArray(stmt.ast.name) ? stmt.ast.name : [stmt.ast.name];
      emit(list.map(nspTable), 'view', /"cascade"/i.test(JSON.stringify(stmt.ast.options ?? null)));
    }
  },
  lexical: [/\bdrop\s+(materialized\s+)?view\b/],
};
export default rule;
