import { createdEarlier, nspTable } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';

/** Engines that do not keep rows: BLACKHOLE discards every write; MEMORY loses everything on restart. */
const LOSSY: Record<string, string> = {
  blackhole: 'BLACKHOLE discards every row written to it (reads return nothing; only the binary log sees the writes)',
  memory: 'MEMORY keeps rows only until the server restarts',
  heap: 'HEAP (MEMORY) keeps rows only until the server restarts',
};

const rule: Rule = {
  meta: {
    id: 'blackhole-engine',
    category: 'destructive',
    severity: 'error',
    summary: 'MySQL/MariaDB table moved to or created with an engine that keeps no data (ENGINE=BLACKHOLE; MEMORY is a warning)',
    rationale:
      '`ALTER TABLE t ENGINE=BLACKHOLE` converts the table by copying its rows into an engine that throws them away: every existing row is ' +
      'gone and every later write vanishes while looking successful. A table created with BLACKHOLE swallows what the application writes. ' +
      'ENGINE=MEMORY loses the data at the next restart.',
    fix: 'Keep the table on InnoDB; a BLACKHOLE relay table for replication needs its own review and approval.',
    examples: {
      bad: [
        { sql: 'ALTER TABLE payments ENGINE=BLACKHOLE', dialect: 'mysql' },
        { sql: 'CREATE TABLE audit_log (id int, msg text) ENGINE=BLACKHOLE', dialect: 'mysql' },
        { sql: 'ALTER TABLE sessions ENGINE = MEMORY', dialect: 'mariadb' },
      ],
      good: [
        { sql: 'ALTER TABLE payments ENGINE=InnoDB', dialect: 'mysql' },
        { sql: 'CREATE TABLE t (id int) ENGINE=InnoDB', dialect: 'mysql' },
      ],
    },
  },
  check(stmt, { report }) {
    const a = stmt.ast;
    if (!a) return;
    if (a.type === 'alter') {
      const t = nspTable(a.table?.[0]);
      for (const e of a.expr ?? []) {
        const engine = String(e?.engine ?? (e?.keyword === 'engine' ? e?.value : '') ?? '').toLowerCase();
        if (!LOSSY[engine]) continue;
        report({
          message: `Converts ${t} to ENGINE=${engine.toUpperCase()}: ${LOSSY[engine]}${engine === 'blackhole' ? '; its existing rows are discarded by the conversion' : ''}.`,
          severity: createdEarlier(stmt, t) ? 'info' : engine === 'blackhole' ? undefined : 'warning',
          key: t,
        });
      }
    }
    if (a.type === 'create' && a.keyword === 'table') {
      const opt = (a.table_options ?? []).find((o: any) => String(o?.keyword).toLowerCase() === 'engine');
      const engine = String(opt?.value ?? '').toLowerCase();
      if (!LOSSY[engine]) return;
      const t = nspTable(a.table?.[0]);
      report({ message: `Creates ${t} with ENGINE=${engine.toUpperCase()}: ${LOSSY[engine]}.`, severity: engine === 'blackhole' ? undefined : 'info', key: t });
    }
  },
  lexical: [/\bengine\s*=?\s*blackhole\b/],
};
export default rule;
