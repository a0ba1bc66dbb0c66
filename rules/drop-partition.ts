import { nspColumn, nspTable } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';

const rule: Rule = {
  meta: {
    id: 'drop-partition',
    category: 'destructive',
    severity: 'error',
    summary: 'Drops or truncates table partitions (MySQL/MariaDB ALTER TABLE … DROP PARTITION / TRUNCATE PARTITION)',
    rationale:
      '`DROP PARTITION` deletes the partition and every row in it; `TRUNCATE PARTITION` empties it. Neither fires DELETE triggers nor can be ' +
      'rolled back (DDL commits implicitly in MySQL). Range-partitioned history tables lose whole months of data in one statement.',
    fix: 'Archive the partition first (EXCHANGE PARTITION into a table you keep), then drop it in a reviewed, approved migration.',
    examples: {
      bad: [
        { sql: 'ALTER TABLE events DROP PARTITION p2023', dialect: 'mysql' },
        { sql: 'ALTER TABLE events TRUNCATE PARTITION p2023, p2024', dialect: 'mariadb' },
      ],
      good: [
        { sql: "ALTER TABLE events ADD PARTITION (PARTITION p2025 VALUES LESS THAN (2026))", dialect: 'mysql' },
        { sql: 'ALTER TABLE events DROP COLUMN_X', dialect: 'mysql' },
      ],
    },
  },
  check(stmt, { report }) {
    const a = stmt.ast;
    if (a?.type !== 'alter') return;
    const t = nspTable(a.table?.[0]);
    for (const e of a.expr ?? []) {
      if (e?.resource !== 'partition' || (e.action !== 'drop' && e.action !== 'truncate')) continue;
      const parts = (e.partitions ?? []).map((p: any) => nspColumn(p?.expr ?? p)).join(', ');
      report({
        message: e.action === 'drop' ? `Drops partition${parts.includes(',') ? 's' : ''} ${parts} of ${t} and every row in ${parts.includes(',') ? 'them' : 'it'}.` : `Truncates partition${parts.includes(',') ? 's' : ''} ${parts} of ${t}: every row in ${parts.includes(',') ? 'them' : 'it'} is deleted.`,
        key: `${t}:${e.action}:${parts}`,
      });
    }
  },
  lexical: [/\balter\s+table\b[^;]*\b(drop|truncate)\s+partition\b/],
};
export default rule;
