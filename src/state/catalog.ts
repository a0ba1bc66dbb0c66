// The catalog diff of the sandboxed run, for the catalog-* rules: what a judged statement changed
// that no statement rule names. A change counts as named when the statement (or a statement nested
// in it, for a DO block) is DDL of a kind the statement rules read and names the object in an
// identifier position; anything reached another way (EXECUTE format(…), a function call, a rule,
// an event trigger, a catalog UPDATE) is reported from its effect.
import type { CatalogChange } from '../replay/types.js';
import { positionsIn } from '../sql/positions.js';
import type { Statement } from '../types.js';
import { stateOf } from './index.js';

/** Statement kinds the statement rules (rules/) read, by libpg-query node type. */
const SPELLED = new Set([
  'DropStmt', 'AlterTableStmt', 'RenameStmt', 'GrantStmt', 'GrantRoleStmt', 'AlterRoleStmt', 'CreateRoleStmt', 'DropRoleStmt',
  'AlterDefaultPrivilegesStmt', 'CreateFunctionStmt', 'AlterOwnerStmt', 'CreatePolicyStmt', 'AlterPolicyStmt', 'TruncateStmt',
  'AlterSeqStmt', 'CreatePublicationStmt', 'AlterPublicationStmt', 'CreateSubscriptionStmt', 'CreateEventTrigStmt',
  'AlterDatabaseSetStmt', 'AlterRoleSetStmt', 'VariableSetStmt', 'DropOwnedStmt', 'ReassignOwnedStmt', 'CreateTrigStmt',
  'AlterObjectSchemaStmt', 'DropdbStmt', 'AlterSystemStmt', 'AlterFunctionStmt', 'CreateStmt', 'CreateTableAsStmt', 'IndexStmt',
  'CreateSchemaStmt', 'ViewStmt', 'CreateSeqStmt', 'AlterEventTrigStmt', 'CreateExtensionStmt', 'CommentStmt',
]);

/** Identifiers a parse tree names (relation, role, function, schema, column names), lower-cased; string constants excluded. */
function identifiers(node: unknown, out: Set<string>) {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) identifiers(x, out);
    return;
  }
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k === 'A_Const') continue;
    if (typeof v === 'string') {
      if (k === 'sval' || k === 'relname' || k === 'rolename' || k === 'schemaname' || k === 'name' || k === 'subname' || k === 'newname' || k === 'colname' || k === 'trigname' || k === 'policy_name' || k === 'pubname' || k === 'subname' || k === 'trigname')
        out.add(v.toLowerCase());
    } else identifiers(v, out);
  }
}

/**
 * Dialects read by node-sql-parser (SQLite is replayed by sql.js): their trees differ by statement
 * and recovered statements have none, so a DDL statement's names are read from its text — every
 * identifier, bare or quoted ("x", `x`, [x]), outside string literals. SQLite has no dynamic SQL
 * and its triggers cannot run DDL, so what a DDL statement changes is what it names.
 */
function identifiersOfDdlText(text: string, out: Set<string>) {
  const body = text.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  if (!/^\s*(create|alter|drop|rename|truncate)\b/i.test(body)) return;
  for (const m of body.replace(/'(?:[^']|'')*'/g, ' ').matchAll(/"((?:[^"]|"")+)"|`((?:[^`]|``)+)`|\[([^\]]+)\]|([A-Za-z_][A-Za-z0-9_$]*)/g))
    out.add((m[1] ?? m[2] ?? m[3] ?? m[4]).replace(/""/g, '"').replace(/``/g, '`').toLowerCase());
}

/** The statement and the statements nested in it (a DO block's body), as parsed. */
function family(stmt: Statement): Statement[] {
  const all = stmt.scope?.statements;
  if (!all) return [stmt];
  const i = positionsIn(all).get(stmt) ?? -1;
  const out = [stmt];
  for (let j = i + 1; i >= 0 && j < all.length && all[j].nested && !stmt.nested; j++) out.push(all[j]);
  return out;
}

function lastPart(name: string): string[] {
  // 'public.users.email' → users and email may both be named; 'alice → admin' (membership) → both roles.
  return name
    .toLowerCase()
    .split(/\s*→\s*|\./)
    .filter(Boolean);
}

/** Effects of a judged statement that no statement rule names. */
export function unnamedEffects(stmt: Statement): CatalogChange[] {
  const effects = stateOf(stmt)?.effects(stmt);
  if (!effects?.length) return [];
  const named = new Set<string>();
  for (const s of family(stmt)) {
    const type = s.pg ? Object.keys(s.pg)[0] : undefined;
    if (type && SPELLED.has(type)) identifiers(s.pg, named);
    else if (!s.pg) identifiersOfDdlText(s.text, named);
  }
  // Tables the statement itself names and drops: PostgreSQL drops the sequences they own (serial,
  // identity: `<table>_<column>_seq`) with them, and the statement's own drop finding covers those.
  const droppedTables = effects.filter((e) => e.change === 'dropped' && e.kind === 'table' && lastPart(e.object).some((p) => named.has(p))).map((e) => lastPart(e.object).pop()!);
  return effects.filter((e) => {
    const parts = lastPart(e.object);
    if (e.kind === 'sequence' && e.change === 'dropped' && /_seq$/.test(parts[parts.length - 1]) && droppedTables.some((t) => parts[parts.length - 1].startsWith(`${t}_`))) return false;
    const grantee = /^(\S+) (gains|loses) /.exec(e.detail ?? '')?.[1]?.toLowerCase();
    const covered = parts.some((p) => named.has(p)) || (grantee !== undefined && named.has(grantee));
    return !covered;
  });
}

/** 'table public.users' */
export function what(e: CatalogChange): string {
  return `${e.kind} ${e.object}`;
}
