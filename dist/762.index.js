export const id = 762;
export const ids = [762];
export const modules = {

/***/ 5762:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  replay: () => (/* binding */ replay)
});

// UNUSED EXPORTS: DEFAULTS, closeReplayWorkers

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __webpack_require__(5919);
// EXTERNAL MODULE: external "node:module"
var external_node_module_ = __webpack_require__(8995);
;// CONCATENATED MODULE: ./src/replay/assets.ts
// Where the worker and the engines' files are. Bundled: dist/replay/ holds the worker bundle and
// the WASM/data files, shared by dist/index.js (action) and dist/cli/index.js (CLI), each finding
// it relative to itself. From source (tsx, vitest): the worker is src/replay/worker.ts run through
// tsx, and the files come from node_modules.




const ASSET_DIR = 'replay';
const WORKER_FILE = 'replay-worker.js';
const PGDATA_FILE = 'pgdata.tar.gz';
/** The bundle's dist/replay/ directory, or null when running from source. */
function bundledDir(from) {
    for (const d of [(0,external_node_path_.join)(from, ASSET_DIR), (0,external_node_path_.join)(from, '..', ASSET_DIR), from])
        if ((0,external_node_fs_.existsSync)((0,external_node_path_.join)(d, WORKER_FILE)) && (0,external_node_fs_.existsSync)((0,external_node_path_.join)(d, 'pglite.wasm')))
            return d;
    return null;
}
/** Assets of a dist/replay/ directory, or from node_modules (source). */
function assetsFor(dir) {
    if (dir)
        return { pgliteWasm: (0,external_node_path_.join)(dir, 'pglite.wasm'), pgliteData: (0,external_node_path_.join)(dir, 'pglite.data'), pgData: (0,external_node_path_.join)(dir, PGDATA_FILE), sqliteWasm: (0,external_node_path_.join)(dir, 'sql-wasm.wasm') };
    const require = (0,external_node_module_.createRequire)(import.meta.url);
    const pglite = (0,external_node_path_.dirname)(require.resolve('@electric-sql/pglite'));
    const sqljs = (0,external_node_path_.dirname)(require.resolve('sql.js'));
    const root = (0,external_node_path_.join)((0,external_node_path_.dirname)((0,external_node_url_.fileURLToPath)(import.meta.url)), '..', '..');
    return {
        pgliteWasm: (0,external_node_path_.join)(pglite, 'pglite.wasm'),
        pgliteData: (0,external_node_path_.join)(pglite, 'pglite.data'),
        // Made by `node scripts/make-pgdata.mjs` (the build runs it), or by the first replay from source.
        pgData: (0,external_node_path_.join)(root, 'node_modules', '.cache', 'migration-gate', PGDATA_FILE),
        sqliteWasm: (0,external_node_path_.join)(sqljs, 'sql-wasm.wasm'),
    };
}

;// CONCATENATED MODULE: ./src/replay/index.ts






const DEFAULTS = { timeoutMs: 20_000, statementTimeoutMs: 2_000, memoryMb: 1024 };
const empty = () => ({ relations: {}, schemas: {}, roles: {}, functions: {} });
function workerSpec() {
    const here = (0,external_node_path_.dirname)((0,external_node_url_.fileURLToPath)(import.meta.url));
    const dir = bundledDir(here);
    if (dir)
        return { file: (0,external_node_path_.join)(dir, WORKER_FILE), eval: false, dir };
    // From source: the TypeScript worker through tsx's loader (a devDependency).
    const worker = (0,external_node_path_.join)(here, 'worker.ts');
    if (!(0,external_node_fs_.existsSync)(worker))
        throw new Error(`replay worker not found beside ${here}`);
    const api = (0,external_node_module_.createRequire)(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
    const code = `import(${JSON.stringify((0,external_node_url_.pathToFileURL)(api).href)}).then((m) => { m.register(); return import(${JSON.stringify((0,external_node_url_.pathToFileURL)(worker).href)}); })`;
    return { file: code, eval: true, dir: null };
}
const idle = [];
const MAX_IDLE = 2;
function takeWorker(memoryMb) {
    const i = idle.findIndex((w) => w.memoryMb === memoryMb);
    if (i >= 0)
        return idle.splice(i, 1)[0];
    const spec = workerSpec();
    const input = { assets: assetsFor(spec.dir), memoryMb };
    const worker = new external_node_worker_threads_.Worker(spec.file, {
        eval: spec.eval,
        workerData: input,
        resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(16, memoryMb >> 4)), stackSizeMb: 8 },
        env: {}, // the worker sees no environment variables of the host
    });
    // Between requests nobody listens: an idle worker that dies is dropped from the pool.
    worker.on('error', () => { });
    worker.on('exit', () => {
        const j = idle.findIndex((w) => w.worker === worker);
        if (j >= 0)
            idle.splice(j, 1);
    });
    return { worker, memoryMb };
}
function giveBack(w, retire) {
    if (retire || idle.length >= MAX_IDLE) {
        if (!retire)
            void w.worker.terminate();
        return;
    }
    w.worker.unref();
    idle.push(w);
}
/** Stops the idle workers (tests, and callers that want their threads back now). */
async function closeReplayWorkers() {
    await Promise.all(idle.splice(0).map((w) => w.worker.terminate()));
}
async function replay(req) {
    const t0 = Date.now();
    const timeoutMs = req.timeoutMs ?? DEFAULTS.timeoutMs;
    const statementTimeoutMs = req.statementTimeoutMs ?? DEFAULTS.statementTimeoutMs;
    const memoryMb = req.memoryMb ?? DEFAULTS.memoryMb;
    const outcomes = [];
    const before = {};
    const phases = {};
    const judgeOf = new Map(req.statements.map((s) => [s.id, s.judge]));
    const textOf = new Map(req.statements.map((s) => [s.id, s.sql]));
    let after = null;
    let limit;
    let limitDetail;
    const w = takeWorker(memoryMb);
    w.worker.ref();
    let retire = true;
    await new Promise((resolve) => {
        const { worker } = w;
        let finished = false;
        let stmtTimer;
        const finish = (l, detail, keep = false) => {
            if (finished)
                return;
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
            if (retire)
                void worker.terminate().finally(resolve);
            else
                resolve();
        };
        const wall = setTimeout(() => finish('timeout', `the run passed its wall-clock limit of ${timeoutMs} ms`), timeoutMs);
        // Start-up (loading the engine) is bounded by the wall-clock limit only.
        const onMessage = (m) => {
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
                    if (m.cpuMs !== undefined)
                        phases[`${m.name}-cpu`] = m.cpuMs;
                    break;
                case 'fatal':
                    finish(m.limit, m.detail);
                    break;
                case 'done':
                    finish(undefined, undefined, !m.retire);
                    break;
            }
        };
        const onError = (e) => {
            if (e.code === 'ERR_WORKER_OUT_OF_MEMORY')
                finish('memory', `the worker passed its memory limit of ${memoryMb} MiB`);
            else
                finish('crash', `the worker failed: ${e.message.slice(0, 300)}`);
        };
        const onExit = (code) => finish(finished ? undefined : 'crash', `the worker exited (code ${code}) before the end`);
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        const msg = { req: { ...req } };
        worker.postMessage(msg);
    });
    giveBack(w, retire);
    const stats = { history: { total: 0, ok: 0 }, judged: { total: 0, ok: 0 }, ms: Date.now() - t0 };
    const historyProblems = {};
    for (const s of req.statements)
        (s.judge ? stats.judged : stats.history).total++;
    for (const o of outcomes) {
        const judge = judgeOf.get(o.id);
        if (o.ok)
            (judge ? stats.judged : stats.history).ok++;
        else if (!judge) {
            const why = o.skipped ?? o.error ?? 'not replayed';
            const key = `${head(textOf.get(o.id))}: ${why.replace(/\s+/g, ' ').slice(0, 120)}`;
            historyProblems[key] = (historyProblems[key] ?? 0) + 1;
        }
    }
    return {
        dialect: req.dialect,
        outcomes,
        before,
        after: limit ? empty() : (after ?? empty()),
        ...(limit ? { limit, limitDetail } : {}),
        stats,
        phases,
        historyProblems,
    };
}
/** First words of a statement, for the report ('CREATE EXTENSION postgis'). */
function head(sql) {
    const s = (sql ?? '').replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ').replace(/\s+/g, ' ').trim();
    return s.split(' ').slice(0, 3).join(' ').slice(0, 60);
}
function preview(sql) {
    const s = (sql ?? '').replace(/\s+/g, ' ').trim();
    return s.length > 80 ? s.slice(0, 77) + '…' : s;
}


/***/ })

};
