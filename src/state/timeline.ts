// The one mechanism behind both state sources: per object name, the events that changed its
// standing, in statement order; a query asks for the last event before a statement. Built once per
// run, answered by binary search: linear in the statements, whatever the rules ask.
import type { Existence } from './index.js';

export interface Event {
  seq: number;
  /** The judged unit (a file, or a pull request's files together) whose statement made the event; -1 for history. */
  unit: number;
  /** Schema ('' when the statement did not qualify the name). */
  schema: string;
  status: Existence;
  /** Column type after this event (columns only). */
  type?: string;
}

/** `schema.name` → [schema, name]; quotes are the caller's business (names come from parse trees). */
export function splitName(name: string): [string, string] {
  const i = name.lastIndexOf('.');
  return i < 0 ? ['', name] : [name.slice(0, i), name.slice(i + 1)];
}

export interface NameRules {
  /** Identifiers compare without case (SQLite). */
  foldCase: boolean;
  /** An unqualified name may mean `public.name` (PostgreSQL with its default search_path). */
  publicDefault: boolean;
  /** Column names compare without case (MySQL, MariaDB, SQLite; PostgreSQL's parser already folds unquoted ones). */
  foldColumns?: boolean;
  /**
   * SQLite: an unqualified name means `temp.name` or else `main.name` (https://www.sqlite.org/lang_naming.html),
   * and the replay names objects `main.name`.
   */
  sqliteSchemas?: boolean;
}

export class Timeline {
  private readonly rels = new Map<string, Event[]>();
  private readonly cols = new Map<string, Event[]>();
  /** Column names seen per table key (for columnsAt). */
  private readonly colNames = new Map<string, Set<string>>();
  /** Where a table name was created, dropped or renamed (for columnsAt: older columns were another table's). */
  private readonly resets = new Map<string, Event[]>();

  constructor(private readonly rules: NameRules) {}

  private key(name: string): string {
    return this.rules.foldCase ? name.toLowerCase() : name;
  }

  private colKey(name: string, column: string): string {
    return this.key(`${name}\0${this.rules.foldColumns ? column.toLowerCase() : column}`);
  }

  private push(map: Map<string, Event[]>, k: string, e: Event) {
    const list = map.get(k);
    if (list) list.push(e);
    else map.set(k, [e]);
  }

  setRelation(seq: number, unit: number, qualified: string, status: Existence) {
    const [schema, name] = splitName(qualified);
    this.push(this.rels, this.key(name), { seq, unit, schema: this.key(schema), status });
  }

  setColumn(seq: number, unit: number, table: string, column: string, status: Existence, type?: string) {
    const [schema, name] = splitName(table);
    this.push(this.cols, this.colKey(name, column), { seq, unit, schema: this.key(schema), status, type });
    const k = this.key(name);
    if (!this.colNames.has(k)) this.colNames.set(k, new Set());
    this.colNames.get(k)!.add(column);
  }

  /** Every relation name with events, for re-basing the timeline on a snapshot. */
  relationNames(): string[] {
    const out: string[] = [];
    for (const [name, list] of this.rels) for (const e of list) out.push(e.schema ? `${e.schema}.${name}` : name);
    return [...new Set(out)];
  }

  /** Do two schema spellings name the same schema here? Temporary schemas shadow unqualified names. */
  private sameSchema(asked: string, stored: string): boolean {
    if (asked === stored) return true;
    if (asked === '' && stored.startsWith('pg_temp')) return true;
    if (this.rules.sqliteSchemas) return (asked === '' || asked === 'main') && (stored === '' || stored === 'main' || (asked === '' && stored === 'temp'));
    return this.rules.publicDefault && (asked === '' || asked === 'public') && (stored === '' || stored === 'public');
  }

  private last(list: Event[] | undefined, seq: number, schema: string): Event | undefined {
    if (!list) return undefined;
    // Events are appended in statement order: binary search for the last one before `seq`.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].seq < seq) lo = mid + 1;
      else hi = mid;
    }
    const s = this.key(schema);
    // A temporary table created later than the permanent one shadows it: the newest matching event wins.
    for (let i = lo - 1; i >= 0; i--) if (this.sameSchema(s, list[i].schema)) return list[i];
    return undefined;
  }

  /** The standing as a statement of judged unit `unit` sees it: what an earlier unit made new existed before this one. */
  private seen(e: Event | undefined, unit: number | undefined): Event | undefined {
    if (!e || unit === undefined || e.status !== 'new' || e.unit === unit) return e;
    return { ...e, status: 'preexisting' };
  }

  relationAt(seq: number, qualified: string, unit?: number): Event | undefined {
    const [schema, name] = splitName(qualified);
    return this.seen(this.last(this.rels.get(this.key(name)), seq, schema), unit);
  }

  /**
   * The columns `table` may have just before `seq`: every column with an event whose last standing
   * is not 'absent' ('unknown' counts: a column that may be there). Undefined when none is known.
   */
  columnsAt(seq: number, table: string): string[] | undefined {
    const [schema, name] = splitName(table);
    const names = this.colNames.get(this.key(name));
    if (!names) return undefined;
    const since = this.last(this.resets.get(this.key(name)), seq, schema)?.seq ?? -Infinity;
    const out = new Map<string, string>();
    for (const c of names) {
      const e = this.columnAt(seq, table, c);
      const k = this.rules.foldColumns ? c.toLowerCase() : c;
      if (e && e.seq >= since && e.status !== 'absent' && !out.has(k)) out.set(k, c);
    }
    return out.size ? [...out.values()] : undefined;
  }

  /** The name `table` stops naming the table it named at `seq` (created anew, dropped, renamed away): its columns so far are not the next one's. */
  resetColumns(seq: number, table: string) {
    const [schema, name] = splitName(table);
    this.push(this.resets, this.key(name), { seq, unit: -1, schema: this.key(schema), status: 'unknown' });
  }

  /** A table renamed at `seq`: its columns (as they stood, with their types) go with it to the new name. */
  moveColumns(seq: number, unit: number, from: string, to: string) {
    const cols = this.columnsAt(seq, from) ?? [];
    this.resetColumns(seq, to);
    for (const c of cols) {
      const e = this.columnAt(seq, from, c, unit);
      if (e) this.setColumn(seq, unit, to, c, e.status, e.type);
    }
    this.resetColumns(seq, from);
  }

  columnAt(seq: number, table: string, column: string, unit?: number): Event | undefined {
    const [schema, name] = splitName(table);
    return this.seen(this.last(this.cols.get(this.colKey(name, column)), seq, schema), unit);
  }
}
