// `\N{NAME}` in a Python string literal: the character CPython's `unicodedata` name lookup gives
// (Objects/unicodeobject.c `_PyUnicode_DecodeUnicodeEscapeInternal` → `_PyUnicode_Name_CAPI->getcode`):
// names and name aliases (NameAliases.txt: corrections, controls, abbreviations such as `BEL`),
// case-insensitive; algorithmic names (`CJK UNIFIED IDEOGRAPH-4E00`, `HANGUL SYLLABLE GA`, …);
// not named sequences. The names come from the `unicode-name` package (UnicodeData.txt,
// NameAliases.txt); it maps characters to names, so the reverse index is built here, once, the first
// time a file uses `\N{…}` (~2 s). Unicode names are stable: a newer table than the runner's only
// knows more names, and a name the runner does not know is a SyntaxError there.
// The table is a quarter of the bundle (1.3 MB) and only Python files with `\N{` need it: it is a
// separate chunk, loaded by `loadUnicodeNames()` before such a file is read (`needsUnicodeNames`).
type UnicodeName = typeof import('unicode-name');

let names: UnicodeName | undefined;

/** Load the Unicode name table (once); `lookupUnicodeName` needs it. */
export async function loadUnicodeNames(): Promise<void> {
  names ??= await import('unicode-name');
}

/**
 * Whether reading these files as Python may need the name table: a `.py` file whose bytes hold
 * `N{` (`\N{name}` in a literal; the source encodings CPython accepts keep ASCII as it is).
 */
export function needsUnicodeNames(files: Iterable<{ path: string; content: Uint8Array | string }>): boolean {
  for (const f of files) {
    if (!/\.py$/i.test(f.path)) continue;
    if (typeof f.content === 'string' ? f.content.includes('N{') : Buffer.from(f.content.buffer, f.content.byteOffset, f.content.byteLength).includes('N{')) return true;
  }
  return false;
}

/** Load the name table when `files` may need it (see `needsUnicodeNames`). */
export async function loadUnicodeNamesFor(files: Iterable<{ path: string; content: Uint8Array | string }>): Promise<void> {
  if (!names && needsUnicodeNames(files)) await loadUnicodeNames();
}

function table(): UnicodeName {
  // Fail closed: a file read before its table was loaded is a crash (a finding), never a wrong decode.
  if (!names) throw new Error('internal: the Unicode name table was not loaded before a Python file with \\N{…} was read');
  return names;
}

let index: Map<string, number> | undefined;

/** Blocks whose names are all algorithmic (looked up by pattern instead of scanned). */
const SCAN: Array<[number, number]> = [
  [0x0000, 0x33ff],
  [0x4dc0, 0x4dff],
  [0xa000, 0xabff],
  [0xd7b0, 0xd7ff],
  [0xf900, 0x16fff],
  [0x18d09, 0x1ffff],
  [0xe0000, 0xe01ef],
];

function build(): Map<string, number> {
  const m = new Map<string, number>();
  const { unicodeBaseName, unicodeAliases } = table();
  for (const [a, b] of SCAN) {
    for (let c = a; c <= b; c++) {
      const n = unicodeBaseName(c);
      if (n) m.set(n, c);
      const al = unicodeAliases(c) as Record<string, string[]> | undefined;
      if (al) for (const list of Object.values(al)) for (const x of list) if (!m.has(x)) m.set(x, c);
    }
  }
  return m;
}

/** The code point CPython's `\N{name}` stands for, or undefined (a SyntaxError in CPython). */
export function lookupUnicodeName(name: string): number | undefined {
  const n = name.toUpperCase();
  const algo = /^(CJK UNIFIED IDEOGRAPH|CJK COMPATIBILITY IDEOGRAPH|TANGUT IDEOGRAPH|KHITAN SMALL SCRIPT CHARACTER|NUSHU CHARACTER|EGYPTIAN HIEROGLYPH)-([0-9A-F]{4,6})$/.exec(n);
  if (algo) {
    const cp = parseInt(algo[2], 16);
    return cp <= 0x10ffff && table().unicodeBaseName(cp) === n ? cp : undefined;
  }
  if (n.startsWith('HANGUL SYLLABLE ')) {
    const { unicodeBaseName } = table();
    for (let cp = 0xac00; cp <= 0xd7a3; cp++) if (unicodeBaseName(cp) === n) return cp;
    return undefined;
  }
  index ??= build();
  return index.get(n);
}
