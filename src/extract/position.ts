// Offsets ↔ 1-based line/column, and UTF-8 byte offsets (libpg-query's stmt_location) → UTF-16.
// A leaf of the import graph (src/types.ts re-exports Position).

/** A 1-based position in a file. */
export interface Position {
  line: number;
  column: number;
}

export class LineMap {
  private readonly starts: number[] = [0];
  constructor(
    readonly text: string,
    private readonly baseLine = 1,
    private readonly baseColumn = 1,
  ) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  /** 1-based position of a UTF-16 offset. Offsets past the end clamp to the end. */
  pos = (offset: number): Position => {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    const column = o - this.starts[lo] + 1;
    return { line: this.baseLine + lo, column: lo === 0 ? column + this.baseColumn - 1 : column };
  };
  lineCount(): number {
    return this.starts.length;
  }
  /** Offset of the start of a 1-based line (relative to this map's text). */
  lineStart(line: number): number {
    const idx = Math.max(0, Math.min(line - this.baseLine, this.starts.length - 1));
    return this.starts[idx];
  }
}

// Maps of a few recent large texts (least recently used dropped): a unit's text and the texts of
// its nested bodies alternate, and rebuilding the unit's map at each switch made big files with
// many functions quadratic. Small texts are cheap to map and not kept.
const recent: Array<[string, (byte: number) => number]> = [];

/** Returns a function mapping UTF-8 byte offsets of `text` to UTF-16 offsets (memoized for recent texts). */
export function byteToChar(text: string): (byte: number) => number {
  if (text.length < 2048) return buildByteToChar(text);
  const i = recent.findIndex(([t]) => t === text);
  if (i >= 0) {
    const hit = recent[i];
    if (i > 0) {
      recent.splice(i, 1);
      recent.unshift(hit);
    }
    return hit[1];
  }
  const fn = buildByteToChar(text);
  recent.unshift([text, fn]);
  if (recent.length > 8) recent.pop();
  return fn;
}

function buildByteToChar(text: string): (byte: number) => number {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7F]/.test(text)) return (b) => b;
  const bytes: number[] = new Array(text.length + 1);
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    bytes[i] = b;
    const c = text.charCodeAt(i);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes[i + 1] = b; // low surrogate shares the code point's start
      b += 4;
      i++;
    } else b += 3;
  }
  bytes[text.length] = b;
  return (byte: number) => {
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bytes[mid] <= byte) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}
