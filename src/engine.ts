// The engine: (files, config) → result. Pure apart from loading the parser's WASM; it reads no
// files and never touches GitHub. The CLI and the action both call `run`.
import { Analyzer, countByCategory, redact } from './analyze/index.js';
import { ConfigError, didYouMean, type Config } from './config/index.js';
import { isSelected } from './discover/index.js';
import { extract } from './extract/index.js';
import { isConfigPath } from './extract/kind.js';
import { loadPg, parsePgUnit } from './parse/pg.js';
import { needsReload as pgNeedsReload } from './parse/guard.js';
import { loadNsp, parseNspUnit } from './parse/nsp.js';
import { loadUnicodeNamesFor } from './python/unicode-names.js';
import { rules as allRules } from '../rules/index.js';
import { cmpInt } from './history/order.js';
import { historyFor, planHistory, type MigrationSet } from './history/index.js';
import { applyInlineSuppressions } from './analyze/suppress.js';
import { expandCalls } from './analyze/calls.js';
import { annotatePrivileges } from './privileges/context.js';
import { redactUrl } from './replay/url.js';
import { buildStates, prewarmReplay, type ParsedFile, type StateEntry } from './state/build.js';
import type { Dialect, Extracted, FileChange, FileResult, FileScope, Result, Rule, SourceFile, SqlUnit, Statement } from './types.js';

/** Start the sandbox's engine ahead of a run that will replay (adapters call it while they read the files). */
export { prewarmReplay };

export interface EngineOptions {
  config?: Config;
  /** Dialect forced by the user (--dialect). */
  dialect?: Dialect;
  /** Rules to run (default: all registered rules). */
  rules?: Rule[];
  /** A pull request's file list, for the rules that check changes (the action passes it). */
  changes?: FileChange[];
  /** The policy file's path, for those rules (default `.github/migration-gate.yml`). */
  policyPath?: string;
  /**
   * Earlier migrations of the judged files' migration sets (from disk for the CLI, from the BASE
   * commit for the action), never judged themselves: the state the judged files run against.
   * Their order, with the judged files, is `historyFor(paths, planHistory([...files, ...history]))`
   * (src/history). Absent or empty: no history known (today's per-file judgement).
   */
  history?: SourceFile[];
  /** The history is the whole migration set before the judged files (default: decided from the history plan). */
  historyKnown?: boolean;
  /** 'file' (default): each file judged against its predecessors; 'together': the files as one change (a pull request). */
  units?: 'file' | 'together';
  /** Replay in the sandbox (default: config `replay`, else true). */
  replay?: boolean;
  /**
   * `mysql://user:password@host:port/` (CLI --database-url, action input database-url): replay the
   * MySQL/MariaDB files on that server, in a throwaway database (src/replay/mysql.ts). Never echoed.
   */
  databaseUrl?: string;
  /** The sandbox's wall-clock limit per replay request (default: config `replayTimeout`, else src/replay DEFAULTS.timeoutMs). */
  replayTimeoutMs?: number;
}

/** A migration under the config's globs (config files that hold credentials are not migrations). */
export function isMigrationPath(path: string, config: Config): boolean {
  return isSelected(path, config) && !isConfigPath(path);
}

export async function run(files: SourceFile[], opts: EngineOptions = {}): Promise<Result> {
  const config = opts.config ?? {};
  const rules = opts.rules ?? allRules;
  // A typo in `rules:` would silently leave a rule on (or off): refuse it.
  const known = new Set(rules.map((r) => r.meta.id));
  const unknown = Object.keys(config.rules ?? {}).filter((id) => !known.has(id));
  if (unknown.length) throw new ConfigError(`config rules: unknown rule id(s): ${unknown.map((id) => `${id}${didYouMean(id, [...known])}`).join(', ')} (see docs/rules/ for the list)`);
  const analyzer = new Analyzer(rules, config);
  // parse every judged file and its history, then build the schema state they are judged against,
  // then run the rules.
  const parsed: Array<{ ex: Extracted; statements: Statement[] }> = [];
  const replayOn = opts.replay ?? config.replay ?? true;
  const more = files.length > 1 || (opts.history?.length ?? 0) > 0;
  for (const file of files) {
    const p = await parseFile(file, opts.dialect, config);
    parsed.push(p);
    // The sandbox starts on its own thread while the rest is parsed (a lone statement is not replayed).
    if (replayOn && (more || p.statements.length > 1)) prewarmReplay(p.ex.dialect);
  }
  const history: ParsedFile[] = [];
  for (const file of opts.history ?? []) {
    const h = await parseFile(file, opts.dialect, config);
    history.push({ path: h.ex.path, dialect: h.ex.dialect, statements: h.statements, kind: h.ex.kind, units: h.ex.units });
  }
  const order = runOrder(parsed, history, opts);
  annotatePrivileges(order);
  const replayTimeoutMs = opts.replayTimeoutMs ?? (config.replayTimeout !== undefined ? Math.round(config.replayTimeout * 1000) : undefined);
  const replay = await buildStates(order, {
    replay: replayOn,
    units: opts.units ?? 'file',
    ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
    // The whole-run limit: the caller's (CLI --replay-timeout), else the config's replayTimeout (seconds).
    ...(replayTimeoutMs ? { timeoutMs: replayTimeoutMs } : {}),
  });
  // Reversibility notes about a whole file (src/state/reversal.ts: an emptied down file) are the
  // `irreversible` rule's, at line 1.
  for (const e of order) {
    if (!e.judged || !e.file.fileNotes?.length) continue;
    const ex = parsed.find((p) => p.ex.path === e.file.path)?.ex;
    for (const n of ex ? e.file.fileNotes : []) ex!.notes.push({ ruleId: 'irreversible', line: 1, column: 1, message: n.message, down: false, ...(n.severity ? { severity: n.severity } : {}) });
  }
  // After the replay (which runs each statement once, where it is written): judged statements that
  // call a routine the history defined get its body to judge (src/analyze/calls.ts).
  expandCalls(order, opts.units ?? 'file');
  const fileResults: FileResult[] = [];
  /** Every file's extract (without its SQL units), for rules that compare files (checkRun). */
  const extracted: Extracted[] = [];
  for (const { ex, statements } of parsed) {
    analyzer.analyzeFile(ex, statements);
    extracted.push({ ...ex, units: [] });
    fileResults.push({
      path: ex.path,
      kind: ex.kind,
      dialect: ex.dialect,
      statements: statements.filter((s) => !s.nested).length,
      unparsed: statements.filter((s) => !s.parsed).length,
    });
  }
  analyzer.analyzeRun(extracted);
  const changes = withLinks(opts.changes, files);
  if (changes) analyzer.analyzeChanges(changes, opts.policyPath ?? '.github/migration-gate.yml', (p) => isMigrationPath(p, config));
  const findings = applyInlineSuppressions(analyzer, parsed.map((p) => p.ex), known, config.inlineSuppressions !== false);
  // What the report says about the replay quotes statements and engine errors: never a secret.
  const secrets = analyzer.secrets;
  for (const r of replay) {
    r.skipped = r.skipped.map((x) => redactUrl(redact(x, secrets), opts.databaseUrl));
    if (r.limit) r.limit = redactUrl(redact(r.limit, secrets), opts.databaseUrl);
  }
  return {
    version: 1,
    files: fileResults,
    findings,
    summary: {
      files: fileResults.length,
      statements: fileResults.reduce((a, f) => a + f.statements, 0),
      findings: findings.length,
      gating: findings.filter((f) => f.gating).length,
      byCategory: countByCategory(findings),
    },
    replay,
  };
}

/**
 * The change list with each linked file's `link` (rules/migration-symlink.ts): a judged file that is
 * a symbolic link but not in the list (the CLI; a link whose target the pull request changed) is
 * added as `unchanged`, which no other change rule reports on. Undefined when there is nothing to check.
 */
function withLinks(changes: FileChange[] | undefined, files: SourceFile[]): FileChange[] | undefined {
  const links = new Map(files.filter((f) => f.link).map((f) => [f.path, f.link!]));
  if (!links.size) return changes;
  const out = (changes ?? []).map((c) => (!c.link && links.has(c.filename) && c.status !== 'removed' ? { ...c, link: links.get(c.filename)! } : c));
  const listed = new Set(out.map((c) => c.filename));
  for (const [path, link] of links) if (!listed.has(path)) out.push({ filename: path, status: 'unchanged', link });
  return out;
}

/**
 * The judged files and their history in the order their runner applies them, grouped by migration
 * set (src/history/): each set is replayed on its own database. Files in no set form one group each.
 * A set's history is complete when the plan found no missing, duplicate, cyclic or unreadable step.
 */
function runOrder(parsed: Array<{ ex: Extracted; statements: Statement[] }>, history: ParsedFile[], opts: EngineOptions): StateEntry[] {
  const judged = parsed.filter((p) => p.ex.units.length > 0).map((p) => ({ path: p.ex.path, dialect: p.ex.dialect, statements: p.statements, kind: p.ex.kind, units: p.ex.units }));
  const byPath = new Map<string, { file: ParsedFile; judged: boolean }>();
  for (const f of history) byPath.set(f.path, { file: f, judged: false });
  for (const f of judged) byPath.set(f.path, { file: f, judged: true });
  const out: StateEntry[] = [];
  const placed = new Set<string>();
  // History mode (the CLI's --history auto, the action): the judged files are planned into their
  // sets even when nothing else is history (a whole set walked at once): each file is then judged
  // against the ones before it on one database, not alone on an empty one.
  if (opts.history !== undefined || opts.historyKnown !== undefined) {
    const all = [...(opts.history ?? [])];
    const paths = judged.map((f) => f.path);
    const sets = historyFor(paths, planHistory([...parsed.map((p) => ({ path: p.ex.path, content: p.ex.text })), ...all], { changed: paths }));
    for (const h of sets) {
      const serious = h.set.problems.some((p) => p.kind !== 'note' && p.kind !== 'external' && p.kind !== 'unresolved');
      const known = opts.historyKnown ?? !serious;
      for (const step of h.run) {
        const e = byPath.get(step.path);
        if (!e || placed.has(step.path)) continue;
        placed.add(step.path);
        // pop: one set per dialect variant in a directory, each replayed on its own database; a
        // variant the sandbox's engine does not run as written (cockroach beside postgres) is judged statically.
        const group = `${h.set.framework}:${h.set.root}${h.set.variant ? `:${h.set.variant}` : ''}`;
        const noReplay = h.set.framework === 'pop' && !!h.set.variant && !POP_REPLAYED.has(h.set.variant);
        out.push({ ...e, group, historyKnown: known, ...(noReplay ? { replay: false as const } : {}), ...rollbackOf(h.set, step.path, byPath) });
      }
    }
  }
  // Not in any set: judged alone, in the order given (history given without a plan runs first).
  for (const f of history) if (!placed.has(f.path)) out.push({ file: f, judged: false, group: '', historyKnown: opts.historyKnown ?? false }), placed.add(f.path);
  for (const f of judged) if (!placed.has(f.path)) out.push({ file: f, judged: true, group: '', historyKnown: opts.historyKnown ?? false });
  return out;
}

/**
 * The separate rollback file of an up step, for the reversibility check (src/state/reversal.ts):
 * golang-migrate / pop `.down.sql`, Flyway `U`, sqitch `revert/`. golang-migrate and pop expect
 * one beside every up (their `down` command runs it; a missing one rolls back nothing): there a
 * missing down is `file: null`. Flyway undo and sqitch are left alone when absent.
 */
export function rollbackOf(set: MigrationSet, path: string, byPath: Map<string, { file: ParsedFile }>): Pick<StateEntry, 'rollback' | 'popUnit'> {
  const up = set.entries.find((e) => e.path === path);
  if (set.framework === 'pop' && up) {
    // ory/pop (popx): one change is split over several versions: `<timestamp><NNNNNN>_<name>`
    // (kratos: one statement a version), and a change can span consecutive timestamps of one name
    // (kratos `2020083013064[2-6]_add_verification_methods`, whose down files all sit on the first).
    // popx rolls back version by version, last first (Migrator.Down over the sorted versions), so the
    // change is rolled back as one unit: its ups in version order, every down of it last version
    // first; a change without any down file has none. A change = a run of consecutive versions
    // (in the set's order) with the same name.
    const unit = popUnits(set).get(up.path)!;
    const downs = set.entries
      .filter((e) => e.role === 'down' && popUnits(set).get(e.path) === unit)
      .sort((a, b) => cmpInt(b.id, a.id))
      .map((e) => byPath.get(e.path)?.file)
      .filter((f): f is ParsedFile => !!f);
    return { popUnit: `${set.root}:${set.variant ?? ''}:${unit}`, ...(up.role === 'up' ? { rollback: { file: downs[0] ?? null, files: downs } } : {}) };
  }
  if (!up || up.role !== 'up') return {};
  const down = set.entries.find((e) => e.role === 'down' && e.id === up.id);
  const file = down && byPath.get(down.path)?.file;
  if (file) return { rollback: { file } };
  return set.framework === 'golang-migrate' || set.framework === 'pop' ? { rollback: { file: null } } : {};
}

/** Dialect variants of a pop set the sandbox replays as written (PGlite, sql.js). */
const POP_REPLAYED = new Set(['postgres', 'postgresql', 'sqlite', 'sqlite3']);

const popUnitCache = new WeakMap<MigrationSet, Map<string, string>>();

/** pop: each file's change, named by its first version and the name (`20200830130642000000_add_verification_methods`). */
function popUnits(set: MigrationSet): Map<string, string> {
  let m = popUnitCache.get(set);
  if (m) return m;
  m = new Map();
  let unit = '';
  let last = '\0';
  for (const e of set.entries) {
    const name = /^\d+_([^.]*)/.exec(e.path.slice(e.path.lastIndexOf('/') + 1))?.[1] ?? '';
    if (name !== last) (unit = `${e.id}_${name}`), (last = name);
    m.set(e.path, unit);
  }
  popUnitCache.set(set, m);
  return m;
}

/** Extract and parse one file; its statements share one scope. */
export async function parseFile(file: SourceFile, dialect: Dialect | undefined, config: Config): Promise<{ ex: Extracted; statements: Statement[] }> {
  await loadUnicodeNamesFor([file]);
  const ex = extract(file, { dialect, defaultDialect: config.dialect });
  const statements: Statement[] = [];
  for (const unit of ex.units) {
    let parsed = await parseUnit(unit);
    // A branch that runs on several databases (src/python/dialects.ts): the first reading in
    // which every statement parses; none does, the first reading's parse errors stand.
    if (unit.alternatives?.length && parsed.some((s) => !s.parsed)) {
      const first = { dialect: unit.dialect, text: unit.text };
      for (const alt of unit.alternatives) {
        Object.assign(unit, alt);
        const again = await parseUnit(unit);
        if (again.every((s) => s.parsed)) {
          parsed = again;
          break;
        }
        Object.assign(unit, first);
      }
    }
    for (const st of parsed) statements.push(st); // no push(...): a unit can hold 100k+ statements
  }
  const scope: FileScope = { statements };
  for (const st of statements) st.scope = scope;
  return { ex, statements };
}

async function parseUnit(unit: SqlUnit): Promise<Statement[]> {
  // libpg-query also serves as SQLite's second parser (src/parse/nsp.ts).
  const usesPg = unit.dialect === 'postgresql' || unit.dialect === 'sqlite';
  // Cheap once loaded; after a parser crash it makes a fresh instance (src/parse/guard.ts).
  if (usesPg) await loadPg();
  if (unit.dialect !== 'postgresql') await loadNsp(unit.dialect);
  const parse = () => (unit.dialect === 'postgresql' ? parsePgUnit(unit) : parseNspUnit(unit));
  let parsed = parse();
  // The parser crashed on some text: that text is now refused (a parse error); parse the unit
  // again with a fresh instance so that the statements after it are still analyzed.
  for (let retry = 0; usesPg && pgNeedsReload() && retry < 5; retry++) {
    await loadPg();
    parsed = parse();
  }
  return parsed;
}

