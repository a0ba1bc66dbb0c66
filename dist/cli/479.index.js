export const id = 479;
export const ids = [479];
export const modules = {

/***/ 8479:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  MYSQL_DEFAULTS: () => (/* binding */ MYSQL_DEFAULTS),
  replayMysql: () => (/* binding */ replayMysql)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/replay/classify.ts
// Classifies a statement's text before the sandbox runs it: transaction control (skipped: each
// statement runs in its own transaction), psql meta-commands, and the two COPY forms PGlite cannot
// serve (FROM STDIN waits forever for client data; … PROGRAM makes PGlite lose protocol sync).
//
// Hand-written rather than libpg-query: the worker must start fast and small, and all it needs is
// the leading keywords and whether a word appears outside quotes. The words are PostgreSQL's lexical
// rules (scan.l): `--` and nested `/* */` comments, '…' / E'…' strings, "…" identifiers and
// $tag$…$tag$ bodies are skipped.
/** The statement's words outside comments, strings, quoted identifiers and dollar bodies, lower-cased. */
function words(sql, max = Infinity) {
    const out = [];
    const n = sql.length;
    let i = 0;
    while (i < n && out.length < max) {
        const c = sql[i];
        if (c === '-' && sql[i + 1] === '-') {
            const e = sql.indexOf('\n', i);
            i = e < 0 ? n : e + 1;
        }
        else if (c === '/' && sql[i + 1] === '*') {
            let depth = 1;
            i += 2;
            while (i < n && depth > 0) {
                if (sql[i] === '/' && sql[i + 1] === '*')
                    (depth++, (i += 2));
                else if (sql[i] === '*' && sql[i + 1] === '/')
                    (depth--, (i += 2));
                else
                    i++;
            }
        }
        else if (c === "'" || c === '"') {
            i++;
            while (i < n) {
                if (sql[i] === c) {
                    if (sql[i + 1] === c)
                        i += 2;
                    else
                        break;
                }
                else if (c === "'" && sql[i] === '\\')
                    i += 2; // E'' strings; harmless over-skip otherwise
                else
                    i++;
            }
            i++;
        }
        else if (c === '$') {
            const m = /^\$([A-Za-z_][A-Za-z_0-9]*)?\$/.exec(sql.slice(i, i + 64));
            if (m) {
                const e = sql.indexOf(m[0], i + m[0].length);
                i = e < 0 ? n : e + m[0].length;
            }
            else
                i++;
        }
        else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
            let j = i + 1;
            while (j < n && /[A-Za-z_0-9$\u0080-\uffff]/.test(sql[j]))
                j++;
            out.push(sql.slice(i, j).toLowerCase());
            i = j;
        }
        else
            i++;
    }
    return out;
}
const TX = new Set(['begin', 'start', 'commit', 'end', 'rollback', 'abort', 'savepoint', 'release']);
function classifyPg(sql) {
    const trimmed = sql.replace(/^(\s|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/, '');
    if (trimmed.startsWith('\\'))
        return { run: false, skipped: 'psql meta-command (not SQL)' };
    const w = words(sql, 4);
    if (!w.length)
        return { run: false, skipped: 'empty statement' };
    if (TX.has(w[0]) || (w[0] === 'prepare' && w[1] === 'transaction') || ((w[0] === 'commit' || w[0] === 'rollback') && w[1] === 'prepared'))
        return { run: false, skipped: `transaction control (${w.slice(0, 2).join(' ').toUpperCase()}): each statement runs in its own transaction` };
    if (w[0] === 'copy') {
        const all = words(sql);
        if (all.includes('program'))
            return { run: false, skipped: 'sandbox policy: COPY … PROGRAM runs a program on the database server; not executed (the WASM engine cannot spawn programs)' };
        const from = all.indexOf('from');
        if (from > 0 && (all[from + 1] === 'stdin' || all[from + 1] === 'pstdin'))
            return { run: false, skipped: 'COPY … FROM STDIN: the rows come from the client (psql), not from the statement; data is not replayed' };
    }
    return { run: true };
}
const SQLITE_TX = new Set(['begin', 'commit', 'end', 'rollback', 'savepoint', 'release']);
function classifySqlite(sql) {
    const trimmed = sql.replace(/^(\s|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/, '');
    if (trimmed.startsWith('.'))
        return { run: false, skipped: 'sqlite3 shell dot-command (not SQL)' };
    const w = words(sql, 2);
    if (!w.length)
        return { run: false, skipped: 'empty statement' };
    if (SQLITE_TX.has(w[0]))
        return { run: false, skipped: `transaction control (${w[0].toUpperCase()}): each statement runs in its own transaction` };
    return { run: true };
}
/**
 * A MySQL/MariaDB statement's tokens as the server's lexer sees them (sql/sql_lex.cc): `-- ` (two
 * dashes then a space or control character) and `#` comments to the end of the line, `/* … *\/`
 * comments, but `/*!NNNNN … *\/` and MariaDB's `/*M!NNNNNN … *\/` are code the server runs, so
 * their content is read; '…' and "…" strings (backslash escapes, doubled quotes) are skipped;
 * `…` identifiers are kept (kind 'q'); words are lower-cased; punctuation is one token per character.
 */
function mysqlTokens(sql) {
    const out = [];
    const n = sql.length;
    let i = 0;
    while (i < n) {
        const c = sql[i];
        if ((c === '-' && sql[i + 1] === '-' && (i + 2 >= n || /[\s\x00-\x1f]/.test(sql[i + 2]))) || c === '#') {
            const e = sql.indexOf('\n', i);
            i = e < 0 ? n : e + 1;
        }
        else if (c === '/' && sql[i + 1] === '*') {
            const m = /^\/\*(M?!)([0-9]{5,6})?/.exec(sql.slice(i, i + 12));
            if (m && m[1])
                i += m[0].length; // executable comment: read on; its closing `*/` is skipped below
            else {
                const e = sql.indexOf('*/', i + 2);
                i = e < 0 ? n : e + 2;
            }
        }
        else if (c === '*' && sql[i + 1] === '/')
            i += 2;
        else if (c === "'" || c === '"') {
            i++;
            while (i < n) {
                if (sql[i] === '\\')
                    i += 2;
                else if (sql[i] === c) {
                    if (sql[i + 1] === c)
                        i += 2;
                    else
                        break;
                }
                else
                    i++;
            }
            i++;
        }
        else if (c === '`') {
            let j = i + 1;
            let v = '';
            while (j < n) {
                if (sql[j] === '`') {
                    if (sql[j + 1] === '`')
                        ((v += '`'), (j += 2));
                    else
                        break;
                }
                else
                    v += sql[j++];
            }
            out.push({ k: 'q', v: v.toLowerCase() });
            i = j + 1;
        }
        else if (/[A-Za-z0-9_$\u0080-\uffff]/.test(c)) {
            let j = i + 1;
            while (j < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j]))
                j++;
            out.push({ k: 'w', v: sql.slice(i, j).toLowerCase() });
            i = j;
        }
        else {
            if (!/\s/.test(c))
                out.push({ k: 'p', v: c });
            i++;
        }
    }
    return out;
}
const MYSQL_TX = new Set(['begin', 'commit', 'rollback', 'savepoint', 'release', 'xa']);
/** Statements that act on the server, not on one database: never run on the user's server. */
const MYSQL_GLOBAL_FIRST = new Set([
    'grant', 'revoke', 'flush', 'kill', 'shutdown', 'install', 'uninstall', 'load', 'use', 'purge', 'reset', 'change', 'stop', 'backup',
    'binlog', 'cache', 'restart', 'clone', 'import',
]);
/** The statement's first two words (after CREATE's OR REPLACE): account, database, server-wide statements. */
const MYSQL_GLOBAL_START = new Set([
    'create user', 'drop user', 'alter user', 'rename user', 'create role', 'drop role', 'set password', 'set role', 'set default',
    'create database', 'create schema', 'drop database', 'drop schema', 'alter database', 'alter schema', 'create server', 'alter server',
    'drop server', 'create tablespace', 'alter tablespace', 'drop tablespace', 'create logfile', 'alter logfile', 'alter instance',
    'start slave', 'start replica', 'start group_replication', 'start all', 'set global', 'set persist', 'set persist_only',
]);
/** Anywhere in the statement (routine bodies included): file access. */
const MYSQL_FILE_PAIRS = new Set(['into outfile', 'into dumpfile', 'load data', 'load xml', 'data directory', 'index directory']);
/** Storage engines whose tables live in the database's own files (others reach files or other servers: CONNECT, FEDERATED, SPIDER…). */
const MYSQL_ENGINES = new Set(['innodb', 'myisam', 'aria', 'memory', 'heap', 'archive', 'blackhole', 'csv', 'mrg_myisam', 'merge', 'sequence']);
/** Databases every server has; `information_schema` is read-only and migrations read it for conditional DDL. */
const MYSQL_SYSTEM_DBS = ['mysql', 'performance_schema', 'sys'];
/**
 * May this statement run on the user's MySQL/MariaDB server, inside the throwaway database? The
 * first of two layers (the second: the sandbox account has privileges on that database only).
 * Refused here, and left to the static rules: statements on the server rather than one database
 * (accounts, grants, global variables, replication, plugins, other databases), file access
 * (INTO OUTFILE/DUMPFILE, LOAD DATA/XML, LOAD_FILE(), DATA/INDEX DIRECTORY), storage engines that
 * reach files or other servers, and names qualified with another database of that server
 * (`otherDbs`, lower-cased). Dynamic SQL (PREPARE/EXECUTE, routine bodies) cannot be read here: the
 * account's privileges contain it.
 */
function classifyMysql(sql, otherDbs = new Set()) {
    const t = mysqlTokens(sql);
    const w = t.filter((x) => x.k === 'w').map((x) => x.v);
    if (!t.length)
        return { run: false, skipped: 'empty statement' };
    if (t[0].k === 'w' && t[0].v === 'delimiter')
        return { run: false, skipped: 'DELIMITER is a client (mysql) command, not SQL' };
    if (MYSQL_TX.has(w[0]) || (w[0] === 'start' && w[1] === 'transaction') || (w[0] === 'set' && w[1] === 'autocommit') || (w[0] === 'lock' && w[1] === 'tables') || w[0] === 'unlock')
        return { run: false, skipped: `transaction control (${w.slice(0, 2).join(' ').toUpperCase()}): each statement runs on its own` };
    const policy = (what) => ({ run: false, skipped: `sandbox policy: ${what}; not run on the database server (judged by the static rules)` });
    if (t[0].k === 'w' && MYSQL_GLOBAL_FIRST.has(w[0]))
        return policy(`${w[0].toUpperCase()} acts on the server, not on one database`);
    const lead = w[0] === 'create' && w[1] === 'or' && w[2] === 'replace' ? ['create', w[3]] : w.slice(0, 2);
    if (t[0].k === 'w' && MYSQL_GLOBAL_START.has(lead.join(' ')))
        return policy(`${lead.join(' ').toUpperCase()} acts on the server, not on one database`);
    for (let i = 0; i < t.length; i++) {
        const a = t[i];
        const b = t[i + 1];
        if (a.k === 'w' && b?.k === 'w' && MYSQL_FILE_PAIRS.has(`${a.v} ${b.v}`))
            return policy(`${a.v.toUpperCase()} ${b.v.toUpperCase()} reads or writes files on the server`);
        if (a.k === 'w' && (a.v === 'grant' || a.v === 'revoke' || a.v === 'load_file' || a.v === 'soname'))
            return policy(`${a.v.toUpperCase()} reaches beyond the throwaway database`);
        // @@global.x, @@persist.x
        if (a.v === '@' && b?.v === '@' && t[i + 2]?.k === 'w' && /^(global|persist|persist_only)$/.test(t[i + 2].v))
            return policy(`@@${t[i + 2].v} sets a server variable`);
        if (a.k === 'w' && a.v === 'global' && t.slice(0, i).some((x) => x.k === 'w' && x.v === 'set'))
            return policy('SET GLOBAL sets a server variable');
        if (a.k === 'w' && a.v === 'engine') {
            const e = t[i + 1]?.v === '=' ? t[i + 2] : t[i + 1];
            if (e && e.k !== 'p' && !MYSQL_ENGINES.has(e.v))
                return policy(`storage engine ${e.v.toUpperCase()} may reach files or other servers`);
        }
        // db.name: a name qualified with another database of the server (or a system one).
        if (a.k !== 'p' && b?.v === '.' && t[i + 2] && t[i + 2].k !== 'p' && (otherDbs.has(a.v) || MYSQL_SYSTEM_DBS.includes(a.v))) {
            if (t[i - 1]?.v === '.' || t[i - 1]?.v === '@')
                continue; // tbl.col after a database, or @@session.x
            return policy(`names database \`${a.v}\`, outside the throwaway database`);
        }
    }
    return { run: true };
}

;// CONCATENATED MODULE: ./src/replay/facts.ts
function toMap(list) {
    const m = new Map();
    for (const f of list)
        m.set(f.k, f);
    return m;
}
const ROLE_ATTRS = new Set(['superuser', 'createrole', 'createdb', 'replication', 'bypassrls', 'login', 'inherit']);
function show(v) {
    if (v === null || v === undefined)
        return 'none';
    if (Array.isArray(v))
        return v.length ? v.join(', ') : '(empty)';
    if (typeof v === 'object')
        return JSON.stringify(v);
    return String(v);
}
function same(x, y) {
    if (x === y)
        return true;
    // Scalars (most attributes) compare directly; undefined and null are one value here.
    if ((x === null || x === undefined) && (y === null || y === undefined))
        return true;
    if (typeof x !== 'object' || typeof y !== 'object')
        return false;
    return JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
}
const TRIGGER_STATE = { O: 'enabled', D: 'disabled', R: 'replica only', A: 'always' };
/** Privileges per grantee: 'analyst gains SELECT, UPDATE'. */
function aclChanges(f, before, after, preexisting) {
    const b = new Set(before);
    const a = new Set(after);
    const gained = new Map();
    const lost = new Map();
    for (const x of a)
        if (!b.has(x))
            push(gained, x);
    for (const x of b)
        if (!a.has(x))
            push(lost, x);
    const out = [];
    const on = f.kind === 'default privileges' ? f.name : `${f.kind} ${f.name}`;
    for (const [grantee, privs] of gained)
        out.push({ change: 'acl-granted', kind: f.kind, object: f.name, preexisting, detail: `${grantee} gains ${privs.join(', ')} on ${on}`, after: `${grantee}:${privs.join(',')}` });
    for (const [grantee, privs] of lost)
        out.push({ change: 'acl-revoked', kind: f.kind, object: f.name, preexisting, detail: `${grantee} loses ${privs.join(', ')} on ${on}`, before: `${grantee}:${privs.join(',')}` });
    return out;
    function push(m, x) {
        const i = x.lastIndexOf(':');
        const g = x.slice(0, i);
        const p = x.slice(i + 1).replace(/\*$/, ' WITH GRANT OPTION');
        (m.get(g) ?? m.set(g, []).get(g)).push(p);
    }
}
/**
 * Changes from `before` to `after`. `pre(k)`: did the object exist before the judged file (by
 * identity)? Sub-objects (columns, indexes, triggers, policies, rules) of a relation that was itself
 * created or dropped are not listed separately.
 */
function diffFacts(before, after, pre) {
    const out = [];
    const created = new Set();
    const dropped = new Set();
    for (const k of after.keys())
        if (!before.has(k))
            created.add(k);
    for (const k of before.keys())
        if (!after.has(k))
            dropped.add(k);
    const covered = (f) => f.parent !== undefined && (created.has(f.parent) || dropped.has(f.parent));
    let byTable;
    for (const k of dropped) {
        const f = before.get(k);
        if (covered(f))
            continue;
        const c = special(f, 'dropped');
        const change = { change: c.change, kind: f.kind, object: f.name, preexisting: pre(k), detail: c.detail, before: c.value };
        if (f.kind === 'index' && f.a.cover) {
            byTable ??= uniqueIndexesByTable(after);
            const g = coveringIndex(f, byTable);
            if (g)
                change.coveredBy = g.name;
        }
        out.push(change);
        if (f.k.startsWith('da') && f.acl)
            out.push(...aclChanges(f, f.acl, [], pre(k)));
    }
    for (const k of created) {
        const f = after.get(k);
        if (covered(f))
            continue;
        const c = special(f, 'created');
        out.push({ change: c.change, kind: f.kind, object: f.name, preexisting: pre(k), detail: c.detail, after: c.value });
        // Privileges beyond the owner's on a new object (CREATE SCHEMA … GRANT, default privileges).
        if (f.acl && !f.dflt) {
            const extra = f.acl.filter((x) => x.slice(0, x.lastIndexOf(':')) !== f.owner);
            out.push(...aclChanges(f, [], extra, pre(k)));
        }
    }
    for (const [k, fa] of after) {
        const fb = before.get(k);
        // The same object: a fact an incremental read carried over unread (pg.ts `advance`).
        if (!fb || fb === fa)
            continue;
        const p = pre(k);
        const object = fa.name;
        const keys = new Set([...Object.keys(fb.a), ...Object.keys(fa.a)]);
        for (const key of keys) {
            if (key === 'cover')
                continue; // read for coveringIndex, not a change of its own
            const x = fb.a[key];
            const y = fa.a[key];
            if (same(x, y))
                continue;
            const base = { kind: fa.kind, object, preexisting: p, before: show(x), after: show(y) };
            if (key === 'name')
                out.push({ ...base, change: 'renamed', object, detail: `${fb.name} → ${fa.name}` });
            else if (key === 'owner')
                out.push({ ...base, change: 'owner-changed', detail: `owner: ${show(x)} → ${show(y)}` });
            else if (key === 'type')
                out.push({ ...base, change: 'type-changed', detail: `${show(x)} → ${show(y)}` });
            else if (key === 'persistence')
                out.push({ ...base, change: 'persistence-changed', detail: `${show(x)} → ${show(y)}` });
            else if (key === 'rls')
                out.push({ ...base, change: y ? 'rls-enabled' : 'rls-disabled', detail: `row level security: ${y ? 'enabled' : 'disabled'}` });
            else if (key === 'forcerls')
                out.push({ ...base, change: y ? 'rls-forced' : 'rls-unforced', detail: `row level security forced for the owner: ${y ? 'yes' : 'no'}` });
            else if (key === 'notnull')
                out.push({ ...base, change: y ? 'not-null-set' : 'not-null-dropped', detail: `NOT NULL: ${show(x)} → ${show(y)}` });
            else if (key === 'default')
                out.push({ ...base, change: 'default-changed', detail: `default: ${show(x)} → ${show(y)}` });
            else if (ROLE_ATTRS.has(key))
                out.push({ ...base, change: y ? 'attribute-granted' : 'attribute-revoked', detail: `${key}: ${show(x)} → ${show(y)}` });
            else if (key === 'secdef')
                out.push({ ...base, change: y ? 'security-definer' : 'security-invoker', detail: `SECURITY ${y ? 'DEFINER' : 'INVOKER'}` });
            else if (key === 'body')
                out.push({ ...base, change: 'body-replaced', detail: 'function body replaced', before: undefined, after: undefined });
            else if (key === 'config' || key === 'settings')
                out.push({ ...base, change: 'setting-changed', detail: `settings: ${show(x)} → ${show(y)}` });
            else if (key === 'options')
                out.push({ ...base, change: 'options-changed', detail: `options: ${show(x)} → ${show(y)}` });
            else if (key === 'enabled' && (fa.kind === 'trigger' || fa.kind === 'event trigger' || fa.kind === 'rule')) {
                const s = TRIGGER_STATE[String(y)] ?? show(y);
                out.push({ ...base, change: y === 'D' ? `${fa.kind === 'rule' ? 'rule' : 'trigger'}-disabled` : `${fa.kind === 'rule' ? 'rule' : 'trigger'}-enabled`, detail: `${TRIGGER_STATE[String(x)] ?? show(x)} → ${s}` });
            }
            else if (key === 'last_value') {
                const xb = x === null || x === undefined ? null : BigInt(String(x));
                const yb = y === null || y === undefined ? null : BigInt(String(y));
                if (xb !== null && (yb === null || yb < xb))
                    out.push({ ...base, change: 'sequence-reset', detail: `last value ${show(x)} → ${yb === null ? 'restarted' : show(y)}` });
            }
            else
                out.push({ ...base, change: 'altered', detail: `${key}: ${show(x)} → ${show(y)}` });
        }
        if (!same(fb.acl, fa.acl))
            out.push(...aclChanges(fa, fb.acl ?? [], fa.acl ?? [], p));
    }
    return out;
}
/** The unique indexes (and unique or primary key constraints' indexes) of each table. */
function uniqueIndexesByTable(facts) {
    const m = new Map();
    for (const f of facts.values()) {
        if (f.kind !== 'index' || !f.a.cover || f.parent === undefined)
            continue;
        (m.get(f.parent) ?? m.set(f.parent, []).get(f.parent)).push(f);
    }
    return m;
}
/**
 * A unique index left after the statement that still rejects every duplicate the dropped unique
 * index `f` rejected: on the same table, usable, not partial, its key columns all plain columns
 * among `f`'s (rows equal on f's columns are equal on a subset of them), and NULLS NOT DISTINCT if
 * `f` was (otherwise rows with NULLs that f refused get in). PostgreSQL: "a unique constraint ...
 * the combination of values in all the indicated columns is unique" (ddl-constraints.html#DDL-CONSTRAINTS-UNIQUE-CONSTRAINTS).
 */
function coveringIndex(f, byTable) {
    const c = f.a.cover;
    if (f.parent === undefined || !Array.isArray(c.keys))
        return undefined;
    const keys = new Set(c.keys.filter((k) => k > 0));
    for (const g of byTable.get(f.parent) ?? []) {
        const d = g.a.cover;
        if (!d.valid || d.partial || !Array.isArray(d.keys) || !d.keys.length)
            continue;
        if (!d.keys.every((k) => k > 0 && keys.has(k)))
            continue;
        if (c.nnd && !d.nnd)
            continue;
        return g;
    }
    return undefined;
}
/** Memberships and settings are rows of their own; they read better as grants than as objects. */
function special(f, what) {
    if (f.k.startsWith('m'))
        return { change: what === 'created' ? 'member-added' : 'member-removed', detail: `${f.name}${f.a.admin ? ' (with admin option)' : ''}` };
    if (f.k.startsWith('set'))
        return { change: 'setting-changed', detail: `settings: ${what === 'created' ? `none → ${show(f.a.settings)}` : `${show(f.a.settings)} → none`}`, value: show(f.a.settings) };
    if (f.kind === 'column' && f.a.type !== undefined)
        return { change: what, value: String(f.a.type) };
    if (f.kind === 'index' && f.a.unique === true)
        return { change: what, detail: 'unique index' };
    return { change: what };
}

// EXTERNAL MODULE: ./src/replay/stats.ts
var stats = __webpack_require__(1012);
// EXTERNAL MODULE: ./src/replay/url.ts
var replay_url = __webpack_require__(6718);
;// CONCATENATED MODULE: ./src/replay/mysql.ts
// Replay on a MySQL or MariaDB server the user names (`--database-url` / the `database-url` input):
// no embedded engine of either exists, so the history and the judged files run, statement by
// statement, on a real server, and the catalog is read from information_schema before and after each
// judged statement. The result has the same shape as the WASM engines' (src/replay/types.ts).
//
// The server is the user's, so the sandbox is built on it, in two layers:
// 1. A throwaway database `mg_replay_<hex>` and a throwaway account of the same name with ALL
//    PRIVILEGES on that database only (no global privilege: no FILE, SUPER, CREATE USER, GRANT
//    OPTION), made with the URL's account (which needs CREATE USER and GRANT OPTION, as root in a
//    `services:` container has). Every statement runs as the throwaway account, so the server itself
//    refuses what reaches beyond the database, dynamic SQL and routine bodies included. Both are
//    dropped at the end, on error too. MySQL DDL commits implicitly (it cannot be rolled back): the
//    throwaway database is the only undo.
// 2. Before that, classifyMysql (src/replay/classify.ts) refuses to send what acts on the server
//    rather than on one database (accounts, GRANT/REVOKE, SET GLOBAL, LOAD DATA, INTO OUTFILE, names
//    qualified with another database of the server…): those are skipped and left to the static rules.
// What the server refuses, or what was skipped, is an outcome without effects; the state builder then
// treats what it touches as unknown (fail closed), as for the WASM engines.
//
// The URL (and its password) never appears in any message: errors are redacted with redactUrl.





/** A real server is slower than an in-memory engine: its own defaults (the request's limits win). */
const MYSQL_DEFAULTS = { timeoutMs: 120_000, statementTimeoutMs: 10_000 };
const MAX_ERROR = 600;
function msg(e) {
    return e instanceof Error ? e.message : String(e);
}
/** Identity across snapshots: information_schema has no OIDs (see IdTracker.take). */
class IdTracker {
    next = 1;
    tables = new Map();
    columns = new Map();
    routines = new Map();
    id() {
        return this.next++;
    }
}
/**
 * The catalog of database `db` as facts. A table keeps its id while its name does; a table that
 * appears while one of the same columns (names and types) disappears was renamed (RENAME TABLE,
 * ALTER TABLE … RENAME) and keeps the id. A column keeps its id while its name does, or, renamed,
 * its position and type. Known limit: a swap of two tables' names in one multi-table RENAME is not
 * seen (the names stay, the ids too).
 */
async function readFacts(admin, db, ids, caseFold) {
    const q = async (sql) => (await admin.query({ sql, values: [db] }))[0] ?? [];
    const [tables, columns, stats, views, routines, triggers, checks] = await Promise.all([
        q('SELECT TABLE_NAME n, TABLE_TYPE t, ENGINE e, TABLE_COLLATION c FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?'),
        q('SELECT TABLE_NAME tn, COLUMN_NAME n, ORDINAL_POSITION p, COLUMN_TYPE t, IS_NULLABLE nl, COLUMN_DEFAULT d, COLLATION_NAME c, EXTRA x FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION'),
        q('SELECT TABLE_NAME tn, INDEX_NAME n, NON_UNIQUE u, SEQ_IN_INDEX s, COLUMN_NAME c FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX'),
        q('SELECT TABLE_NAME n, VIEW_DEFINITION d, SECURITY_TYPE s FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?'),
        q('SELECT ROUTINE_NAME n, ROUTINE_TYPE t, ROUTINE_DEFINITION d, SECURITY_TYPE s FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?'),
        q('SELECT TRIGGER_NAME n, EVENT_OBJECT_TABLE tn, ACTION_STATEMENT d, ACTION_TIMING w, EVENT_MANIPULATION e FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?'),
        // MariaDB only (MySQL's CHECK_CONSTRAINTS has no TABLE_NAME): see isMariaJson.
        q('SELECT TABLE_NAME tn, CHECK_CLAUSE c FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?').catch(() => []),
    ]);
    // MariaDB's JSON is LONGTEXT with an automatic CHECK (json_valid(`col`)) (https://mariadb.com/kb/en/json-data-type/):
    // information_schema says 'longtext'; the type is written 'json' so that it compares with the JSON the files spell.
    const jsonCols = new Set();
    for (const c of checks) {
        const m = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(String(c.c ?? '').trim());
        if (m)
            jsonCols.add(`${String(c.tn).toLowerCase()}\0${m[1].replace(/``/g, '`').toLowerCase()}`);
    }
    for (const c of columns)
        if (String(c.t).toLowerCase() === 'longtext' && jsonCols.has(`${String(c.tn).toLowerCase()}\0${String(c.n).toLowerCase()}`))
            c.t = 'json';
    const key = (s) => (caseFold ? String(s).toLowerCase() : String(s));
    const colsOf = new Map();
    for (const c of columns)
        (colsOf.get(key(c.tn)) ?? colsOf.set(key(c.tn), []).get(key(c.tn))).push(c);
    const sigOf = (name) => (colsOf.get(key(name)) ?? []).map((c) => `${String(c.n).toLowerCase()} ${c.t}`).join(',');
    // Tables: by name, else a vanished table of the same columns (a rename).
    const vanished = new Map([...ids.tables].filter(([n]) => !tables.some((t) => key(t.n) === n)));
    const tableIds = new Map();
    for (const t of tables) {
        const name = key(t.n);
        const sig = sigOf(name);
        let prev = ids.tables.get(name);
        if (!prev)
            for (const [n, v] of vanished)
                if (v.sig === sig && sig) {
                    prev = v;
                    vanished.delete(n);
                    break;
                }
        tableIds.set(name, { id: prev?.id ?? ids.id(), sig });
    }
    ids.tables = tableIds;
    const out = [];
    const snap = { relations: {}, schemas: {}, roles: {}, functions: {} };
    const viewDef = new Map(views.map((v) => [key(v.n), v]));
    const newColumns = new Map();
    for (const t of tables) {
        const name = String(t.n);
        const { id } = tableIds.get(key(name));
        const kind = t.t === 'VIEW' || t.t === 'SYSTEM VIEW' ? 'view' : t.t === 'SEQUENCE' ? 'sequence' : 'table';
        const a = { name };
        if (kind === 'table')
            ((a.engine = t.e), (a.collation = t.c));
        const v = viewDef.get(key(name));
        if (v)
            ((a.definition = v.d), (a.secdef = v.s === 'DEFINER'));
        out.push({ k: `t${id}`, kind, name, a, acl: null, dflt: true });
        const rel = { kind, id, persistence: 'permanent', columns: {} };
        snap.relations[name] = rel;
        const prevCols = ids.columns.get(id) ?? new Map();
        const list = colsOf.get(key(name)) ?? [];
        const unmatched = new Map([...prevCols].filter(([n]) => !list.some((c) => String(c.n).toLowerCase() === n)).map(([, c]) => [c.pos, c]));
        const cols = new Map();
        for (const c of list) {
            const cname = String(c.n);
            const p = prevCols.get(cname.toLowerCase());
            const r = !p ? unmatched.get(Number(c.p)) : undefined;
            const cid = p ? p.id : r && r.type === String(c.t) ? r.id : ids.id();
            cols.set(cname.toLowerCase(), { id: cid, pos: Number(c.p), type: String(c.t) });
            const ca = { name: cname, type: String(c.t), notnull: c.nl === 'NO', default: c.d === null ? undefined : String(c.d) };
            if (c.c !== null && c.c !== undefined)
                ca.collation = String(c.c);
            if (c.x)
                ca.extra = String(c.x);
            out.push({ k: `a${cid}`, kind: 'column', name: `${name}.${cname}`, parent: `t${id}`, a: ca, acl: null, dflt: true });
            rel.columns[cname] = { type: String(c.t), notNull: c.nl === 'NO' };
        }
        newColumns.set(id, cols);
    }
    ids.columns = newColumns;
    const indexes = new Map();
    for (const s of stats) {
        const k = `${key(s.tn)}\0${s.n}`;
        const ix = indexes.get(k) ?? indexes.set(k, { table: String(s.tn), name: String(s.n), unique: Number(s.u) === 0, cols: [] }).get(k);
        ix.cols.push(String(s.c));
    }
    for (const ix of indexes.values()) {
        const t = tableIds.get(key(ix.table));
        if (!t)
            continue;
        out.push({ k: `i${t.id}:${ix.name}`, kind: 'index', name: `${ix.table}.${ix.name}`, parent: `t${t.id}`, a: { name: ix.name, columns: ix.cols.join(', '), unique: ix.unique }, acl: null, dflt: true });
    }
    for (const r of routines) {
        const rk = `${r.t}:${String(r.n).toLowerCase()}`;
        const id = ids.routines.get(rk) ?? ids.id();
        ids.routines.set(rk, id);
        const name = `${r.n}()`;
        out.push({ k: `r${id}`, kind: 'function', name, a: { secdef: r.s === 'DEFINER', body: r.d }, acl: null, dflt: true });
        snap.functions[name] = { id, securityDefiner: r.s === 'DEFINER', language: 'sql' };
    }
    for (const g of triggers) {
        const t = tableIds.get(key(g.tn));
        out.push({ k: `g${t?.id ?? 0}:${g.n}`, kind: 'trigger', name: `${g.n} on ${g.tn}`, ...(t ? { parent: `t${t.id}` } : {}), a: { definition: g.d, timing: `${g.w} ${g.e}` }, acl: null, dflt: true });
    }
    return { facts: toMap(out), snap };
}
/** The replay on the server. Throws DatabaseUrlError (a safe message) when the sandbox cannot be set up. */
async function replayMysql(req) {
    try {
        return await replayOnServer(req);
    }
    catch (e) {
        if (e instanceof replay_url/* DatabaseUrlError */.PT)
            throw e;
        throw new replay_url/* DatabaseUrlError */.PT(`the replay on the database server failed: ${(0,replay_url/* redactUrl */.BO)(msg(e), req.databaseUrl).slice(0, MAX_ERROR)}`);
    }
}
async function replayOnServer(req) {
    const t0 = Date.now();
    const url = req.databaseUrl;
    if (!url)
        throw new replay_url/* DatabaseUrlError */.PT('MySQL/MariaDB replay needs a database URL');
    const safe = (s) => (0,replay_url/* redactUrl */.BO)(s, url);
    const base = (0,replay_url/* parseDatabaseUrl */.mx)(url);
    const timeoutMs = req.timeoutMs ?? MYSQL_DEFAULTS.timeoutMs;
    const statementTimeoutMs = req.statementTimeoutMs ?? MYSQL_DEFAULTS.statementTimeoutMs;
    const { createConnection } = await __webpack_require__.e(/* import() */ 588).then(__webpack_require__.t.bind(__webpack_require__, 7588, 19));
    const hex = (0,external_node_crypto_.randomBytes)(6).toString('hex');
    const db = `mg_replay_${hex}`;
    const account = `'${db}'@'%'`;
    const accountPassword = (0,external_node_crypto_.randomBytes)(18).toString('base64url');
    const hide = (s) => safe(s).split(db).join('<sandbox>').slice(0, MAX_ERROR);
    let admin;
    try {
        admin = await createConnection(base);
    }
    catch (e) {
        throw new replay_url/* DatabaseUrlError */.PT(`cannot connect to the database server: ${safe(msg(e))}`);
    }
    admin.on('error', () => { });
    let sandbox;
    const created = { db: false, user: false };
    const outcomes = [];
    const before = {};
    let after = { relations: {}, schemas: {}, roles: {}, functions: {} };
    let limit;
    let limitDetail;
    let caseFold = false;
    try {
        let otherDbs;
        try {
            const [rows] = (await admin.query('SELECT @@lower_case_table_names l, VERSION() v'));
            caseFold = Number(rows[0]?.l ?? 0) !== 0;
            const [dbs] = (await admin.query('SHOW DATABASES'));
            otherDbs = new Set(dbs.map((r) => String(Object.values(r)[0]).toLowerCase()).filter((n) => n !== 'information_schema'));
            await admin.query(`CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4`);
            created.db = true;
            await admin.query(`CREATE USER ${account} IDENTIFIED BY '${accountPassword}'`);
            created.user = true;
            await admin.query(`GRANT ALL PRIVILEGES ON \`${db}\`.* TO ${account}`);
        }
        catch (e) {
            throw new replay_url/* DatabaseUrlError */.PT(`cannot set up the throwaway database and account on the server (the URL's account needs CREATE, CREATE USER and GRANT OPTION): ${hide(msg(e))}`);
        }
        const { user: _u, password: _p, ...where } = base;
        try {
            sandbox = await createConnection({ ...where, user: db, password: accountPassword, database: db });
        }
        catch (e) {
            throw new replay_url/* DatabaseUrlError */.PT(`cannot connect as the throwaway account: ${hide(msg(e))}`);
        }
        sandbox.on('error', () => { });
        // A server-side backstop for the per-statement limit (MariaDB; MySQL has no such variable for DDL).
        await sandbox.query(`SET SESSION max_statement_time = ${Math.ceil(statementTimeoutMs / 1000) + 1}`).catch(() => { });
        await sandbox.query('SET SESSION lock_wait_timeout = 10').catch(() => { });
        const threadId = sandbox.threadId;
        const ids = new IdTracker();
        let fileIndex = -1;
        let fileBefore = null;
        let cur = null;
        const deadline = t0 + timeoutMs;
        /** Runs one statement within the limits; on a limit the query is killed on the server. */
        const exec = async (conn, sql) => {
            const left = Math.min(statementTimeoutMs, deadline - Date.now());
            let timer;
            const q = conn.query(sql);
            q.catch(() => { });
            const timedOut = new Promise((res) => (timer = setTimeout(() => res('timeout'), Math.max(1, left))));
            const r = await Promise.race([q.then(() => 'ok'), timedOut]).finally(() => clearTimeout(timer));
            if (r === 'timeout') {
                await admin.query(`KILL QUERY ${Number(threadId)}`).catch(() => { });
                const whole = left < statementTimeoutMs;
                limit = 'timeout';
                limitDetail = whole ? `the run passed its wall-clock limit of ${timeoutMs} ms` : `a statement ran past the per-statement limit of ${statementTimeoutMs} ms: ${(0,stats/* preview */.VH)(sql)}`;
                throw new LimitReached();
            }
        };
        for (const s of req.statements) {
            if (Date.now() >= deadline) {
                limit = 'timeout';
                limitDetail = `the run passed its wall-clock limit of ${timeoutMs} ms`;
                break;
            }
            if (s.judge && s.file !== fileIndex) {
                fileIndex = s.file;
                const r = await readFacts(admin, db, ids, caseFold);
                cur = fileBefore = r.facts;
                before[s.file] = r.snap;
            }
            const c = classifyMysql(s.sql, otherDbs);
            if (!c.run) {
                outcomes.push({ id: s.id, ok: false, skipped: c.skipped });
                continue;
            }
            const o = { id: s.id, ok: false };
            try {
                if (s.judge && !cur)
                    cur = (await readFacts(admin, db, ids, caseFold)).facts;
                await exec(sandbox, s.sql);
                if (s.judge) {
                    const next = (await readFacts(admin, db, ids, caseFold)).facts;
                    const pre = fileBefore;
                    o.effects = diffFacts(cur, next, (k) => pre.has(k));
                    o.effects.push(...madeColumns(cur, next));
                    cur = next;
                }
                else
                    cur = null;
                o.ok = true;
            }
            catch (e) {
                if (e instanceof LimitReached)
                    break;
                o.error = hide(msg(e));
                // A refused statement may have done part of its work (MySQL DDL is not transactional): read again.
                cur = null;
            }
            outcomes.push(o);
        }
        if (!limit)
            after = (await readFacts(admin, db, ids, caseFold)).snap;
    }
    finally {
        // The sandbox goes, whatever happened: the throwaway connection first (it may hold metadata locks).
        if (sandbox) {
            await admin.query(`KILL ${Number(sandbox.threadId)}`).catch(() => { });
            sandbox.destroy();
        }
        if (created.db)
            await admin.query(`DROP DATABASE IF EXISTS \`${db}\``).catch(() => { });
        if (created.user)
            await admin.query(`DROP USER IF EXISTS ${account}`).catch(() => { });
        await admin.end().catch(() => admin.destroy());
    }
    return {
        dialect: 'mysql',
        outcomes,
        before,
        after,
        ...(limit ? { limit, limitDetail: limitDetail && hide(limitDetail) } : {}),
        ...(0,stats/* replayStats */.$v)(req, outcomes, Date.now() - t0),
        foldCase: caseFold,
    };
}
class LimitReached extends Error {
}
/**
 * The columns of a table or view the statement created, with their types: diffFacts lists the
 * table alone, and a later MODIFY that restates a column with its type unchanged (a collation or
 * NULL change) is then judged against the type the server made, not an unknown one.
 */
function madeColumns(before, after) {
    const out = [];
    for (const [k, f] of after) {
        if (f.kind !== 'column' || !f.parent || before.has(f.parent) || !after.has(f.parent))
            continue;
        if (before.has(k))
            continue;
        out.push({ change: 'created', kind: 'column', object: f.name, preexisting: false, after: String(f.a.type) });
    }
    return out;
}


/***/ })

};
