import type { Rule } from '../src/types.js';

/** Reported by extract when template placeholders were neutralized before parsing. */
const rule: Rule = {
  meta: {
    id: 'templated-sql',
    category: 'parse',
    severity: 'info',
    summary: 'Templated SQL: placeholders were replaced before parsing',
    rationale:
      'Go templates (`{{ .Namespace }}`) and `${placeholder}` values are only known when the migration is rendered. ' +
      'The statements were analyzed with neutral identifiers in their place; what the placeholders expand to is not checked.',
    fix: 'Nothing to do unless the placeholders can carry untrusted text; keep placeholder values out of the PR author’s control.',
    examples: {
      bad: [{ sql: 'CREATE TABLE {{ index .Options "Namespace" }}.users (id int);' }],
      good: [{ sql: 'CREATE TABLE auth.users (id int);' }],
    },
  },
};
export default rule;
