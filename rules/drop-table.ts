import { createdEarlier, names, nestedSuffix, nspTable, pgNode } from '../src/sql/ast.js';
import { rebuildOf } from '../src/state/rebuild.js';
import type { Rule } from '../src/types.js';

const rule: Rule = {
  meta: {
    id: 'drop-table',
    category: 'destructive',
    severity: 'error',
    summary: 'Drops a table and all of its data',
    rationale:
      'DROP TABLE deletes the table and every row in it; with CASCADE it also drops views, foreign keys and other objects that depend on it. ' +
      'It cannot be undone without a restore, and running code that still reads the table breaks. ' +
      'A table created earlier in the same file only holds rows this migration wrote: dropping it is reported as info only. ' +
      'A table rebuild (SQLite\'s way to change a table: its rows copied into a new table that takes its name, in the same change) loses only ' +
      'the columns or rows the copy left out: those are reported; a copy of every row and column is info.',
    fix: 'Stop all reads and writes first, keep a backup or rename the table and drop it in a later release; get the drop reviewed.',
    examples: {
      bad: [
        { sql: 'DROP TABLE users;' },
        { sql: 'DROP TABLE IF EXISTS a, b CASCADE;' },
        { sql: 'DROP FOREIGN TABLE remote_users;' },
        { sql: 'DROP TABLE users', dialect: 'mysql' },
        { sql: 'DROP TABLE IF EXISTS "users";', dialect: 'sqlite' },
        { sql: 'DO $$ BEGIN DROP TABLE audit_log; END $$;' },
      ],
      good: [{ sql: 'CREATE TABLE users (id int);' }, { sql: 'DROP INDEX users_email_idx;' }, { sql: 'DROP VIEW active_users;' }],
    },
  },
  kinds: ['DropStmt'],
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
    const d = pgNode(stmt, 'DropStmt');
    if (d && (d.removeType === 'OBJECT_TABLE' || d.removeType === 'OBJECT_FOREIGN_TABLE')) {
      const tables: string[] = (d.objects ?? []).map((o: any) => names(o.List?.items));
      const kind = d.removeType === 'OBJECT_FOREIGN_TABLE' ? 'foreign table' : 'table';
      const cascade = d.behavior === 'DROP_CASCADE' ? ' with CASCADE (views, foreign keys and other objects that depend on it are dropped too)' : '';
      emit(tables, kind, cascade);
    }
    if (stmt.ast?.type === 'drop' && /^table$/i.test(stmt.ast.keyword ?? '')) {
      const list = Array.isArray(stmt.ast.name) ? stmt.ast.name : [stmt.ast.name];
      emit(list.map(nspTable), 'table', '');
    }

    function emit(all: string[], kind: string, cascade: string) {
      // A rebuild (rows copied into the table that takes this one's name, in the same change): what
      // the copy left out is what is lost.
      const tables: string[] = [];
      for (const t of all) {
        const r = cascade ? undefined : rebuildOf(stmt, t);
        if (!r || r.lost === undefined) {
          tables.push(t);
          continue;
        }
        const copied = `its rows were copied into ${r.into}, which takes its name, earlier in this change`;
        if (r.filtered) report({ message: `Drops ${kind} ${t} after ${copied}, but the copy has ${r.filtered}: rows it left out are lost${where}.`, key: t });
        else if (r.lost.length) report({ message: `Drops ${kind} ${t} after ${copied} without column${r.lost.length > 1 ? 's' : ''} ${r.lost.join(', ')}: ${r.lost.length > 1 ? 'their' : 'its'} data is lost${where}.`, key: t });
        else report({ message: `Rebuilds ${kind} ${t}: ${copied} with every column; nothing is lost${where}.`, severity: 'info', key: t });
      }
      if (!tables.length) return;
      const s = tables.length > 1 ? 's' : '';
      // Only tables this same file created before: nothing that existed before the migration is lost.
      if (!cascade && tables.length && tables.every((t) => createdEarlier(stmt, t))) {
        report({ message: `Drops ${kind}${s} ${tables.join(', ')}, created earlier in this file; only rows written by this migration are affected${where}.`, severity: 'info' });
        return;
      }
      report({ message: `Drops ${kind}${s} ${tables.join(', ')} and all ${tables.length > 1 ? 'their' : 'its'} data${cascade}${where}.` });
    }
  },
  lexical: [/\bdrop\s+(foreign\s+)?table\b/],
};
export default rule;
