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
}

export class Timeline {
  private readonly rels = new Map<string, Event[]>();
  private readonly cols = new Map<string, Event[]>();

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

  columnAt(seq: number, table: string, column: string, unit?: number): Event | undefined {
    const [schema, name] = splitName(table);
    return this.seen(this.last(this.cols.get(this.colKey(name, column)), seq, schema), unit);
  }
}
