// Markdown for people (CLI --format markdown, PR comments, job summary). Everything that comes
// from the PR (paths, SQL, messages) is untrusted: escaped, no HTML, no live @mentions.
import type { Finding, Result } from '../types.js';

/** Escape text for inline Markdown / a table cell. */
export function escapeMd(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1');
}

/** Inline code that cannot be broken out of: backtick run longer than any inside. */
export function inlineCode(s: string): string {
  const t = s.replace(/[\r\n]+/g, ' ').replace(/@/g, '@\u200b');
  const longest = Math.max(0, ...[...t.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`.replace(/\|/g, '\\|');
}

/** A fenced block whose fence is longer than any backtick run inside. */
export function fence(s: string, lang = ''): string {
  const longest = Math.max(2, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${s.replace(/@/g, '@\u200b')}\n${f}`;
}

export function findingsTable(findings: Finding[]): string {
  const rows = ['| File | Line | Rule | Severity | Message |', '| --- | ---: | --- | --- | --- |'];
  for (const f of findings) {
    const flags = [f.gating ? '**gating**' : '', f.down ? 'down' : ''].filter(Boolean).join(', ');
    rows.push(`| ${inlineCode(f.path)} | ${f.line} | ${escapeMd(f.ruleId)} | ${f.severity}${flags ? ` (${flags})` : ''} | ${escapeMd(f.message)} |`);
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
  return out.join('\n');
}
