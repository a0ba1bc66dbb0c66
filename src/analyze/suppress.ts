// Inline suppressions: `-- migration-gate-ignore <rule-id>[, <rule-id>…]: <reason>` (SQL, also in a
// `/* … */` comment) and `# migration-gate-ignore <rule-id>: <reason>` (Python) apply to the next
// statement or to the statement on the same line; `migration-gate-ignore-file <rule-id>: <reason>`
// applies to the whole file. The comments come from the pull request, so only real comments count:
// SQL comments as our SQL lexer reads them (src/parse/split.ts `regionAt`: never text inside a string
// literal or a dollar-quoted body), Python comments as py-ast's tokenizer emits them (never inside a
// string). Credential and execution findings cannot be suppressed inline (config only), nor can
// parse findings: what we could not read is never cleared by a comment in what we could not read.
import { Lexer, TokenType } from 'py-ast';
import { distance } from 'fastest-levenshtein';
import { regionAt, skipTrivia, splitStatements } from '../parse/split.js';
import { redact, type Analyzer } from './index.js';
import type { Category, Extracted, Finding } from '../types.js';

export const SUPPRESSION_RULE = 'suppression-invalid';
/** Findings of these categories are suppressed only through the config, never by a comment in the pull request. */
export const UNSUPPRESSIBLE: readonly Category[] = ['credential', 'execution', 'parse'];
/** Rules whose findings no comment can suppress: a symbolic link's comments are the target's, not its own. */
export const UNSUPPRESSIBLE_RULES: ReadonlySet<string> = new Set(['migration-symlink']);
const unsuppressible = (f: { category: Category; ruleId: string }) => UNSUPPRESSIBLE.includes(f.category) || UNSUPPRESSIBLE_RULES.has(f.ruleId);

export interface Suppression {
  path: string;
  /** Line of the comment. */
  line: number;
  column: number;
  ruleIds: string[];
  reason: string;
  /** Lines of the statement it applies to; null: the whole file. */
  range: { start: number; end: number } | null;
}

/** A suppression comment that is not honoured (no reason, no rule id, unknown rule id). */
export interface SuppressionProblem {
  path: string;
  line: number;
  column: number;
  message: string;
}

/** Suppression comments read per file: a bound on the work a hostile file can cause (more is a finding). */
export const MAX_PER_FILE = 500;

const DIRECTIVE = /^migration-gate-ignore(-file)?(?![\w-])\s*(.*)$/s;
const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function didYouMean(id: string, known: readonly string[]): string {
  let best = '';
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(id, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best && bestD <= Math.max(2, Math.floor(best.length / 3)) ? ` (did you mean '${best}'?)` : '';
}

/**
 * Read one comment's text (without its `--`, `#`, `/*` markers). Returns null when it is not a
 * directive; otherwise the suppression or the reason it is not honoured.
 */
function readDirective(body: string, known: ReadonlySet<string>): null | { file: boolean; ruleIds: string[]; reason: string } | { problem: string } {
  const m = DIRECTIVE.exec(body.trim());
  if (!m) return null;
  const file = !!m[1];
  const rest = m[2].replace(/\s+/g, ' ').trim();
  const colon = rest.indexOf(':');
  const idsText = colon < 0 ? rest : rest.slice(0, colon);
  const reason = colon < 0 ? '' : rest.slice(colon + 1).trim();
  const ids = idsText.split(',').map((s) => s.trim()).filter(Boolean);
  const what = `migration-gate-ignore${file ? '-file' : ''}`;
  if (!ids.length) return { problem: `Suppression comment names no rule: write \`${what} <rule-id>: <reason>\`. It is not honoured.` };
  const bad = ids.filter((id) => !RULE_ID.test(id));
  if (bad.length) return { problem: `Suppression comment has a malformed rule id (${bad.map((b) => `'${b.slice(0, 60)}'`).join(', ')}): write \`${what} <rule-id>[, <rule-id>]: <reason>\`. It is not honoured.` };
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) return { problem: `Suppression comment names unknown rule id${unknown.length === 1 ? '' : 's'} ${unknown.map((u) => `'${u}'${didYouMean(u, [...known])}`).join(', ')}. It is not honoured.` };
  if (!reason) return { problem: `Suppression of ${ids.join(', ')} has no reason: write \`${what} ${ids.join(', ')}: <why this is safe>\`. It is not honoured.` };
  return { file, ruleIds: ids, reason: reason.slice(0, 500) };
}

/** Every suppression comment of a file, honoured or not. Config files and unknown kinds have none. */
export function collectSuppressions(ex: Extracted, known: ReadonlySet<string>): { suppressions: Suppression[]; problems: SuppressionProblem[] } {
  const out = { suppressions: [] as Suppression[], problems: [] as SuppressionProblem[] };
  // Cheap exit: the directive's name must appear somewhere in the text.
  if (!ex.text.includes('migration-gate-ignore')) return out;
  if (ex.kind === 'sql' || ex.kind === 'prisma' || ex.kind === 'liquibase') sqlComments(ex, known, out);
  else if (ex.kind === 'alembic' || ex.kind === 'django' || ex.kind === 'python') pythonComments(ex, known, out);
  if (out.suppressions.length + out.problems.length > MAX_PER_FILE) {
    // Fail closed: none of this file's suppressions is honoured.
    return { suppressions: [], problems: [{ path: ex.path, line: 1, column: 1, message: `More than ${MAX_PER_FILE} migration-gate-ignore comments in this file: none of them is honoured. Use migration-gate-ignore-file, or the config.` }] };
  }
  return out;
}

function sqlComments(ex: Extracted, known: ReadonlySet<string>, out: { suppressions: Suppression[]; problems: SuppressionProblem[] }): void {
  const text = ex.text;
  const dialect = ex.dialect ?? 'postgresql';
  // A script that changes how strings are lexed (MySQL sql_mode NO_BACKSLASH_ESCAPES / ANSI_QUOTES,
  // PostgreSQL standard_conforming_strings) can make text inside a string look like a comment to a
  // reader that does not follow it: no suppression is honoured there (fail closed).
  if (/\bsql_mode\b|standard_conforming_strings/i.test(text)) {
    out.problems.push({ path: ex.path, line: 1, column: 1, message: 'This file changes how string literals are read (sql_mode or standard_conforming_strings): its migration-gate-ignore comments are not honoured.' });
    return;
  }
  const pieces = splitStatements(text, dialect);
  const lineOf = (o: number) => ex.lines.pos(o).line;
  // Pieces are in text order: binary searches, so that many comments in a big file stay linear-ish.
  const firstEndingAfter = (o: number) => {
    let lo = 0;
    let hi = pieces.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pieces[mid].end > o) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  for (let i = 0; i < text.length; ) {
    const r = regionAt(text, i, dialect);
    if (!r) {
      i++;
      continue;
    }
    if (r.type === 'comment') {
      const raw = text.slice(r.start, r.end);
      const body = raw.startsWith('/*') ? raw.slice(2, raw.endsWith('*/') ? -2 : undefined) : raw.replace(/^(--|#)/, '');
      const d = body.includes('migration-gate-ignore') ? readDirective(body, known) : null;
      if (d) {
        const at = ex.lines.pos(r.start);
        if ('problem' in d) out.problems.push({ path: ex.path, line: at.line, column: at.column, message: d.problem });
        else {
          let range: Suppression['range'] = null;
          if (!d.file) {
            // Code before the comment on its line: the statement on that line; else the next statement.
            const ls = text.lastIndexOf('\n', r.start - 1) + 1;
            const trailing = text.slice(ls, r.start).trim() !== '' && !/^(--|#|\/\*)/.test(text.slice(ls, r.start).trim());
            if (trailing) {
              // The last piece that starts before the comment (it ends on the comment's line, or contains it).
              const k = firstEndingAfter(r.start);
              const cand = [pieces[k], pieces[k - 1]].filter((x) => x && x.start < r.start && lineOf(x.end) >= at.line);
              const p = cand[0];
              range = p ? { start: lineOf(p.start), end: Math.max(at.line, lineOf(p.end)) } : { start: at.line, end: at.line };
            } else {
              const next = skipTrivia(text, r.end, text.length, dialect);
              const p = pieces[firstEndingAfter(next)];
              range = p ? { start: lineOf(Math.max(p.start, next)), end: lineOf(p.end) } : { start: lineOf(next), end: lineOf(next) };
            }
          }
          out.suppressions.push({ path: ex.path, line: at.line, column: at.column, ruleIds: d.ruleIds, reason: d.reason, range });
        }
      }
    }
    i = Math.max(r.end, i + 1);
  }
}

const LAYOUT = new Set<string>([TokenType.COMMENT, TokenType.NEWLINE, TokenType.INDENT, TokenType.DEDENT, TokenType.EOF]);

function pythonComments(ex: Extracted, known: ReadonlySet<string>, out: { suppressions: Suppression[]; problems: SuppressionProblem[] }): void {
  let tokens;
  try {
    tokens = new Lexer(ex.text).tokenize();
  } catch {
    return; // the file does not tokenize: it is a parse finding already, and no comment is honoured
  }
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.type !== TokenType.COMMENT || !t.value.includes('migration-gate-ignore')) continue;
    const d = readDirective(t.value.replace(/^#/, ''), known);
    if (!d) continue;
    const at = { line: t.lineno, column: t.col_offset + 1 };
    if ('problem' in d) {
      out.problems.push({ path: ex.path, ...at, message: d.problem });
      continue;
    }
    let range: Suppression['range'] = null;
    if (!d.file) {
      const prev = tokens[k - 1];
      if (prev && prev.end_lineno === t.lineno && !LAYOUT.has(prev.type)) {
        // Trailing comment: the logical line it ends (back to the previous NEWLINE).
        let s = k - 1;
        while (s > 0 && tokens[s - 1].type !== TokenType.NEWLINE && tokens[s - 1].type !== TokenType.INDENT && tokens[s - 1].type !== TokenType.DEDENT) s--;
        range = { start: tokens[s].lineno, end: t.lineno };
      } else {
        let n = k + 1;
        while (n < tokens.length && LAYOUT.has(tokens[n].type) && tokens[n].type !== TokenType.EOF) n++;
        let e = n;
        while (e < tokens.length && tokens[e].type !== TokenType.NEWLINE && tokens[e].type !== TokenType.EOF) e++;
        const start = tokens[n]?.lineno ?? t.lineno;
        range = { start, end: tokens[Math.min(e, tokens.length - 1)]?.lineno ?? start };
      }
    }
    out.suppressions.push({ path: ex.path, ...at, ruleIds: d.ruleIds, reason: d.reason, range });
  }
}

/** Does a suppression apply to a finding (same file, a named rule, the finding starts in its range)? */
export function applies(s: Suppression, f: Finding): boolean {
  if (f.path !== s.path || !s.ruleIds.includes(f.ruleId) || f.ruleId === SUPPRESSION_RULE) return false;
  return s.range === null || (f.line >= s.range.start && f.line <= s.range.end);
}

/**
 * The run's findings with inline suppressions applied: honoured ones mark their findings
 * `suppressed` (listed, not gating); a comment without a reason or with an unknown rule, an unused
 * suppression and a refused one (credential, execution) are `suppression-invalid` warnings.
 */
export function applyInlineSuppressions(analyzer: Analyzer, files: Extracted[], known: ReadonlySet<string>, enabled = true): Finding[] {
  const all: Suppression[] = [];
  const byPath = new Map(files.map((f) => [f.path, f]));
  for (const ex of files) {
    const { suppressions, problems } = collectSuppressions(ex, known);
    for (const p of problems) analyzer.reportAt(SUPPRESSION_RULE, ex, { message: p.message, line: p.line, column: p.column, key: `${p.line}:${p.message}` });
    if (enabled) all.push(...suppressions);
    else
      for (const s of suppressions)
        analyzer.reportAt(SUPPRESSION_RULE, ex, {
          message: `Suppression of ${s.ruleIds.join(', ')} not honoured: the policy turns inline suppressions off (inlineSuppressions: false); exceptions go in the policy file.`,
          line: s.line,
          column: s.column,
          key: `off:${s.line}`,
        });
  }
  if (!all.length) return analyzer.findings();
  // First pass: which suppression matches which finding; unused and refused ones become findings.
  const first = analyzer.findings();
  for (const s of all) {
    const ex = byPath.get(s.path)!;
    for (const id of s.ruleIds) {
      const hits = first.filter((f) => f.ruleId === id && applies(s, f));
      const refused = hits.filter(unsuppressible);
      const where = s.range ? (s.range.start === s.range.end ? `line ${s.range.start}` : `lines ${s.range.start}-${s.range.end}`) : 'this file';
      if (refused.length)
        analyzer.reportAt(SUPPRESSION_RULE, ex, {
          message: `Suppression of ${id} refused: ${UNSUPPRESSIBLE_RULES.has(id) ? id : refused[0].category} findings cannot be suppressed by a comment in the migration (turn the rule off for this path in the config, reviewed on the base branch). The finding still counts.`,
          line: s.line,
          column: s.column,
          key: `refused:${id}`,
        });
      else if (!hits.length)
        analyzer.reportAt(SUPPRESSION_RULE, ex, {
          message: `Unused suppression of ${id}: no ${id} finding on ${where}. Remove the comment, or move it above the statement it is meant for.`,
          line: s.line,
          column: s.column,
          key: `unused:${id}`,
        });
    }
  }
  // Second pass: the final list (with those warnings), suppressed findings marked.
  const out = analyzer.findings();
  for (const f of out) {
    if (unsuppressible(f)) continue;
    const s = all.find((x) => applies(x, f));
    if (!s) continue;
    // The reason is PR text on a line of the file: redacted like every message of it.
    f.suppressed = { reason: redact(s.reason, analyzer.secrets), line: s.line };
    f.gating = false;
  }
  return out;
}
