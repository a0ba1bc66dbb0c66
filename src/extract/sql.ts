// SQL files: up/down sections (goose, dbmate, Liquibase --rollback, *.down.sql, Flyway U__,
// sqitch revert/), template placeholders, and COPY … FROM stdin data blocks.
import type { Dialect, SqlUnit } from '../types.js';
import { codeView, regionAt } from '../parse/split.js';
import type { Extracted } from '../types.js';
import { readDbmate, readGoose, type GooseChunk, type GooseReading } from './goose.js';
import { J_S, LIQUIBASE_CHANGESET, javaLines, javaTrim } from './liquibase.js';

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
  // Flyway runs `V<version>__<description>.sql` as an up migration whatever the description says
  // (`V3__cleanup.down.sql`: description "cleanup.down"; only `U<version>__` is an undo).
  if (/^V\d[\d._]*__/.test(name)) return false;
  return /\.down\.sql$/i.test(name) || /^down\.sql$/i.test(name) || /^U\d[\d._]*__/.test(name) || /(^|\/)revert\//.test(p);
}

interface Section {
  start: number;
  end: number;
  down: boolean;
}

/**
 * Up/down sections as the tool that runs the file reads them (src/extract/goose.ts restates goose's
 * and dbmate's own parsers). A file is read by one tool: goose's markers mean nothing to dbmate and
 * dbmate's mean nothing to goose, so a `-- migrate:down` line in a goose file is a comment in the
 * middle of the up section (and the reverse). A file that both tools would accept is read as up
 * throughout (whichever tool runs it, nothing up is taken for down); a file the tool refuses is
 * not run at all and is read as up too.
 */
function sections(text: string, fileDown: boolean, goose: GooseReading | null, dbmate: ReturnType<typeof readDbmate>, dir: MarkerDirections): Section[] {
  const whole = [{ start: 0, end: text.length, down: fileDown }];
  if (goose && dbmate) return whole;
  if (dbmate) {
    const out: Section[] = [];
    if (dbmate.up[0][0] > 0) out.push({ start: 0, end: dbmate.up[0][0], down: fileDown });
    dbmate.up.forEach(([s, e], i) => {
      out.push({ start: s, end: e, down: dir.up });
      out.push({ start: e, end: dbmate.down[i][1], down: dir.down });
    });
    return out;
  }
  if (goose) {
    const out: Section[] = [{ start: 0, end: goose.downAt ?? text.length, down: fileDown }];
    if (goose.downAt !== null) out.push({ start: goose.downAt, end: text.length, down: true });
    return out;
  }
  return whole;
}

/** Whether a marked up / down section counts as down, and whose markers the file's name lets count (see markerDirections). */
export interface MarkerDirections {
  up: boolean;
  down: boolean;
  goose: boolean;
  dbmate: boolean;
}

/**
 * Which tool may run a file decides whether its `-- +goose Up/Down` and `-- migrate:up/down` lines
 * mean anything. goose runs files named `<number>_<name>.sql` (the version is the number before
 * the first `_`, pressly/goose migration.go NumericComponent, which rejects a name without one);
 * dbmate files whose name starts with a number (pkg/dbmate migrationFileRegexp `^(\d+).*\.sql$`): in
 * any other file (Flyway `V2__x.sql`, Prisma `migration.sql`, sqitch, …) the markers are comments and
 * the file runs whole. A name that golang-migrate
 * also runs (`<number>_<name>.up.sql` / `.down.sql`, `^([0-9]+)_(.*)\.(down|up)\.(.*)$`) is run whole
 * in the direction of its name by that tool and by sections by goose/dbmate: a statement counts as
 * down only when both run it on down only (a `.up.sql` file's marked down section runs on up under
 * golang-migrate; a `.down.sql` file's marked up section runs on up under goose). Null: no markers.
 */
export function markerDirections(path: string, fileDown: boolean): MarkerDirections | null {
  const name = path.replace(/\\/g, '/').split('/').pop() ?? '';
  const goose = /^\d+_.*\.sql$/i.test(name);
  const dbmate = /^\d+.*\.sql$/i.test(name);
  if (!goose && !dbmate) return null;
  if (/^\d+_.*\.(up|down)\.sql$/i.test(name)) return { up: false, down: fileDown, goose, dbmate };
  return { up: fileDown, down: true, goose, dbmate };
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

/**
 * A file read as PostgreSQL (no dialect in its path or the config) with MySQL/MariaDB executable
 * comments (`/*! … *\/`, `/*!50000 … *\/`, MariaDB `/*M! … *\/`): PostgreSQL skips them, but
 * those servers run what is inside (https://dev.mysql.com/doc/refman/8.0/en/comments.html). Which
 * database the file runs on decides what it does, and the review cannot tell: a gating note, not
 * silence. (Files read as MySQL/MariaDB already parse the inside: src/parse/nsp.ts.)
 */
function mysqlOnlyComments(ex: Extracted, text: string): void {
  // Only where a comment starts in code (not inside a string, which the code view masks as U+0001).
  const view = codeView(text, 'postgresql');
  for (const m of text.matchAll(/\/\*M?!/g)) {
    const i = m.index!;
    if (view[i] !== ' ') continue;
    const r = regionAt(text, i, 'postgresql');
    if (r?.type !== 'comment' || r.start !== i) continue;
    const inner = text.slice(i + m[0].length, r.end - 2).replace(/^\d{0,6}/, '').replace(/\s+/g, ' ').trim();
    if (!inner) continue;
    const p = ex.lines.pos(i);
    ex.notes.push({
      ruleId: 'parse-error',
      line: p.line,
      column: p.column,
      message: `MySQL/MariaDB executable comment in a file read as PostgreSQL: PostgreSQL skips it, but MySQL and MariaDB run what is inside (${inner.length > 60 ? `${inner.slice(0, 60)}…` : inner}), which was not checked. Name the database this file runs on (a dialect in its path or the config) so it is read as that server reads it.`,
    });
    return;
  }
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
  if (dialect === 'postgresql' && /\/\*M?!/.test(text)) mysqlOnlyComments(ex, text);
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
  const dir = markerDirections(ex.path, fileDown);
  const goose = dir?.goose ? readGoose(text) : null;
  const dbmate = dir?.dbmate ? readDbmate(text) : null;
  if (goose && !dbmate) {
    if (goose.envsubAt >= 0 && text.indexOf('$', goose.envsubAt) >= 0) {
      const p = ex.lines.pos(goose.envsubAt);
      ex.notes.push({
        ruleId: 'templated-sql',
        line: p.line,
        column: p.column,
        message:
          'Templated SQL: after -- +goose ENVSUB ON, goose replaces $NAME and ${…} with environment variables (and $$ with $) before running each line; the rendered SQL may differ.',
      });
    }
    const envsub = goose.envsubAt >= 0;
    for (const [chunks, down] of [[goose.up, dir!.up], [goose.down, dir!.down]] as const) {
      // The up unit keeps the `-- +goose Up` line (a comment) so later stages can name the tool.
      const mark = down ? null : goose.upAt;
      for (const t of gooseUnits(text, chunks, dialect, mark)) ex.units.push(unit(ex, t, down, templated || envsub));
    }
    return;
  }
  const secs = sections(text, fileDown, goose, dbmate, dir ?? { up: fileDown, down: true, goose: false, dbmate: false });
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
 * The texts to analyze for one direction of a goose file. goose sends each of its statements
 * (GooseChunk) to the database on its own, and the database lexes each one afresh: where a chunk
 * ends inside what a reading of the whole text takes for a string, a comment or a dollar quote,
 * or where it ends without a `;` the whole-text reading takes as a statement end, the text is cut
 * there into separate units, each read on its own as the database will. (E.g. SQLite accepts an
 * unterminated `/* …` comment at the end of one statement, and goose sends the next line as the
 * next statement: a DROP that a whole-text reading takes for a comment runs.) Usually no chunk
 * needs a cut and the direction is one unit. Bounded like drizzleChunks: past 500 cuts or 4 MB
 * the direction stays one unit.
 */
function gooseUnits(text: string, chunks: GooseChunk[], dialect: Dialect, markAt: number | null): string[] {
  if (!chunks.length) return [];
  const spans: Array<[number, number]> = chunks.map((c) => (c.block ? [c.block.markStart, c.block.markEnd] : [c.start, c.end]));
  const keep = spans.map(([start, end]) => ({ start, end, down: false }));
  if (markAt !== null && markAt < spans[0][0]) {
    const nl = text.indexOf('\n', markAt);
    keep.unshift({ start: markAt, end: Math.min(nl < 0 ? text.length : nl, spans[0][0]), down: false });
  }
  const dir = keepOnly(text, keep, false);
  // Regions (comments, quotes, dollar quotes) of the whole-direction reading.
  const regions: Array<[number, number]> = [];
  for (let i = 0; i < dir.length; ) {
    const r = regionAt(dir, i, dialect);
    if (!r) {
      i++;
      continue;
    }
    regions.push([r.start, r.unterminated ? dir.length + 1 : r.end]);
    i = Math.max(r.end, i + 1);
  }
  const inside = (b: number) => {
    // regions are sorted and disjoint: binary search the last one starting before b.
    let lo = 0;
    let hi = regions.length - 1;
    let hit = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (regions[mid][0] < b) {
        hit = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return hit >= 0 && regions[hit][1] > b;
  };
  const view = codeView(dir, dialect);
  const cuts: number[] = [];
  chunks.forEach((c, i) => {
    const [s, e] = spans[i];
    let plain = !inside(s) && !inside(e);
    if (plain && !c.block) {
      let j = e - 1;
      while (j >= s && /\s/.test(view[j])) j--;
      plain = view[j] === ';';
    }
    if (!plain && i + 1 < chunks.length) cuts.push(e);
    if (!plain && i > 0) cuts.push(s);
  });
  if (!cuts.length || cuts.length > 500 || text.length > 4 * 1024 * 1024) return [dir];
  const bounds = [...new Set([0, ...cuts, dir.length])].sort((a, b) => a - b);
  const out: string[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const piece = blankOutside(dir, bounds[k], bounds[k + 1]);
    if (piece.trim()) out.push(piece);
  }
  return out;
}

/**
 * The text with everything outside the (ordered) sections blanked, newlines kept, in one pass.
 * Each blanked gap starts with `;` (it replaces the first character of a marker comment), so a
 * statement left without its `;` at the end of one section never runs into the next kept one.
 */
function keepOnly(text: string, keep: Section[], semicolons = true): string {
  const gap = (a: number, b: number) => {
    const g = text.slice(a, b).replace(/[^\n]/g, ' ');
    return semicolons && g.length && text[a] !== '\n' ? ';' + g.slice(1) : g;
  };
  let out = '';
  let at = 0;
  for (const s of keep) {
    out += gap(at, s.start) + text.slice(s.start, s.end);
    at = s.end;
  }
  return out + gap(at, text.length);
}

// Rollback patterns of AbstractFormattedChangeLogParser (see liquibase.ts).
/** ROLLBACK_REGEX `\s*--[\s]*rollback (.*)`: a literal space after `rollback`. */
const ROLLBACK_LINE = new RegExp(`^(${J_S}*--${J_S}*rollback )([\\s\\S]*)$`, 'i');
// ROLLBACK_MULTI_LINE_START_REGEX (slash-star, `liquibase`, `rollback`): nothing else on the line.
const ROLLBACK_BLOCK_START = new RegExp(`^${J_S}*/\\*${J_S}*liquibase${J_S}*rollback${J_S}*$`, 'i');
// ROLLBACK_MULTI_LINE_END_REGEX: the first later line that ends with star-slash (and blanks).
const ROLLBACK_BLOCK_END = new RegExp(`\\*/${J_S}*$`);
/** `--precondition-sql-check expectedResult:0 SELECT …`: Liquibase runs the query before the changeset. */
const PRECONDITION_SQL = /^([ \t]*--[ \t]*precondition-sql-check\b(?:[ \t]+[A-Za-z]+:(?:'[^'\n]*'|"[^"\n]*"|\S+))*[ \t]+)(\S.*)$/gim;

/**
 * Liquibase formatted SQL: the rollback of each changeset (`--rollback <sql>` lines and
 * `/* liquibase rollback` … `*\/` blocks, as Liquibase takes them) is the down unit (a unit of its
 * own, same offsets), everything else is up. A changeset whose whole rollback is `not required…`
 * or `empty…` has none (handleRollbackSequence: EmptyChange); one that names `changesetId:` rolls
 * back with another changeset's SQL, reviewed where it is written. Lines Liquibase does not take
 * for rollback (`--rollback` without a blank after it, a one-line `/* liquibase rollback *\/` comment) stay up.
 * The down unit keeps the header line and each `--changeset` line (with its
 * rollbackSplitStatements / rollbackEndDelimiter turned into the splitter's attributes) so
 * statements never run across changesets.
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
  const put = (at: number, body: string) => {
    down = down.slice(0, at) + body + down.slice(at + body.length);
  };
  const ls = javaLines(text);
  const groups: Array<{ line: (typeof ls)[number]; items: Array<[number, string]>; seq: string }> = [];
  for (let i = 0; i < ls.length; i++) {
    const l = ls[i];
    if (LIQUIBASE_CHANGESET.test(l.text)) {
      groups.push({ line: l, items: [], seq: '' });
      continue;
    }
    const g = groups[groups.length - 1];
    if (!g) continue; // before the first changeset Liquibase runs nothing (kept up: stricter)
    const m = ROLLBACK_LINE.exec(l.text);
    if (m) {
      up = blank(up, l.start, l.end);
      g.items.push([l.start + m[1].length, m[2]]);
      g.seq += m[2] + '\n';
      continue;
    }
    if (ROLLBACK_BLOCK_START.test(l.text)) {
      let j = i + 1;
      while (j < ls.length && !ROLLBACK_BLOCK_END.test(ls[j].text)) j++;
      // Not closed: Liquibase rejects the changelog ("Liquibase rollback comment is not closed").
      const last = Math.min(j, ls.length - 1);
      up = blank(up, l.start, ls[last].end);
      for (let k = i + 1; k <= last; k++) {
        const body = k === j ? ls[k].text.replace(ROLLBACK_BLOCK_END, '') : ls[k].text;
        g.items.push([ls[k].start, body]);
        g.seq += body; // extractMultiLineRollBack appends the lines without a separator
      }
      i = last;
    }
  }
  let any = false;
  for (const g of groups) {
    const t = javaTrim(g.seq).toLowerCase();
    if (!t || /^(not required|empty)[^\n\r\u0085\u2028\u2029]*$/.test(t) || t.includes('changesetid')) continue;
    any = true;
    for (const [at, body] of g.items) put(at, body);
  }
  if (!any) return { up, down: null, preconditions };
  const header = ls.find((l) => javaTrim(l.text) !== '');
  if (header) put(header.start, header.text);
  for (const { line: l } of groups) {
    const split = /^[\s\S]*rollbackSplitStatements:(\w+)/i.exec(l.text);
    const d = /^[\s\S]*\brollbackEndDelimiter:(\S*)/i.exec(l.text)?.[1];
    // Same length as the line it replaces (`--changeset a:1` is the shortest real one).
    let synth = `--changeset r:1${split && split[1].toLowerCase() !== 'true' ? ' splitStatements:false' : ''}${d ? ` endDelimiter:${d}` : ''}`;
    if (synth.length > l.text.length) synth = '--changeset r:1';
    if (synth.length > l.text.length) synth = l.text;
    put(l.start, synth.padEnd(l.text.length));
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

/** Replace every character of [start, end) except newlines by a space (keeps offsets and lines). */
export function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + text.slice(start, end).replace(/[^\n]/g, ' ') + text.slice(end);
}
