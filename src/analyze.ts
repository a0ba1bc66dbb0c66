// analyze: run the rules over parsed statements, unit texts and whole files; turn their reports
// into findings (positions, snippets, fingerprints, gating) with every secret redacted.
import { createHash } from 'node:crypto';
import type { Config } from './config.js';
import type { Extracted } from './extract/index.js';
import type { Category, Finding, Report, Rule, RuleMeta, Severity, SqlUnit, Statement } from './types.js';

/** Finding before fingerprinting and redaction. */
interface Draft {
  meta: RuleMeta;
  severity: Severity;
  path: string;
  line: number;
  column: number;
  endLine: number;
  message: string;
  snippet: string;
  down: boolean;
  norm: string;
  key: string;
}

const SNIPPET_MAX = 160;

export function snippetOf(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  let s = (lines[0] ?? '').replace(/\s+/g, ' ');
  if (s.length > SNIPPET_MAX) s = s.slice(0, SNIPPET_MAX) + '…';
  else if (lines.length > 1) s += ' …';
  return s;
}

/** How a secret is shown: never the value, at most its first two characters and its length. */
export function maskSecret(secret: string): string {
  const head = secret.length >= 8 ? secret.slice(0, 2) : '';
  return `${head}…(${secret.length} chars)`;
}

export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  // Longest first, so a secret that contains another is masked whole.
  const list = [...secrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
  for (const s of list) if (out.includes(s)) out = out.split(s).join(maskSecret(s));
  return out;
}

export class Analyzer {
  private readonly drafts: Draft[] = [];
  readonly secrets = new Set<string>();

  constructor(
    private readonly rules: Rule[],
    private readonly config: Config,
  ) {}

  private add(meta: RuleMeta, r: Report, where: { path: string; line: number; column: number; endLine: number; snippet: string; down: boolean; norm: string }) {
    for (const s of r.secrets ?? []) if (s) this.secrets.add(s);
    this.drafts.push({
      meta,
      severity: r.severity ?? meta.severity,
      path: where.path,
      line: where.line,
      column: where.column,
      endLine: Math.max(where.endLine, where.line),
      message: r.message,
      snippet: r.snippet ?? where.snippet,
      down: r.down ?? where.down,
      norm: where.norm,
      key: r.key ?? '',
    });
  }

  private statementReporter(meta: RuleMeta, stmt: Statement) {
    return (r: Report) => {
      const p = stmt.unit.pos(stmt.start + (r.offset ?? 0));
      const end = stmt.unit.pos(stmt.end);
      this.add(meta, r, {
        path: stmt.unit.path,
        line: r.line ?? p.line,
        column: r.column ?? p.column,
        endLine: r.endLine ?? end.line,
        snippet: snippetOf(stmt.text),
        down: stmt.unit.down,
        norm: stmt.lexical,
      });
    };
  }

  private unitReporter(meta: RuleMeta, unit: SqlUnit) {
    return (r: Report) => {
      const startOff = r.unitOffset ?? 0;
      const p = unit.pos(startOff);
      const e = unit.pos(r.unitEnd ?? startOff);
      const lineText = unit.text.slice(startOff, r.unitEnd ?? startOff + SNIPPET_MAX);
      this.add(meta, r, {
        path: unit.path,
        line: r.line ?? p.line,
        column: r.column ?? p.column,
        endLine: r.endLine ?? e.line,
        snippet: snippetOf(lineText),
        down: unit.down,
        norm: lineText.replace(/\s+/g, ' ').trim().toLowerCase(),
      });
    };
  }

  private fileReporter(meta: RuleMeta, ex: Extracted) {
    return (r: Report) => {
      const line = r.line ?? 1;
      const start = ex.lines.lineStart(line);
      const nl = ex.text.indexOf('\n', start);
      const lineText = ex.text.slice(start, nl < 0 ? ex.text.length : nl);
      this.add(meta, r, {
        path: ex.path,
        line,
        column: r.column ?? 1,
        endLine: r.endLine ?? line,
        snippet: snippetOf(lineText),
        down: false,
        norm: lineText.replace(/\s+/g, ' ').trim().toLowerCase(),
      });
    };
  }

  /** Run a rule hook; a crashing rule is a gating parse finding, never a silent pass. */
  private guard(meta: RuleMeta, fallback: (r: Report) => void, fn: () => void) {
    try {
      fn();
    } catch (e) {
      fallback({ message: `Rule ${meta.id} failed on this input (${(e as Error).message}); it could not be verified.`, severity: 'error' });
    }
  }

  analyzeFile(ex: Extracted, statements: Statement[]): void {
    const byId = new Map(this.rules.map((r) => [r.meta.id, r]));
    const parseMeta = byId.get('parse-error')?.meta;
    for (const n of ex.notes) {
      const meta = byId.get(n.ruleId)?.meta ?? parseMeta;
      if (!meta) throw new Error(`internal: no rule ${n.ruleId}`);
      this.fileReporter(meta, ex)({ ...n, message: n.message });
    }
    for (const unit of ex.units) {
      for (const rule of this.rules) {
        if (!rule.scanText) continue;
        const report = this.unitReporter(rule.meta, unit);
        this.guard(rule.meta, report, () => rule.scanText!(unit, { report }));
      }
    }
    for (const stmt of statements) {
      for (const rule of this.rules) {
        const report = this.statementReporter(rule.meta, stmt);
        if (stmt.parsed) {
          if (rule.check) this.guard(rule.meta, report, () => rule.check!(stmt, { report }));
        } else {
          if (rule.unparsed) this.guard(rule.meta, report, () => rule.unparsed!(stmt, { report }));
          if (rule.lexical?.some((re) => re.test(stmt.lexical))) {
            report({ message: `Likely: ${rule.meta.summary} (found in a statement that could not be parsed).`, key: 'lexical' });
          }
        }
      }
    }
    for (const rule of this.rules) {
      if (!rule.checkFile) continue;
      const report = this.fileReporter(rule.meta, ex);
      this.guard(rule.meta, report, () => rule.checkFile!(ex, { report }));
    }
  }

  /** Findings with config applied, secrets redacted, fingerprints computed, sorted. */
  findings(): Finding[] {
    const downMode = this.config.down ?? 'report';
    const seen = new Set<string>();
    const counts = new Map<string, number>();
    const out: Finding[] = [];
    for (const d of this.drafts) {
      const setting = this.config.rules?.[d.meta.id];
      let severity = d.severity;
      let gatingOverride: boolean | undefined;
      if (setting === 'off') continue;
      if (typeof setting === 'string') severity = setting as Severity;
      else if (setting) {
        if (setting.off) continue;
        if (setting.severity) severity = setting.severity;
        gatingOverride = setting.gating;
      }
      if (d.down && downMode === 'ignore') continue;
      let gating = gatingOverride ?? severity === 'error';
      if (d.down && downMode === 'report') gating = false;
      const message = redact(d.message, this.secrets);
      const snippet = redact(d.snippet, this.secrets);
      const dedupe = `${d.meta.id}\0${d.path}\0${d.line}\0${d.column}\0${message}`;
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
      const base = `${d.meta.id}\0${d.path}\0${d.norm}\0${d.key}\0${d.down}`;
      const n = (counts.get(base) ?? 0) + 1;
      counts.set(base, n);
      const fingerprint = createHash('sha256').update(`${base}\0${n}`).digest('hex').slice(0, 20);
      const f: Finding = {
        ruleId: d.meta.id,
        category: d.meta.category,
        severity,
        gating,
        path: d.path,
        line: d.line,
        column: d.column,
        endLine: d.endLine,
        message,
        snippet,
        fingerprint,
      };
      if (d.down) f.down = true;
      out.push(f);
    }
    const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
    out.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column || rank[a.severity] - rank[b.severity] || a.ruleId.localeCompare(b.ruleId));
    return out;
  }
}

export function countByCategory(findings: Finding[]): Partial<Record<Category, number>> {
  const r: Partial<Record<Category, number>> = {};
  for (const f of findings) r[f.category] = (r[f.category] ?? 0) + 1;
  return r;
}
