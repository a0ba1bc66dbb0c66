import type { Rule } from '../src/types.js';

/**
 * Inline suppressions that are not honoured, or not needed. The engine reports these
 * (src/analyze/suppress.ts) because they depend on the other rules' findings; the rule holds the meta.
 */
const rule: Rule = {
  meta: {
    id: 'suppression-invalid',
    category: 'integrity',
    severity: 'warning',
    summary: 'An inline migration-gate-ignore comment is not honoured, is refused, or suppresses nothing',
    rationale:
      'A suppression is a claim a reviewer reads: `-- migration-gate-ignore <rule-id>: <reason>` (or `# …` in Python, `migration-gate-ignore-file` for the whole file) needs a known rule id and a reason, or it is not honoured. ' +
      'An unused suppression hides nothing today but would hide the next finding put under it, so it is reported. ' +
      'Credential and execution findings cannot be suppressed by a comment in the pull request (only by the config on the base branch), nor can parse findings (fail closed: a statement we could not read is not cleared by a comment beside it): such a suppression is reported as refused and the finding still counts.',
    fix: 'Write `-- migration-gate-ignore <rule-id>: <why it is safe>` right above the statement (or at the end of its line); remove comments that suppress nothing; for credential and execution findings, change the code or the config.',
    examples: {
      bad: [
        { sql: '-- migration-gate-ignore drop-table\nDROP TABLE old_sessions;' },
        { sql: '-- migration-gate-ignore drop-tabel: archived in #12\nDROP TABLE old_sessions;' },
        { sql: '-- migration-gate-ignore drop-column: backfilled in #123\nCREATE TABLE t (id int);' },
        { sql: "-- migration-gate-ignore hardcoded-password: test fixture\nCREATE ROLE app LOGIN PASSWORD 'Xk9mQ2vLp7wRtZ4s';" },
      ],
      good: [
        { sql: '-- migration-gate-ignore drop-table: archived to s3 in #12\nDROP TABLE old_sessions;' },
        { sql: 'DROP TABLE old_sessions; -- migration-gate-ignore drop-table: archived in #12' },
        { sql: '/* migration-gate-ignore-file drop-table: cleanup release, see #40 */\nDROP TABLE a;\nDROP TABLE b;' },
      ],
    },
  },
};
export default rule;
