import type { Rule } from '../src/types.js';

/** Fail closed: what no parser accepted cannot be verified, so it needs a reviewer. */
const rule: Rule = {
  meta: {
    id: 'parse-error',
    category: 'parse',
    severity: 'error',
    summary: 'Statement or file could not be parsed, so it could not be verified',
    rationale:
      'A gate that skips what it does not understand can be bypassed by writing SQL it does not understand. ' +
      'Anything no parser accepts is reported (and still scanned for likely dangers), so a person looks at it.',
    fix: 'Fix the syntax (or the dialect: `--dialect`, a path hint, or `dialect:` in the config), or have a reviewer approve it.',
    examples: {
      bad: [{ sql: 'DROP TABEL users;' }, { sql: "SELECT 'unterminated;" }],
      good: [{ sql: 'CREATE TABLE t (id int);' }],
    },
  },
  unparsed(stmt, { report }) {
    if (stmt.parsed) return; // a recovered statement (valid syntax read by its text) is not a parse error
    report({ message: `Statement could not be parsed (${stmt.parseError ?? 'syntax error'}); it could not be verified.` });
  },
};
export default rule;
