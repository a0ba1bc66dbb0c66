import { createdEarlier, namedClause, names, nestedSuffix, nodeOffset, nspColumn, nspTable, pgNode, rangeVarName } from '../src/sql/ast.js';
import { isNewColumn, stateOf } from '../src/state/index.js';
import { compareTypes, nspTypeText, typeFamily } from '../src/state/typechange.js';
import type { Rule } from '../src/types.js';

// `\b(alter|modify|change)\s+(column\s+)?[`"]?COLUMN\b` (flag i), one pattern for every name.
const ALTER_HEAD = /\b(?:alter|modify|change)\s+/gi;
const ALTER_OPTIONAL = [/column\s+/iy];

/** A libpg-query TypeName → 'varchar(10)[]' (pg_catalog. left out). */
function typeText(t: any): string {
  if (!t) return '?';
  const mods = (t.typmods ?? []).map((m: any) => m?.A_Const?.ival?.ival ?? m?.A_Const?.sval?.sval ?? (m?.A_Const?.ival ? 0 : '?'));
  const base = names(t.names).replace(/^pg_catalog\./, '');
  return base + (mods.length ? `(${mods.join(',')})` : '') + '[]'.repeat((t.arrayBounds ?? []).length);
}

/** Types every value converts to without loss (any value has a text form): changing to them cannot truncate data. */
const LOSSLESS = /^(text|varchar|character varying|citext)$/i;

/** Zones whose offset is always zero: reading a timestamp there keeps the instant it spells. */
const UTC = /^(utc|etc\/utc|etc\/uct|uct|gmt|etc\/gmt|zulu|z|universal|etc\/universal|\+?0{1,2}(:?00)?)$/i;

/**
 * Is a USING expression the column itself, cast to the new type (directly or through text types only:
 * `c`, `c::bigint`, `CAST(c AS bigint)`, `c::text::mood`), or read at a time zone (`c AT TIME ZONE 'UTC'`)?
 * Anything else can rewrite every value.
 */
function plainUsing(using: any, column: string): boolean {
  let n = using;
  let outer = true;
  for (let depth = 0; depth < 8 && n; depth++) {
    if (n.ColumnRef) {
      const f: any[] = n.ColumnRef.fields ?? [];
      return f[f.length - 1]?.String?.sval === column;
    }
    if (n.TypeCast) {
      // The outermost cast is to the new type; any cast inside it must be to a text type.
      if (!outer && !/^(text|varchar|bpchar|character varying)$/i.test(names(n.TypeCast.typeName?.names).replace(/^pg_catalog\./, ''))) return false;
      outer = false;
      n = n.TypeCast.arg;
      continue;
    }
    if (atTimeZone(n) !== undefined) {
      n = n.FuncCall.args[1];
      continue;
    }
    return false;
  }
  return false;
}

/** `x AT TIME ZONE 'zone'` (parsed as pg_catalog.timezone('zone', x)) → the zone; undefined otherwise. */
function atTimeZone(n: any): string | undefined {
  const f = n?.FuncCall;
  if (!f || names(f.funcname) !== 'pg_catalog.timezone' || (f.args ?? []).length !== 2) return undefined;
  return f.args[0]?.A_Const?.sval?.sval;
}

/** MySQL definition → 'VARCHAR(255) UNSIGNED', "ENUM('a','b')" (the state's own spelling, so the two compare). */
function nspType(def: any): string {
  return nspTypeText(def) ?? '?';
}

const rule: Rule = {
  meta: {
    id: 'alter-column-type',
    category: 'destructive',
    severity: 'error',
    summary: 'Changes the type of a column (data can be truncated or rounded, the table is rewritten)',
    rationale:
      'ALTER COLUMN … TYPE converts every value: a narrower type truncates, rounds or fails on existing data, a USING expression can ' +
      'rewrite values arbitrarily, and most type changes rewrite the whole table under an ACCESS EXCLUSIVE lock. MySQL MODIFY/CHANGE ' +
      'restate the full column definition, so a narrower type silently truncates values (or fails in strict mode). Changing to an unbounded ' +
      'text type loses no value and is a warning; columns of a table created earlier in the same file are not reported. With the type before ' +
      'known from the history, a change every value survives is info (widening, int → numeric with room for every digit or → double precision, ' +
      'char(n) → varchar(n), jsonb → json, date → timestamp), a change into a character type every value\'s text fits in is a warning, and ' +
      'timestamp → timestamptz is a warning unless the USING clause reads the values at UTC; a USING expression that is not the column itself ' +
      '(cast to the new type, through text at most) can replace every value and always gates.',
    fix: 'Add a new column of the new type, backfill it in batches, switch the code, then drop the old one; or show that the conversion is lossless.',
    examples: {
      bad: [
        { sql: 'ALTER TABLE users ALTER COLUMN age TYPE smallint;' },
        { sql: 'ALTER TABLE accounts ALTER COLUMN balance TYPE bigint USING 0;' },
        { sql: 'ALTER TABLE "Document" ALTER COLUMN "createdAt" SET DATA TYPE TIMESTAMP(3);' },
        { sql: "ALTER TABLE t ALTER COLUMN c TYPE int USING nullif(c, '')::int;" },
        { sql: 'ALTER TABLE users ALTER COLUMN bio TYPE text;' },
        { sql: 'ALTER TABLE users MODIFY COLUMN name VARCHAR(20) NOT NULL', dialect: 'mysql' },
        { sql: 'ALTER TABLE users CHANGE name name VARCHAR(20)', dialect: 'mariadb' },
      ],
      good: [
        { sql: 'ALTER TABLE users ALTER COLUMN age SET DEFAULT 0;' },
        { sql: 'CREATE TABLE t (c int);\nALTER TABLE t ALTER COLUMN c TYPE bigint;' },
        { sql: 'ALTER TABLE users ADD COLUMN age int', dialect: 'mysql' },
      ],
    },
  },
  kinds: ['AlterTableStmt'],
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
    const emit = (table: string, column: string, type: string, detail: string, lossless: boolean, fallback?: number, verb = 'Changes the type of column', using?: any) => {
      // A table or column the migration under review made holds no existing value.
      if (createdEarlier(stmt, table) || isNewColumn(stmt, table, column)) return;
      const off = namedClause(stmt.text, column, ALTER_HEAD, ALTER_OPTIONAL) ?? fallback;
      // With the type before known (schema state), say what really changes.
      const state = stateOf(stmt);
      const eff = state?.effects(stmt)?.find((e) => e.change === 'type-changed' && e.kind === 'column' && e.object.endsWith(`.${column}`));
      const before = eff?.before ?? state?.columnType(stmt, table, column);
      const after = eff?.after ?? type;
      // A USING expression other than the column itself (cast to the new type, perhaps through text)
      // can rewrite every value: what the types say proves nothing then.
      const plain = !using || plainUsing(using, column);
      if (!plain && before) {
        report({ message: `${verb} ${table}.${column}: ${before} → ${after}; the USING expression rewrites every value (whatever the types, existing values can be replaced, truncated or rounded; the table is rewritten)${where}.`, offset: off, key: column });
        return;
      }
      const verdict = plain ? compareTypes(before, after, stmt.dialect === 'postgresql') : undefined;
      // timestamp/date → timestamptz: no value is cut, but each is read as a time in some zone.
      const fromFamily = typeFamily(before);
      // Fractional seconds kept (a timestamp without precision holds 6 digits; a date none).
      const fraction = (t: string, d: number) => Number(/\((\d+)\)/.exec(t)?.[1] ?? d);
      if (plain && (fromFamily === 'timestamp' || fromFamily === 'date') && typeFamily(after) === 'timestamptz' && fraction(after, 6) >= (fromFamily === 'date' ? 0 : fraction(before!, 6))) {
        const zone = using ? atTimeZone(using) : undefined;
        if (zone !== undefined && UTC.test(zone)) {
          report({ message: `Converts ${table}.${column}: ${before} → ${after}, reading each value as ${zone} time; every existing value converts${where}.`, severity: 'info', offset: off, key: column });
        } else {
          const how = zone !== undefined ? `as ${zone} time` : "in the session's TimeZone setting (the server's default unless the migration sets it)";
          report({ message: `${verb} ${table}.${column}: ${before} → ${after}: each existing value is read ${how}, which shifts it by that zone's offset if the values were written in another; the table is rewritten${where}.`, severity: 'warning', offset: off, key: column });
        }
        return;
      }
      if (verdict === 'to-text') {
        report({ message: `${verb} ${table}.${column}: ${before} → ${after} (every value's text form fits: it converts without loss, but the values become text and the table is rewritten)${where}.`, severity: 'warning', offset: off, key: column });
        return;
      }
      if (verdict === 'same' || verdict === 'widening') {
        const what = verdict === 'same' ? `keeps the type of ${table}.${column} (${after})` : `widens ${table}.${column}: ${before} → ${after}`;
        report({ message: `${verb.startsWith('Redefines') ? 'Redefines column and ' : ''}${what}; every existing value converts unchanged${where}.`.replace(/^./, (c) => c.toUpperCase()), severity: 'info', offset: off, key: column });
        return;
      }
      if (verdict === undefined && stmt.unit.origin === 'migrations.AlterField') {
        // A Django AlterField restates the whole field (often only options change): without the
        // field's previous definition it is a possible type change, as before schema state.
        report({ message: `AlterField ${table}.${column} → ${after}: the column's type may change (its previous definition is not in the replayed history); a type change can rewrite the table and fail or truncate on existing rows${where}.`, severity: 'warning', offset: off, key: column });
        return;
      }
      if (verdict === 'change' && lossless && stmt.pg && LOSSLESS.test(after)) {
        // Into PostgreSQL's unbounded text (no USING; the type the state reads after it too, not a
        // domain of that name earlier on the search path): every value has a text form, as without state.
        report({ message: `${verb} ${table}.${column}: ${before} → ${after} (every value converts to text without loss, but the table may be rewritten under an ACCESS EXCLUSIVE lock)${where}.`, severity: 'warning', offset: off, key: column });
        return;
      }
      if (verdict === 'change') {
        report({ message: `${verb} ${table}.${column}: ${before} → ${after} (narrower or another type family: values can be truncated, rounded or rejected; the table is rewritten)${where}.`, offset: off, key: column });
        return;
      }
      report({
        message: `${verb} ${table}.${column} ${verb.startsWith('Redefines') ? 'as' : 'to'} ${type}${detail}${where}.`,
        severity: lossless ? 'warning' : undefined,
        offset: off,
        key: column,
      });
    };
    const a = pgNode(stmt, 'AlterTableStmt');
    if (a) {
      const table = rangeVarName(a.relation);
      for (const c of a.cmds ?? []) {
        const cmd = c?.AlterTableCmd;
        if (cmd?.subtype !== 'AT_AlterColumnType') continue;
        const def = cmd.def?.ColumnDef;
        const type = typeText(def?.typeName);
        const using = def?.raw_default ? '; the USING expression rewrites every value' : '';
        const lossless = !using && LOSSLESS.test(type);
        const detail = lossless
          ? ' (every value converts to text without loss, but the table may be rewritten under an ACCESS EXCLUSIVE lock)'
          : `${using} (existing values are converted: a narrower type truncates, rounds or fails; the table is rewritten under an ACCESS EXCLUSIVE lock)`;
        emit(table, cmd.name ?? '?', type, detail, lossless, nodeOffset(stmt, a.relation?.location), undefined, def?.raw_default);
      }
    }
    if (stmt.ast?.type === 'alter') {
      const table = nspTable(stmt.ast.table?.[0] ?? stmt.ast.table);
      for (const e of stmt.ast.expr ?? []) {
        if ((e?.action !== 'modify' && e?.action !== 'change') || e.resource !== 'column' || !e.definition) continue;
        const col = nspColumn(e.action === 'change' ? e.old_column : e.column);
        const type = nspType(e.definition);
        const lossless = /^(text|mediumtext|longtext)$/i.test(String(e.definition.dataType));
        emit(
          table,
          col,
          type,
          ` (${e.action.toUpperCase()} restates the column: if the type is narrower than before, values are truncated or the statement fails; the table may be copied)`,
          lossless,
          undefined,
          'Redefines column',
        );
      }
    }
  },
  lexical: [/\balter\s+table\b.*\balter\s+(column\s+)?\S+\s+(set\s+data\s+)?type\b/, /\balter\s+table\b.*\b(modify|change)\s+(column\s+)?\S+\s+\S+/],
};
export default rule;
