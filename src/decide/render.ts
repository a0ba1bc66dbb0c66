// The summary comment (kept under GitHub's 65,536-character limit) and the job summary (full
// report). Every piece of PR-derived text goes through src/report/markdown.ts.
import { rules as allRules } from '../../rules/index.js';
import { escapeMd, inlineCode, ruleLink, stripControls, truncate, trustedMd } from '../report/markdown.js';
import type { Finding, Result, RuleMeta } from '../types.js';
import type { CategoryDecision, Decision } from './approvals.js';
import { statusDescription } from './approvals.js';

/** Hidden marker that starts our summary comment; find it with isSummaryComment. */
export const SUMMARY_MARKER = '<!-- migration-gate:summary -->';

/**
 * True when the body is our summary comment: the marker must START the body (escaped PR text can
 * never contain `<!--`, but a check on the position costs nothing). The adapter must also check
 * that the comment's author is the token's own user/bot.
 */
export function isSummaryComment(body: string | null | undefined): boolean {
  return typeof body === 'string' && body.trimStart().startsWith(SUMMARY_MARKER);
}

/** GitHub rejects comment bodies over 65,536 characters; stay well under. */
export const COMMENT_LIMIT = 65_000;
/** GitHub's job summary limit is 1 MiB per step. */
export const JOB_SUMMARY_LIMIT = 1_000_000;

let metaById: Map<string, RuleMeta> | undefined;
export function ruleMeta(id: string): RuleMeta | undefined {
  metaById ??= new Map(allRules.map((r) => [r.meta.id, r.meta]));
  return metaById.get(id);
}

const ICON = { pass: '✅', fail: '❌', blocked: '⛔' } as const;
const TITLE = { pass: 'passed', fail: 'approvals needed', blocked: 'blocked' } as const;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const sha7 = (sha: string) => inlineCode(truncate(sha.slice(0, 7), 7), { table: false });

interface Options {
  mode: 'comment' | 'job';
  limit: number;
  measure: (s: string) => number;
  headSha?: string;
  runUrl?: string;
  notes?: string[];
  /** Report-only rollout (`mode: report`): the status stays green whatever the verdict. */
  reportOnly?: boolean;
}

const utf8 = new TextEncoder();
const bytes = (s: string) => utf8.encode(s).length;

export function renderSummary(result: Result, decision: Decision, opts: { headSha: string; runUrl?: string; notes?: string[]; reportOnly?: boolean }): string {
  return render(result, decision, { mode: 'comment', limit: COMMENT_LIMIT, measure: (s) => s.length, ...opts });
}

export function renderJobSummary(result: Result, decision: Decision, opts: { headSha?: string; runUrl?: string; notes?: string[]; reportOnly?: boolean } = {}): string {
  return render(result, decision, { mode: 'job', limit: JOB_SUMMARY_LIMIT, measure: bytes, ...opts });
}

/** A safe Markdown link to the workflow run, or '' when the URL is not a plain http(s) URL. */
function runLink(url: string | undefined): string {
  if (!url || !/^https?:\/\/[^\s]+$/i.test(url)) return '';
  const dest = url.replace(/[()<>\\`]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return `[workflow run](${dest})`;
}

function severityCell(f: Finding): string {
  const parts = [f.severity === 'error' ? '**error**' : escapeMd(f.severity)];
  if (f.gating) parts.push('needs approval');
  else if (f.suppressed) parts.push(`suppressed: ${escapeMd(truncate(f.suppressed.reason, 200))}`);
  else if (f.down) parts.push('down migration, not gating');
  return parts.join(' · ');
}

function findingRow(f: Finding, mode: Options['mode']): string {
  // The comment links each row to its rule; the job summary (up to thousands of rows) links each
  // rule once, in its Rules section, so the rows stay within the 1 MiB budget.
  const rule = `${mode === 'job' ? inlineCode(f.ruleId) : ruleLink(f.ruleId)} ${escapeMd(f.category)}`;
  const msg = escapeMd(truncate(f.message, mode === 'comment' ? 500 : 2000));
  const cells = [String(Number(f.line) || 0), severityCell(f), rule, msg];
  if (mode === 'job') cells.push(f.snippet ? inlineCode(truncate(f.snippet, 200)) : '');
  return `| ${cells.join(' | ')} |`;
}

function fileHeader(path: string, mode: Options['mode']): string {
  const cols = mode === 'job' ? '| Line | Severity | Rule | Message | Statement |\n| ---: | --- | --- | --- | --- |' : '| Line | Severity | Rule | Message |\n| ---: | --- | --- | --- |';
  return `\n${inlineCode(path, { table: false })}\n\n${cols}`;
}

const SEV_RANK = { error: 0, warning: 1, info: 2 } as const;

/** Findings by file, as many as fit in budget (gating first, then by severity). */
function findingsSection(result: Result, mode: Options['mode'], budget: number, measure: (s: string) => number): { text: string; omitted: Finding[] } {
  const prio = result.findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => Number(b.f.gating) - Number(a.f.gating) || (SEV_RANK[a.f.severity] ?? 3) - (SEV_RANK[b.f.severity] ?? 3) || a.i - b.i);
  const keep = new Set<number>();
  const files = new Set<string>();
  let used = measure('#### Findings\n');
  let stop = false;
  const omitted: Finding[] = [];
  for (const { f, i } of prio) {
    if (!stop) {
      const cost = measure(findingRow(f, mode)) + 1 + (files.has(f.path) ? 0 : measure(fileHeader(f.path, mode)) + 1);
      if (used + cost <= budget) {
        used += cost;
        keep.add(i);
        files.add(f.path);
        continue;
      }
      stop = true;
    }
    omitted.push(f);
  }
  // Grouped by file, files in order of first appearance, findings in result order within a file.
  const byFile = new Map<string, Finding[]>();
  result.findings.forEach((f, i) => {
    if (!keep.has(i)) return;
    const l = byFile.get(f.path) ?? [];
    l.push(f);
    byFile.set(f.path, l);
  });
  const out: string[] = ['#### Findings'];
  for (const [path, fs] of byFile) out.push(fileHeader(path, mode), ...fs.map((f) => findingRow(f, mode)));
  return { text: out.join('\n'), omitted };
}

function needsCell(c: CategoryDecision): string {
  if (!c.gating) return 'not gating';
  if (c.blocked) return 'blocked';
  if (!c.required) return '0 (report only)';
  const from = c.from?.length ? ` from ${c.from.map((e) => inlineCode(e)).join(', ')}` : '';
  return `${c.required}${from}`;
}

function statusCell(c: CategoryDecision): string {
  if (!c.gating) return 'ℹ️ no approval needed';
  if (c.blocked) return '⛔ blocked: approvals do not clear it';
  if (c.satisfied) return '✅ met';
  const n = c.required - c.counted.length;
  return `❌ ${plural(n, 'more approval')} needed`;
}

function approvalsSection(decision: Decision, max: number): string {
  const cats = decision.categories;
  if (!cats.length) return '';
  const out = ['#### Approvals', '', '| Category | Gating findings | Needs | Counted | Status |', '| --- | ---: | --- | --- | --- |'];
  for (const c of cats) {
    const gating = c.gating === c.findings ? String(c.gating) : `${c.gating} (of ${c.findings})`;
    const counted = c.gating ? (c.counted.length ? c.counted.map((u) => escapeMd(u)).join(', ') : 'none') : '—';
    out.push(`| ${escapeMd(c.category)} | ${gating} | ${needsCell(c)} | ${counted} | ${statusCell(c)} |`);
  }
  // Who did not count, once per reviewer and reason, with the categories it applies to.
  const why = new Map<string, { user: string; reason: string; cats: string[] }>();
  for (const c of cats)
    for (const ig of c.ignored) {
      const key = `${ig.user.toLowerCase()}\0${ig.reason}`;
      const e = why.get(key) ?? { user: ig.user, reason: ig.reason, cats: [] };
      e.cats.push(c.category);
      why.set(key, e);
    }
  if (why.size) {
    out.push('', 'Not counted:');
    const entries = [...why.values()];
    for (const e of entries.slice(0, max))
      out.push(`- ${escapeMd(truncate(e.user, 60))} (${e.cats.join(', ')}): ${escapeMd(truncate(e.reason, 300))}`);
    if (entries.length > max) out.push(`- …and ${entries.length - max} more`);
  }
  return out.join('\n');
}

function nextSteps(result: Result, decision: Decision): string {
  const out: string[] = [];
  if (decision.verdict === 'pass') {
    out.push(
      decision.categories.some((c) => c.gating && c.required)
        ? '- Nothing: every category has the approvals it needs. A new commit that touches a flagged file makes them stale.'
        : '- Nothing: no finding needs an approval.',
    );
    if (decision.errors.length) out.push('- Fix the errors above all the same: they may block a later run.');
    return ['#### What to do next', '', ...out].join('\n');
  }
  for (const c of decision.categories) {
    if (!c.gating) continue;
    if (c.blocked) {
      out.push(
        c.category === 'credential'
          ? '- **credential**: remove the secret from the migration and load it at deploy time instead (environment, secret manager); rotate it, since it stays in the git history. No number of approvals clears this.'
          : `- **${escapeMd(c.category)}**: the policy blocks these findings: remove them. No number of approvals clears this.`,
      );
    } else if (!c.satisfied) {
      const n = c.required - c.counted.length;
      const who = c.from?.length ? `listed in \`from\` (${c.from.map((e) => inlineCode(e, { table: false })).join(', ')})` : 'with write access';
      out.push(`- **${escapeMd(c.category)}**: get ${plural(n, 'more approval')} from reviewers ${who}, other than the author, on the latest commit.`);
    }
  }
  const stale = new Set<string>();
  for (const c of decision.categories)
    if (!c.satisfied && !c.blocked) for (const ig of c.ignored) if (ig.reason.startsWith('stale')) stale.add(ig.user);
  if (stale.size)
    out.push(`- Approvals given before the last change to a flagged file do not count: ask ${[...stale].slice(0, 10).map((u) => escapeMd(u)).join(', ')} to review again.`);
  if (decision.errors.length) out.push('- Fix the errors above: until then the approvals they concern do not count.');
  // How to fix, per gating rule (our own meta text: its `code` spans render as code).
  const seen = new Set<string>();
  for (const f of result.findings) {
    if (!f.gating || seen.has(f.ruleId)) continue;
    seen.add(f.ruleId);
    const m = ruleMeta(f.ruleId);
    if (m?.fix) out.push(`- ${ruleLink(f.ruleId, { table: false })}: ${trustedMd(m.fix)}`);
  }
  return ['#### What to do next', '', ...out].join('\n');
}

function callout(kind: 'CAUTION' | 'WARNING', items: string[], max: number): string {
  if (!items.length) return '';
  const lines = [`> [!${kind}]`];
  for (const it of items.slice(0, max)) lines.push(`> - ${escapeMd(truncate(it, 500))}`);
  if (items.length > max) lines.push(`> - …and ${items.length - max} more`);
  return lines.join('\n');
}

function render(result: Result, decision: Decision, o: Options): string {
  const verdict = decision.verdict;
  const s = result.summary;
  const findings = result.findings;
  const gating = findings.filter((f) => f.gating).length;
  const files = result.files.length;
  const at = o.headSha ? ` at ${sha7(o.headSha)}` : '';
  const head: string[] = [];
  if (o.mode === 'comment') head.push(SUMMARY_MARKER);
  const description = escapeMd(decision.description || statusDescription(decision));
  if (!findings.length) {
    head.push(`### ${ICON[verdict]} migration-gate: ${verdict === 'pass' ? 'no findings' : TITLE[verdict]}`, '');
    head.push(
      files
        ? `No findings in ${plural(files, 'migration file')} (${plural(s.statements, 'statement')})${at}.${o.mode === 'comment' ? ' Earlier findings, if any, are resolved.' : ''}`
        : `No migration files changed${at}.`,
    );
  } else {
    head.push(`### ${ICON[verdict]} migration-gate: ${TITLE[verdict]}`, '');
    const lead = gating
      ? `**${plural(gating, 'finding')} ${gating === 1 ? 'needs' : 'need'} approval** (${plural(findings.length, 'finding')} in all) in ${plural(files, 'migration file')}${at}: ${description}.`
      : `${plural(findings.length, 'finding')}, none gating, in ${plural(files, 'migration file')}${at}.`;
    head.push(lead);
  }
  if (o.reportOnly) {
    head.push(
      '',
      `> [!NOTE]\n> **Report-only mode** (\`mode: report\`): the commit status stays green and nothing blocks the merge. ` +
        (verdict === 'pass' ? 'In gate mode this pull request would pass as well.' : `In gate mode ${plural(gating, 'finding')} would gate: the check would be ${verdict === 'blocked' ? 'blocked' : 'red until approved'}.`),
    );
  }
  const blocks: string[] = [head.join('\n')];
  const errors = callout('CAUTION', decision.errors, o.mode === 'comment' ? 10 : 100);
  if (errors) blocks.push(errors);
  const notes = callout('WARNING', o.notes ?? [], o.mode === 'comment' ? 20 : 200);
  if (notes) blocks.push(notes);
  const tail: string[] = [];
  if (findings.length) {
    const approvals = approvalsSection(decision, o.mode === 'comment' ? 30 : 300);
    if (approvals) tail.push(approvals);
    tail.push(nextSteps(result, decision));
    if (o.mode === 'job') {
      const help = ruleHelp(findings);
      if (help) tail.push(help);
    }
  }
  const link = runLink(o.runUrl);
  const footer = `---\nmigration-gate${o.headSha ? ` · head ${sha7(o.headSha)}` : ''}${link ? ` · ${link}` : ''}`;
  tail.push(footer);

  if (!findings.length) return finish([...blocks, ...tail], o);

  // The findings table gets what the rest leaves, minus room for the truncation note.
  const sep = '\n\n';
  const fixed = o.measure([...blocks, ...tail].join(sep)) + o.measure(sep) * 2;
  const reserve = 400;
  const { text, omitted } = findingsSection(result, o.mode, Math.max(0, o.limit - fixed - reserve), o.measure);
  const parts = [...blocks, text];
  if (omitted.length) {
    const og = omitted.filter((f) => f.gating).length;
    parts.push(
      `> [!NOTE]\n> ${plural(omitted.length, 'more finding')} not shown${og ? ` (${og} of them gating)` : ''}: ` +
        (o.mode === 'comment' ? 'a comment is limited to 65,536 characters. The job summary of the workflow run has the full report.' : 'the job summary is limited to 1 MiB. The JSON report and the SARIF file have every finding.'),
    );
  }
  return finish([...parts, ...tail], o);
}

/** Join blocks; a last guard cuts at a line boundary should the estimate ever be exceeded. */
function finish(blocks: string[], o: Options): string {
  const text = blocks.filter(Boolean).join('\n\n') + '\n';
  if (o.measure(text) <= o.limit) return text;
  const note = '\n\n> [!NOTE]\n> Truncated: the report is longer than GitHub allows here.\n';
  const lines = text.split('\n');
  let out = '';
  for (const line of lines) {
    if (o.measure(out + line + '\n') + o.measure(note) > o.limit) break;
    out += line + '\n';
  }
  return out + note;
}

function ruleHelp(findings: Finding[]): string {
  const ids = [...new Set(findings.map((f) => f.ruleId))].sort();
  const lines: string[] = [];
  for (const id of ids) {
    const m = ruleMeta(id);
    if (!m) continue;
    lines.push(`- ${ruleLink(id, { table: false })} (${escapeMd(m.category)}, ${escapeMd(m.severity)}): ${trustedMd(m.summary)}. ${trustedMd(m.rationale)} **Fix:** ${trustedMd(m.fix)}`);
  }
  return lines.length ? ['#### Rules', '', ...lines].join('\n') : '';
}

/** Plain text (annotations, logs): control and bidi characters replaced, one line. */
export function plain(s: string): string {
  return stripControls(String(s)).replace(/\s+/g, ' ').trim();
}
