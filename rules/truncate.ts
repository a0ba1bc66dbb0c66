import { createdEarlier, nestedSuffix, nspTable, pgNode, rangeVarName } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';

const rule: Rule = {
  meta: {
    id: 'truncate',
    category: 'destructive',
    severity: 'error',
    summary: 'Empties a table (TRUNCATE)',
    rationale:
      'TRUNCATE removes every row at once, fires no row-level DELETE triggers (so audit triggers see nothing), and with CASCADE also empties ' +
      'every table that has a foreign key to it. It cannot be undone once committed.',
    fix: 'Delete only the rows that must go (DELETE … WHERE), keep a backup, and never use CASCADE in a migration.',
    examples: {
      bad: [
        { sql: 'TRUNCATE sessions;' },
        { sql: 'TRUNCATE TABLE a, b RESTART IDENTITY CASCADE;' },
        { sql: 'TRUNCATE TABLE sessions', dialect: 'mysql' },
        { sql: 'CREATE FUNCTION reset() RETURNS void LANGUAGE sql AS $$ TRUNCATE sessions $$;' },
      ],
      good: [{ sql: 'DELETE FROM sessions WHERE expires_at < now();' }, { sql: "COMMENT ON TABLE sessions IS 'truncate me';" }],
    },
  },
  kinds: ['TruncateStmt'],
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
    const emit = (tables: string[], extra: string) => {
      const s = tables.length > 1 ? 's' : '';
      if (!extra.includes('CASCADE') && tables.length && tables.every((t) => createdEarlier(stmt, t))) {
        report({ message: `Truncates table${s} ${tables.join(', ')}, created earlier in this file; only rows written by this migration are affected${where}.`, severity: 'info' });
        return;
      }
      report({ message: `Truncates table${s} ${tables.join(', ')}: every row is deleted${extra}${where}.` });
    };
    const t = pgNode(stmt, 'TruncateStmt');
    if (t) {
      const tables: string[] = (t.relations ?? []).map(rangeVarName);
      let extra = '';
      if (t.behavior === 'DROP_CASCADE') extra += ', and with CASCADE every table with a foreign key to it is emptied too';
      if (t.restart_seqs) extra += '; RESTART IDENTITY resets the sequences';
      emit(tables, extra);
    }
    if (stmt.ast?.type === 'truncate') {
      const list = Array.isArray(stmt.ast.name) ? stmt.ast.name : [stmt.ast.name];
      emit(list.map(nspTable), '');
    }
  },
  lexical: [/(^|;\s*|\b(begin|then|else|loop|as|row|do)\s+)truncate\b/],
};
export default rule;
