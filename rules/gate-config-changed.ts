import { firstAddedLine } from '../src/discover/diff.js';
import type { Rule } from '../src/types.js';

const rule: Rule = {
  meta: {
    id: 'gate-config-changed',
    category: 'integrity',
    severity: 'error',
    summary: "Changes migration-gate's policy file",
    rationale:
      "The policy is read from the base branch, so this change does not affect this pull request's review; once merged it changes what every later migration needs. " +
      'Only the action sees this (from the pull request’s file list).',
    fix: 'Have the policy change reviewed on its own, by the people the policy protects.',
    examples: {
      bad: [{ sql: '', change: { filename: '.github/migration-gate.yml', status: 'modified', patch: '@@ -1,2 +1,2 @@\n policy:\n-  destructive: { approvals: 1 }\n+  destructive: { approvals: 0 }' } }],
      good: [{ sql: '', change: { filename: '.github/CODEOWNERS', status: 'modified' } }],
    },
  },
  checkChange(change, { report, policyPath }) {
    const target = policyPath.replace(/^\.\//, '');
    if (change.filename !== target && change.previousFilename !== target) return;
    report({
      line: firstAddedLine(change.patch),
      message: `Changes the migration-gate policy file ${target} (${change.status}). This pull request is reviewed with the base branch's policy.`,
    });
  },
};
export default rule;
