import { createdEarlier, namedClause, nestedSuffix, pgNode, rangeVarName } from '../src/sql/ast.js';
import { lockNote } from '../src/state/index.js';
import type { Rule } from '../src/types.js';

// `\bconstraint\s+[`"]?NAME\b` (flag i), one pattern for every name.
const CONSTRAINT_HEAD = /\bconstraint\s+/gi;

const rule: Rule = {
  meta: {
    id: 'constraint-not-valid',
    category: 'safety',
    severity: 'warning',
    summary: 'Adds a FOREIGN KEY or CHECK constraint to an existing table without NOT VALID (scans the table under lock)',
    rationale:
      'Adding a foreign key or check constraint validates every existing row while holding a lock that blocks writes (a foreign key also locks ' +
      'the referenced table). On a large table that is an outage, and one bad row fails the whole migration. ' +
      'Tables created earlier in the same file are empty and are not reported. PostgreSQL only (MySQL has no NOT VALID).',
    fix: 'ADD CONSTRAINT … NOT VALID (instant; new rows are checked), then ALTER TABLE … VALIDATE CONSTRAINT in a later step, which does not block writes.',
    examples: {
      bad: [
        { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users(id);' },
        { sql: 'ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0);' },
      ],
      good: [
        { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users(id) NOT VALID;' },
        { sql: 'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;' },
        { sql: 'CREATE TABLE orders (id int, user_id int);\nALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users(id);' },
      ],
    },
  },
  kinds: ['AlterTableStmt'],
  check(stmt, { report }) {
    const a = pgNode(stmt, 'AlterTableStmt');
    if (!a || a.objtype !== 'OBJECT_TABLE') return;
    const table = rangeVarName(a.relation);
    if (createdEarlier(stmt, table)) return;
    for (const c of a.cmds ?? []) {
      const k = c?.AlterTableCmd?.def?.Constraint;
      if (c?.AlterTableCmd?.subtype !== 'AT_AddConstraint' || !k || k.skip_validation) continue;
      if (k.contype !== 'CONSTR_FOREIGN' && k.contype !== 'CONSTR_CHECK') continue;
      const kind = k.contype === 'CONSTR_FOREIGN' ? 'foreign key' : 'check constraint';
      const ref = k.contype === 'CONSTR_FOREIGN' ? ` (locks ${rangeVarName(k.pktable)} too)` : '';
      const offset = k.conname ? namedClause(stmt.text, k.conname, CONSTRAINT_HEAD) : undefined;
      report({
        message: `Adds ${kind}${k.conname ? ' ' + k.conname : ''} on existing table ${table} without NOT VALID: every row is checked while writes are blocked${ref}${lockNote(stmt, table)}${nestedSuffix(stmt)}.`,
        offset,
        key: k.conname ?? kind,
      });
    }
  },
};
export default rule;
