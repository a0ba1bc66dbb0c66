// Credential detection shared by the credential rules (rules/hardcoded-password.ts,
// rules/connection-string-password.ts, rules/secret-token.ts, rules/config-credential.ts) and the
// config-file extractor: an SQL tokenizer that keeps offsets, SQL password statements, connection
// strings, well-known token formats (secretlint's rules), and the placeholder policy.
// Nothing here ever puts a secret into a message: callers get spans and values and hand the values
// to `report({ secrets })`, which redacts them from every output.
import { rules as secretlintPreset } from '@secretlint/secretlint-rule-preset-recommend';
import type { Dialect } from '../types.js';

// ---------------------------------------------------------------------------------------------
// Placeholder policy
// ---------------------------------------------------------------------------------------------

/**
 * Where a value was found. `code`: SQL that runs (CREATE ROLE … PASSWORD '…') or a config key
 * that holds a password: the value is the password, whatever it looks like. `doc`: a connection
 * string or a comment, where words like `pass`/`password` are documentation placeholders
 * (Alembic's `driver://user:pass@localhost/dbname`).
 */
export type ValueContext = 'code' | 'doc';

/** placeholder: not a credential. default: a well-known default (still a real credential). */
export type Verdict = 'placeholder' | 'default' | 'secret';

/** Syntax that is a reference to a value, never the value itself. */
const SYNTAX_PLACEHOLDERS: RegExp[] = [
  /^\s*$/,
  /^\$\{[^{}]*\}$/, // ${DB_PASSWORD} (defaults are handled by placeholderDefault)
  /^\$[A-Za-z_][A-Za-z0-9_]*$/, // $DB_PASSWORD
  /^\$\([^()]*\)$/, // $(cmd)
  /^%\([A-Za-z0-9_.-]+\)[sdr]$/, // %(password)s
  /^%[A-Za-z_][A-Za-z0-9_]*%$/, // %DB_PASSWORD%
  /^\{\{[\s\S]*\}\}$/, // {{ .Password }}
  /^\{[A-Za-z_][\w.-]*\}$/, // {password}
  /^<%[\s\S]*%>$/, // ERB
  /^<[^<>]+>$/, // <password>
  /^\[[A-Za-z_][\w .-]*\]$/, // [password]
  /^:['"]?[A-Za-z_][A-Za-z0-9_]*['"]?$/, // psql :'pw', bind :password
  /^[?]$/, // bind parameter
  /^\$\d+$/, // $1
  /^@[A-Za-z_][A-Za-z0-9_]*$/, // T-SQL @password
  /^#\{[^}]*\}$/, // Ruby #{password}
  /^env\s*\(.*\)$/i, // env("DATABASE_URL")
  /^ENV(\[.*\]|\.fetch\(.*\))$/,
  /^process\.env\.[A-Za-z_][A-Za-z0-9_]*$/,
  /^os\.environ/,
  /^getenv\s*\(.*\)$/i,
  /^tpl_x*$/, // a template placeholder neutralized by extract (src/extract/sql.ts)
  /^(.)\1+$/, // xxx, ***, ..., ----
  /^…$/,
  /^\*+[A-Za-z_]*\*+$/, // **password**
];

/** Words that stand for a password in documentation and examples (placeholders in `doc` context). */
const DOC_WORDS = new Set(
  [
    'pass',
    'passwd',
    'password',
    'pwd',
    'pw',
    'secret',
    'mypassword',
    'my_password',
    'my-password',
    'mypass',
    'yourpassword',
    'your_password',
    'your-password',
    'yourpass',
    'your_pass',
    'dbpass',
    'db_pass',
    'dbpassword',
    'db_password',
    'password_here',
    'your_password_here',
    'secret_here',
    'redacted',
    'placeholder',
    'example',
    'sample',
    'dummy',
    'none',
    'null',
    'nil',
    'undefined',
    'todo',
    'tbd',
    'fixme',
    'replace_me',
    'replaceme',
    'replace_with_password',
    'user',
    'username',
  ].map((s) => s.toLowerCase()),
);

/**
 * Well-known defaults. They are still credentials (anyone can guess them), so they are reported
 * like any other password, with a note; only syntax placeholders and (in `doc` context) the
 * documentation words above are treated as clean.
 */
const WELL_KNOWN = new Set(
  [
    'changeme',
    'change_me',
    'change-me',
    'changeit',
    'postgres',
    'root',
    'admin',
    'administrator',
    'password',
    'pass',
    'passwd',
    'secret',
    'password1',
    'password123',
    'admin123',
    '123456',
    '12345678',
    '1234',
    'qwerty',
    'letmein',
    'test',
    'test123',
    'default',
    'guest',
    'mysql',
    'oracle',
    'sa',
    'welcome',
    'example',
    'dummy',
  ].map((s) => s.toLowerCase()),
);

/** `${VAR:-default}`, `${VAR:default}` (Spring), `${VAR-default}`: the default is a hardcoded value. */
export function placeholderDefault(value: string): string | undefined {
  const m = /^\$\{[A-Za-z_][\w.]*(?::-|:|-)([^{}]*)\}$/.exec(value.trim());
  return m ? m[1] : undefined;
}

export function classifyValue(value: string, ctx: ValueContext): Verdict {
  const v = value.trim();
  const def = placeholderDefault(v);
  if (def !== undefined) return def ? classifyValue(def, ctx) : 'placeholder';
  if (SYNTAX_PLACEHOLDERS.some((re) => re.test(v))) return 'placeholder';
  const lower = v.toLowerCase();
  if (ctx === 'doc' && DOC_WORDS.has(lower)) return 'placeholder';
  if (WELL_KNOWN.has(lower)) return 'default';
  return 'secret';
}

/** What a report says about a value of this verdict (appended to its message). */
export function verdictNote(verdict: Verdict, value: string): string {
  let note = '';
  if (verdict === 'default') note = ' It is a well-known default password: still a real credential, and the first one an attacker tries.';
  if (/^md5[0-9a-f]{32}$/i.test(value) || /^SCRAM-SHA-256\$/.test(value) || /^\*[0-9A-F]{40}$/i.test(value) || /^\$2[aby]?\$\d+\$/.test(value)) {
    note += ' It is a password hash: still a credential (md5 hashes authenticate as they are, the others can be cracked offline).';
  }
  return note;
}

/** Secrets to redact for one value: the value, its lines, and the escaped forms it may have in source. */
export function secretForms(...values: Array<string | undefined>): string[] {
  const out = new Set<string>();
  for (const v of values) {
    if (!v) continue;
    out.add(v);
    if (v.includes("'")) out.add(v.replace(/'/g, "''"));
    if (v.includes('\\') || v.includes('"')) out.add(JSON.stringify(v).slice(1, -1));
    if (v.includes('\n')) for (const line of v.split(/\r?\n/)) if (line.trim().length >= 8) out.add(line.trim());
    try {
      const dec = decodeURIComponent(v);
      if (dec !== v) out.add(dec);
    } catch {
      // not URL-encoded
    }
  }
  return [...out];
}

/** Replace [start, end) spans of `text` by the mask of what they hold (for snippets). */
export function maskSpans(text: string, spans: Array<{ start: number; end: number }>): string {
  let out = text;
  for (const s of [...spans].sort((a, b) => b.start - a.start)) {
    if (s.start < 0 || s.end > text.length || s.end <= s.start) continue;
    out = out.slice(0, s.start) + maskSecret(text.slice(s.start, s.end)) + out.slice(s.end);
  }
  return out;
}

/** The line of `text` holding `offset`, with the given spans masked (a snippet that shows no secret). */
export function maskedLine(text: string, offset: number, spans: Array<{ start: number; end: number }>): string {
  const ls = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  let le = text.indexOf('\n', offset);
  if (le < 0) le = text.length;
  const local = spans.map((s) => ({ start: Math.max(s.start, ls) - ls, end: Math.min(s.end, le) - ls })).filter((s) => s.end > s.start);
  let line = maskSpans(text.slice(ls, le), local).trim().replace(/\s+/g, ' ');
  if (line.length > 160) line = line.slice(0, 160) + '…';
  return line;
}

// ---------------------------------------------------------------------------------------------
// SQL tokenizer
// ---------------------------------------------------------------------------------------------
// Written by hand: the splitter in src/parse/split.ts finds statement boundaries but not tokens,
// and no maintained library tokenizes PostgreSQL and MySQL (dollar quotes, E'' and backslash
// escapes, psql variables, nested comments) with source offsets.

export type TokType = 'word' | 'string' | 'ident' | 'num' | 'punct' | 'param' | 'comment';

export interface Tok {
  type: TokType;
  start: number;
  end: number;
  /** Raw text of the token. */
  text: string;
  /** Strings and quoted identifiers: the decoded value. Words: upper-cased. */
  value: string;
  /** Strings: where the content (between the quotes) is. */
  innerStart?: number;
  innerEnd?: number;
  unterminated?: boolean;
  /** A dollar-quoted string (`$$…$$`, `$tag$…$tag$`). */
  dollar?: boolean;
}

const mysqlish = (d: Dialect | undefined) => d === 'mysql' || d === 'mariadb';
const isWordStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 0x80;
const isWordChar = (c: number) => isWordStart(c) || (c >= 48 && c <= 57) || c === 36;
const WORD_START = { test: (ch: string | undefined) => ch !== undefined && isWordStart(ch.charCodeAt(0)) };

function decodeQuoted(inner: string, quote: string, backslash: boolean): string {
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === quote && inner[i + 1] === quote) {
      out += quote;
      i++;
    } else if (backslash && c === '\\' && i + 1 < inner.length) {
      const n = inner[++i];
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n === '0' ? '\0' : n;
    } else out += c;
  }
  return out;
}

/** Tokens of SQL text (comments included as `comment` tokens). Never throws. */
/**
 * The tokens of `text`, tokenized once: the credential rules read the same unit and statement texts
 * many times over (comments, literals, password statements, seeded values), so the last few
 * results are kept. The array and its tokens are shared: callers must not modify them.
 */
export function sqlTokens(text: string, dialect: Dialect = 'postgresql'): readonly Tok[] {
  return cached(tokCache, text, dialect, () => tokenize(text, dialect, false));
}

/**
 * The string, quoted-identifier and comment tokens of `text` (what `sqlTokens` gives, without the
 * words, numbers, parameters and punctuation): the scans of a whole unit for secrets read only
 * literals and comments, and a big file's words were most of the tokens made.
 */
export function sqlLiterals(text: string, dialect: Dialect = 'postgresql'): readonly Tok[] {
  return cached(litCache, text, dialect, () => {
    const all = tokCache.find((c) => c.dialect === dialect && c.text === text);
    return all ? all.toks.filter(isLiteral) : tokenize(text, dialect, true);
  });
}

const isLiteral = (t: Tok) => t.type === 'string' || t.type === 'ident' || t.type === 'comment';

/** The last few results are kept (most recent first). */
function cached(cache: TokCache, text: string, dialect: Dialect, make: () => readonly Tok[]): readonly Tok[] {
  for (let i = 0; i < cache.length; i++) {
    const c = cache[i];
    if (c.dialect === dialect && c.text === text) {
      if (i > 0) cache.splice(i, 1), cache.unshift(c);
      return c.toks;
    }
  }
  const toks = make();
  cache.unshift({ text, dialect, toks });
  if (cache.length > TOK_CACHE_SIZE) cache.pop();
  return toks;
}

type TokCache = Array<{ text: string; dialect: Dialect; toks: readonly Tok[] }>;
const TOK_CACHE_SIZE = 8;
const tokCache: TokCache = [];
const litCache: TokCache = [];

/** `literalsOnly`: only strings, quoted identifiers and comments are kept (see `sqlLiterals`). */
function tokenize(text: string, dialect: Dialect, literalsOnly: boolean): Tok[] {
  const out: Tok[] = [];
  const my = mysqlish(dialect);
  const pg = dialect === 'postgresql' || dialect === 'redshift';
  const n = text.length;
  let i = 0;
  let lastType: TokType | undefined;
  // Fields copied one by one (an object spread per token was a hot spot of big files); the token
  // has exactly the fields given.
  const push = (type: TokType, start: number, end: number, extra?: Partial<Tok>) => {
    lastType = type;
    if (literalsOnly && type !== 'string' && type !== 'ident' && type !== 'comment') return;
    const raw = text.slice(start, end);
    const t: Tok = { type, start, end, text: raw, value: raw };
    if (extra) {
      if (extra.value !== undefined) t.value = extra.value;
      if ('innerStart' in extra) t.innerStart = extra.innerStart;
      if ('innerEnd' in extra) t.innerEnd = extra.innerEnd;
      if ('unterminated' in extra) t.unterminated = extra.unterminated;
      if ('dollar' in extra) t.dollar = extra.dollar;
    }
    out.push(t);
  };
  const quoted = (start: number, q: string, backslash: boolean, type: TokType) => {
    // `start` is the offset of the opening quote (prefix letters come before it).
    let j = start + 1;
    while (j < n) {
      const c = text[j];
      if (backslash && c === '\\') j += 2;
      else if (c === q) {
        if (text[j + 1] === q) j += 2;
        else break;
      } else j++;
    }
    const unterminated = j >= n;
    const innerEnd = Math.min(j, n);
    return { end: unterminated ? n : j + 1, innerStart: start + 1, innerEnd, unterminated, value: decodeQuoted(text.slice(start + 1, innerEnd), q, backslash), type };
  };
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\uFEFF') {
      i++;
      continue;
    }
    if ((c === '-' && text[i + 1] === '-') || (c === '#' && my)) {
      let e = text.indexOf('\n', i);
      if (e < 0) e = n;
      push('comment', i, e);
      i = e;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      let depth = 0;
      let j = i;
      while (j < n) {
        if (text[j] === '/' && text[j + 1] === '*') {
          depth = my ? 1 : depth + 1;
          j += 2;
        } else if (text[j] === '*' && text[j + 1] === '/') {
          depth--;
          j += 2;
          if (depth <= 0) break;
        } else j++;
      }
      push('comment', i, Math.min(j, n), { unterminated: depth > 0 });
      i = Math.min(j, n);
      continue;
    }
    if (c === "'") {
      const q = quoted(i, "'", my, 'string');
      push('string', i, q.end, q);
      i = q.end;
      continue;
    }
    if (c === '"') {
      const q = quoted(i, '"', my, my ? 'string' : 'ident');
      push(q.type, i, q.end, q);
      i = q.end;
      continue;
    }
    if (c === '`') {
      const q = quoted(i, '`', false, 'ident');
      push('ident', i, q.end, q);
      i = q.end;
      continue;
    }
    if (c === '$' && !my) {
      const m = /^\$([A-Za-z_\u0080-\uFFFF][A-Za-z0-9_\u0080-\uFFFF]*)?\$/.exec(text.slice(i, i + 64));
      if (m && pg) {
        const tag = m[0];
        const close = text.indexOf(tag, i + tag.length);
        const innerEnd = close < 0 ? n : close;
        const end = close < 0 ? n : close + tag.length;
        push('string', i, end, { innerStart: i + tag.length, innerEnd, value: text.slice(i + tag.length, innerEnd), unterminated: close < 0, dollar: true });
        i = end;
        continue;
      }
      const p = /^\$(\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i, i + 64));
      if (p) {
        push('param', i, i + p[0].length);
        i += p[0].length;
        continue;
      }
    }
    if (c === ':' && text[i + 1] === ':') {
      push('punct', i, i + 2);
      i += 2;
      continue;
    }
    if (c === ':' && (text[i + 1] === "'" || text[i + 1] === '"')) {
      const q = quoted(i + 1, text[i + 1], false, 'param');
      push('param', i, q.end);
      i = q.end;
      continue;
    }
    if ((c === ':' || c === '@') && i + 1 < n && WORD_START.test(text[i + 1]) && !(c === '@' && my && lastType === 'string')) {
      let j = i + 1;
      while (j < n && isWordChar(text.charCodeAt(j))) j++;
      push('param', i, j);
      i = j;
      continue;
    }
    if (c === '?') {
      push('param', i, i + 1);
      i++;
      continue;
    }
    if (c >= '0' && c <= '9') {
      let j = i + 1;
      while (j < n && (isWordChar(text.charCodeAt(j)) || text[j] === '.')) j++;
      push('num', i, j);
      i = j;
      continue;
    }
    if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < n && isWordChar(text.charCodeAt(j))) j++;
      // String prefixes: E'…' (backslash escapes), N'…', B'…', X'…', U&'…'.
      if (j === i + 1 && text[j] === "'" && /^[EeNnBbXx]$/.test(c)) {
        const q = quoted(j, "'", my || c === 'e' || c === 'E', 'string');
        push('string', i, q.end, q);
        i = q.end;
        continue;
      }
      if (j === i + 1 && (c === 'U' || c === 'u') && text[j] === '&' && text[j + 1] === "'") {
        const q = quoted(j + 1, "'", false, 'string');
        push('string', i, q.end, q);
        i = q.end;
        continue;
      }
      // Literals only (most of a big file's tokens are words): no text, no upper-cased value.
      if (literalsOnly) lastType = 'word';
      else push('word', i, j, { value: text.slice(i, j).toUpperCase() });
      i = j;
      continue;
    }
    push('punct', i, i + 1);
    i++;
  }
  return out;
}

/** Spans of comments in SQL text, including comments inside dollar-quoted bodies (DO blocks, functions). */
export function commentSpans(text: string, dialect: Dialect = 'postgresql', depth = 0): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const t of sqlLiterals(text, dialect)) {
    if (t.type === 'comment') out.push({ start: t.start, end: t.end });
    else if (t.dollar && depth < 4 && t.innerStart !== undefined && t.innerEnd !== undefined) {
      for (const s of commentSpans(text.slice(t.innerStart, t.innerEnd), dialect, depth + 1)) out.push({ start: s.start + t.innerStart, end: s.end + t.innerStart });
    }
  }
  return out;
}

/** Spans of string literals (and quoted identifiers) in SQL text. */
export function literalSpans(text: string, dialect: Dialect = 'postgresql'): Array<{ start: number; end: number }> {
  return sqlLiterals(text, dialect).map((t) => ({ start: t.start, end: t.end }));
}

// ---------------------------------------------------------------------------------------------
// SQL statements that carry a password
// ---------------------------------------------------------------------------------------------

export interface SqlPasswordHit {
  /** Offsets (in the text given) of the value token: the whole literal, quotes included. */
  start: number;
  end: number;
  /** Offsets of the content between the quotes (the whole token when not quoted). */
  innerStart: number;
  innerEnd: number;
  /** Decoded value and raw content between the quotes. */
  value: string;
  raw: string;
  /** What carries it, for the message: 'CREATE USER', 'SET PASSWORD', 'OPTIONS (password …)'. */
  what: string;
  /** The keyword that introduced the value (PASSWORD, IDENTIFIED BY, SECRET, …). */
  keyword: string;
  verdict: Verdict;
  /** True when the value is not quoted (Oracle `IDENTIFIED BY pw`, or invalid SQL). */
  bare?: boolean;
}

/** Object words after CREATE/ALTER that make a statement one that can carry credentials. */
const CRED_OBJECTS = new Set([
  'USER',
  'ROLE',
  'GROUP',
  'LOGIN',
  'SERVER',
  'MAPPING',
  'LINK',
  'STAGE',
  'INTEGRATION',
  'CREDENTIAL',
  'KEY',
  'CERTIFICATE',
  'SUBSCRIPTION',
  'SECRET',
  'CONNECTION',
  'SOURCE',
  'APPLICATION',
  'WRAPPER',
]);
/** Words between CREATE/ALTER and the object word. */
const CRED_MODIFIERS = new Set([
  'OR',
  'REPLACE',
  'ALTER',
  'IF',
  'NOT',
  'EXISTS',
  'PUBLIC',
  'DATABASE',
  'SCOPED',
  'EXTERNAL',
  'DATA',
  'MASTER',
  'SYMMETRIC',
  'ASYMMETRIC',
  'STORAGE',
  'NOTIFICATION',
  'SECURITY',
  'API',
  'TEMPORARY',
  'TEMP',
  'PERSISTENT',
  'FOREIGN',
  'USER', // USER MAPPING
  'APPLICATION', // APPLICATION ROLE
]);
/** Keys whose string value is a secret inside credential statements (OPTIONS lists, WITH clauses). */
const CRED_KEYS = new Set([
  'PASSWORD',
  'PASSWD',
  'PWD',
  'SSLPASSWORD',
  'SECRET',
  'SECRET_ACCESS_KEY',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'AZURE_SAS_TOKEN',
  'MASTER_PASSWORD',
  'SOURCE_PASSWORD',
  'CLIENT_SECRET',
  'OAUTH_CLIENT_SECRET',
  'PRIVATE_KEY',
  'PRIVATE_KEY_PASSPHRASE',
  'ACCOUNT_KEY',
  'SESSION_TOKEN',
]);
/** Words that can follow PASSWORD without being a password. */
const AFTER_PASSWORD_KEYWORDS = new Set([
  'NULL',
  'EXPIRE',
  'HISTORY',
  'REUSE',
  'REQUIRE',
  'LOCK',
  'LOCK_TIME',
  'DEFAULT',
  'NEVER',
  'INTERVAL',
  'CURRENT',
  'OPTIONAL',
  'VALID',
  'FOR',
  'IS',
  'AND',
  'OR',
  'FROM',
  'TO',
  'ON',
  'AS',
  'WITH',
  'BY',
  'IN',
  'ENCRYPTION',
  'POLICY',
  'CHECK_POLICY',
  'CHECK_EXPIRATION',
]);

function credStatementKind(words: Tok[]): string | undefined {
  const w = (k: number) => words[k]?.value;
  if (w(0) === 'SET' && w(1) === 'PASSWORD') return 'SET PASSWORD';
  if (w(0) === 'CHANGE' && (w(1) === 'MASTER' || w(1) === 'REPLICATION')) return `CHANGE ${w(1)}`;
  if (w(0) === 'GRANT') return 'GRANT';
  if (w(0) === 'COPY' || w(0) === 'UNLOAD') return w(0);
  if (w(0) === 'OPEN' && w(1) === 'MASTER') return 'OPEN MASTER KEY';
  if (w(0) === 'CREATE' || w(0) === 'ALTER') {
    for (let k = 1; k < Math.min(words.length, 8); k++) {
      const v = w(k)!;
      if (CRED_OBJECTS.has(v) && !(v === 'USER' && w(k + 1) === 'MAPPING') && !(v === 'APPLICATION' && w(k + 1) === 'ROLE')) {
        return `${w(0)} ${words
          .slice(1, k + 1)
          .map((t) => t.value)
          .filter((x) => x !== 'OR' && x !== 'REPLACE' && x !== 'IF' && x !== 'NOT' && x !== 'EXISTS')
          .join(' ')}`.replace(/^ALTER ALTER/, 'ALTER');
      }
      if (!CRED_MODIFIERS.has(v)) return undefined;
    }
  }
  return undefined;
}

/**
 * Find password values in SQL text by tokens. Statements are split at `;`. With `anywhere`, a
 * credential statement may start at any word (free text in a comment); otherwise it must start
 * the statement.
 */
export function findSqlPasswords(
  text: string,
  dialect: Dialect = 'postgresql',
  opts: { anywhere?: boolean; ctx?: ValueContext; bodies?: boolean } = {},
  depth = 0,
): SqlPasswordHit[] {
  const toks = sqlTokens(text, dialect).filter((t) => t.type !== 'comment');
  const hits: SqlPasswordHit[] = [];
  const ctx = opts.ctx ?? 'code';
  let stmt: Tok[] = [];
  const flush = () => {
    if (stmt.length) scanStatement(stmt, text, ctx, hits, !!opts.anywhere);
    stmt = [];
  };
  for (const t of toks) {
    if (t.type === 'punct' && t.text === ';') flush();
    else stmt.push(t);
    // Dollar-quoted bodies (DO blocks, functions) hold statements of their own.
    if (opts.bodies && t.dollar && depth < 4 && t.innerStart !== undefined) {
      const o = t.innerStart;
      for (const h of findSqlPasswords(t.value, dialect, opts, depth + 1)) {
        hits.push({ ...h, start: h.start + o, end: h.end + o, innerStart: h.innerStart + o, innerEnd: h.innerEnd + o });
      }
    }
  }
  flush();
  return hits.sort((x, y) => x.start - y.start);
}

/** Words that open a block, after which a statement starts (`BEGIN CREATE USER …` in a procedure). */
const BLOCK_WORDS = new Set(['BEGIN', 'THEN', 'ELSE', 'LOOP', 'DO', 'REPEAT', 'ATOMIC', 'DECLARE']);

function scanStatement(toks: Tok[], text: string, ctx: ValueContext, hits: SqlPasswordHit[], anywhere: boolean): void {
  let from = 0;
  let what: string | undefined;
  if (anywhere) {
    for (let k = 0; k < toks.length && !what; k++) {
      if (toks[k].type !== 'word') continue;
      what = credStatementKind(toks.slice(k).filter((t) => t.type === 'word'));
      if (what) from = k;
    }
  } else {
    // At the start, or right after a word that opens a block (`… BEGIN CREATE USER …`).
    for (let k = 0; k < toks.length && !what; k++) {
      if (k > 0 && !(toks[k - 1].type === 'word' && BLOCK_WORDS.has(toks[k - 1].value))) continue;
      what = credStatementKind(toks.slice(k).filter((t) => t.type === 'word'));
      if (what) from = k;
    }
  }
  if (!what) return;
  const body = toks.slice(from);
  const add = (tok: Tok, keyword: string) => {
    const isStr = tok.type === 'string' || tok.type === 'ident';
    const raw = isStr ? text.slice(tok.innerStart ?? tok.start, tok.innerEnd ?? tok.end) : tok.text;
    const value = isStr ? tok.value : tok.text;
    if (tok.type === 'param') return;
    let verdict = classifyValue(value, ctx);
    if (!isStr && verdict === 'secret' && /^(NULL|TRUE|FALSE|ON|OFF)$/i.test(value)) verdict = 'placeholder';
    if (verdict === 'placeholder') return;
    if (hits.some((h) => h.start === tok.start)) return;
    const innerStart = isStr ? (tok.innerStart ?? tok.start) : tok.start;
    const innerEnd = isStr ? (tok.innerEnd ?? tok.end) : tok.end;
    hits.push({ start: tok.start, end: tok.end, innerStart, innerEnd, value, raw, what, keyword, verdict, bare: !isStr || undefined });
  };
  const valueAt = (k: number): Tok | undefined => {
    let j = k;
    while (body[j] && body[j].type === 'punct' && (body[j].text === '=' || body[j].text === '>' || body[j].text === ':')) j++;
    const t = body[j];
    if (!t) return undefined;
    // PASSWORD('x'), OLD_PASSWORD('x'): the argument.
    if (t.type === 'punct' && t.text === '(' && body[j + 1] && (body[j + 1].type === 'string' || body[j + 1].type === 'ident')) return body[j + 1];
    if (t.type === 'word' && (t.value === 'PASSWORD' || t.value === 'OLD_PASSWORD') && body[j + 1]?.text === '(' && body[j + 2]?.type === 'string') return body[j + 2];
    return t;
  };
  for (let k = 0; k < body.length; k++) {
    const t = body[k];
    if (t.type !== 'word') continue;
    const prev = body[k - 1];
    if (what === 'SET PASSWORD' && t.value === 'PASSWORD' && k === 1) {
      // SET PASSWORD [FOR user] = 'x' | PASSWORD('x')
      const eq = body.findIndex((x, j) => j > k && x.type === 'punct' && x.text === '=');
      if (eq > 0) {
        const v = valueAt(eq);
        if (v && (v.type === 'string' || v.type === 'ident')) add(v, 'SET PASSWORD');
      }
      continue;
    }
    if (t.value === 'IDENTIFIED') {
      // IDENTIFIED [WITH plugin] BY [PASSWORD] 'x' | IDENTIFIED [WITH plugin] AS 'hash' | Oracle: BY pw
      let j = k + 1;
      if (body[j]?.value === 'WITH') j += 2;
      const kw = body[j]?.value;
      if (kw === 'BY' || kw === 'AS') {
        j++;
        if (body[j]?.type === 'word' && (body[j].value === 'PASSWORD' || body[j].value === 'VALUES')) j++;
        const v = body[j];
        if (v && (v.type === 'string' || v.type === 'ident' || ((v.type === 'word' || v.type === 'num') && !AFTER_PASSWORD_KEYWORDS.has(v.value)))) {
          add(v, `IDENTIFIED ${kw}`);
        }
      }
      continue;
    }
    if (prev && prev.type === 'word' && prev.value === 'BY' && body[k - 2]?.value === 'IDENTIFIED') continue;
    if (CRED_KEYS.has(t.value)) {
      // A key inside a list: `password 'x'`, `PASSWORD = 'x'`, `SECRET 'x'`; not `PASSWORD_…` words.
      if (what === 'SET PASSWORD' || (what === 'GRANT' && t.value === 'PASSWORD')) continue;
      const v = valueAt(k + 1);
      if (!v) continue;
      if (v.type === 'string' || v.type === 'ident') add(v, t.value);
      else if (t.value === 'PASSWORD' && (v.type === 'word' || v.type === 'num') && !AFTER_PASSWORD_KEYWORDS.has(v.value) && !CRED_KEYS.has(v.value)) {
        // Unquoted: invalid in PostgreSQL (`PASSWORD hunter2`), a hex hash in T-SQL (`= 0x…`).
        add(v, t.value);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Connection strings
// ---------------------------------------------------------------------------------------------

export interface ConnHit {
  /** Offsets of the password in the text. */
  start: number;
  end: number;
  value: string;
  raw: string;
  /** 'url' (scheme://user:pass@host), 'kv' (host=… password=…; ADO.NET/JDBC key=value). */
  form: 'url' | 'kv';
  /** URL scheme or the key, for the message. */
  label: string;
  verdict: Verdict;
  /** Whole connection string span (for overlap checks). */
  spanStart: number;
  spanEnd: number;
}

// URL userinfo. Runners disagree on where a password ends: libpq ends the userinfo at the first `@`
// or `/` (src/interfaces/libpq/fe-connect.c, conninfo_uri_parse_options: "Look ahead for possible
// user credentials designator"), SQLAlchemy's make_url takes `[^@]*` after the first `:` — so `/`,
// `?` and `#` are part of the password there (lib/sqlalchemy/engine/url.py, _parse_url) — and
// tools that accept an unescaped `@` in the password split at the last `@` before the host. To
// report (and redact) every character any of them may take as the password, the password here
// runs from the first `:` of the userinfo to the last `@` that is followed by a host.
const URL_START = /\b([A-Za-z][A-Za-z0-9+.-]{1,40}):\/\//g;
/** Characters that end a URL written in text: whitespace, quotes, backslash, angle brackets. */
const URL_END = /[\s'"`\\<>]/;
const HOST_AFTER = /^[A-Za-z0-9_.~%\[\]-]+(?::\d*)?(?=[/?#,;)]|$)/;
// libpq key=value conninfo: a value is a word or single-quoted with \' and \\ escapes
// (fe-connect.c conninfo_parse); `password = 'a b'` may have spaces around `=`.
const KV_RE = /(?<![\w.$-])(password|passwd|pwd)\s*=\s*('(?:[^'\\\n]|\\.)*'|%\([\w.-]+\)[sdr]|\$\{[^{}\n]*\}|\{\{[^\n]*?\}\}|<[^<>\s]{1,64}>|[^\s;&'"`<>,)]+)/gi;
/** Connection-string keys beside a password= on its line: there it is a connection string (findConnectionStrings). */
export const KV_COMPANION = /(?<![\w.-])(host|hostaddr|dbname|user|port|server|data source|database|uid|user id|userid|username|initial catalog|sslmode|service|address|addr|sid)=|:\/\/|jdbc:/i;

/** Passwords in `scheme://user:password@host` URLs of a text (see URL_START for where one ends). */
export function urlPasswords(text: string, literal = false): ConnHit[] {
  // In the decoded value of a string literal only whitespace ends a URL: a quote is part of it.
  const endRe = literal ? /\s/ : URL_END;
  const out: ConnHit[] = [];
  for (const m of text.matchAll(URL_START)) {
    const after = m.index! + m[0].length;
    let end = after;
    while (end < text.length && end - after < 1024 && !endRe.test(text[end])) end++;
    const rest = text.slice(after, end);
    const colon = rest.search(/[:/@]/);
    if (colon < 0 || rest[colon] !== ':') continue;
    // The last `@` followed by a host; none: no userinfo (host:port/db).
    let at = -1;
    for (let i = rest.lastIndexOf('@'); i > colon; i = rest.lastIndexOf('@', i - 1)) {
      if (HOST_AFTER.test(rest.slice(i + 1))) {
        at = i;
        break;
      }
    }
    if (at < 0) continue;
    const raw = rest.slice(colon + 1, at);
    // `host:8080/path@x`: a port and a path with an `@` in it, not userinfo.
    if (!raw || /^\d{1,5}(\/|$)/.test(raw)) continue;
    const start = after + colon + 1;
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // keep raw
    }
    const verdict = classifyValue(value, 'doc');
    if (verdict === 'placeholder') continue;
    out.push({ start, end: start + raw.length, value, raw, form: 'url', label: m[1].toLowerCase(), verdict, spanStart: m.index!, spanEnd: after + at + 1 });
  }
  return out;
}

/** Connection strings with a password. `kvInSpans`: key=value forms count only inside these spans (literals, comments). */
export function findConnectionStrings(text: string, opts: { kvInSpans?: Array<{ start: number; end: number }>; literal?: boolean } = {}): ConnHit[] {
  const hits: ConnHit[] = [];
  const inside = (a: number, b: number) => !opts.kvInSpans || opts.kvInSpans.some((s) => a >= s.start && b <= s.end);
  if (text.includes('://')) {
    for (const h of urlPasswords(text, opts.literal)) hits.push(h);
  }
  if (/(passw?o?r?d|pwd)\s*=/i.test(text)) {
    for (const m of text.matchAll(KV_RE)) {
      const quotedKv = m[2].startsWith("'");
      const start = m.index! + m[0].length - m[2].length + (quotedKv ? 1 : 0);
      const raw = quotedKv ? m[2].slice(1, -1) : m[2];
      const end = start + raw.length;
      if (!inside(m.index!, end)) continue;
      if (hits.some((h) => start < h.spanEnd && end > h.spanStart && h.form === 'url' && start >= h.start && end <= h.end)) continue;
      // The key=value must sit among other connection keys on the same line.
      const ls = text.lastIndexOf('\n', m.index!) + 1;
      let le = text.indexOf('\n', end);
      if (le < 0) le = text.length;
      const line = text.slice(Math.max(ls, m.index! - 300), Math.min(le, end + 300));
      if (!KV_COMPANION.test(line)) continue;
      const kvValue = quotedKv ? raw.replace(/\\(.)/g, '$1') : raw;
      if (!kvValue) continue;
      const verdict = classifyValue(kvValue, 'doc');
      if (verdict === 'placeholder') continue;
      hits.push({ start, end, value: kvValue, raw, form: 'kv', label: m[1].toLowerCase(), verdict, spanStart: m.index!, spanEnd: end });
    }
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------
// Well-known token formats
// ---------------------------------------------------------------------------------------------
// secretlint's recommended rules (maintained detectors for AWS, GitHub, Slack, Stripe, GitLab,
// private keys, npm, OpenAI, …) run through their public rule API with a synchronous context.
// Its connection-string and basic-auth rules are left out: findConnectionStrings covers those
// with this tool's placeholder policy (secretlint skips passwords like `admin` or `root`).
// Added by hand, because secretlint has no rule for them: JSON Web Tokens and Google API keys.

export interface TokenHit {
  start: number;
  end: number;
  value: string;
  /** Human name of the format: 'AWS access key ID', 'GitHub token', 'JSON Web Token'. */
  label: string;
  /** For JWTs that are public by design (a Supabase anon key): report as a warning. */
  publicByDesign?: boolean;
  /** For a value spread over commented lines: its lines, each redacted on its own. */
  lines?: string[];
  /** A test-mode key (Stripe `sk_test_…`): no access to live data. */
  testKey?: boolean;
}

interface SlRule {
  meta: { id: string };
  create(context: unknown, options: unknown): { file?: (source: unknown) => unknown };
}

const SKIPPED_SECRETLINT = new Set(['@secretlint/secretlint-rule-database-connection-string', '@secretlint/secretlint-rule-basicauth', '@secretlint/secretlint-rule-filter-comments']);

/** Where the detectors' reports go while one text is scanned (set by findTokens). */
type SlReport = (d: { message: { key: string; props: Record<string, unknown> }; range: [number, number] }, ruleId: string) => void;
let slSink: SlReport | undefined;
let slHandlers: Array<{ id: string; file: (source: unknown) => unknown }> | undefined;
/** secretlint's detectors, created once per process (a detector's create() only reads its options). */
function secretlintHandlers(): Array<{ id: string; file: (source: unknown) => unknown }> {
  if (!slHandlers) {
    slHandlers = [];
    for (const rule of (secretlintPreset as unknown as SlRule[]).filter((r) => !SKIPPED_SECRETLINT.has(r.meta.id))) {
      const id = rule.meta.id;
      const context = {
        createTranslator: () => (key: string, props: Record<string, unknown> = {}) => ({ key, props }),
        report: (d: Parameters<SlReport>[0]) => slSink?.(d, id),
        ignore: () => {},
      };
      const options = id === '@secretlint/secretlint-rule-aws' ? { enableIDScanRule: true } : {};
      try {
        const handler = rule.create(context, options);
        if (handler.file) slHandlers.push({ id, file: handler.file.bind(handler) });
      } catch {
        // A detector that cannot be created must not stop the others.
      }
    }
  }
  return slHandlers;
}

const LABELS: Record<string, string> = {
  AWSAccessKeyID: 'AWS access key ID',
  AWSSecretAccessKey: 'AWS secret access key',
  AWSAccountID: 'AWS account ID',
  PrivateKey: 'private key',
};

function labelOf(ruleId: string, key: string, props: Record<string, unknown>): string {
  if (typeof props.typeName === 'string') return props.typeName.replace(/tokens$/i, 'token');
  if (LABELS[key]) return LABELS[key];
  const vendor = ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
  const words = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return words.includes(vendor.toLowerCase()) ? words : `${vendor} ${words}`;
}

const JWT_RE = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}(?![A-Za-z0-9_-])/g;
/** Stripe webhook signing secrets (secretlint's Stripe rule knows sk_/rk_ keys only). */
const STRIPE_WEBHOOK_RE = /(?<![A-Za-z0-9_])whsec_[A-Za-z0-9]{24,}(?![A-Za-z0-9_])/g;
/** Line-comment prefixes a commented-out block may carry on every line (SQL, shell/Python/YAML, C-style). */
const LINE_COMMENT_PREFIX = /^([ \t]*)(--|#|\/\/|;)[ \t]?/gm;
const GOOGLE_API_KEY_RE = /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g;
/**
 * OpenAI API keys, the old `sk-…` and the project/service-account/admin forms (`sk-proj-…`): every
 * one carries `T3BlbkFJ`, base64 of "OpenAI" (secretlint's OpenAI rule knows only the old form).
 */
const OPENAI_KEY_RE = /(?<![A-Za-z0-9_-])sk-(?:[a-z]+-)?[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/g;
/** SendGrid API keys: `SG.` + 22 + `.` + 43 base64url characters (secretlint's rule misses keys with `-`). */
const SENDGRID_KEY_RE = /(?<![A-Za-z0-9_.-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;

function jwtPayload(token: string): Record<string, unknown> | undefined {
  try {
    const p = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    return p && typeof p === 'object' ? p : undefined;
  } catch {
    return undefined;
  }
}

/** Well-known token formats in `text`. `ext` is the file extension (secretlint's GCP rule reads JSON only). */
export function findTokens(text: string, ext = '.sql', depth = 0): TokenHit[] {
  // Kept sorted by start and disjoint (a hit overlapping an earlier one is dropped), so the overlap
  // test is a binary search: a unit with many tokens is not quadratic.
  const hits: TokenHit[] = [];
  const add = (h: TokenHit) => {
    if (!h.value) return;
    let lo = 0;
    let hi = hits.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (hits[mid].start < h.end) lo = mid + 1;
      else hi = mid;
    }
    // hits[lo - 1] is the last hit starting before h ends; the hits being disjoint and sorted, their
    // ends increase too, so it is the only one that can overlap h.
    const prev = hits[lo - 1];
    if (prev && h.start < prev.end && h.end > prev.start) return;
    hits.splice(lo, 0, h);
  };
  const sink: SlReport = (d, ruleId) => {
    const props = d.message?.props ?? {};
    if (d.message?.key === 'AWSAccountID') return; // an account ID is an identifier, not a secret
    const values = Object.entries(props)
      .filter(([k, v]) => k !== 'typeName' && typeof v === 'string' && v.length >= 8)
      .map(([, v]) => v as string);
    // The value the rule names (its range can point at the key rather than the value).
    const value = values.sort((a, b) => b.length - a.length)[0] ?? text.slice(d.range[0], d.range[1]);
    let start = text.indexOf(value, Math.max(0, d.range[0] - 1));
    if (start < 0) start = text.indexOf(value);
    if (start < 0) start = d.range[0];
    add({ start, end: start + value.length, value, label: labelOf(ruleId, d.message?.key ?? '', props) });
  };
  const source = { content: text, filePath: `file${ext}`, ext, contentType: 'text' };
  const outer = slSink;
  slSink = sink;
  try {
    for (const h of secretlintHandlers()) {
      try {
        const r = h.file(source);
        // Asynchronous checks (GCP .p12 only) are not used: every rule we run is synchronous on text.
        if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).catch(() => {});
      } catch {
        // A detector that throws on odd input must not stop the others.
      }
    }
  } finally {
    slSink = outer;
  }
  if (text.includes('eyJ')) {
    for (const m of text.matchAll(JWT_RE)) {
      const payload = jwtPayload(m[0]);
      if (!payload) continue;
      const anon = payload.role === 'anon';
      add({ start: m.index!, end: m.index! + m[0].length, value: m[0], label: anon ? 'JSON Web Token (role "anon")' : 'JSON Web Token', publicByDesign: anon || undefined });
    }
  }
  if (text.includes('AIza')) {
    for (const m of text.matchAll(GOOGLE_API_KEY_RE)) add({ start: m.index!, end: m.index! + m[0].length, value: m[0], label: 'Google API key' });
  }
  if (text.includes('T3BlbkFJ')) {
    for (const m of text.matchAll(OPENAI_KEY_RE)) add({ start: m.index!, end: m.index! + m[0].length, value: m[0], label: 'OpenAI API key' });
  }
  if (text.includes('SG.')) {
    for (const m of text.matchAll(SENDGRID_KEY_RE)) add({ start: m.index!, end: m.index! + m[0].length, value: m[0], label: 'SendGrid API key' });
  }
  if (text.includes('whsec_')) {
    for (const m of text.matchAll(STRIPE_WEBHOOK_RE)) add({ start: m.index!, end: m.index! + m[0].length, value: m[0], label: 'Stripe webhook signing secret' });
  }
  // A private key commented out line by line (`-- MIIE…`, `# MIIE…`) is still the key: read the text
  // again with each line's comment marker blanked (same length, so offsets hold).
  if (/PRIVATE KEY/.test(text) && LINE_COMMENT_PREFIX.test(text) && depth === 0) {
    LINE_COMMENT_PREFIX.lastIndex = 0;
    const blanked = text.replace(LINE_COMMENT_PREFIX, (m) => ' '.repeat(m.length));
    for (const h of findTokens(blanked, ext, 1)) {
      if (!/private key/i.test(h.label)) continue;
      const lines = h.value.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length >= 8);
      add({ ...h, value: text.slice(h.start, h.end), lines });
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

// ---------------------------------------------------------------------------------------------
// Helpers for the rules
// ---------------------------------------------------------------------------------------------

/** Spans of string literals and comments in Python source (for key=value connection strings). */
export function pythonLiteralSpans(text: string): Array<{ start: number; end: number }> {
  const re = /[rRbBuUfF]{0,2}("""|''')[\s\S]*?\1|[rRbBuUfF]{0,2}"(?:[^"\\\n]|\\.)*"|[rRbBuUfF]{0,2}'(?:[^'\\\n]|\\.)*'|#[^\n]*/g;
  return [...text.matchAll(re)].map((m) => ({ start: m.index!, end: m.index! + m[0].length }));
}

/** A base64 (or base64url) text decoded to printable UTF-8, or undefined when it is not that. */
export function decodeBase64(s: string): string | undefined {
  try {
    const b = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    const t = b.toString('utf8');
    // Printable text only: random bytes that happen to be base64 are not a connection string.
    return t.length >= 8 && /^[\x20-\x7e\t\r\n]+$/.test(t) ? t : undefined;
  } catch {
    return undefined;
  }
}

/** File kinds whose whole text the text-scanning credential rules read (SQL kinds are read by unit). */
export const WHOLE_TEXT_KINDS = new Set(['alembic', 'django', 'python', 'unknown']);

/** File extension of a path, lower-cased, with the dot ('' when none). */
export function extOf(path: string): string {
  const name = path.split('/').pop() ?? '';
  const i = name.lastIndexOf('.');
  return i > 0 ? name.slice(i).toLowerCase() : '';
}

/** Cheap pre-filter: text that cannot hold an SQL credential statement (no keyword) is skipped. */
export const SQL_CRED_HINT = /password|passwd|identified|secret|\bpwd\b|_key\b|token/i;

/** How a secret is shown: never the value, at most its first two characters and its length. */
export function maskSecret(secret: string): string {
  const head = secret.length >= 8 ? secret.slice(0, 2) : '';
  return `${head}…(${secret.length} chars)`;
}
