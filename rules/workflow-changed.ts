import { firstAddedLine } from '../src/discover/diff.js';
import type { Rule } from '../src/types.js';

const WORKFLOW = /^\.github\/workflows\//;

const rule: Rule = {
  meta: {
    id: 'workflow-changed',
    category: 'integrity',
    severity: 'error',
    summary: 'Changes a GitHub Actions workflow',
    rationale:
      'A workflow can change, skip or impersonate this check (it can set the same commit status), and it runs with the repository token. ' +
      'Only the action sees this (from the pull request’s file list).',
    fix: 'Have workflow changes reviewed as privileged changes; protect `.github/workflows/` with CODEOWNERS.',
    examples: {
      bad: [{ sql: '', change: { filename: '.github/workflows/deploy.yml', status: 'modified' } }],
      good: [{ sql: '', change: { filename: '.github/dependabot.yml', status: 'modified' } }],
    },
  },
  checkChange(change, { report }) {
    const p = [change.filename, change.previousFilename].find((x) => x !== undefined && WORKFLOW.test(x));
    if (!p) return;
    report({ line: firstAddedLine(change.patch), key: p, message: `Changes the workflow ${p} (${change.status}): workflows can change or bypass this check.` });
  },
};
export default rule;
