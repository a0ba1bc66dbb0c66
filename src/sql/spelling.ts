// How names can be spelled in SQL text: what a pattern over the raw text can miss.

/**
 * May `text` name what `re` looks for? PostgreSQL reads identifiers and strings written with
 * Unicode escapes (`U&"p\0061ssword"`, `cron.U&"\0073chedule"`; scan.l, "Unicode escapes") as
 * the names they spell, which no pattern over the raw text sees: a text prefilter in front of a
 * parse-tree check lets such text through to the tree, where the names are decoded.
 */
export function textMayName(text: string, re: RegExp): boolean {
  return re.test(text) || UNICODE_ESCAPES.test(text);
}
const UNICODE_ESCAPES = /\bu&["']/i;
