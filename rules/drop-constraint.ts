import { cachedRegExp, createdEarlier, firstAbove, namedClause, names, nestedSuffix, nodeOffset, nspTable, perFile, pgNode, positionOf, rangeVarName, sameName, statementsNamed, textOffset } from '../src/sql/ast.js';
import { stateOf } from '../src/state/index.js';
import type { Rule, Statement } from '../src/types.js';

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Where `DROP CONSTRAINT|FOREIGN KEY|CHECK [IF EXISTS] ["`]name` starts (what the pattern
 * `\bdrop\s+(constraint|foreign\s+key|check)\s+(if\s+exists\s+)?[`"]?NAME\b`, flag i, finds):
 * one pattern for every name, the name compared at each clause.
 */
export function dropClause(text: string, name: string): number | undefined {
  return namedClause(text, name, DROP_HEAD, [IF_EXISTS]);
}
const DROP_HEAD = /\bdrop\s+(?:constraint|foreign\s+key|check)\s+/gi;
const IF_EXISTS = /if\s+exists\s+/iy;

/** Is a constraint (or unique index) of that name added again on that table later in this statement or file? */
function readded(stmt: Statement, table: string, name: string, cmdIndex: number): boolean {
  const n = name.toLowerCase();
  const addsIt = (s: Statement, from: number) => {
    const a = s.pg?.AlterTableStmt;
    if (a && sameName(rangeVarName(a.relation), table)) {
      const cmds = (a.cmds ?? []).slice(from);
      if (cmds.some((c: any) => c?.AlterTableCmd?.subtype === 'AT_AddConstraint' && c.AlterTableCmd.def?.Constraint?.conname?.toLowerCase() === n)) return true;
      if (cmds.some((c: any) => c?.AlterTableCmd?.subtype === 'AT_AddIndex' && c.AlterTableCmd.def?.IndexStmt?.idxname?.toLowerCase() === n)) return true;
    }
    const i = s.pg?.IndexStmt;
    if (i && i.unique && i.idxname?.toLowerCase() === n && sameName(rangeVarName(i.relation), table)) return true;
    if (s.ast?.type === 'alter' && sameName(nspTable(s.ast.table?.[0]), table)) {
      return (s.ast.expr ?? []).slice(from).some((e: any) => e?.action === 'add' && String(e.create_definitions?.constraint ?? '').toLowerCase() === n);
    }
    return false;
  };
  return addsIt(stmt, cmdIndex + 1) || statementsNamed(stmt, 'drop-constraint:added', addedConstraintNames, n, 'after').some((s) => addsIt(s, 0));
}

/** Every constraint or index name a statement may add (indexed; `addsIt` decides). */
function addedConstraintNames(s: Statement): string[] | undefined {
  const out: string[] = [];
  for (const c of s.pg?.AlterTableStmt?.cmds ?? []) {
    const cmd = c?.AlterTableCmd;
    if (typeof cmd?.def?.Constraint?.conname === 'string') out.push(cmd.def.Constraint.conname);
    if (typeof cmd?.def?.IndexStmt?.idxname === 'string') out.push(cmd.def.IndexStmt.idxname);
  }
  if (typeof s.pg?.IndexStmt?.idxname === 'string') out.push(s.pg.IndexStmt.idxname);
  if (s.ast?.type === 'alter') for (const e of s.ast.expr ?? []) if (e?.action === 'add') out.push(String(e.create_definitions?.constraint ?? ''));
  return out.length ? out : undefined;
}

/** Unique indexes a statement creates (CREATE UNIQUE INDEX): what a later DROP INDEX of the same name lifts. */
function uniqueIndexNames(s: Statement): string[] | undefined {
  const i = s.pg?.IndexStmt;
  return i?.unique && typeof i.idxname === 'string' ? [i.relation?.schemaname ? `${i.relation.schemaname}.${i.idxname}` : i.idxname] : undefined;
}

/**
 * Is the index `name` that this DROP INDEX drops a unique one, and did it exist before the migration
 * under review? 'before': the replay's effect says so (any unique index of the history;
 * PostgreSQL refuses DROP INDEX on a constraint's index, which drops as a constraint). 'here': a
 * CREATE UNIQUE INDEX earlier in the same file made it (net, nothing changes). undefined: not known
 * to be unique (without the replay, an index of the history is not known).
 */
function droppedUnique(stmt: Statement, name: string): { was: 'before' | 'here'; coveredBy?: string } | undefined {
  const effects = stateOf(stmt)?.effects(stmt);
  const e = effects?.find((x) => x.change === 'dropped' && x.kind === 'index' && x.detail === 'unique index' && sameName(x.object, name));
  if (e) return { was: e.preexisting === false ? 'here' : 'before', ...(e.coveredBy && keptToEnd(stmt, e.coveredBy) ? { coveredBy: e.coveredBy } : {}) };
  return statementsNamed(stmt, 'drop-constraint:unique-index', uniqueIndexNames, name, 'before').length > 0 ? { was: 'here' } : undefined;
}

/** The replay's index drops and renames of a file's top-level statements, by the name they act on. */
interface IndexEvents {
  /** Position of the last top-level statement the sandbox did not run (its effects unknown), or -1. */
  lastUnknown: number;
  /** Name ('public.t_a') → its events in file order: at `pos[i]`, dropped (`to[i]` undefined) or renamed to `to[i]`. */
  byName: Map<string, { pos: number[]; to: Array<string | undefined> }>;
}

function indexEvents(all: Statement[]): IndexEvents {
  const out: IndexEvents = { lastUnknown: -1, byName: new Map() };
  const add = (name: string, e: { pos: number; to?: string }) => {
    const l = out.byName.get(name) ?? out.byName.set(name, { pos: [], to: [] }).get(name)!;
    l.pos.push(e.pos);
    l.to.push(e.to);
  };
  all.forEach((s, pos) => {
    if (s.nested) return; // a body runs when called; a DO block's effects are its own statement's
    const effects = stateOf(s)?.effects(s);
    if (!effects) return void (out.lastUnknown = pos);
    for (const e of effects) {
      if (e.kind !== 'index') continue;
      if (e.change === 'dropped') add(e.object, { pos });
      else if (e.change === 'renamed' && e.detail?.endsWith(` → ${e.object}`)) add(e.detail.slice(0, -` → ${e.object}`.length), { pos, to: e.object });
    }
  });
  return out;
}

/**
 * Is the index the replay names `name` (`public.t_a`) still there after the file's last statement?
 * Renames are followed; a later drop (the cover made, the old index dropped, then the cover dropped
 * too) or a later top-level statement the sandbox did not run (its effects unknown) says no.
 */
function keptToEnd(stmt: Statement, name: string): boolean {
  const at = positionOf(stmt);
  const ev = perFile(stmt, 'drop-constraint:index-events', indexEvents);
  if (at === undefined || !ev || ev.lastUnknown > at) return false;
  let current = name;
  let from = at;
  // Each step moves to a later statement: the walk ends.
  for (;;) {
    const list = ev.byName.get(current);
    const i = list ? firstAbove(list.pos, from) : 0;
    if (!list || i === list.pos.length) return true;
    const to = list.to[i];
    if (to === undefined) return false;
    current = to;
    from = list.pos[i];
  }
}

/** Is a unique index of that name created again later in this file (DROP + CREATE = redefinition)? */
function uniqueRecreated(stmt: Statement, name: string): boolean {
  return statementsNamed(stmt, 'drop-constraint:unique-index', uniqueIndexNames, name, 'after').length > 0;
}

const rule: Rule = {
  meta: {
    id: 'drop-constraint',
    category: 'integrity',
    severity: 'warning',
    summary: 'Drops a constraint (foreign key, unique, check, primary key) or a unique index: the rule it enforced is no longer checked',
    rationale:
      'Without the constraint, rows that break the rule can be written (orphans, duplicates, invalid values) and nothing reports it; ' +
      'with CASCADE, foreign keys in other tables that depend on a dropped unique or primary key go too. It deletes no data, so it is a ' +
      'warning; a constraint added again under the same name later in the same statement or file (the usual way to change it) is info. ' +
      'A unique index (CREATE UNIQUE INDEX, the way Prisma and others make @unique) is a unique constraint in all but name: DROP INDEX of one is ' +
      'reported the same way when the replayed history shows the index was unique (without the replay it is not known); when the replay ' +
      'shows another unique index staying on the table over the same columns or a subset of them (usable, not partial, NULLS NOT DISTINCT ' +
      'where the dropped one was: the CREATE UNIQUE INDEX CONCURRENTLY swap), nothing is lost and it is info.',
    fix: 'Say in the pull request why the rule no longer holds, or re-add the changed constraint in the same migration (NOT VALID + VALIDATE on big tables).',
    examples: {
      bad: [
        { sql: 'ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;' },
        { sql: 'ALTER TABLE users DROP CONSTRAINT users_pkey CASCADE;' },
        { sql: 'ALTER TABLE orders DROP FOREIGN KEY fk_user', dialect: 'mysql' },
        { sql: 'ALTER TABLE orders DROP CHECK chk_total', dialect: 'mysql' },
        // A unique index of the history is known from the replay (tests/history-cli.test.ts); here, one made earlier in the file (info).
        { sql: 'CREATE UNIQUE INDEX "User_email_key" ON "User"("email");\nDROP INDEX "User_email_key";' },
      ],
      good: [
        { sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);' },
        { sql: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;' },
        { sql: 'CREATE INDEX "User_name_idx" ON "User"("name");\nDROP INDEX "User_name_idx";' },
      ],
    },
  },
  kinds: ['AlterTableStmt', 'DropStmt'],
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
    const emit = (table: string, name: string, kind: string, cascade: boolean, idx: number, fallback?: number) => {
      const off = dropClause(stmt.text, name) ?? fallback;
      const casc = cascade ? ' with CASCADE (foreign keys in other tables that depend on it are dropped too)' : '';
      if (!cascade && (readded(stmt, table, name, idx) || createdEarlier(stmt, table))) {
        report({ message: `Drops ${kind} ${name} on ${table} and adds it again in this file${where}.`, severity: 'info', offset: off, key: name });
        return;
      }
      report({ message: `Drops ${kind} ${name} on ${table}${casc}: the rule it enforced is no longer checked${where}.`, offset: off, key: name });
    };
    const a = pgNode(stmt, 'AlterTableStmt');
    if (a) {
      const table = rangeVarName(a.relation);
      (a.cmds ?? []).forEach((c: any, i: number) => {
        const cmd = c?.AlterTableCmd;
        if (cmd?.subtype === 'AT_DropConstraint') emit(table, cmd.name ?? '?', 'constraint', cmd.behavior === 'DROP_CASCADE', i, nodeOffset(stmt, a.relation?.location));
      });
    }
    const d = pgNode(stmt, 'DropStmt');
    if (d?.removeType === 'OBJECT_INDEX') {
      for (const o of d.objects ?? []) {
        const name = names(o?.List?.items);
        const dropped = droppedUnique(stmt, name);
        if (!dropped) continue;
        const was = dropped.was;
        const off = textOffset(stmt, cachedRegExp(`\\b${esc(name.split('.').pop() ?? name)}\\b`, 'i'));
        if (was === 'here') report({ message: `Drops unique index ${name}, created earlier in this file${where}.`, severity: 'info', offset: off, key: name });
        // The replay saw another unique index on a subset of its columns that stays: nothing is lost
        // (the usual CREATE UNIQUE INDEX CONCURRENTLY new …; DROP INDEX old; swap).
        else if (dropped.coveredBy && d.behavior !== 'DROP_CASCADE') report({ message: `Drops unique index ${name}; unique index ${dropped.coveredBy} (on the same columns or a subset of them) still rejects the same duplicates${where}.`, severity: 'info', offset: off, key: name });
        else if (d.behavior !== 'DROP_CASCADE' && uniqueRecreated(stmt, name)) report({ message: `Drops unique index ${name} and creates it again in this file${where}.`, severity: 'info', offset: off, key: name });
        else report({ message: `Drops unique index ${name}: unless another unique index or constraint covers its columns, duplicate values can be written to them from now on${where}.`, offset: off, key: name });
      }
    }
    if (stmt.ast?.type === 'alter') {
      const table = nspTable(stmt.ast.table?.[0] ?? stmt.ast.table);
      (stmt.ast.expr ?? []).forEach((e: any, i: number) => {
        if (e?.action !== 'drop') return;
        const kw = String(e.keyword ?? '').toLowerCase();
        if (e.resource === 'constraint') emit(table, String(e.constraint ?? '?'), kw === 'check' ? 'check constraint' : 'constraint', false, i);
        else if (e.resource === 'key' && kw === 'foreign key') emit(table, String(e.key ?? '?'), 'foreign key', false, i);
        else if (e.resource === 'key' && kw === 'primary key') emit(table, 'PRIMARY KEY', 'the', false, i);
      });
    }
  },
  lexical: [/\balter\s+table\b.*\bdrop\s+(constraint|foreign\s+key|primary\s+key|check)\b/],
};
export default rule;
