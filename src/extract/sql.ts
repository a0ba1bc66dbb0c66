// SQL files: up/down sections (goose, dbmate, Liquibase --rollback, *.down.sql, Flyway U__,
// sqitch revert/), template placeholders, and COPY … FROM stdin data blocks.
import type { SqlUnit } from '../types.js';
import { blank, type Extracted } from './index.js';

/** File names that only run on rollback. */
export function isDownPath(path: string): boolean {
  const p = path.replace(/\\/g, '/');
  const name = p.split('/').pop() ?? '';
  return /\.down\.sql$/i.test(name) || /^U\d[\d._]*__/.test(name) || /(^|\/)revert\//.test(p) || /(^|[._-])down\.sql$/i.test(name);
}

interface Section {
  start: number;
  end: number;
  down: boolean;
}

const SECTION_MARK = /^[ \t]*--[ \t]*(?:\+goose[ \t]+(up|down)\b|migrate:(up|down)\b)/gim;

function sections(text: string, fileDown: boolean): Section[] {
  const marks: Array<{ at: number; down: boolean }> = [];
  for (const m of text.matchAll(SECTION_MARK)) {
    const word = (m[1] ?? m[2]).toLowerCase();
    marks.push({ at: m.index!, down: word === 'down' });
  }
  if (!marks.length) return [{ start: 0, end: text.length, down: fileDown }];
  const out: Section[] = [];
  if (marks[0].at > 0) out.push({ start: 0, end: marks[0].at, down: fileDown });
  marks.forEach((m, i) => out.push({ start: m.at, end: i + 1 < marks.length ? marks[i + 1].at : text.length, down: fileDown || m.down }));
  return out;
}

/** Go templates `{{ … }}` and Flyway/Liquibase placeholders `${…}`: replaced, same length. */
const PLACEHOLDER = /\{\{[\s\S]*?\}\}|\$\{[A-Za-z0-9_.:-]+\}/g;

export function neutralizeTemplates(text: string): { text: string; count: number; firstAt: number } {
  let count = 0;
  let firstAt = -1;
  const out = text.replace(PLACEHOLDER, (m, at: number) => {
    count++;
    if (firstAt < 0) firstAt = at;
    // Keep newlines so lines do not move; the identifier keeps the text parseable.
    return m
      .split('\n')
      .map((part, i) => (i === 0 ? ('tpl_' + 'x'.repeat(Math.max(0, part.length - 4))).slice(0, Math.max(part.length, 1)) : ' '.repeat(part.length)))
      .join('\n');
  });
  return { text: out, count, firstAt };
}

/** Blank the data rows of `COPY … FROM stdin;` up to the `\.` terminator (pg_dump style). */
function blankCopyData(text: string): string {
  const re = /\bCOPY\b[^;]*?\bFROM\s+STDIN\b[^;]*;[^\n]*\n/gi;
  let out = text;
  for (const m of text.matchAll(re)) {
    const start = m.index! + m[0].length;
    const endMark = text.indexOf('\n\\.', start - 1);
    const end = endMark < 0 ? text.length : endMark + 3;
    out = blank(out, start, end);
  }
  return out;
}

export function extractSql(ex: Extracted): void {
  const dialect = ex.dialect ?? 'postgresql';
  let text = ex.text;
  const tpl = neutralizeTemplates(text);
  if (tpl.count) {
    text = tpl.text;
    const p = ex.lines.pos(tpl.firstAt);
    ex.notes.push({
      ruleId: 'templated-sql',
      line: p.line,
      column: p.column,
      message: `Templated SQL: ${tpl.count} placeholder(s) were replaced by neutral identifiers before parsing; the rendered SQL may differ.`,
    });
  }
  if (dialect === 'postgresql' && /\bfrom\s+stdin\b/i.test(text)) text = blankCopyData(text);
  const fileDown = isDownPath(ex.path);

  if (ex.kind === 'liquibase') {
    // `--rollback <sql>` lines are the down migration; everything else (comments aside) is up.
    const rollback = /^([ \t]*--[ \t]*rollback[ \t]?)(.*)$/gim;
    let up = text;
    let down = text.replace(/[^\n]/g, ' ');
    let any = false;
    for (const m of text.matchAll(rollback)) {
      any = true;
      const bodyStart = m.index! + m[1].length;
      down = down.slice(0, bodyStart) + m[2] + down.slice(bodyStart + m[2].length);
      up = blank(up, m.index!, m.index! + m[0].length);
    }
    ex.units.push(unit(ex, up, fileDown));
    if (any) ex.units.push(unit(ex, down, true));
    return;
  }

  const secs = sections(text, fileDown);
  if (secs.length === 1) {
    ex.units.push(unit(ex, text, secs[0].down));
    return;
  }
  for (const s of secs) {
    let t = text;
    if (s.end < t.length) t = blank(t, s.end, t.length);
    if (s.start > 0) t = blank(t, 0, s.start);
    ex.units.push(unit(ex, t, s.down));
  }
  void dialect;
}

function unit(ex: Extracted, text: string, down: boolean): SqlUnit {
  return {
    path: ex.path,
    text,
    dialect: ex.dialect ?? 'postgresql',
    pos: ex.lines.pos,
    down,
    templated: text !== ex.text && /tpl_/.test(text) ? true : undefined,
  };
}
