import { definedBefore, nestedSuffix, nodeOffset, nspTable, pgFunctionCalls, pgNode, rangeVarName, sameName, statementsNamed } from '../src/sql/ast.js';
import { constString } from '../src/parse/pg.js';
import { pgValue } from '../src/sql/fold.js';
import type { Rule, Statement } from '../src/types.js';

const sequenceCreated = (s: Statement) => (s.pg?.CreateSeqStmt ? [rangeVarName(s.pg.CreateSeqStmt.sequence)] : undefined);
const tableCreated = (s: Statement) => (s.pg?.CreateStmt ? [String(s.pg.CreateStmt.relation?.relname ?? '\0')] : undefined);

/** Was sequence `name` created earlier in this file (CREATE SEQUENCE, or a serial/identity column of a new table)? */
function seqCreatedEarlier(stmt: Statement, name: string): boolean {
  if (statementsNamed(stmt, 'sequence-reset:sequences', sequenceCreated, name, 'before').length) return true;
  // serial columns: <table>_<column>_seq, so a table named by a part of the name up to an `_`.
  const last = name.toLowerCase().replace(/^.*\./, '');
  for (let i = last.indexOf('_'); i >= 0; i = last.indexOf('_', i + 1)) if (definedBefore(stmt, 'sequence-reset:tables', tableCreated, last.slice(0, i))) return true;
  return false;
}

const rule: Rule = {
  meta: {
    id: 'sequence-reset',
    category: 'integrity',
    severity: 'error',
    summary: 'Moves a sequence back (ALTER SEQUENCE … RESTART, setval to a literal or with is_called = false, SQLite sqlite_sequence writes)',
    rationale:
      'A sequence set below the values already used hands out ids that exist: inserts fail on the primary key, or — where there is no unique ' +
      'constraint — new rows get the ids of old ones and join to their children, permissions and audit trail. `setval(…, (SELECT max(id) …))` ' +
      'moves it forward and is fine; a literal value or `is_called => false` may move it back. A sequence created earlier in the same file is not reported.',
    fix: 'Set the sequence from the data (`SELECT setval(\'s\', (SELECT max(id) FROM t))`), never to a literal, and get any reset approved.',
    examples: {
      bad: [
        { sql: 'ALTER SEQUENCE users_id_seq RESTART WITH 1;' },
        { sql: 'ALTER SEQUENCE users_id_seq RESTART;' },
        { sql: "SELECT setval('users_id_seq', 1);" },
        { sql: "SELECT setval('users_id_seq', (SELECT max(id) FROM users), false);" },
        { sql: 'ALTER TABLE users ALTER COLUMN id RESTART WITH 1;' },
        { sql: "UPDATE sqlite_sequence SET seq = 0 WHERE name = 'users'", dialect: 'sqlite' },
        { sql: "DELETE FROM sqlite_sequence WHERE name = 'users'", dialect: 'sqlite' },
      ],
      good: [
        { sql: "SELECT setval('users_id_seq', (SELECT max(id) FROM users));" },
        { sql: "SELECT setval('users_id_seq', COALESCE((SELECT MAX(id) + 1 FROM users), 1), false);" },
        { sql: 'CREATE SEQUENCE s; ALTER SEQUENCE s RESTART WITH 100;' },
        { sql: "CREATE TABLE order_items (id serial PRIMARY KEY); SELECT setval('order_items_id_seq', 1000, false);" },
        { sql: 'ALTER SEQUENCE users_id_seq INCREMENT BY 2;' },
      ],
    },
  },
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
    const emit = (seq: string, how: string, offset?: number) => {
      if (seqCreatedEarlier(stmt, seq)) return; // a new sequence has handed out no ids yet
      report({
        message: `Moves sequence ${seq} to a fixed value (${how}): if that is below the ids already used, new rows collide with or impersonate old ones${where}.`,
        offset,
        key: `${seq}:${how}`,
      });
    };
    const seqStmt = pgNode(stmt, 'AlterSeqStmt');
    if (seqStmt) {
      for (const o of seqStmt.options ?? []) {
        const d = o?.DefElem;
        if (d?.defname !== 'restart') continue;
        const v = d.arg?.Integer?.ival ?? (d.arg?.Integer ? 0 : undefined);
        emit(rangeVarName(seqStmt.sequence), v === undefined ? 'RESTART to its start value' : `RESTART WITH ${v}`, nodeOffset(stmt, seqStmt.sequence?.location));
      }
    }
    const alt = pgNode(stmt, 'AlterTableStmt');
    for (const c of alt?.cmds ?? []) {
      const cmd = c?.AlterTableCmd;
      if (cmd?.subtype !== 'AT_SetIdentity') continue;
      for (const o of cmd.def?.List?.items ?? []) {
        if (o?.DefElem?.defname !== 'restart') continue;
        const t = rangeVarName(alt.relation);
        emit(`${t}.${cmd.name} (identity)`, 'RESTART', nodeOffset(stmt, alt.relation?.location));
      }
    }
    if (stmt.pg) {
      for (const call of pgFunctionCalls(stmt.pg)) {
        if (call.base !== 'setval') continue;
        const args: any[] = call.node.args ?? [];
        const seq = constString(args[0]) ?? '?';
        const value = pgValue(args[1]);
        const isCalled = args.length >= 3 ? pgValue(args[2]) : undefined;
        if (typeof value === 'number') emit(seq, `setval to the literal ${value}${isCalled === false ? ', is_called false' : ''}`, nodeOffset(stmt, call.location));
        // is_called false: the next nextval() returns the value itself; from max(id) (no `+ 1`) that id is taken.
        else if (isCalled === false && args[1] && !/"sval":"\+"/.test(JSON.stringify(args[1]))) emit(seq, 'setval with is_called false to a value that is not past the ids in use', nodeOffset(stmt, call.location));
      }
    }
    const a = stmt.ast;
    if (a && (a.type === 'update' || a.type === 'delete' || a.type === 'insert' || a.type === 'replace')) {
      const t = (a.table ?? a.from ?? [])[0];
      if (/^sqlite_sequence$/i.test(nspTable(t).split('.').pop() ?? '')) emit('sqlite_sequence', `${a.type.toUpperCase()} of sqlite_sequence resets AUTOINCREMENT counters`);
    }
  },
  lexical: [/\balter\s+sequence\b[^;]*\brestart\b/, /\bsetval\s*\(\s*'[^']*'\s*,\s*\d+\s*(,|\))/, /\b(update|delete\s+from|insert\s+(or\s+\w+\s+)?into|replace\s+into)\s+sqlite_sequence\b/],
};
export default rule;
