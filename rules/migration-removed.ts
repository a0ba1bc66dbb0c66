import type { Rule } from '../src/types.js';

const rule: Rule = {
  meta: {
    id: 'migration-removed',
    category: 'integrity',
    severity: 'error',
    summary: 'Deletes a migration that is on the base branch',
    rationale:
      'Databases that ran the migration keep its effects while fresh environments no longer get them; tools that track applied migrations may fail. ' +
      'Only the action sees this (from the pull request’s file list).',
    fix: 'Keep the file; undo its effect in a new migration if needed.',
    examples: {
      bad: [{ sql: '', change: { filename: 'migrations/000003_add_index.up.sql', status: 'removed' } }],
      good: [{ sql: '', change: { filename: 'docs/old-notes.md', status: 'removed' } }],
    },
  },
  checkChange(change, { report, isMigration }) {
    if (change.status !== 'removed' || !isMigration(change.filename)) return;
    report({ message: `Deletes the migration ${change.filename}, which is on the base branch (it may already have run).` });
  },
};
export default rule;
