import { constStr, inside, nodeOffset, pgFunctionCalls } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';

const READ = 'reads a file on the database server';
const LIST = 'lists or inspects files on the database server';
const WRITE = 'writes, renames or deletes files on the database server';
const NET = 'connects from the database server to another database or host';
const HTTP = 'makes an HTTP request from the database server';

/**
 * Functions that reach the server's file system or the network, by unqualified name (matched
 * whatever the schema). Core: pg_read_file & co, lo_import/lo_export (server-side, one/two
 * arguments); adminpack: pg_file_*; dblink; pgsql-http (http_*).
 */
export const FILE_FUNCTIONS: Record<string, string> = {
  pg_read_file: READ,
  pg_read_binary_file: READ,
  pg_file_read: READ,
  lo_import: 'imports a file from the database server into a large object',
  lo_export: 'writes a large object to a file on the database server',
  pg_ls_dir: LIST,
  pg_stat_file: LIST,
  pg_ls_logdir: LIST,
  pg_ls_waldir: LIST,
  pg_ls_tmpdir: LIST,
  pg_ls_archive_statusdir: LIST,
  pg_ls_logicalsnapdir: LIST,
  pg_ls_logicalmapdir: LIST,
  pg_ls_replslotdir: LIST,
  pg_logdir_ls: LIST,
  pg_file_write: WRITE,
  pg_file_rename: WRITE,
  pg_file_unlink: WRITE,
  pg_file_sync: WRITE,
  dblink: NET,
  dblink_exec: NET,
  dblink_connect: NET,
  dblink_connect_u: NET,
  dblink_send_query: NET,
  dblink_open: NET,
  http_get: HTTP,
  http_post: HTTP,
  http_put: HTTP,
  http_patch: HTTP,
  http_delete: HTTP,
  http_head: HTTP,
};

/** Functions recognised only with their schema (their bare names are too common). */
const QUALIFIED: Record<string, string> = {
  'net.http_get': HTTP + ' (pg_net)',
  'net.http_post': HTTP + ' (pg_net)',
  'net.http_delete': HTTP + ' (pg_net)',
  'extensions.http': HTTP,
  'aws_s3.query_export_to_s3': 'exports query results to an S3 bucket',
  'aws_s3.table_import_from_s3': 'imports data from an S3 bucket',
  'aws_lambda.invoke': 'invokes an AWS Lambda function',
};

/** What a called function does, if it is one of ours: 'reads a file on the database server'. */
export function fileFunction(name: string): string | undefined {
  const n = name.toLowerCase();
  if (QUALIFIED[n]) return QUALIFIED[n];
  const base = n.split('.').pop() ?? n;
  const schema = n.includes('.') ? n.slice(0, n.lastIndexOf('.')) : '';
  // A user function `app.dblink()` is not the extension's; keep the well-known schemas only.
  if (schema && !/^(pg_catalog|public|extensions|dblink|adminpack|http)$/.test(schema)) return undefined;
  return Object.prototype.hasOwnProperty.call(FILE_FUNCTIONS, base) ? FILE_FUNCTIONS[base] : undefined;
}

const rule: Rule = {
  meta: {
    id: 'server-file-access',
    category: 'execution',
    severity: 'error',
    summary: 'Calls a function that reads or writes server files or opens network connections (pg_read_file, lo_export, dblink, http_get, …)',
    rationale:
      'pg_read_file, pg_ls_dir, lo_import, lo_export and adminpack’s pg_file_write read and write files on the database server as its OS user ' +
      '(configuration, keys, other databases’ data); dblink and HTTP functions connect out from the server (data exfiltration, SSRF, ' +
      'reuse of the server’s trust). They are found anywhere: SELECT, PERFORM, defaults, and statements inside DO blocks and function bodies.',
    fix: 'Remove the call from the migration; load data through the application or a reviewed, one-off operational procedure.',
    examples: {
      bad: [
        { sql: "SELECT pg_read_file('/etc/passwd');" },
        { sql: "DO $$ BEGIN PERFORM lo_export(1234, '/tmp/x'); END $$;" },
        { sql: "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM dblink_exec('host=evil', 'select 1'); END $$;" },
        { sql: "INSERT INTO t SELECT * FROM dblink('dbname=x', 'select a from b') AS r(a int);" },
      ],
      good: [
        { sql: "INSERT INTO settings (name) VALUES ('password_min_length');" },
        { sql: "SELECT 'pg_read_file is mentioned in a string';" },
        { sql: 'CREATE TABLE files (path text, read_file boolean);' },
      ],
    },
  },
  check(stmt, { report }) {
    if (!stmt.pg) return;
    for (const c of pgFunctionCalls(stmt.pg)) {
      const what = fileFunction(c.name);
      if (!what) continue;
      // Quote the path of file functions; never a connection string or URL (it may hold a password).
      const arg = what === NET || what.startsWith(HTTP) || c.name.startsWith('aws_') ? undefined : constStr(c.node.args?.[c.base === 'lo_export' ? 1 : 0]);
      const path = arg !== undefined ? ` on '${arg.length > 60 ? arg.slice(0, 60) + '…' : arg}'` : '';
      report({ message: `Calls ${c.name}()${path}: ${what}${inside(stmt)}.`, offset: nodeOffset(stmt, c.location), key: c.name });
    }
  },
  lexical: [
    new RegExp(`\\b(${Object.keys(FILE_FUNCTIONS).join('|')})\\s*\\(`),
    /\bnet\s*\.\s*http_(get|post|delete)\s*\(/,
    /\baws_(s3|lambda)\s*\.\s*\w+\s*\(/,
  ],
};
export default withDynamic(rule);
