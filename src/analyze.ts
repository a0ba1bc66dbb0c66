// analyze: run the rules over parsed statements, unit texts and whole files; turn their reports
// into findings (positions, snippets, fingerprints, gating) with every secret redacted.
import { createHash } from 'node:crypto';
import type { Config } from './config.js';
import type { Extracted } from './extract/index.js';
import type { Category, FileChange, Finding, Report, Rule, RuleMeta, Severity, SqlUnit, Statement } from './types.js';

/** Finding before fingerprinting and redaction. */
interface Draft {
  meta: RuleMeta;
  severity: Severity;
  path: string;
  line: number;
  column: number;
  endLine: number;
  message: string;
  /** Text the snippet is taken from (its first line), unredacted and uncut until findings(). */
  snippet: string;
  down: boolean;
  norm: string;
  key: string;
}

const SNIPPET_MAX = 160;

export function snippetOf(text: string): string {
  const f = firstLine(text);
  return finishSnippet(f.line, f.more);
}

/** The first non-blank line of a text, as written (secrets are redacted from it before it is cut). */
function firstLine(text: string): { line: string; more: boolean } {
  let i = 0;
  while (i < text.length) {
    let e = text.indexOf('\n', i);
    if (e < 0) e = text.length;
    const line = text.slice(i, e);
    if (line.trim()) return { line, more: text.slice(e + 1).trim().length > 0 };
    i = e + 1;
  }
  return { line: '', more: false };
}

function finishSnippet(line: string, more: boolean): string {
  let s = line.trim().replace(/\s+/g, ' ');
  if (s.length > SNIPPET_MAX) s = s.slice(0, SNIPPET_MAX) + '…';
  else if (more) s += ' …';
  return s;
}

/** How a secret is shown: never the value, at most its first two characters and its length. */
export function maskSecret(secret: string): string {
  const head = secret.length >= 8 ? secret.slice(0, 2) : '';
  return `${head}…(${secret.length} chars)`;
}

export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  const all = [...secrets].filter(Boolean);
  // Longest first, so a secret that contains another is masked whole.
  const list = all.filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
  for (const s of list) {
    if (!out.includes(s)) continue;
    // A secret that is a plain word (`postgres`, `admin`: well-known defaults) is masked where it
    // stands as a word, not inside longer ones (`postgresql`); any other secret everywhere.
    if (/^[A-Za-z]+$/.test(s)) out = out.replace(new RegExp(`(?<![A-Za-z0-9_])${s}(?![A-Za-z0-9_])`, 'g'), maskSecret(s));
    else out = out.split(s).join(maskSecret(s));
  }
  // One- and two-character secrets only where they stand quoted (`'ab'`) or as a URL password
  // (`:ab@`): masking every `a` of a message would make it unreadable.
  for (const s of all.filter((x) => x.length < 3)) {
    const e = s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(['"\`])${e}\\1|(:)${e}(@)`, 'g'), (_m, q, c, at) => (q ? q + maskSecret(s) + q : c + maskSecret(s) + at));
  }
  // A text cut short (a snippet, a statement quoted in a message) may end with the first part of
  // a secret before `…`, or start with its last part: mask those pieces too.
  for (const s of list) {
    if (s.length < 4) continue;
    out = maskCutPieces(out, s);
  }
  return out;
}

const CUT = /…|\.\.\./g;

function maskCutPieces(text: string, s: string): string {
  // Pieces of text between cut marks; the first may start with the secret's tail, and any piece
  // followed by a cut mark or the end of the text may end with its head.
  const parts: Array<{ body: string; cut: string }> = [];
  let last = 0;
  for (const m of text.matchAll(CUT)) {
    parts.push({ body: text.slice(last, m.index), cut: m[0] });
    last = m.index! + m[0].length;
  }
  parts.push({ body: text.slice(last), cut: '' });
  return parts
    .map((p, i) => {
      let b = p.body;
      for (let k = Math.min(s.length - 1, b.length); k >= 3; k--) {
        if (b.endsWith(s.slice(0, k))) {
          b = b.slice(0, b.length - k) + maskSecret(s);
          break;
        }
      }
      if (i === 0 || parts[i - 1].cut) {
        for (let k = Math.min(s.length - 1, b.length); k >= 3; k--) {
          if (b.startsWith(s.slice(s.length - k))) {
            b = maskSecret(s) + b.slice(k);
            break;
          }
        }
      }
      return b + p.cut;
    })
    .join('');
}

export class Analyzer {
  private readonly drafts: Draft[] = [];
  readonly secrets = new Set<string>();

  /** Rule meta by id, for the notes the extract stage reports by rule id. */
  private readonly metaById: Map<string, RuleMeta>;

  constructor(
    private readonly rules: Rule[],
    private readonly config: Config,
  ) {
    this.metaById = new Map(rules.map((r) => [r.meta.id, r.meta]));
  }

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
        snippet: stmt.unit.snippet ?? stmt.text,
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
      // The snippet runs to the end of the line, not SNIPPET_MAX characters: it is redacted before
      // it is cut, so a secret is never shown in part.
      const nl = unit.text.indexOf('\n', startOff);
      const snippetText = unit.text.slice(startOff, Math.max(r.unitEnd ?? 0, nl < 0 ? unit.text.length : nl));
      this.add(meta, r, {
        path: unit.path,
        line: r.line ?? p.line,
        column: r.column ?? p.column,
        endLine: r.endLine ?? e.line,
        snippet: unit.snippet ?? snippetText,
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
        snippet: lineText,
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
    const parseMeta = this.metaById.get('parse-error');
    for (const n of ex.notes) {
      const meta = this.metaById.get(n.ruleId) ?? parseMeta;
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
        // A recovered statement without a tree (src/parse/fallback.ts, the SQLite engine) is valid
        // but read by its text: the rules' text hooks and lexical patterns run on it.
        const byText = !stmt.parsed || (stmt.recovered !== undefined && !stmt.ast && !stmt.pg);
        if (!byText && !rule.check) continue; // nothing to run: skip making its reporter
        const report = this.statementReporter(rule.meta, stmt);
        if (!byText) {
          if (rule.check) this.guard(rule.meta, report, () => rule.check!(stmt, { report }));
        } else if (stmt.parsed) {
          let specific = false;
          const hookReport = (r: Report) => ((specific = true), report(r));
          if (rule.unparsed) this.guard(rule.meta, report, () => rule.unparsed!(stmt, { report: hookReport }));
          if (!specific && rule.lexical?.some((re) => re.test(stmt.lexical))) {
            report({ message: `${rule.meta.summary} (read from the text of a valid statement our parser has no syntax tree for: ${stmt.recovered}).`, key: 'lexical' });
          }
        } else {
          // A rule whose `unparsed` hook gave a specific finding skips its generic lexical "Likely".
          let specific = false;
          const hookReport = (r: Report) => ((specific = true), report(r));
          if (rule.unparsed) this.guard(rule.meta, report, () => rule.unparsed!(stmt, { report: hookReport }));
          if (!specific && rule.lexical?.some((re) => re.test(stmt.lexical))) {
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

  /** Run the rules' checkRun hooks over all files of the run (reports name their file by `path`). */
  analyzeRun(files: Extracted[]): void {
    const byPath = new Map(files.map((f) => [f.path, f]));
    for (const rule of this.rules) {
      if (!rule.checkRun) continue;
      const report = (r: Report) => {
        const ex = (r.path !== undefined ? byPath.get(r.path) : undefined) ?? files[0];
        if (ex) this.fileReporter(rule.meta, ex)(r);
      };
      this.guard(rule.meta, report, () => rule.checkRun!(files, { report }));
    }
  }

  /** Run the rules' checkChange hooks over a pull request's file list. */
  analyzeChanges(changes: FileChange[], policyPath: string, isMigration: (path: string) => boolean): void {
    for (const rule of this.rules) {
      if (!rule.checkChange) continue;
      for (const change of changes) {
        const report = (r: Report) => {
          const line = r.line ?? 1;
          this.add(rule.meta, r, { path: r.path ?? change.filename, line, column: r.column ?? 1, endLine: r.endLine ?? line, snippet: '', down: false, norm: r.key ?? '' });
        };
        this.guard(rule.meta, report, () => rule.checkChange!(change, { report, policyPath, isMigration }));
      }
    }
  }

  /** Findings with config applied, secrets redacted, fingerprints computed, sorted. */
  findings(): Finding[] {
    const downMode = this.config.down ?? 'report';
    // `norm` is lower-cased: redact the lower-cased secrets from it too.
    const normSecrets = new Set([...this.secrets, ...[...this.secrets].map((x) => x.toLowerCase())]);
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
      // Redact the whole first line, then fold and cut it: a cut never splits a secret.
      const first = firstLine(d.snippet);
      const snippet = redact(finishSnippet(redact(first.line, this.secrets), first.more), this.secrets);
      const dedupe = `${d.meta.id}\0${d.path}\0${d.line}\0${d.column}\0${message}`;
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
      // The fingerprint hashes the statement text: with the secret in it, a weak password could be
      // recovered from the fingerprint by trying a dictionary. Hash the redacted text instead.
      const base = `${d.meta.id}\0${d.path}\0${redact(d.norm, normSecrets)}\0${redact(d.key, normSecrets)}\0${d.down}`;
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
