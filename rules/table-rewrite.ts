import { createdEarlier, defElemFalse, nestedSuffix, nodeOffset, pgFunctionCalls, pgNode, rangeVarName } from '../src/sql/ast.js';
import { lockNote } from '../src/state/index.js';
import type { Rule } from '../src/types.js';

/**
 * Built-in functions marked volatile in pg_proc (provolatile = 'v') that column defaults call: a
 * column added with such a default is filled row by row, which rewrites the table (ATExecAddColumn,
 * src/backend/commands/tablecmds.c: only a non-volatile default is stored once as a "fast default").
 */
const VOLATILE = new Set(['gen_random_uuid', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'uuidv4', 'uuidv7', 'random', 'random_normal', 'clock_timestamp', 'timeofday', 'nextval', 'setseed']);
/** Column types that add a sequence default (nextval, volatile). */
const SERIAL = /^(small|big)?serial[248]?$/;
/** LOCK modes, LockStmt.mode (src/include/storage/lockdefs.h): 5 SHARE and up block writes, 8 ACCESS EXCLUSIVE also reads. */
const LOCK_MODES: Record<number, string> = { 5: 'SHARE', 6: 'SHARE ROW EXCLUSIVE', 7: 'EXCLUSIVE', 8: 'ACCESS EXCLUSIVE' };

/** Why adding this column rewrites the table, if it does. */
function rewriteOf(def: any): string | undefined {
  const type = String(def?.typeName?.names?.[def.typeName.names.length - 1]?.String?.sval ?? '').toLowerCase();
  if (SERIAL.test(type)) return `its type ${type} gives every row a number from a sequence`;
  for (const c of def?.constraints ?? []) {
    const k = c?.Constraint;
    if (k?.contype === 'CONSTR_IDENTITY') return 'an identity column gives every row a number from a sequence';
    if (k?.contype === 'CONSTR_GENERATED' && k.generated_kind !== 'v') return 'a stored generated column is computed for every row';
    if (k?.contype === 'CONSTR_DEFAULT') {
      const v = pgFunctionCalls(k.raw_expr).find((f) => VOLATILE.has(f.base) && (f.name === f.base || f.name === `pg_catalog.${f.base}`));
      if (v) return `its default calls ${v.base}(), a volatile function, so each row gets its own value`;
    }
  }
  return undefined;
}

const rule: Rule = {
  meta: {
    id: 'table-rewrite',
    category: 'safety',
    severity: 'warning',
    summary: 'Rewrites or locks a whole existing table: ADD COLUMN with a volatile default, serial, identity or stored generated column; VACUUM FULL; CLUSTER; REINDEX without CONCURRENTLY; LOCK TABLE',
    rationale:
      'PostgreSQL adds a column with a constant (or stable) default by storing the default once, without touching the rows. A default ' +
      'that must differ per row (gen_random_uuid(), random(), clock_timestamp(), nextval() — serial and identity columns too) or a stored ' +
      'generated column makes it rewrite the whole table under an ACCESS EXCLUSIVE lock: on a large table reads and writes wait for ' +
      'minutes. VACUUM FULL and CLUSTER also rewrite the table under ACCESS EXCLUSIVE; REINDEX without CONCURRENTLY blocks writes (and ' +
      'reads through the index); an explicit LOCK TABLE holds its lock until the migration commits. Tables created earlier in the same ' +
      'migration are empty and are not reported.',
    fix: 'Add the column without the default (or with a constant one), backfill it in batches, then set the default; use REINDEX … CONCURRENTLY, pg_repack instead of VACUUM FULL/CLUSTER, and keep explicit locks out of migrations or short (lock_timeout).',
    examples: {
      bad: [
        { sql: 'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();' },
        { sql: 'ALTER TABLE orders ADD COLUMN seq bigserial;' },
        { sql: 'ALTER TABLE orders ADD COLUMN n int GENERATED ALWAYS AS IDENTITY;' },
        { sql: 'VACUUM FULL users;' },
        { sql: 'CLUSTER users USING users_pkey;' },
        { sql: 'REINDEX TABLE users;' },
        { sql: 'LOCK TABLE users IN ACCESS EXCLUSIVE MODE;' },
      ],
      good: [
        { sql: 'ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now();' },
        { sql: "ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active';" },
        { sql: 'CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN token uuid DEFAULT gen_random_uuid();' },
        { sql: 'REINDEX INDEX CONCURRENTLY users_email_idx;' },
        { sql: 'VACUUM ANALYZE users;' },
        { sql: 'VACUUM (FULL off, ANALYZE) users;' },
        { sql: 'LOCK TABLE users IN ROW EXCLUSIVE MODE;' },
      ],
    },
  },
  kinds: ['AlterTableStmt', 'VacuumStmt', 'ClusterStmt', 'ReindexStmt', 'LockStmt'],
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
    const a = pgNode(stmt, 'AlterTableStmt');
    if (a && a.objtype === 'OBJECT_TABLE') {
      const table = rangeVarName(a.relation);
      if (createdEarlier(stmt, table)) return;
      for (const c of a.cmds ?? []) {
        const cmd = c?.AlterTableCmd;
        if (cmd?.subtype !== 'AT_AddColumn') continue;
        const why = rewriteOf(cmd.def?.ColumnDef);
        if (!why) continue;
        const col = cmd.def.ColumnDef.colname ?? '?';
        report({
          message: `Adds column ${col} to existing table ${table}: ${why}, which rewrites the whole table under an ACCESS EXCLUSIVE lock (reads and writes wait)${lockNote(stmt, table)}${where}.`,
          offset: nodeOffset(stmt, cmd.def.ColumnDef.location),
          key: col,
        });
      }
      return;
    }
    const v = pgNode(stmt, 'VacuumStmt');
    if (v) {
      const full = (v.options ?? []).some((o: any) => o?.DefElem?.defname === 'full' && !defElemFalse(o.DefElem.arg));
      if (!full) return;
      const rels = (v.rels ?? []).map((r: any) => rangeVarName(r?.VacuumRelation?.relation)).filter((t: string) => !createdEarlier(stmt, t));
      if (!v.rels?.length || rels.length) report({ message: `VACUUM FULL ${rels.length ? rels.join(', ') : '(every table of the database)'}: rewrites each table under an ACCESS EXCLUSIVE lock (reads and writes wait)${where}.` });
      return;
    }
    const cl = pgNode(stmt, 'ClusterStmt');
    if (cl) {
      const t = cl.relation ? rangeVarName(cl.relation) : undefined;
      if (t && createdEarlier(stmt, t)) return;
      report({ message: `CLUSTER ${t ?? '(every previously clustered table)'}: rewrites the table in index order under an ACCESS EXCLUSIVE lock (reads and writes wait)${where}.`, offset: nodeOffset(stmt, cl.relation?.location) });
      return;
    }
    const r = pgNode(stmt, 'ReindexStmt');
    if (r) {
      if ((r.params ?? []).some((p: any) => p?.DefElem?.defname === 'concurrently')) return;
      const kind = String(r.kind ?? '').replace('REINDEX_OBJECT_', '').toLowerCase();
      const name = r.relation ? rangeVarName(r.relation) : r.name ?? '?';
      if (r.relation && kind === 'table' && createdEarlier(stmt, name)) return;
      report({ message: `REINDEX ${kind} ${name} without CONCURRENTLY: writes to the table${kind === 'table' ? '' : 's'} wait, and reads that would use the index${kind === 'index' ? '' : 'es'}, until it is rebuilt${where}.`, offset: nodeOffset(stmt, r.relation?.location) });
      return;
    }
    const l = pgNode(stmt, 'LockStmt');
    if (l) {
      const mode = LOCK_MODES[Number(l.mode)];
      if (!mode) return;
      const rels = (l.relations ?? []).map((x: any) => rangeVarName(x?.RangeVar ?? x)).filter((t: string) => !createdEarlier(stmt, t));
      if (!rels.length) return;
      report({ message: `LOCK TABLE ${rels.join(', ')} IN ${mode} MODE: ${Number(l.mode) === 8 ? 'reads and writes' : 'writes'} wait until the migration commits${where}.` });
    }
  },
};
export default rule;
