// Reversibility (issue 11, part 1): for a judged migration with a down path, replay the history,
// the up, then the down in the sandbox, and compare the catalog before the up with the catalog
// after the down. What the `irreversible` rule reports is computed here and read through
// `SchemaState.reversal(stmt)`.
//
// Down paths, as the runners define them:
// - golang-migrate / ory-pop `<v>_x.up.sql` + `<v>_x.down.sql`, Flyway `V<v>__x.sql` + `U<v>__x.sql`,
//   sqitch `deploy/` + `revert/`: a separate file, paired by the history plan (src/history/);
// - goose `-- +goose Down`, dbmate `-- migrate:down`, Liquibase `--rollback`: sections of the same
//   file (src/extract/sql.ts), Alembic `downgrade()` (src/python/alembic.ts): down units.
// Django reverse operations are not extracted as SQL (only RunSQL's reverse_sql is), so Django
// migrations are not replayed here (a partial down would read as "does not restore"): they are
// judged statically from their operations (src/python/django.ts djangoReversal).
// A down file changed alone (its up unchanged, in the history) is replayed after its up in a
// request of its own. ory/pop changes split over several versions are one target (popTargets).
//
// "Missing or empty" is claimed only where the runner expects a down: goose and dbmate (a file
// without a Down section rolls back nothing: goose `Down` runs the empty section; dbmate
// `rollback` runs an empty `migrate:down`), golang-migrate and pop (the history plan saw the set
// and no `.down.sql` for the version). Alembic's empty downgrade() is the alembic-empty-downgrade
// rule's. Flyway undo, Liquibase rollback and sqitch revert are optional there: never "missing".
import type { CatalogChange, CatalogSnapshot, ReplayResult, ReplayStatement, StatementOutcome } from '../replay/types.js';
import type { Dialect, ReversalNote, Severity, Statement, Verdict } from '../types.js';
import { runsOn, type ParsedFile, type StateEntry } from './index.js';
export type { ReversalNote, Verdict };
import { gooseAnnotation } from '../extract/goose.js';
import { markerDirections } from '../extract/sql.js';


/** A judged up migration whose rollback the sandbox replays. */
export interface ReversalTarget {
  entry: StateEntry;
  /** The up entries rolled back together, in run order (a pop change split over versions); default [entry]. */
  members?: StateEntry[];
  /** Where its notes are reported: its first top-level up statement. */
  anchor: Statement;
  /** Its up statements the sandbox runs. */
  ups: Statement[];
  /** Its down statements, in run order. */
  downs: Statement[];
  /** Where the down is written, for messages ('the Down section', '001_x.down.sql'). */
  where: string;
}

/** Top-level statements the sandbox runs (not those the migration sends only to databases of another dialect). */
function runnable(st: Statement, dialect: Dialect): boolean {
  return !st.nested && !st.meta && st.text.trim() !== '' && runsOn(st.unit, dialect);
}

function base(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A `-- +goose Up` annotation as goose takes it (gooseAnnotation: `--+goose up` counts too). */
const GOOSE_UP = { test: (t: string) => t.includes('+goose') && t.split('\n').some((l) => gooseAnnotation(l.replace(/\r$/, '')) === 'up') };
const DBMATE_UP = /^--[ \t]*migrate:up(?=[ \t]|\r?$)/m;

/**
 * Sort the judged entries into replay targets and the notes that need no replay (missing or empty
 * downs). `notes` is filled; the targets are returned in group order.
 */
export function reversalTargets(entries: StateEntry[], notes: Map<Statement, ReversalNote[]>, dialect: Dialect): ReversalTarget[] {
  const out: ReversalTarget[] = [];
  const judgedFiles = new Set(entries.filter((e) => e.judged).map((e) => e.file));
  const popDone = popTargets(entries, notes, out, dialect);
  for (const e of entries) {
    if (popDone.has(e)) continue;
    // A changed down file whose up did not change (golang-migrate / pop `.down.sql`, Flyway `U`):
    // the up (history) is replayed, then the changed down, and compared with the state before the
    // up, as when both change. The notes go to the down file's first statement.
    if (!e.judged && e.rollback?.file && judgedFiles.has(e.rollback.file)) {
      const downFile = e.rollback.file;
      const ups = e.file.statements.filter((s) => !s.unit.down && runnable(s, dialect));
      const downs = downFile.statements.filter((s) => s.unit.down && runnable(s, dialect));
      // An emptied down has no statement to anchor at: a note on the file (line 1).
      if (!downs.length) (downFile.fileNotes ??= []).push({ message: `The down migration ${base(downFile.path)} is empty: rolling back ${base(e.file.path)} changes nothing.`, verdict: 'empty' });
      else if (ups.length) out.push({ entry: e, anchor: downs[0], ups, downs, where: base(downFile.path) });
      continue;
    }
    if (!e.judged || e.file.kind === 'django' || e.file.kind === 'python' || e.file.kind === 'prisma') continue;
    const anchor = e.file.statements.find((s) => !s.unit.down && !s.nested);
    if (!anchor) continue; // a down file itself, or nothing to undo
    const ups = e.file.statements.filter((s) => !s.unit.down && runnable(s, dialect));
    const add = (message: string, verdict: Verdict) => push(notes, anchor, { message, verdict });
    if (e.rollback) {
      if (!e.rollback.file) {
        add(`No down migration: ${base(e.file.path).replace(/\.up\.sql$/i, '.down.sql')} does not exist, so rolling back this version changes nothing.`, 'missing');
        continue;
      }
      const downs = e.rollback.file.statements.filter((s) => s.unit.down && runnable(s, dialect));
      if (!downs.length) {
        add(`The down migration ${base(e.rollback.file.path)} is empty: rolling back this version changes nothing.`, 'empty');
        continue;
      }
      out.push({ entry: e, anchor, ups, downs, where: base(e.rollback.file.path) });
      continue;
    }
    let downs = e.file.statements.filter((s) => s.unit.down && runnable(s, dialect));
    if (e.file.kind === 'liquibase') downs = changesetsReversed(downs);
    if (downs.length) {
      const upText = anchor.unit.text;
      const where =
        e.file.kind === 'alembic' ? 'downgrade()' : e.file.kind === 'liquibase' ? 'the --rollback lines' : GOOSE_UP.test(upText) ? 'the -- +goose Down section' : DBMATE_UP.test(upText) ? 'the -- migrate:down section' : 'the down section';
      out.push({ entry: e, anchor, ups, downs, where });
      continue;
    }
    // Same-file sections: goose and dbmate expect a down section.
    if (e.file.kind !== 'sql' || !ups.length) continue;
    const upText = anchor.unit.text;
    // Only where the file's name lets the tool run it (src/extract/sql.ts markerDirections).
    const named = markerDirections(e.file.path, false);
    const tool = named?.goose && GOOSE_UP.test(upText) ? 'goose' : named?.dbmate && DBMATE_UP.test(upText) ? 'dbmate' : undefined;
    if (!tool) continue;
    const hasSection = (e.file.units ?? []).some((u) => u.down);
    const marker = tool === 'goose' ? '-- +goose Down' : '-- migrate:down';
    if (hasSection) add(`The ${marker} section is empty: rolling back this migration (${tool} ${tool === 'goose' ? 'down' : 'rollback'}) changes nothing.`, 'empty');
    else add(`No ${marker} section: rolling back this migration (${tool} ${tool === 'goose' ? 'down' : 'rollback'}) changes nothing.`, 'missing');
  }
  return out;
}

/**
 * ory/pop changes (consecutive versions of one name, split by popx; src/engine.ts rollbackOf):
 * checked as one unit when any of its files is judged (an up, or a down changed alone): every up
 * of the change, then every down, last version first, compared with the state before the first up.
 * Returns the entries handled.
 */
function popTargets(entries: StateEntry[], notes: Map<Statement, ReversalNote[]>, out: ReversalTarget[], dialect: Dialect): Set<StateEntry> {
  const units = new Map<string, StateEntry[]>();
  for (const e of entries) if (e.popUnit) (units.get(e.popUnit) ?? units.set(e.popUnit, []).get(e.popUnit)!).push(e);
  const done = new Set<StateEntry>();
  for (const members of units.values()) {
    for (const m of members) done.add(m);
    const upMembers = members.filter((m) => m.rollback);
    if (!upMembers.length || !members.some((m) => m.judged)) continue;
    const downFiles = upMembers[0].rollback!.files ?? [];
    const ups = upMembers.flatMap((m) => m.file.statements.filter((s) => !s.unit.down && runnable(s, dialect)));
    const downs = downFiles.flatMap((f) => f.statements.filter((s) => s.unit.down && runnable(s, dialect)));
    const judgedUp = upMembers.find((m) => m.judged)?.file.statements.find((s) => !s.unit.down && !s.nested);
    const judgedDown = members.find((m) => m.judged && !m.rollback);
    const anchor = judgedUp ?? judgedDown?.file.statements.find((s) => !s.nested);
    const unit = base(upMembers[0].file.path).replace(/^(\d+_[^.]*).*$/, '$1');
    const note = (message: string, verdict: Verdict) => {
      if (anchor) push(notes, anchor, { message, verdict });
      else if (judgedDown) (judgedDown.file.fileNotes ??= []).push({ message, verdict });
    };
    if (!downFiles.length) note(`No down migration: ${unit} has no .down.sql file, so rolling this change back changes nothing.`, 'missing');
    else if (!downs.length) note(`The down migration${downFiles.length > 1 ? `s of ${unit} are` : ` ${base(downFiles[0].path)} is`} empty: rolling back this change does nothing.`, 'empty');
    else if (anchor && ups.length) {
      const where = downFiles.length > 1 ? `the ${downFiles.length} down files of ${unit} (last version first)` : base(downFiles[0].path);
      out.push({ entry: upMembers[0], members: upMembers, anchor, ups, downs, where });
    }
  }
  return done;
}

/**
 * Liquibase rolls back the changesets last first, each changeset's rollback statements in the
 * order written (liquibase `rollback-count`: RollbackVisitor over the changesets in reverse). The
 * down unit keeps the `--changeset` lines at their offsets (src/extract/sql.ts liquibaseUnits).
 */
function changesetsReversed(downs: Statement[]): Statement[] {
  if (!downs.length) return downs;
  const starts = [...downs[0].unit.text.matchAll(/^[ \t]*--[ \t]*changeset\b/gim)].map((m) => m.index!);
  const groups = new Map<number, Statement[]>();
  for (const st of downs) {
    const at = starts.filter((x) => x <= st.start).at(-1) ?? -1;
    (groups.get(at) ?? groups.set(at, []).get(at)!).push(st);
  }
  return [...groups.keys()].sort((a, b) => b - a).flatMap((k) => groups.get(k)!);
}

function push(notes: Map<Statement, ReversalNote[]>, at: Statement, n: ReversalNote) {
  const list = notes.get(at);
  if (list) list.push(n);
  else notes.set(at, [n]);
}

/** The replay plan of the downs: which request statements and file index each target's down got. */
export interface DownPlan {
  target: ReversalTarget;
  /** File index of the target's up in the request (its `before` snapshot is the state before the up). */
  upFile: number;
  /** File index of its down; its `before` is the state before the down. */
  downFile: number;
  /** Request ids of its up and down statements. */
  upIds: number[];
  downIds: number[];
  /** Why it cannot be checked (a later migration without a down runs after it). */
  blocked?: string;
}

/**
 * Append the targets' downs to a request, last migration first, each as a judged file of its own
 * (after every up: the up statements' outcomes and `before` snapshots are unchanged). A target can
 * be checked only when everything that runs after its up is undone first: later targets' downs;
 * a later migration without a down (or history) blocks it.
 * `order`: the group's entries in run order, with each judged up file's request file index and ids.
 */
export function appendDowns(
  req: ReplayStatement[],
  order: Array<{ entry: StateEntry; file: number; ids: number[] }>,
  targets: ReversalTarget[],
  firstFile: number,
): DownPlan[] {
  const byEntry = new Map<StateEntry, ReversalTarget>();
  for (const t of targets) for (const m of t.members ?? [t.entry]) byEntry.set(m, t);
  const planOf = new Map<ReversalTarget, DownPlan>();
  const plans: DownPlan[] = [];
  let blocker: string | undefined;
  let file = firstFile;
  for (let i = order.length - 1; i >= 0; i--) {
    const o = order[i];
    const t = byEntry.get(o.entry);
    if (!t) {
      if (o.ids.length) blocker ??= `${base(o.entry.file.path)} runs after it and has no down to undo it first`;
      continue;
    }
    const seen = planOf.get(t);
    if (seen) {
      // An earlier version of the same change: its ups are the change's, its `before` the change's.
      if (o.ids.length) (seen.upFile = o.file), (seen.upIds = [...o.ids, ...seen.upIds]);
      continue;
    }
    const plan: DownPlan = { target: t, upFile: o.file, downFile: -1, upIds: o.ids, downIds: [] };
    planOf.set(t, plan);
    plans.push(plan);
    if (blocker) {
      plan.blocked = blocker;
      continue;
    }
    plan.downFile = file++;
    for (const st of t.downs) {
      plan.downIds.push(req.length);
      req.push({ id: req.length, sql: st.text, file: plan.downFile, judge: true });
    }
  }
  return plans;
}

const RELATION_WORD: Record<string, string> = { 'materialized view': 'materialized view' };

function autoCreatedNames(outcomes: StatementOutcome[]): Set<string> {
  const out = new Set<string>();
  for (const o of outcomes) for (const a of o.autoCreated ?? []) {
    const m = /^(?:role|schema|table) ([^\s(]+)/.exec(a);
    if (m) out.add(m[1]);
  }
  return out;
}

/** What differs between the catalog before the up (`b`) and after the down (`a`), in words. */
export function catalogDiff(b: CatalogSnapshot, a: CatalogSnapshot, ignore: Set<string> = new Set()): string[] {
  const out: string[] = [];
  // SQLite's own tables (sqlite_sequence appears with the first AUTOINCREMENT table and stays).
  const skip = (n: string) => ignore.has(n) || /^(main\.)?sqlite_/i.test(n);
  for (const [name, r] of Object.entries(a.relations)) {
    if (skip(name)) continue;
    const was = b.relations[name];
    const kind = RELATION_WORD[r.kind] ?? r.kind;
    if (!was) {
      out.push(`${kind} ${name} still exists after the down`);
      continue;
    }
    if (was.kind !== r.kind) out.push(`${name} is a ${r.kind} after the down, was a ${was.kind}`);
    if (was.persistence && r.persistence && was.persistence !== r.persistence) out.push(`${kind} ${name} is ${r.persistence}, was ${was.persistence}`);
    if (was.owner && r.owner && was.owner !== r.owner) out.push(`${kind} ${name} is owned by ${r.owner}, was ${was.owner}`);
    for (const [col, c] of Object.entries(r.columns)) {
      const wc = was.columns[col];
      if (!wc) out.push(`column ${name}.${col} still exists after the down`);
      else {
        if (wc.type !== c.type) out.push(`column ${name}.${col} has type ${c.type}, was ${wc.type}`);
        if (wc.notNull !== c.notNull) out.push(`column ${name}.${col} is ${c.notNull ? 'NOT NULL' : 'nullable'}, was ${wc.notNull ? 'NOT NULL' : 'nullable'}`);
      }
    }
    for (const col of Object.keys(was.columns)) if (!(col in r.columns)) out.push(`column ${name}.${col} is missing after the down`);
  }
  for (const [name, r] of Object.entries(b.relations)) if (!skip(name) && !a.relations[name]) out.push(`${RELATION_WORD[r.kind] ?? r.kind} ${name} is missing after the down`);
  const named = <T>(what: string, before: Record<string, T>, after: Record<string, T>, same: (x: T, y: T) => string | undefined) => {
    for (const n of Object.keys(after)) {
      if (skip(n)) continue;
      if (!(n in before)) out.push(`${what} ${n} still exists after the down`);
      else {
        const d = same(before[n], after[n]);
        if (d) out.push(`${what} ${n}: ${d}`);
      }
    }
    for (const n of Object.keys(before)) if (!skip(n) && !(n in after)) out.push(`${what} ${n} is missing after the down`);
  };
  named('schema', b.schemas, a.schemas, (x, y) => (x.owner && y.owner && x.owner !== y.owner ? `owned by ${y.owner}, was ${x.owner}` : undefined));
  named('function', b.functions, a.functions, (x, y) =>
    x.securityDefiner !== y.securityDefiner ? `SECURITY ${y.securityDefiner ? 'DEFINER' : 'INVOKER'}, was ${x.securityDefiner ? 'DEFINER' : 'INVOKER'}` : x.language !== y.language ? `language ${y.language}, was ${x.language}` : undefined,
  );
  named('role', b.roles, a.roles, (x, y) => {
    const k = (Object.keys(y) as Array<keyof typeof y>).filter((f) => x[f] !== y[f]);
    return k.length ? k.map((f) => `${f} ${x[f]} → ${y[f]}`).join(', ') : undefined;
  });
  return out;
}

/** Kinds the snapshot does not carry (relations, columns, schemas, functions and roles are compared there). */
const IN_SNAPSHOT = new Set(['table', 'view', 'materialized view', 'sequence', 'foreign table', 'index', 'column', 'schema', 'function', 'role']);

/**
 * Objects the snapshots do not carry (types, triggers, policies, extensions, publications…): what
 * the up created and the down did not drop, and what the up dropped and the down did not create
 * again, from the statements' own catalog changes.
 */
export function effectsDiff(up: CatalogChange[], down: CatalogChange[], relationGone: (name: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const key = (e: CatalogChange) => `${e.kind}\0${e.object}`;
  const net = (list: CatalogChange[]) => {
    const m = new Map<string, { e: CatalogChange; n: number }>();
    for (const e of list) {
      if (IN_SNAPSHOT.has(e.kind) || (e.change !== 'created' && e.change !== 'dropped')) continue;
      const x = m.get(key(e)) ?? { e, n: 0 };
      x.n += e.change === 'created' ? 1 : -1;
      m.set(key(e), x);
    }
    return m;
  };
  const u = net(up);
  const d = net(down);
  for (const [k, { e, n }] of u) {
    const back = n + (d.get(k)?.n ?? 0);
    // A trigger, policy or rule goes with its table (DROP TABLE reports the table alone).
    const on = / on (\S+)$/.exec(e.object)?.[1];
    if (n > 0 && back > 0 && !(on && relationGone(on))) out.push(`${e.kind} ${e.object} still exists after the down`);
    else if (n < 0 && back < 0) out.push(`${e.kind} ${e.object} is missing after the down`);
  }
  for (const [k, { e, n }] of d) if (!u.has(k)) out.push(n > 0 ? `${e.kind} ${e.object} exists after the down, not before the up` : `${e.kind} ${e.object} is missing after the down`);
  return out;
}

const DATA_KINDS = new Set(['table', 'materialized view', 'column']);

/** Preexisting tables and columns the up dropped and that exist again after the down: their data is gone. */
function dataLost(upEffects: CatalogChange[], after: CatalogSnapshot): string[] {
  const out: string[] = [];
  for (const e of upEffects) {
    if (e.change !== 'dropped' || !e.preexisting || !DATA_KINDS.has(e.kind)) continue;
    if (e.kind === 'column') {
      const i = e.object.lastIndexOf('.');
      if (after.relations[e.object.slice(0, i)]?.columns[e.object.slice(i + 1)]) out.push(`column ${e.object}`);
    } else if (after.relations[e.object]) out.push(`${e.kind} ${e.object}`);
  }
  return [...new Set(out)];
}

function list(items: string[], max = 5): string {
  return items.length <= max ? items.join('; ') : `${items.slice(0, max).join('; ')}; and ${items.length - max} more`;
}

function lineOf(st: Statement): number {
  return st.unit.pos(st.start).line;
}

/**
 * Verdicts from the replay: for each plan (last migration first, as the downs ran), compare the
 * catalog before its up with the catalog after its down. `stmtOf`: request id → statement.
 * `judged`: statements whose file is judged (a note can be reported there).
 */
export function reversalVerdicts(
  result: ReplayResult,
  plans: DownPlan[],
  stmtOf: (id: number) => Statement | undefined,
  judged: (st: Statement) => boolean,
  notes: Map<Statement, ReversalNote[]>,
): void {
  const outcomes = new Map(result.outcomes.map((o) => [o.id, o]));
  const ignore = autoCreatedNames(result.outcomes);
  const ran = plans.filter((p) => !p.blocked);
  let broken: string | undefined; // a later down that did not restore: the state before this one's down is not "after its up"
  for (let i = 0; i < plans.length; i++) {
    const p = plans[i];
    const t = p.target;
    const add = (message: string, verdict: Verdict, at: Statement = t.anchor, severity?: Severity) => push(notes, at, { message, verdict, ...(severity ? { severity } : {}) });
    const unchecked = (why: string) => add(`Reversibility could not be checked: ${why}.`, 'unchecked', t.anchor, 'info');
    if (p.blocked) {
      unchecked(p.blocked);
      continue;
    }
    if (broken) {
      unchecked(broken);
      continue;
    }
    const failed = (ids: number[]) => {
      for (const id of ids) {
        const o = outcomes.get(id);
        if (!o) return { id, why: `the sandbox stopped before it (${result.limit ?? 'limit'})` };
        if (o.ok || (o.skipped && /transaction control/i.test(o.skipped))) continue;
        return { id, why: o.error ?? o.skipped ?? 'refused' };
      }
      return undefined;
    };
    const upFail = failed(p.upIds);
    if (upFail) {
      const st = stmtOf(upFail.id);
      unchecked(`the up did not replay in the sandbox${st ? ` (line ${lineOf(st)}: ${upFail.why})` : ` (${upFail.why})`}, so its down was not tried`);
      broken = `${base(t.entry.file.path)}, which runs after it, could not be rolled back in the sandbox`;
      continue;
    }
    const downFail = failed(p.downIds);
    if (downFail) {
      const st = stmtOf(downFail.id);
      const at = st && judged(st) ? st : t.anchor;
      const where = st ? `${t.where === base(st.unit.path) ? base(st.unit.path) : t.where}, line ${lineOf(st)}` : t.where;
      add(`The down fails (${where}): ${downFail.why}. Rolling back this migration would stop there.`, 'down-failed', at);
      broken = `the down of ${base(t.entry.file.path)}, which runs after it, fails`;
      continue;
    }
    const before = result.before[p.upFile];
    const next = ran[ran.indexOf(p) + 1];
    const after = next ? result.before[next.downFile] : result.limit ? undefined : result.after;
    if (!before || !after) {
      unchecked(`the sandbox did not report the catalog${result.limit ? ` (${result.limit})` : ''}`);
      broken = 'an earlier check was cut short';
      continue;
    }
    const afterUp = result.before[p.downFile];
    // Gone with the down: absent after it, or another object (dropped and made again) by then.
    const relationGone = (name: string) => !after.relations[name] || (!!afterUp?.relations[name] && afterUp.relations[name].id !== after.relations[name].id);
    const diffs = [
      ...catalogDiff(before, after, ignore),
      ...effectsDiff(p.upIds.flatMap((id) => outcomes.get(id)?.effects ?? []), p.downIds.flatMap((id) => outcomes.get(id)?.effects ?? []), relationGone),
    ];
    if (diffs.length) {
      add(`Rolling back with ${t.where} does not restore the schema: ${list(diffs)}.`, 'schema');
      broken = `the down of ${base(t.entry.file.path)}, which runs after it, does not restore the schema`;
      continue;
    }
    const upEffects = p.upIds.flatMap((id) => outcomes.get(id)?.effects ?? []);
    const lost = dataLost(upEffects, after);
    if (lost.length) {
      add(`Rolling back with ${t.where} restores the schema but not the data: the up drops ${list(lost)}, which existed before it, and the down re-creates ${lost.length > 1 ? 'them' : 'it'} empty.`, 'data');
      continue;
    }
    push(notes, t.anchor, { message: '', verdict: 'clean' });
  }
}

/** The notes a rule reports (the 'clean' verdicts are bookkeeping). */
export function reportable(notes: ReversalNote[] | undefined): ReversalNote[] {
  return (notes ?? []).filter((n) => n.verdict !== 'clean');
}

export type { ParsedFile };
