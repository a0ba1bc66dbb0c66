import { firstAddedLine } from '../src/discover/diff.js';
import type { Rule } from '../src/types.js';

const rule: Rule = {
  meta: {
    id: 'migration-renamed',
    category: 'integrity',
    severity: 'error',
    summary: 'Renames or moves a migration that is on the base branch',
    rationale:
      'Tools track applied migrations by name or version: a renamed migration can run a second time or be skipped. ' +
      'Only the action sees this (from the pull request’s file list).',
    fix: 'Keep the original name and location.',
    examples: {
      bad: [{ sql: '', change: { filename: 'db/V3__users.sql', previousFilename: 'db/V2__users.sql', status: 'renamed' } }],
      good: [{ sql: '', change: { filename: 'db/V5__from_text.sql', previousFilename: 'db/V5.txt', status: 'renamed' } }],
    },
  },
  checkChange(change, { report, isMigration }) {
    if (change.status !== 'renamed') return;
    const prev = change.previousFilename ?? change.filename;
    if (!isMigration(prev)) return;
    report({
      line: firstAddedLine(change.patch),
      key: prev,
      message: `Renames the migration ${prev} to ${change.filename}; it is on the base branch and may already have run under its old name.`,
    });
  },
};
export default rule;
