// analyze: run the rules over parsed statements, unit texts and whole files; turn their reports
// into findings (positions, snippets, fingerprints, gating) with every secret redacted.
import { createHash } from 'node:crypto';
import type { Config } from '../config/index.js';
import type { Extracted } from '../types.js';
import { maskSecret } from './credentials.js';
export { maskSecret };
import type { Category, FileChange, Finding, Report, Rule, RuleMeta, Severity, SqlUnit, Statement } from '../types.js';

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


export function redact(text: string, secrets: Iterable<string>): string {
  return redactor(secrets)(text);
}

/**
 * `redact` with the secret lists sorted and the patterns compiled once, for many texts: findings()
 * redacts every message, snippet and fingerprint text of a file with that file's secrets.
 */
function redactor(secrets: Iterable<string>): (text: string) => string {
  const all = [...secrets].filter(Boolean);
  if (!all.length) return (text: string) => text;
  // Longest first, so a secret that contains another is masked whole.
  const list = all.filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
  // A secret that is a plain word (`postgres`, `admin`: well-known defaults) is masked where it
  // stands as a word, not inside longer ones (`postgresql`); any other secret everywhere.
  const long = list.map((s) => ({ s, mask: maskSecret(s), word: /^[A-Za-z]+$/.test(s) ? new RegExp(`(?<![A-Za-z0-9_])${s}(?![A-Za-z0-9_])`, 'g') : undefined }));
  // One- and two-character secrets only where they stand quoted (`'ab'`) or as a URL password
  // (`:ab@`): masking every `a` of a message would make it unreadable.
  const short = all
    .filter((x) => x.length < 3)
    .map((s) => {
      const e = s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return { s, mask: maskSecret(s), re: new RegExp(`(['"\`])${e}\\1|(:)${e}(@)`, 'g') };
    });
  // Which secrets can change a text, found without trying each (a file can report thousands, and
  // generated ones share heads and tails: `pw-1-Xk9q`, `pw-2-Xk9q`, …). The steps below change a text
  // only where (a) a secret occurs whole, (b) a piece of the text ends (at a cut mark, at the end, or
  // where a mask went in) with the secret's first 3+ characters, or (c) a piece starts (at the start
  // or after a cut mark) with its last 3+ characters. A secret that could match a mask's own
  // characters (`…(12 chars)`: one with `…`, `(` or `)`, or with three characters in a row found in
  // some `<length> chars`) is "risky" and tried on every text. Any other can only match text that was
  // there, so the secrets found by (a)-(c) in the original text, at the boundaries the masks of the
  // found (and the risky) ones can add, are all that can change it; the rest are skipped, and the
  // result is that of trying them all in the same order (tests/redaction-index.test.ts compares).
  const maskWindows = new Set<string>();
  for (const len of new Set(all.map((x) => x.length))) {
    const inner = `${len} chars`;
    for (let j = 0; j + 3 <= inner.length; j++) maskWindows.add(inner.slice(j, j + 3));
  }
  const risky = (x: string) => /[…()]/.test(x) || [...Array(Math.max(0, x.length - 2)).keys()].some((j) => maskWindows.has(x.slice(j, j + 3)));
  const always: number[] = [];
  /** Where a risky secret's mask can start: any position holding one of these characters. */
  const riskyFirst = new Set<string>();
  /** (a): secrets by their first 3 characters, then by length, then by text. */
  const whole = new Map<string, Map<number, Map<string, number[]>>>();
  /** (b): secrets by their first 3 characters, sorted, for "which start with x". */
  const heads = new Map<string, Array<{ s: string; i: number }>>();
  /** (c): secrets by their last 3 characters, sorted by the reversed text, for "which end with y". */
  const tails = new Map<string, Array<{ r: string; i: number }>>();
  let maxLen = 0;
  // First characters of the heads, last characters of the tails: most positions of a text are
  // ruled out by one array read, before any substring is made.
  const headStart = new Uint8Array(0x10000);
  const tailEnd = new Uint8Array(0x10000);
  // The same for the first two and the last two characters (hashed: a filter, the maps decide),
  // so that a text of common letters makes few substrings.
  const pair = (a: number, b: number) => (a * 31 + b) & 0xffff;
  const head2 = new Uint8Array(0x10000);
  /** The distinct first two characters of the secrets in `whole` (see headPairs below). */
  const pairs = new Set<string>();
  const tail2 = new Uint8Array(0x10000);
  const at = <K, V>(m: Map<K, V>, k: K, f: () => V): V => m.get(k) ?? (m.set(k, f()), m.get(k)!);
  long.forEach(({ s }, i) => {
    if (risky(s)) return void (always.push(i), riskyFirst.add(s[0]));
    maxLen = Math.max(maxLen, s.length);
    headStart[s.charCodeAt(0)] = 1;
    head2[pair(s.charCodeAt(0), s.charCodeAt(1))] = 1;
    pairs.add(s.slice(0, 2));
    at(at(at(whole, s.slice(0, 3), () => new Map()), s.length, () => new Map()), s, () => [] as number[]).push(i);
    if (s.length < 4) return; // the cut-piece steps take secrets of 4+ characters
    at(heads, s.slice(0, 3), () => [] as Array<{ s: string; i: number }>).push({ s, i });
    at(tails, s.slice(-3), () => [] as Array<{ r: string; i: number }>).push({ r: reversed(s), i });
    tailEnd[s.charCodeAt(s.length - 1)] = 1;
    tail2[pair(s.charCodeAt(s.length - 2), s.charCodeAt(s.length - 1))] = 1;
  });
  // Few distinct first two characters (the usual case: a handful of secrets, or generated ones
  // sharing a prefix): step (a) looks only where String#indexOf finds one of them; a whole occurrence
  // starts with its secret's first two characters, so it finds the same occurrences as the scan.
  const headPairs = pairs.size <= MAX_HEAD_PAIRS ? [...pairs] : undefined;
  const byText = (a: { s: string }, b: { s: string }) => (a.s < b.s ? -1 : a.s > b.s ? 1 : 0);
  for (const l of heads.values()) l.sort(byText);
  for (const l of tails.values()) l.sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0));
  /** Entries of a list sorted by `key` whose key starts with `x` and is longer than it. */
  const startingWith = <T>(list: T[], key: (t: T) => string, x: string, found: (t: T) => void) => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (key(list[mid]) < x) lo = mid + 1;
      else hi = mid;
    }
    for (let j = lo; j < list.length && key(list[j]).startsWith(x); j++) if (key(list[j]).length > x.length) found(list[j]);
  };
  const candidates = (text: string, picked: Set<number>) => {
    const ends: number[] = [text.length];
    const starts: number[] = [0];
    if (text.includes('…') || text.includes('...')) for (const m of text.matchAll(CUT)) ends.push(m.index!), starts.push(m.index! + m[0].length);
    const maskAt = (j: number, len: number) => ends.push(len >= 8 ? j + 2 : j);
    if (riskyFirst.size) for (let j = 0; j < text.length; j++) if (riskyFirst.has(text[j])) ends.push(j, j + 2);
    // (a) whole occurrences; a mask put there is a new boundary.
    const wholeAt = (j: number) => {
      const byLen = whole.get(text.substr(j, 3));
      if (byLen) {
        for (const [len, texts] of byLen) {
          const l = texts.get(text.substr(j, len));
          if (l) for (const k of l) picked.add(k), maskAt(j, len);
        }
      }
    };
    if (headPairs) {
      for (const h of headPairs) for (let j = text.indexOf(h); j >= 0 && j + 3 <= text.length; j = text.indexOf(h, j + 1)) wholeAt(j);
    } else {
      for (let j = 0; j + 3 <= text.length; j++) {
        if (headStart[text.charCodeAt(j)] && head2[pair(text.charCodeAt(j), text.charCodeAt(j + 1))]) wholeAt(j);
      }
    }
    for (const { s } of short) for (let j = text.indexOf(s); j >= 0; j = text.indexOf(s, j + 1)) ends.push(j);
    // (b) a secret's head before a boundary; its mask is a boundary too (worked through as found).
    const seen = new Set<number>();
    while (ends.length) {
      const p = ends.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      for (let q = Math.max(0, p - maxLen); q + 3 <= p; q++) {
        if (!headStart[text.charCodeAt(q)] || !head2[pair(text.charCodeAt(q), text.charCodeAt(q + 1))]) continue;
        const l = heads.get(text.substr(q, 3));
        if (l) startingWith(l, (e) => e.s, text.slice(q, p), (e) => (picked.add(e.i), maskAt(q, e.s.length)));
      }
    }
    // (c) a secret's tail at the start of a piece.
    for (const r of new Set(starts)) {
      for (let e = r + 3; e <= Math.min(text.length, r + maxLen); e++) {
        if (!tailEnd[text.charCodeAt(e - 1)] || !tail2[pair(text.charCodeAt(e - 2), text.charCodeAt(e - 1))]) continue;
        const l = tails.get(text.slice(e - 3, e));
        if (l) startingWith(l, (x) => x.r, reversed(text.slice(r, e)), (x) => picked.add(x.i));
      }
    }
  };
  // One set for every text (most pick nothing): the redactor is not re-entered while it runs.
  const picked = new Set<number>();
  const none: typeof short = [];
  return (text: string) => {
    picked.clear();
    for (const i of always) picked.add(i);
    candidates(text, picked);
    const shorts = short.length ? short.filter(({ s }) => text.includes(s)) : none;
    if (!picked.size && !shorts.length) return text;
    const order = [...picked].sort((a, b) => a - b);
    let out = text;
    for (const k of order) {
      const { s, mask, word } = long[k];
      if (!out.includes(s)) continue;
      if (word) out = out.replace(word, mask);
      else out = out.split(s).join(mask);
    }
    for (const { mask, re } of shorts) out = out.replace(re, (_m, q, c, at) => (q ? q + mask + q : c + mask + at));
    // A text cut short (a snippet, a statement quoted in a message) may end with the first part of
    // a secret before `…`, or start with its last part: mask those pieces too.
    for (const k of order) if (long[k].s.length >= 4) out = maskCutPieces(out, long[k].s);
    return out;
  };
}

const CUT = /…|\.\.\./g;
/** Above this many distinct first two characters among the secrets, step (a) scans every position. */
const MAX_HEAD_PAIRS = 16;

/** A string's UTF-16 code units in reverse order (units, not code points: the comparisons above are by units). */
function reversed(x: string): string {
  let out = '';
  for (let i = x.length - 1; i >= 0; i--) out += x[i];
  return out;
}

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
  /** Secrets reported, by the path of the finding that reported them (every finding is redacted with all of them). */
  private readonly secretsByPath = new Map<string, Set<string>>();

  /** Every secret reported in the run. */
  get secrets(): Set<string> {
    const all = new Set<string>();
    for (const set of this.secretsByPath.values()) for (const s of set) all.add(s);
    return all;
  }

  /** Rule meta by id, for the notes the extract stage reports by rule id. */
  private readonly metaById: Map<string, RuleMeta>;

  /** Dispatch table: the rules to run on a libpg-query statement of each node type (`Rule.kinds`). */
  private readonly byKind = new Map<string, Rule[]>();
  private readonly withCheck: Rule[];

  constructor(
    private readonly rules: Rule[],
    private readonly config: Config,
    /** `dispatch: false` runs every rule on every statement (tests compare the two). */
    private readonly opts: { dispatch?: boolean } = {},
  ) {
    this.metaById = new Map(rules.map((r) => [r.meta.id, r.meta]));
    this.withCheck = rules.filter((r) => r.check);
  }

  /** The rules whose `check` runs on a parsed statement, in registry order (findings keep their order). */
  private rulesFor(stmt: Statement): Rule[] {
    // Only statements libpg-query alone parsed are dispatched by node type: a statement that
    // node-sql-parser read too may be reported from its tree.
    if (this.opts.dispatch === false || !stmt.pg || stmt.ast) return this.withCheck;
    let kind: string | undefined;
    for (const k in stmt.pg) {
      kind = k;
      break;
    }
    if (kind === undefined) return this.withCheck;
    let list = this.byKind.get(kind);
    if (!list) this.byKind.set(kind, (list = this.withCheck.filter((r) => !r.kinds || r.kinds.includes(kind))));
    return list;
  }

  private add(meta: RuleMeta, r: Report, where: { path: string; line: number; column: number; endLine: number; snippet: string; down: boolean; norm: string }) {
    for (const s of r.secrets ?? []) {
      if (!s) continue;
      let set = this.secretsByPath.get(where.path);
      if (!set) this.secretsByPath.set(where.path, (set = new Set()));
      set.add(s);
    }
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
    return (r: Report) => this.reportStatement(meta, stmt, r);
  }

  private reportStatement(meta: RuleMeta, stmt: Statement, r: Report) {
    const call = stmt.nested?.kind === 'call' ? stmt.nested : undefined;
    if (call) {
      // A routine's body run by a call (src/analyze/calls.ts): what it does happens here. Its
      // credentials were reported where it was defined; calling it does not commit them again.
      if (meta.category === 'credential') return;
      const what = call.via ? `Fires ${call.via}, whose ${/^trigger:/.test(call.name ?? '') ? 'body' : `function ${call.name}()`} (defined at ${call.at}) runs` : `Calls ${call.name}() (defined at ${call.at}), which runs`;
      r = { ...r, message: `${what}: ${r.message}` };
    }
    const p = stmt.unit.pos(stmt.start + (r.offset ?? 0));
    const end = stmt.unit.pos(stmt.end);
    // The snippet starts on the finding's own line: for a finding on a later line of a
    // multi-line statement (`ALTER TABLE t DROP COLUMN a,\n ALTER COLUMN b TYPE …`), the
    // statement's first line would show the wrong clause.
    const off = Math.min(Math.max(r.offset ?? 0, 0), stmt.text.length);
    const lineStart = r.line === undefined && off > 0 ? stmt.text.lastIndexOf('\n', off - 1) + 1 : 0;
    this.add(meta, inBranch(r, stmt.unit), {
      path: stmt.unit.path,
      line: r.line ?? p.line,
      column: r.column ?? p.column,
      endLine: r.endLine ?? end.line,
      snippet: stmt.unit.snippet ?? stmt.text.slice(lineStart),
      down: stmt.unit.down,
      norm: stmt.lexical,
    });
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
      this.add(meta, inBranch(r, unit), {
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
      fallback(failed(meta, e));
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
    // One context for every (rule, parsed statement) pair of the file, aimed at the pair before the
    // rule's check runs: a closure and an object per pair were most of the analysis's garbage (a
    // 2 MB migration: ~35 rules on each of ~20,000 statements). A report made after the check
    // returned (a rule that kept `report`) is an internal error, never a finding on the wrong statement.
    let meta: RuleMeta | undefined;
    let current: Statement | undefined;
    const ctx = {
      report: (r: Report) => {
        if (!meta || !current) throw new Error('internal: a rule reported after its check returned');
        this.reportStatement(meta, current, r);
      },
    };
    for (const stmt of statements) {
      // A recovered statement without a tree (src/parse/fallback.ts, the SQLite engine) is valid
      // but read by its text: the rules' text hooks and lexical patterns run on it.
      const byText = !stmt.parsed || (stmt.recovered !== undefined && !stmt.ast && !stmt.pg);
      if (!byText) {
        for (const rule of this.rulesFor(stmt)) {
          meta = rule.meta;
          current = stmt;
          try {
            rule.check!(stmt, ctx);
          } catch (e) {
            this.reportStatement(meta, stmt, failed(meta, e));
          }
        }
        meta = current = undefined;
        continue;
      }
      for (const rule of this.rules) {
        const report = this.statementReporter(rule.meta, stmt);
        // A rule whose `unparsed` hook gave a specific finding skips its generic lexical "Likely".
        let specific = false;
        const hookReport = (r: Report) => ((specific = true), report(r));
        if (rule.unparsed) this.guard(rule.meta, report, () => rule.unparsed!(stmt, { report: hookReport }));
        if (!specific && !stmt.bodyParsed && rule.lexical?.some((re) => re.test(stmt.lexical))) {
          const message = stmt.parsed
            ? `${rule.meta.summary} (read from the text of a valid statement our parser has no syntax tree for: ${stmt.recovered}).`
            : `Likely: ${rule.meta.summary} (found in a statement that could not be parsed).`;
          report({ message, key: 'lexical' });
        }
      }
    }
    for (const rule of this.rules) {
      if (!rule.checkFile) continue;
      const report = this.fileReporter(rule.meta, ex);
      this.guard(rule.meta, report, () => rule.checkFile!(ex, { report }));
    }
  }

  /** Report a finding of rule `ruleId` at a line of a file (the engine's inline-suppression checks). */
  reportAt(ruleId: string, ex: Extracted, r: Report): void {
    const meta = this.metaById.get(ruleId);
    if (meta) this.fileReporter(meta, ex)(r);
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
    // One redactor of every secret reported in the run, for every file's findings: a secret that
    // file A reports and file B repeats in a statement no credential rule flags (concatenated,
    // commented, in a dynamic string) is masked in B's snippets too. The secret index keeps this
    // linear in the run's size (see `redactor`). `norm` is lower-cased, so its redactor also knows
    // the lower-cased forms.
    let red: { text: (t: string) => string; norm: (t: string) => string } | undefined;
    const redactorsOf = (_path: string) => {
      if (!red) {
        const secrets = this.secrets;
        red = { text: redactor(secrets), norm: redactor(new Set([...secrets, ...[...secrets].map((x) => x.toLowerCase())])) };
      }
      return red;
    };
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
      const red = redactorsOf(d.path);
      const message = red.text(d.message);
      // Redact the whole first line, then fold and cut it: a cut never splits a secret.
      const first = firstLine(d.snippet);
      const snippet = red.text(finishSnippet(red.text(first.line), first.more));
      const dedupe = `${d.meta.id}\0${d.path}\0${d.line}\0${d.column}\0${message}`;
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
      // The fingerprint hashes the statement text: with the secret in it, a weak password could be
      // recovered from the fingerprint by trying a dictionary. Hash the redacted text instead.
      const base = `${d.meta.id}\0${d.path}\0${red.norm(d.norm)}\0${red.norm(d.key)}\0${d.down}`;
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
    // Intl.Collator's compare is what String#localeCompare does without arguments (ECMA-402,
    // sup-String.prototype.localeCompare), made once instead of looked up per comparison.
    const cmp = new Intl.Collator().compare;
    const text = (x: string, y: string) => (x === y ? 0 : cmp(x, y));
    out.sort((a, b) => text(a.path, b.path) || a.line - b.line || a.column - b.column || rank[a.severity] - rank[b.severity] || text(a.ruleId, b.ruleId));
    return out;
  }
}

export function countByCategory(findings: Finding[]): Partial<Record<Category, number>> {
  const r: Partial<Record<Category, number>> = {};
  for (const f of findings) r[f.category] = (r[f.category] ?? 0) + 1;
  return r;
}

/**
 * A finding on SQL that runs only on some databases says which branch it is in ("in the SQLite
 * branch"): it is still reported, the deployed database not being known for sure.
 */
/** The finding of a rule hook that threw: a gating error, never a silent pass. */
function failed(meta: RuleMeta, e: unknown): Report {
  return { message: `Rule ${meta.id} failed on this input (${(e as Error)?.message}); it could not be verified.`, severity: 'error' };
}

function inBranch(r: Report, unit: SqlUnit): Report {
  return unit.branch ? { ...r, message: `${r.message} (${unit.branch.note})` } : r;
}
