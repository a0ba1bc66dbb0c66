// SQLite replay inside the worker: sql.js (the real SQLite compiled to WASM). Its Emscripten build
// has only the in-memory file system (no NODEFS in sql-wasm.js), so ATTACH 'x.db' makes a file in
// WASM memory, never on the host; load_extension is not compiled in.
//
// SQLite has no OIDs. Identity is tracked here: a table or index keeps its id while its rootpage
// stays (ALTER TABLE … RENAME keeps the rootpage), a view or trigger while its name does; a column
// keeps its id while its name does, or, when it was renamed, its position and declared type.
import { readFileSync } from 'node:fs';
import type initSqlJsType from 'sql.js';
import type { Database } from 'sql.js';
import type { ReplayAssets } from './assets.js';
import { classifySqlite } from './classify.js';
import { diffFacts, toMap, type Fact, type Facts } from './facts.js';
import type { CatalogChange, CatalogSnapshot, ReplayRequest, StatementOutcome } from './types.js';
import { cpuMs, type Post } from './worker-protocol.js';

const MAX_ERROR = 600;

/** Makes fresh SQLite databases: the module is instantiated once. */
export type SqliteFactory = () => Database;

export async function loadSqlite(assets: ReplayAssets, memoryMb: number, initSqlJs: typeof initSqlJsType): Promise<SqliteFactory> {
  const wasm = readFileSync(assets.sqliteWasm);
  const SQL = await initSqlJs({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer });
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

interface Master {
  type: string;
  name: string;
  tbl: string;
  rootpage: number;
  sql: string | null;
}

export async function runSqlite(db: Database, req: ReplayRequest, post: Post): Promise<void> {
  const t0 = Date.now();
  let nextId = 1;
  // Identity carried from the previous snapshot.
  let prevObjects = new Map<string, { id: number; rootpage: number; type: string; name: string }>(); // by type:name
  let prevColumns = new Map<number, Map<string, { id: number; cid: number; type: string }>>(); // table id → columns by name

  const rows = (sql: string): unknown[][] => {
    const r = db.exec(sql);
    return r.length ? r[0].values : [];
  };

  const facts = (): Facts => {
    const master = rows(`SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master WHERE type IN ('table','index','view','trigger')`).map(
      ([type, name, tbl, rootpage, sql]) => ({ type: String(type), name: String(name), tbl: String(tbl), rootpage: Number(rootpage ?? 0), sql: sql === null ? null : String(sql) }) as Master,
    );
    const byRoot = new Map<string, { id: number; rootpage: number; type: string; name: string }>();
    for (const p of prevObjects.values()) if (p.rootpage) byRoot.set(`${p.type}:${p.rootpage}`, p);
    const objects = new Map<string, { id: number; rootpage: number; type: string; name: string }>();
    const out: Fact[] = [];
    const tableIds = new Map<string, number>();
    for (const m of master) {
      const prev = m.rootpage ? byRoot.get(`${m.type}:${m.rootpage}`) : prevObjects.get(`${m.type}:${m.name}`);
      const id = prev && (m.rootpage || prev.name === m.name) ? prev.id : nextId++;
      objects.set(`${m.type}:${m.name}`, { id, rootpage: m.rootpage, type: m.type, name: m.name });
      if (m.type === 'table') tableIds.set(m.name, id);
    }
    const columns = new Map<number, Map<string, { id: number; cid: number; type: string }>>();
    for (const m of master) {
      const o = objects.get(`${m.type}:${m.name}`)!;
      const kind = m.type === 'table' ? 'table' : m.type === 'index' ? 'index' : m.type === 'view' ? 'view' : 'trigger';
      const parent = m.type === 'index' || m.type === 'trigger' ? tableIds.get(m.tbl) : undefined;
      const f: Fact = { k: `o${o.id}`, kind, name: m.type === 'trigger' ? `${m.name} on main.${m.tbl}` : `main.${m.name}`, a: { name: m.name }, acl: null, dflt: true };
      // A table's or index's stored SQL is rewritten by RENAME and ADD COLUMN; those changes are reported by name and column.
      if (m.type === 'view' || m.type === 'trigger') f.a.definition = m.sql ?? '';
      if (parent !== undefined) f.parent = `o${parent}`;
      out.push(f);
      if (m.type !== 'table' && m.type !== 'view') continue;
      const prevCols = prevColumns.get(o.id) ?? new Map();
      const cols = new Map<string, { id: number; cid: number; type: string }>();
      const list = rows(`SELECT cid, name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(${sqlStr(m.name)})`);
      const unmatched = new Map([...prevCols.values()].map((c) => [c.cid, c]));
      for (const [, name] of list) prevCols.has(String(name)) && unmatched.delete(prevCols.get(String(name))!.cid);
      for (const [cid, name, type, notnull, dflt, pk] of list) {
        const p = prevCols.get(String(name));
        const r = !p ? unmatched.get(Number(cid)) : undefined;
        const id = p ? p.id : r && r.type === String(type) ? r.id : nextId++;
        cols.set(String(name), { id, cid: Number(cid), type: String(type) });
        const a: Record<string, unknown> = { name: String(name), type: String(type), notnull: !!notnull, default: dflt === null ? undefined : String(dflt) };
        if (pk) a.pk = Number(pk);
        out.push({ k: `a${id}`, kind: 'column', name: `main.${m.name}.${name}`, parent: `o${o.id}`, a, acl: null, dflt: true });
      }
      columns.set(o.id, cols);
    }
    prevObjects = objects;
    prevColumns = columns;
    return toMap(out);
  };

  let fileBefore: Facts | null = null;
  let fileIndex = -1;
  let cur: Facts | null = null;
  let phase = 'history';
  let phaseStart = Date.now();
  let cpuStart = cpuMs();
  const mark = (next: string) => {
    post({ t: 'phase', name: phase, ms: Date.now() - phaseStart, cpuMs: cpuMs() - cpuStart });
    phase = next;
    phaseStart = Date.now();
    cpuStart = cpuMs();
  };

  for (const s of req.statements) {
    if (s.judge && s.file !== fileIndex) {
      if (phase === 'history') mark('judged');
      fileIndex = s.file;
      cur = facts();
      fileBefore = cur;
      post({ t: 'before', file: s.file, snap: snapshotOf(cur.values()) });
    }
    const c = classifySqlite(s.sql);
    post({ t: 'start', id: s.id });
    if (!c.run) {
      post({ t: 'outcome', o: { id: s.id, ok: false, skipped: c.skipped }, judge: s.judge });
      continue;
    }
    const o: StatementOutcome = { id: s.id, ok: false };
    try {
      if (!s.judge) {
        cur = null;
        db.exec(s.sql);
      } else {
        if (!cur) cur = facts();
        try {
          db.exec('BEGIN');
          db.exec(s.sql);
          db.exec('COMMIT');
        } catch (e) {
          try {
            db.exec('ROLLBACK');
          } catch {
            // not in a transaction
          }
          // VACUUM, ATTACH/DETACH and some PRAGMAs refuse a transaction: run them alone, as the sqlite3 shell would.
          if (/within a transaction|within transaction|cannot (VACUUM|ATTACH|DETACH)/i.test(msg(e))) {
            db.exec(s.sql);
            o.note = 'cannot run inside a transaction: ran alone';
          } else throw e;
        }
        const after = facts();
        o.effects = diffFacts(cur, after, (k) => fileBefore!.has(k));
        o.effects.push(...rebuilds(cur, after, fileBefore!));
        cur = after;
      }
      o.ok = true;
    } catch (e) {
      o.error = msg(e).slice(0, MAX_ERROR);
      if (s.judge) cur = null;
    }
    post({ t: 'outcome', o, judge: s.judge });
  }
  mark('end');
  post({ t: 'after', snap: snapshotOf(facts().values()) });
  post({ t: 'phase', name: 'after-snapshot', ms: Date.now() - phaseStart, cpuMs: cpuMs() - cpuStart });
  post({ t: 'phase', name: 'total-run', ms: Date.now() - t0 });
}

/**
 * SQLite changes a column's type by rebuilding the table (CREATE new_t …; INSERT … SELECT; DROP t;
 * ALTER TABLE new_t RENAME TO t). When a table takes the name of a table that existed before the
 * judged file (a different identity), its columns are compared with that table's, by name.
 */
function rebuilds(before: Facts, after: Facts, fileBefore: Facts): CatalogChange[] {
  const out: CatalogChange[] = [];
  for (const [k, fa] of after) {
    if (fa.kind !== 'table') continue;
    const fb = before.get(k);
    if (!fb || fb.name === fa.name) continue;
    const old = [...fileBefore.values()].find((f) => f.kind === 'table' && f.name === fa.name && f.k !== k);
    if (!old) continue;
    const colsOf = (m: Facts, parent: string) => new Map([...m.values()].filter((f) => f.parent === parent && f.kind === 'column').map((f) => [String(f.a.name), f]));
    const was = colsOf(fileBefore, old.k);
    const now = colsOf(after, k);
    for (const [name, c] of was) {
      const n = now.get(name);
      if (!n) out.push({ change: 'dropped', kind: 'column', object: `${fa.name}.${name}`, preexisting: true, detail: 'dropped by a table rebuild', before: String(c.a.type) });
      else if (String(n.a.type) !== String(c.a.type))
        out.push({ change: 'type-changed', kind: 'column', object: `${fa.name}.${name}`, preexisting: true, detail: `${c.a.type} → ${n.a.type} (table rebuild)`, before: String(c.a.type), after: String(n.a.type) });
      else if (!!n.a.notnull !== !!c.a.notnull)
        out.push({ change: n.a.notnull ? 'not-null-set' : 'not-null-dropped', kind: 'column', object: `${fa.name}.${name}`, preexisting: true, detail: 'table rebuild' });
    }
    for (const [name, n] of now) if (!was.has(name)) out.push({ change: 'created', kind: 'column', object: `${fa.name}.${name}`, preexisting: false, detail: 'added by a table rebuild', after: String(n.a.type) });
  }
  return out;
}

function snapshotOf(facts: Iterable<Fact>): CatalogSnapshot {
  const snap: CatalogSnapshot = { relations: {}, schemas: { main: { id: 0 } }, roles: {}, functions: {} };
  const byK = new Map<string, CatalogSnapshot['relations'][string]>();
  const cols: Fact[] = [];
  for (const f of facts) {
    if (f.kind === 'column') cols.push(f);
    else if (f.kind === 'table' || f.kind === 'view' || f.kind === 'index') {
      const r = { kind: f.kind, id: Number(f.k.slice(1)), persistence: 'permanent' as const, columns: {} };
      snap.relations[f.name] = r;
      byK.set(f.k, r);
    }
  }
  for (const c of cols) {
    const r = byK.get(c.parent!);
    if (r) r.columns[String(c.a.name)] = { type: String(c.a.type), notNull: !!c.a.notnull };
  }
  return snap;
}

function sqlStr(s: string): string {
  return "'" + s.replace(/'/g, "''") + "'";
}

function msg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
