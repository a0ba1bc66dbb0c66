// Entry point of the Python extractor: Alembic and Django migrations and other Python files
// selected as migrations (env.py). Parses with py-ast — never runs the code.
import type { Extracted } from '../types.js';
import { alembicCall, alembicIndirect, alembicWith } from './alembic.js';
import { PyAnalyzer } from './analyzer.js';
import { djangoCall, djangoPrepass, djangoReversal, djangoRunOrder } from './django.js';
import { scanExecution } from './execution.js';
import { scanAccounts } from './accounts.js';
import type { AlembicFacts } from './facts.js';
import { ormCall, sinkCall } from './sinks.js';
import { coreDdlCall } from './sqlalchemy.js';
import { normalizeTree, parsePython, PySource, type PyNode } from './source.js';

export type { PythonFacts } from './facts.js';

export function analyzePython(ex: Extracted): void {
  let parsed = parsePython(ex.text);
  let shift = 0;
  if ('error' in parsed && parsed.error.line === 1 && /^ \S/.test(ex.text)) {
    // A byte-order mark is decoded as one space (offsets are kept); Python ignores a BOM.
    const again = parsePython(ex.text.slice(1));
    if (!('error' in again)) (parsed = again), (shift = 1);
  }
  if ('error' in parsed) {
    ex.notes.push({
      ruleId: 'parse-error',
      line: parsed.error.line,
      column: parsed.error.column,
      message: /call stack/i.test(parsed.error.message)
        ? 'Python file is nested too deeply to parse: nothing in it was verified.'
        : `Python syntax error (${parsed.error.message}): the file could not be parsed, so nothing in it was verified.`,
    });
    return;
  }
  // CPython's reading: NFKC identifiers, every string escape decoded (src/python/source.ts).
  const undecodable = normalizeTree(parsed.module, new PySource(ex.text, ex.lines, shift));
  for (const n of undecodable) {
    const p = new PySource(ex.text, ex.lines, shift).pos(n);
    ex.notes.push({
      ruleId: 'parse-error',
      line: p.line,
      column: p.column,
      message: 'Python string literal with a `\\N{…}` escape this review cannot decode as CPython does (unknown character name or malformed escape): what it holds was not verified.',
    });
  }
  const units = ex.units.length;
  const notes = ex.notes.length;
  try {
    const a = new PyAnalyzer(ex, parsed.module, shift);
    djangoPrepass(a);
    a.computeRoles();
    a.walk([alembicCall, sinkCall, ormCall, coreDdlCall, djangoCall], alembicWith);
    djangoReversal(a);
    djangoRunOrder(a, units);
    if (ex.kind === 'alembic') alembicIndirect(a);
    scanExecution(a);
    scanAccounts(a);
    if (ex.kind === 'alembic') a.facts.alembic = alembicFacts(a);
    ex.facts.python = a.facts;
  } catch (e) {
    // Never a silent pass: a file the analyzer cannot follow is reported as not verified.
    ex.units.length = units;
    ex.notes.length = notes;
    ex.notes.push({ ruleId: 'parse-error', line: 1, column: 1, message: `The Python file could not be analyzed (${(e as Error).message}); nothing in it was verified.` });
  }
}

/** `revision`, `down_revision`, `branch_labels` and the shape of downgrade(). */
function alembicFacts(a: PyAnalyzer): AlembicFacts {
  const f: AlembicFacts = { revisionLine: 1, downRevisions: [], downRevisionUnknown: false, downRevisionLine: 1, branchLabels: false, downgrade: 'missing', downgradeLine: 1, upgradeEmpty: false };
  const strs = (n: PyNode | undefined): string[] | undefined => {
    if (!n) return undefined;
    if (n.nodeType === 'Constant' && n.value === null) return [];
    if (n.nodeType === 'Constant' && typeof n.value === 'string') return [n.value];
    if (n.nodeType === 'Tuple' || n.nodeType === 'List' || n.nodeType === 'Set') {
      const out: string[] = [];
      for (const e of n.elts ?? []) {
        const r = strs(e);
        if (!r) return undefined;
        out.push(...r);
      }
      return out;
    }
    const fold = a.fold(n, a.scopes.module);
    return fold.ok ? [fold.str.text] : undefined;
  };
  for (const s of a.module.body ?? []) {
    const target = s.nodeType === 'Assign' && s.targets?.length === 1 ? s.targets[0] : s.nodeType === 'AnnAssign' ? s.target : undefined;
    const name = target?.nodeType === 'Name' ? target.id : undefined;
    if (name === 'revision') {
      f.revision = strs(s.value)?.[0];
      f.revisionLine = s.lineno;
    } else if (name === 'down_revision') {
      const r = strs(s.value);
      f.downRevisions = r ?? [];
      f.downRevisionUnknown = !r;
      f.downRevisionLine = s.lineno;
    } else if (name === 'branch_labels') {
      const r = strs(s.value);
      f.branchLabels = !(r && r.length === 0);
    } else if ((s.nodeType === 'FunctionDef' || s.nodeType === 'AsyncFunctionDef') && s.name === 'downgrade') {
      f.downgradeLine = s.lineno;
      f.downgrade = isEmptyBody(s.body) ? 'empty' : 'present';
    } else if ((s.nodeType === 'FunctionDef' || s.nodeType === 'AsyncFunctionDef') && s.name === 'upgrade') {
      f.upgradeEmpty = isEmptyBody(s.body);
    }
  }
  return f;
}

/** Only `pass`, `...` and docstrings. */
function isEmptyBody(body: PyNode[] | undefined): boolean {
  return (body ?? []).every((b) => b.nodeType === 'Pass' || (b.nodeType === 'Expr' && b.value?.nodeType === 'Constant'));
}
