// A compact, identity-keyed picture of the catalog ("facts") and the diff of two of them. Both
// engines (PostgreSQL via PGlite, SQLite via sql.js) produce facts; the diff turns them into
// CatalogChange records. Identity is the engine's (OID; for SQLite a tracked id, see sqlite.ts):
// a drop and re-create of the same name are two different facts, a rename is one fact whose name
// changed.
import type { CatalogChange, ObjectKind } from './types.js';

export interface Fact {
  /** Identity: 'c16384' (pg_class OID), 'a16384.2' (column), 'p16390' (function)… */
  k: string;
  kind: ObjectKind;
  /** Display name: 'public.users', 'public.users.email', 'alice → admin'. */
  name: string;
  /** Identity of the parent object (the table of a column, index, trigger or policy). */
  parent?: string;
  /** Compared attributes; `name` among them is the rename-relevant name. */
  a: Record<string, unknown>;
  /** Privileges as 'grantee:PRIV' ('grantee:PRIV*' = with grant option); null = engine default. */
  acl?: string[] | null;
  /** The ACL is the engine's default for the object type (nobody granted or revoked anything). */
  dflt?: boolean;
  /** Owner, for telling default privileges apart on objects created by the statement. */
  owner?: string;
}

export type Facts = Map<string, Fact>;

export function toMap(list: Fact[]): Facts {
  const m: Facts = new Map();
  for (const f of list) m.set(f.k, f);
  return m;
}

const ROLE_ATTRS = new Set(['superuser', 'createrole', 'createdb', 'replication', 'bypassrls', 'login', 'inherit']);

function show(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (Array.isArray(v)) return v.length ? v.join(', ') : '(empty)';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function same(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  // Scalars (most attributes) compare directly; undefined and null are one value here.
  if ((x === null || x === undefined) && (y === null || y === undefined)) return true;
  if (typeof x !== 'object' || typeof y !== 'object') return false;
  return JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
}

const TRIGGER_STATE: Record<string, string> = { O: 'enabled', D: 'disabled', R: 'replica only', A: 'always' };

/** Privileges per grantee: 'analyst gains SELECT, UPDATE'. */
function aclChanges(f: Fact, before: string[], after: string[], preexisting: boolean): CatalogChange[] {
  const b = new Set(before);
  const a = new Set(after);
  const gained = new Map<string, string[]>();
  const lost = new Map<string, string[]>();
  for (const x of a) if (!b.has(x)) push(gained, x);
  for (const x of b) if (!a.has(x)) push(lost, x);
  const out: CatalogChange[] = [];
  const on = f.kind === 'default privileges' ? f.name : `${f.kind} ${f.name}`;
  for (const [grantee, privs] of gained)
    out.push({ change: 'acl-granted', kind: f.kind, object: f.name, preexisting, detail: `${grantee} gains ${privs.join(', ')} on ${on}`, after: `${grantee}:${privs.join(',')}` });
  for (const [grantee, privs] of lost)
    out.push({ change: 'acl-revoked', kind: f.kind, object: f.name, preexisting, detail: `${grantee} loses ${privs.join(', ')} on ${on}`, before: `${grantee}:${privs.join(',')}` });
  return out;
  function push(m: Map<string, string[]>, x: string) {
    const i = x.lastIndexOf(':');
    const g = x.slice(0, i);
    const p = x.slice(i + 1).replace(/\*$/, ' WITH GRANT OPTION');
    (m.get(g) ?? m.set(g, []).get(g)!).push(p);
  }
}

/**
 * Changes from `before` to `after`. `pre(k)`: did the object exist before the judged file (by
 * identity)? Sub-objects (columns, indexes, triggers, policies, rules) of a relation that was itself
 * created or dropped are not listed separately.
 */
export function diffFacts(before: Facts, after: Facts, pre: (k: string) => boolean): CatalogChange[] {
  const out: CatalogChange[] = [];
  const created = new Set<string>();
  const dropped = new Set<string>();
  for (const k of after.keys()) if (!before.has(k)) created.add(k);
  for (const k of before.keys()) if (!after.has(k)) dropped.add(k);
  const covered = (f: Fact) => f.parent !== undefined && (created.has(f.parent) || dropped.has(f.parent));

  let byTable: Map<string, Fact[]> | undefined;
  for (const k of dropped) {
    const f = before.get(k)!;
    if (covered(f)) continue;
    const c = special(f, 'dropped');
    const change: CatalogChange = { change: c.change, kind: f.kind, object: f.name, preexisting: pre(k), detail: c.detail, before: c.value };
    if (f.kind === 'index' && f.a.cover) {
      byTable ??= uniqueIndexesByTable(after);
      const g = coveringIndex(f, byTable);
      if (g) change.coveredBy = g.name;
    }
    out.push(change);
    if (f.k.startsWith('da') && f.acl) out.push(...aclChanges(f, f.acl, [], pre(k)));
  }
  for (const k of created) {
    const f = after.get(k)!;
    if (covered(f)) continue;
    const c = special(f, 'created');
    out.push({ change: c.change, kind: f.kind, object: f.name, preexisting: pre(k), detail: c.detail, after: c.value });
    // Privileges beyond the owner's on a new object (CREATE SCHEMA … GRANT, default privileges).
    if (f.acl && !f.dflt) {
      const extra = f.acl.filter((x) => x.slice(0, x.lastIndexOf(':')) !== f.owner);
      out.push(...aclChanges(f, [], extra, pre(k)));
    }
  }
  for (const [k, fa] of after) {
    const fb = before.get(k);
    // The same object: a fact an incremental read carried over unread (pg.ts `advance`).
    if (!fb || fb === fa) continue;
    const p = pre(k);
    const object = fa.name;
    const keys = new Set([...Object.keys(fb.a), ...Object.keys(fa.a)]);
    for (const key of keys) {
      if (key === 'cover') continue; // read for coveringIndex, not a change of its own
      const x = fb.a[key];
      const y = fa.a[key];
      if (same(x, y)) continue;
      const base = { kind: fa.kind, object, preexisting: p, before: show(x), after: show(y) };
      if (key === 'name') out.push({ ...base, change: 'renamed', object, detail: `${fb.name} → ${fa.name}` });
      else if (key === 'owner') out.push({ ...base, change: 'owner-changed', detail: `owner: ${show(x)} → ${show(y)}` });
      else if (key === 'type') out.push({ ...base, change: 'type-changed', detail: `${show(x)} → ${show(y)}` });
      else if (key === 'persistence') out.push({ ...base, change: 'persistence-changed', detail: `${show(x)} → ${show(y)}` });
      else if (key === 'rls') out.push({ ...base, change: y ? 'rls-enabled' : 'rls-disabled', detail: `row level security: ${y ? 'enabled' : 'disabled'}` });
      else if (key === 'forcerls') out.push({ ...base, change: y ? 'rls-forced' : 'rls-unforced', detail: `row level security forced for the owner: ${y ? 'yes' : 'no'}` });
      else if (key === 'notnull') out.push({ ...base, change: y ? 'not-null-set' : 'not-null-dropped', detail: `NOT NULL: ${show(x)} → ${show(y)}` });
      else if (key === 'default') out.push({ ...base, change: 'default-changed', detail: `default: ${show(x)} → ${show(y)}` });
      else if (ROLE_ATTRS.has(key)) out.push({ ...base, change: y ? 'attribute-granted' : 'attribute-revoked', detail: `${key}: ${show(x)} → ${show(y)}` });
      else if (key === 'secdef') out.push({ ...base, change: y ? 'security-definer' : 'security-invoker', detail: `SECURITY ${y ? 'DEFINER' : 'INVOKER'}` });
      else if (key === 'body') out.push({ ...base, change: 'body-replaced', detail: 'function body replaced', before: undefined, after: undefined });
      else if (key === 'config' || key === 'settings') out.push({ ...base, change: 'setting-changed', detail: `settings: ${show(x)} → ${show(y)}` });
      else if (key === 'options') out.push({ ...base, change: 'options-changed', detail: `options: ${show(x)} → ${show(y)}` });
      else if (key === 'enabled' && (fa.kind === 'trigger' || fa.kind === 'event trigger' || fa.kind === 'rule')) {
        const s = TRIGGER_STATE[String(y)] ?? show(y);
        out.push({ ...base, change: y === 'D' ? `${fa.kind === 'rule' ? 'rule' : 'trigger'}-disabled` : `${fa.kind === 'rule' ? 'rule' : 'trigger'}-enabled`, detail: `${TRIGGER_STATE[String(x)] ?? show(x)} → ${s}` });
      } else if (key === 'last_value') {
        const xb = x === null || x === undefined ? null : BigInt(String(x));
        const yb = y === null || y === undefined ? null : BigInt(String(y));
        if (xb !== null && (yb === null || yb < xb)) out.push({ ...base, change: 'sequence-reset', detail: `last value ${show(x)} → ${yb === null ? 'restarted' : show(y)}` });
      } else out.push({ ...base, change: 'altered', detail: `${key}: ${show(x)} → ${show(y)}` });
    }
    if (!same(fb.acl, fa.acl)) out.push(...aclChanges(fa, fb.acl ?? [], fa.acl ?? [], p));
  }
  return out;
}

/** What a unique index enforces (pg-catalog.ts `cover`). */
interface Cover {
  keys: number[];
  partial: boolean;
  nnd: boolean;
  valid: boolean;
}

/** The unique indexes (and unique or primary key constraints' indexes) of each table. */
function uniqueIndexesByTable(facts: Facts): Map<string, Fact[]> {
  const m = new Map<string, Fact[]>();
  for (const f of facts.values()) {
    if (f.kind !== 'index' || !f.a.cover || f.parent === undefined) continue;
    (m.get(f.parent) ?? m.set(f.parent, []).get(f.parent)!).push(f);
  }
  return m;
}

/**
 * A unique index left after the statement that still rejects every duplicate the dropped unique
 * index `f` rejected: on the same table, usable, not partial, its key columns all plain columns
 * among `f`'s (rows equal on f's columns are equal on a subset of them), and NULLS NOT DISTINCT if
 * `f` was (otherwise rows with NULLs that f refused get in). PostgreSQL: "a unique constraint ...
 * the combination of values in all the indicated columns is unique" (ddl-constraints.html#DDL-CONSTRAINTS-UNIQUE-CONSTRAINTS).
 */
function coveringIndex(f: Fact, byTable: Map<string, Fact[]>): Fact | undefined {
  const c = f.a.cover as Cover;
  if (f.parent === undefined || !Array.isArray(c.keys)) return undefined;
  const keys = new Set(c.keys.filter((k) => k > 0));
  for (const g of byTable.get(f.parent) ?? []) {
    const d = g.a.cover as Cover;
    if (!d.valid || d.partial || !Array.isArray(d.keys) || !d.keys.length) continue;
    if (!d.keys.every((k) => k > 0 && keys.has(k))) continue;
    if (c.nnd && !d.nnd) continue;
    return g;
  }
  return undefined;
}

/** Memberships and settings are rows of their own; they read better as grants than as objects. */
function special(f: Fact, what: 'created' | 'dropped'): { change: string; detail?: string; value?: string } {
  if (f.k.startsWith('m')) return { change: what === 'created' ? 'member-added' : 'member-removed', detail: `${f.name}${f.a.admin ? ' (with admin option)' : ''}` };
  if (f.k.startsWith('set')) return { change: 'setting-changed', detail: `settings: ${what === 'created' ? `none → ${show(f.a.settings)}` : `${show(f.a.settings)} → none`}`, value: show(f.a.settings) };
  if (f.kind === 'column' && f.a.type !== undefined) return { change: what, value: String(f.a.type) };
  if (f.kind === 'index' && f.a.unique === true) return { change: what, detail: 'unique index' };
  return { change: what };
}
