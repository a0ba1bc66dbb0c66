import { fileURLToPath as __mg_fileURLToPath } from "node:url"; import { dirname as __mg_dirname } from "node:path"; const __filename = __mg_fileURLToPath(import.meta.url); const __dirname = __mg_dirname(__filename);
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: external "node:url"
const external_node_url_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");
;// CONCATENATED MODULE: external "node:worker_threads"
const external_node_worker_threads_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");
;// CONCATENATED MODULE: ./src/replay/worker-protocol.ts
/** CPU time of the process (user + system), ms: wall time misleads on a shared machine. */
function cpuMs() {
    const u = process.cpuUsage();
    return Math.round((u.user + u.system) / 1000);
}

;// CONCATENATED MODULE: external "node:zlib"
const external_node_zlib_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");
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
const MYSQL_SYSTEM_DBS = (/* unused pure expression or super */ null && (['mysql', 'performance_schema', 'sys']));
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

;// CONCATENATED MODULE: ./src/replay/pg-catalog.ts
// Privileges as 'grantee:PRIV' ('…*' with grant option); a NULL ACL is the built-in default for the
// object type (acldefault), so a REVOKE from PUBLIC on a function shows as PUBLIC losing EXECUTE.
const acl = (col, type, owner) => `(SELECT coalesce(array_agg(coalesce(r.rolname, 'PUBLIC') || ':' || e.privilege_type || CASE WHEN e.is_grantable THEN '*' ELSE '' END ORDER BY 1), '{}')
     FROM pg_catalog.aclexplode(${type ? `coalesce(${col}, pg_catalog.acldefault(${type}, ${owner}))` : col}) e
     LEFT JOIN pg_catalog.pg_roles r ON r.oid = e.grantee)`;
const role = (oid) => `(SELECT rolname FROM pg_catalog.pg_roles WHERE oid = ${oid})`;
const nsp = (oid) => `(SELECT CASE WHEN nspname ~ '^pg_temp_' THEN 'pg_temp' ELSE nspname END FROM pg_catalog.pg_namespace WHERE oid = ${oid})`;
const USER_NS = `NOT IN (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname IN ('pg_catalog', 'information_schema') OR nspname ~ '^pg_toast')`;
// An incremental read (`factsSql(true)`, after a judged statement): relations (with their
// columns, policies, triggers and rules), functions and types are read only for objects whose
// catalog rows the statement wrote; every other family is read whole. A statement's rows carry its
// transaction's xid (or a subtransaction's, assigned later: one session, so xids only grow) as
// xmin; the setting mg.from_xid is the first xid the statement could have used (a setting, not a
// parameter: a parameter makes PostgreSQL plan the query anew on every run, which costs more than
// running it). Updates that PostgreSQL makes in place (heap_inplace_update: relhasindex, reltuples,
// frozen xids) touch no column read here. nextval/setval write no catalog row: a sequence is read
// again when its last value differs from the one the caller had (the setting mg.seqs,
// ',oid:last_value,…,' as pg.ts `sequencesOf`). Deleted rows leave no xmin: when the statement deleted catalog rows (mg.deleted =
// 'yes'), the read lists the OIDs that still exist (OIDS). The caller (pg.ts `advance`) takes a
// full read instead when the statement renamed something whose name other facts embed, or changed
// the settings that format the text (SETTINGS).
// The bound is a scalar subquery, computed once per scan (an InitPlan); written inline it is
// computed again for every catalog row tested, which was a sixth of the read.
const XMIN = (t) => `pg_catalog.age(${t}.xmin) <= (SELECT pg_catalog.age(pg_catalog.current_setting('mg.from_xid')::xid))`;
// mg.written: the catalogs the statement wrote rows of (',pg_class,pg_attribute,'), or '*' when
// unknown (pg.ts `writtenBetween`). A part of the read whose catalogs were not written is skipped
// (a constant condition: PostgreSQL evaluates it once and does not scan), and the caller keeps
// what it had for it.
const written = (catalogs) => `(pg_catalog.current_setting('mg.written') = '*' OR ${catalogs.map((c) => `pg_catalog.strpos(pg_catalog.current_setting('mg.written'), ',${c},') > 0`).join(' OR ')})`;
/**
 * Families read whole, and the catalogs their facts are made of (names of owners, grantees and
 * schemas included): in an incremental read a family is read again only when one of them was written.
 */
const WHOLE_FAMILY_CATALOGS = {
    n: ['pg_namespace', 'pg_authid'],
    r: ['pg_authid'],
    m: ['pg_auth_members', 'pg_authid'],
    d: ['pg_database', 'pg_authid'],
    set: ['pg_db_role_setting', 'pg_database', 'pg_authid'],
    da: ['pg_default_acl', 'pg_authid', 'pg_namespace'],
    lo: ['pg_largeobject_metadata', 'pg_authid'],
    // pg_publication_tables: a publication's tables, FOR ALL TABLES and TABLES IN SCHEMA included.
    pub: ['pg_publication', 'pg_publication_rel', 'pg_publication_namespace', 'pg_class', 'pg_namespace', 'pg_inherits', 'pg_authid'],
    sub: ['pg_subscription', 'pg_authid'],
    evt: ['pg_event_trigger', 'pg_authid', 'pg_proc', 'pg_namespace'],
    ext: ['pg_extension', 'pg_namespace'],
    lan: ['pg_language', 'pg_authid'],
    fdw: ['pg_foreign_data_wrapper', 'pg_authid'],
    srv: ['pg_foreign_server', 'pg_authid'],
    par: ['pg_parameter_acl', 'pg_authid'],
};
/** The whole families an incremental read after writes to `catalogs` (mg.written's value) reads. */
function wholeFamiliesRead(catalogs) {
    const all = catalogs === '*';
    return new Set(Object.entries(WHOLE_FAMILY_CATALOGS).filter(([, cs]) => all || cs.some((c) => catalogs.includes(`,${c},`))).map(([f]) => f));
}
const SEQ_MOVED = `pg_catalog.strpos(pg_catalog.current_setting('mg.seqs'), ',' || c.oid || ':' || coalesce(pg_catalog.pg_sequence_last_value(c.oid)::text, '') || ',') = 0`;
const DIRTY = `dirty_rel(o) AS (
  SELECT c.oid FROM pg_catalog.pg_class c WHERE c.oid >= 16384 AND ((${written(['pg_class'])} AND ${XMIN('c')}) OR (c.relkind = 'S' AND ${SEQ_MOVED}))
  UNION SELECT at.attrelid FROM pg_catalog.pg_attribute at WHERE ${written(['pg_attribute'])} AND at.attrelid >= 16384 AND ${XMIN('at')}
  UNION SELECT ad.adrelid FROM pg_catalog.pg_attrdef ad WHERE ${written(['pg_attrdef'])} AND ad.adrelid >= 16384 AND ${XMIN('ad')}
  UNION SELECT i.indrelid FROM pg_catalog.pg_index i WHERE ${written(['pg_index'])} AND i.indexrelid >= 16384 AND ${XMIN('i')}
  UNION SELECT i.indexrelid FROM pg_catalog.pg_index i WHERE ${written(['pg_index'])} AND i.indexrelid >= 16384 AND ${XMIN('i')}
  UNION SELECT pl.polrelid FROM pg_catalog.pg_policy pl WHERE ${written(['pg_policy'])} AND ${XMIN('pl')}
  UNION SELECT tg.tgrelid FROM pg_catalog.pg_trigger tg WHERE ${written(['pg_trigger'])} AND ${XMIN('tg')}
  UNION SELECT rw.ev_class FROM pg_catalog.pg_rewrite rw WHERE ${written(['pg_rewrite'])} AND ${XMIN('rw')}
), dirty_proc(o) AS (
  SELECT p.oid FROM pg_catalog.pg_proc p WHERE ${written(['pg_proc'])} AND p.oid >= 16384 AND ${XMIN('p')}
), dirty_type(o) AS (
  SELECT t.oid FROM pg_catalog.pg_type t WHERE ${written(['pg_type'])} AND t.oid >= 16384 AND ${XMIN('t')}
  UNION SELECT e.enumtypid FROM pg_catalog.pg_enum e WHERE ${written(['pg_enum'])} AND e.enumtypid >= 16384 AND ${XMIN('e')}
)`;
const SCOPED = {
    // = ANY (ARRAY(…)): looked up by OID in the catalog's index (IN (SELECT …) is planned as a hash
    // join over every user row, the generic plan not knowing how few rows were written).
    rel: 'c.oid = ANY (ARRAY(SELECT o FROM dirty_rel))',
    p: 'p.oid = ANY (ARRAY(SELECT o FROM dirty_proc))',
    t: 't.oid = ANY (ARRAY(SELECT o FROM dirty_type))',
};
// With an incremental read: every OID that can carry a fact of the families read in part (a
// superset: the caller drops the facts whose OID is gone, and their children).
const OIDS = `json_build_object(
    'c', (SELECT coalesce(array_agg(c.oid), '{}') FROM pg_catalog.pg_class c WHERE c.oid >= 16384),
    'p', (SELECT coalesce(array_agg(p.oid), '{}') FROM pg_catalog.pg_proc p WHERE p.oid >= 16384),
    't', (SELECT coalesce(array_agg(t.oid), '{}') FROM pg_catalog.pg_type t WHERE t.oid >= 16384),
    'pol', (SELECT coalesce(array_agg(pl.oid), '{}') FROM pg_catalog.pg_policy pl),
    'tg', (SELECT coalesce(array_agg(tg.oid), '{}') FROM pg_catalog.pg_trigger tg WHERE tg.oid >= 16384),
    'rw', (SELECT coalesce(array_agg(rw.oid), '{}') FROM pg_catalog.pg_rewrite rw WHERE rw.oid >= 16384))`;
/**
 * The families `factsSql(true)` reads in part (the rest are always read whole): relations and
 * what hangs off them (read for the relations in `rel`, which is cut to the written ones),
 * functions, types.
 */
const SCOPED_FAMILIES = new Set(['c', 'a', 'pol', 'tg', 'rw', 'p', 't']);
/**
 * Families whose names other facts embed (a column's in a policy's or a view's expression, a
 * schema's in every name, a role's in every ACL): one renamed makes an incremental read unsafe.
 */
const NAMED_FAMILIES = new Set(['c', 'a', 'p', 't', 'n', 'r']);
// Settings that change how format_type / pg_get_expr / acl text reads (qualification, literals).
const SETTINGS = `concat_ws('|', current_setting('search_path'), current_setting('DateStyle'), current_setting('IntervalStyle'), current_setting('TimeZone'),
    current_setting('extra_float_digits'), current_setting('bytea_output'), current_setting('quote_all_identifiers'))`;
/**
 * The catalog's facts in one query (prepared once per session). `scoped` false: every fact (no
 * parameter). true: the incremental read above (SET LOCAL mg.from_xid, mg.deleted, mg.seqs and mg.written first).
 */
function factsSql(scoped) {
    const only = (family) => (scoped && SCOPED[family] ? ` AND ${SCOPED[family]}` : '');
    // A whole family's condition (with the AND that follows it): in an incremental read, whether its catalogs were written.
    const whole = (family) => (scoped ? `${written(WHOLE_FAMILY_CATALOGS[family])} AND ` : '');
    return `
WITH ${scoped ? `${DIRTY},\n` : ''}rel AS (
  SELECT c.oid, c.relname, c.relkind, c.relpersistence, c.relowner, c.relacl, c.relrowsecurity, c.relforcerowsecurity, c.reloptions,
         ${nsp('c.relnamespace')} AS ns
    FROM pg_catalog.pg_class c
   WHERE c.oid >= 16384 AND c.relkind IN ('r','p','v','m','S','f','i','I') AND c.relnamespace ${USER_NS}${only('rel')}
), f(k, v) AS (
  SELECT 'c' || r.oid, json_build_array(CASE r.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
           WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' ELSE 'index' END,
           r.ns || '.' || r.relname,
           CASE WHEN r.relkind IN ('i','I') THEN (SELECT 'c' || indrelid FROM pg_catalog.pg_index WHERE indexrelid = r.oid) END,
           jsonb_strip_nulls(jsonb_build_object('name', r.ns || '.' || r.relname,
           'persistence', CASE r.relpersistence WHEN 'u' THEN 'unlogged' WHEN 't' THEN 'temporary' ELSE 'permanent' END,
           'rls', CASE WHEN r.relkind IN ('r','p') THEN r.relrowsecurity END,
           'forcerls', CASE WHEN r.relkind IN ('r','p') THEN r.relforcerowsecurity END,
           'last_value', CASE WHEN r.relkind = 'S' THEN pg_catalog.pg_sequence_last_value(r.oid)::text END,
           -- A view's options (security_invoker, security_barrier, check_option), as stored: 'security_invoker=true'.
           'options', CASE WHEN r.relkind = 'v' THEN r.reloptions END,
           -- A unique index (CREATE UNIQUE INDEX: Prisma's @unique): dropping it lifts the uniqueness.
           'unique', CASE WHEN r.relkind IN ('i','I') THEN (SELECT NULLIF(x.indisunique, false) FROM pg_catalog.pg_index x WHERE x.indexrelid = r.oid) END,
           -- What a unique index enforces, for telling whether another still does when it is dropped
           -- (facts.ts coveringIndex): its key columns by number (INCLUDE columns are not keys; 0 is an
           -- expression), partial or not, NULLS NOT DISTINCT, usable. Not compared between reads.
           'cover', CASE WHEN r.relkind IN ('i','I') THEN (SELECT jsonb_build_object(
                      'keys', (SELECT jsonb_agg(u.k) FROM unnest(x.indkey::int2[]) WITH ORDINALITY u(k, o) WHERE u.o <= x.indnkeyatts),
                      'partial', x.indpred IS NOT NULL, 'nnd', x.indnullsnotdistinct, 'valid', x.indisvalid AND x.indisready)
                    FROM pg_catalog.pg_index x WHERE x.indexrelid = r.oid AND x.indisunique) END,
           'owner', ${role('r.relowner')})),
           CASE WHEN r.relkind IN ('i','I') THEN NULL ELSE ${acl('r.relacl', `(CASE WHEN r.relkind = 'S' THEN 's' ELSE 'r' END)::"char"`, 'r.relowner')} END,
           r.relacl IS NULL,
           ${role('r.relowner')})
    FROM rel r
  UNION ALL
  SELECT 'a' || at.attrelid || '.' || at.attnum, json_build_array('column',
           r.ns || '.' || r.relname || '.' || at.attname,
           'c' || r.oid,
           jsonb_strip_nulls(jsonb_build_object('name', at.attname, 'type', pg_catalog.format_type(at.atttypid, at.atttypmod),
           'notnull', at.attnotnull, 'default', (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attrdef d WHERE d.adrelid = at.attrelid AND d.adnum = at.attnum),
           'generated', NULLIF(at.attgenerated, ''), 'identity', NULLIF(at.attidentity, ''))),
           CASE WHEN at.attacl IS NULL THEN NULL ELSE ${acl('at.attacl', null, '')} END,
           at.attacl IS NULL,
           NULL)
    -- Driven by rel (a few relations in an incremental read): OFFSET 0 keeps the planner from
    -- turning it round into a scan of every user column (its generic plan cannot know rel's size).
    FROM rel r CROSS JOIN LATERAL (SELECT * FROM pg_catalog.pg_attribute a WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped OFFSET 0) at
   WHERE r.relkind IN ('r','p','v','m','f')
  UNION ALL
  SELECT 'n' || n.oid, json_build_array('schema',
           n.nspname,
           NULL,
           jsonb_build_object('name', n.nspname, 'owner', ${role('n.nspowner')}),
           ${acl('n.nspacl', "'n'", 'n.nspowner')},
           n.nspacl IS NULL,
           ${role('n.nspowner')})
    FROM pg_catalog.pg_namespace n
   WHERE ${whole('n')}n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  UNION ALL
  SELECT 'r' || a.oid, json_build_array('role',
           a.rolname,
           NULL,
           jsonb_build_object('name', a.rolname, 'superuser', a.rolsuper, 'createrole', a.rolcreaterole, 'createdb', a.rolcreatedb,
           'replication', a.rolreplication, 'bypassrls', a.rolbypassrls, 'login', a.rolcanlogin, 'inherit', a.rolinherit),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_roles a WHERE ${whole('r')}true
  UNION ALL
  SELECT 'm' || m.oid, json_build_array('role',
           ${role('m.member')} || ' → ' || ${role('m.roleid')},
           NULL,
           jsonb_build_object('admin', m.admin_option, 'inherit', m.inherit_option, 'set', m.set_option, 'grantor', ${role('m.grantor')}),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_auth_members m WHERE ${whole('m')}true
  UNION ALL
  SELECT 'p' || p.oid, json_build_array('function',
           ${nsp('p.pronamespace')} || '.' || p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',
           NULL,
           jsonb_strip_nulls(jsonb_build_object('name', ${nsp('p.pronamespace')} || '.' || p.proname, 'owner', ${role('p.proowner')}, 'secdef', p.prosecdef,
           'language', (SELECT lanname FROM pg_catalog.pg_language WHERE oid = p.prolang),
           'body', md5(coalesce(p.prosrc, '') || coalesce(pg_catalog.pg_get_function_sqlbody(p.oid), '')),
           'config', p.proconfig, 'returns', pg_catalog.pg_get_function_result(p.oid))),
           ${acl('p.proacl', "'f'", 'p.proowner')},
           p.proacl IS NULL,
           ${role('p.proowner')})
    FROM pg_catalog.pg_proc p WHERE p.oid >= 16384 AND p.pronamespace ${USER_NS}${only('p')}
  UNION ALL
  SELECT 't' || t.oid, json_build_array('type',
           ${nsp('t.typnamespace')} || '.' || t.typname,
           NULL,
           jsonb_strip_nulls(jsonb_build_object('name', ${nsp('t.typnamespace')} || '.' || t.typname, 'owner', ${role('t.typowner')},
           'values', CASE WHEN t.typtype = 'e' THEN (SELECT array_agg(enumlabel ORDER BY enumsortorder) FROM pg_catalog.pg_enum WHERE enumtypid = t.oid) END)),
           ${acl('t.typacl', "'T'", 't.typowner')},
           t.typacl IS NULL,
           ${role('t.typowner')})
    FROM pg_catalog.pg_type t
   WHERE t.oid >= 16384 AND t.typnamespace ${USER_NS} AND t.typcategory <> 'A'
     AND (t.typrelid = 0 OR (SELECT relkind FROM pg_catalog.pg_class WHERE oid = t.typrelid) = 'c')${only('t')}
  UNION ALL
  SELECT 'd' || d.oid, json_build_array('database',
           d.datname,
           NULL,
           jsonb_build_object('name', d.datname, 'owner', ${role('d.datdba')}),
           ${acl('d.datacl', "'d'", 'd.datdba')},
           d.datacl IS NULL,
           ${role('d.datdba')})
    FROM pg_catalog.pg_database d WHERE ${whole('d')}true
  UNION ALL
  SELECT 'set' || s.setdatabase || '.' || s.setrole, json_build_array(CASE WHEN s.setrole = 0 THEN 'database' ELSE 'role' END,
           coalesce(${role('s.setrole')}, 'all roles') || CASE WHEN s.setdatabase = 0 THEN '' ELSE ' in database ' || (SELECT datname FROM pg_catalog.pg_database WHERE oid = s.setdatabase) END,
           NULL,
           jsonb_build_object('settings', s.setconfig),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_db_role_setting s WHERE ${whole('set')}true
  UNION ALL
  SELECT 'da' || da.oid, json_build_array('default privileges',
           CASE da.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' ELSE 'large objects' END
           || ' created by ' || ${role('da.defaclrole')} || CASE WHEN da.defaclnamespace = 0 THEN '' ELSE ' in schema ' || ${nsp('da.defaclnamespace')} END,
           NULL,
           '{}'::jsonb,
           ${acl('da.defaclacl', null, '')},
           false,
           ${role('da.defaclrole')})
    FROM pg_catalog.pg_default_acl da WHERE ${whole('da')}true
  UNION ALL
  SELECT 'lo' || l.oid, json_build_array('large object',
           'large object ' || l.oid,
           NULL,
           jsonb_build_object('owner', ${role('l.lomowner')}),
           ${acl('l.lomacl', "'L'", 'l.lomowner')},
           l.lomacl IS NULL,
           ${role('l.lomowner')})
    FROM pg_catalog.pg_largeobject_metadata l WHERE ${whole('lo')}true
  UNION ALL
  SELECT 'pol' || pl.oid, json_build_array('policy',
           pl.polname || ' on ' || r.ns || '.' || r.relname,
           'c' || r.oid,
           jsonb_strip_nulls(jsonb_build_object('name', pl.polname, 'command', pl.polcmd, 'permissive', pl.polpermissive,
           'roles', (SELECT array_agg(CASE WHEN x = 0 THEN 'PUBLIC' ELSE ${role('x')} END ORDER BY 1) FROM unnest(pl.polroles) x),
           'using', pg_catalog.pg_get_expr(pl.polqual, pl.polrelid), 'check', pg_catalog.pg_get_expr(pl.polwithcheck, pl.polrelid))),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_policy pl JOIN rel r ON r.oid = pl.polrelid
  UNION ALL
  SELECT 'tg' || tg.oid, json_build_array('trigger',
           tg.tgname || ' on ' || r.ns || '.' || r.relname,
           'c' || r.oid,
           jsonb_build_object('name', tg.tgname, 'enabled', tg.tgenabled, 'function', tg.tgfoid::pg_catalog.regproc::text),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_trigger tg JOIN rel r ON r.oid = tg.tgrelid WHERE NOT tg.tgisinternal
  UNION ALL
  SELECT 'rw' || rw.oid, json_build_array('rule',
           rw.rulename || ' on ' || r.ns || '.' || r.relname,
           'c' || r.oid,
           jsonb_build_object('name', rw.rulename, 'enabled', rw.ev_enabled, 'definition', md5(pg_catalog.pg_get_ruledef(rw.oid))),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_rewrite rw JOIN rel r ON r.oid = rw.ev_class WHERE rw.rulename <> '_RETURN'
  UNION ALL
  SELECT 'pub' || pb.oid, json_build_array('publication',
           pb.pubname,
           NULL,
           jsonb_build_object('name', pb.pubname, 'owner', ${role('pb.pubowner')}, 'all tables', pb.puballtables,
           'tables', (SELECT array_agg(pt.schemaname || '.' || pt.tablename ORDER BY 1) FROM pg_catalog.pg_publication_tables pt WHERE pt.pubname = pb.pubname),
           'operations', concat_ws(',', CASE WHEN pb.pubinsert THEN 'insert' END, CASE WHEN pb.pubupdate THEN 'update' END, CASE WHEN pb.pubdelete THEN 'delete' END, CASE WHEN pb.pubtruncate THEN 'truncate' END)),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_publication pb WHERE ${whole('pub')}true
  UNION ALL
  SELECT 'sub' || sb.oid, json_build_array('subscription',
           sb.subname,
           NULL,
           jsonb_build_object('name', sb.subname, 'owner', ${role('sb.subowner')}, 'enabled', sb.subenabled, 'publications', sb.subpublications),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_subscription sb WHERE ${whole('sub')}true
  UNION ALL
  SELECT 'evt' || ev.oid, json_build_array('event trigger',
           ev.evtname,
           NULL,
           jsonb_build_object('name', ev.evtname, 'owner', ${role('ev.evtowner')}, 'event', ev.evtevent, 'enabled', ev.evtenabled,
           'function', ev.evtfoid::pg_catalog.regproc::text, 'tags', ev.evttags),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_event_trigger ev WHERE ${whole('evt')}true
  UNION ALL
  SELECT 'ext' || x.oid, json_build_array('extension',
           x.extname,
           NULL,
           jsonb_build_object('name', x.extname, 'version', x.extversion, 'schema', ${nsp('x.extnamespace')}),
           NULL,
           true,
           NULL)
    FROM pg_catalog.pg_extension x WHERE ${whole('ext')}true
  UNION ALL
  SELECT 'lan' || lg.oid, json_build_array('language',
           lg.lanname,
           NULL,
           jsonb_build_object('name', lg.lanname, 'owner', ${role('lg.lanowner')}, 'trusted', lg.lanpltrusted),
           ${acl('lg.lanacl', "'l'", 'lg.lanowner')},
           lg.lanacl IS NULL,
           ${role('lg.lanowner')})
    FROM pg_catalog.pg_language lg WHERE ${whole('lan')}lg.lanname NOT IN ('internal', 'c')
  UNION ALL
  SELECT 'fdw' || w.oid, json_build_array('foreign-data wrapper',
           w.fdwname,
           NULL,
           jsonb_build_object('name', w.fdwname, 'owner', ${role('w.fdwowner')}),
           ${acl('w.fdwacl', "'F'", 'w.fdwowner')},
           w.fdwacl IS NULL,
           ${role('w.fdwowner')})
    FROM pg_catalog.pg_foreign_data_wrapper w WHERE ${whole('fdw')}true
  UNION ALL
  SELECT 'srv' || sv.oid, json_build_array('server',
           sv.srvname,
           NULL,
           jsonb_build_object('name', sv.srvname, 'owner', ${role('sv.srvowner')}),
           ${acl('sv.srvacl', "'S'", 'sv.srvowner')},
           sv.srvacl IS NULL,
           ${role('sv.srvowner')})
    FROM pg_catalog.pg_foreign_server sv WHERE ${whole('srv')}true
  UNION ALL
  SELECT 'par' || pa.oid, json_build_array('parameter',
           pa.parname,
           NULL,
           jsonb_build_object('name', pa.parname),
           ${acl('pa.paracl', null, '')},
           false,
           NULL)
    FROM pg_catalog.pg_parameter_acl pa WHERE ${whole('par')}true
)
SELECT json_build_object('f', coalesce(json_agg(json_build_array(k, v)), '[]'), 's', ${SETTINGS}${scoped ? `, 'o', CASE WHEN pg_catalog.current_setting('mg.deleted') = 'yes' THEN ${OIDS} END` : ''})::text AS j FROM f`;
}
function parseFacts(json) {
    const { f, s, o } = JSON.parse(json);
    const facts = f.map(([k, [kind, name, parent, a, acl, dflt, owner]]) => {
        const x = { k, kind, name, a: a ?? {} };
        if (parent)
            x.parent = parent;
        // For created objects the diff reports privileges only when they are not the default.
        x.acl = acl;
        if (dflt)
            x.dflt = true;
        if (owner)
            x.owner = owner;
        return x;
    });
    return { facts, settings: s, ...(o ? { oids: o } : {}) };
}
/** '' when `a` and `b` hold the same facts in the same order, else the first difference. */
function factsDiffer(a, b) {
    const ka = [...a.keys()];
    const kb = [...b.keys()];
    for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
        if (ka[i] !== kb[i])
            return `key ${i}: ${ka[i] ?? '(none)'} vs ${kb[i] ?? '(none)'}`;
        const x = JSON.stringify(a.get(ka[i]));
        const y = JSON.stringify(b.get(kb[i]));
        if (x !== y)
            return `${ka[i]}: ${x} vs ${y}`;
    }
    return '';
}
/** A fact key's family: 'c' for 'c16384', 'set' for 'set0.10'. */
function familyOf(k) {
    let i = 0;
    while (i < k.length && k.charCodeAt(i) >= 97 && k.charCodeAt(i) <= 122)
        i++; // a-z
    return k.slice(0, i);
}
// The order of factsSql's branches: facts are kept in this order, then by OID (and attnum), so a
// full read and an incremental one list the same catalog in the same order (the diff's order).
const RANK = new Map(['c', 'a', 'n', 'r', 'm', 'p', 't', 'd', 'set', 'da', 'lo', 'pol', 'tg', 'rw', 'pub', 'sub', 'evt', 'ext', 'lan', 'fdw', 'srv', 'par'].map((f, i) => [f, i]));
/** `facts` as a map in the canonical order (family, then the numbers of the key). */
function canonical(facts) {
    const keyed = [...facts].map((f) => {
        const fam = familyOf(f.k);
        const [x, y] = f.k.slice(fam.length).split('.');
        return { f, r: RANK.get(fam) ?? 99, x: Number(x), y: Number(y ?? 0) };
    });
    keyed.sort((p, q) => p.r - q.r || p.x - q.x || p.y - q.y);
    return new Map(keyed.map((e) => [e.f.k, e.f]));
}
/** The contract's CatalogSnapshot, from the facts. */
function snapshotOf(facts) {
    const snap = { relations: {}, schemas: {}, roles: {}, functions: {} };
    const rels = new Map();
    const cols = [];
    for (const f of facts) {
        const id = Number(f.k.replace(/^[a-z]+/, ''));
        if (f.k.startsWith('c')) {
            const r = { kind: f.kind, id, persistence: f.a.persistence, owner: f.owner, columns: {} };
            snap.relations[f.name] = r;
            rels.set(f.k, r);
        }
        else if (f.k.startsWith('a'))
            cols.push(f);
        else if (f.k.startsWith('n'))
            snap.schemas[f.name] = { id, owner: f.owner };
        else if (f.k.startsWith('r') && f.kind === 'role')
            snap.roles[f.name] = {
                superuser: !!f.a.superuser,
                createrole: !!f.a.createrole,
                createdb: !!f.a.createdb,
                replication: !!f.a.replication,
                bypassrls: !!f.a.bypassrls,
                login: !!f.a.login,
            };
        else if (f.k.startsWith('p') && f.kind === 'function')
            snap.functions[f.name] = { id, securityDefiner: !!f.a.secdef, language: String(f.a.language) };
    }
    for (const c of cols) {
        const r = c.parent ? rels.get(c.parent) : undefined;
        if (r)
            r.columns[String(c.a.name)] = { type: String(c.a.type), notNull: !!c.a.notnull };
    }
    return snap;
}

;// CONCATENATED MODULE: ./src/replay/pg.ts
// PostgreSQL replay inside the worker: PGlite (PostgreSQL 18 compiled to WASM) on its in-memory
// Emscripten file system (MEMFS: no dataDir, nothing of the host mounted; pg_read_file('/etc/passwd')
// reads the WASM's own empty /etc).







/** Schemas a hosting platform (Supabase and the like) creates; missing functions in them get a NULL stub. */
const PLATFORM_SCHEMAS = new Set(['auth', 'storage', 'extensions', 'realtime', 'graphql', 'graphql_public', 'vault', 'pgsodium', 'pgsodium_masks', 'supabase_functions', 'supabase_migrations', 'net', 'cron', 'pgbouncer', '_realtime', '_analytics']);
// Return types of the well-known Supabase helpers; other stubs return text.
const STUB_RETURNS = { 'auth.uid': 'uuid', 'auth.role': 'text', 'auth.email': 'text', 'auth.jwt': 'jsonb' };
const MAX_AUTO = 12;
const MAX_ERROR = 600;
const ident = (s) => '"' + s.replace(/"/g, '""') + '"';
async function loadPg(assets, PGliteClass) {
    // V8 compiles on background threads: the files below are read and unpacked meanwhile.
    const compiling = WebAssembly.compile((0,external_node_fs_namespaceObject.readFileSync)(assets.pgliteWasm));
    compiling.catch(() => { }); // awaited below; a failure is thrown there
    const fsData = (0,external_node_fs_namespaceObject.readFileSync)(assets.pgliteData);
    let pgData = (0,external_node_fs_namespaceObject.existsSync)(assets.pgData) ? (0,external_node_zlib_namespaceObject.gunzipSync)((0,external_node_fs_namespaceObject.readFileSync)(assets.pgData)) : null;
    const pgliteWasmModule = await compiling;
    if (!(0,external_node_fs_namespaceObject.existsSync)(assets.pgData)) {
        // From source before `node scripts/make-pgdata.mjs` ran: initdb now (slow) and keep the result.
        const db = await PGliteClass.create({ pgliteWasmModule, fsBundle: new Blob([fsData]) });
        try {
            const blob = await db.dumpDataDir('gzip');
            (0,external_node_fs_namespaceObject.mkdirSync)((0,external_node_path_namespaceObject.dirname)(assets.pgData), { recursive: true });
            const tmp = `${assets.pgData}.${process.pid}.tmp`;
            (0,external_node_fs_namespaceObject.writeFileSync)(tmp, Buffer.from(await blob.arrayBuffer()));
            (0,external_node_fs_namespaceObject.renameSync)(tmp, assets.pgData);
        }
        catch {
            // A read-only cache only costs start-up time.
        }
        finally {
            await db.close().catch(() => { });
        }
    }
    // Unpacked once (above, or here when just made): PGlite would gunzip the 40 MB data directory for every instance.
    pgData ??= (0,external_node_fs_namespaceObject.existsSync)(assets.pgData) ? (0,external_node_zlib_namespaceObject.gunzipSync)((0,external_node_fs_namespaceObject.readFileSync)(assets.pgData)) : null;
    // PGlite reads both through Blob.arrayBuffer(), which Node 20 serves in small chunks (~0.3 s for
    // the 40 MB data directory): hand it the bytes directly.
    const bytes = (buf) => ({ type: '', size: buf.length, arrayBuffer: async () => buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) });
    // The data directory's bytes are handed to every instance as one buffer, not a 40 MB copy each:
    // PGlite only reads the tar (its untar writes each file with FS.writeFile, which copies into the
    // instance's MEMFS). The file-system bundle keeps a copy per instance: Emscripten's file packager
    // can let MEMFS own slices of it.
    const shared = (buf) => {
        const ab = buf.byteOffset === 0 && buf.length === buf.buffer.byteLength ? buf.buffer : buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
        return { type: '', size: buf.length, arrayBuffer: async () => ab };
    };
    const dataDir = pgData ? shared(pgData) : null;
    // Start-up allocates and clears shared memory sized by these (128 MB of buffers by default): the
    // sandbox's one session needs far less; the lock table keeps initdb's size (64 × 100 slots).
    const startParams = [...PGliteClass.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'max_connections=10', '-c', 'max_locks_per_transaction=640'];
    return async () => {
        const db = await PGliteClass.create({ pgliteWasmModule, fsBundle: bytes(fsData), startParams, ...(dataDir ? { loadDataDir: dataDir } : {}) });
        await prepareReads(db);
        return db;
    };
}
/** Instances whose catalog reads are prepared and planned (prepareReads). */
const readied = new WeakSet();
/**
 * Prepares the catalog reads in a clean session (names resolve as PostgreSQL's own) and runs each
 * once, so that their plans are made now: planning them costs ~10× running them in the WASM
 * engine (~0.1 s a new instance), and an instance is made before its request comes (worker.ts).
 * Read-only: the warm-up runs take no xid, write no row and leave the session's settings as they were.
 */
async function prepareReads(db, warm = true) {
    await db.exec(`PREPARE __mg_facts AS ${factsSql(false)}; PREPARE __mg_inc AS ${factsSql(true)}; PREPARE __mg_writes AS ${WRITES_SQL}; PREPARE __mg_locks AS ${LOCKS_SQL}`);
    if (!warm)
        return;
    await db.exec(`BEGIN; EXECUTE __mg_facts; SET LOCAL mg.from_xid = '1'; SET LOCAL mg.deleted = 'no'; SET LOCAL mg.seqs = ','; SET LOCAL mg.written = '*'; EXECUTE __mg_inc; EXECUTE __mg_writes; EXECUTE __mg_locks; ROLLBACK`);
    readied.add(db);
}
class Desync extends Error {
}
async function runPg(db, req, post) {
    const t0 = Date.now();
    const wantLocks = req.locks !== false;
    // Each result of a statement carries its command tag; a result without one means PGlite lost
    // protocol sync (seen after COPY … TO PROGRAM reached through EXECUTE): nothing after it is trustworthy.
    const exec = async (sql) => {
        const res = await db.exec(sql);
        if (res.some((r) => r.command === undefined))
            throw new Desync('the engine lost protocol sync running this statement (a COPY … PROGRAM or similar the WASM engine cannot serve); replay stopped here');
        return res;
    };
    // Prepared once, before any migration runs (prepareReads; again if a migration deallocated them).
    if (!readied.has(db))
        await prepareReads(db);
    // After a migration's DEALLOCATE ALL: prepared again, planned when next used (the session may
    // have another role by then).
    const prepare = () => prepareReads(db, false);
    const prepared = async (run) => {
        try {
            return await run();
        }
        catch (e) {
            // DEALLOCATE ALL / DISCARD ALL in a migration drops them.
            if (!/prepared statement "__mg_\w+" does not exist/.test(msg(e)))
                throw e;
            await db.exec('ROLLBACK').catch(() => { });
            await prepare();
            return run();
        }
    };
    const read = async (execute) => {
        // As the session's superuser whatever SET ROLE the migrations did.
        const res = await prepared(() => db.exec(`BEGIN; SET LOCAL ROLE NONE; ${execute}; COMMIT`));
        const row = res.find((r) => r.rows.length)?.rows[0];
        return parseFacts(row?.j ?? '{"f":[],"s":""}');
    };
    let settings = ''; // the formatting settings of the last read
    const reads = { full: 0, incremental: 0 };
    /** The whole catalog. */
    const facts = async () => {
        reads.full++;
        const r = await read('EXECUTE __mg_facts');
        settings = r.settings;
        return canonical(r.facts);
    };
    /**
     * The catalog after a judged statement whose first possible xid was `fromXid`, from `prev` (the
     * catalog before it): only what the statement wrote is read again, and what it dropped is
     * removed (pg-catalog.ts). Whatever would make the result differ from a full read (a rename,
     * other formatting settings) takes the full read instead.
     */
    const advance = async (prev, fromXid, deleted, written) => {
        reads.incremental++;
        // mg.seqs: digits, ':' and ',' only (sequencesOf); mg.written: catalog names or '*' (writtenBetween): safe inside the literals.
        const r = await read(`SET LOCAL mg.from_xid = '${fromXid}'; SET LOCAL mg.deleted = '${deleted ? 'yes' : 'no'}'; SET LOCAL mg.seqs = ',${sequencesOf(prev)},'; SET LOCAL mg.written = '${written}'; EXECUTE __mg_inc`);
        const wholeRead = wholeFamiliesRead(written);
        if (r.settings !== settings)
            return facts();
        if (deleted && !r.oids)
            return facts();
        const reread = new Set(); // relations read again
        for (const f of r.facts) {
            const old = prev.get(f.k);
            if (old && old.name !== f.name && NAMED_FAMILIES.has(familyOf(f.k)))
                return facts();
            if (f.k.startsWith('c'))
                reread.add(f.k);
        }
        // Dropped: a fact whose OID is gone, and what hangs off a dropped relation.
        const exists = new Set();
        for (const [family, oids] of Object.entries(r.oids ?? {}))
            for (const o of oids)
                exists.add(family + o);
        // Columns are dropped only with their relation (DROP COLUMN updates the row), so they go by their parent.
        const gone = (f) => deleted && ((!f.k.startsWith('a') && !exists.has(f.k)) || (f.parent !== undefined && !exists.has(f.parent)));
        const next = [];
        for (const [k, f] of prev) {
            const family = familyOf(k);
            if (!SCOPED_FAMILIES.has(family)) {
                // Read whole when its catalogs were written; else unchanged (not written, so not deleted either).
                if (!wholeRead.has(family))
                    next.push(f);
                continue;
            }
            // A re-read relation's columns, policies, triggers and rules are all in the read.
            if (family !== 'c' && f.parent !== undefined && reread.has(f.parent))
                continue;
            if (gone(f))
                continue;
            next.push(f);
        }
        const byKey = canonical([...next, ...r.facts]);
        if (req.verifyFacts) {
            const full = await facts();
            const diff = factsDiffer(byKey, full);
            if (diff)
                post({ t: 'debug', detail: `incremental catalog read differs from a full one after statement ${current}: ${diff}` });
            return full;
        }
        return byKey;
    };
    let current = -1;
    let fileBefore = null;
    let fileIndex = -1;
    let cur = null; // state right before the next judged statement, when nothing ran since
    const assumed = new Set(); // auto-created objects: taken as existing on the real server
    let phase = 'history';
    let phaseStart = Date.now();
    let cpuStart = cpuMs();
    const mark = (next) => {
        post({ t: 'phase', name: phase, ms: Date.now() - phaseStart, cpuMs: cpuMs() - cpuStart });
        phase = next;
        phaseStart = Date.now();
        cpuStart = cpuMs();
    };
    for (const s of req.statements) {
        const c = classifyPg(s.sql);
        current = s.id;
        if (s.judge && s.file !== fileIndex) {
            if (phase === 'history')
                mark('judged');
            fileIndex = s.file;
            // Nothing ran since `cur` was read (when it is set): the state before this file.
            cur ??= await facts();
            fileBefore = cur;
            assumed.clear();
            post({ t: 'before', file: s.file, snap: snapshotOf(cur.values()) });
        }
        post({ t: 'start', id: s.id });
        if (!c.run) {
            post({ t: 'outcome', o: { id: s.id, ok: false, skipped: c.skipped }, judge: s.judge });
            continue;
        }
        const o = { id: s.id, ok: false };
        try {
            if (!s.judge) {
                cur = null;
                await withAutoCreate(s.sql, o, (sql) => exec(sql).then(() => undefined));
            }
            else {
                if (!cur)
                    cur = await facts();
                const before = cur;
                let locks;
                let bare = false;
                let writes = null;
                let fromXid = '';
                let deleted = true;
                let written = '*';
                await withAutoCreate(s.sql, o, async (sql) => {
                    writes = null;
                    // BEGIN and the first count in one round trip (the engine's calls cost more than these queries).
                    const w0 = await catalogWrites('BEGIN; ');
                    try {
                        await exec(sql);
                        let w1;
                        if (wantLocks)
                            [locks, w1] = await locksAndWrites(before);
                        else
                            w1 = await catalogWrites();
                        writes = [w0.n, w1.n];
                        fromXid = w0.x;
                        deleted = w0.d !== w1.d || w0.d === '';
                        written = writtenBetween(w0, w1);
                        await db.exec('COMMIT');
                    }
                    catch (e) {
                        if (e instanceof Desync)
                            throw e;
                        await db.exec('ROLLBACK').catch(() => { });
                        // PreventInTransactionBlock (CREATE INDEX CONCURRENTLY, VACUUM, CREATE DATABASE, …): run it as psql would, alone.
                        if (/cannot run inside a transaction block|cannot be executed inside a transaction block/.test(msg(e))) {
                            bare = true;
                            await exec(sql);
                            return;
                        }
                        throw e;
                    }
                }, async () => {
                    // Objects made on the fly are not effects of the statement: start its diff after them.
                    const now = await facts();
                    for (const k of now.keys())
                        if (!before.has(k))
                            assumed.add(k);
                    cur = now;
                });
                // No catalog row written and no sequence moved: the catalog is the one before (most data
                // statements); the snapshot, the dearest part of a judged statement, is skipped.
                const same = !bare && writes !== null && writes[0] === writes[1] && writes[0] !== '' && (await sequences()) === sequencesOf(cur);
                const after = same ? cur : !bare && /^\d+$/.test(fromXid) ? await advance(cur, fromXid, deleted, written) : await facts();
                o.effects = diffFacts(cur, after, (k) => fileBefore.has(k) || assumed.has(k));
                cur = after;
                if (locks)
                    o.locks = locks;
                if (bare)
                    o.note = 'cannot run inside a transaction block: ran alone, locks not read';
            }
            o.ok = true;
        }
        catch (e) {
            if (e instanceof Desync) {
                o.error = e.message;
                post({ t: 'outcome', o, judge: s.judge });
                post({ t: 'fatal', limit: 'crash', detail: `statement ${s.id}: ${e.message}` });
                return;
            }
            o.error = msg(e).slice(0, MAX_ERROR);
            if (s.judge) {
                // A failed statement changed nothing, but re-read in case the failure came after a partial effect.
                cur = null;
            }
        }
        post({ t: 'outcome', o, judge: s.judge });
    }
    mark('end');
    const end = await facts();
    post({ t: 'after', snap: snapshotOf(end.values()) });
    post({ t: 'phase', name: 'after-snapshot', ms: Date.now() - phaseStart, cpuMs: cpuMs() - cpuStart });
    post({ t: 'phase', name: 'total-run', ms: Date.now() - t0 });
    // Counts, not times: whole-catalog reads and incremental ones (some of which fell back to whole).
    post({ t: 'phase', name: 'catalog-reads', ms: reads.full });
    post({ t: 'phase', name: 'catalog-reads-incremental', ms: reads.incremental });
    /**
     * Catalog rows this session has inserted, updated or deleted so far, and the next xid (Writes;
     * cumulative: the backend's pending statistics are not flushed inside a transaction block), or
     * NO_WRITES when they cannot be read. Read in the statement's own transaction, behind a savepoint so that a
     * failure cannot undo the statement; it opens no user relation, so it adds no lock to readLocks.
     */
    async function catalogWrites(prefix = '') {
        try {
            // One round trip. Without the prepared query (a migration ran DEALLOCATE ALL) this fails
            // and the statement takes the full catalog read, which prepares it again.
            const res = await db.exec(`${prefix}SAVEPOINT __mg_w; EXECUTE __mg_writes; RELEASE SAVEPOINT __mg_w`);
            return res.find((r) => r.rows.length)?.rows[0] ?? NO_WRITES;
        }
        catch {
            await db.exec('ROLLBACK TO SAVEPOINT __mg_w').catch(() => { });
            return NO_WRITES;
        }
    }
    /** The user sequences' positions (a setval is no catalog write), as the superuser. */
    async function sequences() {
        try {
            const res = await db.exec(`BEGIN; SET LOCAL ROLE NONE; ${SEQUENCES_SQL}; COMMIT`);
            const row = res.find((r) => r.rows.length)?.rows[0];
            return row?.s ?? '';
        }
        catch {
            await db.exec('ROLLBACK').catch(() => { });
            return '\0unknown';
        }
    }
    /** The statement's locks and the catalog-write counts after it, in one round trip when it can. */
    async function locksAndWrites(names) {
        // Prepared (planning costs more than running); behind a savepoint, as a failure here must not
        // undo the statement. When a migration deallocated them: the locks unprepared, the counts
        // unknown (the statement then takes the full catalog read, which prepares them again).
        try {
            const res = await db.exec('SAVEPOINT __mg_l; EXECUTE __mg_locks; EXECUTE __mg_writes; RELEASE SAVEPOINT __mg_l');
            return [lockList(names, (res[1]?.rows ?? [])), res[2]?.rows[0] ?? NO_WRITES];
        }
        catch {
            await db.exec('ROLLBACK TO SAVEPOINT __mg_l');
            const r = await db.query(LOCKS_SQL);
            return [lockList(names, r.rows), NO_WRITES];
        }
    }
    function lockList(names, rows) {
        const seen = new Set();
        const out = [];
        for (const x of rows) {
            // A relation gone by now and unknown before (a rewrite's transient heap) is not worth naming.
            const relation = x.relation !== null ? (x.name ?? names.get(`c${x.relation}`)?.name) : x.locktype;
            if (!relation || relation.startsWith('pg_toast.'))
                continue;
            const key = `${relation}\0${x.mode}`;
            if (seen.has(key))
                continue;
            seen.add(key);
            out.push({ relation, mode: x.mode });
        }
        return out;
    }
    /** Runs `run`; when it fails for want of a role, schema or platform function, makes it and retries. */
    async function withAutoCreate(sql, o, run, made) {
        for (let n = 0;; n++) {
            try {
                await run(sql);
                return;
            }
            catch (e) {
                if (e instanceof Desync || n >= MAX_AUTO)
                    throw e;
                const fix = await autoCreate(msg(e));
                if (!fix)
                    throw e;
                (o.autoCreated ??= []).push(fix);
                if (made)
                    await made();
            }
        }
    }
    async function autoCreate(m) {
        let x = /^role "([^"]+)" does not exist/.exec(m);
        if (x && !/^pg_/.test(x[1])) {
            await db.exec(`CREATE ROLE ${ident(x[1])} NOLOGIN`);
            return `role ${x[1]}`;
        }
        x = /^schema "([^"]+)" does not exist/.exec(m);
        if (x && !/^pg_/.test(x[1])) {
            await db.exec(`CREATE SCHEMA ${ident(x[1])}`);
            return `schema ${x[1]}`;
        }
        x = /^function ([A-Za-z_][A-Za-z_0-9]*)\.([A-Za-z_][A-Za-z_0-9]*)\(([^)]*)\) does not exist/.exec(m);
        if (x && PLATFORM_SCHEMAS.has(x[1])) {
            const args = x[3].trim() ? x[3].split(',').map((a) => (a.trim() === 'unknown' ? 'text' : a.trim())) : [];
            const ret = STUB_RETURNS[`${x[1]}.${x[2]}`] ?? 'text';
            await db.exec(`CREATE SCHEMA IF NOT EXISTS ${ident(x[1])}; CREATE FUNCTION ${ident(x[1])}.${ident(x[2])}(${args.join(', ')}) RETURNS ${ret} LANGUAGE sql STABLE AS $$SELECT NULL::${ret}$$`);
            return `function ${x[1]}.${x[2]}(${args.join(', ')}) (platform stub returning NULL)`;
        }
        if (/^relation "auth\.users" does not exist/.test(m)) {
            await db.exec(`CREATE SCHEMA IF NOT EXISTS auth; CREATE TABLE auth.users (id uuid PRIMARY KEY, email text, phone text, role text, raw_app_meta_data jsonb, raw_user_meta_data jsonb, created_at timestamptz, updated_at timestamptz)`);
            return 'table auth.users (platform stub: id, email, phone, role, raw_*_meta_data, created_at, updated_at)';
        }
        return null;
    }
}
const NO_WRITES = { n: '', d: '', x: '', w: '' };
// 11: pg_catalog (PG_CATALOG_NAMESPACE).
const WRITES_SQL = `SELECT coalesce(sum(s.t), 0)::text AS n, coalesce(sum(s.dl), 0)::text AS d,
       coalesce(string_agg(s.relname || ':' || s.t, ',') FILTER (WHERE s.t > 0), '') AS w,
       (pg_catalog.pg_snapshot_xmax(pg_catalog.pg_current_snapshot())::text::int8 % 4294967296)::text AS x
    FROM (SELECT c.relname, pg_catalog.pg_stat_get_xact_tuples_inserted(c.oid) + pg_catalog.pg_stat_get_xact_tuples_updated(c.oid)
                 + pg_catalog.pg_stat_get_xact_tuples_deleted(c.oid) AS t, pg_catalog.pg_stat_get_xact_tuples_deleted(c.oid) AS dl
            FROM pg_catalog.pg_class c WHERE c.relnamespace = 11 AND c.relkind = 'r') s`;
/**
 * The catalogs whose rows the statement wrote (between the counts `a` and `b`), as the setting
 * mg.written reads it (',pg_class,pg_attribute,'), or '*' (every catalog) when a count is unknown.
 */
function writtenBetween(a, b) {
    if (a.n === '' || b.n === '')
        return '*';
    const before = new Map(a.w ? a.w.split(',').map((x) => x.split(':')) : []);
    const out = [];
    for (const [name, n] of b.w ? b.w.split(',').map((x) => x.split(':')) : [])
        if (before.get(name) !== n)
            out.push(name);
    // Catalog names are identifiers of pg_catalog (letters, digits, '_'): safe inside the literal.
    return out.every((x) => /^\w+$/.test(x)) ? `,${out.join(',')},` : '*';
}
const SEQUENCES_SQL = `SELECT coalesce(string_agg(c.oid::text || ':' || coalesce(pg_catalog.pg_sequence_last_value(c.oid)::text, ''), ',' ORDER BY c.oid), '') AS s
    FROM pg_catalog.pg_class c WHERE c.oid >= 16384 AND c.relkind = 'S'
     AND c.relnamespace NOT IN (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname IN ('pg_catalog', 'information_schema') OR nspname ~ '^pg_toast')`; // as pg-catalog.ts's USER_NS
/** SEQUENCES_SQL's answer for a catalog snapshot (pg-catalog.ts reads last_value the same way). */
function sequencesOf(f) {
    const out = [];
    for (const x of f.values())
        if (x.kind === 'sequence' && x.k.startsWith('c'))
            out.push([Number(x.k.slice(1)), `${x.k.slice(1)}:${x.a.last_value ?? ''}`]);
    return out.sort((a, b) => a[0] - b[0]).map((x) => x[1]).join(',');
}
const LOCKS_SQL = `SELECT l.locktype, l.mode, l.relation::int8 AS relation,
         (SELECT n.nspname || '.' || c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = l.relation) AS name
    FROM pg_catalog.pg_locks l
   WHERE l.pid = pg_catalog.pg_backend_pid() AND l.granted AND l.locktype NOT IN ('virtualxid', 'transactionid', 'object')
     AND (l.relation IS NULL OR l.relation >= 16384)`;
function msg(e) {
    return e instanceof Error ? e.message : String(e);
}

;// CONCATENATED MODULE: ./src/replay/sqlite.ts
// SQLite replay inside the worker: sql.js (the real SQLite compiled to WASM). Its Emscripten build
// has only the in-memory file system (no NODEFS in sql-wasm.js), so ATTACH 'x.db' makes a file in
// WASM memory, never on the host; load_extension is not compiled in.
//
// SQLite has no OIDs. Identity is tracked here: a table or index keeps its id while its rootpage
// stays (ALTER TABLE … RENAME keeps the rootpage), a view or trigger while its name does; a column
// keeps its id while its name does, or, when it was renamed, its position and declared type.




const sqlite_MAX_ERROR = 600;
async function loadSqlite(assets, memoryMb, initSqlJs) {
    const wasm = (0,external_node_fs_namespaceObject.readFileSync)(assets.sqliteWasm);
    const SQL = await initSqlJs({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) });
    return () => {
        const db = new SQL.Database();
        // sql.js makes its WASM memory itself (growable to 2 GiB); SQLite's own hard heap limit bounds it,
        // and the pragma can only lower that limit afterwards (https://sqlite.org/pragma.html#pragma_hard_heap_limit).
        // The limit is the library's, not the database's: set for every new database in case a
        // migration lowered it (lowering it further only makes replay fail, which is reported).
        db.exec(`PRAGMA hard_heap_limit = ${Math.floor(memoryMb * 1024 * 1024 * 0.75)}`);
        return db;
    };
}
async function runSqlite(db, req, post) {
    const t0 = Date.now();
    let nextId = 1;
    // Identity carried from the previous snapshot.
    let prevObjects = new Map(); // by type:name
    let prevColumns = new Map(); // table id → columns by name
    const rows = (sql) => {
        const r = db.exec(sql);
        return r.length ? r[0].values : [];
    };
    const facts = () => {
        const master = rows(`SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master WHERE type IN ('table','index','view','trigger')`).map(([type, name, tbl, rootpage, sql]) => ({ type: String(type), name: String(name), tbl: String(tbl), rootpage: Number(rootpage ?? 0), sql: sql === null ? null : String(sql) }));
        const byRoot = new Map();
        for (const p of prevObjects.values())
            if (p.rootpage)
                byRoot.set(`${p.type}:${p.rootpage}`, p);
        const objects = new Map();
        const out = [];
        const tableIds = new Map();
        for (const m of master) {
            const prev = m.rootpage ? byRoot.get(`${m.type}:${m.rootpage}`) : prevObjects.get(`${m.type}:${m.name}`);
            const id = prev && (m.rootpage || prev.name === m.name) ? prev.id : nextId++;
            objects.set(`${m.type}:${m.name}`, { id, rootpage: m.rootpage, type: m.type, name: m.name });
            if (m.type === 'table')
                tableIds.set(m.name, id);
        }
        const columns = new Map();
        for (const m of master) {
            const o = objects.get(`${m.type}:${m.name}`);
            const kind = m.type === 'table' ? 'table' : m.type === 'index' ? 'index' : m.type === 'view' ? 'view' : 'trigger';
            const parent = m.type === 'index' || m.type === 'trigger' ? tableIds.get(m.tbl) : undefined;
            const f = { k: `o${o.id}`, kind, name: m.type === 'trigger' ? `${m.name} on main.${m.tbl}` : `main.${m.name}`, a: { name: m.name }, acl: null, dflt: true };
            // A table's or index's stored SQL is rewritten by RENAME and ADD COLUMN; those changes are reported by name and column.
            if (m.type === 'view' || m.type === 'trigger')
                f.a.definition = m.sql ?? '';
            if (parent !== undefined)
                f.parent = `o${parent}`;
            out.push(f);
            if (m.type !== 'table' && m.type !== 'view')
                continue;
            const prevCols = prevColumns.get(o.id) ?? new Map();
            const cols = new Map();
            const list = rows(`SELECT cid, name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(${sqlStr(m.name)})`);
            const unmatched = new Map([...prevCols.values()].map((c) => [c.cid, c]));
            for (const [, name] of list)
                prevCols.has(String(name)) && unmatched.delete(prevCols.get(String(name)).cid);
            for (const [cid, name, type, notnull, dflt, pk] of list) {
                const p = prevCols.get(String(name));
                const r = !p ? unmatched.get(Number(cid)) : undefined;
                const id = p ? p.id : r && r.type === String(type) ? r.id : nextId++;
                cols.set(String(name), { id, cid: Number(cid), type: String(type) });
                const a = { name: String(name), type: String(type), notnull: !!notnull, default: dflt === null ? undefined : String(dflt) };
                if (pk)
                    a.pk = Number(pk);
                out.push({ k: `a${id}`, kind: 'column', name: `main.${m.name}.${name}`, parent: `o${o.id}`, a, acl: null, dflt: true });
            }
            columns.set(o.id, cols);
        }
        prevObjects = objects;
        prevColumns = columns;
        return toMap(out);
    };
    let fileBefore = null;
    let fileIndex = -1;
    let cur = null;
    let phase = 'history';
    let phaseStart = Date.now();
    let cpuStart = cpuMs();
    const mark = (next) => {
        post({ t: 'phase', name: phase, ms: Date.now() - phaseStart, cpuMs: cpuMs() - cpuStart });
        phase = next;
        phaseStart = Date.now();
        cpuStart = cpuMs();
    };
    for (const s of req.statements) {
        if (s.judge && s.file !== fileIndex) {
            if (phase === 'history')
                mark('judged');
            fileIndex = s.file;
            cur = facts();
            fileBefore = cur;
            post({ t: 'before', file: s.file, snap: sqlite_snapshotOf(cur.values()) });
        }
        const c = classifySqlite(s.sql);
        post({ t: 'start', id: s.id });
        if (!c.run) {
            post({ t: 'outcome', o: { id: s.id, ok: false, skipped: c.skipped }, judge: s.judge });
            continue;
        }
        const o = { id: s.id, ok: false };
        try {
            if (!s.judge) {
                cur = null;
                db.exec(s.sql);
            }
            else {
                if (!cur)
                    cur = facts();
                try {
                    db.exec('BEGIN');
                    db.exec(s.sql);
                    db.exec('COMMIT');
                }
                catch (e) {
                    try {
                        db.exec('ROLLBACK');
                    }
                    catch {
                        // not in a transaction
                    }
                    // VACUUM, ATTACH/DETACH and some PRAGMAs refuse a transaction: run them alone, as the sqlite3 shell would.
                    if (/within a transaction|within transaction|cannot (VACUUM|ATTACH|DETACH)/i.test(sqlite_msg(e))) {
                        db.exec(s.sql);
                        o.note = 'cannot run inside a transaction: ran alone';
                    }
                    else
                        throw e;
                }
                const after = facts();
                o.effects = diffFacts(cur, after, (k) => fileBefore.has(k));
                o.effects.push(...rebuilds(cur, after, fileBefore));
                cur = after;
            }
            o.ok = true;
        }
        catch (e) {
            o.error = sqlite_msg(e).slice(0, sqlite_MAX_ERROR);
            if (s.judge)
                cur = null;
        }
        post({ t: 'outcome', o, judge: s.judge });
    }
    mark('end');
    post({ t: 'after', snap: sqlite_snapshotOf(facts().values()) });
    post({ t: 'phase', name: 'after-snapshot', ms: Date.now() - phaseStart, cpuMs: cpuMs() - cpuStart });
    post({ t: 'phase', name: 'total-run', ms: Date.now() - t0 });
}
/**
 * SQLite changes a column's type by rebuilding the table (CREATE new_t …; INSERT … SELECT; DROP t;
 * ALTER TABLE new_t RENAME TO t). When a table takes the name of a table that existed before the
 * judged file (a different identity), its columns are compared with that table's, by name.
 */
function rebuilds(before, after, fileBefore) {
    const out = [];
    for (const [k, fa] of after) {
        if (fa.kind !== 'table')
            continue;
        const fb = before.get(k);
        if (!fb || fb.name === fa.name)
            continue;
        const old = [...fileBefore.values()].find((f) => f.kind === 'table' && f.name === fa.name && f.k !== k);
        if (!old)
            continue;
        const colsOf = (m, parent) => new Map([...m.values()].filter((f) => f.parent === parent && f.kind === 'column').map((f) => [String(f.a.name), f]));
        const was = colsOf(fileBefore, old.k);
        const now = colsOf(after, k);
        for (const [name, c] of was) {
            const n = now.get(name);
            if (!n)
                out.push({ change: 'dropped', kind: 'column', object: `${fa.name}.${name}`, preexisting: true, detail: 'dropped by a table rebuild', before: String(c.a.type) });
            else if (String(n.a.type) !== String(c.a.type))
                out.push({ change: 'type-changed', kind: 'column', object: `${fa.name}.${name}`, preexisting: true, detail: `${c.a.type} → ${n.a.type} (table rebuild)`, before: String(c.a.type), after: String(n.a.type) });
            else if (!!n.a.notnull !== !!c.a.notnull)
                out.push({ change: n.a.notnull ? 'not-null-set' : 'not-null-dropped', kind: 'column', object: `${fa.name}.${name}`, preexisting: true, detail: 'table rebuild' });
        }
        for (const [name, n] of now)
            if (!was.has(name))
                out.push({ change: 'created', kind: 'column', object: `${fa.name}.${name}`, preexisting: false, detail: 'added by a table rebuild', after: String(n.a.type) });
    }
    return out;
}
function sqlite_snapshotOf(facts) {
    const snap = { relations: {}, schemas: { main: { id: 0 } }, roles: {}, functions: {} };
    const byK = new Map();
    const cols = [];
    for (const f of facts) {
        if (f.kind === 'column')
            cols.push(f);
        else if (f.kind === 'table' || f.kind === 'view' || f.kind === 'index') {
            const r = { kind: f.kind, id: Number(f.k.slice(1)), persistence: 'permanent', columns: {} };
            snap.relations[f.name] = r;
            byK.set(f.k, r);
        }
    }
    for (const c of cols) {
        const r = byK.get(c.parent);
        if (r)
            r.columns[String(c.a.name)] = { type: String(c.a.type), notNull: !!c.a.notnull };
    }
    return snap;
}
function sqlStr(s) {
    return "'" + s.replace(/'/g, "''") + "'";
}
function sqlite_msg(e) {
    return e instanceof Error ? e.message : String(e);
}

;// CONCATENATED MODULE: ./src/replay/worker.ts
// The replay worker: runs untrusted SQL in a WASM engine. Started by src/replay/index.ts with
// resourceLimits (JS heap) and watched by its wall-clock and per-statement timers; the WASM memory
// is capped here (below), so a memory bomb inside the engine fails as "out of memory" instead of
// growing to the 2 GiB PGlite allows. (The engines' modules only create their Memory when started,
// after the patch below, although they are imported first.)
//
// The worker is kept warm between requests of one process: the engines' modules, the compiled
// PostgreSQL and the data files are loaded once. Every request still gets a fresh database (a new
// PGlite instance from the pristine data directory, a new SQLite database): nothing one request
// ran can be seen by the next. A PostgreSQL instance for the next request is made while idle.







const input = external_node_worker_threads_namespaceObject.workerData;
// Emscripten's prints (PostgreSQL's log lines, SQLite's warnings) are not ours to show: the
// worker's stdout and stderr would reach the host's (a CLI printing JSON). Silenced before the
// engines are loaded, as they bind console.log/console.error when they start. (A worker made with
// `stdout: true` instead keeps the host process alive while idle, whatever unref() says.)
const quiet = () => true;
process.stdout.write = quiet;
process.stderr.write = quiet;
for (const k of ['log', 'info', 'warn', 'error', 'debug', 'trace'])
    console[k] = () => { };
const post = (m) => external_node_worker_threads_namespaceObject.parentPort.postMessage(m);
// Emscripten builds create their heap with `new WebAssembly.Memory({ initial, maximum })`
// (PGlite: maximum 32768 pages = 2 GiB). Clamp every maximum to the worker's memory budget.
const pageLimit = Math.max(256, Math.floor((input.memoryMb * 1024 * 1024) / 65536));
const NativeMemory = WebAssembly.Memory;
class CappedMemory extends NativeMemory {
    constructor(d) {
        super({ ...d, maximum: Math.min(d.maximum ?? pageLimit, pageLimit), initial: Math.min(d.initial, pageLimit) });
    }
}
WebAssembly.Memory = CappedMemory;
// The engines are not bundled: ncc's rewrite of PGlite's and sql.js's module code breaks them. The
// bundle loads their own published files from vendor/ beside it (copied by scripts/build.mjs);
// from source, the packages in node_modules.
async function engine(pkg, file) {
    const vendor = (0,external_node_path_namespaceObject.join)((0,external_node_path_namespaceObject.dirname)((0,external_node_url_namespaceObject.fileURLToPath)(import.meta.url)), 'vendor', pkg, file);
    const spec = (0,external_node_fs_namespaceObject.existsSync)(vendor) ? (0,external_node_url_namespaceObject.pathToFileURL)(vendor).href : pkg;
    return (await import(/* webpackIgnore: true */ spec));
}
let pgFactory;
let sqliteFactory;
/** A fresh PostgreSQL instance made ahead of the next request (never one a request has used). */
let spare;
const pg = () => (pgFactory ??= engine('@electric-sql/pglite', 'dist/index.js').then((m) => loadPg(input.assets, m.PGlite)));
const sqlite = () => (sqliteFactory ??= engine('sql.js', 'dist/sql-wasm.js').then((m) => loadSqlite(input.assets, input.memoryMb, m.default)));
async function freshPg() {
    const ready = spare;
    spare = undefined;
    if (ready) {
        try {
            return await ready;
        }
        catch {
            // Made again below; the error, if it persists, is reported then.
        }
    }
    return (await pg())();
}
async function handle(req) {
    const t = Date.now();
    const c = cpuMs();
    if (req.dialect === 'sqlite') {
        const db = (await sqlite())();
        post({ t: 'phase', name: 'start', ms: Date.now() - t, cpuMs: cpuMs() - c });
        try {
            await runSqlite(db, req, post);
        }
        finally {
            db.close();
        }
    }
    else {
        const db = await freshPg();
        post({ t: 'phase', name: 'start', ms: Date.now() - t, cpuMs: cpuMs() - c });
        try {
            await runPg(db, req, post);
        }
        finally {
            await db.close().catch(() => { });
        }
        // The next request finds an instance ready (made while the caller analyzes).
        spare = pg().then((make) => make());
        spare.catch(() => { });
    }
}
let queue = Promise.resolve();
external_node_worker_threads_namespaceObject.parentPort.on('message', (m) => {
    if ('warm' in m) {
        // Loads PostgreSQL and makes the first request's database while the host is still parsing.
        if (!spare) {
            spare = pg().then((make) => make());
            spare.catch(() => { });
        }
        return;
    }
    queue = queue.then(async () => {
        try {
            await handle(m.req);
            // sql.js shares one in-memory file system between its databases: a file an ATTACH or a
            // VACUUM INTO made would outlive the request. Such a worker is not used again.
            const retire = m.req.dialect === 'sqlite' && m.req.statements.some((s) => /attach|vacuum/i.test(s.sql));
            post({ t: 'done', ...(retire ? { retire } : {}) });
        }
        catch (e) {
            post({ t: 'fatal', limit: 'crash', detail: e instanceof Error ? e.message.slice(0, 600) : String(e) });
        }
    });
});

