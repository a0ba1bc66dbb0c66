import { createdEarlier, folded, nspTable } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';

const rule: Rule = {
  meta: {
    id: 'create-or-replace-table',
    category: 'destructive',
    severity: 'error',
    summary: 'CREATE OR REPLACE TABLE (MariaDB, Snowflake, BigQuery, …): drops the existing table and its rows, then creates an empty one',
    rationale:
      'Unlike CREATE OR REPLACE VIEW/FUNCTION, replacing a table is `DROP TABLE IF EXISTS` plus `CREATE TABLE`: every row of the existing ' +
      'table is gone, silently, and the statement looks like an idempotent create. On a table created earlier in the same file it is info.',
    fix: 'Use CREATE TABLE IF NOT EXISTS, or drop the table explicitly in a migration that is reviewed and approved as a drop.',
    examples: {
      bad: [
        { sql: 'CREATE OR REPLACE TABLE users (id int primary key)', dialect: 'mariadb' },
        { sql: 'CREATE OR REPLACE TABLE analytics.events (id int)', dialect: 'snowflake' },
      ],
      good: [
        { sql: 'CREATE TABLE IF NOT EXISTS users (id int primary key)', dialect: 'mariadb' },
        { sql: 'CREATE OR REPLACE VIEW v AS SELECT 1', dialect: 'mariadb' },
      ],
    },
  },
  check(stmt, { report }) {
    const a = stmt.ast;
    if (a?.type !== 'create' || a.keyword !== 'table' || !a.replace) return;
    for (const t of (a.table ?? []).map(nspTable)) {
      report({ message: `Replaces table ${t}: the existing table and every row in it are dropped first.`, severity: createdEarlier(stmt, t) ? 'info' : undefined, key: t });
    }
  },
  unparsed(stmt, { report }) {
    const m = /^create\s+or\s+replace\s+(?:temporary\s+)?table\s+(?:if\s+not\s+exists\s+)?([^\s(;]+)/.exec(stmt.lexical);
    if (!m) return;
    const name = folded(stmt).match(/table\s+(?:if\s+not\s+exists\s+)?([^\s(;]+)/i)?.[1] ?? m[1];
    report({ message: `Replaces table ${name}: the existing table and every row in it are dropped first (statement read from its text; it could not be parsed).`, severity: createdEarlier(stmt, name.replace(/[`"]/g, '')) ? 'info' : undefined, key: name });
  },
};
export default rule;
