// SQL files: up/down sections (goose, dbmate, Liquibase --rollback, *.down.sql, Flyway U__,
// sqitch revert/), template placeholders, and COPY … FROM stdin data blocks.
import type { SqlUnit } from '../types.js';
import { codeView, regionAt } from '../parse/split.js';
import { blank, type Extracted } from './index.js';

/**
 * File names that only run on rollback: golang-migrate / ory-pop `*.down.sql`, Diesel `down.sql`,
 * Flyway undo `U<version>__*.sql`, sqitch `revert/`. Kept narrow on purpose: a file wrongly taken
 * for a down migration gets non-gating findings, one wrongly taken for an up migration only
 * gets a stricter review.
 */
export function isDownPath(path: string): boolean {
  const p = path.replace(/\\/g, '/');
  // Supabase applies every `supabase/migrations/<digits>_<name>.sql` as an up migration, a name
  // ending in `.down.sql` included (supabase/cli pkg/migration/file.go: migrateFilePattern
  // `^([0-9]+)_(.*)\.sql$`; list.go reads every matching file of the folder in order).
  if (/(^|\/)supabase\/migrations\/\d+_[^/]*\.sql$/i.test(p)) return false;
  const name = p.split('/').pop() ?? '';
  return /\.down\.sql$/i.test(name) || /^down\.sql$/i.test(name) || /^U\d[\d._]*__/.test(name) || /(^|\/)revert\//.test(p);
}

interface Section {
  start: number;
  end: number;
  down: boolean;
}

/**
 * Up/down section markers, read line by line exactly as the tools read them (they do not look at
 * strings or comments either): goose `-- +goose Up|Down` (case-insensitive, at column 1, one
 * blank after `--`), dbmate `-- migrate:up|down` (case-sensitive, at column 1). A marker the tool
 * would not take is not taken here either, so no up SQL is mistaken for a down section.
 */
const SECTION_MARK = /^(?:--[ \t]\+goose[ \t]+(up|down)[ \t]*\r?$|--[ \t]*migrate:(up|down)(?=[ \t]|\r?$))/gim;
const DBMATE_CASE = /^--[ \t]*migrate:(up|down)/;

function sections(text: string, fileDown: boolean): Section[] {
  const marks: Array<{ at: number; down: boolean }> = [];
  for (const m of text.matchAll(SECTION_MARK)) {
    if (m[2] !== undefined && !DBMATE_CASE.test(m[0])) continue; // dbmate markers are case-sensitive
    const word = (m[1] ?? m[2]).toLowerCase();
    marks.push({ at: m.index!, down: word === 'down' });
  }
  if (!marks.length) return [{ start: 0, end: text.length, down: fileDown }];
  const out: Section[] = [];
  if (marks[0].at > 0) out.push({ start: 0, end: marks[0].at, down: fileDown });
  marks.forEach((m, i) => out.push({ start: m.at, end: i + 1 < marks.length ? marks[i + 1].at : text.length, down: fileDown || m.down }));
  return out;
}

/**
 * Go templates `{{ … }}` (an action starts with `.`, `$`, a name, `(`, `/*` or `-`; PostgreSQL
 * array literals like `'{{1,2},{3,4}}'` do not) and Flyway/Liquibase/goose-envsub placeholders
 * `${…}`: replaced, same length.
 */
const PLACEHOLDER = /\{\{-?\s*(?=[.$A-Za-z_(]|\/\*|\}\})[\s\S]*?\}\}|\$\{[A-Za-z0-9_.:-]+\}/g;

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
  // Matched on the code view: a `COPY … FROM stdin;` inside a comment or a string must not blank
  // the SQL after it. The view is recomputed after each data block (data rows are not SQL).
  for (let from = 0; ; ) {
    re.lastIndex = from;
    const m = re.exec(codeView(out, 'postgresql'));
    if (!m) return out;
    const start = m.index + m[0].length;
    const endMark = out.indexOf('\n\\.', start - 1);
    const end = endMark < 0 ? out.length : endMark + 3;
    out = blank(out, start, end);
    from = end;
  }
}

export function extractSql(ex: Extracted): void {
  const dialect = ex.dialect ?? 'postgresql';
  let text = ex.text;
  const tpl = neutralizeTemplates(text);
  const templated = tpl.count > 0;
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
    const { up, down, preconditions } = liquibaseUnits(text);
    ex.units.push(unit(ex, up, fileDown, templated));
    for (const pre of preconditions) ex.units.push({ ...unit(ex, pre, fileDown, templated), origin: 'liquibase precondition' });
    if (down !== null) ex.units.push(unit(ex, down, true, templated));
    return;
  }

  // Drizzle: the migrator splits the file on the text `--> statement-breakpoint` wherever it is, in a
  // comment or a string too (drizzle-orm src/migrator.ts, readMigrationFiles:
  // `query.split('--> statement-breakpoint')`), and runs each part as its own query.
  const chunks = drizzleChunks(text);
  if (chunks) {
    for (const [s, e] of chunks) ex.units.push(unit(ex, blankOutside(text, s, e), fileDown, templated));
    return;
  }
  const secs = sections(text, fileDown);
  if (secs.length === 1) {
    ex.units.push(unit(ex, text, secs[0].down, templated));
    return;
  }
  // One unit per direction (not per section): a file with many sections stays linear in size.
  for (const down of [false, true]) {
    const keep = secs.filter((s) => s.down === down);
    if (keep.length) ex.units.push(unit(ex, keepOnly(text, keep), down, templated));
  }
}

/**
 * The text with everything outside the (ordered) sections blanked, newlines kept, in one pass.
 * Each blanked gap starts with `;` (it replaces the first character of a marker comment), so a
 * statement left without its `;` at the end of one section never runs into the next kept one.
 */
function keepOnly(text: string, keep: Section[]): string {
  const gap = (a: number, b: number) => {
    const g = text.slice(a, b).replace(/[^\n]/g, ' ');
    return g.length && text[a] !== '\n' ? ';' + g.slice(1) : g;
  };
  let out = '';
  let at = 0;
  for (const s of keep) {
    out += gap(at, s.start) + text.slice(s.start, s.end);
    at = s.end;
  }
  return out + gap(at, text.length);
}

const ROLLBACK_LINE = /^([ \t]*--[ \t]*rollback\b[ \t]?)(.*)$/gim;
const ROLLBACK_BLOCK = /^[ \t]*\/\*[ \t]*liquibase[ \t]+rollback\b[^\n]*\n([\s\S]*?)\*\//gim;
const CHANGESET_LINE = /^[ \t]*--[ \t]*changeset\b.*$/gim;
/** `--precondition-sql-check expectedResult:0 SELECT …`: Liquibase runs the query before the changeset. */
const PRECONDITION_SQL = /^([ \t]*--[ \t]*precondition-sql-check\b(?:[ \t]+[A-Za-z]+:(?:'[^'\n]*'|"[^"\n]*"|\S+))*[ \t]+)(\S.*)$/gim;
/** `--rollback not required` / `--rollback empty`: Liquibase's "no rollback" words, not SQL. */
const NO_ROLLBACK = /^\s*(not\s+required|empty)\s*;?\s*$/i;

/**
 * Liquibase formatted SQL: `--rollback <sql>` lines and `/* liquibase rollback … *\/` blocks are
 * the down migration (a unit of their own, same offsets), everything else is up. The down unit
 * keeps each `--changeset` line (with its rollbackSplitStatements / rollbackEndDelimiter turned
 * into the splitter's attributes) so statements never run across changesets.
 */
export function liquibaseUnits(text: string): { up: string; down: string | null; preconditions: string[] } {
  const blankAll = text.replace(/[^\n]/g, ' ');
  // Precondition queries run too: each one is a unit of its own (no `;` needed between them).
  const preconditions = [...text.matchAll(PRECONDITION_SQL)].map((m) => {
    const at = m.index! + m[1].length;
    return blankAll.slice(0, at) + m[2] + blankAll.slice(at + m[2].length);
  });
  let up = text;
  let down = blankAll;
  let any = false;
  const put = (at: number, body: string) => {
    down = down.slice(0, at) + body + down.slice(at + body.length);
  };
  for (const m of text.matchAll(ROLLBACK_LINE)) {
    up = blank(up, m.index!, m.index! + m[0].length);
    if (NO_ROLLBACK.test(m[2])) continue;
    any = true;
    put(m.index! + m[1].length, m[2]);
  }
  for (const m of text.matchAll(ROLLBACK_BLOCK)) {
    up = blank(up, m.index!, m.index! + m[0].length);
    if (NO_ROLLBACK.test(m[1])) continue;
    any = true;
    put(m.index! + m[0].length - 2 - m[1].length, m[1]);
  }
  if (!any) return { up, down: null, preconditions };
  for (const m of text.matchAll(CHANGESET_LINE)) {
    const line = m[0];
    const split = /\brollbackSplitStatements:\s*false\b/i.test(line) ? ' splitStatements:false' : '';
    const d = /\brollbackEndDelimiter:(\S+)/i.exec(line)?.[1];
    // Same length as the line it replaces (`--changeset a:1` is the shortest real one).
    let synth = `--changeset r${split}${d ? ` endDelimiter:${d}` : ''}`;
    if (synth.length > line.length) synth = '--changeset r';
    if (synth.length > line.length) synth = line;
    put(m.index!, synth.padEnd(line.length));
  }
  return { up, down, preconditions };
}

function unit(ex: Extracted, text: string, down: boolean, templated: boolean): SqlUnit {
  return {
    path: ex.path,
    text,
    dialect: ex.dialect ?? 'postgresql',
    pos: ex.lines.pos,
    down,
    templated: templated || undefined,
  };
}

const DRIZZLE_BREAK = '--> statement-breakpoint';

/**
 * Drizzle's parts of `text` when a breakpoint stands where our splitter would not take it (inside
 * a string, a block comment, or after other text in a `--` comment); null when every breakpoint
 * is where the splitter already ends a statement (the usual `…;--> statement-breakpoint`), or
 * the file is too big to split into one blanked unit per part.
 */
function drizzleChunks(text: string): Array<[number, number]> | null {
  if (!text.includes(DRIZZLE_BREAK)) return null;
  const at: number[] = [];
  for (let i = text.indexOf(DRIZZLE_BREAK); i >= 0; i = text.indexOf(DRIZZLE_BREAK, i + DRIZZLE_BREAK.length)) at.push(i);
  // Taken as written by the splitter: the marker opens a `--` comment in code, after `;` or alone on its line.
  const dashStarts = new Set<number>();
  for (let i = 0; i < text.length; ) {
    const r = regionAt(text, i, 'postgresql');
    if (!r) {
      i++;
      continue;
    }
    if (r.type === 'comment' && text.startsWith('--', r.start)) dashStarts.add(r.start);
    i = Math.max(r.end, i + 1);
  }
  const view = codeView(text, 'postgresql');
  const plain = at.every((i) => dashStarts.has(i) && /(^|;)[ \t]*$/.test(view.slice(view.lastIndexOf('\n', i - 1) + 1, i)));
  if (plain || at.length > 500 || text.length > 4 * 1024 * 1024) return null;
  const out: Array<[number, number]> = [];
  let s = 0;
  for (const i of at) {
    out.push([s, i]);
    s = i + DRIZZLE_BREAK.length;
  }
  out.push([s, text.length]);
  return out;
}

/** The text with everything outside [s, e) blanked (newlines kept). */
function blankOutside(text: string, s: number, e: number): string {
  return text.slice(0, s).replace(/[^\n]/g, ' ') + text.slice(s, e) + text.slice(e).replace(/[^\n]/g, ' ');
}
