// Building the SQL equivalent of a Python call (PostgreSQL syntax) while keeping, for every
// character, the file offset it stands for: identifiers taken from string literals point at the
// literal, keywords at the call.
import { concat, type Str, strOf } from './source.js';

export class SqlGen {
  private readonly parts: Str[] = [];
  constructor(readonly at: number) {}

  /** Keywords and punctuation, attributed to the call. */
  kw(text: string): this {
    this.parts.push(strOf(text, this.at));
    return this;
  }

  /** Raw SQL taken from the file (a definition, a condition): kept as is. */
  raw(s: Str): this {
    this.parts.push(s);
    return this;
  }

  /** A double-quoted identifier (always quoted: names like `user` or `order` are keywords). */
  ident(s: Str | string): this {
    const v = typeof s === 'string' ? strOf(s, this.at) : s;
    const text: string[] = ['"'];
    const src: number[] = [v.src[0] ?? this.at];
    for (let i = 0; i < v.text.length; i++) {
      const c = v.text[i] === '\0' ? ' ' : v.text[i];
      text.push(c);
      src.push(v.src[i]);
      if (c === '"') {
        text.push('"'); // doubled inside a quoted identifier
        src.push(v.src[i]);
      }
    }
    text.push('"');
    src.push(v.src[v.src.length - 1] ?? this.at);
    this.parts.push({ text: text.join(''), src });
    return this;
  }

  /** `"schema"."name"` or `"name"`. */
  qname(name: Str | string, schema?: Str | string): this {
    if (schema !== undefined) this.ident(schema).kw('.');
    return this.ident(name);
  }

  /** A string constant `'…'` (quotes doubled). */
  literal(s: Str | string): this {
    const v = typeof s === 'string' ? strOf(s, this.at) : s;
    const text: string[] = ["'"];
    const src: number[] = [v.src[0] ?? this.at];
    for (let i = 0; i < v.text.length; i++) {
      const c = v.text[i] === '\0' ? ' ' : v.text[i];
      text.push(c);
      src.push(v.src[i]);
      if (c === "'") {
        text.push("'");
        src.push(v.src[i]);
      }
    }
    text.push("'");
    src.push(v.src[v.src.length - 1] ?? this.at);
    this.parts.push({ text: text.join(''), src });
    return this;
  }

  list<T>(items: T[], each: (item: T) => void, sep = ', '): this {
    items.forEach((it, i) => {
      if (i) this.kw(sep);
      each(it);
    });
    return this;
  }

  build(): Str {
    return concat(...this.parts);
  }
}
