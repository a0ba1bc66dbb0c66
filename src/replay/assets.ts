// Where the worker and the engines' files are. Bundled: dist/replay/ holds the worker bundle and
// the WASM/data files, shared by dist/index.js (action) and dist/cli/index.js (CLI), each finding
// it relative to itself. From source (tsx, vitest): the worker is src/replay/worker.ts run through
// tsx, and the files come from node_modules.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ReplayAssets {
  /** PGlite's compiled PostgreSQL. */
  pgliteWasm: string;
  /** PGlite's file-system bundle (share/, lib/ of the PostgreSQL install). */
  pgliteData: string;
  /** A data directory made by initdb (PGlite dumpDataDir('gzip')), so start-up skips initdb; absent from source until made. */
  pgData: string;
  /** sql.js's SQLite. */
  sqliteWasm: string;
}

export const ASSET_DIR = 'replay';
export const WORKER_FILE = 'replay-worker.js';
export const PGDATA_FILE = 'pgdata.tar.gz';

/** The bundle's dist/replay/ directory, or null when running from source. */
export function bundledDir(from: string): string | null {
  for (const d of [join(from, ASSET_DIR), join(from, '..', ASSET_DIR), from]) if (existsSync(join(d, WORKER_FILE)) && existsSync(join(d, 'pglite.wasm'))) return d;
  return null;
}

/** Assets of a dist/replay/ directory, or from node_modules (source). */
export function assetsFor(dir: string | null): ReplayAssets {
  if (dir) return { pgliteWasm: join(dir, 'pglite.wasm'), pgliteData: join(dir, 'pglite.data'), pgData: join(dir, PGDATA_FILE), sqliteWasm: join(dir, 'sql-wasm.wasm') };
  const require = createRequire(import.meta.url);
  const pglite = dirname(require.resolve('@electric-sql/pglite'));
  const sqljs = dirname(require.resolve('sql.js'));
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return {
    pgliteWasm: join(pglite, 'pglite.wasm'),
    pgliteData: join(pglite, 'pglite.data'),
    // Made by `node scripts/make-pgdata.mjs` (the build runs it), or by the first replay from source.
    pgData: join(root, 'node_modules', '.cache', 'migration-gate', PGDATA_FILE),
    sqliteWasm: join(sqljs, 'sql-wasm.wasm'),
  };
}
