// The engine: (files, config) → result. Pure apart from loading the parser's WASM; it reads no
// files and never touches GitHub. The CLI and the action both call `run`.
import { Analyzer, countByCategory } from './analyze.js';
import { ConfigError, type Config } from './config.js';
import { isSelected } from './discover.js';
import { extract } from './extract/index.js';
import { isConfigPath } from './extract/kind.js';
import { loadPg, parsePgUnit } from './parse/pg.js';
import { needsReload as pgNeedsReload } from './parse/guard.js';
import { loadNsp, parseNspUnit } from './parse/nsp.js';
import { rules as allRules } from '../rules/index.js';
import type { Dialect, Extracted, FileChange, FileResult, FileScope, Result, Rule, SourceFile, Statement } from './types.js';

export interface EngineOptions {
  config?: Config;
  /** Dialect forced by the user (--dialect). */
  dialect?: Dialect;
  /** Rules to run (default: all registered rules). */
  rules?: Rule[];
  /** A pull request's file list, for the rules that check changes (the action passes it). */
  changes?: FileChange[];
  /** The policy file's path, for those rules (default `.github/migration-gate.yml`). */
  policyPath?: string;
  /**
   * Earlier migrations of the judged files' migration sets (from disk for the CLI, from the BASE
   * commit for the action), never judged themselves: the state the judged files run against.
   * Their order, with the judged files, is `historyFor(paths, planHistory([...files, ...history]))`
   * (src/history). Absent or empty: no history known (today's per-file judgement).
   */
  history?: SourceFile[];
}

/** A migration under the config's globs (config files that hold credentials are not migrations). */
export function isMigrationPath(path: string, config: Config): boolean {
  return isSelected(path, config) && !isConfigPath(path);
}

export async function run(files: SourceFile[], opts: EngineOptions = {}): Promise<Result> {
  const config = opts.config ?? {};
  const rules = opts.rules ?? allRules;
  // A typo in `rules:` would silently leave a rule on (or off): refuse it.
  const known = new Set(rules.map((r) => r.meta.id));
  const unknown = Object.keys(config.rules ?? {}).filter((id) => !known.has(id));
  if (unknown.length) throw new ConfigError(`config rules: unknown rule id(s): ${unknown.join(', ')} (see docs/rules/ for the list)`);
  const analyzer = new Analyzer(rules, config);
  const fileResults: FileResult[] = [];
  /** Every file's extract (without its SQL units), for rules that compare files (checkRun). */
  const extracted: Extracted[] = [];
  for (const file of files) {
    const ex = extract(file, { dialect: opts.dialect, defaultDialect: config.dialect });
    const statements: Statement[] = [];
    for (const unit of ex.units) {
      // libpg-query also serves as SQLite's second parser (src/parse/nsp.ts).
      const usesPg = unit.dialect === 'postgresql' || unit.dialect === 'sqlite';
      // Cheap once loaded; after a parser crash it makes a fresh instance (src/parse/guard.ts).
      if (usesPg) await loadPg();
      if (unit.dialect !== 'postgresql') await loadNsp(unit.dialect);
      const parse = () => (unit.dialect === 'postgresql' ? parsePgUnit(unit) : parseNspUnit(unit));
      let parsed = parse();
      // The parser crashed on some text: that text is now refused (a parse error); parse the unit
      // again with a fresh instance so that the statements after it are still analyzed.
      for (let retry = 0; usesPg && pgNeedsReload() && retry < 5; retry++) {
        await loadPg();
        parsed = parse();
      }
      for (const st of parsed) statements.push(st); // no push(...): a unit can hold 100k+ statements
    }
    const scope = fileScope(statements);
    for (const st of statements) st.scope = scope;
    analyzer.analyzeFile(ex, statements);
    extracted.push({ ...ex, units: [] });
    fileResults.push({
      path: ex.path,
      kind: ex.kind,
      dialect: ex.dialect,
      statements: statements.filter((s) => !s.nested).length,
      unparsed: statements.filter((s) => !s.parsed).length,
    });
  }
  analyzer.analyzeRun(extracted);
  if (opts.changes) analyzer.analyzeChanges(opts.changes, opts.policyPath ?? '.github/migration-gate.yml', (p) => isMigrationPath(p, config));
  const findings = analyzer.findings();
  return {
    version: 1,
    files: fileResults,
    findings,
    summary: {
      files: fileResults.length,
      statements: fileResults.reduce((a, f) => a + f.statements, 0),
      findings: findings.length,
      gating: findings.filter((f) => f.gating).length,
      byCategory: countByCategory(findings),
    },
  };
}

/** Tables created by the file's own statements (so "existing table" rules can tell new ones apart). */
export function fileScope(statements: Statement[]): FileScope {
  const createdTables = new Set<string>();
  const add = (schema: string | undefined, name: string | undefined) => {
    if (!name) return;
    createdTables.add(name.toLowerCase());
    if (schema) createdTables.add(`${schema}.${name}`.toLowerCase());
  };
  for (const st of statements) {
    const rel = st.pg?.CreateStmt?.relation ?? st.pg?.CreateTableAsStmt?.into?.rel;
    if (rel) add(rel.schemaname, rel.relname);
    if (st.ast?.type === 'create' && st.ast.keyword === 'table') {
      for (const t of st.ast.table ?? []) add(t.db ?? undefined, t.table);
    }
  }
  return { createdTables, statements };
}
