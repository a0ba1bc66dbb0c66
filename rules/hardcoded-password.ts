import { hasNode, names, nodeOffset, rangeVarName, roleName, textMayName, walk } from '../src/sql/ast.js';
import { classifyValue, commentSpans, KV_COMPANION, SQL_CRED_HINT, findSqlPasswords, maskedLine, secretForms, sqlLiterals, sqlTokens, verdictNote, type SqlPasswordHit, type Tok } from '../src/analyze/credentials.js';
import { insertColumns } from '../src/state/index.js';
import type { Report, Rule, Statement } from '../src/types.js';

/** DefElem names whose string value is a secret (role options, FDW server / user mapping OPTIONS). */
const PG_SECRET_OPTIONS = new Set(['password', 'passwd', 'sslpassword', 'secret', 'secret_access_key', 'client_secret', 'private_key_passphrase']);

const WHY = 'anyone who can read the repository, its history, CI logs or the database logs has it; rotate it and pass it in at deploy time instead';

/** What a libpg-query statement is, for the message: `CREATE ROLE app`, `user mapping for app on server s`. */
function pgWhat(pg: any): string {
  if (pg.CreateRoleStmt) {
    const t = pg.CreateRoleStmt.stmt_type === 'ROLESTMT_USER' ? 'USER' : pg.CreateRoleStmt.stmt_type === 'ROLESTMT_GROUP' ? 'GROUP' : 'ROLE';
    return `CREATE ${t} ${pg.CreateRoleStmt.role}`;
  }
  if (pg.AlterRoleStmt) return `ALTER ROLE ${roleName(pg.AlterRoleStmt.role)}`;
  for (const k of ['CreateUserMappingStmt', 'AlterUserMappingStmt'] as const) {
    if (pg[k]) return `${k.startsWith('Create') ? 'CREATE' : 'ALTER'} USER MAPPING for ${roleName(pg[k].user)} on server ${pg[k].servername}`;
  }
  if (pg.CreateForeignServerStmt) return `CREATE SERVER ${pg.CreateForeignServerStmt.servername}`;
  if (pg.AlterForeignServerStmt) return `ALTER SERVER ${pg.AlterForeignServerStmt.servername}`;
  const k = Object.keys(pg)[0] ?? 'statement';
  return k.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}

function message(what: string, keyword: string, value: string, verdict: SqlPasswordHit['verdict'], extra = ''): string {
  const kw = keyword === 'PASSWORD' || keyword === 'SET PASSWORD' ? '' : ` (${keyword})`;
  return `Hardcoded password${kw} in ${what}${extra}: ${WHY}.${verdictNote(verdict, value)}`;
}

/** PostgreSQL: password DefElems anywhere in the tree (role options, OPTIONS lists). */
function checkPg(stmt: Statement, report: (r: Report) => void): void {
  if (!hasNode(stmt.pg, 'DefElem')) return;
  let n = 0;
  walk(stmt.pg, (k, v) => {
    if (k !== 'DefElem' || !PG_SECRET_OPTIONS.has(String(v.defname).toLowerCase())) return;
    const value: string | undefined = v.arg?.String?.sval;
    if (value === undefined) return; // PASSWORD NULL
    const verdict = classifyValue(value, 'code');
    if (verdict === 'placeholder') return;
    // The literal: the first string token at or after the option's location.
    const from = nodeOffset(stmt, v.location) ?? 0;
    const lit = sqlTokens(stmt.text.slice(from), 'postgresql').find((t) => t.type === 'string');
    const start = lit ? from + lit.start : from;
    const innerStart = lit ? from + (lit.innerStart ?? lit.start) : from;
    const innerEnd = lit ? from + (lit.innerEnd ?? lit.end) : from;
    const raw = lit ? stmt.text.slice(innerStart, innerEnd) : undefined;
    const kw = String(v.defname).toLowerCase() === 'password' && (stmt.pg!.CreateRoleStmt || stmt.pg!.AlterRoleStmt) ? 'PASSWORD' : `OPTIONS ${v.defname}`;
    report({
      message: message(pgWhat(stmt.pg), kw, value, verdict, stmt.nested ? ` (inside a ${stmt.nested.kind === 'do' ? 'DO block' : `${stmt.nested.kind}${stmt.nested.name ? ` ${stmt.nested.name}` : ''}`})` : ''),
      offset: start,
      secrets: secretForms(value, raw),
      key: `${v.defname}:${n++}`,
      snippet: maskedLine(stmt.unit.text, stmt.start + start, [{ start: stmt.start + innerStart, end: stmt.start + innerEnd }]),
      down: false,
    });
  });
}

/** Every other dialect, and statements no parser accepted: credential statements by tokens. */
function checkTokens(stmt: Statement, report: (r: Report) => void, unparsed: boolean): void {
  if (!SQL_CRED_HINT.test(stmt.text)) return;
  const hits = findSqlPasswords(stmt.text, stmt.dialect, { bodies: true });
  hits.forEach((h, i) => {
    report({
      message: message(h.what, h.keyword, h.value, h.verdict, `${h.bare ? ' (unquoted)' : ''}${unparsed ? ' (statement not parsed)' : ''}`),
      offset: h.start,
      secrets: secretForms(h.value, h.raw),
      key: `${h.keyword}:${i}`,
      snippet: maskedLine(stmt.unit.text, stmt.start + h.start, [{ start: stmt.start + h.innerStart, end: stmt.start + h.innerEnd }]),
      down: false,
    });
  });
}

// ---- Seeded account passwords: INSERT/UPDATE of a literal into a password column ----------------

/** Column names that hold an account's password or its hash (lower-case, unquoted). */
const PASSWORD_COLUMNS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passwordhash',
  'password_hash',
  'hashed_password',
  'encrypted_password',
  'crypted_password',
  'password_digest',
  'pass_hash',
  'pw_hash',
  'user_password',
  'admin_password',
  'userpassword',
  'password_encrypted',
  'password_crypt',
]);
/** Functions whose first argument is the plain-text password: crypt('pw', gen_salt('bf')), PASSWORD('pw'). */
const HASH_FUNCS = new Set(['crypt', 'md5', 'sha1', 'sha2', 'sha224', 'sha256', 'sha384', 'sha512', 'digest', 'hmac', 'password', 'encode']);
const NOT_SECRET = /^(|t|f|true|false|yes|no|on|off|null)$/i;
const HASH_FORMAT = /^(\$2[abxy]?\$\d+\$|\$argon2|\$scrypt\$|\$pbkdf2|pbkdf2_sha\d+\$|\$[156]\$|\{S?SHA\d*\}|sha1\$|md5[0-9a-f]{32}$|SCRAM-SHA-256\$|[0-9a-f]{32}$|[0-9a-f]{40}$|[0-9a-f]{64}$|[0-9a-f]{128}$)/i;

interface Seeded {
  table: string;
  column: string;
  value: string;
  /** pg: byte location of the literal; nsp: undefined (found by tokens). */
  location?: number;
  viaFunction?: string;
}

function pgSeedValue(node: any): Omit<Seeded, 'table' | 'column'> | undefined {
  const c = node?.A_Const ?? node?.TypeCast?.arg?.A_Const;
  if (c?.sval) return { value: c.sval.sval ?? '', location: c.location };
  const f = node?.FuncCall;
  if (f) {
    const fn = names(f.funcname).toLowerCase().split('.').pop() ?? '';
    const a = f.args?.[0]?.A_Const ?? f.args?.[0]?.TypeCast?.arg?.A_Const;
    if (HASH_FUNCS.has(fn) && a?.sval) return { value: a.sval.sval ?? '', location: a.location, viaFunction: fn };
  }
  return undefined;
}

function pgSeeded(stmt: Statement, pg: any): Seeded[] {
  const out: Seeded[] = [];
  const col = (n: string | undefined) => (n ?? '').toLowerCase();
  if (pg.InsertStmt) {
    const ins = pg.InsertStmt;
    const table = rangeVarName(ins.relation);
    const lists: any[][] = (ins.selectStmt?.SelectStmt?.valuesLists ?? []).map((row: any) => row?.List?.items ?? []);
    // No column list: the table's columns in order, as the schema state knows them.
    const cols: string[] = insertColumns(stmt, table, (ins.cols ?? []).map((c: any) => c?.ResTarget?.name ?? ''), lists).map(col);
    for (const items of lists) {
      items.forEach((item: any, i: number) => {
        if (!PASSWORD_COLUMNS.has(cols[i] ?? '')) return;
        const v = pgSeedValue(item);
        if (v) out.push({ table, column: cols[i], ...v });
      });
    }
  } else if (pg.UpdateStmt) {
    const table = rangeVarName(pg.UpdateStmt.relation);
    for (const t of pg.UpdateStmt.targetList ?? []) {
      const name = col(t?.ResTarget?.name);
      if (!PASSWORD_COLUMNS.has(name)) continue;
      const v = pgSeedValue(t.ResTarget.val);
      if (v) out.push({ table, column: name, ...v });
    }
  }
  return out;
}

function nspSeedValue(v: any): Omit<Seeded, 'table' | 'column'> | undefined {
  if (!v) return undefined;
  if (typeof v.value === 'string' && /string/.test(String(v.type))) return { value: v.value };
  if (v.type === 'function') {
    const fn = String(v.name?.name?.[0]?.value ?? v.name ?? '').toLowerCase();
    const a = v.args?.value?.[0];
    if (HASH_FUNCS.has(fn) && a && typeof a.value === 'string' && /string/.test(String(a.type))) return { value: a.value, viaFunction: fn };
  }
  return undefined;
}

function nspSeeded(stmt: Statement, ast: any): Seeded[] {
  const out: Seeded[] = [];
  const name = (c: any) => String(typeof c === 'string' ? c : (c?.column?.expr?.value ?? c?.column ?? c?.value ?? '')).toLowerCase();
  const table = String(ast?.table?.[0]?.table ?? '?');
  if (ast?.type === 'insert' || ast?.type === 'replace') {
    const rows = ast.values?.values ?? (Array.isArray(ast.values) ? ast.values : []);
    const cols: string[] = insertColumns(stmt, table, (ast.columns ?? []).map(name), rows.map((r: any) => r?.value ?? [])).map((c) => c.toLowerCase());
    for (const row of rows) {
      (row?.value ?? []).forEach((item: any, i: number) => {
        if (!PASSWORD_COLUMNS.has(cols[i] ?? '')) return;
        const v = nspSeedValue(item);
        if (v) out.push({ table, column: cols[i], ...v });
      });
    }
  } else if (ast?.type === 'update') {
    for (const s of ast.set ?? []) {
      const c = name(s.column);
      if (!PASSWORD_COLUMNS.has(c)) continue;
      const v = nspSeedValue(s.value);
      if (v) out.push({ table, column: c, ...v });
    }
  }
  return out;
}

/** An account seeded with a fixed password: reported as a warning (test/dev seeds are common). */
function checkSeeded(stmt: Statement, report: (r: Report) => void): void {
  const seeded = stmt.pg ? pgSeeded(stmt, stmt.pg) : stmt.ast ? nspSeeded(stmt, stmt.ast) : [];
  let searchFrom = 0;
  seeded.forEach((s, i) => {
    if (NOT_SECRET.test(s.value.trim()) || classifyValue(s.value, 'code') === 'placeholder') return;
    const toks = sqlTokens(stmt.text, stmt.dialect);
    const off = s.location !== undefined ? nodeOffset(stmt, s.location) : undefined;
    const lit =
      off !== undefined
        ? toks.find((t) => t.start === off && t.type === 'string')
        : toks.find((t) => t.start >= searchFrom && t.type === 'string' && t.value === s.value);
    if (lit) searchFrom = lit.end;
    const start = lit?.start ?? off ?? 0;
    const raw = lit ? stmt.text.slice(lit.innerStart ?? lit.start, lit.innerEnd ?? lit.end) : undefined;
    const hash = !s.viaFunction && HASH_FORMAT.test(s.value);
    const plain = !hash && !s.viaFunction && classifyValue(s.value, 'code') === 'secret';
    const what = hash ? 'a fixed password hash' : s.viaFunction ? `a plain-text password (hashed by ${s.viaFunction}() at run time)` : 'a fixed plain-text password';
    report({
      message:
        `Seeds ${what} into ${s.table}.${s.column}: an account with a committed, known password (a default login once the repository ` +
        `or the seed is public). Make sure it is a development seed, or have the password set and rotated at deploy time.${verdictNote(classifyValue(s.value, 'code'), s.value)}` +
        (plain ? ' A plain-text password stored as it is: the credential itself is in the repository.' : ''),
      // A hash or a value hashed at run time is a known login on a dev seed (warning); the plain
      // text itself stored in a password column is the credential, committed (gates).
      severity: plain ? undefined : 'warning',
      offset: start,
      secrets: secretForms(s.value, raw),
      key: `seed:${s.column}:${i}`,
      snippet: lit
        ? maskedLine(stmt.unit.text, stmt.start + lit.start, [{ start: stmt.start + (lit.innerStart ?? lit.start), end: stmt.start + (lit.innerEnd ?? lit.end) }])
        : undefined,
      down: false,
    });
  });
}

/**
 * `format('CREATE ROLE %I LOGIN PASSWORD %L', 'app', 'pw')` (often inside `EXECUTE`): the literal
 * argument that lands after PASSWORD / IDENTIFIED BY. Placeholders are counted as PostgreSQL's
 * format() reads them (%s, %I, %L, %% for a percent sign, %n$ for an explicit argument).
 */
function formatPasswords(text: string, dialect: Statement['dialect'], base: number, depth = 0): Array<{ tok: Tok; start: number }> {
  const out: Array<{ tok: Tok; start: number }> = [];
  const toks = sqlTokens(text, dialect).filter((t) => t.type !== 'comment');
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (t.dollar && depth < 4 && t.innerStart !== undefined) {
      out.push(...formatPasswords(t.value, dialect, base + t.innerStart, depth + 1));
      continue;
    }
    if (!(t.type === 'word' && t.value === 'FORMAT' && toks[k + 1]?.text === '(' && toks[k + 2]?.type === 'string')) continue;
    const fmt = toks[k + 2].value;
    if (!/\b(password|identified\s+by)\b/i.test(fmt)) continue;
    // Arguments after the format string, at depth 0 of this call.
    const args: Tok[][] = [];
    let depthP = 0;
    let cur: Tok[] | undefined;
    for (let j = k + 3; j < toks.length; j++) {
      const x = toks[j];
      if (x.text === '(') depthP++;
      if (x.text === ')') {
        if (depthP === 0) break;
        depthP--;
      }
      if (depthP === 0 && x.text === ',') {
        cur = [];
        args.push(cur);
        continue;
      }
      cur?.push(x);
    }
    let next = 0;
    const re = /%%|%(?:(\d+)\$)?-?\d*([sIL])/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(fmt))) {
      if (m[0] === '%%') continue;
      const idx = m[1] ? Number(m[1]) - 1 : next;
      next = idx + 1;
      if (!/\b(password|identified\s+by)\s*['"]?$/i.test(fmt.slice(0, m.index))) continue;
      const arg = args[idx];
      if (arg?.length === 1 && arg[0].type === 'string') out.push({ tok: arg[0], start: base + arg[0].start });
    }
  }
  return out;
}

// `password=hunter2`, `pwd: 'x'`: a credential written as key=value (or key: value) in a comment or
// a string literal. With connection keys beside it (host=, user=, …) it is a connection string:
// connection-string-password reports those. An unquoted value that reads as prose or as code (a
// lower-case word, a snake_case name, a call, a bind variable) is not taken for a password: a
// real one has a digit, a capital or a symbol; a quoted value is taken as written.
const KV_PASSWORD = /(?<![A-Za-z0-9])(password|passwd|pwd)\s*[:=]\s*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s'",;()\[\]{}]+))/gi;
const SQL_TEXT = /^\s*(select|insert|update|delete|merge|alter|create|drop|grant|revoke|set|do|call|execute|with)\b/i;

interface KvHit {
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
  value: string;
  keyword: string;
}

function kvPasswords(text: string): KvHit[] {
  const out: KvHit[] = [];
  for (const m of text.matchAll(KV_PASSWORD)) {
    const quoted = m[2] ?? m[3];
    const value = quoted ?? m[4] ?? '';
    const start = m.index!;
    const end = start + m[0].length;
    if (!value.trim()) continue;
    if (quoted === undefined) {
      if (text[end] === '(' || /^[$:@?&%<{]/.test(value)) continue; // a call, a variable, a template
      if (!/[0-9A-Z]|[^A-Za-z0-9_]/.test(value.slice(1)) || /^[a-z]+(_[a-z0-9]+)+$/.test(value)) continue;
    }
    const lineStart = text.lastIndexOf('\n', start) + 1;
    const lineEnd = text.indexOf('\n', end);
    if (KV_COMPANION.test(text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd))) continue; // connection-string-password's
    const valueEnd = end - (quoted !== undefined ? 1 : 0);
    out.push({ start, end, valueStart: valueEnd - value.length, valueEnd, value, keyword: m[1].toLowerCase() });
  }
  return out;
}

const rule: Rule = {
  meta: {
    id: 'hardcoded-password',
    category: 'credential',
    severity: 'error',
    summary: 'Password written into SQL: CREATE/ALTER ROLE/USER … PASSWORD, IDENTIFIED BY, SET PASSWORD, OPTIONS (password …)',
    rationale:
      'A password in a migration is committed to the repository for good: everyone with read access, every fork and clone, CI logs and the ' +
      'database server log (statements are logged with their literals) has it. Password hashes (`md5…`, `SCRAM-SHA-256$…`, MySQL `*…`) ' +
      'count too: md5 hashes authenticate as they are and the others can be cracked offline. Reported in down migrations as well, and ' +
      'in comments: the secret is in the file either way. Accounts seeded with a fixed password (`INSERT INTO users (…, password) ' +
      "VALUES (…, '$2b$…')`, `crypt('pw', gen_salt('bf'))`) are reported as warnings: development seeds are common, but in a " +
      'production migration they are a known default login.',
    fix:
      'Remove the password from the migration and rotate it. Create the role without one (or `PASSWORD NULL`) and set it at deploy time ' +
      "from a secret store (psql `\\password`, `ALTER ROLE … PASSWORD :'pw'` with a variable, or your platform's secret manager).",
    examples: {
      bad: [
        { sql: "CREATE ROLE app WITH LOGIN PASSWORD 'Sup3r-Secret!';" },
        { sql: "ALTER USER app ENCRYPTED PASSWORD 'md5a3556571e93b0d20722ba62be61e8c2d';" },
        { sql: "CREATE USER MAPPING FOR app SERVER remote OPTIONS (user 'bob', password 'bobs-pw-2024');" },
        // The option's name spelled with Unicode escapes: PostgreSQL reads password.
        { sql: "CREATE USER MAPPING FOR app SERVER remote OPTIONS (user 'bob', U&\"p\\0061ssword\" 'bobs-pw-2024');" },
        { sql: "CREATE USER 'app'@'%' IDENTIFIED BY 'Sup3r-Secret!';", dialect: 'mysql' },
        { sql: "ALTER USER 'app'@'%' IDENTIFIED WITH caching_sha2_password BY 'Sup3r-Secret!';", dialect: 'mysql' },
        { sql: "SET PASSWORD FOR 'app'@'%' = 'Sup3r-Secret!';", dialect: 'mysql' },
        { sql: "CREATE ROLE app LOGIN PASSWORD 'changeme';" },
        { sql: "-- ALTER ROLE app PASSWORD 'old-Secret-9';\nSELECT 1;" },
        { sql: "DO $$ BEGIN CREATE ROLE app LOGIN PASSWORD 'in-a-DO-block'; END $$;" },
        { sql: "INSERT INTO users (name, password) VALUES ('admin', '$2b$10$BUli0c.muyCW1ErNJc3jL.vFRFtFJWrT8/GcR4A.sUdCznaXiqFXa');" },
        { sql: "UPDATE auth.users SET encrypted_password = crypt('admin123', gen_salt('bf')) WHERE email = 'a@b.c';" },
        { sql: 'from alembic import op\nimport sqlalchemy as sa\nrevision = "1"\ndown_revision = None\nusers = sa.table("users", sa.column("email"), sa.column("password"))\n\ndef upgrade():\n    op.bulk_insert(users, [{"email": "a@b.c", "password": "Pl4in-Text-pw"}])\n', path: 'migrations/versions/1_seed.py' },
        { sql: "DO $$ BEGIN EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', 'app', 'Fmt-Secret-42'); END $$;" },
        { sql: "SELECT format('ALTER ROLE %2$I PASSWORD %1$L', 'Fmt-Secret-42', 'app');" },
        { sql: '-- admin login: password=hunter2\nSELECT 1;' },
        { sql: "COMMENT ON ROLE reporting IS 'shared account, pwd: Rep0rts!';" },
        { sql: "INSERT INTO notes (body) VALUES ('vault fallback password = \"s3cr3t-vault\"');" },
      ],
      good: [
        { sql: 'CREATE ROLE app WITH LOGIN PASSWORD NULL;' },
        { sql: "ALTER ROLE app PASSWORD :'app_password';" },
        { sql: "CREATE ROLE app LOGIN PASSWORD '${APP_PASSWORD}';" },
        { sql: 'CREATE TABLE users (id int, password_hash text NOT NULL);' },
        { sql: "INSERT INTO settings(name) VALUES ('password_min_length');" },
        { sql: "COMMENT ON COLUMN users.password IS 'bcrypt hash';" },
        { sql: "UPDATE users SET password = NULL WHERE id = 1;" },
        { sql: 'ALTER USER app PASSWORD EXPIRE INTERVAL 90 DAY;', dialect: 'mysql' },
        { sql: "-- CREATE USER app PASSWORD '<password>';\nSELECT 1;" },
        { sql: "INSERT INTO harbor_user (username, password) VALUES ('admin', '');" },
        { sql: "UPDATE harbor_user SET password_version = 'sha1';" },
        { sql: "DO $$ BEGIN EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', 'app', current_setting('app.pw')); END $$;" },
        { sql: "-- password: hashed with bcrypt before insert\n-- reset: password = new_password\nSELECT 1;" },
        { sql: "COMMENT ON COLUMN users.password IS 'password=<set at deploy time>';" },
        { sql: '-- stored as password=crypt(…) with a per-row salt\nSELECT 1;' },
        { sql: "-- password=${DB_PASSWORD}\nSELECT 1;" },
      ],
    },
  },
  check(stmt, { report }) {
    if (stmt.meta) return;
    if (stmt.pg) {
      if (textMayName(stmt.text, SQL_CRED_HINT)) checkPg(stmt, report);
    }
    else checkTokens(stmt, report, false);
    checkSeeded(stmt, report);
  },
  unparsed(stmt, { report }) {
    checkTokens(stmt, report, true);
  },
  scanText(unit, { report }) {
    // Comments: the statements above never see them, and a commented-out password is still committed.
    let n = 0;
    if (!SQL_CRED_HINT.test(unit.text)) return;
    if (/format\s*\(/i.test(unit.text)) {
      for (const { tok, start } of formatPasswords(unit.text, unit.dialect, 0)) {
        const verdict = classifyValue(tok.value, 'code');
        if (verdict === 'placeholder') continue;
        const innerStart = start - tok.start + (tok.innerStart ?? tok.start);
        const innerEnd = start - tok.start + (tok.innerEnd ?? tok.end);
        report({
          message: message('a role statement built with format()', 'format() argument after PASSWORD', tok.value, verdict),
          unitOffset: start,
          unitEnd: start + (tok.end - tok.start),
          secrets: secretForms(tok.value, unit.text.slice(innerStart, innerEnd)),
          key: `format:${n++}`,
          snippet: maskedLine(unit.text, start, [{ start: innerStart, end: innerEnd }]),
          down: false,
        });
      }
    }
    const kvReport = (h: KvHit, base: number, where: string, raw: string) => {
      const value = h.value;
      const verdict = classifyValue(value, 'doc');
      if (verdict === 'placeholder') return;
      const span = { start: base + h.valueStart, end: base + h.valueEnd };
      report({
        message: message(where, `${h.keyword}=…`, value, verdict),
        unitOffset: base + h.start,
        unitEnd: base + h.end,
        secrets: secretForms(value, raw),
        key: `kv:${n++}`,
        snippet: maskedLine(unit.text, base + h.start, [span]),
        down: false,
      });
    };
    // String literals as the server reads them (a COMMENT ON … IS '…', a value stored in a row).
    if (/(passw(or)?d|pwd)\s*[:=]/i.test(unit.text)) {
      for (const t of sqlLiterals(unit.text, unit.dialect)) {
        // Dollar-quoted bodies and SQL in a literal (EXECUTE '…') are code: they are read as nested
        // statements, whose own checks report a password set there (comments in bodies: below).
        if (t.type !== 'string' || t.dollar || !/(passw(or)?d|pwd)\s*[:=]/i.test(t.value) || SQL_TEXT.test(t.value)) continue;
        const at = t.innerStart ?? t.start;
        const exact = t.value === unit.text.slice(at, t.innerEnd ?? t.end);
        for (const h of kvPasswords(t.value)) {
          // Where the literal's text differs from its value (escapes, doubled quotes), the whole literal is the place.
          const place = exact ? h : { ...h, start: 0, end: (t.innerEnd ?? t.end) - at, valueStart: 0, valueEnd: (t.innerEnd ?? t.end) - at };
          kvReport(place, at, 'a string literal', exact ? h.value : unit.text.slice(at, t.innerEnd ?? t.end));
        }
      }
    }
    for (const c of commentSpans(unit.text, unit.dialect)) {
      if (!SQL_CRED_HINT.test(unit.text.slice(c.start, c.end))) continue;
      const raw = unit.text.slice(c.start, c.end);
      const lead = /^(--|#|\/\*)/.exec(raw)?.[0].length ?? 0;
      const trail = raw.endsWith('*/') && lead === 2 && raw.startsWith('/*') ? 2 : 0;
      const inner = raw.slice(lead, raw.length - trail);
      const sqlForms = findSqlPasswords(inner, unit.dialect, { anywhere: true, ctx: 'doc' });
      // key=value credentials the SQL forms above did not already cover (`SET PASSWORD = '…'`).
      for (const h of kvPasswords(inner)) if (!sqlForms.some((x) => x.start < h.end && h.start < x.end)) kvReport(h, c.start + lead, 'a comment', h.value);
      for (const h of sqlForms) {
        const start = c.start + lead + h.start;
        const end = c.start + lead + h.end;
        const span = { start: c.start + lead + h.innerStart, end: c.start + lead + h.innerEnd };
        report({
          message: message(`${h.what} written in a comment`, h.keyword, h.value, h.verdict),
          unitOffset: start,
          unitEnd: end,
          secrets: secretForms(h.value, h.raw),
          key: `comment:${n++}`,
          snippet: maskedLine(unit.text, start, [span]),
          down: false,
        });
      }
    }
  },
};
export default rule;
