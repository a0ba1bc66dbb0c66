// The engine: (files, config) → result. Pure apart from loading the parser's WASM; it reads no
// files and never touches GitHub. The CLI and the action both call `run`.
import { Analyzer, countByCategory } from './analyze.js';
import type { Config } from './config.js';
import { extract } from './extract/index.js';
import { loadPg, parsePgUnit } from './parse/pg.js';
import { parseNspUnit } from './parse/nsp.js';
import { rules as allRules } from '../rules/index.js';
import type { Dialect, FileResult, FileScope, Result, Rule, SourceFile, Statement } from './types.js';

export interface EngineOptions {
  config?: Config;
  /** Dialect forced by the user (--dialect). */
  dialect?: Dialect;
  /** Rules to run (default: all registered rules). */
  rules?: Rule[];
}

export async function run(files: SourceFile[], opts: EngineOptions = {}): Promise<Result> {
  const config = opts.config ?? {};
  const analyzer = new Analyzer(opts.rules ?? allRules, config);
  const fileResults: FileResult[] = [];
  let pgLoaded = false;
  for (const file of files) {
    const ex = extract(file, { dialect: opts.dialect, defaultDialect: config.dialect });
    const statements: Statement[] = [];
    for (const unit of ex.units) {
      if (unit.dialect === 'postgresql') {
        if (!pgLoaded) {
          await loadPg();
          pgLoaded = true;
        }
        statements.push(...parsePgUnit(unit));
      } else statements.push(...parseNspUnit(unit));
    }
    const scope = fileScope(statements);
    for (const st of statements) st.scope = scope;
    analyzer.analyzeFile(ex, statements);
    fileResults.push({
      path: ex.path,
      kind: ex.kind,
      dialect: ex.dialect,
      statements: statements.filter((s) => !s.nested).length,
      unparsed: statements.filter((s) => !s.parsed).length,
    });
  }
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
  return { createdTables };
}
