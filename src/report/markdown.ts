// Markdown for people (CLI --format markdown, PR comments, job summary). Everything that comes
// from the PR (paths, SQL, messages, logins) is untrusted and goes through one of the helpers
// below before it reaches Markdown:
//   escapeMd   prose and table cells: every ASCII punctuation character backslash-escaped (no
//              HTML, no links, no emphasis, no entities, no table breakout), line breaks folded;
//   inlineCode a code span that cannot be closed early (fence longer than any backtick run);
//   fence      a fenced block that cannot be closed early (same rule, at least 3 backticks).
// All three also defuse what GitHub links AFTER Markdown rendering, where escaping does not help:
// `@user` / `@org/team` mentions (they notify people), `#123` / `GH-123` issue references (they
// cross-post to other issues), bare `https://` / `www.` autolinks and e-mail autolinks, by putting a
// zero-width space (U+200B) after the trigger character; and they replace control characters and
// bidirectional overrides (Trojan Source) with U+FFFD. `<!--` never survives in any form, so PR text
// cannot forge the hidden markers (src/decide: SUMMARY_MARKER, inlineMarker) that find our comments.
// Hand-written on purpose: Markdown libraries render or parse Markdown; none escapes for GitHub's
// post-processing (mentions, references, autolinks), which is the part that matters here.
import { replayLines } from '../state/summary.js';
import { ruleUrl } from './links.js';
import type { Finding, Result } from '../types.js';

const ZWSP = '\u200b';

// C0/C1 controls except tab and line breaks, bidi embeddings/overrides/isolates and marks.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Replace control characters and bidi controls by U+FFFD (tab and line breaks are kept). */
export function stripControls(s: string): string {
  return s.replace(CONTROL, '\uFFFD');
}

/**
 * Defuse what GitHub turns into mentions, references and links after rendering. Applies to code
 * too, where it only matters for `<!--` (our markers) but costs nothing elsewhere.
 */
function defuse(s: string): string {
  return (
    s
      // @user, @org/team, user@example.com (mention and e-mail autolink both need a word char after @)
      .replace(/@(?=[\p{L}\p{N}_-])/gu, `@${ZWSP}`)
      // #123, org/repo#123
      .replace(/#(?=\d)/g, `#${ZWSP}`)
      // GH-123
      .replace(/\b(gh)-(?=\d)/gi, `$1${ZWSP}-`)
      // scheme://host autolinks (http, https, ftp, anything) and www. autolinks
      .replace(/:\/\//g, `:${ZWSP}//`)
      .replace(/\b(www)\./gi, `$1${ZWSP}.`)
      // HTML comment openers: our hidden markers can never be forged
      .replace(/<!-/g, `<!${ZWSP}-`)
  );
}

/** Escape untrusted text for inline Markdown or a table cell: one line, inert. */
export function escapeMd(s: string): string {
  return defuse(stripControls(String(s)).replace(/\s+/g, ' ')).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/**
 * Our own text (rule meta: fix hints, summaries), written with `code` spans: the spans render as
 * code and the rest is escaped like any text (escaping keeps stray Markdown and @mentions inert;
 * the backticks are ours, so they are not shown literally).
 */
export function trustedMd(s: string): string {
  return String(s)
    .split(/(`[^`]+`)/)
    .map((part, i) => (i % 2 === 1 ? inlineCode(part.slice(1, -1), { table: false }) : part ? escapeMd(part) : ''))
    .join('');
}

/** The rule id as inline code linking to its documentation page. */
export function ruleLink(id: string, opts: { table?: boolean } = {}): string {
  return `[${inlineCode(id, opts)}](${ruleUrl(id)})`;
}

/** Longest run of backticks in s. */
function longestBacktickRun(s: string): number {
  let max = 0;
  for (const m of s.matchAll(/`+/g)) max = Math.max(max, m[0].length);
  return max;
}

/**
 * Inline code that cannot be broken out of: the backtick fence is longer than any run inside.
 * In a GFM table `|` must be escaped even inside code (the row is split before inline parsing;
 * GitHub renders `\|` there as `|`); outside a table pass `{ table: false }` or the backslash shows.
 */
export function inlineCode(s: string, opts: { table?: boolean } = {}): string {
  let t = defuse(stripControls(String(s)).replace(/[\r\n\u2028\u2029]+/g, ' '));
  if (t === '') t = ' ';
  const fence = '`'.repeat(longestBacktickRun(t) + 1);
  // CommonMark strips one space on each side when both are present, and a span that starts or
  // ends with a backtick needs a space to keep it apart from the fence.
  const pad = t.startsWith('`') || t.endsWith('`') || (t.startsWith(' ') && t.endsWith(' ') && t.trim() !== '') ? ' ' : '';
  const out = `${fence}${pad}${t}${pad}${fence}`;
  return opts.table === false ? out : out.replace(/\|/g, '\\|');
}

/** A fenced block whose fence is longer than any backtick run inside (at least 3). */
export function fence(s: string, lang = ''): string {
  const body = defuse(stripControls(String(s)).replace(/\r\n?/g, '\n').replace(/[\u2028\u2029]/g, '\n'));
  const f = '`'.repeat(Math.max(3, longestBacktickRun(body) + 1));
  const info = lang.replace(/[^A-Za-z0-9_+-]/g, '');
  return `${f}${info}\n${body}\n${f}`;
}

/** Shorten untrusted text to at most max characters (code points), before escaping. */
export function truncate(s: string, max: number): string {
  const cps = [...String(s)];
  if (cps.length <= max) return String(s);
  return cps.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/** One table of findings (all files): File, Line, Rule, Severity, Message. */
export function findingsTable(findings: Finding[]): string {
  const rows = ['| File | Line | Rule | Severity | Message |', '| --- | ---: | --- | --- | --- |'];
  for (const f of findings) {
    const flags = [f.gating ? '**gating**' : '', f.down ? 'down' : '', f.suppressed ? `suppressed: ${escapeMd(truncate(f.suppressed.reason, 200))}` : ''].filter(Boolean).join(', ');
    rows.push(
      `| ${inlineCode(f.path)} | ${Number(f.line) || 0} | ${ruleLink(f.ruleId)} | ${escapeMd(f.severity)}${flags ? ` (${flags})` : ''} | ${escapeMd(f.message)} |`,
    );
  }
  return rows.join('\n');
}

export function toMarkdown(result: Result): string {
  const s = result.summary;
  const out: string[] = ['## migration-gate', ''];
  out.push(
    s.gating ? `**${s.gating} gating finding(s)** out of ${s.findings}, in ${s.files} file(s).` : `No gating findings (${s.findings} finding(s) in ${s.files} file(s)).`,
    '',
  );
  if (result.findings.length) out.push(findingsTable(result.findings), '');
  // Paths in these lines come from the PR: shown as code.
  for (const l of replayLines(result.replay)) out.push(inlineCode(l), '');
  return out.join('\n');
}
