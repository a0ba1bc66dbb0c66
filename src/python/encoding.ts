// The source encoding of a Python file, read as CPython reads it when a migration is imported
// (Alembic's `load_module_py` and Django's `import_module` both end in `compile(bytes)`), i.e.
// CPython's string tokenizer `decode_str` (Parser/tokenizer.c; Parser/tokenizer/string_tokenizer.c
// in 3.13+), which is also what Lib/tokenize.py `detect_encoding` documents:
// - a UTF-8 byte-order mark is dropped, and then any coding cookie must name utf-8
//   ("encoding problem: X with BOM" is a SyntaxError);
// - PEP 263: a cookie `coding[:=][ \t]*([-\w.]+)` in a comment that is alone on line 1, or on line 2
//   when line 1 is blank or only a comment (`check_coding_spec` / `get_coding_spec`); a line counts
//   only when it ends with a newline (`newl[0]`, `newl[1]`), `\r\n` and `\r` being newlines;
// - the name goes through `get_normal_name` (utf-8 and latin-1 spellings) and then the codec
//   registry (`encodings.normalize_encoding`, `encodings.aliases`); the WHOLE file (after the BOM)
//   is decoded with that codec (`translate_into_utf8`), strictly: an undecodable byte is an error;
// - PEP 3120: no cookie means UTF-8.
// We decode exactly what CPython decodes with the same tables (src/python/codecs.generated.ts,
// generated from CPython's own codecs) and refuse the rest: codecs that can turn what looks like a
// comment or a string into code (utf-7, unicode_escape, raw_unicode_escape, punycode, idna, …),
// multi-byte and stateful codecs, unknown names. A refusal is a gating finding naming the codec.
import { ALIASES, SINGLE_BYTE } from './codecs.generated.js';

export type PyDecoded =
  | { ok: true; text: string; codec: string; cookie?: { name: string; line: number } }
  | { ok: false; line: number; message: string; codec?: string };

/**
 * Codecs that reinterpret ASCII text: a `# coding: utf-7` file's `+AAo-` is a newline, a
 * `unicode_escape` file's `\n` inside a comment is a newline (so the rest of the "comment" is code).
 */
const SMUGGLING = new Set(['utf_7', 'unicode_escape', 'raw_unicode_escape', 'punycode', 'idna', 'hz', 'iso2022_jp', 'iso2022_jp_1', 'iso2022_jp_2', 'iso2022_jp_2004', 'iso2022_jp_3', 'iso2022_jp_ext', 'iso2022_kr', 'rot_13', 'charmap', 'mbcs', 'oem']);

/** `get_normal_name` in Parser/tokenizer.c: utf-8 and latin-1 spellings (first 12 characters, `_` as `-`). */
function tokenizerNormalName(s: string): string {
  const buf = s.slice(0, 12).replace(/_/g, '-').toLowerCase();
  if (buf === 'utf-8' || buf.startsWith('utf-8-')) return 'utf-8';
  if (['latin-1', 'iso-8859-1', 'iso-latin-1'].includes(buf) || /^(latin-1-|iso-8859-1-|iso-latin-1-)/.test(buf)) return 'iso-8859-1';
  return s;
}

/** The codec module CPython's registry finds for a name (encodings.search_function), lower-cased first. */
export function pythonCodec(name: string): string {
  // encodings.normalize_encoding: runs of characters other than alphanumerics and '.' become one
  // '_' (none at the start); codecs.lookup lower-cases first.
  let norm = '';
  let punct = false;
  for (const c of name.toLowerCase()) {
    if (/[a-z0-9.]/.test(c)) {
      if (punct && norm) norm += '_';
      norm += c;
      punct = false;
    } else punct = true;
  }
  return ALIASES[norm] ?? ALIASES[norm.replace(/\./g, '_')] ?? norm;
}

/** Bytes of [start, end) as Latin-1 text (the cookie is ASCII: enough to read it). */
function ascii(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** `get_coding_spec`: the cookie of one line (without its newline), if any. */
function codingSpec(line: string): string | undefined {
  // "Coding spec must be in a comment, and that comment must be the only statement on the line."
  for (let i = 0; i < line.length - 6; i++) {
    if (line[i] === '#') break;
    if (line[i] !== ' ' && line[i] !== '\t' && line[i] !== '\f') return undefined;
  }
  for (let i = 0; i < line.length - 6; i++) {
    if (!line.startsWith('coding', i)) continue;
    let t = i + 6;
    if (line[t] !== ':' && line[t] !== '=') continue;
    do t++;
    while (line[t] === ' ' || line[t] === '\t');
    const m = /^[A-Za-z0-9._-]+/.exec(line.slice(t));
    if (m) return m[0];
  }
  return undefined;
}

/** Line 1 has something other than whitespace before a comment: line 2 is not looked at. */
function hasCode(line: string): boolean {
  for (const c of line) {
    if (c === '#' || c === '\n' || c === '\r') return false;
    if (c !== ' ' && c !== '\t' && c !== '\f') return true;
  }
  return false;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodePythonSource(content: Uint8Array | string): PyDecoded {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const start = bom ? 3 : 0;
  // The first two lines, newlines being \n, \r\n or \r (translate_newlines).
  const ends: number[] = [];
  for (let i = start; i < bytes.length && ends.length < 2; i++) {
    if (bytes[i] === 0x0a) ends.push(i);
    else if (bytes[i] === 0x0d) {
      ends.push(i);
      if (bytes[i + 1] === 0x0a) i++;
    }
  }
  let cookie: { name: string; line: number } | undefined;
  if (ends.length >= 1) {
    const l1 = ascii(bytes, start, ends[0]);
    const c1 = codingSpec(l1);
    if (c1) cookie = { name: c1, line: 1 };
    else if (!hasCode(l1) && ends.length >= 2) {
      const from = bytes[ends[0]] === 0x0d && bytes[ends[0] + 1] === 0x0a ? ends[0] + 2 : ends[0] + 1;
      const c2 = codingSpec(ascii(bytes, from, ends[1]));
      if (c2) cookie = { name: c2, line: 2 };
    }
  }
  const name = cookie ? tokenizerNormalName(cookie.name) : 'utf-8';
  if (cookie && bom && name !== 'utf-8') {
    return { ok: false, line: cookie.line, codec: cookie.name, message: `Python refuses this file (SyntaxError "encoding problem: ${cookie.name} with BOM"): it starts with a UTF-8 byte-order mark but its coding cookie names ${cookie.name}; nothing in it was verified.` };
  }
  const codec = pythonCodec(name);
  const body = bytes.subarray(start);
  const fail = (why: string) => ({ ok: false as const, line: cookie?.line ?? 1, codec: cookie?.name, message: why });
  if (codec === 'utf_8' || codec === 'utf_8_sig') {
    try {
      let text = utf8.decode(body);
      if (codec === 'utf_8_sig' && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      return { ok: true, text: (bom ? ' ' : '') + text, codec, cookie };
    } catch {
      return fail(cookie ? `Python file is not valid ${cookie.name} (UTF-8), so CPython refuses it and nothing in it was verified.` : 'Python file is not valid UTF-8 (the default source encoding, PEP 3120) and has no coding cookie, so CPython refuses it; nothing in it was verified.');
    }
  }
  const upper = codec === 'latin_1' ? '' : codec === 'ascii' ? '\ufffe'.repeat(128) : SINGLE_BYTE[codec];
  if (upper !== undefined) {
    let text = '';
    const CHUNK = 8192;
    for (let i = 0; i < body.length; i += CHUNK) {
      const part: number[] = [];
      for (let j = i; j < Math.min(body.length, i + CHUNK); j++) {
        const b = body[j];
        if (b < 0x80 || codec === 'latin_1') part.push(b);
        else {
          const c = upper.charCodeAt(b - 0x80);
          if (c === 0xfffe) {
            const line = countLines(body, j) + 1;
            return { ok: false, line, codec: cookie?.name, message: `Byte 0x${b.toString(16)} at line ${line} is not defined in ${cookie?.name ?? codec}, the file's declared source encoding: CPython refuses the file, and nothing in it was verified.` };
          }
          part.push(c);
        }
      }
      text += String.fromCharCode(...part);
    }
    return { ok: true, text: (bom ? ' ' : '') + text, codec, cookie };
  }
  if (SMUGGLING.has(codec) || /^(utf_16|utf_32)/.test(codec)) {
    return fail(`Python coding cookie \`${cookie!.name}\` (codec ${codec}): CPython decodes the whole file with it, and this codec can turn what reads as a comment or a string into code (e.g. \`+AAo-\` is a newline in utf-7, \`\\n\` in a comment is one under unicode_escape). Not decoded here, so nothing in the file was verified; save the file as UTF-8 without the cookie.`);
  }
  return fail(`Python coding cookie \`${cookie!.name}\` names a codec this review does not decode (${codec}): CPython would read the file through it, so nothing in the file was verified; save the file as UTF-8 without the cookie.`);
}

function countLines(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) n++;
  return n;
}
