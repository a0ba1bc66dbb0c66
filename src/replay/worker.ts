// The replay worker: runs untrusted SQL in a WASM engine. Started by src/replay/index.ts with
// resourceLimits (JS heap) and watched by its wall-clock and per-statement timers; the WASM memory
// is capped here (below), so a memory bomb inside the engine fails as "out of memory" instead of
// growing to the 2 GiB PGlite allows. (The engines' modules only create their Memory when started,
// after the patch below, although they are imported first.)
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { cpuMs, type WorkerInput, type WorkerMessage } from './worker-protocol.js';
import { runPg, startPg } from './pg.js';
import { runSqlite, startSqlite } from './sqlite.js';

const input = workerData as WorkerInput;
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

async function main() {
  const t = Date.now();
  const c = cpuMs();
  if (input.req.dialect === 'sqlite') {
    const db = await startSqlite(input.assets, input.memoryMb, (await engine<{ default: typeof import('sql.js').default }>('sql.js', 'dist/sql-wasm.js')).default);
    post({ t: 'phase', name: 'start', ms: Date.now() - t, cpuMs: cpuMs() - c });
    await runSqlite(db, input.req, post);
  } else {
    const db = await startPg(input.assets, (await engine<typeof import('@electric-sql/pglite')>('@electric-sql/pglite', 'dist/index.js')).PGlite);
    post({ t: 'phase', name: 'start', ms: Date.now() - t, cpuMs: cpuMs() - c });
    await runPg(db, input.req, post);
  }
  post({ t: 'done' });
}

main().catch((e) => {
  post({ t: 'fatal', limit: 'crash', detail: e instanceof Error ? e.message.slice(0, 600) : String(e) });
});
