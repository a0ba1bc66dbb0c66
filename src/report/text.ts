// Human output: grouped by file, aligned columns, a code frame with a caret under the column, the
// rule's fix hint and documentation link; colour (util.styleText) only when the caller says so.
import { styleText } from 'node:util';
import { rules } from '../../rules/index.js';
import { ruleUrl } from './links.js';
import { replayLines } from '../state/summary.js';
import type { Finding, Result } from '../types.js';

export interface TextOptions {
  color?: boolean;
  /** Source text per finding path, for the code frame. Without it the snippet is shown. */
  sources?: Map<string, string>;
}

const FIX = new Map(rules.map((r) => [r.meta.id, r.meta.fix]));

/** Strip control characters from untrusted text before it reaches a terminal. */
function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, '�');
}

/**
 * The part of the finding's source line that its snippet shows, with the caret position. The
 * snippet is redacted (secrets masked) and whitespace-folded; the raw line is shown only where it
 * folds to exactly the snippet, so a masked secret never reappears and text beside the statement
 * (another statement on the same line) is not shown. Otherwise null: the snippet is shown.
 */
function codeFrame(source: string | undefined, f: Finding): { text: string; caret: number | null } | null {
  if (source === undefined || !f.snippet) return null;
  const lines = source.split('\n');
  const raw = (lines[f.line - 1] ?? '').replace(/\r$/, '');
  const want = f.snippet.replace(/ ?…$/, '');
  if (!want) return null;
  for (let start = raw.indexOf(want[0]); start >= 0; start = raw.indexOf(want[0], start + 1)) {
    let i = start;
    let j = 0;
    while (j < want.length && i < raw.length) {
      if (want[j] === ' ' && /\s/.test(raw[i])) {
        while (i < raw.length && /\s/.test(raw[i])) i++;
        j++;
      } else if (want[j] === raw[i]) {
        i++;
        j++;
      } else break;
    }
    if (j === want.length) {
      const text = raw.slice(start, i).replace(/\t/g, ' ');
      const col = f.column - 1 - start;
      return { text: text + (f.snippet.endsWith('…') ? ' …' : ''), caret: col >= 0 && col < text.length ? col : null };
    }
  }
  return null;
}

export function toText(result: Result, opts: TextOptions | boolean = {}): string {
  const o: TextOptions = typeof opts === 'boolean' ? { color: opts } : opts;
  type Style = Parameters<typeof styleText>[0];
  const c = (style: Style, s: string) => (o.color ? styleText(style, s) : s);
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
    const posW = Math.max(...list.map((f) => `${f.line}:${f.column}`.length));
    const ruleW = Math.max(...list.map((f) => f.ruleId.length));
    const indent = ' '.repeat(2 + posW + 2);
    const lineW = Math.max(...list.map((f) => String(f.line).length));
    for (const f of list) {
      const sevWord = f.severity.padEnd(7);
      const sev = f.severity === 'error' ? c('red', sevWord) : f.severity === 'warning' ? c('yellow', sevWord) : c('blue', sevWord);
      const tag = f.suppressed
        ? c('dim', `[suppressed: ${clean(f.suppressed.reason)}]`)
        : f.gating ? c('bold', `[needs approval: ${f.category}]`) : f.down ? c('dim', '[down migration: reported only]') : c('dim', '[reported only]');
      lines.push(`  ${`${f.line}:${f.column}`.padEnd(posW)}  ${sev}  ${c('cyan', f.ruleId.padEnd(ruleW))}  ${clean(f.message)}  ${tag}`);
      const frame = codeFrame(o.sources?.get(f.path), f);
      const gutter = c('dim', `${String(f.line).padStart(lineW)} │ `);
      if (frame) {
        lines.push(`${indent}${gutter}${clean(frame.text)}`);
        if (frame.caret !== null) lines.push(`${indent}${' '.repeat(lineW)}${c('dim', ' │ ')}${' '.repeat(frame.caret)}${c('red', '^')}`);
      } else if (f.snippet) lines.push(`${indent}${gutter}${clean(f.snippet)}`);
      const fix = FIX.get(f.ruleId);
      // Our own text (trusted): `code` spans are shown as code, not escaped.
      if (fix) lines.push(`${indent}${c('green', 'fix:')} ${o.color ? fix.replace(/`([^`]+)`/g, (_m, code: string) => styleText('cyan', code)) : fix}`);
      lines.push(`${indent}${c('dim', 'docs:')} ${c('underline', ruleUrl(f.ruleId))}`);
    }
    lines.push('');
  }
  const s = result.summary;
  const cats = Object.entries(s.byCategory)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const verdict = s.gating ? c('red', `✖ ${s.gating} finding(s) need approval`) : c('bold', '✔ no gating findings');
  for (const l of replayLines(result.replay)) lines.push(c('dim', clean(l)));
  lines.push(`${verdict} — ${s.findings} finding(s)${cats ? ` (${cats})` : ''} in ${s.files} file(s), ${s.statements} statement(s)`);
  return lines.join('\n') + '\n';
}
