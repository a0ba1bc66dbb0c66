// The state SQL of another database's branch is judged against. A Python migration that switches
// on the database (`if bind.dialect.name == "sqlite": … else: …`) runs one branch or the other,
// never both: a statement of the SQLite branch in a PostgreSQL set is not replayed (runsOn), and is
// judged against a simulation of the statements that run with it (its own branch and the
// unconstrained ones), not against what the PostgreSQL branch did.
import type { Dialect, Statement } from '../types.js';
import { runsOn, type Existence, type SchemaState } from './index.js';
import { StaticState } from './static.js';
import type { CatalogChange, LockInfo } from '../replay/types.js';
import type { ReversalNote } from './reversal.js';

export class BranchStates implements SchemaState {
  private readonly others = new Map<string, SchemaState>();
  reversal?: (stmt: Statement) => ReversalNote[] | undefined;
  change?: (stmt: Statement) => Statement[] | undefined;

  constructor(
    private readonly main: SchemaState,
    private readonly dialect: Dialect,
    private readonly history: Statement[],
    private readonly units: Statement[][],
  ) {}

  get source(): 'replay' | 'static' {
    return this.main.source;
  }

  get complete(): boolean | undefined {
    return this.main.complete;
  }

  private pick(stmt: Statement): SchemaState {
    const b = stmt.unit.branch;
    if (!b || runsOn(stmt.unit, this.dialect)) return this.main;
    const family = b.runsOn[0];
    let s = this.others.get(family);
    if (!s) {
      const on = (st: Statement) => !st.unit.branch || st.unit.branch.runsOn.includes(family);
      s = new StaticState(this.history.filter(on), this.units.map((u) => u.filter(on)), family === 'sqlite', family !== 'postgresql');
      this.others.set(family, s);
    }
    return s;
  }

  relation(stmt: Statement, name: string): Existence {
    return this.pick(stmt).relation(stmt, name);
  }

  column(stmt: Statement, table: string, column: string): Existence {
    return this.pick(stmt).column(stmt, table, column);
  }

  columnType(stmt: Statement, table: string, column: string): string | undefined {
    return this.pick(stmt).columnType(stmt, table, column);
  }

  columns(stmt: Statement, table: string): string[] | undefined {
    return this.pick(stmt).columns(stmt, table);
  }

  effects(stmt: Statement): CatalogChange[] | undefined {
    return this.pick(stmt).effects(stmt);
  }

  locks(stmt: Statement): LockInfo[] | undefined {
    return this.pick(stmt).locks(stmt);
  }

  limit(stmt: Statement): string | undefined {
    return this.pick(stmt).limit(stmt);
  }
}
