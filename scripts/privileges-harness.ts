// Acceptance check of `migration-gate privileges` (issue 11): derive the GRANT script of a
// PostgreSQL migration set, apply it in PGlite (a real PostgreSQL 18) as the superuser to a fresh
// NOLOGIN role, then replay the whole history as that role (SET SESSION AUTHORIZATION), statement
// by statement. The statements the derivation lists as superuser-only run as the superuser (as a
// DBA would run them); every other statement must succeed as the role. A baseline replay of the
// same statements as the superuser on another fresh database tells failures that have nothing to
// do with privileges (an extension PGlite lacks, a platform object) from privilege failures.
// Used by tests/privileges.test.ts (small fixture histories) and scripts/privileges-corpus.ts.
import { PGlite } from '@electric-sql/pglite';
import { planAndParse, PrivilegeTracker, script, type Requirements } from '../src/privileges/index.js';
import type { SourceFile, Statement } from '../src/types.js';

export interface Failure {
  path: string;
  line: number;
  error: string;
  sql: string;
}

export interface AcceptanceResult {
  set: string;
  files: number;
  /** Top-level statements replayed. */
  statements: number;
  /** Ran as the migration role and succeeded. */
  okAsRole: number;
  /** Listed as superuser-only: run as the superuser. */
  superuserOnly: number;
  /** Failed as the role but succeeded in the superuser baseline: what the GRANT script missed. */
  privilegeFailures: Failure[];
  /** Failed as the role in statements the derivation listed as not derived (dynamic SQL, unparsed): listed, so not a miss. */
  notDerivedFailures: Failure[];
  /** Failed in the superuser baseline too (nothing to do with privileges). */
  failsAnyway: number;
  /** The GRANT script's statements that failed to apply. */
  scriptErrors: string[];
  /** The role left its identity (a statement switched the session back to the superuser). */
  escaped: number;
  requirements: Requirements;
  script: string;
}

const CONTRIB = [
  'btree_gin', 'btree_gist', 'citext', 'cube', 'dict_int', 'earthdistance', 'fuzzystrmatch', 'hstore', 'intarray', 'isn', 'lo', 'ltree',
  'pg_trgm', 'pgcrypto', 'seg', 'tablefunc', 'tcn', 'tsm_system_rows', 'tsm_system_time', 'unaccent', 'uuid_ossp', 'pg_stat_statements',
];

async function freshDb(): Promise<PGlite> {
  const extensions: Record<string, any> = {};
  for (const name of CONTRIB) {
    try {
      const mod = await import(`@electric-sql/pglite/contrib/${name}`);
      extensions[name] = mod[name];
    } catch {
      // not in this PGlite build
    }
  }
  return PGlite.create({ extensions });
}

const replayable = (st: Statement) => !st.unit.down && !st.nested && !st.meta && st.text.trim() !== '';
const msg = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 300);
const ident = (s: string) => '"' + s.replace(/"/g, '""') + '"';

/** Run every PostgreSQL set among `files` through the check. */
export interface AcceptanceOptions {
  /** Replace the derived script (tests: show that the check fails without it). */
  script?: (derived: string) => string;
  /** Run the superuser-only statements as the role too (tests: show that they do fail). */
  superuserAsRole?: boolean;
}

export async function acceptance(files: SourceFile[], role = 'migrator', opts: AcceptanceOptions = {}): Promise<AcceptanceResult[]> {
  const sets = await planAndParse(files);
  const out: AcceptanceResult[] = [];
  for (const set of sets) {
    const dialect = set.files.find((f) => f.dialect)?.dialect ?? 'postgresql';
    if (dialect !== 'postgresql') continue;
    // Derive, remembering which top-level statements hold a superuser-only need.
    const tracker = new PrivilegeTracker('postgresql');
    const superuser = new Set<Statement>();
    const unverified = new Set<Statement>();
    const steps: Array<{ path: string; st: Statement }> = [];
    for (const f of set.files) {
      const top = f.statements.filter(replayable);
      for (const st of top) steps.push({ path: f.path, st });
      tracker.addFile(f.path, f.statements, (st, n) => {
        if (n.kind !== 'superuser' && n.kind !== 'unverified') return;
        const parent = st.nested ? top.find((t) => t.unit === st.unit && t.start <= st.start && st.end <= t.end) ?? top.filter((t) => t.unit === st.unit && t.start <= st.start).pop() : st;
        if (parent) (n.kind === 'superuser' ? superuser : unverified).add(parent);
      });
    }
    const requirements = tracker.result(set.name);
    const sql = opts.script ? opts.script(script(requirements, role)) : script(requirements, role);
    const res: AcceptanceResult = { set: set.name, files: set.files.length, statements: steps.length, okAsRole: 0, superuserOnly: 0, privilegeFailures: [], notDerivedFailures: [], failsAnyway: 0, scriptErrors: [], escaped: 0, requirements, script: sql };

    // Baseline: the superuser runs everything.
    const base = await freshDb();
    const baseOk: boolean[] = [];
    for (const { st } of steps) baseOk.push(await runWithRoles(base, st.text, null));
    await base.close();

    // The environment the migrations expect but do not make: schemas and roles they name.
    const db = await freshDb();
    await db.exec(`CREATE ROLE ${ident(role)} NOLOGIN`);
    for (const n of requirements.needs) {
      if (n.kind === 'schema' && n.object) await db.exec(`CREATE SCHEMA IF NOT EXISTS ${ident(n.object.name)}`).catch(() => {});
      if (n.kind === 'membership' && n.object) await ensureRole(db, n.object.name);
    }
    // The GRANT script, as the superuser, statement by statement (a DO block is one).
    for (const part of splitScript(sql)) {
      try {
        await db.exec(part);
      } catch (e) {
        res.scriptErrors.push(`${msg(e)}: ${part.slice(0, 120)}`);
      }
    }
    // As a login would: the session is the role, with the role's own settings (ALTER ROLE … SET).
    const settings = await db.query<{ c: string[] }>(`SELECT s.setconfig AS c FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = $1 AND s.setdatabase = 0`, [role]);
    const sets = (settings.rows[0]?.c ?? []).map((kv) => {
      const i = kv.indexOf('=');
      return `SET ${ident(kv.slice(0, i))} = '${kv.slice(i + 1).replace(/'/g, "''")}'`;
    });
    const asRole = [`SET SESSION AUTHORIZATION ${ident(role)}`, ...sets].join('; ');
    await db.exec(asRole);
    for (let i = 0; i < steps.length; i++) {
      const { path, st } = steps[i];
      if (superuser.has(st) && !opts.superuserAsRole) {
        res.superuserOnly++;
        await db.exec('RESET SESSION AUTHORIZATION');
        await runWithRoles(db, st.text, null);
        await db.exec(asRole);
        continue;
      }
      let error = '';
      const ok = await runWithRoles(db, st.text, (e) => (error = e));
      // Not right after BEGIN: a query there would start the transaction's snapshot (SET TRANSACTION must come first).
      const begins = st.pg?.TransactionStmt !== undefined;
      const who = begins ? { rows: [{ s: role }] } : await db.query<{ s: string }>('SELECT session_user AS s').catch(() => ({ rows: [{ s: '?' }] }));
      if (who.rows[0]?.s !== role) {
        res.escaped++;
        await db.exec(`RESET SESSION AUTHORIZATION; ${asRole}`).catch(() => {});
      }
      if (ok) res.okAsRole++;
      else if (baseOk[i]) (unverified.has(st) ? res.notDerivedFailures : res.privilegeFailures).push({ path, line: st.unit.pos(st.start).line, error, sql: st.text.trim().split('\n')[0].slice(0, 120) });
      else res.failsAnyway++;
    }
    await db.close();
    out.push(res);
  }
  return out;
}

/** Run one statement; a missing role is made (as the superuser) and the statement retried. */
async function runWithRoles(db: PGlite, sql: string, onError: ((e: string) => void) | null): Promise<boolean> {
  for (let n = 0; n < 8; n++) {
    try {
      await db.exec(sql);
      return true;
    } catch (e) {
      const m = msg(e);
      await db.exec('ROLLBACK').catch(() => {});
      const r = /^role "([^"]+)" does not exist/.exec(m);
      if (r && !/^pg_/.test(r[1])) {
        const who = (await db.query<{ s: string }>('SELECT session_user AS s')).rows[0]?.s;
        await db.exec('RESET SESSION AUTHORIZATION');
        await ensureRole(db, r[1]);
        if (who && who !== 'postgres') await db.exec(`SET SESSION AUTHORIZATION ${ident(who)}`);
        continue;
      }
      onError?.(m);
      return false;
    }
  }
  return false;
}

async function ensureRole(db: PGlite, name: string): Promise<void> {
  const have = await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
  if (!have.rows.length) await db.exec(`CREATE ROLE ${ident(name)} NOLOGIN`).catch(() => {});
}

/** The script's statements: DO blocks whole, other lines by `;`. */
export function splitScript(sql: string): string[] {
  const out: string[] = [];
  const lines = sql.split('\n').filter((l) => !/^\s*--/.test(l));
  let cur: string[] = [];
  let inDo: string | null = null;
  for (const l of lines) {
    if (!inDo) {
      const m = /^DO (\$\w*\$)$/.exec(l.trim());
      if (m) inDo = m[1];
    } else if (l.trim() === `${inDo};`) inDo = '';
    cur.push(l);
    if (inDo === '' || (inDo === null && l.trim().endsWith(';'))) {
      const s = cur.join('\n').trim();
      if (s) out.push(s);
      cur = [];
      inDo = null;
    }
  }
  return out;
}

export function summary(r: AcceptanceResult): string {
  const lines = [
    `${r.set}: ${r.files} files, ${r.statements} statements replayed as the role`,
    `  ok as the role: ${r.okAsRole}; superuser-only (run as superuser): ${r.superuserOnly}; fail in the superuser baseline too: ${r.failsAnyway}; privilege failures: ${r.privilegeFailures.length}; failures in statements listed as not derived: ${r.notDerivedFailures.length}; session escapes: ${r.escaped}`,
    `  GRANT script: ${splitScript(r.script).length} statements, ${r.scriptErrors.length} failed to apply`,
  ];
  for (const e of r.scriptErrors.slice(0, 10)) lines.push(`    script error: ${e}`);
  for (const f of r.privilegeFailures.slice(0, 20)) lines.push(`    privilege failure ${f.path}:${f.line}: ${f.error} — ${f.sql}`);
  for (const f of r.notDerivedFailures.slice(0, 10)) lines.push(`    (listed as not derived) ${f.path}:${f.line}: ${f.error} — ${f.sql}`);
  return lines.join('\n');
}
