// Django model fields → the column they make on PostgreSQL, so CreateModel/AddField/AlterField can
// be replayed and an AlterField compared with the field's previous definition. The types are
// Django's own: `data_types` in django/db/backends/postgresql/base.py (CharField →
// varchar(%(max_length)s), DecimalField → numeric(%(max_digits)s, %(decimal_places)s),
// DateTimeField → timestamp with time zone, …); a relation's column is `<name>_id` and takes the
// target's key type (BigAutoField, Django's default since 3.2: bigint). A field we cannot type
// (a custom class) yields nothing: its column stays unknown, never guessed.
import type { PyAnalyzer } from './analyzer.js';
import type { FnInfo } from './scope.js';
import type { PyNode } from './source.js';

const FIXED: Record<string, string> = {
  AutoField: 'integer',
  BigAutoField: 'bigint',
  SmallAutoField: 'smallint',
  BinaryField: 'bytea',
  BooleanField: 'boolean',
  NullBooleanField: 'boolean',
  DateField: 'date',
  DateTimeField: 'timestamp with time zone',
  DurationField: 'interval',
  FloatField: 'double precision',
  IntegerField: 'integer',
  BigIntegerField: 'bigint',
  IPAddressField: 'inet',
  GenericIPAddressField: 'inet',
  JSONField: 'jsonb',
  PositiveBigIntegerField: 'bigint',
  PositiveIntegerField: 'integer',
  PositiveSmallIntegerField: 'smallint',
  SmallIntegerField: 'smallint',
  TextField: 'text',
  TimeField: 'time',
  UUIDField: 'uuid',
  // django.contrib.postgres
  HStoreField: 'hstore',
  CICharField: 'citext',
  CIEmailField: 'citext',
  CITextField: 'citext',
};

/** varchar fields and their default max_length (django/db/models/fields/__init__.py). */
const VARCHAR: Record<string, number | undefined> = {
  CharField: undefined,
  SlugField: 50,
  EmailField: 254,
  URLField: 200,
  FileField: 100,
  ImageField: 100,
  FilePathField: 100,
};

const RELATIONS = new Set(['ForeignKey', 'OneToOneField']);

export interface FieldColumn {
  column: string;
  type: string;
}

function intArg(a: PyAnalyzer, call: PyNode, name: string): number | undefined {
  const v = a.arg(call, -1, name);
  return v?.nodeType === 'Constant' && typeof v.value === 'number' ? v.value : undefined;
}

/** The column a field makes (`name` is the field's name), or undefined when its type is not known. */
export function fieldColumn(a: PyAnalyzer, field: PyNode | undefined, name: string, scope: FnInfo): FieldColumn | undefined {
  if (field?.nodeType !== 'Call') return undefined;
  const cls = (a.qual(field.func, scope) ?? '').split('.').pop() ?? '';
  const dbColumn = a.arg(field, -1, 'db_column');
  const explicit = dbColumn?.nodeType === 'Constant' && typeof dbColumn.value === 'string' ? dbColumn.value : undefined;
  let type: string | undefined;
  let column = name;
  if (RELATIONS.has(cls)) {
    type = 'bigint';
    column = `${name}_id`;
  } else if (cls in FIXED) type = FIXED[cls];
  else if (cls in VARCHAR) {
    const n = intArg(a, field, 'max_length') ?? VARCHAR[cls];
    type = n === undefined ? 'varchar' : `varchar(${n})`;
  } else if (cls === 'DecimalField') {
    const p = intArg(a, field, 'max_digits');
    const s = intArg(a, field, 'decimal_places');
    type = p !== undefined && s !== undefined ? `numeric(${p}, ${s})` : undefined;
  } else if (cls === 'ArrayField') {
    const base = a.arg(field, 0, 'base_field');
    const inner = fieldColumn(a, base, name, scope);
    type = inner ? `${inner.type}[]` : undefined;
  }
  if (!type) return undefined;
  return { column: explicit ?? column, type };
}
