import { nestedSuffix } from '../src/sql/ast.js';
import { stateOf } from '../src/state/index.js';
import type { Rule } from '../src/types.js';

/** How to give the replay more time (the CLI flag, the config key and the action input). */
const RAISE = 'If the migrations are only long, raise the whole-run limit (1 to 600 seconds): --replay-timeout SECONDS on the command line, replayTimeout: SECONDS in the config, or the action input replay-timeout.';

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
    fix: 'Make sure the statement terminates and is bounded (batch large data changes); if it is a long data migration, run it outside the schema migration. If the whole run hit its time limit because the migration set is long (many files replayed in a directory), raise it: `--replay-timeout SECONDS` on the command line, `replayTimeout: SECONDS` in the config, or the action input `replay-timeout` (1 to 600 seconds; default 20, 120 on a MySQL/MariaDB server). The per-statement limit is not raisable.',
    examples: {
      bad: [{ sql: 'DO $$ BEGIN LOOP PERFORM 1; END LOOP; END $$;' }],
      good: [{ sql: 'CREATE TABLE t (id int);\nINSERT INTO t SELECT generate_series(1, 10);' }],
    },
  },
  check(stmt, { report }) {
    const why = stateOf(stmt)?.limit(stmt);
    if (!why) return;
    // The whole-run limit (src/replay/index.ts and mysql.ts word it "the run passed its wall-clock
    // limit"): a long migration set, not a runaway statement, can meet it; the user can raise it.
    const raise = /the run passed its wall-clock limit/.test(why) ? ` ${RAISE}` : '';
    report({ message: `The sandboxed replay stopped here: ${why}${nestedSuffix(stmt)}; this statement and the ones after it were judged without replayed schema state.${raise}` });
  },
};
export default rule;
