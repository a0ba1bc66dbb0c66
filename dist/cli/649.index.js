export const id = 649;
export const ids = [649];
export const modules = {

/***/ 5649:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  PRIVILEGES_USAGE: () => (/* binding */ PRIVILEGES_USAGE),
  privilegesMain: () => (/* binding */ privilegesMain)
});

// EXTERNAL MODULE: ./src/config/index.ts + 2 modules
var src_config = __webpack_require__(7646);
// EXTERNAL MODULE: ./src/discover/index.ts
var discover = __webpack_require__(1835);
// EXTERNAL MODULE: ./src/parse/guard.ts
var guard = __webpack_require__(5166);
// EXTERNAL MODULE: ./src/engine.ts + 12 modules
var engine = __webpack_require__(5662);
// EXTERNAL MODULE: ./src/history/index.ts + 3 modules
var src_history = __webpack_require__(2797);
// EXTERNAL MODULE: ./src/python/unicode-names.ts
var unicode_names = __webpack_require__(6728);
// EXTERNAL MODULE: ./src/privileges/derive.ts
var derive = __webpack_require__(17);
;// CONCATENATED MODULE: ./src/privileges/grants.ts
const FORMATS = ['sql', 'text', 'json'];
const MYSQL = new Set(['mysql', 'mariadb']);
/** One line, no control characters, at most 160 characters: safe inside a `--` comment. */
function commentSafe(s) {
    // eslint-disable-next-line no-control-regex
    const t = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/\s+/g, ' ').trim();
    return t.length > 160 ? t.slice(0, 159) + '…' : t;
}
// Control characters (a newline in a quoted name) are written as Unicode escapes (U&"…\000a…"),
// so that every line of the script is either a comment or SQL the migrations did not write.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0001-\u001f\u007f-\u009f\u2028\u2029]/;
function unicodeEscaped(s, q) {
    const body = s.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), q + q).replace(new RegExp(CONTROL.source, 'g'), (c) => '\\' + c.charCodeAt(0).toString(16).padStart(4, '0'));
    return `U&${q}${body}${q}`;
}
function quoteIdent(s) {
    const t = s.replace(/\0/g, '');
    return CONTROL.test(t) ? unicodeEscaped(t, '"') : '"' + t.replace(/"/g, '""') + '"';
}
function quoteLiteral(s) {
    const t = s.replace(/\0/g, '');
    return CONTROL.test(t) ? unicodeEscaped(t, "'") : "'" + t.replace(/'/g, "''") + "'";
}
function mysqlLiteral(s) {
    return "'" + s.replace(/\0/g, '').replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";
}
/** `schema.name` → `"schema"."name"` (the name is everything after the first dot). */
function qualified(full) {
    const i = full.indexOf('.');
    return i < 0 ? quoteIdent(full) : `${quoteIdent(full.slice(0, i))}.${quoteIdent(full.slice(i + 1))}`;
}
const where = (n) => `${n.site.path}:${n.site.line}${n.count > 1 ? ` (+${n.count - 1} more)` : ''}`;
const why = (n) => commentSafe(`${n.reason} — ${where(n)}`);
/** A dollar-quote tag that does not occur in `body`. */
function dollar(body) {
    let tag = '$mg$';
    for (let i = 0; body.includes(tag); i++)
        tag = `$mg${i}$`;
    return tag;
}
function doBlock(body) {
    const t = dollar(body);
    return `DO ${t}\n${body}\n${t};`;
}
const OWNER_KINDS = {
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
function ownership(n, role) {
    const o = n.object;
    const k = OWNER_KINDS[o.type];
    const lit = quoteLiteral;
    const dot = o.name.indexOf('.');
    const schema = dot < 0 ? '' : o.name.slice(0, dot);
    const name = dot < 0 ? o.name : o.name.slice(dot + 1);
    const r = lit(role);
    if (!k || k.catalog === 'none')
        return `-- ${commentSafe(`ownership of ${o.type} ${o.name}: transfer it to ${role} or make ${role} a member of its owner`)}\n--   (${why(n)})`;
    let body;
    if (k.catalog === 'rel' || k.catalog === 'index') {
        // An index belongs to its table: the table's owner is the index's owner.
        const rel = k.catalog === 'index' ? `(SELECT i.indrelid FROM pg_index i WHERE i.indexrelid = c.oid)` : 'c.oid';
        body = `DECLARE r regclass;\nBEGIN\n  FOR r IN SELECT ${rel}::regclass FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = ${lit(schema)} AND c.relname = ${lit(name)} LOOP\n    EXECUTE format('ALTER TABLE %s OWNER TO %I', r, ${r});\n  END LOOP;\nEND`;
    }
    else if (k.catalog === 'type') {
        body = `DECLARE t regtype;\nBEGIN\n  FOR t IN SELECT y.oid::regtype FROM pg_type y JOIN pg_namespace s ON s.oid = y.typnamespace WHERE s.nspname = ${lit(schema)} AND y.typname = ${lit(name)} LOOP\n    EXECUTE format('ALTER TYPE %s OWNER TO %I', t, ${r});\n  END LOOP;\nEND`;
    }
    else if (k.catalog === 'proc') {
        body = `DECLARE f regprocedure;\nBEGIN\n  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace s ON s.oid = p.pronamespace WHERE s.nspname = ${lit(schema)} AND p.proname = ${lit(name)} LOOP\n    EXECUTE format('ALTER ROUTINE %s OWNER TO %I', f, ${r});\n  END LOOP;\nEND`;
    }
    else if (k.catalog === 'schema') {
        body = `BEGIN\n  IF EXISTS (SELECT FROM pg_namespace WHERE nspname = ${lit(o.name)}) THEN\n    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', ${lit(o.name)}, ${r});\n  END IF;\nEND`;
    }
    else {
        const cat = k.alter === 'PUBLICATION' ? `pg_publication WHERE pubname` : `pg_foreign_server WHERE srvname`;
        body = `BEGIN\n  IF EXISTS (SELECT FROM ${cat} = ${lit(o.name)}) THEN\n    EXECUTE format('ALTER ${k.alter} %I OWNER TO %I', ${lit(o.name)}, ${r});\n  END IF;\nEND`;
    }
    return `-- ${why(n)}\n${doBlock(body)}`;
}
function objectTarget(type) {
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
function pgScript(req, role) {
    const R = quoteIdent(role);
    const out = [];
    const needs = req.needs;
    out.push(`-- migration-gate privileges: what role ${commentSafe(role)} needs to run ${req.files} migration file(s), ${req.statements} statement(s)${req.set ? ` of ${commentSafe(req.set)}` : ''} (PostgreSQL).`);
    out.push('-- Run as a superuser (or the database owner), connected to the database the migrations run in,');
    out.push(`-- after creating the role: CREATE ROLE ${R} LOGIN;  -- its password set out of band`);
    out.push('-- Objects the migrations create, the role owns: no grant is needed for them.');
    const attrs = [...new Set(needs.filter((n) => n.kind === 'role-attribute').map((n) => n.privilege))];
    if (attrs.length) {
        out.push('');
        for (const n of needs.filter((x) => x.kind === 'role-attribute' && attrs.includes(x.privilege)))
            out.push(`-- ${n.privilege}: ${why(n)}`);
        out.push(`ALTER ROLE ${R} ${attrs.join(' ')};`);
    }
    const settings = needs.filter((n) => n.kind === 'role-setting');
    if (settings.length) {
        for (const n of settings)
            out.push(`-- SET on the roles it creates (PostgreSQL 16+): ${why(n)}`);
        out.push(`ALTER ROLE ${R} SET createrole_self_grant = 'set, inherit';`);
    }
    const db = needs.filter((n) => n.kind === 'database');
    const dbPrivs = ['CONNECT', ...new Set(db.filter((n) => n.privilege !== 'OWNER').map((n) => n.privilege))];
    out.push('');
    for (const n of db)
        out.push(`-- ${n.privilege === 'OWNER' ? 'ownership of the database' : `${n.privilege} on the database`}: ${why(n)}`);
    out.push(doBlock(`BEGIN\n  EXECUTE format('GRANT ${dbPrivs.join(', ')} ON DATABASE %I TO %I', current_database(), ${quoteLiteral(role)});\nEND`));
    if (db.some((n) => n.privilege === 'OWNER'))
        out.push(doBlock(`BEGIN\n  EXECUTE format('ALTER DATABASE %I OWNER TO %I', current_database(), ${quoteLiteral(role)});\nEND`));
    // Schemas: USAGE always goes with CREATE (objects in a schema cannot be reached without it).
    const schemas = new Map();
    for (const n of needs.filter((x) => x.kind === 'schema')) {
        const s = schemas.get(n.object.name) ?? new Set(['USAGE']);
        s.add(n.privilege);
        schemas.set(n.object.name, s);
    }
    if (schemas.size)
        out.push('');
    for (const [s, p] of schemas) {
        for (const n of needs.filter((x) => x.kind === 'schema' && x.object.name === s))
            out.push(`-- ${n.privilege} on schema: ${why(n)}`);
        out.push(`GRANT ${[...p].sort((a, b) => (a === 'USAGE' ? -1 : b === 'USAGE' ? 1 : a.localeCompare(b))).join(', ')} ON SCHEMA ${quoteIdent(s)} TO ${R};`);
    }
    const objs = needs.filter((n) => n.kind === 'object');
    if (objs.length)
        out.push('');
    const grouped = new Map();
    for (const n of objs) {
        const key = `${n.object.type}\0${n.object.name}\0${n.grantOption ? 'g' : ''}`;
        const g = grouped.get(key) ?? { type: n.object.type, name: n.object.name, privs: new Set(), grant: !!n.grantOption, why: [] };
        g.privs.add(n.privilege);
        g.why.push(why(n));
        grouped.set(key, g);
    }
    for (const g of grouped.values()) {
        for (const w of g.why)
            out.push(`-- ${w}`);
        const target = objectTarget(g.type);
        const name = ['schema', 'language', 'server', 'foreign data wrapper', 'foreign-data wrapper', 'tablespace'].includes(g.type) ? quoteIdent(g.name) : qualified(g.name);
        const named = [...g.privs].map((p) => (/^[A-Z ]+$/.test(p) ? p : 'ALL'));
        const privs = named.includes('ALL') ? ['ALL'] : named;
        if (target === 'FUNCTION')
            out.push(doBlock(`DECLARE f regprocedure;\nBEGIN\n  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace s ON s.oid = p.pronamespace WHERE s.nspname = ${quoteLiteral(g.name.slice(0, g.name.indexOf('.')))} AND p.proname = ${quoteLiteral(g.name.slice(g.name.indexOf('.') + 1))} LOOP\n    EXECUTE format('GRANT ${[...new Set(privs)].join(', ')} ON FUNCTION %s TO %I${g.grant ? ' WITH GRANT OPTION' : ''}', f, ${quoteLiteral(role)});\n  END LOOP;\nEND`));
        else
            out.push(`GRANT ${[...new Set(privs)].join(', ')} ON ${target} ${name} TO ${R}${g.grant ? ' WITH GRANT OPTION' : ''};`);
    }
    const members = needs.filter((n) => n.kind === 'membership');
    if (members.length)
        out.push('');
    for (const n of members) {
        out.push(`-- ${why(n)}`);
        out.push(`GRANT ${quoteIdent(n.object.name)} TO ${R}${n.grantOption ? ' WITH ADMIN OPTION' : ''};`);
    }
    const owns = needs.filter((n) => n.kind === 'ownership');
    if (owns.length) {
        out.push('');
        out.push(`-- Objects the migrations alter or drop but did not create: ${R} must own them (or be a member of their owner).`);
        for (const n of owns)
            out.push(ownership(n, role));
    }
    const su = needs.filter((n) => n.kind === 'superuser');
    out.push('');
    if (su.length) {
        out.push(`-- Superuser-only statements (${su.reduce((a, n) => a + n.count, 0)}): no GRANT makes them runnable by ${commentSafe(role)}.`);
        out.push('-- Run them as a superuser (or by a DBA) before the migrations, or change the migrations:');
        for (const n of su)
            for (const s of n.sites ?? [n.site])
                out.push(`--   ${commentSafe(`${s.path}:${s.line}  ${n.reason}`)}`);
    }
    else
        out.push('-- No statement needs a superuser.');
    const un = needs.filter((n) => n.kind === 'unverified');
    if (un.length) {
        out.push(`-- Not derived (fail closed: check these by hand; ${un.reduce((a, n) => a + n.count, 0)} statement(s)):`);
        for (const n of un)
            for (const s of n.sites ?? [n.site])
                out.push(`--   ${commentSafe(`${s.path}:${s.line}  ${n.reason}`)}`);
    }
    return out.join('\n') + '\n';
}
/** The MySQL/MariaDB GRANT script for one migration set (on the database the session is connected to). */
function mysqlScript(req, role) {
    const account = `${mysqlLiteral(role)}@'%'`;
    const out = [];
    out.push(`-- migration-gate privileges: what account ${commentSafe(role)} needs to run ${req.files} migration file(s), ${req.statements} statement(s)${req.set ? ` of ${commentSafe(req.set)}` : ''} (MySQL/MariaDB).`);
    out.push("-- Run as an administrator after `USE <the migrations' database>;` (the grants name DATABASE()),");
    out.push(`-- after creating the account: CREATE USER ${account} IDENTIFIED BY …;  -- set the host part and password as you need`);
    const db = needs(req, false);
    const global = needs(req, true);
    if (db.length) {
        out.push('');
        for (const n of req.needs.filter((x) => x.kind === 'mysql' && !x.global))
            out.push(`-- ${n.privilege}: ${why(n)}`);
        const stmt = `GRANT ${db.join(', ')} ON \`', REPLACE(DATABASE(), '\`', '\`\`'), '\`.* TO ${account.replace(/'/g, "''")}`;
        out.push(`SET @mg_grant = CONCAT('${stmt}');`);
        out.push('PREPARE mg_grant FROM @mg_grant;');
        out.push('EXECUTE mg_grant;');
        out.push('DEALLOCATE PREPARE mg_grant;');
    }
    if (global.length) {
        out.push('');
        out.push('-- Global privileges (ON *.*): each widens what the account can do on the whole server.');
        for (const n of req.needs.filter((x) => x.kind === 'mysql' && x.global))
            out.push(`-- ${n.privilege}: ${why(n)}`);
        out.push(`GRANT ${global.join(', ')} ON *.* TO ${account};`);
    }
    const un = req.needs.filter((n) => n.kind === 'unverified');
    if (un.length) {
        out.push('');
        out.push(`-- Not derived (fail closed: check these by hand; ${un.reduce((a, n) => a + n.count, 0)} statement(s)):`);
        for (const n of un)
            out.push(`--   ${why(n)}`);
    }
    return out.join('\n') + '\n';
}
function needs(req, global) {
    return [...new Set(req.needs.filter((n) => n.kind === 'mysql' && !!n.global === global).map((n) => n.privilege))].sort();
}
function script(req, role) {
    if (req.dialect === 'postgresql')
        return pgScript(req, role);
    if (MYSQL.has(req.dialect))
        return mysqlScript(req, role);
    return `-- ${commentSafe(req.set || 'migrations')} (${commentSafe(req.dialect)}): ${req.dialect === 'sqlite' ? 'SQLite has no roles or privileges: the migration user needs write access to the database file.' : 'no GRANT script for this dialect.'}\n`;
}
/** Human summary. */
function grants_text(reqs, role) {
    const out = [];
    for (const req of reqs) {
        out.push(`${req.set || 'migrations'} (${req.dialect}): ${req.files} file(s), ${req.statements} statement(s)`);
        const by = (k) => req.needs.filter((n) => n.kind === k);
        const line = (n, label) => out.push(`  ${label}  ${commentSafe(n.reason)}  [${where(n)}]`);
        for (const n of by('role-attribute'))
            line(n, `role attribute ${n.privilege}`);
        for (const n of by('role-setting'))
            line(n, `role setting createrole_self_grant = 'set, inherit' (PG16+)`);
        for (const n of by('database'))
            line(n, n.privilege === 'OWNER' ? 'owner of the database' : `${n.privilege} on the database`);
        for (const n of by('schema'))
            line(n, `${n.privilege} on schema ${n.object.name}`);
        for (const n of by('object'))
            line(n, `${n.privilege} on ${n.object.type} ${n.object.name}${n.grantOption ? ' WITH GRANT OPTION' : ''}`);
        for (const n of by('membership'))
            line(n, `member of ${n.object.name}${n.grantOption ? ' WITH ADMIN OPTION' : ''}`);
        for (const n of by('ownership'))
            line(n, `owner of ${n.object.type} ${n.object.name}`);
        for (const n of by('mysql'))
            line(n, `${n.privilege}${n.global ? ' ON *.*' : ''}`);
        const su = by('superuser');
        if (su.length) {
            out.push(`  superuser-only statements (${su.reduce((a, n) => a + n.count, 0)}): not grantable to ${commentSafe(role)}`);
            for (const n of su)
                for (const s of n.sites ?? [n.site])
                    out.push(`    ${s.path}:${s.line}  ${commentSafe(n.reason)}`);
        }
        const un = by('unverified');
        if (un.length) {
            out.push(`  not derived (check by hand):`);
            for (const n of un)
                for (const s of n.sites ?? [n.site])
                    out.push(`    ${s.path}:${s.line}  ${commentSafe(n.reason)}`);
        }
        if (!req.needs.length)
            out.push('  nothing beyond owning what it creates' + (req.dialect === 'postgresql' ? ' (and CONNECT)' : ''));
        out.push('');
    }
    return out.join('\n');
}
function json(reqs, role) {
    return (JSON.stringify({
        version: 1,
        role,
        sets: reqs.map((r) => ({
            ...r,
            superuser: r.needs.filter((n) => n.kind === 'superuser').flatMap((n) => (n.sites ?? [n.site]).map((s) => ({ path: s.path, line: s.line, reason: n.reason }))),
            script: script(r, role),
        })),
    }, null, 2) + '\n');
}

;// CONCATENATED MODULE: ./src/privileges/index.ts







/**
 * The given files grouped into migration sets in run order (only `up` steps: what `migrate up`
 * runs), each file parsed. Files in no set (and not config files) form one group in the order given.
 */
async function planAndParse(files, opts = {}) {
    const config = opts.config ?? {};
    const byPath = new Map(files.map((f) => [f.path.replace(/\\/g, '/').replace(/^(\.\/)+/, ''), f]));
    await (0,unicode_names/* loadUnicodeNamesFor */.Dg)(files);
    const sets = (0,src_history/* planHistory */.G5)(files);
    const out = [];
    const placed = new Set();
    for (const set of sets) {
        const parsed = [];
        for (const e of set.entries) {
            if (e.role !== 'up') {
                placed.add(e.path);
                continue;
            }
            const f = byPath.get(e.path);
            if (!f)
                continue;
            placed.add(e.path);
            const hint = !f.dialectHint && set.dialect ? { ...f, dialectHint: set.dialect } : f;
            const { ex, statements } = await (0,engine/* parseFile */.CJ)(hint, opts.dialect, config);
            if (ex.kind === 'config' || ex.kind === 'unknown')
                continue;
            parsed.push({ path: ex.path, dialect: ex.dialect, statements });
        }
        if (parsed.length)
            out.push({ name: `${set.framework}:${set.root || '.'}${set.variant ? ` (${set.variant})` : ''}`, files: parsed, problems: set.problems.filter((p) => p.kind !== 'note').map((p) => p.message) });
    }
    const loose = [];
    for (const [path, f] of byPath) {
        if (placed.has(path))
            continue;
        const { ex, statements } = await (0,engine/* parseFile */.CJ)(f, opts.dialect, config);
        if (ex.kind === 'config' || ex.kind === 'unknown' || !ex.units.length)
            continue;
        loose.push({ path: ex.path, dialect: ex.dialect, statements });
    }
    // Loose files of several dialects: one group each.
    const byDialect = new Map();
    for (const f of loose)
        byDialect.set(f.dialect ?? 'postgresql', [...(byDialect.get(f.dialect ?? 'postgresql') ?? []), f]);
    for (const [, fs] of byDialect)
        out.push({ name: '', files: fs, problems: [] });
    return out;
}
/** What each planned set needs. */
function requirementsOf(sets) {
    return trackersOf(sets).map((t) => t.requirements);
}
/** What each planned set needs, and what it creates (for the live comparison). */
function trackersOf(sets) {
    return sets.map((s) => {
        const dialect = s.files.find((f) => f.dialect)?.dialect ?? 'postgresql';
        const t = new derive/* PrivilegeTracker */.Ud(dialect);
        for (const f of s.files)
            t.addFile(f.path, f.statements);
        return { requirements: t.result(s.name), created: t.createdObjects() };
    });
}

// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(3849);
;// CONCATENATED MODULE: ./src/privileges/live.ts
// `migration-gate privileges --database-url`: what a live PostgreSQL role really holds, read with
// catalog queries only. The session is read-only three ways: `default_transaction_read_only`,
// one `BEGIN READ ONLY` transaction that is rolled back, and nothing but SELECTs on catalogs and
// the `has_*_privilege` / `pg_has_role` functions. The client is node-postgres (`pg`), bundled.
//
// PostgreSQL references: the access privilege inquiry functions
// (https://www.postgresql.org/docs/current/functions-info.html#FUNCTIONS-INFO-ACCESS-TABLE),
// pg_auth_members / pg_roles / aclexplode / acldefault
// (https://www.postgresql.org/docs/current/catalog-pg-auth-members.html), role membership and
// inheritance (https://www.postgresql.org/docs/current/role-membership.html), predefined roles
// (https://www.postgresql.org/docs/current/predefined-roles.html). Ownership checks are made with
// `pg_has_role(role, owner, 'USAGE')`: PostgreSQL lets a role alter an object when it has the
// privileges of the owner (has_privs_of_role: membership with inheritance).

/** A connection or query problem: the message never carries the URL or the password. */
class LiveError extends Error {
}
/**
 * The URL as the user gave it, checked: PostgreSQL (`postgres://`, `postgresql://`) only; MySQL
 * and MariaDB URLs are refused with their own message. Errors never echo the URL.
 */
function parseDatabaseUrl(url) {
    let u;
    // libpq allows an empty host (`postgres://user@/db?host=/run/postgresql`, `postgres:///db`); WHATWG URL does not.
    const hosted = url.replace(/^(postgres(?:ql)?:\/\/(?:[^/?#@]*@)?)(?=[/?#]|$)/i, '$1localhost');
    const noHost = hosted !== url;
    try {
        u = new URL(hosted);
    }
    catch {
        throw new LiveError('--database-url is not a valid URL (expected postgres://USER@HOST:PORT/DATABASE)');
    }
    const scheme = u.protocol.replace(/:$/, '').toLowerCase();
    if (scheme === 'mysql' || scheme === 'mariadb' || scheme === 'mysqlx')
        throw new LiveError(`--database-url: ${scheme}:// is not supported: the live comparison reads PostgreSQL catalogs only. For MySQL/MariaDB compare the script (without --database-url) with SHOW GRANTS FOR CURRENT_USER() by hand`);
    if (scheme !== 'postgres' && scheme !== 'postgresql')
        throw new LiveError(`--database-url: unsupported scheme '${scheme.replace(/[^a-z0-9+.-]/g, '?').slice(0, 20)}' (expected postgres:// or postgresql://)`);
    const socket = u.searchParams.get('host');
    const host = !noHost ? `${u.hostname}${u.port ? `:${u.port}` : ''}` : socket ? socket : 'localhost (default socket)';
    return { host, url };
}
/** `s` without the URL, its password (raw and decoded) or its user:password part. */
function redact(s, url) {
    let out = s;
    const secrets = new Set([url]);
    try {
        const u = new URL(url);
        if (u.password) {
            secrets.add(u.password);
            try {
                secrets.add(decodeURIComponent(u.password));
            }
            catch {
                /* a malformed escape: the raw form is redacted */
            }
        }
        const qp = u.searchParams.get('password');
        if (qp)
            secrets.add(qp);
    }
    catch {
        /* not a URL: only the whole string is redacted */
    }
    for (const x of [...secrets].filter((x) => x.length >= 1).sort((a, b) => b.length - a.length))
        out = out.split(x).join('***');
    return out.replace(/(\w+:\/\/[^:@/\s]*:)[^@\s]*@/g, '$1***@');
}
/** A read-only session: connected, `default_transaction_read_only = on`, statement and lock timeouts, inside `BEGIN READ ONLY`. */
async function connectReadOnly(target, t) {
    const client = new esm/* default.Client */.Ay.Client({
        connectionString: target.url,
        connectionTimeoutMillis: t.connectMs,
        query_timeout: t.statementMs + 2000,
        application_name: 'migration-gate privileges',
    });
    // A connection error after connect (server restart) must not crash the process.
    client.on('error', () => { });
    try {
        await client.connect();
        await client.query('SET default_transaction_read_only = on');
        await client.query(`SET statement_timeout = ${Math.max(1, Math.floor(t.statementMs))}`);
        await client.query('SET lock_timeout = 5000');
        await client.query('BEGIN READ ONLY');
    }
    catch (e) {
        await client.end().catch(() => { });
        throw new LiveError(`cannot connect to ${target.host}: ${reason(e, target.url)}`);
    }
    return client;
}
/** One line: the driver's message (or its code), redacted. */
function reason(e, url) {
    const err = e;
    let m = (err?.message || err?.code || String(e)).split('\n')[0];
    if (!m && e?.errors?.length)
        m = e.errors[0].message;
    if (/timeout/i.test(m) && /connect/i.test(m))
        m = 'connection timed out';
    return redact(m || 'unknown error', url).slice(0, 300);
}
const RELKIND = { r: 'table', p: 'table', v: 'view', m: 'materialized view', S: 'sequence', f: 'foreign table', i: 'index', I: 'index', c: 'type' };
const TABLE_PRIVS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];
const SEQUENCE_PRIVS = ['USAGE', 'SELECT', 'UPDATE'];
const split = (full) => {
    const i = full.indexOf('.');
    return i < 0 ? ['', full] : [full.slice(0, i), full.slice(i + 1)];
};
/** Everything the comparison needs, read in the open read-only transaction, then rolled back. */
async function inspect(client, roleName, needs, created) {
    const q = async (sql, params) => (await client.query(sql, params)).rows;
    try {
        return await read(q, roleName, needs, created);
    }
    finally {
        await client.query('ROLLBACK').catch(() => { });
    }
}
async function read(q, roleName, needs, created) {
    const head = await q(`SELECT r.oid::int8::text AS oid, r.rolname, r.rolname = current_user AS current, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb,
            r.rolreplication, r.rolbypassrls, r.rolcanlogin,
            current_setting('server_version_num')::int AS version, current_setting('server_version') AS version_text,
            current_database() AS db, pg_get_userbyid(d.datdba) AS db_owner, pg_has_role(r.oid, d.datdba, 'USAGE') AS owns_db,
            has_database_privilege(r.oid, d.oid, 'CREATE') AS db_create, has_database_privilege(r.oid, d.oid, 'TEMPORARY') AS db_temp,
            has_database_privilege(r.oid, d.oid, 'CONNECT') AS db_connect,
            ARRAY(SELECT a.privilege_type FROM aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a WHERE a.grantee = 0) AS db_public
       FROM pg_roles r, pg_database d
      WHERE r.rolname = coalesce($1::text, current_user) AND d.datname = current_database()`, [roleName ?? null]);
    if (!head.length)
        throw new LiveError(`role '${(roleName ?? '').replace(/[^\x20-\x7e]/g, '?').slice(0, 80)}' does not exist in this database cluster`);
    const h = head[0];
    const oid = h.oid;
    const role = {
        name: h.rolname,
        current: h.current,
        superuser: h.rolsuper,
        inherit: h.rolinherit,
        createrole: h.rolcreaterole,
        createdb: h.rolcreatedb,
        replication: h.rolreplication,
        bypassrls: h.rolbypassrls,
        login: h.rolcanlogin,
    };
    const version = Number(h.version);
    const memberships = (await q(`WITH RECURSIVE m(roleid, path, admin, depth) AS (
         SELECT am.roleid, ARRAY[am.roleid], am.admin_option, 1 FROM pg_auth_members am WHERE am.member = $1::oid
         UNION ALL
         SELECT am.roleid, m.path || am.roleid, am.admin_option, m.depth + 1
           FROM pg_auth_members am JOIN m ON am.member = m.roleid
          WHERE NOT am.roleid = ANY(m.path) AND m.depth < 32)
       SELECT DISTINCT ON (r.rolname) r.rolname, r.rolsuper, r.oid < 16384 AS predefined, m.admin,
              ARRAY(SELECT pg_get_userbyid(x)::text FROM unnest(m.path) WITH ORDINALITY u(x, i) ORDER BY i) AS path,
              pg_has_role($1::oid, r.oid, 'USAGE') AS inherited
         FROM m JOIN pg_roles r ON r.oid = m.roleid
        ORDER BY r.rolname, m.depth, m.admin DESC`, [oid])).map((r) => ({ role: r.rolname, path: r.path, admin: r.admin, inherited: r.inherited, superuser: r.rolsuper, predefined: r.predefined }));
    const schemas = (await q(`SELECT n.nspname, pg_get_userbyid(n.nspowner) AS owner, pg_has_role($1::oid, n.nspowner, 'USAGE') AS owns,
              has_schema_privilege($1::oid, n.oid, 'CREATE') AS can_create, has_schema_privilege($1::oid, n.oid, 'USAGE') AS can_use,
              ARRAY(SELECT a.privilege_type FROM aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a WHERE a.grantee = 0) AS public_privs
         FROM pg_namespace n
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname !~ '^pg_(toast_)?temp_'
        ORDER BY 1`, [oid])).map((r) => ({ name: r.nspname, owner: r.owner, owns: r.owns, create: r.can_create, usage: r.can_use, publicPrivileges: r.public_privs }));
    // The schemas the migrations touch: those of their needs and of what they create (public when none).
    const touched = new Set();
    for (const n of needs) {
        if (!n.object)
            continue;
        if (n.object.type === 'schema' || n.object.type.startsWith('every '))
            touched.add(n.object.name);
        else if (n.object.name.includes('.'))
            touched.add(split(n.object.name)[0]);
    }
    for (const c of created) {
        if (c.type === 'schema')
            touched.add(c.name);
        else if (c.name.includes('.'))
            touched.add(split(c.name)[0]);
    }
    if (!touched.size)
        touched.add('public');
    const privsOf = (acl, owner) => `ARRAY(SELECT DISTINCT a.privilege_type || CASE WHEN a.is_grantable THEN '*' ELSE '' END FROM aclexplode(${acl}) a
            WHERE a.grantee <> 0 AND a.grantee <> ${owner} AND pg_has_role($1::oid, a.grantee, 'USAGE'))`;
    const objects = (await q(`SELECT c.relkind::text AS kind, n.nspname || '.' || c.relname AS name, pg_get_userbyid(c.relowner) AS owner,
              pg_has_role($1::oid, c.relowner, 'USAGE') AS owns, ${privsOf('c.relacl', 'c.relowner')} AS privs
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($2::text[]) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
          -- a serial or identity column's sequence: its owner follows the table's (ALTER TABLE … OWNER TO moves it)
          AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                                  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
       UNION ALL
       SELECT 'function', n.nspname || '.' || p.proname, pg_get_userbyid(p.proowner), pg_has_role($1::oid, p.proowner, 'USAGE'),
              ${privsOf('p.proacl', 'p.proowner')}
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = ANY($2::text[])
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
       UNION ALL
       SELECT 'type', n.nspname || '.' || t.typname, pg_get_userbyid(t.typowner), pg_has_role($1::oid, t.typowner, 'USAGE'),
              ${privsOf('t.typacl', 't.typowner')}
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = ANY($2::text[]) AND t.typtype IN ('d', 'e', 'r', 'm')
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
        ORDER BY 2, 1`, [oid, [...touched]])).map((r) => ({ type: RELKIND[r.kind] ?? r.kind, name: r.name, owner: r.owner, owns: r.owns, privileges: r.privs }));
    const state = {
        server: { version, versionText: h.version_text, database: h.db, dbOwner: h.db_owner },
        role,
        memberships,
        database: { owner: h.owns_db, create: h.db_create, temporary: h.db_temp, connect: h.db_connect, publicPrivileges: h.db_public },
        schemas,
        objects,
        checks: [],
        createdNotOwned: [],
        createdOwned: 0,
        usedMemberships: new Map(),
    };
    // Each need, checked for the role; then, for the roles it is a member of, which of them hold it
    // (a membership that provides a needed privilege or ownership is not excess).
    const candidates = memberships.filter((m) => m.inherited && !m.predefined).map((m) => m.role);
    for (const need of needs) {
        const c = await checkNeed(q, oid, role, need, state);
        state.checks.push(c);
        if (c.status !== 'held' || role.superuser)
            continue;
        for (const r of candidates) {
            const ro = (await q(`SELECT oid::int8::text AS oid FROM pg_roles WHERE rolname = $1`, [r]))[0]?.oid;
            if (!ro)
                continue;
            const viaRole = await checkNeed(q, ro, { ...role, name: r, superuser: false }, need, state, true);
            if (viaRole.status === 'held')
                state.usedMemberships.set(r, [...(state.usedMemberships.get(r) ?? []), describe(need)]);
        }
    }
    // What the migrations created: where the history has run, the role must own it (the next
    // migration that alters or drops it would fail otherwise).
    const byType = new Map();
    for (const c of created)
        byType.set(c.type, [...(byType.get(c.type) ?? []), c.name]);
    const owners = new Map();
    for (const [type, fulls] of byType)
        for (const [k, o] of await ownersOf(q, oid, type, [...new Set(fulls)]))
            owners.set(`${type}:${k}`, o);
    for (const c of created) {
        const found = owners.get(`${c.type}:${c.name}`);
        // Indexes and a serial or identity column's sequence belong to their table's owner.
        if (!found || found.follows)
            continue;
        if (found.owns)
            state.createdOwned++;
        else
            state.createdNotOwned.push({ type: found.type, name: c.name, owner: found.owner });
    }
    return state;
}
/** The predefined role a superuser-only need can be delegated to, as derive.ts names it at the end of its reason: `… (superuser or pg_execute_server_program)`. */
function delegatedRole(reason) {
    return /\((?:superuser or |superuser; PG16\+: )?(pg_[a-z_]+)(?:;[^()]*)?\)$/.exec(reason)?.[1];
}
/** 'CREATE on schema public', 'owner of table public.users', … */
function describe(n) {
    switch (n.kind) {
        case 'role-attribute':
            return n.privilege;
        case 'role-setting':
            return `createrole_self_grant = 'set, inherit'`;
        case 'database':
            return n.privilege === 'OWNER' ? 'owner of the database' : `${n.privilege} on the database`;
        case 'schema':
            return `${n.privilege} on schema ${n.object.name}`;
        case 'object':
            return `${n.privilege} on ${n.object.type} ${n.object.name}${n.grantOption ? ' WITH GRANT OPTION' : ''}`;
        case 'membership':
            return `member of ${n.object.name}${n.grantOption ? ' WITH ADMIN OPTION' : ''}`;
        case 'ownership':
            return `owner of ${n.object.type} ${n.object.name}`;
        case 'superuser':
            return `SUPERUSER (${n.reason})`;
        case 'unverified':
            return `not derived: ${n.reason}`;
        default:
            return `${n.privilege}${n.global ? ' ON *.*' : ''}`;
    }
}
async function ownerOf(q, role, type, full) {
    return (await ownersOf(q, role, type, [full])).get(full);
}
/** The owner of each named object of one catalog, in one query: `schema.name` (or the bare name of a schema, extension, publication, server). */
async function ownersOf(q, role, type, fulls) {
    const out = new Map();
    if (!fulls.length)
        return out;
    const schemas = fulls.map((f) => split(f)[0]);
    const names = fulls.map((f) => split(f)[1]);
    const inSchema = (catalog, ns, nm, own, kind, extra = 'false') => q(`SELECT x.k, ${kind} AS kind, pg_get_userbyid(o.${own}) AS owner, pg_has_role($1::oid, o.${own}, 'USAGE') AS owns, ${extra} AS follows
         FROM unnest($2::text[], $3::text[], $4::text[]) x(k, sch, nam)
         JOIN pg_namespace n ON n.nspname = x.sch JOIN ${catalog} o ON o.${ns} = n.oid AND o.${nm} = x.nam`, [role, fulls, schemas, names]);
    const named = (catalog, nm, own, kind) => q(`SELECT x.k, '${kind}' AS kind, pg_get_userbyid(o.${own}) AS owner, pg_has_role($1::oid, o.${own}, 'USAGE') AS owns, false AS follows
         FROM unnest($2::text[]) x(k) JOIN ${catalog} o ON o.${nm} = x.k`, [role, fulls]);
    let rows = [];
    if (type === 'rel')
        rows = await inSchema('pg_class', 'relnamespace', 'relname', 'relowner', 'o.relkind::text', `o.relkind IN ('i', 'I') OR (o.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = o.oid
                                                               AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))`);
    else if (type === 'type')
        rows = await inSchema('pg_type', 'typnamespace', 'typname', 'typowner', `'type'`);
    else if (type === 'function')
        rows = await inSchema('pg_proc', 'pronamespace', 'proname', 'proowner', `'function'`);
    else if (type === 'schema')
        rows = await named('pg_namespace', 'nspname', 'nspowner', 'schema');
    else if (type === 'extension')
        rows = await named('pg_extension', 'extname', 'extowner', 'extension');
    else if (type === 'publication')
        rows = await named('pg_publication', 'pubname', 'pubowner', 'publication');
    else if (type === 'server')
        rows = await named('pg_foreign_server', 'srvname', 'srvowner', 'server');
    const by = new Map();
    for (const r of rows)
        by.set(r.k, [...(by.get(r.k) ?? []), r]);
    for (const [k, rs] of by) {
        // Overloaded functions: every one must be owned.
        const notOwned = rs.find((r) => !r.owns);
        out.set(k, { type: RELKIND[rs[0].kind] ?? rs[0].kind, owner: (notOwned ?? rs[0]).owner, owns: !notOwned, follows: rs.every((r) => r.follows === true) });
    }
    return out;
}
const OWN_KINDS = {
    table: 'rel', view: 'rel', 'materialized view': 'rel', sequence: 'rel', 'foreign table': 'rel', index: 'rel',
    type: 'type', domain: 'type', function: 'function', procedure: 'function', routine: 'function', aggregate: 'function',
    schema: 'schema', extension: 'extension', publication: 'publication', server: 'server',
};
async function checkNeed(q, oid, role, n, s, quiet = false) {
    const held = (detail) => ({ need: n, status: 'held', ...(detail ? { detail } : {}) });
    const missing = (detail) => ({ need: n, status: 'missing', ...(detail ? { detail } : {}) });
    const absent = (detail) => ({ need: n, status: 'absent', detail });
    const unchecked = (detail) => ({ need: n, status: 'unchecked', detail });
    if (n.kind === 'unverified')
        return unchecked('the statement could not be read: check it by hand');
    if (n.kind === 'superuser') {
        if (role.superuser)
            return held('the role is a superuser');
        // Some superuser-only statements can be delegated to a predefined role the derivation names.
        // Only the role the derivation names in its closing parenthesis (derive.ts), not any text of
        // the statement (a file name in the reason comes from the migration).
        const named = delegatedRole(n.reason);
        const via = named ? s.memberships.find((m) => m.predefined && m.inherited && m.role === named) : undefined;
        if (via && !quiet)
            return held(`through ${via.role}`);
        return missing('only a superuser can run it: run it as a DBA, or change the migration');
    }
    if (role.superuser)
        return held('the role is a superuser');
    switch (n.kind) {
        case 'role-attribute': {
            const attr = { CREATEROLE: 'createrole', CREATEDB: 'createdb', REPLICATION: 'replication', BYPASSRLS: 'bypassrls' };
            const k = attr[n.privilege];
            if (!k)
                return unchecked(`role attribute ${n.privilege} is not read`);
            return role[k] ? held() : missing();
        }
        case 'role-setting': {
            if (s.server.version < 160000)
                return held('not needed before PostgreSQL 16');
            const rows = await q(`SELECT c FROM pg_db_role_setting s, unnest(s.setconfig) c
          WHERE s.setrole = $1::oid AND s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
            AND c LIKE 'createrole\\_self\\_grant=%'`, [oid]);
            const v = rows.map((r) => String(r.c).slice('createrole_self_grant='.length).toLowerCase());
            return v.some((x) => /\bset\b/.test(x) && /\binherit\b/.test(x)) ? held() : missing(v.length ? `set to '${v[0]}'` : 'not set');
        }
        case 'database': {
            if (n.privilege === 'OWNER') {
                const r = await q(`SELECT pg_has_role($1::oid, datdba, 'USAGE') AS ok FROM pg_database WHERE datname = current_database()`, [oid]);
                return r[0]?.ok ? held() : missing(`owned by ${s.server.dbOwner}`);
            }
            if (!['CREATE', 'TEMPORARY', 'TEMP', 'CONNECT'].includes(n.privilege))
                return unchecked(`database privilege ${n.privilege} is not read`);
            const r = await q(`SELECT has_database_privilege($1::oid, current_database(), $2) AS ok`, [oid, n.privilege]);
            return r[0]?.ok ? held() : missing();
        }
        case 'schema': {
            const r = await q(`SELECT has_schema_privilege($1::oid, oid, $3) AS ok FROM pg_namespace WHERE nspname = $2`, [oid, n.object.name, n.privilege]);
            if (!r.length)
                return absent(`schema ${n.object.name} does not exist in this database`);
            return r[0].ok ? held() : missing();
        }
        case 'membership': {
            const r = await q(`SELECT pg_has_role($1::oid, oid, $2) AS ok FROM pg_roles WHERE rolname = $3`, [
                oid,
                n.grantOption ? 'MEMBER WITH ADMIN OPTION' : s.server.version >= 160000 ? 'SET' : 'MEMBER',
                n.object.name,
            ]);
            if (!r.length)
                return absent(`role ${n.object.name} does not exist`);
            return r[0].ok ? held() : missing();
        }
        case 'ownership': {
            const t = n.object.type;
            const every = /^every (\w[\w ]*) in schema$/.exec(t);
            if (every) {
                const kinds = every[1] === 'sequence' ? `('S')` : every[1] === 'function' || every[1] === 'routine' || every[1] === 'procedure' ? '' : `('r', 'p', 'v', 'm', 'f')`;
                const rows = kinds
                    ? await q(`SELECT c.relname, pg_get_userbyid(c.relowner) AS owner FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
                WHERE ns.nspname = $2 AND c.relkind IN ${kinds} AND NOT pg_has_role($1::oid, c.relowner, 'USAGE')`, [oid, n.object.name])
                    : await q(`SELECT p.proname AS relname, pg_get_userbyid(p.proowner) AS owner FROM pg_proc p JOIN pg_namespace ns ON ns.oid = p.pronamespace
                WHERE ns.nspname = $2 AND NOT pg_has_role($1::oid, p.proowner, 'USAGE')`, [oid, n.object.name]);
                return rows.length ? missing(`${rows.length} not owned (${rows[0].relname}, owned by ${rows[0].owner}${rows.length > 1 ? ', …' : ''})`) : held();
            }
            const kind = OWN_KINDS[t];
            if (!kind)
                return unchecked(`ownership of a ${t} is not read`);
            const o = await ownerOf(q, oid, kind, n.object.name);
            if (!o)
                return absent(`${t} ${n.object.name} does not exist in this database`);
            return o.owns ? held(o.owner === role.name ? undefined : `owned by ${o.owner}`) : missing(`owned by ${o.owner}`);
        }
        case 'object':
            return checkObject(q, oid, n);
        default:
            return unchecked(`a ${n.kind} need is not read on PostgreSQL`);
    }
}
async function checkObject(q, oid, n) {
    const t = n.object.type;
    const name = n.object.name;
    const opt = n.grantOption ? ' WITH GRANT OPTION' : '';
    const verdict = (rows, what) => {
        if (!rows.length)
            return { need: n, status: 'absent', detail: `${what} does not exist in this database` };
        const lacking = rows.filter((r) => !r.ok);
        return lacking.length ? { need: n, status: 'missing', ...(lacking[0].p ? { detail: `lacks ${lacking.map((r) => r.p).join(', ')}` } : {}) } : { need: n, status: 'held' };
    };
    const [schema, rel] = split(name);
    if (t === 'table' || t === 'view' || t === 'sequence' || t === 'materialized view' || t === 'foreign table') {
        const c = await q(`SELECT c.oid::int8::text AS oid, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE ns.nspname = $1 AND c.relname = $2`, [schema, rel]);
        if (!c.length)
            return verdict([], `${t} ${name}`);
        const seq = c[0].kind === 'S';
        const all = seq ? SEQUENCE_PRIVS : TABLE_PRIVS;
        const privs = n.privilege === 'ALL' ? all : [n.privilege];
        if (privs.some((p) => !all.includes(p)))
            return { need: n, status: 'unchecked', detail: `privilege ${n.privilege} on a ${seq ? 'sequence' : 'table'} is not read` };
        const rows = await q(`SELECT p, ${seq ? 'has_sequence_privilege' : 'has_table_privilege'}($1::oid, $2::oid, p || $3) AS ok FROM unnest($4::text[]) p`, [oid, c[0].oid, opt, privs]);
        return verdict(rows, `${t} ${name}`);
    }
    const fn = {
        // type: [catalog lookup, inquiry function, the privileges it knows]
        function: [`SELECT p.oid::int8::text AS oid FROM pg_proc p JOIN pg_namespace ns ON ns.oid = p.pronamespace WHERE ns.nspname = $1 AND p.proname = $2`, 'has_function_privilege', ['EXECUTE']],
        type: [`SELECT t.oid::int8::text AS oid FROM pg_type t JOIN pg_namespace ns ON ns.oid = t.typnamespace WHERE ns.nspname = $1 AND t.typname = $2`, 'has_type_privilege', ['USAGE']],
        schema: [`SELECT oid::int8::text AS oid FROM pg_namespace WHERE nspname = $1`, 'has_schema_privilege', ['CREATE', 'USAGE']],
        language: [`SELECT oid::int8::text AS oid FROM pg_language WHERE lanname = $1`, 'has_language_privilege', ['USAGE']],
        server: [`SELECT oid::int8::text AS oid FROM pg_foreign_server WHERE srvname = $1`, 'has_server_privilege', ['USAGE']],
        'foreign data wrapper': [`SELECT oid::int8::text AS oid FROM pg_foreign_data_wrapper WHERE fdwname = $1`, 'has_foreign_data_wrapper_privilege', ['USAGE']],
        tablespace: [`SELECT oid::int8::text AS oid FROM pg_tablespace WHERE spcname = $1`, 'has_tablespace_privilege', ['CREATE']],
    };
    const key = t === 'foreign-data wrapper' ? 'foreign data wrapper' : t === 'domain' ? 'type' : t === 'procedure' || t === 'routine' || t === 'aggregate' ? 'function' : t;
    const f = fn[key];
    if (!f)
        return { need: n, status: 'unchecked', detail: `privileges on a ${t} are not read` };
    const privs = n.privilege === 'ALL' ? f[2] : [n.privilege];
    if (privs.some((p) => !f[2].includes(p)))
        return { need: n, status: 'unchecked', detail: `privilege ${n.privilege} on a ${t} is not read` };
    const named = ['schema', 'language', 'server', 'foreign data wrapper', 'tablespace'].includes(key);
    const objs = await q(f[0], named ? [name] : [schema, rel]);
    if (!objs.length)
        return verdict([], `${t} ${name}`);
    const rows = await q(`SELECT p, ${f[1]}($1::oid, o::oid, p || $2) AS ok FROM unnest($3::text[]) p, unnest($4::text[]) o`, [oid, opt, privs, objs.map((o) => o.oid)]);
    return verdict(rows, `${t} ${name}`);
}

;// CONCATENATED MODULE: ./src/privileges/compare.ts


const ATTRIBUTES = [
    ['createrole', 'CREATEROLE', 'can create, alter and drop roles and grant memberships in them'],
    ['createdb', 'CREATEDB', 'can create databases'],
    ['replication', 'REPLICATION', "can stream the cluster's WAL (every database's data) and manage replication slots"],
    ['bypassrls', 'BYPASSRLS', 'ignores every row-level security policy'],
];
/** What each predefined role gives (https://www.postgresql.org/docs/current/predefined-roles.html). */
const PREDEFINED = {
    pg_read_all_data: 'SELECT on every table, view and sequence, USAGE on every schema',
    pg_write_all_data: 'INSERT, UPDATE and DELETE on every table, view and sequence, USAGE on every schema',
    pg_read_server_files: 'reads any file the server can read (COPY FROM a file, pg_read_file)',
    pg_write_server_files: 'writes any file the server can write (COPY TO a file)',
    pg_execute_server_program: 'runs programs on the database server as its OS user (COPY … PROGRAM)',
    pg_signal_backend: "cancels queries and ends other (non-superuser) roles' sessions",
    pg_monitor: 'reads every monitoring view and setting',
    pg_read_all_settings: 'reads every setting',
    pg_read_all_stats: 'reads every statistics view',
    pg_stat_scan_tables: 'runs monitoring functions that lock tables',
    pg_checkpoint: 'runs CHECKPOINT',
    pg_create_subscription: 'creates subscriptions (connects out to other servers)',
    pg_maintain: 'VACUUM, ANALYZE, REINDEX, REFRESH, CLUSTER and LOCK on every relation',
    pg_use_reserved_connections: 'uses the connection slots reserved for administrators',
    pg_database_owner: 'the owner of the current database',
};
function list(xs, max = 8) {
    return xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`;
}
const CREATED_KEY = {
    table: 'rel', view: 'rel', 'materialized view': 'rel', sequence: 'rel', 'foreign table': 'rel', function: 'function', type: 'type',
};
function compare(needs, created, live, meta) {
    const excess = [];
    const shortfall = [];
    const unchecked = [];
    const role = live.role;
    const grantable = needs.filter((n) => n.kind !== 'superuser' && n.kind !== 'unverified');
    const needList = grantable.map(describe);
    const su = needs.filter((n) => n.kind === 'superuser');
    const onlyNeeds = needList.length ? list(needList) : 'owning what they create (and CONNECT)';
    // Role attributes.
    if (role.superuser) {
        const suCount = su.reduce((a, n) => a + n.count, 0);
        excess.push({
            kind: 'superuser',
            what: 'SUPERUSER',
            detail: suCount
                ? `the migration user is SUPERUSER; only ${suCount} superuser-only statement(s) need it (first: ${su[0].site.path}:${su[0].site.line} ${commentSafe(su[0].reason)}): run those as a DBA; the rest needs only: ${onlyNeeds}`
                : `the migration user is SUPERUSER but the migrations need only: ${onlyNeeds}`,
        });
    }
    for (const [k, name, what] of ATTRIBUTES)
        if (role[k] && !needs.some((n) => n.kind === 'role-attribute' && n.privilege === name))
            excess.push({ kind: 'role-attribute', what: name, detail: `has ${name}, not needed (${what})` });
    // Memberships (transitive): needed when a needed membership, ownership or privilege comes through them.
    const neededTargets = new Set(needs.filter((n) => n.kind === 'membership').map((n) => n.object.name));
    const heldVia = new Map();
    for (const c of live.checks) {
        if (c.need.kind === 'superuser' && c.status === 'held' && c.detail?.startsWith('through '))
            heldVia.set(c.detail.slice(8), describe(c.need));
    }
    const used = new Set([...neededTargets, ...live.usedMemberships.keys(), ...heldVia.keys()]);
    // A role on the way to a used one is used too.
    for (const m of live.memberships)
        if (used.has(m.role))
            for (const p of m.path)
                used.add(p);
    for (const m of live.memberships) {
        if (used.has(m.role))
            continue;
        const via = m.path.length > 1 ? ` (through ${m.path.slice(0, -1).join(' → ')})` : '';
        const admin = m.admin ? ' WITH ADMIN OPTION' : '';
        const gives = m.superuser
            ? 'a superuser role: the migration user can SET ROLE to it and do anything'
            : m.predefined
                ? (PREDEFINED[m.role] ?? 'a predefined role')
                : 'no privilege or ownership the migrations need comes from it';
        excess.push({ kind: 'membership', what: `member of ${m.role}${admin}`, detail: `member of ${m.role}${admin}${via}, not needed (${gives})` });
    }
    // Database, schemas and objects: only for a role that is not a superuser (a superuser's
    // privileges come from SUPERUSER, already reported).
    if (!role.superuser) {
        const db = live.database;
        const need = (k, p) => needs.some((n) => n.kind === k && n.privilege === p);
        if (!db.connect)
            shortfall.push({ kind: 'database', what: 'CONNECT on the database', detail: `the role cannot connect to ${live.server.database}` });
        if (db.owner && !need('database', 'OWNER'))
            excess.push({ kind: 'database', what: 'owner of the database', detail: `owns database ${live.server.database}${live.server.dbOwner !== role.name ? ` (through ${live.server.dbOwner})` : ''}, not needed (the owner can drop it, rename it and grant every privilege on it)` });
        if (!db.owner) {
            if (db.create && !db.publicPrivileges.includes('CREATE') && !need('database', 'CREATE'))
                excess.push({ kind: 'database', what: 'CREATE on the database', detail: 'has CREATE on the database, not needed (creates schemas and trusted extensions)' });
            if (db.temporary && !db.publicPrivileges.includes('TEMPORARY') && !need('database', 'TEMPORARY'))
                excess.push({ kind: 'database', what: 'TEMPORARY on the database', detail: 'has TEMPORARY on the database, not needed' });
        }
        const createdSet = new Set(created.map((c) => `${c.type}:${c.name}`));
        for (const s of live.schemas) {
            const madeHere = createdSet.has(`schema:${s.name}`);
            const ownNeeded = needs.some((n) => n.kind === 'ownership' && n.object?.type === 'schema' && n.object.name === s.name);
            const createNeeded = needs.some((n) => (n.kind === 'schema' || n.kind === 'object') && n.object?.type === 'schema' && n.object.name === s.name && n.privilege === 'CREATE');
            if (s.owns && !madeHere && !ownNeeded) {
                const through = s.owner === role.name ? '' : s.owner === 'pg_database_owner' ? ' (through pg_database_owner: the role owns the database)' : ` (through ${s.owner})`;
                excess.push({ kind: 'schema', what: `owner of schema ${s.name}`, detail: `owns schema ${s.name}${through}, not needed${createNeeded ? ' (CREATE on it is enough)' : ''}` });
            }
            else if (!s.owns && s.create && !s.publicPrivileges.includes('CREATE') && !createNeeded)
                excess.push({ kind: 'schema', what: `CREATE on schema ${s.name}`, detail: `has CREATE on schema ${s.name}, not needed` });
        }
        const ownedNeeded = new Set(needs.filter((n) => n.kind === 'ownership').map((n) => `${CREATED_KEY[n.object.type] ?? n.object.type}:${n.object.name}`));
        const everyIn = new Set(needs.filter((n) => n.kind === 'ownership' && n.object.type.startsWith('every ')).map((n) => n.object.name));
        for (const o of live.objects) {
            const key = `${CREATED_KEY[o.type] ?? o.type}:${o.name}`;
            const schema = o.name.slice(0, o.name.indexOf('.'));
            if (o.owns) {
                if (createdSet.has(key) || ownedNeeded.has(key) || everyIn.has(schema))
                    continue;
                excess.push({ kind: 'ownership', what: `owner of ${o.type} ${o.name}`, detail: `owns ${o.type} ${o.name}${o.owner !== role.name ? ` (through ${o.owner})` : ''}, not needed (the migrations neither create nor alter it)` });
                continue;
            }
            const neededPrivs = new Set(needs
                .filter((n) => n.kind === 'object' && n.object.name === o.name && (CREATED_KEY[n.object.type] ?? n.object.type) === (CREATED_KEY[o.type] ?? o.type))
                .flatMap((n) => (n.privilege === 'ALL' ? ['*'] : [n.privilege + (n.grantOption ? '*' : ''), n.privilege])));
            if (neededPrivs.has('*'))
                continue;
            const extra = o.privileges.filter((p) => !neededPrivs.has(p));
            // Held WITH GRANT OPTION where only the privilege is needed: the grant option is the excess.
            const shown = extra.map((p) => (p.endsWith('*') ? (neededPrivs.has(p.slice(0, -1)) ? `grant option of ${p.slice(0, -1)}` : `${p.slice(0, -1)} WITH GRANT OPTION`) : p));
            if (shown.length)
                excess.push({ kind: 'object', what: `${shown.join(', ')} on ${o.type} ${o.name}`, detail: `has ${shown.join(', ')} on ${o.type} ${o.name}, not needed` });
        }
    }
    // Needs the role lacks, and what could not be checked.
    for (const c of live.checks) {
        const n = c.need;
        const site = { path: n.site.path, line: n.site.line };
        if (c.status === 'missing') {
            if (n.kind === 'superuser')
                shortfall.push({ kind: 'superuser', what: `superuser-only: ${commentSafe(n.reason)}`, detail: `superuser-only: ${commentSafe(n.reason)}: ${c.detail ?? ''}`, site, sites: n.sites ?? [site] });
            else
                shortfall.push({ kind: n.kind, what: describe(n), detail: `needs ${describe(n)}${c.detail ? ` (${c.detail})` : ''}: the role lacks it, so ${n.reason} would fail`, site });
        }
        else if (c.status === 'absent' || c.status === 'unchecked') {
            unchecked.push({ kind: n.kind, what: describe(n), detail: `${describe(n)}: ${c.detail ?? 'not checked'}`, site, ...(n.sites ? { sites: n.sites } : {}) });
        }
    }
    const byOwner = new Map();
    for (const c of live.createdNotOwned)
        byOwner.set(c.owner, [...(byOwner.get(c.owner) ?? []), c]);
    for (const [owner, objs] of byOwner)
        shortfall.push({
            kind: 'ownership',
            what: `owner of ${objs.length} object(s) the migrations created, owned by ${owner}`,
            detail: `${objs.length} object(s) the migrations created belong to ${owner}, not to ${role.name} (${list(objs.map((o) => `${o.type} ${o.name}`), 5)}): a later migration that alters or drops them would fail (ALTER … OWNER TO ${role.name}, or make it a member of ${owner})`,
        });
    return {
        version: 1,
        database: live.server.database,
        server: live.server.versionText,
        role,
        memberships: live.memberships.map((m) => m.role),
        sets: meta.sets,
        files: meta.files,
        statements: meta.statements,
        needs: needList,
        excess,
        shortfall,
        unchecked,
        matches: !excess.length && !shortfall.length && !unchecked.length,
    };
}
const LIMIT = 25;
/** One line, no control characters (names come from the database and the migrations), at most `max` characters. */
function oneLine(s, max = 1000) {
    // eslint-disable-next-line no-control-regex
    const t = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/\s+/g, ' ').trim();
    return t.length > max ? t.slice(0, max - 1) + '…' : t;
}
/** Human report. Every line is one line (names from the database and the migrations are made comment-safe). */
function comparisonText(c) {
    const out = [];
    const attrs = ['superuser', 'createrole', 'createdb', 'replication', 'bypassrls'].filter((k) => c.role[k]).map((k) => k.toUpperCase());
    out.push(commentSafe(`Role ${c.role.name} on database ${c.database} (PostgreSQL ${c.server})${attrs.length ? `: ${attrs.join(', ')}` : ''}${c.role.inherit ? '' : ', NOINHERIT'}`));
    if (c.memberships.length)
        out.push(`  member of: ${commentSafe(list(c.memberships, 12))}`);
    out.push(oneLine(`Compared with ${c.files} migration file(s), ${c.statements} statement(s)${c.sets.length ? ` of ${c.sets.join(', ')}` : ''}.`));
    out.push(`The migrations need: ${oneLine(c.needs.length ? list(c.needs, 12) : 'owning what they create (and CONNECT)')}`);
    const section = (title, fs) => {
        out.push('');
        out.push(`${title} (${fs.length}):${fs.length ? '' : ' none'}`);
        for (const f of fs.slice(0, LIMIT)) {
            out.push(`  ${oneLine(f.detail || f.what)}${f.site ? `  [${commentSafe(`${f.site.path}:${f.site.line}`)}]` : ''}`);
            if (f.sites && f.sites.length > 1)
                for (const s of f.sites.slice(1, 10))
                    out.push(`    also ${commentSafe(`${s.path}:${s.line}`)}`);
        }
        if (fs.length > LIMIT)
            out.push(`  … and ${fs.length - LIMIT} more (--format json lists them all)`);
    };
    section('Excess — held, not needed', c.excess);
    section('Shortfall — needed, not held (the next migration that needs it would fail)', c.shortfall);
    if (c.unchecked.length)
        section('Not checked — fail closed: check by hand', c.unchecked);
    out.push('');
    out.push(c.matches ? 'The role holds what the migrations need, and nothing more.' : `Result: ${c.excess.length} excess, ${c.shortfall.length} shortfall${c.unchecked.length ? `, ${c.unchecked.length} not checked` : ''}.`);
    return out.join('\n') + '\n';
}
function comparisonJson(c) {
    return JSON.stringify(c, null, 2) + '\n';
}

// EXTERNAL MODULE: ./src/types.ts
var types = __webpack_require__(8522);
// EXTERNAL MODULE: ./src/cli/lift.ts
var lift = __webpack_require__(1497);
// EXTERNAL MODULE: ./src/cli/args.ts
var args = __webpack_require__(7593);
;// CONCATENATED MODULE: ./src/cli/privileges.ts
// `migration-gate privileges [options] PATH…`: what the role that runs the migrations must hold,
// as a GRANT script (PostgreSQL, MySQL/MariaDB), text or JSON. See docs/privileges.md.
// Exit 0: the script covers every statement; 1: some statements need a superuser or could not be
// derived (listed); 2: usage or configuration error.
// With --database-url: compared with a live PostgreSQL role (read-only catalog queries, live.ts);
// exit 0 the role holds exactly what is needed, 1 excess, shortfall or something not checked,
// 2 usage, connection or query error. The URL and its password never appear in any output.









const PRIVILEGES_USAGE = `Usage: migration-gate privileges [options] PATH...

Derives what the database role that runs the migrations must hold: a GRANT script for a dedicated
migration role (PostgreSQL; MySQL/MariaDB), and the statements only a superuser can run, with file
and line. PATHs are migration files or directories; each migration set found is read whole, in
its runner's order (a file given alone brings the rest of its set from disk).

Options:
  --role NAME           the migration role the script grants to (default: migrator); with
                        --database-url, the live role to inspect (default: the URL's user)
  --format F            ${FORMATS.join(', ')} (default: sql; with --database-url: text or json,
                        default text)
  --dialect D           SQL dialect when the path does not say (${types/* DIALECTS */.O9.slice(0, 4).join(', ')}, …)
  --config FILE         the same config file as check (include/exclude globs, dialect)
  --database-url URL    compare with a live PostgreSQL role (postgres://user@host:port/db):
                        read-only catalog queries; reports the EXCESS (held, not needed) and
                        the SHORTFALL (needed, not held). Also read from MG_DATABASE_URL
                        (unless --format sql).
                        The URL is never printed. MySQL/MariaDB URLs are refused.
  --connect-timeout S   seconds to wait for the connection (default 10)
  -o, --output FILE     write to FILE instead of standard output
  -h, --help            this help

Exit status: 0 every statement is covered by the script; 1 some statements need a superuser or
could not be derived (listed in the output); 2 usage or configuration error.
With --database-url: 0 the role holds what the migrations need and nothing more; 1 excess,
shortfall or something that could not be checked (listed); 2 usage, connection or query error.
`;
const ROLE = /^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/;
async function privilegesMain(argv, io) {
    const fail = (m) => {
        io.stderr(`migration-gate privileges: ${m}\nRun 'migration-gate privileges --help' for usage.\n`);
        return 2;
    };
    let parsed;
    try {
        parsed = (0,args/* parseCommandLine */.D)(argv, {
            role: { type: 'string' },
            format: { type: 'string' },
            dialect: { type: 'string' },
            config: { type: 'string' },
            'database-url': { type: 'string' },
            'connect-timeout': { type: 'string' },
            output: { type: 'string', short: 'o' },
            help: { type: 'boolean', short: 'h' },
        });
    }
    catch (e) {
        return fail(e.message.split('\n')[0]);
    }
    const { values, positionals } = parsed;
    if (values.help) {
        io.stdout(PRIVILEGES_USAGE);
        return 0;
    }
    // MG_DATABASE_URL keeps the password off the command line; an explicit --format sql still prints the script.
    const databaseUrl = values['database-url'] ?? (values.format !== 'sql' && io.env?.MG_DATABASE_URL ? io.env.MG_DATABASE_URL : undefined);
    const live = databaseUrl !== undefined;
    const format = (values.format ?? (live ? 'text' : 'sql'));
    if (!FORMATS.includes(format))
        return fail(`unknown format '${values.format}'${(0,src_config/* didYouMean */.au)(values.format ?? '', FORMATS) || ` (one of ${FORMATS.join(', ')})`}`);
    const role = values.role ?? 'migrator';
    // The role name goes into a script run by a superuser: quoted there, and kept plain here.
    if (!ROLE.test(role))
        return fail(`--role '${role.replace(/[^\x20-\x7e]/g, '?').slice(0, 80)}' is not a plain role name (letters, digits, _ $ -; at most 63)`);
    let dialect;
    if (values.dialect !== undefined) {
        if (!types/* DIALECTS */.O9.includes(values.dialect))
            return fail(`unknown dialect '${values.dialect}'${(0,src_config/* didYouMean */.au)(values.dialect, types/* DIALECTS */.O9)}`);
        dialect = values.dialect;
    }
    let target;
    let connectMs = 10_000;
    if (live) {
        if (format === 'sql')
            return fail('--format sql prints the GRANT script; with --database-url use text or json');
        try {
            target = parseDatabaseUrl(databaseUrl);
        }
        catch (e) {
            // Never echo the URL: it usually carries a password.
            return fail(e.message);
        }
        if (values['connect-timeout'] !== undefined) {
            const s = Number(values['connect-timeout']);
            if (!Number.isFinite(s) || s <= 0 || s > 600)
                return fail(`--connect-timeout must be a number of seconds between 0 and 600`);
            connectMs = Math.round(s * 1000);
        }
    }
    else if (values['connect-timeout'] !== undefined)
        return fail('--connect-timeout needs --database-url');
    if (!positionals.length)
        return fail('no PATH given (migration files or directories)');
    if (positionals.includes('-'))
        return fail("standard input ('-') is not supported: privileges reads whole migration sets");
    let config = {};
    try {
        if (values.config)
            config = (0,src_config/* loadConfigFile */.HT)(values.config);
        (0,guard/* preload */.uv)();
        // A single file (or part of a set) brings the rest of its migration set from disk; run inside
        // a set, the paths are lifted so that the set is seen (src/cli/lift.ts).
        const lifted = await (0,lift/* chooseLift */.NK)((0,discover/* walkArgs */.BY)(positionals), config, true);
        const files = lifted.files;
        const history = lifted.history ?? { history: [], sets: [], notes: [] };
        for (const n of history.notes)
            io.stderr(`migration-gate: ${n}\n`);
        const all = [...files, ...history.history.filter((h) => !files.some((f) => f.path === h.path))];
        const sets = await planAndParse(all, { dialect: dialect ?? config.dialect, config });
        if (!sets.length)
            return fail('no migration found in the given paths');
        for (const s of sets)
            for (const p of s.problems)
                io.stderr(`migration-gate: ${s.name || 'migrations'}: ${p}\n`);
        if (target)
            return await liveMain(sets, target, values.role, format, connectMs, io, values.output, fail);
        const reqs = requirementsOf(sets);
        const out = format === 'json' ? json(reqs, role) : format === 'text' ? grants_text(reqs, role) : reqs.map((r) => script(r, role)).join('\n');
        if (values.output) {
            if (!io.writeFile)
                return fail('--output is not supported here');
            try {
                io.writeFile(values.output, out);
            }
            catch (e) {
                io.stderr(`migration-gate privileges: cannot write ${values.output}: ${e.code ?? e.message}\n`);
                return 2;
            }
        }
        else
            io.stdout(out);
        const incomplete = reqs.some((r) => r.needs.some((n) => n.kind === 'superuser' || n.kind === 'unverified'));
        return incomplete ? 1 : 0;
    }
    catch (e) {
        if (e instanceof src_config/* ConfigError */.xL || e instanceof discover/* DiscoverError */.AT) {
            io.stderr(`migration-gate privileges: ${e.message}\n`);
            return 2;
        }
        throw e;
    }
}
/**
 * The live comparison: every PostgreSQL set's needs (together: one role runs them on one database)
 * against the role read from the database. Sets of other dialects are named and left out.
 */
async function liveMain(sets, target, roleName, format, connectMs, io, output, fail) {
    const tracked = trackersOf(sets);
    const pgSets = tracked.filter((t) => t.requirements.dialect === 'postgresql');
    for (const t of tracked)
        if (t.requirements.dialect !== 'postgresql')
            io.stderr(`migration-gate privileges: ${t.requirements.set || 'migrations'} (${t.requirements.dialect}) left out: the database is PostgreSQL\n`);
    if (!pgSets.length)
        return fail('no PostgreSQL migrations found to compare with the database');
    const needs = [];
    const seen = new Map();
    for (const t of pgSets)
        for (const n of t.requirements.needs) {
            const key = [n.kind, n.privilege, n.reason, n.object?.type, n.object?.name, n.grantOption].join('\0');
            if (!seen.has(key))
                seen.set(key, n), needs.push(n);
        }
    const created = pgSets.flatMap((t) => t.created);
    const started = Date.now();
    let client;
    try {
        client = await connectReadOnly(target, { connectMs, statementMs: 30_000 });
    }
    catch (e) {
        io.stderr(`migration-gate privileges: ${e instanceof LiveError ? e.message : `cannot connect to ${target.host}: ${reason(e, target.url)}`}\n`);
        return 2;
    }
    let state;
    try {
        state = await inspect(client, roleName, needs, created);
    }
    catch (e) {
        io.stderr(`migration-gate privileges: ${e instanceof LiveError ? e.message : `reading the catalog of ${target.host} failed: ${reason(e, target.url)}`}\n`);
        return 2;
    }
    finally {
        await client.end().catch(() => { });
    }
    const cmp = compare(needs, created, state, {
        sets: pgSets.map((t) => t.requirements.set).filter(Boolean),
        files: pgSets.reduce((a, t) => a + t.requirements.files, 0),
        statements: pgSets.reduce((a, t) => a + t.requirements.statements, 0),
    });
    if (io.env?.MG_TIMING)
        io.stderr(`migration-gate privileges: live comparison took ${Date.now() - started} ms\n`);
    const out = format === 'json' ? comparisonJson(cmp) : comparisonText(cmp);
    if (output) {
        if (!io.writeFile)
            return fail('--output is not supported here');
        try {
            io.writeFile(output, out);
        }
        catch (e) {
            io.stderr(`migration-gate privileges: cannot write ${output}: ${e.code ?? e.message}\n`);
            return 2;
        }
    }
    else
        io.stdout(out);
    return cmp.matches ? 0 : 1;
}


/***/ })

};
