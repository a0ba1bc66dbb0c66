// Which databases a piece of a Python migration runs on. Alembic and Django migrations switch on
// the database: `if op.get_bind().dialect.name == "sqlite":` (SQLAlchemy's Dialect.name),
// `if schema_editor.connection.vendor != "postgresql": return` (Django's BaseDatabaseWrapper.vendor),
// `is_pg = context.get_context().dialect.name == "postgresql"` then `if not is_pg:`, a helper
// `def is_postgres(): return op.get_context().dialect.name == "postgresql"`. The SQL inside such a
// branch is only ever sent to that database, so it is parsed in that database's dialect and replayed
// only into an engine of that family; every branch is still checked (the deployed database is not
// known for sure), each finding saying which branch it is in.
//
// Hand-written: no library evaluates Python conditions statically. Only conditions whose truth
// depends on nothing but the database name are read; anything else (`if some_func():`) leaves the
// code unconstrained, as before.
import type { Dialect } from '../types.js';
import { children, type FnInfo, type Scopes } from './scope.js';
import type { PyNode, PySource, Str } from './source.js';

/** What the dialect reading needs of the analyzer (src/python/analyzer.ts, which owns a DialectRegions: typed here, not imported, so the two do not import each other). */
interface PyAnalyzer {
  readonly src: PySource;
  readonly scopes: Scopes;
  readonly module: PyNode;
  qual(node: PyNode | undefined, scope: FnInfo, depth?: number): string | undefined;
  callersOf(info: FnInfo): Array<{ call: PyNode; scope: FnInfo }> | undefined;
}

/** Database families a test can tell apart (bits of a mask). `other`: any database not named here. */
export const DB = { postgresql: 1, sqlite: 2, mysql: 4, mariadb: 8, mssql: 16, oracle: 32, other: 64 } as const;
export type Db = keyof typeof DB;
export const ALL = 127;
const ORDER = Object.keys(DB) as Db[];
const DISPLAY: Record<Db, string> = { postgresql: 'PostgreSQL', sqlite: 'SQLite', mysql: 'MySQL', mariadb: 'MariaDB', mssql: 'SQL Server', oracle: 'Oracle', other: 'other databases' };

/**
 * Names the runners give a database: SQLAlchemy `Dialect.name` and URL back-end names
 * (the sqlalchemy.dialects packages), their drivers (`postgresql+psycopg2`), Django `connection.vendor`
 * (django.db.backends.<engine>.base: 'postgresql', 'sqlite', 'mysql' — also for MariaDB —, 'oracle';
 * mssql-django: 'microsoft') and ENGINE paths (`django.db.backends.postgresql`, PostGIS, SpatiaLite).
 */
const NAMES: Record<string, Db> = {
  postgresql: 'postgresql',
  postgres: 'postgresql',
  postgresql_psycopg2: 'postgresql',
  postgis: 'postgresql',
  psycopg2: 'postgresql',
  psycopg: 'postgresql',
  asyncpg: 'postgresql',
  pg8000: 'postgresql',
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  pysqlite: 'sqlite',
  aiosqlite: 'sqlite',
  spatialite: 'sqlite',
  mysql: 'mysql',
  mysqldb: 'mysql',
  pymysql: 'mysql',
  mysqlconnector: 'mysql',
  aiomysql: 'mysql',
  mariadb: 'mariadb',
  mariadbconnector: 'mariadb',
  mssql: 'mssql',
  microsoft: 'mssql',
  sql_server: 'mssql',
  pymssql: 'mssql',
  oracle: 'oracle',
  cx_oracle: 'oracle',
  oracledb: 'oracle',
};

/** The database a literal names (`"postgresql+psycopg2://…"`, `"django.db.backends.sqlite3"`), `other` for a name not known here. */
function canon(lit: string): Db {
  const s = lit.toLowerCase().trim().split(/[+:]/)[0];
  const last = s.slice(s.lastIndexOf('.') + 1);
  return NAMES[last] ?? NAMES[s] ?? 'other';
}

/**
 * Where `name == lit` (or `url.startswith(lit)`) can be true, and where it can be false. A MySQL
 * URL or dialect named `mysql` may be a MariaDB server (SQLAlchemy names a `mysql://` connection
 * to MariaDB `mysql`; Django's vendor is `mysql` for both), so `mysql` can be true on MariaDB and
 * `mariadb` can be false there.
 */
function eqMasks(lit: string): { t: number; f: number } {
  const d = canon(lit);
  if (d === 'other') return { t: DB.other, f: ALL };
  if (d === 'mysql') return { t: DB.mysql | DB.mariadb, f: ALL & ~DB.mysql };
  if (d === 'mariadb') return { t: DB.mariadb, f: ALL };
  return { t: DB[d], f: ALL & ~DB[d] };
}

export type Masks = { t: number; f: number };

/** The family a SQL dialect of ours belongs to. */
export function familyOf(d: Dialect): Db {
  if (d === 'postgresql' || d === 'redshift') return 'postgresql';
  if (d === 'transactsql') return 'mssql';
  if (d === 'sqlite' || d === 'mysql' || d === 'mariadb') return d;
  return 'other';
}

/** Family names in a mask, in a fixed order. */
export function namesOf(mask: number): Db[] {
  return ORDER.filter((d) => mask & DB[d]);
}

/** "the SQLite branch", "the MySQL/MariaDB branch", "the branch for databases other than PostgreSQL". */
export function branchLabel(mask: number): string {
  if (mask & DB.other) {
    const not = ORDER.filter((d) => d !== 'other' && !(mask & DB[d])).map((d) => DISPLAY[d]);
    return `the branch for databases other than ${not.join(' and ')}`;
  }
  return `the ${namesOf(mask).map((d) => DISPLAY[d]).join('/')} branch`;
}

/**
 * The dialects a unit of this branch is parsed in, preferred first: the file's own dialect when the
 * branch runs on it, then the dialects of the branch's databases. Empty: none we parse (Oracle…).
 */
export function dialectsFor(mask: number, fileDialect: Dialect): Dialect[] {
  const out: Dialect[] = [];
  if (mask & DB[familyOf(fileDialect)] && familyOf(fileDialect) !== 'other') out.push(fileDialect);
  const add = (d: Dialect) => !out.includes(d) && mask & DB[familyOf(d)] && out.push(d);
  for (const d of ['sqlite', 'postgresql', 'mysql'] as Dialect[]) add(d);
  // MariaDB reads MySQL's syntax (mysql is tried first when both run it). SQL Server only when
  // the branch names it: node-sql-parser's T-SQL grammar accepts text no database would, so it is
  // no fallback for "every database but PostgreSQL".
  if (!out.length || !(mask & DB.mysql)) add('mariadb');
  if (!(mask & DB.other)) add('transactsql');
  return out;
}

interface Region {
  start: number;
  end: number;
  mask: number | (() => number);
}

const MAX_DEPTH = 12;

/** The regions of a module that run only on some databases, and the tests that make them. */
export class DialectRegions {
  private regions: Region[] | undefined;
  private readonly fnMasks = new Map<FnInfo, number>();
  private readonly computing = new Set<FnInfo>();

  constructor(private readonly a: PyAnalyzer) {}

  /** The databases a unit built from these source offsets (and emitted at `at`) runs on: the databases of every region it touches. */
  maskOf(str: Str, at: number): number {
    const regions = this.all();
    if (!regions.length) return ALL;
    const offs = [...new Set([at, ...str.src])].sort((x, y) => x - y);
    let mask = ALL;
    for (const r of regions) {
      // first offset >= r.start
      let lo = 0;
      let hi = offs.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (offs[mid] < r.start) lo = mid + 1;
        else hi = mid;
      }
      if (lo < offs.length && offs[lo] < r.end) mask &= this.regionMask(r);
    }
    // Parts that never run together (a contradiction): read as unconstrained, as before.
    return mask === 0 ? ALL : mask;
  }

  private maskAt(off: number): number {
    let mask = ALL;
    for (const r of this.all()) if (off >= r.start && off < r.end) mask &= this.regionMask(r);
    return mask;
  }

  private regionMask(r: Region): number {
    return typeof r.mask === 'number' ? r.mask : r.mask();
  }

  /** A function called only from dialect branches runs on their databases. */
  private fnMask(info: FnInfo): number {
    const known = this.fnMasks.get(info);
    if (known !== undefined) return known;
    if (this.computing.has(info)) return ALL;
    this.computing.add(info);
    let mask = ALL;
    const sites = this.a.callersOf(info);
    if (sites?.length) {
      mask = 0;
      for (const s of sites) mask |= this.maskAt(this.a.src.start(s.call));
    }
    this.computing.delete(info);
    this.fnMasks.set(info, mask);
    return mask;
  }

  private all(): Region[] {
    if (this.regions) return this.regions;
    this.regions = [];
    this.visit(this.a.module, this.a.scopes.module);
    return this.regions;
  }

  private add(nodes: PyNode[] | PyNode | undefined, mask: number | (() => number)) {
    const list = Array.isArray(nodes) ? nodes : nodes ? [nodes] : [];
    if (!list.length || mask === ALL) return;
    this.regions!.push({ start: this.a.src.start(list[0]), end: this.a.src.end(list[list.length - 1]), mask });
  }

  private visit(n: PyNode, scope: FnInfo): void {
    let inner = scope;
    if (n.nodeType === 'FunctionDef' || n.nodeType === 'AsyncFunctionDef') {
      const info = this.a.scopes.info(n);
      if (info) {
        inner = info;
        this.add(n.body, () => this.fnMask(info));
      }
    } else if (n.nodeType === 'Lambda') inner = this.a.scopes.info(n) ?? scope;
    if (n.nodeType === 'If' || n.nodeType === 'IfExp') {
      const m = this.test(n.test, scope);
      if (m) {
        this.add(n.body, m.t);
        this.add(n.orelse, m.f);
      }
    }
    for (const key of ['body', 'orelse', 'finalbody']) {
      const list = n[key];
      if (Array.isArray(list) && list.length) this.guards(list, inner);
    }
    for (const c of children(n)) this.visit(c, inner);
  }

  /**
   * Early exits: after `if dialect != "postgresql": return` the rest of the block runs only on
   * PostgreSQL (the branch that leaves ends with return, raise, continue or break).
   */
  private guards(list: PyNode[], scope: FnInfo) {
    for (let i = 0; i < list.length - 1; i++) {
      const s = list[i];
      if (s.nodeType !== 'If') continue;
      const bodyLeaves = leaves(s.body ?? []);
      const elseLeaves = (s.orelse ?? []).length > 0 && leaves(s.orelse);
      if (bodyLeaves === elseLeaves) continue;
      const m = this.test(s.test, scope);
      if (m) this.add(list.slice(i + 1), bodyLeaves ? m.f : m.t);
    }
  }

  // ---- tests ---------------------------------------------------------------------------------

  /** Where a condition can be true and where it can be false; undefined when it does not depend on the database alone. */
  test(n: PyNode | undefined, scope: FnInfo): Masks | undefined {
    const m = this.masks(n, scope, 0);
    return m && (m.t !== ALL || m.f !== ALL) ? m : undefined;
  }

  private masks(n: PyNode | undefined, scope: FnInfo, depth: number): Masks | undefined {
    if (!n || depth > MAX_DEPTH) return undefined;
    const any = { t: ALL, f: ALL };
    switch (n.nodeType) {
      case 'UnaryOp': {
        if (n.op?.nodeType !== 'Not') return undefined;
        const m = this.masks(n.operand, scope, depth + 1);
        return m && { t: m.f, f: m.t };
      }
      case 'BoolOp': {
        const and = n.op?.nodeType === 'And';
        let t = and ? ALL : 0;
        let f = and ? 0 : ALL;
        for (const v of n.values ?? []) {
          // A part that does not depend on the database can be anything.
          const m = this.masks(v, scope, depth + 1) ?? any;
          if (and) (t &= m.t), (f |= m.f);
          else (t |= m.t), (f &= m.f);
        }
        return { t, f };
      }
      case 'Compare': {
        if ((n.ops ?? []).length !== 1) return undefined;
        const op = n.ops[0].nodeType;
        const left = n.left;
        const right = n.comparators[0];
        let lits: string[] | undefined;
        if (this.isName(left, scope, depth) || (op === 'In' || op === 'NotIn' ? false : this.isUrl(left, scope, depth))) lits = this.literals(right, scope);
        else if ((op === 'In' || op === 'NotIn') && (this.isName(right, scope, depth) || this.isUrl(right, scope, depth))) {
          // `"sqlite" in url`: a substring test, read like startswith
          const l = this.literals(left, scope);
          lits = l?.length === 1 ? l : undefined;
        }
        if (!lits?.length) return undefined;
        const m = union(lits);
        if (op === 'Eq' || op === 'Is' || op === 'In') return m;
        if (op === 'NotEq' || op === 'IsNot' || op === 'NotIn') return { t: m.f, f: m.t };
        return undefined;
      }
      case 'Call': {
        const f = n.func;
        if (f?.nodeType === 'Attribute' && (f.attr === 'startswith' || f.attr === 'endswith') && n.args?.length === 1 && !n.keywords?.length) {
          if (!this.isName(f.value, scope, depth) && !this.isUrl(f.value, scope, depth)) return undefined;
          const lits = this.literals(n.args[0], scope);
          return lits?.length ? union(lits) : undefined;
        }
        if (f?.nodeType === 'Name' && f.id === 'bool' && n.args?.length === 1 && !this.a.scopes.isBound('bool', scope)) return this.masks(n.args[0], scope, depth + 1);
        if (f?.nodeType === 'Name' && f.id === 'isinstance' && n.args?.length === 2 && !this.a.scopes.isBound('isinstance', scope)) {
          // isinstance(bind.dialect, postgresql.dialect) / PGDialect: a subclass (CockroachDB's
          // dialect derives from PostgreSQL's) may be another database.
          const target = this.a.qual(n.args[1], scope) ?? '';
          const m = /(?:^|\.)dialects\.(\w+)(?:\.|$)/.exec(target);
          const d = m ? canon(m[1]) : 'other';
          if (d === 'other' || !/dialect/i.test(this.a.src.segment(n.args[0]))) return undefined;
          return { t: DB[d] | DB.other, f: ALL & ~DB[d] };
        }
        const ret = this.returned(n, scope);
        return ret && this.masks(ret.node, ret.scope, depth + 1);
      }
      case 'Name': {
        const v = this.value(n, scope);
        return v && this.masks(v.node, v.scope, depth + 1);
      }
      case 'Attribute':
        // Django's MySQL backend: `connection.mysql_is_mariadb`; SQLAlchemy's: `dialect.is_mariadb`.
        if (n.attr === 'mysql_is_mariadb' || n.attr === 'is_mariadb') return { t: DB.mariadb, f: ALL & ~DB.mariadb };
        return undefined;
    }
    return undefined;
  }

  /** The single value a name is assigned (not a parameter, loop variable or import). */
  private value(n: PyNode, scope: FnInfo): { node: PyNode; scope: FnInfo } | undefined {
    if (this.a.scopes.imports.has(n.id)) return undefined;
    const v = this.a.scopes.valueOf(n.id, scope);
    if (!v || v.node.nodeType === 'Param' || v.node.nodeType === 'LoopVar' || /Def$/.test(v.node.nodeType)) return undefined;
    return v;
  }

  /** `helper()` where `def helper(): return <expr>` (a docstring aside): the returned expression. */
  private returned(call: PyNode, scope: FnInfo): { node: PyNode; scope: FnInfo } | undefined {
    if (call.func?.nodeType !== 'Name' || call.args?.length || call.keywords?.length) return undefined;
    const v = this.a.scopes.valueOf(call.func.id, scope);
    if (v?.node.nodeType !== 'FunctionDef') return undefined;
    const body = (v.node.body ?? []).filter((s: PyNode, i: number) => !(i === 0 && s.nodeType === 'Expr' && s.value?.nodeType === 'Constant'));
    const info = this.a.scopes.info(v.node);
    if (body.length !== 1 || body[0].nodeType !== 'Return' || !body[0].value || !info) return undefined;
    return { node: body[0].value, scope: info };
  }

  /** String literals: `"x"`, `("x", "y")`, or a name bound once to one. */
  private literals(n: PyNode | undefined, scope: FnInfo): string[] | undefined {
    if (!n) return undefined;
    if (n.nodeType === 'Constant') return typeof n.value === 'string' ? [n.value] : undefined;
    if (n.nodeType === 'Tuple' || n.nodeType === 'List' || n.nodeType === 'Set') {
      const out: string[] = [];
      for (const e of n.elts ?? []) {
        if (e.nodeType !== 'Constant' || typeof e.value !== 'string') return undefined;
        out.push(e.value);
      }
      return out;
    }
    if (n.nodeType === 'Name') {
      const v = this.value(n, scope);
      return v && this.literals(v.node, v.scope);
    }
    return undefined;
  }

  /**
   * An expression holding the database's name: SQLAlchemy `<bind>.dialect.name`,
   * `<engine>.name`, `url.get_backend_name()`, `url.drivername`, `dialect.driver`; Django
   * `connection.vendor`, `settings_dict["ENGINE"]`; through names bound once, `.lower()`, and
   * helpers that return one.
   */
  private isName(n: PyNode | undefined, scope: FnInfo, depth: number): boolean {
    if (!n || depth > MAX_DEPTH) return false;
    switch (n.nodeType) {
      case 'Attribute': {
        if (n.attr === 'vendor' || n.attr === 'drivername' || n.attr === 'driver') return true;
        if (n.attr !== 'name') return false;
        const b = n.value?.nodeType === 'Name' ? (this.value(n.value, scope)?.node ?? n.value) : n.value;
        if (b?.nodeType === 'Attribute') return b.attr === 'dialect' || b.attr === 'engine';
        if (b?.nodeType === 'Name') return b.id === 'dialect' || b.id === 'engine';
        if (b?.nodeType === 'Call' && b.func?.nodeType === 'Attribute') return b.func.attr === 'get_dialect';
        return false;
      }
      case 'Subscript':
        return n.slice?.nodeType === 'Constant' && n.slice.value === 'ENGINE';
      case 'Call': {
        const f = n.func;
        if (f?.nodeType === 'Attribute' && ['lower', 'casefold', 'strip'].includes(f.attr) && !n.args?.length) return this.isName(f.value, scope, depth + 1);
        if (f?.nodeType === 'Attribute' && (f.attr === 'get_backend_name' || f.attr === 'get_driver_name')) return true;
        const ret = this.returned(n, scope);
        return !!ret && this.isName(ret.node, ret.scope, depth + 1);
      }
      case 'Name': {
        const v = this.value(n, scope);
        return !!v && this.isName(v.node, v.scope, depth + 1);
      }
    }
    return false;
  }

  /** A database URL (`str(bind.url)`, `config.get_main_option("sqlalchemy.url")`, `DATABASE_URL`): read by its scheme with startswith / `in`. */
  private isUrl(n: PyNode | undefined, scope: FnInfo, depth: number): boolean {
    if (!n || depth > MAX_DEPTH) return false;
    if (n.nodeType === 'Name') {
      const v = this.value(n, scope);
      if (v && this.isUrl(v.node, v.scope, depth + 1)) return true;
    }
    if (n.nodeType === 'Call') {
      const ret = this.returned(n, scope);
      if (ret && this.isUrl(ret.node, ret.scope, depth + 1)) return true;
    }
    return /\b\w*(url|uri|dsn)\w*\b/i.test(this.a.src.segment(n));
  }
}

function union(lits: string[]): Masks {
  let t = 0;
  let f = ALL;
  for (const l of lits) {
    const m = eqMasks(l);
    t |= m.t;
    f &= m.f;
  }
  return { t, f };
}

/** A block whose end is never reached: it ends with return, raise, continue or break, or an if/else whose branches all do. */
function leaves(list: PyNode[]): boolean {
  const last = list[list.length - 1];
  if (!last) return false;
  if (['Return', 'Raise', 'Continue', 'Break'].includes(last.nodeType)) return true;
  if (last.nodeType === 'If') return (last.orelse ?? []).length > 0 && leaves(last.body ?? []) && leaves(last.orelse);
  return false;
}
