import { nodeOffset, rangeVarName, textMayName, walk } from '../src/sql/ast.js';
import { classifyValue, maskedLine, pythonLiteralSpans, secretForms, sqlTokens, verdictNote, type Tok } from '../src/analyze/credentials.js';
import { isSecretKey } from '../src/extract/config-file.js';
import { insertColumns } from '../src/state/index.js';
import type { Report, Rule, Statement } from '../src/types.js';

/** Account password columns: seeded logins are hardcoded-password's (as warnings), not this rule's. */
const ACCOUNT_PASSWORD = /^(password|passwd|pwd|pass|password_?hash|hashed_password|encrypted_password|crypted_password|password_digest|pass_hash|pw_hash|user_?password|admin_password|password_encrypted|password_crypt)$/i;
/** Columns that hold a settings row's value (`UPDATE settings SET value = … WHERE key = 'smtp_password'`). */
const VALUE_COLUMN = /^(value|val|v|data|content|setting|setting_value|config_value|value_text|text_value|string_value|secret|payload)$/i;
const NOT_SECRET = /^(|t|f|true|false|yes|no|on|off|null|none|default|changeme_at_deploy)$/i;

/**
 * A name that holds a secret: `smtp_password`, `app.jwt_secret`, `stripe_api_key`, `webhook_secret`.
 * An account password column (`password`, `password_hash`) is hardcoded-password's; as a key
 * (`key: true`: a settings row's key, a setting, a JSON key) a password under a prefix
 * (`smtp.password`, `mail.pass`) is a service's credential, and in JSON a bare `password` is too.
 */
function secretName(name: string, key: 'column' | 'key' | 'json' = 'column'): boolean {
  const n = name.replace(/["`[\]]/g, '').toLowerCase();
  const last = n.split('.').pop() ?? n;
  const account = ACCOUNT_PASSWORD.test(last) && (key === 'column' || (key === 'key' && !n.includes('.')) || (key === 'json' && /hash|digest|crypt/.test(last)));
  return isSecretKey(n) && !account && !/(^|[._-])(min|max|length|policy|expiry|expires|expiration|ttl|type|hint|reset|rotation|version|salt|algorithm|algo|format|prefix|hash)$/.test(n);
}

/**
 * `'…'`, a cast of one, and a constant decoded in SQL: `decode('…', 'base64' | 'hex')`,
 * `convert_from(decode(…), 'UTF8')`, MySQL `FROM_BASE64('…')` (the value the database stores).
 */
function pgConstText(n: any): { v: string; loc?: number } | undefined {
  const c = n?.A_Const ?? n?.TypeCast?.arg?.A_Const;
  if (c?.sval) return { v: c.sval.sval ?? '', loc: c.location };
  const f = n?.FuncCall ?? n?.TypeCast?.arg?.FuncCall;
  const fn = String(f?.funcname?.[f.funcname.length - 1]?.String?.sval ?? '').toLowerCase();
  if (fn === 'convert_from' && f.args?.length === 2) return pgConstText(f.args[0]);
  if (fn === 'decode' && f.args?.length === 2) {
    const v = pgConstText(f.args[0]);
    const enc = String(f.args[1]?.A_Const?.sval?.sval ?? '').toLowerCase();
    const text = v && decodedText(v.v, enc);
    return text !== undefined ? { v: text, loc: v!.loc } : undefined;
  }
  return undefined;
}

/** base64 / hex text decoded, when the bytes are printable UTF-8 (a password, not binary data). */
function decodedText(s: string, enc: string): string | undefined {
  if (enc !== 'base64' && enc !== 'hex') return undefined;
  if (enc === 'base64' ? !/^[A-Za-z0-9+/\s]+=*$/.test(s) : !/^(?:[0-9a-fA-F]{2})+$/.test(s)) return undefined;
  const text = Buffer.from(s.replace(/\s+/g, ''), enc).toString('utf8');
  return /^[\x20-\x7e]+$/.test(text) ? text : undefined;
}

/** Secret-named keys of a JSON object literal (`'{"user":"x","password":"…"}'`), nested keys as a.b. */
function jsonSecrets(text: string): Array<{ key: string; value: string }> {
  const t = text.trim();
  if (!t.startsWith('{') || t.length > 100_000) return [];
  let obj: unknown;
  try {
    obj = JSON.parse(t);
  } catch {
    return [];
  }
  const out: Array<{ key: string; value: string }> = [];
  const visit = (o: unknown, path: string, depth: number): void => {
    if (!o || typeof o !== 'object' || depth > 20) return;
    for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
      const p = path ? `${path}.${k}` : k;
      if (typeof v === 'string' && secretName(k, 'json')) out.push({ key: p, value: v });
      else visit(v, p, depth + 1);
    }
  };
  visit(obj, '', 0);
  return out;
}

interface Hit {
  where: string;
  value: string;
  tok: Tok;
}

function literalValue(stmt: Statement, tok: Tok): { value: string; raw: string; start: number; innerStart: number; innerEnd: number } {
  const innerStart = tok.innerStart ?? tok.start;
  const innerEnd = tok.innerEnd ?? tok.end;
  return { value: tok.value, raw: stmt.text.slice(innerStart, innerEnd), start: tok.start, innerStart, innerEnd };
}

/** Secrets in token form: `name = 'v'` / `name TO 'v'` (SET, ALTER DATABASE/ROLE … SET, UPDATE … SET), `name … DEFAULT 'v'`, `set_config('name', 'v', …)`. */
function tokenHits(stmt: Statement): Hit[] {
  // Every hit is a quoted string ('…', E'…', MySQL "…"): text without a quote has none, and most
  // statements of a big file need no tokens at all.
  if (!stmt.text.includes("'") && !stmt.text.includes('"')) return [];
  const toks = sqlTokens(stmt.text, stmt.dialect).filter((t) => t.type !== 'comment');
  const out: Hit[] = [];
  const nameBefore = (k: number): string | undefined => {
    // a.b.c immediately before index k
    const parts: string[] = [];
    let j = k - 1;
    while (j >= 0 && (toks[j].type === 'word' || toks[j].type === 'ident')) {
      parts.unshift(toks[j].type === 'ident' ? toks[j].value : toks[j].text);
      if (toks[j - 1]?.text === '.') j -= 2;
      else break;
    }
    return parts.length ? parts.join('.') : undefined;
  };
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    const next = toks[k + 1];
    if (!next || next.type !== 'string' || next.dollar) continue;
    // name = 'v', name TO 'v', name := 'v'
    if ((t.type === 'punct' && t.text === '=' && toks[k - 1]?.text !== '!' && toks[k - 1]?.text !== '<' && toks[k - 1]?.text !== '>') || (t.type === 'word' && t.value === 'TO')) {
      const name = nameBefore(t.text === '=' && toks[k - 1]?.text === ':' ? k - 1 : k);
      if (name && secretName(name, name.includes('.') ? 'key' : 'column')) {
        // In a WHERE clause it is a lookup of a value that is in the database already; still a committed secret.
        out.push({ where: `\`${name}\``, value: next.value, tok: next });
      }
    }
    // name <type …> DEFAULT 'v': the column name starts the definition (after `(`, `,` or COLUMN).
    if (t.type === 'word' && t.value === 'DEFAULT') {
      let j = k - 1;
      let depth = 0;
      for (; j >= 0; j--) {
        const x = toks[j];
        if (x.text === ')') depth++;
        else if (x.text === '(') {
          if (depth === 0) break;
          depth--;
        } else if (depth === 0 && (x.text === ',' || (x.type === 'word' && (x.value === 'COLUMN' || x.value === 'ALTER' || x.value === 'ADD')))) break;
      }
      const col = toks[j + 1];
      const name = col && (col.type === 'word' || col.type === 'ident') ? (col.type === 'ident' ? col.value : col.text) : undefined;
      if (name && secretName(name)) out.push({ where: `the default value of column \`${name}\``, value: next.value, tok: next });
    }
  }
  // set_config('app.jwt_secret', 'v', false)
  for (let k = 0; k + 4 < toks.length; k++) {
    if (toks[k].type === 'word' && toks[k].value === 'SET_CONFIG' && toks[k + 1].text === '(' && toks[k + 2].type === 'string' && toks[k + 3].text === ',' && toks[k + 4].type === 'string' && secretName(toks[k + 2].value, 'key')) {
      out.push({ where: `\`${toks[k + 2].value}\` (set_config)`, value: toks[k + 4].value, tok: toks[k + 4] });
    }
  }
  return out;
}

/** INSERT rows: a literal into a secret-named column, or a key/value row ('smtp_password', 'v'), also when an UPDATE sets it. */
function insertHits(stmt: Statement): Array<{ where: string; value: string; location?: number }> {
  const out: Array<{ where: string; value: string; location?: number }> = [];
  const pgStr = pgConstText;
  const rows = (cols: string[], table: string, items: Array<Array<{ v: string; loc?: number } | undefined>>) => {
    for (const row of items) {
      row.forEach((cell, i) => {
        if (!cell) return;
        if (cols[i] && secretName(cols[i])) out.push({ where: `${table}.${cols[i]}`, value: cell.v, location: cell.loc });
        const next = row[i + 1];
        // Key/value settings rows: the key names a secret, the next literal is its value.
        if (next && secretName(cell.v, 'key') && /^[A-Za-z_][\w.-]*$/.test(cell.v) && !(cols[i + 1] && secretName(cols[i + 1]))) out.push({ where: `${table} row \`${cell.v}\``, value: next.v, location: next.loc });
        // A JSON object stored as a value: its secret-named keys.
        for (const j of jsonSecrets(cell.v)) out.push({ where: `${table}${cols[i] ? `.${cols[i]}` : ''} JSON key \`${j.key}\``, value: j.value, location: cell.loc });
      });
    }
  };
  // Key/value settings rows changed in place: `UPDATE settings SET value = 'v' WHERE key = 'smtp_password'`.
  const updated = (table: string, keys: Array<{ key: string; col: string }>, sets: Array<{ col: string; cell: { v: string; loc?: number } | undefined }>) => {
    const key = keys.find((k) => secretName(k.key, 'key') && /^[A-Za-z_][\w.-]*$/.test(k.key));
    if (!key) return;
    // The value column: the only literal set, else the ones named like a value (`value`, `setting_value`, `data`).
    const literal = sets.filter((x) => x.cell && x.col !== key.col && !secretName(x.col));
    const picked = literal.length === 1 ? literal : literal.filter((x) => VALUE_COLUMN.test(x.col));
    for (const x of picked) out.push({ where: `${table} row \`${key.key}\``, value: x.cell!.v, location: x.cell!.loc });
  };
  walk(stmt.pg, (k, v) => {
    if (k === 'UpdateStmt') {
      const keys: Array<{ key: string; col: string }> = [];
      walk(v.whereClause, (k2, e) => {
        if (k2 !== 'A_Expr' || e.kind !== 'AEXPR_OP' || e.name?.[0]?.String?.sval !== '=') return;
        for (const [lit, col] of [[e.rexpr, e.lexpr], [e.lexpr, e.rexpr]]) {
          const f = col?.ColumnRef?.fields;
          const c = pgStr(lit);
          if (c && f?.length) keys.push({ key: c.v, col: String(f[f.length - 1]?.String?.sval ?? '') });
        }
      });
      updated(rangeVarName(v.relation), keys, (v.targetList ?? []).map((t: any) => ({ col: String(t?.ResTarget?.name ?? ''), cell: pgStr(t?.ResTarget?.val) })));
      return;
    }
    // json_build_object('user', 'x', 'password', '…'): key/value pairs.
    if (k === 'FuncCall' && /^jsonb?_build_object$/.test(String(v.funcname?.[v.funcname.length - 1]?.String?.sval ?? ''))) {
      const args: any[] = v.args ?? [];
      for (let i = 0; i + 1 < args.length; i += 2) {
        const key = pgStr(args[i]);
        const val = pgStr(args[i + 1]);
        if (key && val && secretName(key.v, 'json')) out.push({ where: `json_build_object key \`${key.v}\``, value: val.v, location: val.loc });
      }
      return;
    }
    if (k !== 'InsertStmt') return;
    const table = rangeVarName(v.relation);
    const lists = (v.selectStmt?.SelectStmt?.valuesLists ?? []).map((r: any) => (r?.List?.items ?? []).map(pgStr));
    rows(insertColumns(stmt, table, (v.cols ?? []).map((c: any) => String(c?.ResTarget?.name ?? '')), lists), table, lists);
  });
  const a = stmt.ast;
  const nspStr = (x: any) => (typeof x?.value === 'string' && /string/.test(String(x.type)) ? { v: x.value as string } : undefined);
  if (a?.type === 'update') {
    const keys: Array<{ key: string; col: string }> = [];
    const eqs = (e: any): void => {
      if (e?.type !== 'binary_expr') return;
      if (e.operator === 'AND' || e.operator === 'OR') return void (eqs(e.left), eqs(e.right));
      if (e.operator !== '=') return;
      for (const [lit, col] of [[e.right, e.left], [e.left, e.right]]) {
        const c = nspStr(lit);
        if (c && col?.type === 'column_ref') keys.push({ key: c.v, col: String(col.column?.expr?.value ?? col.column ?? '') });
      }
    };
    eqs(a.where);
    updated(String(a.table?.[0]?.table ?? '?'), keys, (a.set ?? []).map((x: any) => ({ col: String(x?.column ?? ''), cell: nspStr(x?.value) })));
  }
  if (a && (a.type === 'insert' || a.type === 'replace')) {
    const name = (c: any) => String(typeof c === 'string' ? c : (c?.column?.expr?.value ?? c?.column ?? c?.value ?? ''));
    const vals = a.values?.values ?? (Array.isArray(a.values) ? a.values : []);
    const lists = vals.map((r: any) => (r?.value ?? []).map((x: any) => (typeof x?.value === 'string' && /string/.test(String(x.type)) ? { v: x.value } : undefined)));
    const table = String(a.table?.[0]?.table ?? '?');
    rows(insertColumns(stmt, table, (a.columns ?? []).map(name), lists), table, lists);
  }
  return out;
}

const rule: Rule = {
  meta: {
    id: 'secret-in-data',
    category: 'credential',
    severity: 'error',
    summary: 'Secret written as data: a literal into a secret-named column, setting or Python constant (smtp_password, api_key, jwt_secret, webhook_secret, …)',
    rationale:
      'Secrets also reach migrations as data: a seed row of a settings table (`INSERT … (\'smtp_password\', \'…\')`), a column default ' +
      '(`webhook_secret text DEFAULT \'whsec_…\'`), a database or role setting (`ALTER DATABASE … SET app.jwt_secret = \'…\'`, ' +
      '`set_config(…)`), an `UPDATE … SET api_key = \'…\'`. Whoever reads the repository can sign tokens, send mail or call the API as the ' +
      'application. Account passwords of seeded users are hardcoded-password (a warning); placeholders are not reported.',
    fix: 'Remove the value and rotate it; have the application read it from a secret store, or set it at deploy time (psql variables, the platform’s secret manager).',
    examples: {
      bad: [
        { sql: "INSERT INTO settings (name, value) VALUES ('smtp_password', 'Sm7p-Pa55-2024');" },
        { sql: "INSERT INTO integrations (provider, api_key) VALUES ('mailgun', 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0');" },
        { sql: "ALTER DATABASE postgres SET app.jwt_secret = 'super-secret-jwt-token-with-at-least-32-characters';" },
        { sql: "CREATE TABLE hooks (id int, webhook_secret text DEFAULT 'whsec-9f8e7d6c5b4a');" },
        { sql: "UPDATE config SET stripe_secret_key = 'rk-live-4eC39HqLyjWDarjtT1zdp7dc' WHERE id = 1;" },
        { sql: "SELECT set_config('app.jwt_secret', 'a-very-long-jwt-secret-value', false);" },
        { sql: "UPDATE settings SET value = 'Zq8#mW2p!vR7', updated_at = now() WHERE key = 'smtp_password';" },
        { sql: "UPDATE settings SET value = 'Zq8#mW2p!vR7' WHERE `key` = 'smtp_password'", dialect: 'mysql' },
        { sql: "INSERT INTO settings (name, value) VALUES ('smtp_password', 'Sm7p-Pa55-2024')", dialect: 'mysql' },
        { sql: 'from alembic import op\nrevision = "1"\ndown_revision = None\nADMIN_PASSWORD = "Adm1n-Secret-77"\n\ndef upgrade():\n    pass\n', path: 'migrations/versions/1_x.py' },
        { sql: 'from django.db import migrations\nAPI_KEY: str = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"\n\nclass Migration(migrations.Migration):\n    operations = []\n', path: 'app/migrations/0002_x.py' },
        { sql: "-- +goose Up\n-- +goose ENVSUB ON\nALTER ROLE svc PASSWORD '${SVC_PASSWORD:-Zq8mW2pvR7xx}';\n", path: 'migrations/00002_x.sql' },
        { sql: "INSERT INTO settings (name, value) VALUES ('smtp.password', 'Sm7p-Pa55-2024');" },
        { sql: "INSERT INTO settings (name, value) VALUES ('smtp', '{\"user\": \"mailer\", \"password\": \"Sm7p-Pa55-2024\"}');" },
        { sql: "INSERT INTO settings (name, value) VALUES ('smtp', jsonb_build_object('user', 'mailer', 'password', 'Sm7p-Pa55-2024')::text);" },
        { sql: "INSERT INTO settings (name, value) VALUES ('smtp_pass', convert_from(decode('U203cC1QYTU1LTIwMjQ=', 'base64'), 'UTF8'));" },
      ],
      good: [
        { sql: "INSERT INTO settings (name, value) VALUES ('password_min_length', '12');" },
        { sql: "INSERT INTO settings (name, value) VALUES ('smtp_password', '');" },
        { sql: "ALTER DATABASE postgres SET app.jwt_secret = :'jwt_secret';" },
        { sql: "CREATE TABLE hooks (id int, webhook_secret text DEFAULT '');" },
        { sql: "ALTER DATABASE app SET search_path = 'app, public';" },
        { sql: "SELECT * FROM tokens WHERE token_type = 'refresh';" },
        { sql: "UPDATE settings SET value = '' WHERE key = 'smtp_password';" },
        { sql: "UPDATE settings SET description = 'SMTP relay', label = 'Mail' WHERE key = 'smtp_password';" },
        { sql: "INSERT INTO users (email, password) VALUES ('a@b.c', '$2b$10$abcdefghijklmnopqrstuv');" },
        { sql: "INSERT INTO auth_methods (name, kind) VALUES ('password', 'builtin');" },
        { sql: "INSERT INTO settings (name, value) VALUES ('password_policy', '{\"min_length\": 12}');" },
        { sql: "-- +goose Up\n-- +goose ENVSUB ON\nALTER ROLE svc PASSWORD '${SVC_PASSWORD}';\n", path: 'migrations/00002_x.sql' },
        { sql: 'from alembic import op\nimport os\nrevision = "1"\ndown_revision = None\nADMIN_PASSWORD = os.environ["ADMIN_PASSWORD"]\nTOKEN_TYPE = "bearer"\nSCOPES = {"consent_webhook_token": "webhook"}\n\ndef upgrade():\n    op.execute("UPDATE users SET auth_method = \'Mealie\' WHERE password = \'LDAP\'")\n', path: 'migrations/versions/1_x.py' },
      ],
    },
  },
  checkFile(ex, { report }) {
    // SQL templates: the default of a placeholder (`${SVC_PASSWORD:-…}`: goose ENVSUB and envsubst
    // `:-`/`-`/`:=`/`=`, Spring-style `:`) is what the database gets whenever the variable is unset.
    // The SQL rules see the placeholder neutralized (src/extract/sql.ts), so the default is read here.
    if ((ex.kind === 'sql' || ex.kind === 'prisma' || ex.kind === 'liquibase') && ex.text.includes('${')) {
      let i = 0;
      for (const m of ex.text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_.]*)(?::?[-=]|:)([^}\n]+)\}/g)) {
        const value = m[2];
        if (!secretName(m[1], 'key') && !ACCOUNT_PASSWORD.test(m[1].toLowerCase().split(/[._]/).pop() ?? '')) continue;
        const verdict = classifyValue(value, 'code');
        if (verdict === 'placeholder' || NOT_SECRET.test(value.trim()) || value.trim().length < 4) continue;
        const start = m.index! + m[0].length - 1 - value.length;
        const p = ex.lines.pos(start);
        report({
          message: `Hardcoded secret as the default of template variable \`${m[1]}\`: whenever it is unset, this value is used; it is committed to the repository for good. Drop the default and fail when the variable is missing.${verdictNote(verdict, value)}`,
          line: p.line,
          column: p.column,
          secrets: secretForms(value),
          key: `tpl:${m[1]}:${i++}`,
          snippet: maskedLine(ex.text, start, [{ start, end: start + value.length }]),
        });
      }
      return;
    }
    // Python migrations: module constants and keyword arguments holding a secret
    // (`DB_PASSWORD = "…"`, `URL.create(…, password="…")`, `{"api_key": "…"}`).
    if (ex.kind !== 'alembic' && ex.kind !== 'django' && ex.kind !== 'python') return;
    if (!/pass|secret|key|token|pwd/i.test(ex.text)) return;
    const re = /(?:^|[\s,({])(?:(["'])([A-Za-z_][\w.-]*)\1\s*:|([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*[A-Za-z_][\w.[\], ]*)?=(?!=))\s*[rRuU]?(["'])((?:(?!\4)[^\\\n]|\\.){1,512})\4/gm;
    let i = 0;
    // Only real assignments and dict entries: not text inside another string (`op.execute("… WHERE password = 'x'")`).
    const spans = pythonLiteralSpans(ex.text);
    const inSpan = (o: number) => spans.some((sp) => o > sp.start && o < sp.end);
    const spanStart = (o: number) => spans.some((sp) => sp.start === o);
    for (const m of ex.text.matchAll(re)) {
      const name = m[2] ?? m[3];
      const value = m[5];
      const nameAt = m.index! + m[0].search(/["'A-Za-z_]/);
      const valueQuote = m.index! + m[0].length - value.length - 2;
      if (m[2] !== undefined ? !spanStart(nameAt) : inSpan(nameAt)) continue;
      if (!spanStart(valueQuote) && !spanStart(valueQuote - 1)) continue;
      // Any secret-named constant, account passwords included (in code they are not seed rows).
      if (!name || !(secretName(name) || (ACCOUNT_PASSWORD.test(name.split('_').slice(-2).join('_')) || ACCOUNT_PASSWORD.test(name.split('_').pop() ?? '')))) continue;
      const verdict = classifyValue(value, 'code');
      if (verdict === 'placeholder' || NOT_SECRET.test(value.trim()) || value.trim().length < 4) continue;
      // A lower-case word or identifier (`"webhook"`, `"client:read"`) under a secret-sounding key is a
      // name (a scope, a kind), not a secret; well-known default passwords still count.
      if (verdict === 'secret' && /^[a-z][a-z_.:-]*$/.test(value)) continue;
      // SQL text that the SQL rules already read (the value of an op.execute string) is theirs.
      if (/^\s*(select|insert|update|delete|create|alter)\b/i.test(value)) continue;
      const start = m.index! + m[0].length - value.length - 1;
      const p = ex.lines.pos(start);
      report({
        message: `Hardcoded secret in \`${name}\` in Python code: it is committed to the repository for good; rotate it and read it from the environment or a secret store.${verdictNote(verdict, value)}`,
        line: p.line,
        column: p.column,
        secrets: secretForms(value),
        key: `py:${name}:${i++}`,
        snippet: maskedLine(ex.text, start, [{ start, end: start + value.length }]),
      });
    }
  },
  unparsed(stmt, ctx) {
    rule.check!(stmt, ctx);
  },
  check(stmt, { report }) {
    if (stmt.meta || !textMayName(stmt.text, /pass|secret|key|token|pwd/i)) return;
    const emit = (where: string, value: string, lit: { raw: string; start: number; innerStart: number; innerEnd: number } | undefined, i: number) => {
      const verdict = classifyValue(value, 'code');
      if (verdict === 'placeholder' || NOT_SECRET.test(value.trim()) || value.trim().length < 4) return;
      const r: Report = {
        message: `Hardcoded secret in ${where}${stmt.nested ? ' (in a function or block body)' : ''}: it is committed to the repository for good; rotate it and set it at deploy time from a secret store.${verdictNote(verdict, value)}`,
        offset: lit?.start,
        secrets: secretForms(value, lit?.raw),
        key: `data:${i}`,
        down: false,
      };
      if (lit) r.snippet = maskedLine(stmt.unit.text, stmt.start + lit.start, [{ start: stmt.start + lit.innerStart, end: stmt.start + lit.innerEnd }]);
      report(r);
    };
    let i = 0;
    const seen = new Set<number>();
    for (const h of tokenHits(stmt)) {
      if (seen.has(h.tok.start)) continue;
      seen.add(h.tok.start);
      emit(h.where, h.value, literalValue(stmt, h.tok), i++);
    }
    let toks: readonly Tok[] | undefined;
    let from = 0;
    for (const h of insertHits(stmt)) {
      toks ??= sqlTokens(stmt.text, stmt.dialect);
      const off = h.location !== undefined ? nodeOffset(stmt, h.location) : undefined;
      const tok = off !== undefined ? toks.find((t) => t.start === off && t.type === 'string') : toks.find((t) => t.start >= from && t.type === 'string' && t.value === h.value);
      if (tok) from = tok.end;
      if (tok && seen.has(tok.start)) continue;
      if (tok) seen.add(tok.start);
      emit(h.where, h.value, tok ? literalValue(stmt, tok) : undefined, i++);
    }
  },
};
export default rule;
