import type { Report, Rule, Statement } from '../src/types.js';
import { folded, UNPARSED } from '../src/sql/ast.js';
import { withDynamic } from '../src/sql/dynamic.js';

/** Every object in a node-sql-parser AST, array elements included (src/sql/ast.ts `walk` visits keyed children only). */
function each(node: unknown, fn: (v: any) => void): void {
  if (Array.isArray(node)) for (const n of node) each(n, fn);
  else if (node && typeof node === 'object') {
    fn(node);
    for (const v of Object.values(node)) if (v && typeof v === 'object') each(v, fn);
  }
}

function str(e: any): string {
  const v = e?.value ?? '?';
  return `'${String(v).length > 80 ? String(v).slice(0, 80) + '…' : v}'`;
}

const rule: Rule = {
  meta: {
    id: 'mysql-file-access',
    category: 'execution',
    severity: 'error',
    summary: 'MySQL/MariaDB file access: SELECT … INTO OUTFILE/DUMPFILE, LOAD DATA [LOCAL] INFILE, LOAD XML, LOAD_FILE(), DATA DIRECTORY',
    rationale:
      'INTO OUTFILE / DUMPFILE writes files on the database server (a classic way to drop a web shell or exfiltrate data); LOAD_FILE() ' +
      'and LOAD DATA INFILE read any file the server can (FILE privilege, secure_file_priv permitting); LOAD DATA LOCAL INFILE makes the ' +
      'client send a local file from the machine that applies the migration. CREATE TABLE … DATA DIRECTORY / INDEX DIRECTORY puts the ' +
      'table\'s files at a server path of the migration\'s choosing.',
    fix: 'Remove file access from the migration; load reviewed data with INSERTs or through the application.',
    examples: {
      bad: [
        { sql: "SELECT * FROM users INTO OUTFILE '/var/www/users.txt';", dialect: 'mysql' },
        { sql: "SELECT '<?php system($_GET[1]); ?>' INTO DUMPFILE '/var/www/x.php';", dialect: 'mysql' },
        { sql: "LOAD DATA LOCAL INFILE '/tmp/data.csv' INTO TABLE t;", dialect: 'mysql' },
        { sql: "INSERT INTO t (a) VALUES (LOAD_FILE('/etc/passwd'));", dialect: 'mariadb' },
        { sql: "CREATE TABLE t (id INT) DATA DIRECTORY = '/var/www/html';", dialect: 'mysql' },
      ],
      good: [
        { sql: 'SELECT a INTO @x FROM t;', dialect: 'mysql' },
        { sql: "INSERT INTO settings (name) VALUES ('password_min_length');", dialect: 'mysql' },
        { sql: "INSERT INTO docs (body) VALUES ('use LOAD DATA INFILE to import');", dialect: 'mysql' },
      ],
    },
  },
  check(stmt, { report }) {
    const ast = stmt.ast;
    if (!ast) return;
    each(ast, (v) => {
      if (v.type === 'into' && /^(outfile|dumpfile)$/i.test(v.keyword ?? '')) {
        report({ message: `SELECT … INTO ${String(v.keyword).toUpperCase()} ${str(v.expr)} writes a file on the database server.`, key: 'into' });
      }
      if (v.type === 'load_data') {
        const local = !!v.local;
        const table = [v.table?.db, v.table?.table].filter(Boolean).join('.');
        report({
          message: local
            ? `LOAD DATA LOCAL INFILE ${str(v.file)} into ${table} reads a file from the machine applying the migration.`
            : `LOAD DATA INFILE ${str(v.file)} into ${table} reads a file on the database server.`,
          key: 'load',
        });
      }
      if (v.type === 'function') {
        const name = (v.name?.name ?? []).map((n: any) => n?.value).join('.');
        if (/^load_file$/i.test(name)) report({ message: `LOAD_FILE(${str(v.args?.value?.[0])}) reads a file on the database server.`, key: 'load_file' });
      }
    });
    // node-sql-parser accepted the statement but may not model LOAD XML; check the text too.
    if (stmt.ast && /^load\s+xml\b/.test(stmt.lexical)) textCheck(stmt, report, '');
    directories(stmt, report, '');
  },
  unparsed(stmt, { report }) {
    textCheck(stmt, report, UNPARSED);
    directories(stmt, report, UNPARSED);
  },
  lexical: [/\binto\s+(outfile|dumpfile)\b/, /\bload\s+(data|xml)\b[^;]*\binfile\b/, /\bload_file\s*\(/],
};

/**
 * `CREATE TABLE … DATA DIRECTORY = '…' / INDEX DIRECTORY = '…'` (also on partitions): the server
 * writes the table's files wherever the path says (MySQL InnoDB file-per-table, MyISAM), outside the
 * data directory (https://dev.mysql.com/doc/refman/8.0/en/innodb-create-table-external.html).
 */
function directories(stmt: Statement, report: (r: Report) => void, suffix: string): void {
  if (stmt.unit.dialect !== 'mysql' && stmt.unit.dialect !== 'mariadb') return;
  if (!/^(create|alter)\b/.test(stmt.lexical) || !/\b(data|index)\s+directory\b/.test(stmt.lexical)) return;
  for (const m of folded(stmt).matchAll(/\b(data|index)\s+directory\s*=?\s*('[^']*'|"[^"]*")/gi))
    report({ message: `${m[1].toUpperCase()} DIRECTORY ${m[2]}: the server writes this table's files at a path the migration chooses, outside its data directory${suffix}.`, key: `dir:${m[1].toLowerCase()}` });
}

function textCheck(stmt: Statement, report: (r: Report) => void, suffix: string): void {
  const t = folded(stmt);
  let m = /\binto\s+(outfile|dumpfile)\s+('[^']*'|"[^"]*")/i.exec(t);
  if (m) report({ message: `Likely: SELECT … INTO ${m[1].toUpperCase()} ${m[2]} writes a file on the database server${suffix}.`, key: 'into' });
  m = /\bload\s+(data|xml)\s+(?:low_priority\s+|concurrent\s+)?(local\s+)?infile\s+('[^']*'|"[^"]*")/i.exec(t);
  if (m) {
    const where = m[2] ? 'from the machine applying the migration' : 'on the database server';
    report({ message: `Likely: LOAD ${m[1].toUpperCase()} ${m[2] ? 'LOCAL ' : ''}INFILE ${m[3]} reads a file ${where}${suffix}.`, key: 'load' });
  }
  m = /\bload_file\s*\(\s*('[^']*'|"[^"]*")?/i.exec(t);
  if (m) report({ message: `Likely: LOAD_FILE(${m[1] ?? '…'}) reads a file on the database server${suffix}.`, key: 'load_file' });
}
export default withDynamic(rule);
