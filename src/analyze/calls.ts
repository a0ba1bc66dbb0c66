// Calls into routines that the history defined. A migration that runs `SELECT wipe();` or
// `CALL cleanup();` runs the body of a function or procedure that an earlier migration created:
// its DELETE, DROP or GRANT happens now, though none of it is spelled in the file. The body was
// analyzed where it was defined ("runs whenever it is called"), and perhaps approved then; calling
// it is what does the damage. So each judged statement that calls a routine defined in its history
// gets that routine's body statements as nested statements of its own (kind 'call'), placed at the
// call: every rule judges them as if they were written there. Routines the judged files define
// themselves are not expanded: their bodies are analyzed at their own definition in this change
// (in the CLI, where each file is a change of its own, an earlier file's routine is history).
// Calls are followed through the bodies too (a routine calling another), to a fixed depth.
// Triggers are calls too: an INSERT, UPDATE, DELETE, TRUNCATE, COPY FROM or MERGE on a table that a
// history trigger watches runs that trigger's function (PostgreSQL) or body (MySQL, SQLite).
import { QUALIFIED_NAME, routineHead, triggerTable } from '../parse/nsp.js';
import { hasNode, names, pgFunctionCalls, walk } from '../sql/ast.js';
import { groupKey, type StateEntry } from '../state/index.js';
import type { SqlUnit, Statement } from '../types.js';

/** Routines are followed through at most this many calls deep (a routine calling itself stops too). */
const MAX_DEPTH = 4;
/** At most this many body statements are added for one call site (a huge routine is still reported, in part). */
const MAX_PER_SITE = 2000;

/** `CALL p(…)` (MySQL, MariaDB and the other node-sql-parser dialects): the routine's name as written. */
const CALL = new RegExp(String.raw`^call\s+(${QUALIFIED_NAME})`, 'i');
/** Read by its text (no tree): the table right after the verb of a write. */
const WRITE_TARGET = new RegExp(
  String.raw`^(?:insert\s+(?:or\s+\w+\s+)?(?:ignore\s+)?into|replace\s+into|update(?:\s+or\s+\w+)?|delete\s+from|truncate(?:\s+table)?)\s+(${QUALIFIED_NAME})`,
  'i',
);

interface Routine {
  /** Its body statements, as parsed where it was defined. */
  body: Statement[];
  /** `file:line` of its definition. */
  at: string;
}

/** What the history knows: routines by base name (MySQL/SQLite trigger bodies as `trigger:<name>`), and the triggers on each table. */
interface Defs {
  routines: Map<string, Routine>;
  /** Table base name → its triggers: the trigger's name and the routine it runs. */
  triggers: Map<string, Array<{ trigger: string; routine: string }>>;
}

/**
 * Add the bodies of history-defined routines called by judged statements to their files'
 * statement lists, in place (after the calling statement and its own nested statements).
 */
export function expandCalls(order: StateEntry[], units: 'file' | 'together' = 'file'): void {
  const groups = new Map<string, StateEntry[]>();
  for (const e of order) {
    const key = groupKey(e, e.file.dialect ?? '');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(e);
  }
  for (const [key, entries] of groups) {
    if (!entries.some((e) => e.judged)) continue;
    // History given without a migration set (the loose group) is visible to every group of its dialect.
    const defs: Defs = { routines: new Map(), triggers: new Map() };
    const dialect = key.split('\0')[1];
    for (const [k, h] of groups) if (k.startsWith('history\0') && k.split('\0')[1] === dialect && h !== entries) for (const e of h) index(e.file.statements, defs);
    for (const e of entries) {
      // 'file' (the CLI): each judged file is a change of its own, so the routines of the judged
      // files before it are its history. 'together' (a pull request): they are part of this change.
      if (e.judged) expandFile(e.file.statements, defs);
      if (!e.judged || units === 'file') index(e.file.statements, defs);
    }
  }
}

/** Record (or replace: CREATE OR REPLACE) the routines a history file defines, and forget dropped ones. */
function index(statements: Statement[], defs: Defs): void {
  let parent: Statement | undefined;
  for (const st of statements) {
    if (!st.nested) {
      parent = st;
      for (const n of dropped(st)) defs.routines.delete(n);
      const at = `${st.unit.path}:${st.unit.pos(st.start).line}`;
      const made = definedName(st);
      if (made) defs.routines.set(made, { body: [], at });
      const trig = definedTrigger(st);
      if (trig) {
        const list = defs.triggers.get(trig.table) ?? [];
        defs.triggers.set(trig.table, [...list.filter((t) => t.trigger !== trig.trigger), { trigger: trig.trigger, routine: trig.routine }]);
        if (trig.routine.startsWith('trigger:')) defs.routines.set(trig.routine, { body: [], at });
      }
      continue;
    }
    const kind = st.nested.kind;
    if ((kind !== 'function' && kind !== 'procedure' && kind !== 'trigger') || !st.nested.name || !parent) continue;
    const r = defs.routines.get(kind === 'trigger' ? `trigger:${base(st.nested.name)}` : base(st.nested.name));
    if (r) r.body.push(st);
  }
}

/** Expand the calls of one judged file's statements (and of its DO blocks' statements). */
function expandFile(statements: Statement[], history: Defs): void {
  // A routine this file (re)defines before the call shadows the history's: its body is analyzed at its definition.
  const shadowed = new Set<string>();
  const out: Statement[] = [];
  let changed = false;
  for (let i = 0; i < statements.length; i++) {
    const st = statements[i];
    out.push(st);
    if (!st.nested) {
      const made = definedName(st);
      if (made) shadowed.add(made);
    }
    // Statements inside a routine defined here run when it is called, not now: only top-level
    // statements and DO blocks call anything during the migration.
    if (st.nested && st.nested.kind !== 'do' && st.nested.kind !== 'query') continue;
    // Keep the caller's own nested statements together with it; the expansion follows them.
    const site = st;
    const added: Statement[] = [];
    expandSite(site, site, history, shadowed, added, new Set(), 1);
    if (!added.length) continue;
    while (i + 1 < statements.length && statements[i + 1].nested && statements[i + 1].nested!.kind !== 'do' && !st.nested) out.push(statements[++i]);
    out.push(...added);
    changed = true;
  }
  if (changed) statements.splice(0, statements.length, ...out);
}

function expandSite(site: Statement, caller: Statement, history: Defs, shadowed: Set<string>, added: Statement[], seen: Set<string>, depth: number): void {
  const runs: Array<{ name: string; via?: string }> = calledNames(caller).map((name) => ({ name }));
  for (const table of writtenTables(caller)) for (const t of history.triggers.get(table) ?? []) runs.push({ name: t.routine, via: `trigger ${t.trigger} on ${table}` });
  for (const { name, via } of runs) {
    if (shadowed.has(name) || seen.has(name)) continue;
    const r = history.routines.get(name);
    if (!r || !r.body.length) continue;
    seen.add(name);
    for (const b of r.body) {
      if (added.length >= MAX_PER_SITE) return;
      const clone = placeAt(b, site, name, r.at, via);
      added.push(clone);
      if (depth < MAX_DEPTH) expandSite(site, b, history, shadowed, added, seen, depth + 1);
    }
    seen.delete(name);
  }
}

/** A body statement, placed at the call: its findings point at the calling statement's line. */
function placeAt(body: Statement, site: Statement, name: string, at: string, via?: string): Statement {
  const unit: SqlUnit = { ...site.unit, pos: () => site.unit.pos(site.start), snippet: site.unit.snippet ?? site.text };
  return { ...body, unit, start: site.start, end: site.end, scope: site.scope, nested: { kind: 'call', name, at, ...(via ? { via } : {}), ...(body.nested?.variables ? { variables: body.nested.variables } : {}) } };
}

/** Base names of the tables a statement writes rows of (fires their INSERT/UPDATE/DELETE/TRUNCATE triggers). */
function writtenTables(st: Statement): string[] {
  const out = new Set<string>();
  const rv = (r: any) => r?.relname && out.add(r.relname.toLowerCase());
  if (st.pg) {
    if (hasNode(st.pg, 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'TruncateStmt', 'CopyStmt')) walk(st.pg, (k, v) => {
      if (k === 'sql_body' || k === 'CreateFunctionStmt') return false;
      if (k === 'InsertStmt' || k === 'UpdateStmt' || k === 'DeleteStmt' || k === 'MergeStmt') rv(v.relation);
      else if (k === 'TruncateStmt') for (const r of v.relations ?? []) rv(r.RangeVar ?? r);
      else if (k === 'CopyStmt' && v.is_from) rv(v.relation);
    });
  } else {
    const a = Array.isArray(st.ast) ? st.ast[0] : st.ast;
    const type = typeof a?.type === 'string' ? a.type.toLowerCase() : '';
    if (['insert', 'replace', 'update', 'delete'].includes(type)) {
      for (const t of [...(a.table ?? []), ...(type === 'delete' && !a.table?.length ? a.from ?? [] : [])]) {
        const name = typeof t === 'string' ? t : t?.table;
        if (typeof name === 'string') out.add(base(name));
      }
    } else {
      const m = WRITE_TARGET.exec(st.text.trim());
      if (m) out.add(base(m[1]));
    }
  }
  return [...out];
}

/** A top-level CREATE TRIGGER: its name, its table (base name) and what it runs. */
function definedTrigger(st: Statement): { trigger: string; table: string; routine: string } | undefined {
  const t = st.pg?.CreateTrigStmt;
  if (t?.relation?.relname && t.funcname) return { trigger: t.trigname ?? '?', table: t.relation.relname.toLowerCase(), routine: base(names(t.funcname)) };
  if (st.pg) return undefined;
  const head = routineHead(st.text.trim());
  const table = head?.kind === 'trigger' ? triggerTable(st.text.trim()) : undefined;
  return head && table ? { trigger: base(head.name), table: base(table), routine: `trigger:${base(head.name)}` } : undefined;
}

/** Base names (lower-cased, unqualified) of the routines a statement calls. */
function calledNames(st: Statement): string[] {
  const out = new Set<string>();
  if (st.pg) {
    for (const c of pgFunctionCalls(st.pg)) out.add(c.base);
    const call = st.pg.CallStmt?.funccall;
    if (call?.funcname) out.add(base(names(call.funcname)));
  } else {
    // MySQL, MariaDB and the other node-sql-parser dialects: `CALL p(…)`.
    const m = CALL.exec(st.text.trim());
    if (m) out.add(base(m[1]));
  }
  return [...out];
}

/** The routine a top-level statement creates (CREATE [OR REPLACE] FUNCTION/PROCEDURE), by base name. */
function definedName(st: Statement): string | undefined {
  const f = st.pg?.CreateFunctionStmt;
  if (f?.funcname) return base(names(f.funcname));
  if (st.pg) return undefined;
  const head = routineHead(st.text.trim());
  return head && (head.kind === 'procedure' || head.kind === 'function') ? base(head.name) : undefined;
}

/** Routines a DROP FUNCTION/PROCEDURE/ROUTINE removes. */
function dropped(st: Statement): string[] {
  const d = st.pg?.DropStmt;
  if (!d || !['OBJECT_FUNCTION', 'OBJECT_PROCEDURE', 'OBJECT_ROUTINE'].includes(d.removeType)) return [];
  return (d.objects ?? []).map((o: any) => base(names(o.ObjectWithArgs?.objname ?? o.objname ?? [])));
}

function base(name: string): string {
  const last = name.split('.').pop() ?? name;
  return last.replace(/[`"[\]]/g, '').trim().toLowerCase();
}

