// What the Python extractor learns about a file (`Extracted.facts.python`), read by the Python
// rules (python-execution, python-dynamic-sql, django-run-python, alembic-*).
import type { Severity } from '../types.js';

export interface PyHit {
  line: number;
  column: number;
  endLine: number;
  message: string;
  severity?: Severity;
  /** Only runs on downgrade / reverse. */
  down?: boolean;
  /** Separates fingerprints of several hits on one line. */
  key?: string;
  /** Secret values (a hardcoded password) the hit is about: redacted in every output. */
  secrets?: string[];
}

export interface AlembicFacts {
  revision?: string;
  revisionLine: number;
  /** Parent revisions (empty: a base revision, `down_revision = None`). */
  downRevisions: string[];
  /** `down_revision` is not a literal (computed, imported): parents unknown. */
  downRevisionUnknown: boolean;
  downRevisionLine: number;
  /** `branch_labels` set to something other than None. */
  branchLabels: boolean;
  downgrade: 'missing' | 'empty' | 'present';
  /** upgrade() does nothing either (a merge or placeholder revision: nothing to undo). */
  upgradeEmpty: boolean;
  downgradeLine: number;
}

export interface PythonStats {
  /** Alembic op calls by operation name (batch_op calls included). */
  ops: Record<string, number>;
  /** Django migration operations by name. */
  djangoOps: Record<string, number>;
  /** SQL strings recovered from op.execute / conn.execute / RunSQL / … */
  sqlStrings: number;
  /** SQLAlchemy Core / ORM expressions turned into SQL (update(), delete(), query().delete(), …). */
  coreExpressions: number;
  dynamic: number;
  execution: number;
  upUnits: number;
  downUnits: number;
}

export interface PythonFacts {
  framework: 'alembic' | 'django' | 'python';
  execution: PyHit[];
  dynamic: PyHit[];
  runPython: PyHit[];
  /** Administrator accounts created or promoted (create_superuser, is_superuser=True, …). */
  accounts: PyHit[];
  alembic?: AlembicFacts;
  stats: PythonStats;
}

export function pythonFacts(facts: Record<string, unknown>): PythonFacts | undefined {
  return facts.python as PythonFacts | undefined;
}
