// The outputs of `migration-gate privileges`: a GRANT script for a dedicated migration role
// (PostgreSQL, MySQL/MariaDB), a text summary and JSON. Names in the script come from the
// migrations (untrusted): every identifier is quoted, every literal escaped, comments are one line
// with control characters removed, so nothing a migration names can end a comment or a statement.
import type { Need, Requirements } from './needs.js';

export const FORMATS = ['sql', 'text', 'json'] as const;
export type PrivFormat = (typeof FORMATS)[number];

const MYSQL = new Set(['mysql', 'mariadb']);

/** One line, no control characters, at most 160 characters: safe inside a `--` comment. */
export function commentSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/\s+/g, ' ').trim();
  return t.length > 160 ? t.slice(0, 159) + '…' : t;
}
// Control characters (a newline in a quoted name) are written as Unicode escapes (U&"…\000a…"),
// so that every line of the script is either a comment or SQL the migrations did not write.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0001-\u001f\u007f-\u009f\u2028\u2029]/;
function unicodeEscaped(s: string, q: string): string {
  const body = s.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), q + q).replace(new RegExp(CONTROL.source, 'g'), (c) => '\\' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  return `U&${q}${body}${q}`;
}
export function quoteIdent(s: string): string {
  const t = s.replace(/\0/g, '');
  return CONTROL.test(t) ? unicodeEscaped(t, '"') : '"' + t.replace(/"/g, '""') + '"';
}
export function quoteLiteral(s: string): string {
  const t = s.replace(/\0/g, '');
  return CONTROL.test(t) ? unicodeEscaped(t, "'") : "'" + t.replace(/'/g, "''") + "'";
}
function mysqlLiteral(s: string): string {
  return "'" + s.replace(/\0/g, '').replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";
}
/** `schema.name` → `"schema"."name"` (the name is everything after the first dot). */
function qualified(full: string): string {
  const i = full.indexOf('.');
  return i < 0 ? quoteIdent(full) : `${quoteIdent(full.slice(0, i))}.${quoteIdent(full.slice(i + 1))}`;
}
const where = (n: Need) => `${n.site.path}:${n.site.line}${n.count > 1 ? ` (+${n.count - 1} more)` : ''}`;
const why = (n: Need) => commentSafe(`${n.reason} — ${where(n)}`);

/** A dollar-quote tag that does not occur in `body`. */
function dollar(body: string): string {
  let tag = '$mg$';
  for (let i = 0; body.includes(tag); i++) tag = `$mg${i}$`;
  return tag;
}
function doBlock(body: string): string {
  const t = dollar(body);
  return `DO ${t}\n${body}\n${t};`;
}

const OWNER_KINDS: Record<string, { catalog: string; alter: string }> = {
  table: { catalog: 'rel', alter: 'TABLE' },
  view: { catalog: 'rel', alter: 'TABLE' },
  'materialized view': { catalog: 'rel', alter: 'TABLE' },
  sequence: { catalog: 'rel', alter: 'TABLE' },
  'foreign table': { catalog: 'rel', alter: 'TABLE' },
  index: { catalog: 'index', alter: 'TABLE' },
  type: { catalog: 'type', alter: 'TYPE' },
  domain: { catalog: 'type', alter: 'TYPE' },
  function: { catalog: 'proc', alter: 'ROUTINE' },
  procedure: { catalog: 'proc', alter: 'ROUTINE' },
  routine: { catalog: 'proc', alter: 'ROUTINE' },
  aggregate: { catalog: 'proc', alter: 'ROUTINE' },
  schema: { catalog: 'schema', alter: 'SCHEMA' },
  extension: { catalog: 'none', alter: '' },
  publication: { catalog: 'named', alter: 'PUBLICATION' },
  server: { catalog: 'named', alter: 'SERVER' },
};

/** Ownership transfer of an object (if it exists: objects the history only drops IF EXISTS may not). */
function ownership(n: Need, role: string): string {
  const o = n.object!;
  const k = OWNER_KINDS[o.type];
  const lit = quoteLiteral;
  const dot = o.name.indexOf('.');
  const schema = dot < 0 ? '' : o.name.slice(0, dot);
  const name = dot < 0 ? o.name : o.name.slice(dot + 1);
  const r = lit(role);
  if (!k || k.catalog === 'none')
    return `-- ${commentSafe(`ownership of ${o.type} ${o.name}: transfer it to ${role} or make ${role} a member of its owner`)}\n--   (${why(n)})`;
  let body: string;
  if (k.catalog === 'rel' || k.catalog === 'index') {
    // An index belongs to its table: the table's owner is the index's owner.
    const rel = k.catalog === 'index' ? `(SELECT i.indrelid FROM pg_index i WHERE i.indexrelid = c.oid)` : 'c.oid';
    body = `DECLARE r regclass;\nBEGIN\n  FOR r IN SELECT ${rel}::regclass FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = ${lit(schema)} AND c.relname = ${lit(name)} LOOP\n    EXECUTE format('ALTER TABLE %s OWNER TO %I', r, ${r});\n  END LOOP;\nEND`;
  } else if (k.catalog === 'type') {
    body = `DECLARE t regtype;\nBEGIN\n  FOR t IN SELECT y.oid::regtype FROM pg_type y JOIN pg_namespace s ON s.oid = y.typnamespace WHERE s.nspname = ${lit(schema)} AND y.typname = ${lit(name)} LOOP\n    EXECUTE format('ALTER TYPE %s OWNER TO %I', t, ${r});\n  END LOOP;\nEND`;
  } else if (k.catalog === 'proc') {
    body = `DECLARE f regprocedure;\nBEGIN\n  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace s ON s.oid = p.pronamespace WHERE s.nspname = ${lit(schema)} AND p.proname = ${lit(name)} LOOP\n    EXECUTE format('ALTER ROUTINE %s OWNER TO %I', f, ${r});\n  END LOOP;\nEND`;
  } else if (k.catalog === 'schema') {
    body = `BEGIN\n  IF EXISTS (SELECT FROM pg_namespace WHERE nspname = ${lit(o.name)}) THEN\n    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', ${lit(o.name)}, ${r});\n  END IF;\nEND`;
  } else {
    const cat = k.alter === 'PUBLICATION' ? `pg_publication WHERE pubname` : `pg_foreign_server WHERE srvname`;
    body = `BEGIN\n  IF EXISTS (SELECT FROM ${cat} = ${lit(o.name)}) THEN\n    EXECUTE format('ALTER ${k.alter} %I OWNER TO %I', ${lit(o.name)}, ${r});\n  END IF;\nEND`;
  }
  return `-- ${why(n)}\n${doBlock(body)}`;
}

function objectTarget(type: string): string {
  switch (type) {
    case 'table':
      return 'TABLE';
    case 'function':
      return 'FUNCTION';
    case 'type':
      return 'TYPE';
    case 'schema':
      return 'SCHEMA';
    case 'language':
      return 'LANGUAGE';
    case 'server':
      return 'FOREIGN SERVER';
    case 'foreign data wrapper':
    case 'foreign-data wrapper':
      return 'FOREIGN DATA WRAPPER';
    case 'tablespace':
      return 'TABLESPACE';
    default:
      return type.toUpperCase();
  }
}

/** The PostgreSQL GRANT script for one migration set. */
export function pgScript(req: Requirements, role: string): string {
  const R = quoteIdent(role);
  const out: string[] = [];
  const needs = req.needs;
  out.push(`-- migration-gate privileges: what role ${commentSafe(role)} needs to run ${req.files} migration file(s), ${req.statements} statement(s)${req.set ? ` of ${commentSafe(req.set)}` : ''} (PostgreSQL).`);
  out.push('-- Run as a superuser (or the database owner), connected to the database the migrations run in,');
  out.push(`-- after creating the role: CREATE ROLE ${R} LOGIN;  -- its password set out of band`);
  out.push('-- Objects the migrations create, the role owns: no grant is needed for them.');
  const attrs = [...new Set(needs.filter((n) => n.kind === 'role-attribute').map((n) => n.privilege))];
  if (attrs.length) {
    out.push('');
    for (const n of needs.filter((x) => x.kind === 'role-attribute' && attrs.includes(x.privilege))) out.push(`-- ${n.privilege}: ${why(n)}`);
    out.push(`ALTER ROLE ${R} ${attrs.join(' ')};`);
  }
  const settings = needs.filter((n) => n.kind === 'role-setting');
  if (settings.length) {
    for (const n of settings) out.push(`-- SET on the roles it creates (PostgreSQL 16+): ${why(n)}`);
    out.push(`ALTER ROLE ${R} SET createrole_self_grant = 'set, inherit';`);
  }
  const db = needs.filter((n) => n.kind === 'database');
  const dbPrivs = ['CONNECT', ...new Set(db.filter((n) => n.privilege !== 'OWNER').map((n) => n.privilege))];
  out.push('');
  for (const n of db) out.push(`-- ${n.privilege === 'OWNER' ? 'ownership of the database' : `${n.privilege} on the database`}: ${why(n)}`);
  out.push(doBlock(`BEGIN\n  EXECUTE format('GRANT ${dbPrivs.join(', ')} ON DATABASE %I TO %I', current_database(), ${quoteLiteral(role)});\nEND`));
  if (db.some((n) => n.privilege === 'OWNER')) out.push(doBlock(`BEGIN\n  EXECUTE format('ALTER DATABASE %I OWNER TO %I', current_database(), ${quoteLiteral(role)});\nEND`));
  // Schemas: USAGE always goes with CREATE (objects in a schema cannot be reached without it).
  const schemas = new Map<string, Set<string>>();
  for (const n of needs.filter((x) => x.kind === 'schema')) {
    const s = schemas.get(n.object!.name) ?? new Set(['USAGE']);
    s.add(n.privilege);
    schemas.set(n.object!.name, s);
  }
  if (schemas.size) out.push('');
  for (const [s, p] of schemas) {
    for (const n of needs.filter((x) => x.kind === 'schema' && x.object!.name === s)) out.push(`-- ${n.privilege} on schema: ${why(n)}`);
    out.push(`GRANT ${[...p].sort((a, b) => (a === 'USAGE' ? -1 : b === 'USAGE' ? 1 : a.localeCompare(b))).join(', ')} ON SCHEMA ${quoteIdent(s)} TO ${R};`);
  }
  const objs = needs.filter((n) => n.kind === 'object');
  if (objs.length) out.push('');
  const grouped = new Map<string, { type: string; name: string; privs: Set<string>; grant: boolean; why: string[] }>();
  for (const n of objs) {
    const key = `${n.object!.type}\0${n.object!.name}\0${n.grantOption ? 'g' : ''}`;
    const g = grouped.get(key) ?? { type: n.object!.type, name: n.object!.name, privs: new Set<string>(), grant: !!n.grantOption, why: [] };
    g.privs.add(n.privilege);
    g.why.push(why(n));
    grouped.set(key, g);
  }
  for (const g of grouped.values()) {
    for (const w of g.why) out.push(`-- ${w}`);
    const target = objectTarget(g.type);
    const name = ['schema', 'language', 'server', 'foreign data wrapper', 'foreign-data wrapper', 'tablespace'].includes(g.type) ? quoteIdent(g.name) : qualified(g.name);
    const named = [...g.privs].map((p) => (/^[A-Z ]+$/.test(p) ? p : 'ALL'));
    const privs = named.includes('ALL') ? ['ALL'] : named;
    if (target === 'FUNCTION') out.push(doBlock(`DECLARE f regprocedure;\nBEGIN\n  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace s ON s.oid = p.pronamespace WHERE s.nspname = ${quoteLiteral(g.name.slice(0, g.name.indexOf('.')))} AND p.proname = ${quoteLiteral(g.name.slice(g.name.indexOf('.') + 1))} LOOP\n    EXECUTE format('GRANT ${[...new Set(privs)].join(', ')} ON FUNCTION %s TO %I${g.grant ? ' WITH GRANT OPTION' : ''}', f, ${quoteLiteral(role)});\n  END LOOP;\nEND`));
    else out.push(`GRANT ${[...new Set(privs)].join(', ')} ON ${target} ${name} TO ${R}${g.grant ? ' WITH GRANT OPTION' : ''};`);
  }
  const members = needs.filter((n) => n.kind === 'membership');
  if (members.length) out.push('');
  for (const n of members) {
    out.push(`-- ${why(n)}`);
    out.push(`GRANT ${quoteIdent(n.object!.name)} TO ${R}${n.grantOption ? ' WITH ADMIN OPTION' : ''};`);
  }
  const owns = needs.filter((n) => n.kind === 'ownership');
  if (owns.length) {
    out.push('');
    out.push(`-- Objects the migrations alter or drop but did not create: ${R} must own them (or be a member of their owner).`);
    for (const n of owns) out.push(ownership(n, role));
  }
  const su = needs.filter((n) => n.kind === 'superuser');
  out.push('');
  if (su.length) {
    out.push(`-- Superuser-only statements (${su.reduce((a, n) => a + n.count, 0)}): no GRANT makes them runnable by ${commentSafe(role)}.`);
    out.push('-- Run them as a superuser (or by a DBA) before the migrations, or change the migrations:');
    for (const n of su) for (const s of n.sites ?? [n.site]) out.push(`--   ${commentSafe(`${s.path}:${s.line}  ${n.reason}`)}`);
  } else out.push('-- No statement needs a superuser.');
  const un = needs.filter((n) => n.kind === 'unverified');
  if (un.length) {
    out.push(`-- Not derived (fail closed: check these by hand; ${un.reduce((a, n) => a + n.count, 0)} statement(s)):`);
    for (const n of un) for (const s of n.sites ?? [n.site]) out.push(`--   ${commentSafe(`${s.path}:${s.line}  ${n.reason}`)}`);
  }
  return out.join('\n') + '\n';
}

/** The MySQL/MariaDB GRANT script for one migration set (on the database the session is connected to). */
export function mysqlScript(req: Requirements, role: string): string {
  const account = `${mysqlLiteral(role)}@'%'`;
  const out: string[] = [];
  out.push(`-- migration-gate privileges: what account ${commentSafe(role)} needs to run ${req.files} migration file(s), ${req.statements} statement(s)${req.set ? ` of ${commentSafe(req.set)}` : ''} (MySQL/MariaDB).`);
  out.push("-- Run as an administrator after `USE <the migrations' database>;` (the grants name DATABASE()),");
  out.push(`-- after creating the account: CREATE USER ${account} IDENTIFIED BY …;  -- set the host part and password as you need`);
  const db = needs(req, false);
  const global = needs(req, true);
  if (db.length) {
    out.push('');
    for (const n of req.needs.filter((x) => x.kind === 'mysql' && !x.global)) out.push(`-- ${n.privilege}: ${why(n)}`);
    const stmt = `GRANT ${db.join(', ')} ON \`', REPLACE(DATABASE(), '\`', '\`\`'), '\`.* TO ${account.replace(/'/g, "''")}`;
    out.push(`SET @mg_grant = CONCAT('${stmt}');`);
    out.push('PREPARE mg_grant FROM @mg_grant;');
    out.push('EXECUTE mg_grant;');
    out.push('DEALLOCATE PREPARE mg_grant;');
  }
  if (global.length) {
    out.push('');
    out.push('-- Global privileges (ON *.*): each widens what the account can do on the whole server.');
    for (const n of req.needs.filter((x) => x.kind === 'mysql' && x.global)) out.push(`-- ${n.privilege}: ${why(n)}`);
    out.push(`GRANT ${global.join(', ')} ON *.* TO ${account};`);
  }
  const un = req.needs.filter((n) => n.kind === 'unverified');
  if (un.length) {
    out.push('');
    out.push(`-- Not derived (fail closed: check these by hand; ${un.reduce((a, n) => a + n.count, 0)} statement(s)):`);
    for (const n of un) out.push(`--   ${why(n)}`);
  }
  return out.join('\n') + '\n';
}

function needs(req: Requirements, global: boolean): string[] {
  return [...new Set(req.needs.filter((n) => n.kind === 'mysql' && !!n.global === global).map((n) => n.privilege))].sort();
}

export function script(req: Requirements, role: string): string {
  if (req.dialect === 'postgresql') return pgScript(req, role);
  if (MYSQL.has(req.dialect)) return mysqlScript(req, role);
  return `-- ${commentSafe(req.set || 'migrations')} (${commentSafe(req.dialect)}): ${req.dialect === 'sqlite' ? 'SQLite has no roles or privileges: the migration user needs write access to the database file.' : 'no GRANT script for this dialect.'}\n`;
}

/** Human summary. */
export function text(reqs: Requirements[], role: string): string {
  const out: string[] = [];
  for (const req of reqs) {
    out.push(`${req.set || 'migrations'} (${req.dialect}): ${req.files} file(s), ${req.statements} statement(s)`);
    const by = (k: Need['kind']) => req.needs.filter((n) => n.kind === k);
    const line = (n: Need, label: string) => out.push(`  ${label}  ${commentSafe(n.reason)}  [${where(n)}]`);
    for (const n of by('role-attribute')) line(n, `role attribute ${n.privilege}`);
    for (const n of by('role-setting')) line(n, `role setting createrole_self_grant = 'set, inherit' (PG16+)`);
    for (const n of by('database')) line(n, n.privilege === 'OWNER' ? 'owner of the database' : `${n.privilege} on the database`);
    for (const n of by('schema')) line(n, `${n.privilege} on schema ${n.object!.name}`);
    for (const n of by('object')) line(n, `${n.privilege} on ${n.object!.type} ${n.object!.name}${n.grantOption ? ' WITH GRANT OPTION' : ''}`);
    for (const n of by('membership')) line(n, `member of ${n.object!.name}${n.grantOption ? ' WITH ADMIN OPTION' : ''}`);
    for (const n of by('ownership')) line(n, `owner of ${n.object!.type} ${n.object!.name}`);
    for (const n of by('mysql')) line(n, `${n.privilege}${n.global ? ' ON *.*' : ''}`);
    const su = by('superuser');
    if (su.length) {
      out.push(`  superuser-only statements (${su.reduce((a, n) => a + n.count, 0)}): not grantable to ${commentSafe(role)}`);
      for (const n of su) for (const s of n.sites ?? [n.site]) out.push(`    ${s.path}:${s.line}  ${commentSafe(n.reason)}`);
    }
    const un = by('unverified');
    if (un.length) {
      out.push(`  not derived (check by hand):`);
      for (const n of un) for (const s of n.sites ?? [n.site]) out.push(`    ${s.path}:${s.line}  ${commentSafe(n.reason)}`);
    }
    if (!req.needs.length) out.push('  nothing beyond owning what it creates' + (req.dialect === 'postgresql' ? ' (and CONNECT)' : ''));
    out.push('');
  }
  return out.join('\n');
}

export function json(reqs: Requirements[], role: string): string {
  return (
    JSON.stringify(
      {
        version: 1,
        role,
        sets: reqs.map((r) => ({
          ...r,
          superuser: r.needs.filter((n) => n.kind === 'superuser').flatMap((n) => (n.sites ?? [n.site]).map((s) => ({ path: s.path, line: s.line, reason: n.reason }))),
          script: script(r, role),
        })),
      },
      null,
      2,
    ) + '\n'
  );
}
