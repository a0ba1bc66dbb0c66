import { inside, pgNode, roleName } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';
import { isUntrustedLanguage } from './untrusted-language.js';

/**
 * Extensions that reach outside the database or around its permission checks. Decided list
 * (documented in the rule meta): untrusted languages are the untrusted-language rule's; `lo`
 * is not here (it only adds the lo type and lo_manage trigger; the server-side lo_import /
 * lo_export are core functions, reported by server-file-access); harmless ones such as pgcrypto,
 * uuid-ossp, citext, pg_trgm, postgis stay clean. Every `*_fdw` extension is a foreign-data wrapper.
 */
export const DANGEROUS_EXTENSIONS: Record<string, string> = {
  dblink: 'opens connections from the database server to other databases and hosts',
  postgres_fdw: 'lets the database connect to other PostgreSQL servers (foreign data wrapper)',
  file_fdw: 'exposes server files and program output as tables (reads files, runs programs)',
  adminpack: 'adds functions that write, rename and delete files on the database server',
  http: 'lets SQL make HTTP requests from the database server (pgsql-http)',
  pg_net: 'lets SQL make HTTP requests from the database server (pg_net)',
  pg_cron: 'runs SQL on a schedule, outside the review of migrations',
  pageinspect: 'reads raw data pages, bypassing table privileges and row-level security',
  pg_walinspect: 'reads raw WAL records, bypassing table privileges and row-level security',
  multicorn: 'foreign data wrappers written in Python (runs Python in the server)',
  multicorn2: 'foreign data wrappers written in Python (runs Python in the server)',
  aws_s3: 'imports from and exports to S3 buckets',
  aws_lambda: 'invokes AWS Lambda functions from SQL',
  azure_storage: 'reads from and writes to Azure Blob Storage from SQL',
  pg_background: 'runs SQL in background workers, outside the migration\'s transaction and its review (pg_background_launch)',
  pg_tle: 'installs further extensions from SQL strings at run time (Trusted Language Extensions), none of them reviewed here',
  pljava: 'runs Java code in the database server',
  plsh: 'runs shell scripts on the database server',
  pg_dbms_job: 'runs SQL as background jobs, outside the review of migrations',
};

export function dangerousExtension(name: string): string | undefined {
  const n = name.toLowerCase();
  if (Object.prototype.hasOwnProperty.call(DANGEROUS_EXTENSIONS, n)) return DANGEROUS_EXTENSIONS[n];
  if (n.endsWith('_fdw')) return 'a foreign data wrapper: lets the database read from and write to an external system';
  return undefined;
}

function opts(list: any[] | undefined): Record<string, string | undefined> {
  const r: Record<string, string | undefined> = {};
  for (const o of list ?? []) if (o?.DefElem?.defname) r[o.DefElem.defname.toLowerCase()] = o.DefElem.arg?.String?.sval;
  return r;
}

const rule: Rule = {
  meta: {
    id: 'dangerous-extension',
    category: 'execution',
    severity: 'error',
    summary: 'Installs an extension or foreign-data setup that reaches outside the database (dblink, *_fdw, adminpack, http, pg_net, pg_cron, …)',
    rationale:
      'Flagged extensions: dblink, postgres_fdw and every *_fdw, file_fdw (server files and programs), adminpack (writes server files), ' +
      'http / pg_net (HTTP from the server: SSRF, exfiltration), pg_cron (scheduled SQL nobody reviews), pageinspect / pg_walinspect ' +
      '(raw pages and WAL, around privileges and RLS), multicorn (Python), aws_s3 / aws_lambda / azure_storage, pg_background and pg_dbms_job ' +
      '(SQL run in background workers), pg_tle (extensions installed from strings), pljava and plsh (Java, shell). Untrusted languages (plpython3u, …) are ' +
      'reported by untrusted-language; lo and ordinary extensions (pgcrypto, uuid-ossp, citext, pg_trgm, postgis) are not flagged. ' +
      'CREATE SERVER, ALTER SERVER … OPTIONS (host, port, dbname, filename, program) and CREATE FOREIGN DATA WRAPPER are reported too (the database will connect out or run a handler); CREATE USER MAPPING ' +
      'as a warning (it lets a local role use stored remote credentials).',
    fix: 'Install such extensions through reviewed server provisioning rather than a migration, or get the installation approved by a security reviewer.',
    examples: {
      bad: [
        { sql: 'CREATE EXTENSION IF NOT EXISTS dblink WITH SCHEMA extensions;' },
        { sql: "ALTER SERVER reporting OPTIONS (SET host 'evil.example');" },
        { sql: 'CREATE EXTENSION postgres_fdw;' },
        { sql: 'CREATE EXTENSION mysql_fdw;' },
        { sql: "CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'db.example.com', dbname 'prod');" },
        { sql: 'DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_net; END $$;' },
      ],
      good: [
        { sql: 'CREATE EXTENSION pgcrypto;' },
        { sql: 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";' },
        { sql: 'CREATE EXTENSION citext;' },
        { sql: 'CREATE EXTENSION plpython3u;' }, // untrusted-language's
      ],
    },
  },
  kinds: ['CreateExtensionStmt', 'CreateFdwStmt', 'CreateForeignServerStmt', 'AlterForeignServerStmt', 'CreateUserMappingStmt'],
  check(stmt, { report }) {
    const e = pgNode(stmt, 'CreateExtensionStmt');
    if (e && !isUntrustedLanguage(e.extname ?? '')) {
      const why = dangerousExtension(e.extname ?? '');
      const schema = opts(e.options).schema;
      if (why) report({ message: `Installs extension ${e.extname}${schema ? ` in schema ${schema}` : ''}: ${why}${inside(stmt)}.` });
    }
    const s = pgNode(stmt, 'CreateForeignServerStmt');
    if (s) {
      const o = opts(s.options);
      const where = ['host', 'hostaddr', 'port', 'dbname'].filter((k) => o[k]).map((k) => `${k} '${o[k]}'`).join(', ');
      const fileish = o.filename || o.program ? ' (file access)' : '';
      report({ message: `Creates foreign server ${s.servername} using ${s.fdwname}${where ? ` (${where})` : ''}${fileish}: the database can connect out to it${inside(stmt)}.` });
    }
    // ALTER SERVER … OPTIONS (SET host …): every foreign table and user mapping of the server now
    // connects (and sends its stored credentials) to the new place.
    const as = pgNode(stmt, 'AlterForeignServerStmt');
    if (as) {
      const o = opts(as.options);
      const moved = ['host', 'hostaddr', 'port', 'dbname', 'filename', 'program'].filter((k) => o[k] !== undefined);
      if (moved.length)
        report({ message: `Points foreign server ${as.servername} elsewhere (${moved.map((k) => `${k} '${o[k]}'`).join(', ')}): its foreign tables, and the credentials of its user mappings, now go there${inside(stmt)}.` });
    }
    const w = pgNode(stmt, 'CreateFdwStmt');
    if (w) {
      const fo = (w.func_options ?? []).map((o: any) => o?.DefElem?.defname).filter(Boolean);
      report({ message: `Creates foreign data wrapper ${w.fdwname}${fo.length ? ` with ${fo.join(' and ')} function` : ''}: it runs its handler code for every foreign table${inside(stmt)}.` });
    }
    const u = pgNode(stmt, 'CreateUserMappingStmt');
    if (u) {
      const o = opts(u.options);
      report({
        message: `Maps role ${roleName(u.user)} to ${o.user ? `remote user '${o.user}' on ` : ''}server ${u.servername}${o.password !== undefined ? ' with a stored password' : ''}${inside(stmt)}.`,
        severity: 'warning',
        secrets: o.password ? [o.password] : undefined,
      });
    }
  },
  lexical: [
    new RegExp(`\\bcreate\\s+extension\\s+(if\\s+not\\s+exists\\s+)?"?(${Object.keys(DANGEROUS_EXTENSIONS).join('|')}|\\w+_fdw)\\b`),
    /\bcreate\s+server\b/,
    /\bcreate\s+foreign\s+data\s+wrapper\b/,
  ],
};
export default withDynamic(rule);
