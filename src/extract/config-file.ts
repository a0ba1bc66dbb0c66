// Config files that may hold database credentials (alembic.ini, .env, schema.prisma, flyway.conf,
// liquibase.properties, atlas.hcl, config/database.yml, knexfile.*, ormconfig.*, drizzle.config.*,
// appsettings*.json, application*.{properties,yml,yaml}). The file is read into key/value leaves
// with their offsets (YAML and JSON with the `yaml` parser; ini, properties, .env, TOML, HCL,
// Prisma and JS/TS config files are line formats or read by pattern), then classified: a password
// under a password-like key, a connection string with a password anywhere in the text, or a
// well-known token format. The result goes to `ex.facts.config` for the config-credential rule.
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair } from 'yaml';
import { classifyValue, findConnectionStrings, findTokens, type Verdict } from '../analyze/credentials.js';
import type { Extracted } from '../types.js';

export type ConfigFormat = 'env' | 'ini' | 'properties' | 'yaml' | 'json' | 'toml' | 'hcl' | 'prisma' | 'js' | 'pgpass' | 'text';

export interface ConfigEntry {
  kind: 'password' | 'connection-string' | 'token';
  /** Key path (`spring.datasource.password`, `DATABASE_URL`), '' when found outside any key. */
  key: string;
  /** For messages: the URL scheme or key of a connection string, the token format. */
  label: string;
  verdict: Verdict;
  /** The secret as decoded, and as written in the file (both are redacted from the output). */
  value: string;
  raw: string;
  /** Offsets of the value in the file text, and its 1-based position. */
  start: number;
  end: number;
  line: number;
  column: number;
  /** A well-known default for a local database in a file meant for local development (a warning). */
  localDefault?: boolean;
  /** A test-mode or obviously fake token in an example/template file (a warning). */
  fakeToken?: boolean;
  /** In an example/template file (`.env.example`, `*.sample.*`): values there are usually placeholders. */
  example: boolean;
  publicByDesign?: boolean;
}

export interface ConfigFacts {
  format: ConfigFormat;
  /** Credentials found, placeholders included (verdict `placeholder`), in file order. */
  entries: ConfigEntry[];
  /** Prisma datasource URLs: `env` (read from the environment) or `literal`. */
  datasources?: Array<{ key: string; source: 'env' | 'literal'; line: number }>;
}

/** A key/value read from the file: `start`/`end` are the offsets of the value without its quotes. */
interface Leaf {
  key: string;
  value: string;
  start: number;
  end: number;
}

export function configFormat(path: string): ConfigFormat {
  const name = (path.split('/').pop() ?? '').toLowerCase();
  if (/^\.env(\.|$)/.test(name) || name === 'ormconfig.env') return 'env';
  if (name === '.pgpass') return 'pgpass';
  // sqitch.conf is git-config syntax (`[target "prod"]`, `uri = …`); my.cnf is ini: both read as ini.
  if (name.endsWith('.ini') || name.endsWith('.cnf') || name === 'sqitch.conf') return 'ini';
  if (name === 'schema.prisma') return 'prisma';
  if (/\.(conf|properties)$/.test(name)) return 'properties';
  if (name.endsWith('.toml')) return 'toml';
  if (name.endsWith('.hcl')) return 'hcl';
  if (/\.ya?ml$/.test(name)) return 'yaml';
  if (name.endsWith('.json')) return 'json';
  if (/\.[cm]?[jt]s$/.test(name)) return 'js';
  return 'text';
}

/**
 * Files meant for local development (Docker Compose files, `.env.local`, `.env.development`,
 * `.env.test`): a well-known default there (`postgres:postgres@localhost`) is the local throwaway
 * database's, not a leaked production credential.
 */
export function isLocalDevFile(path: string): boolean {
  const name = (path.split('/').pop() ?? '').toLowerCase();
  return /^(docker-)?compose[^/]*\.ya?ml$/.test(name) || /^\.env\.(local|dev|development|test|testing|ci)$/.test(name) || /(^|[._-])(local|dev|development|test)([._-])/.test(name);
}

/** A host that is this machine or a Compose service name (no dots): a local database. */
export function isLocalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/:\d+$/, '');
  return h === 'localhost' || h === '127.0.0.1' || h === '::1' || h === '[::1]' || h === '0.0.0.0' || h === 'host.docker.internal' || /^[a-z][a-z0-9_-]*$/.test(h);
}

/** Test-mode or obviously fake token values (`sk_test_…`, `…xxxx…`, `…0000…`). */
export function isTestOrFakeToken(value: string): boolean {
  return /^(sk|pk|rk)_test_/.test(value) || /(x{6,}|X{6,}|0{8,}|\*{4,}|(.)\2{7,})/.test(value) || /example|dummy|placeholder|changeme|your[_-]?/i.test(value);
}

/** Example and template files: their values are meant to be replaced. */
export function isExampleFile(path: string): boolean {
  const name = (path.split('/').pop() ?? '').toLowerCase();
  return /(^|[._-])(example|examples|sample|template|tmpl|dist|default|defaults)([._-]|$)/.test(name);
}

/** Keys whose value is a secret. Compared lower-cased on the last key segment. */
const SECRET_KEY =
  /(^|[._-])(pass|passwd|password|pwd|passphrase|secret|secret[_-]?key(?:[_-]?base)?|private[_-]?key|api[_-]?key|access[_-]?key[_-]?secret|secret[_-]?access[_-]?key|(?:access|auth|api|bearer|refresh)[_-]?token|token|client[_-]?secret)$|[a-z0-9](password|passwd|secret|token|apikey|secretkey|privatekey|passphrase)$/;
const NOT_A_SECRET_VALUE = /^(true|false|yes|no|on|off|~|null|nil|none)$/i;

export function isSecretKey(key: string): boolean {
  const seg = (key.split('.').pop() ?? key).toLowerCase();
  return SECRET_KEY.test(seg);
}

// ---------------------------------------------------------------------------------------------
// Readers
// ---------------------------------------------------------------------------------------------

/** A quoted or bare value starting at `i` on a line; returns content offsets and decoded value. */
function lineValue(text: string, i: number, lineEnd: number, commentChars: string): { start: number; end: number; value: string } {
  while (i < lineEnd && (text[i] === ' ' || text[i] === '\t')) i++;
  const q = text[i];
  if (q === '"' || q === "'" || q === '`') {
    // Double quotes may span lines in .env files (a private key); look for the closing quote.
    let j = i + 1;
    while (j < text.length && text[j] !== q) {
      if (text[j] === '\\' && q !== "'") j++;
      else if (text[j] === '\n' && q === "'") break;
      j++;
    }
    const end = Math.min(j, text.length);
    const raw = text.slice(i + 1, end);
    const value = q === '"' ? raw.replace(/\\(["\\$`])/g, '$1').replace(/\\n/g, '\n') : raw;
    return { start: i + 1, end, value };
  }
  let end = lineEnd;
  for (let j = i; j < lineEnd; j++) {
    // An inline comment needs whitespace before it (`pa#ss` is a value).
    if (commentChars.includes(text[j]) && (j === i || /\s/.test(text[j - 1]))) {
      end = j;
      break;
    }
  }
  while (end > i && /\s/.test(text[end - 1])) end--;
  if (text[end - 1] === '\r') end--;
  return { start: i, end, value: text.slice(i, end) };
}

function eachLine(text: string, fn: (start: number, end: number, line: string) => void): void {
  let i = 0;
  while (i <= text.length) {
    let e = text.indexOf('\n', i);
    if (e < 0) e = text.length;
    fn(i, e, text.slice(i, e));
    i = e + 1;
  }
}

function readEnv(text: string): Leaf[] {
  const out: Leaf[] = [];
  eachLine(text, (s, e, line) => {
    const m = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)(\s*=)/.exec(line);
    if (!m) return;
    const v = lineValue(text, s + m[0].length, e, '#');
    out.push({ key: m[2], ...v });
  });
  return out;
}

/** ini (alembic.ini) and Java properties (flyway.conf, liquibase.properties, application.properties). */
function readKeyValueLines(text: string, ini: boolean): Leaf[] {
  const out: Leaf[] = [];
  let section = '';
  eachLine(text, (s, e, line) => {
    const sec = ini ? /^\s*\[([^\]]+)\]/.exec(line) : null;
    if (sec) {
      section = sec[1].trim();
      return;
    }
    if (/^\s*([#;!]|$)/.test(line)) return;
    const m = /^(\s*)([^=:\s][^=:]*?)(\s*[=:]\s*|\s+)/.exec(line);
    if (!m) return;
    const key = m[2].trim();
    const v = lineValue(text, s + m[0].length, e, ini ? '#;' : '');
    // Properties values are not quoted: the quotes are part of the value.
    const leaf = ini ? { key: section && section !== 'DEFAULT' ? `${section}.${key}` : key, ...v } : { key, start: s + m[0].length, end: v.end, value: text.slice(s + m[0].length, v.end) };
    out.push(leaf);
  });
  return out;
}

/**
 * Connection strings that become whole only after ConfigParser's `%(name)s` interpolation
 * (https://docs.python.org/3/library/configparser.html#configparser.BasicInterpolation): each
 * password found is reported at the key whose value supplied it. `%(here)s` (Alembic's own
 * default) and unresolved names stay as they are.
 */
function interpolatedPasswords(leaves: Leaf[]): Array<Omit<ConfigEntry, 'line' | 'column' | 'example'>> {
  const out: Array<Omit<ConfigEntry, 'line' | 'column' | 'example'>> = [];
  const sectionOf = (k: string) => (k.includes('.') ? k.slice(0, k.indexOf('.')) : '');
  const byKey = new Map(leaves.map((l) => [l.key.toLowerCase(), l]));
  for (const l of leaves) {
    if (!l.value.includes('%(')) continue;
    const section = sectionOf(l.key);
    // The interpolated text, and which referenced leaf each piece of it came from.
    const pieces: Array<{ from: number; to: number; leaf?: Leaf }> = [];
    let text = '';
    let last = 0;
    for (const m of l.value.matchAll(/%\(([^)]+)\)s|%%/g)) {
      text += l.value.slice(last, m.index);
      last = m.index! + m[0].length;
      if (m[0] === '%%') {
        text += '%';
        continue;
      }
      const name = m[1].toLowerCase();
      const ref = byKey.get(section ? `${section}.${name}` : name) ?? byKey.get(name);
      if (!ref || ref.value.includes('%(')) {
        text += m[0];
        continue;
      }
      pieces.push({ from: text.length, to: text.length + ref.value.length, leaf: ref });
      text += ref.value;
    }
    text += l.value.slice(last);
    if (!pieces.length) continue;
    for (const h of findConnectionStrings(text)) {
      const p = pieces.find((x) => h.start >= x.from && h.end <= x.to);
      if (!p?.leaf) continue;
      const start = p.leaf.start + (h.start - p.from);
      out.push({ kind: 'connection-string', key: l.key, label: h.form === 'url' ? `${h.label}:// (through %(…)s)` : `${h.label}= (through %(…)s)`, verdict: h.verdict, value: h.value, raw: h.raw, start, end: start + h.raw.length });
    }
  }
  return out;
}

/**
 * libpq's password file: `hostname:port:database:username:password` per line, `\:` and `\\`
 * escaped, `#` comments (https://www.postgresql.org/docs/current/libpq-pgpass.html).
 */
function readPgpass(text: string): Leaf[] {
  const out: Leaf[] = [];
  eachLine(text, (s, _e, line) => {
    if (/^\s*(#|$)/.test(line)) return;
    let field = 0;
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '\\') i++;
      else if (line[i] === ':' && ++field === 4) {
        const start = s + i + 1;
        const raw = line.slice(i + 1).replace(/\r$/, '');
        out.push({ key: 'password', start, end: start + raw.length, value: raw.replace(/\\(.)/g, '$1') });
        return;
      }
    }
  });
  return out;
}

/** TOML, HCL and Prisma: `key = "value"` lines (tables and blocks give the key's prefix in TOML). */
function readAssignLines(text: string, toml: boolean): Leaf[] {
  const out: Leaf[] = [];
  let table = '';
  eachLine(text, (s, e, line) => {
    const t = toml ? /^\s*\[\[?([^\]]+)\]\]?/.exec(line) : null;
    if (t) {
      table = t[1].trim().replace(/["']/g, '');
      return;
    }
    const m = /^(\s*)(["']?)([A-Za-z0-9_.-]+)\2(\s*=\s*)(?=["'])/.exec(line);
    if (!m) return;
    if (toml && text.startsWith('"""', s + m[0].length)) {
      const close = text.indexOf('"""', s + m[0].length + 3);
      const start = s + m[0].length + 3;
      const end = close < 0 ? text.length : close;
      out.push({ key: table ? `${table}.${m[3]}` : m[3], start, end, value: text.slice(start, end) });
      return;
    }
    const v = lineValue(text, s + m[0].length, e, '#');
    out.push({ key: toml && table ? `${table}.${m[3]}` : m[3], ...v });
  });
  return out;
}

/** JS/TS config files: string literals under object keys and in assignments, and `|| 'fallback'` defaults. */
function readJs(text: string): Leaf[] {
  const out: Leaf[] = [];
  const str = String.raw`(['"\x60])((?:\\.|(?!\3)[^\\\n])*)\3`;
  const res = [
    new RegExp(String.raw`(?:^|[{,\s(])(['"]?)([A-Za-z_$][\w$-]*)\1\s*:\s*` + str, 'g'),
    new RegExp(String.raw`(?:^|[\s;])()(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*\w+\s*)?=\s*` + str, 'g'),
    new RegExp(String.raw`(?:^|[{,\s(])(['"]?)([A-Za-z_$][\w$-]*)\1\s*[:=][^,\n;{}]*?(?:\|\||\?\?)\s*` + str, 'g'),
  ];
  for (const re of res) {
    for (const m of text.matchAll(re)) {
      const start = m.index! + m[0].length - m[4].length - 1;
      if (out.some((l) => l.start === start)) continue;
      out.push({ key: m[2], start, end: start + m[4].length, value: m[4].replace(/\\(.)/g, '$1') });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Rails database.yml: ERB tags become placeholders (inline) or blanks (whole-line control tags). */
function neutralizeErb(text: string): string {
  return text.replace(/<%[\s\S]*?%>/g, (m, at: number) => {
    const ls = text.lastIndexOf('\n', at - 1) + 1;
    const le = text.indexOf('\n', at + m.length);
    const lineRest = text.slice(ls, le < 0 ? text.length : le);
    if (lineRest.trim() === m.trim() || m.includes('\n')) return m.replace(/[^\n]/g, ' ');
    return m.length >= 5 ? 'tpl_' + 'x'.repeat(m.length - 4) : ' '.repeat(m.length);
  });
}

/** JSON with comments (appsettings.json allows them): comments blanked, offsets kept. */
function blankJsonComments(text: string): string {
  return text.replace(/"(?:[^"\\\n]|\\.)*"|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m) => (m.startsWith('"') ? m : m.replace(/[^\n]/g, ' ')));
}

function readYaml(text: string): { leaves: Leaf[]; error?: { line: number; code: string } } {
  const leaves: Leaf[] = [];
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { uniqueKeys: false, strict: false }) as Document.Parsed[];
  } catch {
    return { leaves, error: { line: 1, code: 'YAML' } };
  }
  if (!Array.isArray(docs)) docs = [docs as unknown as Document.Parsed];
  for (const doc of docs) {
    const err = doc.errors?.[0];
    if (err) return { leaves, error: { line: err.linePos?.[0]?.line ?? 1, code: err.code } };
    walkYaml(doc.contents as Node | null, '', text, leaves);
  }
  return { leaves };
}

function walkYaml(node: Node | null | undefined, key: string, text: string, out: Leaf[]): void {
  if (!node) return;
  if (isMap(node)) {
    for (const p of node.items as Pair[]) {
      const k = isScalar(p.key) ? String(p.key.value) : '?';
      walkYaml(p.value as Node, key ? `${key}.${k}` : k, text, out);
    }
  } else if (isSeq(node)) {
    for (const it of node.items) {
      // Compose `environment:` as a list: `- MYSQL_ROOT_PASSWORD=secret` is key MYSQL_ROOT_PASSWORD.
      const n = it as Node;
      if (isScalar(n) && typeof n.value === 'string' && n.range && /^[A-Za-z_][A-Za-z0-9_.]*=/.test(n.value)) {
        const eq = n.value.indexOf('=');
        const k = n.value.slice(0, eq);
        let start = n.range[0];
        let end = n.range[1];
        const q = text[start];
        if ((q === '"' || q === "'") && text[end - 1] === q) {
          start++;
          end--;
        }
        const vs = text.indexOf('=', start) + 1;
        if (vs > 0 && vs <= end) {
          out.push({ key: key ? `${key}.${k}` : k, start: vs, end, value: n.value.slice(eq + 1) });
          continue;
        }
      }
      walkYaml(n, key, text, out);
    }
  } else if (isScalar(node) && node.range && (typeof node.value === 'string' || typeof node.value === 'number')) {
    let [start, end] = node.range;
    const q = text[start];
    if ((q === '"' || q === "'") && text[end - 1] === q) {
      start++;
      end--;
    }
    out.push({ key, start, end, value: String(node.value) });
  }
}

function readPrisma(text: string, facts: ConfigFacts, lineOf: (o: number) => number): Leaf[] {
  const leaves = readAssignLines(text, false);
  facts.datasources = [];
  for (const m of text.matchAll(/^\s*(url|directUrl|shadowDatabaseUrl)\s*=\s*(env\s*\(|["'])/gm)) {
    facts.datasources.push({ key: m[1], source: m[2].startsWith('env') ? 'env' : 'literal', line: lineOf(m.index! + m[0].indexOf(m[1])) });
  }
  return leaves;
}

// ---------------------------------------------------------------------------------------------

export function extractConfig(ex: Extracted): void {
  const text = ex.text;
  const format = configFormat(ex.path);
  const facts: ConfigFacts = { format, entries: [] };
  ex.facts.config = facts;
  const example = isExampleFile(ex.path);
  let leaves: Leaf[] = [];
  const lineOf = (o: number) => ex.lines.pos(o).line;
  const fallback = () => readKeyValueLines(text, true).concat(readEnv(text));
  switch (format) {
    case 'env':
      leaves = readEnv(text);
      break;
    case 'ini':
      leaves = readKeyValueLines(text, true);
      break;
    case 'pgpass':
      leaves = readPgpass(text);
      break;
    case 'properties':
      leaves = readKeyValueLines(text, false);
      break;
    case 'toml':
      leaves = readAssignLines(text, true);
      break;
    case 'hcl':
      leaves = readAssignLines(text, false);
      break;
    case 'prisma':
      leaves = readPrisma(text, facts, lineOf);
      break;
    case 'js':
      leaves = readJs(text);
      break;
    case 'yaml':
    case 'json': {
      const src = format === 'json' ? blankJsonComments(text) : neutralizeErb(text);
      const r = readYaml(src);
      leaves = r.leaves;
      if (r.error) {
        // Never quote the parser's message: it shows the source line, which may hold the secret.
        ex.notes.push({
          ruleId: 'parse-error',
          line: r.error.line,
          column: 1,
          severity: 'warning',
          message: `Config file could not be parsed as ${format.toUpperCase()} (${r.error.code} at line ${r.error.line}); it was scanned line by line and for connection strings and tokens instead.`,
        });
        leaves = fallback().concat(yamlishLines(text));
      }
      break;
    }
    default:
      ex.notes.push({
        ruleId: 'parse-error',
        line: 1,
        column: 1,
        severity: 'warning',
        message: 'Config file format is not understood; it was scanned as text for passwords, connection strings and tokens only.',
      });
      leaves = fallback().concat(yamlishLines(text));
  }

  const entries: ConfigEntry[] = [];
  const overlaps = (s: number, e: number) => entries.some((x) => x.verdict !== 'placeholder' && s < x.end && e > x.start);
  const add = (x: Omit<ConfigEntry, 'line' | 'column' | 'example'>) => {
    const p = ex.lines.pos(x.start);
    entries.push({ ...x, line: p.line, column: p.column, example });
  };
  const keyAt = (o: number) => leaves.find((l) => o >= l.start && o <= l.end)?.key ?? '';
  // 1. Well-known token formats (first, so a token under `GITHUB_TOKEN=` is named as what it is).
  const ext = (ex.path.split('.').pop() ?? '').toLowerCase();
  for (const h of findTokens(text, `.${ext}`)) {
    add({ kind: 'token', key: keyAt(h.start), label: h.label, verdict: 'secret', value: h.value, raw: h.value, start: h.start, end: h.end, publicByDesign: h.publicByDesign });
  }
  // 2. Passwords under password-like keys.
  for (const l of leaves) {
    if (!isSecretKey(l.key) || NOT_A_SECRET_VALUE.test(l.value.trim())) continue;
    if (entries.some((x) => x.start === l.start) || overlaps(l.start, Math.max(l.end, l.start + 1))) continue;
    const verdict = classifyValue(l.value, 'code');
    add({ kind: 'password', key: l.key, label: l.key, verdict, value: l.value, raw: text.slice(l.start, l.end), start: l.start, end: l.end });
  }
  // 3. Connection strings with a password, anywhere in the text (values, comments, unknown keys).
  for (const h of findConnectionStrings(text)) {
    if (overlaps(h.start, h.end)) continue;
    add({ kind: 'connection-string', key: keyAt(h.start), label: h.form === 'url' ? `${h.label}://` : `${h.label}=`, verdict: h.verdict, value: h.value, raw: h.raw, start: h.start, end: h.end });
  }
  // 4. ini interpolation, as Python's ConfigParser (BasicInterpolation) reads alembic.ini: a URL
  // built from other keys (`sqlalchemy.url = postgresql://app:%(db_pw)s@db/app`) holds the value
  // of the key it names; that key (same section, else [DEFAULT]) is where the password is written.
  if (format === 'ini') {
    for (const e of interpolatedPasswords(leaves)) {
      if (overlaps(e.start, e.end) || entries.some((x) => x.start === e.start)) continue;
      add(e);
    }
  }
  const local = isLocalDevFile(ex.path) && !example; // example files are warnings already
  for (const e of entries) {
    if (e.kind === 'token' && example && isTestOrFakeToken(e.value)) e.fakeToken = true;
    if (e.verdict !== 'default' || !local) continue;
    if (e.kind === 'connection-string') {
      // The host after the password's `@`.
      const host = /@([^/?#\s'"]+)/.exec(text.slice(e.end, e.end + 200))?.[0]?.slice(1) ?? '';
      if (isLocalHost(host)) e.localDefault = true;
    } else e.localDefault = true;
  }
  facts.entries = entries.sort((a, b) => a.start - b.start);
}

/** `key: value` lines of a YAML file that could not be parsed (key paths are the last key only). */
function yamlishLines(text: string): Leaf[] {
  const out: Leaf[] = [];
  eachLine(text, (s, e, line) => {
    const m = /^(\s*-?\s*)(["']?)([A-Za-z0-9_.-]+)\2(\s*:\s+)/.exec(line);
    if (!m) return;
    out.push({ key: m[3], ...lineValue(text, s + m[0].length, e, '#') });
  });
  return out;
}
