// Liquibase formatted SQL, as liquibase/liquibase reads it: liquibase-standard/src/main/java/
// liquibase/parser/AbstractFormattedChangeLogParser.java (commit cdbdec7f), supports(), parse(),
// configureChangeSet() and handleRollbackSequence(), patterns FIRST_LINE_REGEX, CHANGE_SET_REGEX,
// SPLIT_STATEMENTS_REGEX, END_DELIMITER_REGEX, ROLLBACK_REGEX, ROLLBACK_MULTI_LINE_START_REGEX /
// _END_REGEX. Java's `\s` is ASCII [ \t\n\x0B\f\r]; its readLine() ends a line at \n, \r or
// \r\n; CASE_INSENSITIVE folds ASCII only (JavaScript's /i without /u does not fold a non-ASCII
// letter onto an ASCII one either).
export const J_S = '[ \\t\\n\\x0B\\f\\r]';
const J_NS = '[^ \\t\\n\\x0B\\f\\r]';
/** CHANGE_SET_REGEX `\s*--[\s]*changeset\s+("[^"]+"|[^:]+):\s*("[^"]+"|\S+).*` (the whole line). */
export const LIQUIBASE_CHANGESET = new RegExp(`^${J_S}*--${J_S}*changeset${J_S}+("[^"]+"|[^:]+):${J_S}*("[^"]+"|${J_NS}+)[\\s\\S]*$`, 'i');
/** Java String.trim(): every char up to U+0020. */
export const javaTrim = (s: string): string => s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');

/** Java readLine() lines with their offsets (`end` before the line terminator). */
export function javaLines(text: string): Array<{ text: string; start: number; end: number }> {
  const out: Array<{ text: string; start: number; end: number }> = [];
  const re = /\r\n|\r|\n/g;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ text: text.slice(at, m.index), start: at, end: m.index });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ text: text.slice(at), start: at, end: text.length });
  return out;
}

/**
 * supports(): the first non-blank line matches FIRST_LINE_REGEX `^\s*--\s*liquibase\s*formatted.*`
 * (so `-- liquibase formatted` and `--liquibaseformatted` count; no `sql` is needed).
 */
export function isLiquibaseFormatted(text: string): boolean {
  const head = text.slice(0, 64 * 1024);
  if (!/liquibase/i.test(head)) return false;
  const first = javaLines(head).find((l) => javaTrim(l.text) !== '');
  return !!first && new RegExp(`^${J_S}*--${J_S}*liquibase${J_S}*formatted`, 'i').test(first.text);
}

/**
 * A `--changeset` line's statement attributes: splitStatements (SPLIT_STATEMENTS_REGEX
 * `.*splitStatements:(\w+).*`, greedy, so the last one counts, and `rollbackSplitStatements:` matches
 * it too; Boolean.parseBoolean: anything but `true` is false) and endDelimiter
 * (END_DELIMITER_REGEX `.*\bendDelimiter:(\S*).*`, the last one).
 */
export function changesetAttributes(line: string): { split: boolean; endDelimiter?: string } {
  const split = /^[\s\S]*splitStatements:(\w+)/i.exec(line);
  const d = /^[\s\S]*\bendDelimiter:([^ \t\n\x0B\f\r]*)/i.exec(line)?.[1];
  return { split: !split || split[1].toLowerCase() === 'true', ...(d ? { endDelimiter: d } : {}) };
}
