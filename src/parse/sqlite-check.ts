// SQLite's own grammar as the judge of "is this valid SQLite": a statement that neither
// node-sql-parser's SQLite grammar nor libpg-query accepts (PRAGMA, CREATE VIRTUAL TABLE … USING
// fts5, type names such as `INT UNSIGNED`/`VARBINARY(16)`, `ADD COLUMN c INT AFTER b`, whose type
// name SQLite reads as `INT AFTER b`) is compiled by the real SQLite engine (sql.js, SQLite in
// WASM). Only compiled (sqlite3_prepare_v2), never stepped: nothing of the statement runs.
//
// sqlite3_prepare resolves names while it parses, so a statement on a table that an earlier
// migration created fails with "no such table". Such lookups are answered with stub objects
// (an empty table with the columns asked for, a view, an index, a trigger) in a throw-away
// in-memory database and the statement is compiled again, until it compiles or fails for another
// reason. Any other error (a syntax error, "AUTOINCREMENT is only allowed on an INTEGER PRIMARY
// KEY", …) means SQLite would refuse the statement too: it stays a parse error.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface SqlJsDatabase {
  prepare(sql: string): { free(): void };
  iterateStatements(sql: string): Iterable<{ free(): void }>;
  run(sql: string): void;
  close(): void;
}
interface SqlJs {
  Database: new () => SqlJsDatabase;
}

let engine: SqlJs | null = null;
let loading: Promise<void> | null = null;

function wasmPath(): string {
  // Bundled (dist/…): the .wasm is copied beside the bundle (scripts/build.mjs). From source: the package's file.
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'sql-wasm.wasm');
  if (existsSync(beside)) return beside;
  return join(dirname(createRequire(import.meta.url).resolve(['sql', 'js'].join('.'))), 'sql-wasm.wasm');
}

/** Load the SQLite engine (once). */
export function loadSqliteEngine(): Promise<void> {
  if (engine) return Promise.resolve();
  loading ??= (async () => {
    // sql.js is loaded with require from a path, not bundled: its Emscripten loader assigns
    // `module.exports` inside a webpack chunk and fails there. Bundled (dist/…): sql-wasm.cjs and
    // its .wasm are copied beside the bundle (scripts/build.mjs); from source: the package's files.
    const req = createRequire(import.meta.url);
    const here = dirname(fileURLToPath(import.meta.url));
    const beside = join(here, 'sql-wasm.cjs'); // .cjs: dist/ is an ES module package
    const pkg = ['sql', 'js'].join('.'); // not a literal: the bundler must not inline it
    const init = req(existsSync(beside) ? beside : req.resolve(pkg)) as (opts: unknown) => Promise<SqlJs>;
    const bytes = readFileSync(wasmPath());
    engine = await init({ wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
  })().catch((e) => {
    if (process.env.MG_DEBUG_SQLITE) process.stderr.write(`sqlite engine: ${e}\n`);
    // Without the engine nothing is recovered: the statements stay parse errors (fail closed).
    engine = null;
  });
  return loading;
}

const MAX_STUBS = 16;
const q = (name: string) => '"' + name.replace(/"/g, '""') + '"';
/** `main.t`, `"t"`, `t` → t (stubs live in main; other schemas are not stubbed). */
function bare(name: string): string | null {
  let n = name.trim().replace(/^"(.*)"$/s, '$1');
  const m = /^(main|temp)\.(.+)$/i.exec(n);
  if (m) n = m[2];
  else if (/^[^.]+\.[^.]+$/.test(n)) return null;
  return n;
}

export type SqliteVerdict = { ok: true; statements: number } | { ok: false; error: string };

/**
 * Does SQLite compile `sql` (every statement in it)? Needs `loadSqliteEngine()` first; without
 * the engine the answer is "no" (the statement stays a parse error: fail closed).
 */
export function sqliteCompiles(sql: string): SqliteVerdict {
  if (!engine) return { ok: false, error: 'SQLite engine not loaded' };
  const tables = new Map<string, Set<string>>();
  const views = new Set<string>();
  const indexes = new Set<string>();
  const triggers = new Set<string>();
  let lastError = '';
  for (let round = 0; round <= MAX_STUBS; round++) {
    const db = new engine.Database();
    try {
      let stub = 0;
      const host = () => {
        const t = `__mg_stub_${stub++}`;
        db.run(`CREATE TABLE ${t}(x)`);
        return t;
      };
      for (const [t, cols] of tables) db.run(`CREATE TABLE ${q(t)}(${[...cols, '__mg_c'].map(q).join(', ')})`);
      for (const v of views) db.run(`CREATE VIEW ${q(v)} AS SELECT 1 AS x`);
      for (const i of indexes) db.run(`CREATE INDEX ${q(i)} ON ${host()}(x)`);
      for (const tr of triggers) {
        const h = host();
        db.run(`CREATE TRIGGER ${q(tr)} AFTER INSERT ON ${h} BEGIN SELECT 1; END`);
      }
      let n = 0;
      for (const st of db.iterateStatements(sql)) {
        n++;
        st.free();
      }
      return n ? { ok: true, statements: n } : { ok: false, error: 'no statement' };
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
      if (!stubFor(lastError)) return { ok: false, error: lastError };
    } finally {
      db.close();
    }
  }
  return { ok: false, error: lastError };

  /** Record the stub that answers `msg`; false when the error is not a missing object. */
  function stubFor(msg: string): boolean {
    let m: RegExpExecArray | null;
    if ((m = /^no such table: (.+)$/.exec(msg))) {
      const t = bare(m[1]);
      if (t === null || tables.has(t)) return false;
      tables.set(t, new Set());
      return true;
    }
    if ((m = /^no such view: (.+)$/.exec(msg))) {
      const v = bare(m[1]);
      if (v === null || views.has(v)) return false;
      views.add(v);
      return true;
    }
    if ((m = /^no such index: (.+)$/.exec(msg))) {
      const i = bare(m[1]);
      if (i === null || indexes.has(i)) return false;
      indexes.add(i);
      return true;
    }
    if ((m = /^no such trigger: (.+)$/.exec(msg))) {
      const t = bare(m[1]);
      if (t === null || triggers.has(t)) return false;
      triggers.add(t);
      return true;
    }
    if ((m = /^table (.+) has no column named (.+)$/.exec(msg))) {
      const t = bare(m[1]);
      const cols = t === null ? undefined : tables.get(t);
      if (!cols || cols.has(m[2])) return false;
      cols.add(m[2]);
      return true;
    }
    if ((m = /^no such column: (.+)$/.exec(msg))) {
      const parts = m[1].replace(/^"(.*)"$/s, '$1').split('.');
      const col = parts.pop()!;
      const owner = parts.pop();
      let added = false;
      for (const [t, cols] of tables) {
        if (owner && owner !== t) continue;
        if (!cols.has(col)) {
          cols.add(col);
          added = true;
        }
      }
      return added;
    }
    return false;
  }
}
