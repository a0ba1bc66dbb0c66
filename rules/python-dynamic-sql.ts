import { pythonFacts } from '../src/python/facts.js';
import type { Rule } from '../src/types.js';

const ALEMBIC = 'migrations/versions/1a2b3c4d_example.py';
const HEAD = "from alembic import op\nrevision = '1a2b3c4d'\ndown_revision = None\n";

const rule: Rule = {
  meta: {
    id: 'python-dynamic-sql',
    category: 'dynamic',
    severity: 'error',
    summary: 'Python migration runs SQL built at run time (f-string, %, .format, variables, loops, imported SQL)',
    rationale:
      'SQL passed to `op.execute`, `conn.execute`, `exec_driver_sql`, `RunSQL`, … is checked by parsing it; when the text is computed while the ' +
      'migration runs (an f-string, `%` or `.format()`, a parameter, a loop variable, a value imported from elsewhere) no static check can see ' +
      'what it does, so it can hide a destructive or privileged statement. SQL whose shape is fixed is folded and checked instead: ' +
      'literals, concatenation, module and function constants interpolated by f-strings, `%` and `.format()`, `sep.join()` of literal lists, ' +
      'names assigned one of several literals, loops over literal lists and dicts, and helpers whose every call in the file passes literals ' +
      '(each possible text is checked, at the call\'s line).',
    fix: 'Write the SQL as a literal (one statement per op.execute), use bind parameters for values, or have a reviewer confirm what it can produce.',
    examples: {
      bad: [
        { path: ALEMBIC, sql: HEAD + 'def upgrade():\n    for x in op.get_bind().execute("SELECT name FROM t").scalars():\n        op.execute(f"DROP TABLE {x}")\n' },
        { path: ALEMBIC, sql: HEAD + 'def upgrade():\n    conn = op.get_bind()\n    conn.execute("DELETE FROM %s" % table_name)\n' },
        { path: ALEMBIC, sql: HEAD + 'from somewhere import SQL\n\ndef upgrade():\n    op.execute(SQL)\n' },
      ],
      good: [
        { path: ALEMBIC, sql: HEAD + 'def upgrade():\n    op.execute("UPDATE t SET a = 1 WHERE b = 2")\n' },
        { path: ALEMBIC, sql: HEAD + 'T = "accounts"\n\ndef upgrade():\n    op.execute("UPDATE " + T + " SET a = 1 WHERE id = :id")\n' },
        { path: ALEMBIC, sql: HEAD + 'BATCH = 500\n\ndef upgrade():\n    for t in ["a", "b"]:\n        op.execute(f"UPDATE {t} SET x = 1 WHERE id IN (SELECT id FROM {t} LIMIT {BATCH})")\n        op.execute("UPDATE %s SET y = %d WHERE z" % (t, BATCH))\n' },
      ],
    },
  },
  checkFile(file, { report }) {
    for (const h of pythonFacts(file.facts)?.dynamic ?? []) {
      report({ message: h.message, line: h.line, column: h.column, endLine: h.endLine, down: h.down, key: h.key });
    }
  },
};
export default rule;
