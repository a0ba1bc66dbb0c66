// Human output: grouped by file, colour on a TTY, one summary line at the end.
import { replayLines } from '../state/summary.js';
import type { Finding, Result } from '../types.js';

const C = { red: '\x1b[31m', yellow: '\x1b[33m', blue: '\x1b[34m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

/** Strip control characters from untrusted text before it reaches a terminal. */
function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, '�');
}

export function toText(result: Result, color = false): string {
  const c = (code: keyof typeof C, s: string) => (color ? C[code] + s + C.reset : s);
  const byFile = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const list = byFile.get(f.path) ?? [];
    list.push(f);
    byFile.set(f.path, list);
  }
  const lines: string[] = [];
  for (const file of result.files) {
    const list = byFile.get(file.path);
    if (!list?.length) continue;
    lines.push(c('bold', clean(file.path)) + c('dim', `  (${file.kind}, ${file.dialect ?? '-'})`));
    for (const f of list) {
      const sev = f.severity === 'error' ? c('red', 'error  ') : f.severity === 'warning' ? c('yellow', 'warning') : c('blue', 'info   ');
      const gate = f.gating ? c('bold', ' [gating]') : f.down ? c('dim', ' [down]') : '';
      lines.push(`  ${f.line}:${f.column}  ${sev}  ${clean(f.message)}  ${c('dim', `${f.category}/${f.ruleId}`)}${gate}`);
      if (f.snippet) lines.push(c('dim', `      ${clean(f.snippet)}`));
    }
    lines.push('');
  }
  const s = result.summary;
  const cats = Object.entries(s.byCategory)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const verdict = s.gating ? c('red', `✖ ${s.gating} gating finding(s)`) : c('bold', '✔ no gating findings');
  for (const l of replayLines(result.replay)) lines.push(c('dim', clean(l)));
  lines.push(`${verdict} — ${s.findings} finding(s)${cats ? ` (${cats})` : ''} in ${s.files} file(s), ${s.statements} statement(s)`);
  return lines.join('\n') + '\n';
}
