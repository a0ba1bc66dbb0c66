// Replay of migrations in a sandbox: a worker thread (src/replay/worker.ts) runs the statements in
// a WASM engine (PGlite for PostgreSQL, sql.js for SQLite) on an in-memory file system, under a
// JS-heap limit (resourceLimits), a WASM-memory cap, a per-statement wall-clock limit and a
// whole-run wall-clock limit. Past a limit the worker is terminated: the result says which limit
// (`limit`), and the statements without an outcome were not replayed (the caller treats their
// effect as unknown). Bad SQL never throws: it is an outcome with `error`.
export type * from './types.js';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { keepWasmOnBaseline } from '../parse/wasm-tiering.js';
import { assetsFor, bundledDir, WORKER_FILE } from './assets.js';
import type { CatalogSnapshot, ReplayRequest, ReplayResult, StatementOutcome } from './types.js';
import { preview, replayStats } from './stats.js';
import type { WarmRequest, WorkerInput, WorkerMessage, WorkerRequest } from './worker-protocol.js';

export const DEFAULTS = { timeoutMs: 20_000, statementTimeoutMs: 2_000, memoryMb: 1024 } as const;

const empty = (): CatalogSnapshot => ({ relations: {}, schemas: {}, roles: {}, functions: {} });

function workerSpec(): { file: string | URL; eval: boolean; dir: string | null } {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = bundledDir(here);
  if (dir) return { file: join(dir, WORKER_FILE), eval: false, dir };
  // From source: the TypeScript worker through tsx's loader (a devDependency).
  const worker = join(here, 'worker.ts');
  if (!existsSync(worker)) throw new Error(`replay worker not found beside ${here}`);
  const api = createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
  const code = `import(${JSON.stringify(pathToFileURL(api).href)}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(worker).href)}); })`;
  return { file: code, eval: true, dir: null };
}

// Warm workers, by memory limit: starting one (thread, engine modules, compiled PostgreSQL) costs
// more than most replays. A worker serves one request at a time; one that hit a limit, crashed or
// asked to retire is terminated, never reused. Idle workers do not keep the process alive.
interface Warm {
  worker: Worker;
  memoryMb: number;
}
const idle: Warm[] = [];
const MAX_IDLE = 2;

function takeWorker(memoryMb: number): Warm {
  const i = idle.findIndex((w) => w.memoryMb === memoryMb);
  if (i >= 0) return idle.splice(i, 1)[0];
  keepWasmOnBaseline(); // PGlite's WASM too (src/parse/wasm-tiering.ts)
  const spec = workerSpec();
  const input: WorkerInput = { assets: assetsFor(spec.dir), memoryMb };
  const worker = new Worker(spec.file, {
    eval: spec.eval,
    workerData: input,
    resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(16, memoryMb >> 4)), stackSizeMb: 8 },
    env: {}, // the worker sees no environment variables of the host
  });
  // Between requests nobody listens: an idle worker that dies is dropped from the pool.
  worker.on('error', () => {});
  worker.on('exit', () => {
    const j = idle.findIndex((w) => w.worker === worker);
    if (j >= 0) idle.splice(j, 1);
  });
  return { worker, memoryMb };
}

function giveBack(w: Warm, retire: boolean): void {
  if (retire || idle.length >= MAX_IDLE) {
    if (!retire) void w.worker.terminate();
    return;
  }
  w.worker.unref();
  idle.push(w);
}

/**
 * Starts a worker for the coming replay of `dialect` now, so that loading the engine and making the
 * database overlap the caller's parsing (on a fresh process, most of a replay's cost). Does nothing
 * when a warm worker with this memory limit is idle already. The worker does not keep the process alive.
 */
export function prewarmReplay(dialect: ReplayRequest['dialect'], memoryMb: number = DEFAULTS.memoryMb): void {
  if (dialect !== 'postgresql' || idle.some((w) => w.memoryMb === memoryMb)) return;
  const w = takeWorker(memoryMb);
  const warm: WarmRequest = { warm: 'postgresql' };
  w.worker.postMessage(warm);
  giveBack(w, false);
}

/** Stops the idle workers (tests, and callers that want their threads back now). */
export async function closeReplayWorkers(): Promise<void> {
  await Promise.all(idle.splice(0).map((w) => w.worker.terminate()));
}

export async function replay(req: ReplayRequest): Promise<ReplayResult> {
  // MySQL/MariaDB: no embedded engine; the server the user named (src/replay/mysql.ts).
  if (req.dialect === 'mysql') return (await import('./mysql.js')).replayMysql(req);
  const t0 = Date.now();
  const timeoutMs = req.timeoutMs ?? DEFAULTS.timeoutMs;
  const statementTimeoutMs = req.statementTimeoutMs ?? DEFAULTS.statementTimeoutMs;
  const memoryMb = req.memoryMb ?? DEFAULTS.memoryMb;
  const outcomes: StatementOutcome[] = [];
  const before: Record<number, CatalogSnapshot> = {};
  const phases: Record<string, number> = {};
  const debug: string[] = [];
  const textOf = new Map(req.statements.map((s) => [s.id, s.sql]));
  let after: CatalogSnapshot | null = null;
  let limit: ReplayResult['limit'];
  let limitDetail: string | undefined;

  const w = takeWorker(memoryMb);
  w.worker.ref();
  let retire = true;
  await new Promise<void>((resolve) => {
    const { worker } = w;
    let finished = false;
    let stmtTimer: NodeJS.Timeout | undefined;
    const finish = (l?: ReplayResult['limit'], detail?: string, keep = false) => {
      if (finished) return;
      finished = true;
      if (l && !limit) {
        limit = l;
        limitDetail = detail;
      }
      clearTimeout(wall);
      clearTimeout(stmtTimer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      retire = !keep;
      // Past a limit the worker is stopped: whatever it runs is abandoned with it.
      if (retire) void worker.terminate().finally(resolve);
      else resolve();
    };
    const wall = setTimeout(() => finish('timeout', `the run passed its wall-clock limit of ${timeoutMs} ms`), timeoutMs);
    // Start-up (loading the engine) is bounded by the wall-clock limit only.
    const onMessage = (m: WorkerMessage) => {
      switch (m.t) {
        case 'start':
          clearTimeout(stmtTimer);
          stmtTimer = setTimeout(() => finish('timeout', `statement ${m.id} ran past the per-statement limit of ${statementTimeoutMs} ms: ${preview(textOf.get(m.id))}`), statementTimeoutMs);
          break;
        case 'outcome':
          clearTimeout(stmtTimer);
          outcomes.push(m.o);
          // Snapshots after the last statement are not statements: they share the per-statement limit.
          stmtTimer = setTimeout(() => finish('timeout', `reading the catalog ran past ${statementTimeoutMs} ms`), Math.max(statementTimeoutMs, 5_000));
          break;
        case 'before':
          before[m.file] = m.snap;
          break;
        case 'after':
          after = m.snap;
          break;
        case 'phase':
          phases[m.name] = m.ms;
          if (m.cpuMs !== undefined) phases[`${m.name}-cpu`] = m.cpuMs;
          break;
        case 'debug':
          debug.push(m.detail);
          break;
        case 'fatal':
          finish(m.limit, m.detail);
          break;
        case 'done':
          finish(undefined, undefined, !m.retire);
          break;
      }
    };
    const onError = (e: Error & { code?: string }) => {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') finish('memory', `the worker passed its memory limit of ${memoryMb} MiB`);
      else finish('crash', `the worker failed: ${e.message.slice(0, 300)}`);
    };
    const onExit = (code: number) => finish(finished ? undefined : 'crash', `the worker exited (code ${code}) before the end`);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    const msg: WorkerRequest = { req: { ...req } };
    worker.postMessage(msg);
  });
  giveBack(w, retire);

  const { stats, historyProblems } = replayStats(req, outcomes, Date.now() - t0);
  return {
    dialect: req.dialect,
    outcomes,
    before,
    after: limit ? empty() : (after ?? empty()),
    ...(limit ? { limit, limitDetail } : {}),
    stats,
    phases,
    historyProblems,
    ...(debug.length ? { debug } : {}),
  };
}
