// Is a column type change lossless? Compares the type before (from schema state) with the type
// after, as PostgreSQL's format_type, libpg-query's TypeName or node-sql-parser's definition spell
// them. Widening: every old value converts unchanged (varchar(100) → varchar(200), int → bigint,
// numeric precision/scale up, BLOB → MEDIUMBLOB). Anything this table does not prove is a change.

/** 'to-text': into a character type every value's text form fits in (int → varchar(11)): nothing is lost, but the values become text. */
export type TypeVerdict = 'same' | 'widening' | 'to-text' | 'change';

/** Decimal digits of the largest value of an integer rank: [signed, unsigned]. */
const INT_DIGITS: Record<number, [number, number]> = { 1: [3, 3], 2: [5, 5], 3: [7, 8], 4: [10, 10], 8: [19, 20] };
/** Integers a float rank holds exactly: 2^24 (real), 2^53 (double precision). */
const FLOAT_EXACT: Record<number, number> = { 4: 2 ** 24, 8: 2 ** 53 };
/** Largest magnitude of an integer rank (signed / unsigned). */
const INT_MAX: Record<number, [number, number]> = { 1: [128, 255], 2: [32768, 65535], 3: [8388608, 16777215], 4: [2 ** 31, 2 ** 32 - 1], 8: [2 ** 63, 2 ** 64 - 1] };

/** Type text of a node-sql-parser column definition: 'VARCHAR(255)', 'DECIMAL(16,4) UNSIGNED'. */
export function nspTypeText(def: any): string | undefined {
  if (!def?.dataType) return undefined;
  const len = def.length !== undefined && def.length !== null ? `(${def.length}${def.scale !== undefined && def.scale !== null ? ',' + def.scale : ''})` : '';
  const suffix = Array.isArray(def.suffix) && def.suffix.length ? ' ' + def.suffix.join(' ') : '';
  // ENUM('a','b') / SET(…): the values are the type (a value dropped from the list is data lost).
  const values = def.expr?.type === 'expr_list' && Array.isArray(def.expr.value) ? def.expr.value.map((v: any) => `'${String(v?.value ?? '').replace(/'/g, "''")}'`) : null;
  if (values) return `${def.dataType}(${values.join(',')})${suffix}`;
  return `${def.dataType}${len}${suffix}`;
}

interface Shape {
  family: string;
  /** Rank within the family (larger holds more). */
  rank: number;
  /** Length, precision or fractional-second precision; undefined = unbounded/default. */
  n?: number;
  scale?: number;
  unsigned?: boolean;
  array: number;
}

// Integer and text families by capacity. MySQL and PostgreSQL spellings map to the same ranks.
const RANKS: Record<string, [string, number]> = {
  int1: ['int', 1], tinyint: ['int', 1],
  int2: ['int', 2], smallint: ['int', 2], smallserial: ['int', 2],
  mediumint: ['int', 3],
  int4: ['int', 4], int: ['int', 4], integer: ['int', 4], serial: ['int', 4],
  int8: ['int', 8], bigint: ['int', 8], bigserial: ['int', 8],
  float4: ['float', 4], real: ['float', 4], float: ['float', 4],
  float8: ['float', 8], 'double precision': ['float', 8], double: ['float', 8],
  // Bounded character types: rank by kind, length in n. `text` and friends are unbounded.
  char: ['char', 1], character: ['char', 1], bpchar: ['char', 1], nchar: ['char', 1],
  varchar: ['char', 2], 'character varying': ['char', 2], nvarchar: ['char', 2],
  tinytext: ['char', 3], text: ['char', 5], mediumtext: ['char', 6], longtext: ['char', 7], citext: ['char', 5],
  binary: ['bin', 1], varbinary: ['bin', 2], tinyblob: ['bin', 3], blob: ['bin', 5], mediumblob: ['bin', 6], longblob: ['bin', 7], bytea: ['bin', 7],
  numeric: ['numeric', 1], decimal: ['numeric', 1],
  timestamp: ['timestamp', 1], 'timestamp without time zone': ['timestamp', 1], datetime: ['timestamp', 1],
  timestamptz: ['timestamptz', 1], 'timestamp with time zone': ['timestamptz', 1],
  time: ['time', 1], 'time without time zone': ['time', 1],
  timetz: ['timetz', 1], 'time with time zone': ['timetz', 1],
  bool: ['bool', 1], boolean: ['bool', 1],
};

/** MySQL ENUM/SET values, in order; null when the type is not one, undefined when its list is unreadable. */
function enumValues(type: string): string[] | null | undefined {
  const m = /^\s*(enum|set)\s*(\(([\s\S]*)\))?\s*$/i.exec(type);
  if (!m) return null;
  if (m[3] === undefined) return undefined;
  const out: string[] = [];
  const re = /\s*'((?:[^']|'')*)'\s*(,|$)/y;
  let x: RegExpExecArray | null;
  while (re.lastIndex < m[3].length && (x = re.exec(m[3]))) out.push(x[1].replace(/''/g, "'"));
  return re.lastIndex >= m[3].length || m[3].trim() === '' ? out : undefined;
}

/** Byte capacities of MySQL's TEXT/BLOB tiers, to compare with VARCHAR(n)/VARBINARY(n). */
const TIER_CAPACITY: Record<number, number> = { 3: 255, 5: 65535, 6: 16777215, 7: Infinity };

function shape(type: string): Shape | undefined {
  let t = type.trim().toLowerCase().replace(/^pg_catalog\./, '').replace(/"/g, '');
  let array = 0;
  while (t.endsWith('[]')) {
    array++;
    t = t.slice(0, -2).trim();
  }
  const unsigned = /\bunsigned\b/.test(t);
  t = t.replace(/\b(unsigned|signed|zerofill)\b/g, '').replace(/\s+/g, ' ').trim();
  // 'timestamp(3) without time zone' → base 'timestamp without time zone', n 3
  const args = /\(\s*([0-9]+)\s*(?:,\s*([0-9]+)\s*)?\)/.exec(t);
  const base = t.replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  if (!/^[a-z_][a-z0-9_ ]*$/.test(base)) return undefined;
  const m = [t, base, args?.[1], args?.[2]];
  const r = RANKS[base];
  if (!r) return { family: base, rank: 0, n: m[2] ? +m[2] : undefined, scale: m[3] ? +m[3] : undefined, unsigned, array };
  return { family: r[0], rank: r[1], n: m[2] ? +m[2] : undefined, scale: m[3] ? +m[3] : undefined, unsigned, array };
}

/** Capacity of a character/binary type in characters/bytes (Infinity: unbounded). */
function capacity(s: Shape): number {
  if (s.rank <= 2) return s.n ?? (s.rank === 1 ? 1 : Infinity); // char without n is char(1); varchar without n is unbounded
  return TIER_CAPACITY[s.rank] ?? Infinity;
}

/** `pg`: PostgreSQL (a time type without precision holds 6 fractional digits; elsewhere 0). */
/** The type family of a type text ('int', 'char', 'timestamp', 'timestamptz', 'date', …), if readable. */
export function typeFamily(type: string | undefined): string | undefined {
  return type ? shape(type)?.family : undefined;
}

export function compareTypes(before: string | undefined, after: string | undefined, pg = true): TypeVerdict | undefined {
  if (!before || !after) return undefined;
  const ea = enumValues(before);
  const eb = enumValues(after);
  if (ea !== null || eb !== null) {
    // Values are kept by name (MySQL converts ENUM/SET by value); one missing from the new list
    // becomes '' or an error. An unreadable list proves nothing.
    if (!ea || !eb) return 'change';
    if (/^\s*set/i.test(before) !== /^\s*set/i.test(after)) return 'change';
    if (!ea.every((v) => eb.includes(v))) return 'change';
    return ea.length === eb.length && ea.every((v, i) => eb[i] === v) ? 'same' : 'widening';
  }
  const a = shape(before);
  const b = shape(after);
  if (!a || !b) return undefined;
  if (a.array !== b.array) return 'change';
  if (a.family === b.family && a.rank === b.rank && a.n === b.n && a.scale === b.scale && a.unsigned === b.unsigned) return 'same';
  if (a.family !== b.family) {
    if (a.family === 'int' && INT_DIGITS[a.rank]) {
      const digits = INT_DIGITS[a.rank][a.unsigned ? 1 : 0];
      // Into numeric with room for every digit (unconstrained numeric: any).
      if (b.family === 'numeric') return b.n === undefined || b.n - (b.scale ?? 0) >= digits ? 'widening' : 'change';
      // Into a float whose mantissa holds every value exactly (int → double precision, smallint → real).
      if (b.family === 'float' && FLOAT_EXACT[b.rank]) return INT_MAX[a.rank][a.unsigned ? 1 : 0] <= FLOAT_EXACT[b.rank] ? 'widening' : 'change';
      // Into a character type wide enough for every value's text ('-2147483648': 11 characters).
      if (b.family === 'char' && b.rank !== 1 && capacity(b) >= digits + (a.unsigned ? 0 : 1)) return 'to-text';
    }
    // A date into a timestamp: midnight of that day.
    if (a.family === 'date' && b.family === 'timestamp') return 'widening';
    // PostgreSQL jsonb → json: jsonb's text form is valid json (json → jsonb drops duplicate keys: a change).
    if (a.family === 'jsonb' && b.family === 'json') return 'widening';
    return 'change';
  }
  switch (a.family) {
    case 'int':
      // Unsigned into signed needs one rank more; signed into unsigned loses negatives.
      if (a.unsigned && !b.unsigned) return b.rank > a.rank ? 'widening' : 'change';
      if (!a.unsigned && b.unsigned) return 'change';
      return b.rank >= a.rank ? 'widening' : 'change';
    case 'float':
      return b.rank >= a.rank ? 'widening' : 'change';
    case 'char':
    case 'bin':
      // char(n) pads with blanks: into varchar/text the trailing blanks are kept or trimmed depending
      // on the engine; only same-kind or varying-to-unbounded growth is proven lossless.
      // char(n) → varchar(m ≥ n) / text: trailing blanks are not part of a char value (PostgreSQL's
      // bpchar ignores them in comparisons and strips them on the cast, datatype-character.html; MySQL
      // strips them when it reads a CHAR, char.html): what the value was, it stays.
      return capacity(b) >= capacity(a) ? 'widening' : 'change';
    case 'numeric': {
      if (b.n === undefined) return 'widening';
      if (a.n === undefined) return 'change';
      const as = a.scale ?? 0;
      const bs = b.scale ?? 0;
      return bs >= as && b.n - bs >= a.n - as ? 'widening' : 'change';
    }
    case 'timestamp':
    case 'timestamptz':
    case 'time':
    case 'timetz':
      // Fractional-second precision: without one it is 6 in PostgreSQL, 0 in MySQL.
      return (b.n ?? (pg ? 6 : 0)) >= (a.n ?? (pg ? 6 : 0)) ? 'widening' : 'change';
  }
  return 'change';
}
