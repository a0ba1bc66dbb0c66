import { folded, pgFunctionCalls, UNPARSED } from '../src/sql/ast.js';
import type { Report, Rule, Statement } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';

/** Every object of a node-sql-parser AST (arrays included). */
function each(node: unknown, fn: (v: any) => void): void {
  if (Array.isArray(node)) for (const n of node) each(n, fn);
  else if (node && typeof node === 'object') {
    fn(node);
    for (const v of Object.values(node)) if (v && typeof v === 'object') each(v, fn);
  }
}

function lit(e: any): string {
  const v = e?.value;
  return typeof v === 'string' ? `'${v.length > 80 ? v.slice(0, 80) + '…' : v}'` : '…';
}

const LOAD = 'loads a shared library (native code) into the process applying the migration';

function textCheck(stmt: Statement, report: (r: Report) => void, suffix: string): void {
  const t = folded(stmt);
  let m = /^attach\s+(?:database\s+)?('[^']*'|"[^"]*"|\S+)\s+as\s+(\S+?);?$/i.exec(t);
  if (m) report({ message: `${suffix ? 'Likely: ' : ''}ATTACH DATABASE ${m[1]} AS ${m[2]} opens another database file next to this one (reads and writes outside the migrated database)${suffix}.`, key: 'attach' });
  m = /^vacuum\s+(?:\S+\s+)?into\s+('[^']*'|\S+)/i.exec(t);
  if (m) report({ message: `${suffix ? 'Likely: ' : ''}VACUUM INTO ${m[1]} writes a copy of the whole database to a file${suffix}.`, key: 'vacuum' });
  m = /\bload_extension\s*\(\s*('[^']*')?/i.exec(t);
  if (m) report({ message: `${suffix ? 'Likely: ' : ''}load_extension(${m[1] ?? '…'}) ${LOAD}${suffix}.`, key: 'load_extension' });
}

const rule: Rule = {
  meta: {
    id: 'sqlite-file-access',
    category: 'execution',
    severity: 'error',
    summary: 'SQLite reaching outside the database file: ATTACH DATABASE, load_extension(), VACUUM INTO',
    rationale:
      'ATTACH DATABASE opens (or creates) any file the process can reach and lets the statements that follow read and write it; ' +
      'VACUUM INTO writes a full copy of the database to a file; load_extension() loads a shared library, i.e. runs native code in the ' +
      'application or migration tool. None of them belong in a schema migration.',
    fix: 'Remove the statement; copy or import data with the application or a reviewed operational step.',
    examples: {
      bad: [
        { sql: "ATTACH DATABASE '/var/lib/app/other.db' AS other;", dialect: 'sqlite' },
        { sql: "SELECT load_extension('/tmp/evil.so');", dialect: 'sqlite' },
        { sql: "VACUUM INTO '/tmp/copy.db';", dialect: 'sqlite' },
        { sql: "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT load_extension('x'); END;", dialect: 'sqlite' },
      ],
      good: [
        { sql: 'CREATE TABLE attachments (id integer primary key, path text);', dialect: 'sqlite' },
        { sql: 'VACUUM;', dialect: 'sqlite' },
        { sql: "INSERT INTO docs (body) VALUES ('load_extension(x) is disabled');", dialect: 'sqlite' },
      ],
    },
  },
  check(stmt, { report }) {
    const ast = stmt.ast;
    if (ast) {
      each(ast, (v) => {
        if (v.type === 'attach') report({ message: `ATTACH DATABASE ${lit(v.expr)} AS ${v.schema ?? '?'} opens another database file next to this one (reads and writes outside the migrated database).`, key: 'attach' });
        if (v.type === 'function') {
          const name = (v.name?.name ?? []).map((n: any) => n?.value).join('.');
          if (/^load_extension$/i.test(name)) report({ message: `load_extension(${lit(v.args?.value?.[0])}) ${LOAD}.`, key: 'load_extension' });
        }
      });
    } else if (stmt.pg && stmt.dialect === 'sqlite') {
      for (const c of pgFunctionCalls(stmt.pg)) if (c.base === 'load_extension') report({ message: `load_extension() ${LOAD}.`, key: 'load_extension' });
    }
    if (stmt.parsed && stmt.dialect === 'sqlite' && /^vacuum\s.*\binto\b/.test(stmt.lexical)) textCheck(stmt, report, '');
  },
  unparsed(stmt, { report }) {
    if (stmt.dialect === 'sqlite' || /^(attach|vacuum)\b/.test(stmt.lexical) || /load_extension/.test(stmt.lexical)) textCheck(stmt, report, UNPARSED);
  },
  lexical: [/^attach\s+(database\s+)?\S/, /\bload_extension\s*\(/, /^vacuum\s+(\S+\s+)?into\s/],
};
export default withDynamic(rule);
