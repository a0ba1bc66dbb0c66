// Statement splitter that keeps source offsets. Written by hand because no maintained library
// splits PostgreSQL *and* MySQL scripts (dollar quotes, nested comments, DELIMITER, psql
// meta-commands, migration-tool markers) while reporting where each statement starts; the
// parsers need that.
import type { Dialect } from '../types.js';
import { gooseAnnotation } from '../extract/goose.js';
import { LIQUIBASE_CHANGESET, changesetAttributes, isLiquibaseFormatted } from '../extract/liquibase.js';

export interface Piece {
  /** Offsets into the text (UTF-16), `end` exclusive, without the terminating delimiter. */
  start: number;
  end: number;
  /** The statement text, with leading whitespace and comments skipped. */
  text: string;
  /** Set when the piece is a psql meta-command line (`\i file`, `\! cmd`, ...). */
  meta?: boolean;
  /** True when the piece ends inside an unterminated quote, comment or dollar quote. */
  unterminated?: string;
  /** Set when a migration-tool marker kept the piece whole (goose StatementBegin/End, ...). */
  block?: string;
  /** Set on the first piece after a migration-tool marker that ended the statement before it. */
  afterMarker?: boolean;
  /** Set when the runner's reading of the piece depends on a session setting we cannot settle. */
  ambiguous?: string;
  /** Set when the piece was read with PostgreSQL `standard_conforming_strings = off`. */
  pgBackslash?: boolean;
}

/**
 * The lexing settings in effect after `stmt` ran, or `ambiguous` when it changes one in a way
 * that cannot be read from its text.
 *
 * PostgreSQL: `SET [SESSION|LOCAL] standard_conforming_strings {=|TO} off|false|0|no|on|…|DEFAULT`
 * and `RESET standard_conforming_strings` / `RESET ALL`. psql follows the server's value (the
 * ParameterStatus the server sends after the SET): psql's lexer, src/fe_utils/psqlscan.l, rule
 * `{xqstart}`, goes to state `xe` (backslash escapes) when `cur_state->std_strings` is false; it is
 * set per input line from `standard_strings()` (src/bin/psql/common.c, reading
 * PQparameterStatus "standard_conforming_strings") in src/bin/psql/mainloop.c's psql_scan_setup.
 * MySQL: `SET [SESSION] sql_mode = '…'` (`SET GLOBAL`/`PERSIST` do not change the current session).
 * The mysql client follows the server status flag SERVER_STATUS_NO_BACKSLASH_ESCAPES after each
 * statement (client/mysql.cc, add_line()), and the server lexes each statement of a
 * multi-statement packet after the one before ran.
 */
export function settingsAfter(stmt: string, dialect: Dialect, cur: LexSettings): LexSettings | { ambiguous: string } {
  const t = stmt.replace(/\s+/g, ' ').trim();
  if (dialect === 'postgresql') {
    if (!/standard_conforming_strings|^reset\s+all\b/i.test(t)) return cur;
    const m = /^set\s+(?:session\s+|local\s+)?standard_conforming_strings\s*(?:=|\bto\b)\s*'?([a-z0-9_]+)'?\s*$/i.exec(t);
    if (m) {
      const v = m[1].toLowerCase();
      if (['off', 'false', 'no', '0', 'of', 'fa', 'fal', 'fals', 'n'].includes(v)) return { ...cur, pgBackslash: true };
      if (['on', 'true', 'yes', '1', 'default', 't', 'tr', 'tru', 'y', 'ye'].includes(v)) return { ...cur, pgBackslash: false };
      return { ambiguous: `standard_conforming_strings set to ${m[1]}` };
    }
    if (/^reset\s+(?:standard_conforming_strings|all)\s*$/i.test(t)) return { ...cur, pgBackslash: false };
    // ALTER DATABASE/ROLE … SET only changes new sessions; a comment or string naming it changes nothing.
    if (/^alter\s+(?:database|role|user|system)\b/i.test(t)) return cur;
    const code = codeView(stmt, dialect);
    if (!/standard_conforming_strings/i.test(code) && !/set_config/i.test(code)) return cur;
    return { ambiguous: 'standard_conforming_strings changed by an expression (set_config, a function, …)' };
  }
  if (isMysqlish(dialect)) {
    if (!/sql_mode/i.test(t)) return cur;
    const code = codeView(stmt, dialect);
    if (!/sql_mode/i.test(code)) return cur;
    if (/^set\s+(?:global|persist|persist_only)\s|^set\s+@@(?:global|persist|persist_only)\./i.test(t)) return cur;
    const m = /^set\s+(?:session\s+|local\s+|@@session\.|@@local\.|@@)?sql_mode\s*(?::=|=)\s*(?:'([^'\\]*)'|"([^"\\]*)"|([a-z_,]+))\s*$/i.exec(t);
    if (m) {
      const modes = (m[1] ?? m[2] ?? m[3] ?? '').toUpperCase().split(',').map((x) => x.trim());
      // Combination modes that include ANSI_QUOTES (MySQL reference, "Server SQL Modes").
      const ansi = modes.some((x) => x === 'ANSI_QUOTES' || x === 'ANSI' || x === 'DB2' || x === 'MAXDB' || x === 'MSSQL' || x === 'ORACLE' || x === 'POSTGRESQL');
      return { ...cur, mysqlNoBackslash: modes.includes('NO_BACKSLASH_ESCAPES'), mysqlAnsiQuotes: ansi };
    }
    return { ambiguous: 'sql_mode changed by an expression' };
  }
  return cur;
}

const isWs = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

const isMysqlish = (d: Dialect) => d === 'mysql' || d === 'mariadb';

/**
 * Does `--` at `i` start a comment? MySQL/MariaDB only take `-- ` followed by whitespace or a
 * control character (or the end): `1--1` is arithmetic there, and treating `--1; DROP …` as a
 * comment would hide the DROP.
 */
export function isDashComment(text: string, i: number, dialect: Dialect): boolean {
  if (text[i] !== '-' || text[i + 1] !== '-') return false;
  if (!isMysqlish(dialect)) return true;
  const c = text.charCodeAt(i + 2);
  return Number.isNaN(c) || c <= 0x20 || c === 0x7f;
}

/** Skip whitespace and comments from `i`; returns the first offset of real text. */
export function skipTrivia(text: string, i: number, end = text.length, dialect: Dialect = 'postgresql'): number {
  const mysqlish = isMysqlish(dialect);
  while (i < end) {
    const c = text[i];
    if (isWs(c) || c === '\uFEFF') {
      i++;
    } else if (c === '-' && isDashComment(text, i, dialect)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 || nl > end ? end : nl + 1;
    } else if (c === '#' && mysqlish) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 || nl > end ? end : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      i = skipBlockComment(text, i, end, !mysqlish);
    } else break;
  }
  return Math.min(i, end);
}

function skipBlockComment(text: string, i: number, end: number, nested: boolean): number {
  let depth = 0;
  while (i < end) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i += 2;
      if (!nested && depth > 1) depth = 1;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return end;
}

const DOLLAR_TAG = /\$([A-Za-z_\u0080-\uFFFF][A-Za-z0-9_\u0080-\uFFFF]*)?\$/y;

/** A lexical region that is not code: a comment, a quoted string or identifier, a dollar quote. */
export interface Region {
  start: number;
  end: number;
  type: 'comment' | 'string' | 'identifier' | 'dollar';
  /** Set when the region runs to the end of the text without its terminator. */
  unterminated?: string;
}

/**
 * Read the comment, quoted text or dollar quote starting at `i`, if any. PostgreSQL: `'…'`,
 * `E'…'` (backslash escapes), `"…"`, `$tag$…$tag$`, nested block comments. MySQL/MariaDB:
 * backslash escapes in `'…'` and `"…"` (strings there), backticks, `#` comments, `-- ` comments.
 */
/**
 * Session settings that change where a string literal ends (see `settingsAfter`): PostgreSQL
 * `standard_conforming_strings = off` makes `'…'` take backslash escapes like `E'…'`; MySQL's
 * `NO_BACKSLASH_ESCAPES` sql_mode makes `'…'` and `"…"` take none.
 */
export interface LexSettings {
  pgBackslash?: boolean;
  mysqlNoBackslash?: boolean;
  mysqlAnsiQuotes?: boolean;
}

export function regionAt(text: string, i: number, dialect: Dialect, lex?: LexSettings): Region | null {
  const n = text.length;
  const c = text[i];
  const mysqlish = isMysqlish(dialect);
  if (c === '-' && isDashComment(text, i, dialect)) {
    const nl = text.indexOf('\n', i);
    return { start: i, end: nl < 0 ? n : nl, type: 'comment' };
  }
  if (c === '#' && mysqlish) {
    const nl = text.indexOf('\n', i);
    return { start: i, end: nl < 0 ? n : nl, type: 'comment' };
  }
  if (c === '/' && text[i + 1] === '*') {
    const j = skipBlockComment(text, i, n, !mysqlish);
    const closed = text.slice(Math.max(i + 2, j - 2), j) === '*/';
    return { start: i, end: j, type: 'comment', ...(closed ? {} : { unterminated: 'comment' }) };
  }
  // Backticks quote identifiers in every dialect but PostgreSQL; brackets in T-SQL and SQLite.
  if (c === "'" || c === '"' || (c === '`' && dialect !== 'postgresql') || (c === '[' && (dialect === 'transactsql' || dialect === 'sqlite'))) {
    const close = c === '[' ? ']' : c;
    // E'…' (PostgreSQL) and every MySQL string take backslash escapes.
    const prev = text[i - 1];
    const backslash = mysqlish
      ? c !== '`' && c !== '[' && !lex?.mysqlNoBackslash
      : c === "'" && (lex?.pgBackslash || ((prev === 'E' || prev === 'e') && !/[A-Za-z0-9_]/.test(text[i - 2] ?? '')));
    let j = i + 1;
    let closed = false;
    while (j < n) {
      const d = text[j];
      if (backslash && d === '\\') {
        j += 2;
        continue;
      }
      if (d === close) {
        if (text[j + 1] === close) {
          j += 2;
          continue;
        }
        closed = true;
        j++;
        break;
      }
      j++;
    }
    const type = c === "'" || (c === '"' && mysqlish) ? 'string' : 'identifier';
    const what = c === '`' ? 'backtick' : c === '"' ? 'double quote' : c === '[' ? 'bracket' : 'quote';
    return { start: i, end: Math.min(j, n), type, ...(closed ? {} : { unterminated: what }) };
  }
  if (c === '$' && dialect === 'postgresql') {
    DOLLAR_TAG.lastIndex = i;
    const m = DOLLAR_TAG.exec(text);
    // A dollar quote cannot follow an identifier character ($1 parameters, a$b$ identifiers: `$`
    // and non-ASCII letters continue an identifier in PostgreSQL's lexer).
    if (m && !/[A-Za-z0-9_$\u0080-\uFFFF]/.test(text[i - 1] ?? '')) {
      const tag = m[0];
      const close = text.indexOf(tag, i + tag.length);
      if (close < 0) return { start: i, end: n, type: 'dollar', unterminated: `dollar quote ${tag}` };
      return { start: i, end: close + tag.length, type: 'dollar' };
    }
  }
  return null;
}

/**
 * The text with comments blanked (spaces) and the inside of string literals and dollar quotes
 * replaced by U+0001, same length and newlines kept: regexes over it only match code.
 * Quoted identifiers are kept as written.
 */
export function codeView(text: string, dialect: Dialect = 'postgresql'): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; ) {
    const r = regionAt(text, i, dialect);
    if (!r) {
      i++;
      continue;
    }
    if (r.type !== 'identifier') {
      out += text.slice(last, r.start);
      const body = text.slice(r.start, r.end);
      if (r.type === 'comment') out += body.replace(/[^\n]/g, ' ');
      else {
        // Keep the opening and closing quote characters, mask what is between.
        const open = r.type === 'dollar' ? (/^\$[^$]*\$/.exec(body)?.[0].length ?? 1) : 1;
        const close = r.unterminated ? 0 : r.type === 'dollar' ? open : 1;
        out += body.slice(0, open) + body.slice(open, body.length - close).replace(/[^\n]/g, '\u0001') + body.slice(body.length - close);
      }
      last = r.end;
    }
    i = Math.max(r.end, i + 1);
  }
  return out + text.slice(last);
}

/** Statements whose body is a BEGIN … END block with `;` inside (SQLite/MySQL triggers, routines, PostgreSQL BEGIN ATOMIC). */
const COMPOUND_HEAD =
  /create\s+(?:or\s+replace\s+)?(?:definer\s*=\s*\S+\s+)?(?:temp(?:orary)?\s+)?(?:constraint\s+)?(?:trigger|procedure|function|event)\b/iy;
const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;

function aloneOnLine(text: string, i: number, len: number): boolean {
  const ls = text.lastIndexOf('\n', i - 1) + 1;
  const nl = text.indexOf('\n', i + len);
  return text.slice(ls, i).trim() === '' && text.slice(i + len, nl < 0 ? text.length : nl).trim() === '';
}

/** Markers of migration tools that delimit statements, recognized on their own comment line. */
type Marker = { kind: 'begin' } | { kind: 'end' } | { kind: 'break' } | { kind: 'changeset'; split: boolean; delimiter?: string };

function markerAt(line: string, column0: boolean, liquibase: boolean): Marker | null {
  // goose: `-- +goose StatementBegin` / `StatementEnd` as goose itself takes them (gooseAnnotation,
  // restating pressly/goose internal/sqlparser/parser.go extractAnnotation: `--+goose statementbegin`
  // and `-- +goose StatementEnd --` are annotations; an indented one makes goose refuse the file).
  if (column0) {
    const g = gooseAnnotation(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (g === 'statementbegin') return { kind: 'begin' };
    if (g === 'statementend') return { kind: 'end' };
  }
  // Drizzle: `--> statement-breakpoint` between statements.
  if (/^\s*-->\s*statement-breakpoint\s*$/.test(line)) return { kind: 'break' };
  // Liquibase formatted SQL (only in a file Liquibase takes for one, isLiquibaseFormatted):
  // `--changeset author:id [splitStatements:false] [endDelimiter:X] …` as CHANGE_SET_REGEX takes it.
  if (liquibase && LIQUIBASE_CHANGESET.test(line.endsWith('\r') ? line.slice(0, -1) : line)) {
    const { split, endDelimiter: d } = changesetAttributes(line);
    // endDelimiter is a regular expression in Liquibase; a literal token (`/`, `//`, `$$`, `GO`) is
    // what is used in practice. Anything else keeps `;` (a wrong split fails closed as a parse error).
    const delimiter = d && !/[\\()[\]|*+?{}^]/.test(d) ? d : undefined;
    return { kind: 'changeset', split, delimiter };
  }
  return null;
}

/**
 * A delimiter-changing command at `i` (the start of a statement), as the programs that run MySQL
 * scripts read it, or null when none of them takes one there.
 *
 * The mysql client (client/mysql.cc, read in mysql/mysql-server at 001926c6: read_and_execute →
 * find_command → com_delimiter → get_arg): only at the start of a line (leading blanks allowed)
 * while no statement is pending, the first word compared case-insensitively with `delimiter`
 * and ended by a space or tab; the new delimiter is the first argument: up to the next space
 * (a tab does not end it), or quoted with ', " or ` (the quotes removed), a backslash escaping the
 * next character; one holding a backslash is refused, and at most 15 characters are kept. `\d X`
 * is the short form (add_line: a backslash command outside strings and comments).
 * Flyway (flyway-database/flyway-mysql MySQLParser.handleKeyword, read in flyway/flyway at
 * c5e20fc7): the keyword DELIMITER anywhere a statement starts (a new line is not needed), the
 * new delimiter being the rest of the line, trimmed (`DELIMITER // -- x` sets `// -- x`).
 * When the two readings differ, `ambiguous` says so (the caller fails closed from there on).
 */
function delimiterCommand(text: string, i: number, atLineStart: boolean): { end: number; delimiter?: string; ambiguous?: string } | null {
  const nl = text.indexOf('\n', i);
  const end = nl < 0 ? text.length : nl;
  let line = text.slice(i, end);
  if (line.endsWith('\r')) line = line.slice(0, -1);
  const shortForm = line.startsWith('\\d');
  if (!shortForm && !/^delimiter[ \t]/i.test(line)) return null;
  if (shortForm && !atLineStart) return null;
  // The mysql client's argument (get_arg).
  let rest = shortForm ? line.slice(2) : line.slice(9).replace(/^[^ \t]*/, '');
  rest = rest.replace(/^[ \t\n\v\f\r]+/, '');
  let client: string | undefined;
  let q = '';
  if (rest[0] === "'" || rest[0] === '"' || rest[0] === '`') {
    q = rest[0];
    rest = rest.slice(1);
  }
  let arg = '';
  for (let k = 0; k < rest.length; k++) {
    if (rest[k] === '\\' && k + 1 < rest.length) {
      arg += rest[++k];
      continue;
    }
    if ((!q && rest[k] === ' ') || (q && rest[k] === q)) break;
    arg += rest[k];
  }
  if (arg && !arg.includes('\\')) client = arg.slice(0, 15);
  if (!atLineStart) client = undefined; // not a client command there (it would be sent as SQL text)
  if (shortForm) return { end, ...(client !== undefined ? { delimiter: client } : {}) };
  const flyway = line.slice(9).replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  if (client !== undefined && client === flyway) return { end, delimiter: client };
  const delimiter = client ?? (flyway || undefined);
  return {
    end,
    ...(delimiter !== undefined ? { delimiter } : {}),
    ambiguous: `\`${line.trim().slice(0, 60)}\` is read differently by the mysql client (${client === undefined ? 'not a delimiter command' : `delimiter \`${client}\``}) and by Flyway (delimiter \`${flyway}\`): where the statements after it end is unknown`,
  };
}

/**
 * Split a script into statements. PostgreSQL: quotes, dollar quotes, nested block comments,
 * psql meta-commands at the start of a line. MySQL/MariaDB: backslash escapes, backticks, `#`
 * comments, `DELIMITER`. T-SQL: `GO` lines. Migration tools: goose `StatementBegin/End`,
 * Drizzle `--> statement-breakpoint`, Liquibase `--changeset` (with `splitStatements:false`
 * and `endDelimiter:`).
 */
export function splitStatements(text: string, dialect: Dialect = 'postgresql', opts: { psqlSettings?: boolean } = {}): Piece[] {
  const mysqlish = isMysqlish(dialect);
  const liquibase = text.includes('changeset') && isLiquibaseFormatted(text);
  // Lexing settings changed by the script itself (settingsAfter): MySQL always (client and server
  // follow them statement by statement); PostgreSQL when asked (psql's reading: from the next line).
  const track = mysqlish || (dialect === 'postgresql' && opts.psqlSettings === true);
  let lex: LexSettings = {};
  let pendingLex: LexSettings | null = null;
  let ambiguous: string | undefined;
  const pg = dialect === 'postgresql';
  const out: Piece[] = [];
  const n = text.length;
  let delimiter = ';';
  let delimiterAlone = false; // Liquibase endDelimiter: only when it stands alone on its line
  let block: string | null = null; // a marker keeps the statement whole until its end marker
  let stmtStart = 0;
  let i = 0;
  let atLineStart = true; // only whitespace since the last newline or statement end
  let unterminated: string | undefined;
  let unterminatedAt = 0;
  let afterMarker = false;
  // Compound statements (CREATE TRIGGER/PROCEDURE/FUNCTION/EVENT … BEGIN … END) hold `;` inside.
  let headChecked = false;
  let compound = false;
  let depth = 0;

  const push = (start: number, end: number, extra: Partial<Piece> = {}) => {
    headChecked = false;
    compound = false;
    depth = 0;
    const s = skipTrivia(text, start, end, dialect);
    let e = end;
    while (e > s && isWs(text[e - 1])) e--;
    if (e > s) {
      const piece: Piece = { start: s, end: e, text: text.slice(s, e), ...extra, ...(afterMarker ? { afterMarker } : {}) };
      if (ambiguous) piece.ambiguous = ambiguous;
      if (lex.pgBackslash) piece.pgBackslash = true;
      if (lex.mysqlAnsiQuotes && /"[^"]*\\/.test(piece.text)) {
        piece.ambiguous = 'a double-quoted name or string with a backslash under ANSI_QUOTES (the mysql client and the server may end it at different places)';
      }
      out.push(piece);
      afterMarker = false;
      if (track && !extra.meta) {
        const next = settingsAfter(piece.text, dialect, lex);
        if ('ambiguous' in next) ambiguous = `the script changes a lexing setting in a way that cannot be followed (${next.ambiguous}): where later statements end is unknown`;
        else if (dialect === 'postgresql') pendingLex = next;
        else lex = next;
      }
    }
  };
  /** End of a marker-delimited block: drop one trailing `;` (the statement's own terminator). */
  const pushBlock = (start: number, end: number, kind: string) => {
    let e = end;
    while (e > start && isWs(text[e - 1])) e--;
    const cv = codeView(text.slice(start, e), dialect);
    const t = cv.trimEnd();
    if (t.endsWith(';')) e = start + t.length - 1;
    push(start, e, { block: kind });
  };

  while (i < n) {
    const c = text[i];
    // DELIMITER, at the start of a statement (delimiterCommand: the mysql client's reading and
    // Flyway's; where they differ the rest of the file is ambiguous and fails closed).
    if (
      mysqlish &&
      (((c === 'D' || c === 'd') && /^delimiter[ \t]/i.test(text.slice(i, i + 10)) && !/[A-Za-z0-9_$@]/.test(text[i - 1] ?? '')) ||
        (c === '\\' && atLineStart && text[i + 1] === 'd'))
    ) {
      const cmd = delimiterCommand(text, i, atLineStart);
      if (cmd && skipTrivia(text, stmtStart, i, dialect) === i) {
        if (cmd.delimiter !== undefined) {
          delimiter = cmd.delimiter;
          delimiterAlone = false;
        }
        if (cmd.ambiguous && !ambiguous) ambiguous = cmd.ambiguous;
        i = cmd.end;
        stmtStart = i;
        continue;
      }
    }
    // T-SQL batch separator: `GO` alone on a line.
    if (dialect === 'transactsql' && atLineStart && (c === 'G' || c === 'g') && !block) {
      const nl = text.indexOf('\n', i);
      const lineEnd = nl < 0 ? n : nl;
      if (/^go(\s+\d+)?\s*$/i.test(text.slice(i, lineEnd))) {
        push(stmtStart, i);
        i = lineEnd;
        stmtStart = i;
        continue;
      }
    }
    // psql meta-command: a backslash as the first non-blank character of a line, between statements.
    if (pg && c === '\\' && atLineStart && !block && skipTrivia(text, stmtStart, i, dialect) === i) {
      const nl = text.indexOf('\n', i);
      const lineEnd = nl < 0 ? n : nl;
      push(i, lineEnd, { meta: true });
      // `COPY … FROM stdin` data ends with `\.`; it is handled by the caller.
      i = lineEnd;
      stmtStart = i;
      continue;
    }
    if (c === '\n') {
      atLineStart = true;
      // psql sets up its lexer per input line: a changed setting applies from the next line on.
      if (pendingLex) {
        lex = pendingLex;
        pendingLex = null;
      }
      i++;
      continue;
    }
    const wasLineStart = atLineStart;
    if (!isWs(c)) atLineStart = false;

    if (!block && delimiter !== ';' && text.startsWith(delimiter, i) && (!delimiterAlone || aloneOnLine(text, i, delimiter.length))) {
      push(stmtStart, i);
      i += delimiter.length;
      stmtStart = i;
      continue;
    }
    if (c === ';' && delimiter === ';' && !block && depth <= 0) {
      push(stmtStart, i);
      i++;
      stmtStart = i;
      continue;
    }
    if (c === '-' && wasLineStart && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      const lineEnd = nl < 0 ? n : nl;
      const mark = markerAt(text.slice(i, lineEnd), i === 0 || text[i - 1] === '\n', liquibase);
      if (mark) {
        if (mark.kind === 'begin') {
          if (!block) push(stmtStart, i);
          else pushBlock(stmtStart, i, block);
          block = 'goose';
        } else if (mark.kind === 'end') {
          if (block) pushBlock(stmtStart, i, block);
          else push(stmtStart, i);
          block = null;
        } else if (mark.kind === 'break') {
          if (block) pushBlock(stmtStart, i, block);
          else push(stmtStart, i);
          block = null;
        } else {
          if (block) pushBlock(stmtStart, i, block);
          else push(stmtStart, i);
          block = mark.split ? null : 'liquibase';
          delimiter = mark.delimiter ?? ';';
          delimiterAlone = delimiter !== ';';
        }
        afterMarker = true;
        i = lineEnd;
        stmtStart = i;
        continue;
      }
    }
    const r = regionAt(text, i, dialect, lex);
    if (r) {
      if (r.unterminated) {
        unterminated = r.unterminated;
        unterminatedAt = r.start;
      }
      i = Math.max(r.end, i + 1);
      continue;
    }
    if (!headChecked && !isWs(c)) {
      headChecked = true;
      COMPOUND_HEAD.lastIndex = i;
      compound = COMPOUND_HEAD.test(text);
    }
    if (compound && delimiter === ';' && /[A-Za-z_]/.test(c) && !/[A-Za-z0-9_$]/.test(text[i - 1] ?? '')) {
      WORD.lastIndex = i;
      const w = WORD.exec(text)![0].toUpperCase();
      i += w.length;
      if (w === 'BEGIN' || w === 'CASE') depth++;
      else if (w === 'END') {
        // END IF / END LOOP / END WHILE / END REPEAT close blocks not counted here; END CASE and
        // a plain END (BEGIN … END, CASE … END) close a counted one.
        WORD.lastIndex = skipTrivia(text, i, n, dialect);
        const next = WORD.exec(text)?.[0].toUpperCase();
        if (next !== 'IF' && next !== 'LOOP' && next !== 'WHILE' && next !== 'REPEAT') depth--;
      }
      continue;
    }
    i++;
  }
  const before = out.length;
  if (block && !unterminated) pushBlock(stmtStart, n, block);
  else push(stmtStart, n, block ? { block } : {});
  if (unterminated) {
    // The text ends inside a quote, comment or dollar quote: that last piece cannot be trusted.
    // An unterminated comment after the last statement is a piece of its own, never dropped.
    if (out.length > before) out[out.length - 1].unterminated = unterminated;
    else {
      let e = n;
      while (e > unterminatedAt && isWs(text[e - 1])) e--;
      out.push({ start: unterminatedAt, end: e, text: text.slice(unterminatedAt, e), unterminated });
    }
  }
  return out;
}

/**
 * Lexical normal form of a statement for pattern rules: comments removed (replaced by a space),
 * zero-width and other invisible characters removed, whitespace folded, lower-cased.
 */
export function lexicalForm(text: string): string {
  // The text between comments is copied as one slice each (a string grown one character at a time
  // was most of the cost on big files).
  let s = '';
  const n = text.length;
  let i = 0;
  let run = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 45 && text.charCodeAt(i + 1) === 45) {
      // -- to the end of the line (the newline stays)
      s += text.slice(run, i) + ' ';
      const nl = text.indexOf('\n', i);
      i = run = nl < 0 ? n : nl;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      // /* … */, nested
      s += text.slice(run, i) + ' ';
      i = run = skipBlockComment(text, i, n, true);
      continue;
    }
    i++;
  }
  s += text.slice(run, n);
  return s
    .normalize('NFKC')
    .replace(/[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u00AD\uFEFF\u0000-\u0008\u000E-\u001F]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}
