// goose and dbmate, read as the tools read a migration file (line by line, before any SQL lexer).
//
// goose: pressly/goose internal/sqlparser/parser.go (read at commit 520411a1), functions
// ParseSQLMigration, extractAnnotation and endsWithSemicolon. dbmate: amacneil/dbmate
// pkg/dbmate/migration.go (read at commit f3e08f15), functions parseMigrationContents,
// getMigrationSectionSubstrings, parseMigrationSection, statementsPrecedeMigrateBlocks and the
// regular expressions upRegExp / downRegExp. Nothing here copies their code; the rules below are
// restated from it and each one is tested in tests/runner-reading.test.ts.

/** Go's unicode.IsSpace (strings.TrimSpace, bufio.ScanWords): ASCII blanks, U+0085, U+00A0 and the Unicode space separators. */
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
const GO_TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g');
const GO_WORDS = new RegExp(`[^${GO_SPACE}]+`, 'g');

export const goTrimSpace = (s: string): string => s.replace(GO_TRIM, '');

/**
 * strings.EqualFold against an ASCII word: Unicode simple case folding, under which only U+212A
 * (KELVIN SIGN) and U+017F (LATIN SMALL LETTER LONG S) fold onto ASCII letters.
 */
function goFoldAscii(s: string): string {
  return s.replace(/\u212A/g, 'k').replace(/\u017F/g, 's').replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export type GooseAnnotation = 'up' | 'down' | 'statementbegin' | 'statementend' | 'no transaction' | 'envsub on' | 'envsub off';
const ANNOTATIONS: GooseAnnotation[] = ['up', 'down', 'statementbegin', 'statementend', 'no transaction', 'envsub on', 'envsub off'];

/**
 * What goose makes of one line (its text without the newline and without one trailing `\r`, as
 * bufio.ScanLines gives it): null when goose does not take it for an annotation; 'invalid' when
 * it does and rejects it (goose then refuses the whole file).
 *
 * ParseSQLMigration: a line is an annotation when TrimSpace(line) starts with `--` and the line
 * contains `+goose`. extractAnnotation: a leading space or tab is an error; every `--` is removed,
 * then the first `+goose`; a second `+goose` is an error; the rest, TrimSpace'd, must EqualFold
 * one of Up, Down, StatementBegin, StatementEnd, NO TRANSACTION, ENVSUB ON, ENVSUB OFF. So
 * `--+goose down`, `-- +goose  DOWN --` and `-- +goose Statement--Begin` are annotations.
 */
export function gooseAnnotation(line: string): GooseAnnotation | 'invalid' | null {
  if (!line.includes('+goose') || !goTrimSpace(line).startsWith('--')) return null;
  if (line.startsWith(' ') || line.startsWith('\t')) return 'invalid';
  let cmd = line.split('--').join('');
  cmd = cmd.replace('+goose', '');
  if (cmd.includes('+goose')) return 'invalid';
  cmd = goFoldAscii(goTrimSpace(cmd));
  return ANNOTATIONS.find((a) => a === cmd) ?? 'invalid';
}

/** endsWithSemicolon: the last blank-separated word before a word starting with `--` ends with `;`. */
export function gooseEndsWithSemicolon(line: string): boolean {
  let prev = '';
  for (const m of line.matchAll(GO_WORDS)) {
    if (m[0].startsWith('--')) break;
    prev = m[0];
  }
  return prev.endsWith(';');
}

/** One statement goose sends to the database (offsets into the file). */
export interface GooseChunk {
  start: number;
  end: number;
  /** Kept whole by StatementBegin/StatementEnd; `markStart`/`markEnd` span the two annotation lines too. */
  block?: { markStart: number; markEnd: number };
}

export interface GooseReading {
  /** Offset of the `-- +goose Up` line, and of the `-- +goose Down` line if any. */
  upAt: number;
  downAt: number | null;
  up: GooseChunk[];
  down: GooseChunk[];
  /**
   * Offset of the first `-- +goose ENVSUB ON` line, or -1: from there goose runs each line through
   * mfridman/interpolate (parser.go parseExpression: `$NAME` and `${…}` expand from the environment,
   * `$$` and `\\$` become `$`).
   */
  envsubAt: number;
}

interface Line {
  text: string;
  start: number;
  /** Offset after the line's newline (or the end of the file). */
  end: number;
}

function lines(text: string): Line[] {
  const out: Line[] = [];
  for (let at = 0; at < text.length; ) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl + 1;
    let t = text.slice(at, nl < 0 ? text.length : nl);
    if (t.endsWith('\r')) t = t.slice(0, -1);
    out.push({ text: t, start: at, end });
    at = end;
  }
  return out;
}

type State = 'start' | 'up' | 'beginUp' | 'endUp' | 'down' | 'beginDown' | 'endDown';
const UP_STATES: State[] = ['up', 'beginUp', 'endUp'];

/**
 * The file as `goose up` / `goose down` read it: the statements of each direction, or null when
 * the file is not a goose migration (no annotation) or goose refuses it (then nothing of it runs:
 * goose parses the whole file before executing any statement).
 */
export function readGoose(text: string): GooseReading | null {
  if (!text.includes('+goose')) return null;
  const ls = lines(text);
  const up = runGoose(ls, 'up');
  const down = runGoose(ls, 'down');
  if (!up || !down) return null;
  return { upAt: up.upAt, downAt: up.downAt, up: up.chunks, down: down.chunks, envsubAt: up.envsubAt };
}

function runGoose(ls: Line[], direction: 'up' | 'down'): { upAt: number; downAt: number | null; chunks: GooseChunk[]; envsubAt: number } | null {
  let state: State = 'start';
  let buf = '';
  let bufStart = -1;
  let bufEnd = -1;
  let beginAt = -1;
  let upAt = -1;
  let downAt: number | null = null;
  let envsubAt = -1;
  const chunks: GooseChunk[] = [];
  const store = (endMark?: Line) => {
    chunks.push(
      endMark && beginAt >= 0
        ? { start: bufStart, end: bufEnd, block: { markStart: beginAt, markEnd: endMark.end } }
        : { start: bufStart, end: bufEnd },
    );
    buf = '';
    bufStart = -1;
  };
  for (const line of ls) {
    if (state === 'start' && goTrimSpace(line.text) === '') continue;
    const a = gooseAnnotation(line.text);
    let endMark: Line | undefined;
    if (a === 'invalid') return null;
    if (a) {
      if (a === 'up') {
        if (state !== 'start') return null; // duplicate Up
        state = 'up';
        upAt = line.start;
        continue;
      }
      if (a === 'down') {
        if (state !== 'up' && state !== 'endUp') return null;
        if (goTrimSpace(buf) !== '') return null; // an unfinished up statement: "missing semicolon?"
        state = 'down';
        downAt = line.start;
        continue;
      }
      if (a === 'statementbegin') {
        if (state === 'up' || state === 'endUp') state = 'beginUp';
        else if (state === 'down' || state === 'endDown') state = 'beginDown';
        else return null;
        beginAt = line.start;
        continue;
      }
      if (a === 'statementend') {
        if (state === 'beginUp') state = 'endUp';
        else if (state === 'beginDown') state = 'endDown';
        else return null;
        endMark = line;
        // no `continue`: goose goes on with this line (it is not written to the statement).
      } else {
        if (a === 'envsub on' && envsubAt < 0) envsubAt = line.start;
        continue; // NO TRANSACTION, ENVSUB ON/OFF
      }
    }
    // Comments and empty lines before a statement are skipped; inside one they are kept.
    if (buf === '' && (goTrimSpace(line.text).startsWith('--') || line.text === '')) continue;
    if (state !== 'endUp' && state !== 'endDown') {
      if (bufStart < 0) bufStart = line.start;
      buf += line.text + '\n';
      bufEnd = line.end;
    }
    if (state === 'start') return null; // SQL before `-- +goose Up`: "unexpected state"
    const isUp = UP_STATES.includes(state);
    if (isUp !== (direction === 'up')) {
      buf = '';
      bufStart = -1;
      continue;
    }
    if (state === 'up' || state === 'down') {
      if (gooseEndsWithSemicolon(line.text)) store();
    } else if (state === 'endUp' || state === 'endDown') {
      store(endMark);
      state = state === 'endUp' ? 'up' : 'down';
    }
  }
  if (state === 'start' || state === 'beginUp' || state === 'beginDown') return null;
  if (goTrimSpace(buf) !== '') return null; // "unexpected unfinished SQL query: missing semicolon?"
  return { upAt, downAt, chunks, envsubAt };
}

/**
 * dbmate's sections: `upRegExp` = `(?m)^--\s*migrate:up(\s*$|\s+\S+)` and the same for down
 * (case-sensitive; Go's `\s` is [\t\n\f\r ], so it may run over a newline). A section runs from
 * one up directive to the next; its down part starts at its first down directive. dbmate refuses
 * the file (nothing runs) when a statement precedes the first up directive, a section has no
 * down directive, or two; a down directive before its section's up cannot happen by construction.
 * Returns the [start, end) ranges that `dbmate up` runs and those `dbmate rollback` runs, or null.
 */
export function readDbmate(text: string): { up: Array<[number, number]>; down: Array<[number, number]> } | null {
  if (!text.includes('migrate:')) return null;
  // Go's multi-line `$` is before `\n` or at the end of the text only (JavaScript's also before `\r`).
  const directive = (word: string) => new RegExp(`--[\\t\\n\\f\\r ]*migrate:${word}(?:[\\t\\n\\f\\r ]*(?=\\n|(?![\\s\\S]))|[\\t\\n\\f\\r ]+[^\\t\\n\\f\\r ])`, 'y');
  const ups = starts(text, directive('up'));
  if (!ups.length) return null;
  // statementsPrecedeMigrateBlocks: every line before the first up is empty or a comment.
  for (const l of text.slice(0, ups[0]).split('\n')) if (!/^[\t\n\f\r ]*$/.test(l) && !/^[\t\n\f\r ]*--/.test(l)) return null;
  const up: Array<[number, number]> = [];
  const down: Array<[number, number]> = [];
  for (let i = 0; i < ups.length; i++) {
    const s = ups[i];
    const e = i + 1 < ups.length ? ups[i + 1] : text.length;
    // Matched inside the section's own text, as dbmate does (a match may not start before it).
    const inSection = starts(text.slice(s, e), directive('down')).map((d) => d + s);
    if (inSection.length !== 1) return null;
    up.push([s, inSection[0]]);
    down.push([inSection[0], e]);
  }
  return { up, down };
}

/** Start offsets of the matches of a Go `(?m)^…` expression: `^` at the start or after `\n`. */
function starts(text: string, re: RegExp): number[] {
  const out: number[] = [];
  for (let at = 0; at <= text.length; ) {
    re.lastIndex = at;
    if (re.test(text)) out.push(at);
    const nl = text.indexOf('\n', at);
    if (nl < 0) break;
    at = nl + 1;
  }
  return out;
}
