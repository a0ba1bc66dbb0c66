import { nestedSuffix } from '../src/sql/ast.js';
import { stateOf } from '../src/state/index.js';
import type { Rule } from '../src/types.js';

/** Fail closed: a statement the sandbox had to stop was not verified, and the ones after it were not replayed. */
const rule: Rule = {
  meta: {
    id: 'replay-limit',
    category: 'safety',
    severity: 'warning',
    summary: 'The sandboxed replay stopped at this statement (time or memory limit): it and what follows were judged without schema state',
    rationale:
      'migration-gate replays every migration in an embedded, sandboxed engine to know what each statement really does. A statement ' +
      'that runs past the sandbox limits (an endless loop, a huge generated series, deep recursion) is stopped there: in production ' +
      'it would hold locks for as long or never finish. The statements after it are judged without replayed state, which is the ' +
      'conservative judgement: an object is never assumed to be new.',
    fix: 'Make sure the statement terminates and is bounded (batch large data changes); if it is a long data migration, run it outside the schema migration.',
    examples: {
      bad: [{ sql: 'DO $$ BEGIN LOOP PERFORM 1; END LOOP; END $$;' }],
      good: [{ sql: 'CREATE TABLE t (id int);\nINSERT INTO t SELECT generate_series(1, 10);' }],
    },
  },
  check(stmt, { report }) {
    const why = stateOf(stmt)?.limit(stmt);
    if (why) report({ message: `The sandboxed replay stopped here: ${why}${nestedSuffix(stmt)}; this statement and the ones after it were judged without replayed schema state.` });
  },
};
export default rule;
