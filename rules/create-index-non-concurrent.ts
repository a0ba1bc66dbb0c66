import { createdEarlier, nestedSuffix, nodeOffset, pgNode, rangeVarName } from '../src/sql/ast.js';
import { lockNote } from '../src/state/index.js';
import type { Rule } from '../src/types.js';

const rule: Rule = {
  meta: {
    id: 'create-index-non-concurrent',
    category: 'safety',
    severity: 'warning',
    summary: 'Builds an index on an existing table without CONCURRENTLY (blocks writes while it builds)',
    rationale:
      'CREATE INDEX without CONCURRENTLY holds a SHARE lock on the table for the whole build: every INSERT, UPDATE and DELETE waits, which on a ' +
      'large table is an outage. ADD CONSTRAINT … UNIQUE / PRIMARY KEY builds its index under an ACCESS EXCLUSIVE lock (reads wait too). ' +
      'Indexes on tables created earlier in the same file are empty and are not reported; neither are `ON ONLY` indexes of partitioned ' +
      'tables (CONCURRENTLY is impossible there). PostgreSQL only: MySQL/InnoDB builds secondary indexes online by default.',
    fix: 'Use CREATE INDEX CONCURRENTLY (outside a transaction: most tools need a flag for that migration), and for constraints ' +
      'CREATE UNIQUE INDEX CONCURRENTLY then ALTER TABLE … ADD CONSTRAINT … UNIQUE USING INDEX.',
    examples: {
      bad: [
        { sql: 'CREATE INDEX users_email_idx ON users (email);' },
        { sql: 'CREATE UNIQUE INDEX IF NOT EXISTS "User_email_key" ON "User"("email");' },
        { sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);' },
      ],
      good: [
        { sql: 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);' },
        { sql: 'CREATE TABLE users (id int, email text);\nCREATE INDEX users_email_idx ON users (email);' },
        { sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;' },
        { sql: 'CREATE INDEX measurements_idx ON ONLY measurements (ts);' },
      ],
    },
  },
  kinds: ['AlterTableStmt', 'IndexStmt'],
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
    const i = pgNode(stmt, 'IndexStmt');
    if (i && !i.concurrent && i.relation?.inh) {
      const table = rangeVarName(i.relation);
      if (!createdEarlier(stmt, table)) {
        const name = i.idxname ? `${i.unique ? 'unique ' : ''}index ${i.idxname}` : `${i.unique ? 'a unique' : 'an'} index`;
        report({ message: `Builds ${name} on existing table ${table} without CONCURRENTLY: writes to ${table} are blocked until it is built${lockNote(stmt, table)}${where}.`, offset: nodeOffset(stmt, i.relation?.location) });
      }
    }
    const a = pgNode(stmt, 'AlterTableStmt');
    if (a && a.objtype === 'OBJECT_TABLE') {
      const table = rangeVarName(a.relation);
      if (createdEarlier(stmt, table)) return;
      for (const c of a.cmds ?? []) {
        const k = c?.AlterTableCmd?.def?.Constraint;
        if (c?.AlterTableCmd?.subtype !== 'AT_AddConstraint' || !k || k.indexname) continue;
        if (k.contype !== 'CONSTR_UNIQUE' && k.contype !== 'CONSTR_PRIMARY' && k.contype !== 'CONSTR_EXCLUSION') continue;
        const kind = k.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : k.contype === 'CONSTR_UNIQUE' ? 'UNIQUE' : 'EXCLUDE';
        report({
          message: `Adds ${kind} constraint ${k.conname ?? ''} on existing table ${table}: its index is built under an ACCESS EXCLUSIVE lock (reads and writes wait)${lockNote(stmt, table)}${where}.`.replace('  ', ' '),
          key: k.conname ?? kind,
        });
      }
    }
  },
};
export default rule;
