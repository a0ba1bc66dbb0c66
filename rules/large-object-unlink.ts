import { hasNode, inside, nodeOffset, pgFunctionCalls, walk } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';

/** Server-side large-object functions that destroy stored data (PostgreSQL docs, "Server-Side Functions" of Large Objects). */
const WHAT: Record<string, string> = {
  lo_unlink: 'deletes a large object and the data stored in it',
  lo_truncate: 'truncates a large object, dropping the data past the new length',
  lo_truncate64: 'truncates a large object, dropping the data past the new length',
};

/** Does the statement read the catalog of large objects (so the call reaches every one it lists)? */
function readsCatalog(pg: unknown): boolean {
  let found = false;
  if (!hasNode(pg, 'RangeVar')) return false;
  walk(pg, (k, v) => {
    if (found) return false;
    if (k === 'RangeVar' && /^pg_largeobject(_metadata)?$/.test(String(v?.relname ?? '')) && (!v.schemaname || v.schemaname === 'pg_catalog')) found = true;
  });
  return found;
}

const rule: Rule = {
  meta: {
    id: 'large-object-unlink',
    category: 'destructive',
    severity: 'error',
    summary: 'Deletes or truncates large objects (lo_unlink, lo_truncate): the binary data stored in them is gone',
    rationale:
      'Large objects (files, images, documents stored with lo_import or the client API) live outside the tables that point at them by ' +
      'oid. lo_unlink deletes one with its data, and `SELECT lo_unlink(oid) FROM pg_largeobject_metadata` deletes every one in the ' +
      'database; no DROP, DELETE or TRUNCATE of a user table shows it. Only a backup brings them back.',
    fix: 'Delete large objects in a reviewed data-cleanup job (vacuumlo for orphans), or get the step approved with the list of objects it removes.',
    examples: {
      bad: [
        { sql: 'SELECT lo_unlink(oid) FROM pg_largeobject_metadata;' },
        { sql: 'SELECT lo_unlink(16409);' },
        { sql: 'DO $$ BEGIN PERFORM lo_unlink(d.blob) FROM documents d WHERE d.archived; END $$;' },
      ],
      good: [{ sql: 'SELECT lo_create(0);' }, { sql: "SELECT 'lo_unlink';" }, { sql: 'SELECT count(*) FROM pg_largeobject_metadata;' }],
    },
  },
  check(stmt, { report }) {
    if (!stmt.pg) return;
    for (const c of pgFunctionCalls(stmt.pg)) {
      if (c.name.includes('.') && !c.name.startsWith('pg_catalog.')) continue;
      const what = Object.prototype.hasOwnProperty.call(WHAT, c.base) ? WHAT[c.base] : undefined;
      if (!what) continue;
      const all = readsCatalog(stmt.pg) ? ': every large object the query lists from the catalog (high risk)' : '';
      report({ message: `Calls ${c.base}(): ${what}${all}${inside(stmt)}.`, offset: nodeOffset(stmt, c.location), key: c.base });
    }
  },
  lexical: [/\blo_(unlink|truncate(64)?)\s*\(/],
};
export default withDynamic(rule);
