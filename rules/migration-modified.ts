import { firstAddedLine } from '../src/discover/diff.js';
import type { Rule } from '../src/types.js';

// Flyway repeatable migrations (R__) are meant to be edited: they re-run when their checksum changes.
const REPEATABLE = /(^|\/)R__[^/]*$/;

const rule: Rule = {
  meta: {
    id: 'migration-modified',
    category: 'integrity',
    severity: 'error',
    summary: 'Edits a migration that is already on the base branch',
    rationale:
      'A merged migration may already have run on some databases: editing it makes environments diverge silently, and migration tools that checksum applied files fail or skip it. ' +
      'Only the action sees this (from the pull request’s file list). Flyway repeatable migrations (`R__*.sql`) are exempt: they are designed to be edited and re-run.',
    fix: 'Revert the edit and write a new migration that makes the change.',
    examples: {
      bad: [{ sql: '', change: { filename: 'db/migrations/V1__init.sql', status: 'modified', patch: '@@ -1,2 +1,3 @@\n a\n b\n+DROP TABLE t;' } }],
      good: [
        { sql: '', change: { filename: 'db/migrations/V2__add_users.sql', status: 'added' } },
        { sql: '', change: { filename: 'db/migrations/R__views.sql', status: 'modified' } },
        { sql: '', change: { filename: 'README.md', status: 'modified' } },
      ],
    },
  },
  checkChange(change, { report, isMigration }) {
    if (['added', 'copied', 'unchanged', 'removed', 'renamed'].includes(change.status)) return;
    if (!isMigration(change.filename) || REPEATABLE.test(change.filename)) return;
    // modified, changed (mode/type) and any status GitHub may add later: fail closed.
    report({ line: firstAddedLine(change.patch), message: `Edits the migration ${change.filename}, which is already on the base branch (it may already have run).` });
  },
};
export default rule;
