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
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';
import type { Database } from 'sql.js';
import { cpuMs, type WarmRequest, type WorkerInput, type WorkerMessage, type WorkerRequest } from './worker-protocol.js';
import { loadPg, runPg, type PgFactory } from './pg.js';
import { loadSqlite, runSqlite, type SqliteFactory } from './sqlite.js';

const input = workerData as WorkerInput;

// Emscripten's prints (PostgreSQL's log lines, SQLite's warnings) are not ours to show: the
// worker's stdout and stderr would reach the host's (a CLI printing JSON). Silenced before the
// engines are loaded, as they bind console.log/console.error when they start. (A worker made with
// `stdout: true` instead keeps the host process alive while idle, whatever unref() says.)
const quiet = () => true;
process.stdout.write = quiet as typeof process.stdout.write;
process.stderr.write = quiet as typeof process.stderr.write;
for (const k of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) console[k] = () => {};
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

// Emscripten builds create their heap with `new WebAssembly.Memory({ initial, maximum })`
// (PGlite: maximum 32768 pages = 2 GiB). Clamp every maximum to the worker's memory budget.
const pageLimit = Math.max(256, Math.floor((input.memoryMb * 1024 * 1024) / 65536));
const NativeMemory = WebAssembly.Memory;
class CappedMemory extends NativeMemory {
  constructor(d: WebAssembly.MemoryDescriptor) {
    super({ ...d, maximum: Math.min(d.maximum ?? pageLimit, pageLimit), initial: Math.min(d.initial, pageLimit) });
  }
}
(WebAssembly as { Memory: typeof WebAssembly.Memory }).Memory = CappedMemory;

// The engines are not bundled: ncc's rewrite of PGlite's and sql.js's module code breaks them. The
// bundle loads their own published files from vendor/ beside it (copied by scripts/build.mjs);
// from source, the packages in node_modules.
async function engine<T>(pkg: string, file: string): Promise<T> {
  const vendor = join(dirname(fileURLToPath(import.meta.url)), 'vendor', pkg, file);
  const spec = existsSync(vendor) ? pathToFileURL(vendor).href : pkg;
  return (await import(/* webpackIgnore: true */ spec)) as T;
}

let pgFactory: Promise<PgFactory> | undefined;
let sqliteFactory: Promise<SqliteFactory> | undefined;
/** A fresh PostgreSQL instance made ahead of the next request (never one a request has used). */
let spare: Promise<PGlite> | undefined;

const pg = () => (pgFactory ??= engine<typeof import('@electric-sql/pglite')>('@electric-sql/pglite', 'dist/index.js').then((m) => loadPg(input.assets, m.PGlite)));
const sqlite = () => (sqliteFactory ??= engine<{ default: typeof import('sql.js').default }>('sql.js', 'dist/sql-wasm.js').then((m) => loadSqlite(input.assets, input.memoryMb, m.default)));

async function freshPg(): Promise<PGlite> {
  const ready = spare;
  spare = undefined;
  if (ready) {
    try {
      return await ready;
    } catch {
      // Made again below; the error, if it persists, is reported then.
    }
  }
  return (await pg())();
}

async function handle(req: WorkerRequest['req']): Promise<void> {
  const t = Date.now();
  const c = cpuMs();
  if (req.dialect === 'sqlite') {
    const db: Database = (await sqlite())();
    post({ t: 'phase', name: 'start', ms: Date.now() - t, cpuMs: cpuMs() - c });
    try {
      await runSqlite(db, req, post);
    } finally {
      db.close();
    }
  } else {
    const db = await freshPg();
    post({ t: 'phase', name: 'start', ms: Date.now() - t, cpuMs: cpuMs() - c });
    try {
      await runPg(db, req, post);
    } finally {
      await db.close().catch(() => {});
    }
    // The next request finds an instance ready (made while the caller analyzes).
    spare = pg().then((make) => make());
    spare.catch(() => {});
  }
}

let queue = Promise.resolve();
parentPort!.on('message', (m: WorkerRequest | WarmRequest) => {
  if ('warm' in m) {
    // Loads PostgreSQL and makes the first request's database while the host is still parsing.
    if (!spare) {
      spare = pg().then((make) => make());
      spare.catch(() => {});
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
    } catch (e) {
      post({ t: 'fatal', limit: 'crash', detail: e instanceof Error ? e.message.slice(0, 600) : String(e) });
    }
  });
});
