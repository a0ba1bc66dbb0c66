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
import { randomBytes } from 'node:crypto';
import type { Connection } from 'mysql2/promise';
import { classifyMysql } from './classify.js';
import { diffFacts, toMap, type Fact, type Facts } from './facts.js';
import { preview, replayStats } from './stats.js';
import type { CatalogChange, CatalogSnapshot, ReplayRequest, ReplayResult, StatementOutcome } from './types.js';
import { DatabaseUrlError, MYSQL_CONNECT_TIMEOUT_MS, parseDatabaseUrl, redactUrl } from './url.js';

/** A real server is slower than an in-memory engine: its own defaults (the request's limits win). */
export const MYSQL_DEFAULTS = { timeoutMs: 120_000, statementTimeoutMs: 10_000 } as const;
const MAX_ERROR = 600;

function msg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Identity across snapshots: information_schema has no OIDs (see IdTracker.take). */
class IdTracker {
  private next = 1;
  tables = new Map<string, { id: number; sig: string }>();
  columns = new Map<number, Map<string, { id: number; pos: number; type: string }>>();
  routines = new Map<string, number>();
  id(): number {
    return this.next++;
  }
}

interface Row {
  [k: string]: unknown;
}

/**
 * The catalog of database `db` as facts. A table keeps its id while its name does; a table that
 * appears while one of the same columns (names and types) disappears was renamed (RENAME TABLE,
 * ALTER TABLE … RENAME) and keeps the id. A column keeps its id while its name does, or, renamed,
 * its position and type. Known limit: a swap of two tables' names in one multi-table RENAME is not
 * seen (the names stay, the ids too).
 */
async function readFacts(admin: Connection, db: string, ids: IdTracker, caseFold: boolean): Promise<{ facts: Facts; snap: CatalogSnapshot }> {
  const q = async (sql: string) => ((await admin.query({ sql, values: [db] }))[0] as Row[]) ?? [];
  const [tables, columns, stats, views, routines, triggers, checks] = await Promise.all([
    q('SELECT TABLE_NAME n, TABLE_TYPE t, ENGINE e, TABLE_COLLATION c FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?'),
    q('SELECT TABLE_NAME tn, COLUMN_NAME n, ORDINAL_POSITION p, COLUMN_TYPE t, IS_NULLABLE nl, COLUMN_DEFAULT d, COLLATION_NAME c, EXTRA x FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION'),
    q('SELECT TABLE_NAME tn, INDEX_NAME n, NON_UNIQUE u, SEQ_IN_INDEX s, COLUMN_NAME c FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX'),
    q('SELECT TABLE_NAME n, VIEW_DEFINITION d, SECURITY_TYPE s FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?'),
    q('SELECT ROUTINE_NAME n, ROUTINE_TYPE t, ROUTINE_DEFINITION d, SECURITY_TYPE s FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?'),
    q('SELECT TRIGGER_NAME n, EVENT_OBJECT_TABLE tn, ACTION_STATEMENT d, ACTION_TIMING w, EVENT_MANIPULATION e FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?'),
    // MariaDB only (MySQL's CHECK_CONSTRAINTS has no TABLE_NAME): see isMariaJson.
    q('SELECT TABLE_NAME tn, CHECK_CLAUSE c FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?').catch(() => [] as Row[]),
  ]);
  // MariaDB's JSON is LONGTEXT with an automatic CHECK (json_valid(`col`)) (https://mariadb.com/kb/en/json-data-type/):
  // information_schema says 'longtext'; the type is written 'json' so that it compares with the JSON the files spell.
  const jsonCols = new Set<string>();
  for (const c of checks) {
    const m = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(String(c.c ?? '').trim());
    if (m) jsonCols.add(`${String(c.tn).toLowerCase()}\0${m[1].replace(/``/g, '`').toLowerCase()}`);
  }
  for (const c of columns) if (String(c.t).toLowerCase() === 'longtext' && jsonCols.has(`${String(c.tn).toLowerCase()}\0${String(c.n).toLowerCase()}`)) c.t = 'json';
  const key = (s: unknown) => (caseFold ? String(s).toLowerCase() : String(s));
  const colsOf = new Map<string, Row[]>();
  for (const c of columns) (colsOf.get(key(c.tn)) ?? colsOf.set(key(c.tn), []).get(key(c.tn))!).push(c);
  const sigOf = (name: string) => (colsOf.get(key(name)) ?? []).map((c) => `${String(c.n).toLowerCase()} ${c.t}`).join(',');
  // Tables: by name, else a vanished table of the same columns (a rename).
  const vanished = new Map([...ids.tables].filter(([n]) => !tables.some((t) => key(t.n) === n)));
  const tableIds = new Map<string, { id: number; sig: string }>();
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
  const out: Fact[] = [];
  const snap: CatalogSnapshot = { relations: {}, schemas: {}, roles: {}, functions: {} };
  const viewDef = new Map(views.map((v) => [key(v.n), v]));
  const newColumns = new Map<number, Map<string, { id: number; pos: number; type: string }>>();
  for (const t of tables) {
    const name = String(t.n);
    const { id } = tableIds.get(key(name))!;
    const kind = t.t === 'VIEW' || t.t === 'SYSTEM VIEW' ? 'view' : t.t === 'SEQUENCE' ? 'sequence' : 'table';
    const a: Record<string, unknown> = { name };
    if (kind === 'table') ((a.engine = t.e), (a.collation = t.c));
    const v = viewDef.get(key(name));
    if (v) ((a.definition = v.d), (a.secdef = v.s === 'DEFINER'));
    out.push({ k: `t${id}`, kind, name, a, acl: null, dflt: true });
    const rel: CatalogSnapshot['relations'][string] = { kind, id, persistence: 'permanent', columns: {} };
    snap.relations[name] = rel;
    const prevCols = ids.columns.get(id) ?? new Map();
    const list = colsOf.get(key(name)) ?? [];
    const unmatched = new Map([...prevCols].filter(([n]) => !list.some((c) => String(c.n).toLowerCase() === n)).map(([, c]) => [c.pos, c]));
    const cols = new Map<string, { id: number; pos: number; type: string }>();
    for (const c of list) {
      const cname = String(c.n);
      const p = prevCols.get(cname.toLowerCase());
      const r = !p ? unmatched.get(Number(c.p)) : undefined;
      const cid = p ? p.id : r && r.type === String(c.t) ? r.id : ids.id();
      cols.set(cname.toLowerCase(), { id: cid, pos: Number(c.p), type: String(c.t) });
      const ca: Record<string, unknown> = { name: cname, type: String(c.t), notnull: c.nl === 'NO', default: c.d === null ? undefined : String(c.d) };
      if (c.c !== null && c.c !== undefined) ca.collation = String(c.c);
      if (c.x) ca.extra = String(c.x);
      out.push({ k: `a${cid}`, kind: 'column', name: `${name}.${cname}`, parent: `t${id}`, a: ca, acl: null, dflt: true });
      rel.columns[cname] = { type: String(c.t), notNull: c.nl === 'NO' };
    }
    newColumns.set(id, cols);
  }
  ids.columns = newColumns;
  const indexes = new Map<string, { table: string; name: string; unique: boolean; cols: string[] }>();
  for (const s of stats) {
    const k = `${key(s.tn)}\0${s.n}`;
    const ix = indexes.get(k) ?? indexes.set(k, { table: String(s.tn), name: String(s.n), unique: Number(s.u) === 0, cols: [] }).get(k)!;
    ix.cols.push(String(s.c));
  }
  for (const ix of indexes.values()) {
    const t = tableIds.get(key(ix.table));
    if (!t) continue;
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
export async function replayMysql(req: ReplayRequest): Promise<ReplayResult> {
  try {
    return await replayOnServer(req);
  } catch (e) {
    if (e instanceof DatabaseUrlError) throw e;
    throw new DatabaseUrlError(`the replay on the database server failed: ${redactUrl(msg(e), req.databaseUrl).slice(0, MAX_ERROR)}`);
  }
}

async function replayOnServer(req: ReplayRequest): Promise<ReplayResult> {
  const t0 = Date.now();
  const url = req.databaseUrl;
  if (!url) throw new DatabaseUrlError('MySQL/MariaDB replay needs a database URL');
  const safe = (s: string) => redactUrl(s, url);
  const base = parseDatabaseUrl(url);
  const timeoutMs = req.timeoutMs ?? MYSQL_DEFAULTS.timeoutMs;
  const statementTimeoutMs = req.statementTimeoutMs ?? MYSQL_DEFAULTS.statementTimeoutMs;
  const { createConnection } = await import('mysql2/promise');
  const hex = randomBytes(6).toString('hex');
  const db = `mg_replay_${hex}`;
  const account = `'${db}'@'%'`;
  const accountPassword = randomBytes(18).toString('base64url');
  const hide = (s: string) => safe(s).split(db).join('<sandbox>').slice(0, MAX_ERROR);

  let admin: Connection;
  try {
    admin = await createConnection(base);
  } catch (e) {
    throw new DatabaseUrlError(`cannot connect to the database server: ${safe(msg(e))}`);
  }
  admin.on('error', () => {});
  let sandbox: Connection | undefined;
  const created = { db: false, user: false };
  const outcomes: StatementOutcome[] = [];
  const before: Record<number, CatalogSnapshot> = {};
  let after: CatalogSnapshot = { relations: {}, schemas: {}, roles: {}, functions: {} };
  let limit: ReplayResult['limit'];
  let limitDetail: string | undefined;
  let caseFold = false;
  try {
    let otherDbs: Set<string>;
    try {
      const [rows] = (await admin.query('SELECT @@lower_case_table_names l, VERSION() v')) as [Row[], unknown];
      caseFold = Number(rows[0]?.l ?? 0) !== 0;
      const [dbs] = (await admin.query('SHOW DATABASES')) as [Row[], unknown];
      otherDbs = new Set(dbs.map((r) => String(Object.values(r)[0]).toLowerCase()).filter((n) => n !== 'information_schema'));
      await admin.query(`CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4`);
      created.db = true;
      await admin.query(`CREATE USER ${account} IDENTIFIED BY '${accountPassword}'`);
      created.user = true;
      await admin.query(`GRANT ALL PRIVILEGES ON \`${db}\`.* TO ${account}`);
    } catch (e) {
      throw new DatabaseUrlError(`cannot set up the throwaway database and account on the server (the URL's account needs CREATE, CREATE USER and GRANT OPTION): ${hide(msg(e))}`);
    }
    const { user: _u, password: _p, ...where } = base;
    try {
      sandbox = await createConnection({ ...where, user: db, password: accountPassword, database: db });
    } catch (e) {
      throw new DatabaseUrlError(`cannot connect as the throwaway account: ${hide(msg(e))}`);
    }
    sandbox.on('error', () => {});
    // A server-side backstop for the per-statement limit (MariaDB; MySQL has no such variable for DDL).
    await sandbox.query(`SET SESSION max_statement_time = ${Math.ceil(statementTimeoutMs / 1000) + 1}`).catch(() => {});
    await sandbox.query('SET SESSION lock_wait_timeout = 10').catch(() => {});
    const threadId = sandbox.threadId;
    const ids = new IdTracker();
    let fileIndex = -1;
    let fileBefore: Facts | null = null;
    let cur: Facts | null = null;
    const deadline = t0 + timeoutMs;

    /** Runs one statement within the limits; on a limit the query is killed on the server. */
    const exec = async (conn: Connection, sql: string): Promise<void> => {
      const left = Math.min(statementTimeoutMs, deadline - Date.now());
      let timer: NodeJS.Timeout | undefined;
      const q = conn.query(sql);
      q.catch(() => {});
      const timedOut = new Promise<'timeout'>((res) => (timer = setTimeout(() => res('timeout'), Math.max(1, left))));
      const r = await Promise.race([q.then(() => 'ok' as const), timedOut]).finally(() => clearTimeout(timer));
      if (r === 'timeout') {
        await admin.query(`KILL QUERY ${Number(threadId)}`).catch(() => {});
        const whole = left < statementTimeoutMs;
        limit = 'timeout';
        limitDetail = whole ? `the run passed its wall-clock limit of ${timeoutMs} ms` : `a statement ran past the per-statement limit of ${statementTimeoutMs} ms: ${preview(sql)}`;
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
      const o: StatementOutcome = { id: s.id, ok: false };
      try {
        if (s.judge && !cur) cur = (await readFacts(admin, db, ids, caseFold)).facts;
        await exec(sandbox, s.sql);
        if (s.judge) {
          const next = (await readFacts(admin, db, ids, caseFold)).facts;
          const pre = fileBefore!;
          o.effects = diffFacts(cur!, next, (k) => pre.has(k));
          o.effects.push(...madeColumns(cur!, next));
          cur = next;
        } else cur = null;
        o.ok = true;
      } catch (e) {
        if (e instanceof LimitReached) break;
        o.error = hide(msg(e));
        // A refused statement may have done part of its work (MySQL DDL is not transactional): read again.
        cur = null;
      }
      outcomes.push(o);
    }
    if (!limit) after = (await readFacts(admin, db, ids, caseFold)).snap;
  } finally {
    // The sandbox goes, whatever happened: the throwaway connection first (it may hold metadata locks).
    if (sandbox) {
      await admin.query(`KILL ${Number(sandbox.threadId)}`).catch(() => {});
      sandbox.destroy();
    }
    if (created.db) await admin.query(`DROP DATABASE IF EXISTS \`${db}\``).catch(() => {});
    if (created.user) await admin.query(`DROP USER IF EXISTS ${account}`).catch(() => {});
    await admin.end().catch(() => admin.destroy());
  }
  return {
    dialect: 'mysql',
    outcomes,
    before,
    after,
    ...(limit ? { limit, limitDetail: limitDetail && hide(limitDetail) } : {}),
    ...replayStats(req, outcomes, Date.now() - t0),
    foldCase: caseFold,
  };
}

class LimitReached extends Error {}

/**
 * The columns of a table or view the statement created, with their types: diffFacts lists the
 * table alone, and a later MODIFY that restates a column with its type unchanged (a collation or
 * NULL change) is then judged against the type the server made, not an unknown one.
 */
function madeColumns(before: Facts, after: Facts): CatalogChange[] {
  const out: CatalogChange[] = [];
  for (const [k, f] of after) {
    if (f.kind !== 'column' || !f.parent || before.has(f.parent) || !after.has(f.parent)) continue;
    if (before.has(k)) continue;
    out.push({ change: 'created', kind: 'column', object: f.name, preexisting: false, after: String(f.a.type) });
  }
  return out;
}
