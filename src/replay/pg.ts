// PostgreSQL replay inside the worker: PGlite (PostgreSQL 18 compiled to WASM) on its in-memory
// Emscripten file system (MEMFS: no dataDir, nothing of the host mounted; pg_read_file('/etc/passwd')
// reads the WASM's own empty /etc).
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { PGlite } from '@electric-sql/pglite';
import type { ReplayAssets } from './assets.js';
import { classifyPg } from './classify.js';
import { diffFacts, type Fact, type Facts } from './facts.js';
import { canonical, factsDiffer, factsSql, familyOf, NAMED_FAMILIES, parseFacts, SCOPED_FAMILIES, snapshotOf, wholeFamiliesRead, type FactsRead } from './pg-catalog.js';
import type { LockInfo, ReplayRequest, StatementOutcome } from './types.js';
import { cpuMs, type Post } from './worker-protocol.js';

/** Schemas a hosting platform (Supabase and the like) creates; missing functions in them get a NULL stub. */
export const PLATFORM_SCHEMAS = new Set(['auth', 'storage', 'extensions', 'realtime', 'graphql', 'graphql_public', 'vault', 'pgsodium', 'pgsodium_masks', 'supabase_functions', 'supabase_migrations', 'net', 'cron', 'pgbouncer', '_realtime', '_analytics']);
// Return types of the well-known Supabase helpers; other stubs return text.
const STUB_RETURNS: Record<string, string> = { 'auth.uid': 'uuid', 'auth.role': 'text', 'auth.email': 'text', 'auth.jwt': 'jsonb' };
const MAX_AUTO = 12;
const MAX_ERROR = 600;

const ident = (s: string) => '"' + s.replace(/"/g, '""') + '"';

/** Makes fresh PostgreSQL instances: the compiled module and the data files are read once. */
export type PgFactory = () => Promise<PGlite>;

export async function loadPg(assets: ReplayAssets, PGliteClass: typeof PGlite): Promise<PgFactory> {
  // V8 compiles on background threads: the files below are read and unpacked meanwhile.
  const compiling = WebAssembly.compile(readFileSync(assets.pgliteWasm));
  compiling.catch(() => {}); // awaited below; a failure is thrown there
  const fsData = readFileSync(assets.pgliteData);
  let pgData = existsSync(assets.pgData) ? gunzipSync(readFileSync(assets.pgData)) : null;
  const pgliteWasmModule = await compiling;
  if (!existsSync(assets.pgData)) {
    // From source before `node scripts/make-pgdata.mjs` ran: initdb now (slow) and keep the result.
    const db = await PGliteClass.create({ pgliteWasmModule, fsBundle: new Blob([fsData]) });
    try {
      const blob = await db.dumpDataDir('gzip');
      mkdirSync(dirname(assets.pgData), { recursive: true });
      const tmp = `${assets.pgData}.${process.pid}.tmp`;
      writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
      renameSync(tmp, assets.pgData);
    } catch {
      // A read-only cache only costs start-up time.
    } finally {
      await db.close().catch(() => {});
    }
  }
  // Unpacked once (above, or here when just made): PGlite would gunzip the 40 MB data directory for every instance.
  pgData ??= existsSync(assets.pgData) ? gunzipSync(readFileSync(assets.pgData)) : null;
  // PGlite reads both through Blob.arrayBuffer(), which Node 20 serves in small chunks (~0.3 s for
  // the 40 MB data directory): hand it the bytes directly.
  const bytes = (buf: Buffer) => ({ type: '', size: buf.length, arrayBuffer: async () => buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) }) as unknown as Blob;
  // The data directory's bytes are handed to every instance as one buffer, not a 40 MB copy each:
  // PGlite only reads the tar (its untar writes each file with FS.writeFile, which copies into the
  // instance's MEMFS). The file-system bundle keeps a copy per instance: Emscripten's file packager
  // can let MEMFS own slices of it.
  const shared = (buf: Buffer) => {
    const ab = buf.byteOffset === 0 && buf.length === buf.buffer.byteLength ? buf.buffer : buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
    return { type: '', size: buf.length, arrayBuffer: async () => ab } as unknown as Blob;
  };
  const dataDir = pgData ? shared(pgData) : null;
  // Start-up allocates and clears shared memory sized by these (128 MB of buffers by default): the
  // sandbox's one session needs far less; the lock table keeps initdb's size (64 × 100 slots).
  const startParams = [...(PGliteClass as unknown as { defaultStartParams: string[] }).defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'max_connections=10', '-c', 'max_locks_per_transaction=640'];
  return async () => {
    const db = await PGliteClass.create({ pgliteWasmModule, fsBundle: bytes(fsData), startParams, ...(dataDir ? { loadDataDir: dataDir } : {}) });
    await prepareReads(db);
    return db;
  };
}

/** Instances whose catalog reads are prepared and planned (prepareReads). */
const readied = new WeakSet<PGlite>();

/**
 * Prepares the catalog reads in a clean session (names resolve as PostgreSQL's own) and runs each
 * once, so that their plans are made now: planning them costs ~10× running them in the WASM
 * engine (~0.1 s a new instance), and an instance is made before its request comes (worker.ts).
 * Read-only: the warm-up runs take no xid, write no row and leave the session's settings as they were.
 */
async function prepareReads(db: PGlite, warm = true): Promise<void> {
  await db.exec(`PREPARE __mg_facts AS ${factsSql(false)}; PREPARE __mg_inc AS ${factsSql(true)}; PREPARE __mg_writes AS ${WRITES_SQL}; PREPARE __mg_locks AS ${LOCKS_SQL}`);
  if (!warm) return;
  await db.exec(`BEGIN; EXECUTE __mg_facts; SET LOCAL mg.from_xid = '1'; SET LOCAL mg.deleted = 'no'; SET LOCAL mg.seqs = ','; SET LOCAL mg.written = '*'; EXECUTE __mg_inc; EXECUTE __mg_writes; EXECUTE __mg_locks; ROLLBACK`);
  readied.add(db);
}

class Desync extends Error {}

export async function runPg(db: PGlite, req: ReplayRequest, post: Post): Promise<void> {
  const t0 = Date.now();
  const wantLocks = req.locks !== false;
  // Each result of a statement carries its command tag; a result without one means PGlite lost
  // protocol sync (seen after COPY … TO PROGRAM reached through EXECUTE): nothing after it is trustworthy.
  const exec = async (sql: string) => {
    const res = await db.exec(sql);
    if (res.some((r) => (r as { command?: string }).command === undefined)) throw new Desync('the engine lost protocol sync running this statement (a COPY … PROGRAM or similar the WASM engine cannot serve); replay stopped here');
    return res;
  };
  // Prepared once, before any migration runs (prepareReads; again if a migration deallocated them).
  if (!readied.has(db)) await prepareReads(db);
  // After a migration's DEALLOCATE ALL: prepared again, planned when next used (the session may
  // have another role by then).
  const prepare = () => prepareReads(db, false);
  const prepared = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      // DEALLOCATE ALL / DISCARD ALL in a migration drops them.
      if (!/prepared statement "__mg_\w+" does not exist/.test(msg(e))) throw e;
      await db.exec('ROLLBACK').catch(() => {});
      await prepare();
      return run();
    }
  };
  const read = async (execute: string): Promise<FactsRead> => {
    // As the session's superuser whatever SET ROLE the migrations did.
    const res = await prepared(() => db.exec(`BEGIN; SET LOCAL ROLE NONE; ${execute}; COMMIT`));
    const row = res.find((r) => r.rows.length)?.rows[0] as { j: string } | undefined;
    return parseFacts(row?.j ?? '{"f":[],"s":""}');
  };
  let settings = ''; // the formatting settings of the last read
  const reads = { full: 0, incremental: 0 };
  /** The whole catalog. */
  const facts = async (): Promise<Facts> => {
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
  const advance = async (prev: Facts, fromXid: string, deleted: boolean, written: string): Promise<Facts> => {
    reads.incremental++;
    // mg.seqs: digits, ':' and ',' only (sequencesOf); mg.written: catalog names or '*' (writtenBetween): safe inside the literals.
    const r = await read(`SET LOCAL mg.from_xid = '${fromXid}'; SET LOCAL mg.deleted = '${deleted ? 'yes' : 'no'}'; SET LOCAL mg.seqs = ',${sequencesOf(prev)},'; SET LOCAL mg.written = '${written}'; EXECUTE __mg_inc`);
    const wholeRead = wholeFamiliesRead(written);
    if (r.settings !== settings) return facts();
    if (deleted && !r.oids) return facts();
    const reread = new Set<string>(); // relations read again
    for (const f of r.facts) {
      const old = prev.get(f.k);
      if (old && old.name !== f.name && NAMED_FAMILIES.has(familyOf(f.k))) return facts();
      if (f.k.startsWith('c')) reread.add(f.k);
    }
    // Dropped: a fact whose OID is gone, and what hangs off a dropped relation.
    const exists = new Set<string>();
    for (const [family, oids] of Object.entries(r.oids ?? {})) for (const o of oids) exists.add(family + o);
    // Columns are dropped only with their relation (DROP COLUMN updates the row), so they go by their parent.
    const gone = (f: Fact) => deleted && ((!f.k.startsWith('a') && !exists.has(f.k)) || (f.parent !== undefined && !exists.has(f.parent)));
    const next: Fact[] = [];
    for (const [k, f] of prev) {
      const family = familyOf(k);
      if (!SCOPED_FAMILIES.has(family)) {
        // Read whole when its catalogs were written; else unchanged (not written, so not deleted either).
        if (!wholeRead.has(family)) next.push(f);
        continue;
      }
      // A re-read relation's columns, policies, triggers and rules are all in the read.
      if (family !== 'c' && f.parent !== undefined && reread.has(f.parent)) continue;
      if (gone(f)) continue;
      next.push(f);
    }
    const byKey = canonical([...next, ...r.facts]);
    if (req.verifyFacts) {
      const full = await facts();
      const diff = factsDiffer(byKey, full);
      if (diff) post({ t: 'debug', detail: `incremental catalog read differs from a full one after statement ${current}: ${diff}` });
      return full;
    }
    return byKey;
  };
  let current = -1;

  let fileBefore: Facts | null = null;
  let fileIndex = -1;
  let cur: Facts | null = null; // state right before the next judged statement, when nothing ran since
  const assumed = new Set<string>(); // auto-created objects: taken as existing on the real server
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
    const c = classifyPg(s.sql);
    current = s.id;
    if (s.judge && s.file !== fileIndex) {
      if (phase === 'history') mark('judged');
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
    const o: StatementOutcome = { id: s.id, ok: false };
    try {
      if (!s.judge) {
        cur = null;
        await withAutoCreate(s.sql, o, (sql) => exec(sql).then(() => undefined));
      } else {
        if (!cur) cur = await facts();
        const before: Facts = cur;
        let locks: LockInfo[] | undefined;
        let bare = false;
        let writes: [string, string] | null = null;
        let fromXid = '';
        let deleted = true;
        let written = '*';
        await withAutoCreate(s.sql, o, async (sql) => {
          writes = null;
          // BEGIN and the first count in one round trip (the engine's calls cost more than these queries).
          const w0 = await catalogWrites('BEGIN; ');
          try {
            await exec(sql);
            let w1: Writes;
            if (wantLocks) [locks, w1] = await locksAndWrites(before);
            else w1 = await catalogWrites();
            writes = [w0.n, w1.n];
            fromXid = w0.x;
            deleted = w0.d !== w1.d || w0.d === '';
            written = writtenBetween(w0, w1);
            await db.exec('COMMIT');
          } catch (e) {
            if (e instanceof Desync) throw e;
            await db.exec('ROLLBACK').catch(() => {});
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
          for (const k of now.keys()) if (!before.has(k)) assumed.add(k);
          cur = now;
        });
        // No catalog row written and no sequence moved: the catalog is the one before (most data
        // statements); the snapshot, the dearest part of a judged statement, is skipped.
        const same = !bare && writes !== null && writes[0] === writes[1] && writes[0] !== '' && (await sequences()) === sequencesOf(cur!);
        const after = same ? cur! : !bare && /^\d+$/.test(fromXid) ? await advance(cur!, fromXid, deleted, written) : await facts();
        o.effects = diffFacts(cur!, after, (k) => fileBefore!.has(k) || assumed.has(k));
        cur = after;
        if (locks) o.locks = locks;
        if (bare) o.note = 'cannot run inside a transaction block: ran alone, locks not read';
      }
      o.ok = true;
    } catch (e) {
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
  async function catalogWrites(prefix = ''): Promise<Writes> {
    try {
      // One round trip. Without the prepared query (a migration ran DEALLOCATE ALL) this fails
      // and the statement takes the full catalog read, which prepares it again.
      const res = await db.exec(`${prefix}SAVEPOINT __mg_w; EXECUTE __mg_writes; RELEASE SAVEPOINT __mg_w`);
      return (res.find((r) => r.rows.length)?.rows[0] as Writes | undefined) ?? NO_WRITES;
    } catch {
      await db.exec('ROLLBACK TO SAVEPOINT __mg_w').catch(() => {});
      return NO_WRITES;
    }
  }

  /** The user sequences' positions (a setval is no catalog write), as the superuser. */
  async function sequences(): Promise<string> {
    try {
      const res = await db.exec(`BEGIN; SET LOCAL ROLE NONE; ${SEQUENCES_SQL}; COMMIT`);
      const row = res.find((r) => r.rows.length)?.rows[0] as { s: string } | undefined;
      return row?.s ?? '';
    } catch {
      await db.exec('ROLLBACK').catch(() => {});
      return '\0unknown';
    }
  }

  /** The statement's locks and the catalog-write counts after it, in one round trip when it can. */
  async function locksAndWrites(names: Facts): Promise<[LockInfo[], Writes]> {
    // Prepared (planning costs more than running); behind a savepoint, as a failure here must not
    // undo the statement. When a migration deallocated them: the locks unprepared, the counts
    // unknown (the statement then takes the full catalog read, which prepares them again).
    try {
      const res = await db.exec('SAVEPOINT __mg_l; EXECUTE __mg_locks; EXECUTE __mg_writes; RELEASE SAVEPOINT __mg_l');
      return [lockList(names, (res[1]?.rows ?? []) as LockRow[]), (res[2]?.rows[0] as Writes | undefined) ?? NO_WRITES];
    } catch {
      await db.exec('ROLLBACK TO SAVEPOINT __mg_l');
      const r = await db.query<LockRow>(LOCKS_SQL);
      return [lockList(names, r.rows), NO_WRITES];
    }
  }

  function lockList(names: Facts, rows: LockRow[]): LockInfo[] {
    const seen = new Set<string>();
    const out: LockInfo[] = [];
    for (const x of rows) {
      // A relation gone by now and unknown before (a rewrite's transient heap) is not worth naming.
      const relation = x.relation !== null ? (x.name ?? names.get(`c${x.relation}`)?.name) : x.locktype;
      if (!relation || relation.startsWith('pg_toast.')) continue;
      const key = `${relation}\0${x.mode}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ relation, mode: x.mode });
    }
    return out;
  }

  /** Runs `run`; when it fails for want of a role, schema or platform function, makes it and retries. */
  async function withAutoCreate(sql: string, o: StatementOutcome, run: (sql: string) => Promise<void>, made?: () => Promise<void>): Promise<void> {
    for (let n = 0; ; n++) {
      try {
        await run(sql);
        return;
      } catch (e) {
        if (e instanceof Desync || n >= MAX_AUTO) throw e;
        const fix = await autoCreate(msg(e));
        if (!fix) throw e;
        (o.autoCreated ??= []).push(fix);
        if (made) await made();
      }
    }
  }

  async function autoCreate(m: string): Promise<string | null> {
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

/**
 * n: catalog rows written so far; d: of them deleted; x: the first xid not yet assigned, so every
 * row the coming statement writes has an xmin from x on (32-bit, as xmin; one session, far from
 * wraparound). '' where unknown.
 */
interface Writes {
  n: string;
  d: string;
  x: string;
  /** Rows written so far per catalog: 'pg_class:12,pg_attribute:40' (those with any). */
  w: string;
}
const NO_WRITES: Writes = { n: '', d: '', x: '', w: '' };
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
function writtenBetween(a: Writes, b: Writes): string {
  if (a.n === '' || b.n === '') return '*';
  const before = new Map(a.w ? a.w.split(',').map((x) => x.split(':') as [string, string]) : []);
  const out: string[] = [];
  for (const [name, n] of b.w ? b.w.split(',').map((x) => x.split(':')) : []) if (before.get(name) !== n) out.push(name);
  // Catalog names are identifiers of pg_catalog (letters, digits, '_'): safe inside the literal.
  return out.every((x) => /^\w+$/.test(x)) ? `,${out.join(',')},` : '*';
}
const SEQUENCES_SQL = `SELECT coalesce(string_agg(c.oid::text || ':' || coalesce(pg_catalog.pg_sequence_last_value(c.oid)::text, ''), ',' ORDER BY c.oid), '') AS s
    FROM pg_catalog.pg_class c WHERE c.oid >= 16384 AND c.relkind = 'S'
     AND c.relnamespace NOT IN (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname IN ('pg_catalog', 'information_schema') OR nspname ~ '^pg_toast')`; // as pg-catalog.ts's USER_NS

/** SEQUENCES_SQL's answer for a catalog snapshot (pg-catalog.ts reads last_value the same way). */
function sequencesOf(f: Facts): string {
  const out: Array<[number, string]> = [];
  for (const x of f.values()) if (x.kind === 'sequence' && x.k.startsWith('c')) out.push([Number(x.k.slice(1)), `${x.k.slice(1)}:${(x.a.last_value as string | undefined) ?? ''}`]);
  return out.sort((a, b) => a[0] - b[0]).map((x) => x[1]).join(',');
}

type LockRow = { locktype: string; mode: string; relation: number | null; name: string | null };
const LOCKS_SQL = `SELECT l.locktype, l.mode, l.relation::int8 AS relation,
         (SELECT n.nspname || '.' || c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = l.relation) AS name
    FROM pg_catalog.pg_locks l
   WHERE l.pid = pg_catalog.pg_backend_pid() AND l.granted AND l.locktype NOT IN ('virtualxid', 'transactionid', 'object')
     AND (l.relation IS NULL OR l.relation >= 16384)`;

function msg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
