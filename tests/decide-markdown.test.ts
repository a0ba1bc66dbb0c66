// Hostile input against src/report/markdown.ts, checked with a real CommonMark + GFM-table parser
// (markdown-it, HTML enabled as on GitHub, autolinks as GFM: scheme, www., e-mail) plus regexes
// for what GitHub links after rendering (mentions, issue references).
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { escapeMd, fence, inlineCode, stripControls, truncate } from '../src/report/markdown.js';

const md = new MarkdownIt({ html: true, linkify: true });
md.linkify.set({ fuzzyLink: false }); // GFM autolinks need a scheme or www.
type Token = ReturnType<typeof md.parse>[number];

const ZW = /\u200b/g;
const fold = (s: string) => stripControls(s).replace(/\s+/g, ' ');

/** Inline children of the only paragraph. */
function inline(src: string): Token[] {
  const tokens = md.parse(src, {});
  const blocks = tokens.filter((t) => t.type !== 'inline' && t.nesting >= 0 && t.level === 0);
  expect(blocks.map((t) => t.type)).toEqual(['paragraph_open']);
  return tokens.find((t) => t.type === 'inline')!.children!;
}

/** Text GitHub would run its mention / reference filters over (text nodes outside code and links). */
function textNodes(src: string): string {
  return md
    .parse(src, {})
    .flatMap((t) => t.children ?? [])
    .filter((t) => t.type === 'text')
    .map((t) => t.content)
    .join('\n');
}

/** What GitHub turns into a notification or a cross-reference in rendered text. */
function live(text: string): string[] {
  const found: string[] = [];
  for (const re of [/(?:^|[^\w`])@[a-z0-9][a-z0-9-]*(?:\/[a-z0-9][\w.-]*)?/gi, /(?:^|[^\w])#\d+/g, /\bGH-\d+/gi, /[\w.-]+\/[\w.-]+#\d+/g])
    for (const m of text.matchAll(re)) found.push(m[0]);
  return found;
}

const HOSTILE = [
  '@alice please look',
  'cc @org/security-team and @Org/DBA',
  'user@example.com',
  'fixes #12 and org/repo#34 and GH-56',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '</td></tr></table><b>bold</b>',
  '<!-- migration-gate:summary -->',
  '<!-- migration-gate:finding deadbeef -->',
  '<details><summary>x</summary>',
  '[click](https://evil.example/phish) ![i](https://evil.example/x.png)',
  'https://evil.example/login and www.evil.example and <https://evil.example>',
  'javascript:alert(1)',
  '**bold** _em_ ~~strike~~ `code` ``two``',
  '| a | b |\n| --- | --- |',
  '# heading\n- list\n> quote\n1. item\n===',
  '    indented code',
  '&lt;b&gt; &#64;alice &amp; &copy;',
  'back\\slash\\ and trailing\\',
  'a\r\nb\rc\nd\u2028e',
  'ctl\u0000\u0007\u001b[31m red \u007f',
  'bidi \u202eevil\u202c \u2066x\u2069',
  '```\nfence\n```',
  '~~~\ntilde\n~~~',
  ':smile: \\| pipe | pipe',
  '[^1]: footnote',
  '\\',
  '',
];

describe('escapeMd', () => {
  for (const s of HOSTILE) {
    it(`inert text: ${JSON.stringify(s).slice(0, 50)}`, () => {
      const src = `x ${escapeMd(s)} y`;
      const children = inline(src);
      expect(children.map((c) => c.type).filter((t) => t !== 'text')).toEqual([]);
      expect(children.map((c) => c.content).join('').replace(ZW, '')).toBe(`x ${fold(s)} y`);
      expect(live(textNodes(src))).toEqual([]);
      expect(src).not.toContain('<!--');
      expect(src).not.toMatch(/[\r\n]/);
    });
  }

  it('in a table cell: one cell, same text', () => {
    for (const s of HOSTILE) {
      const src = `| a | b | c |\n| --- | --- | --- |\n| 1 | ${escapeMd(s)} | 3 |\n`;
      const tokens = md.parse(src, {});
      expect(tokens.filter((t) => t.type === 'td_open')).toHaveLength(3);
      const cells = tokens.filter((t) => t.type === 'inline').slice(3);
      expect(cells[1]!.children!.map((c) => c.type).filter((t) => t !== 'text')).toEqual([]);
      expect(cells[1]!.children!.map((c) => c.content).join('').replace(ZW, '')).toBe(fold(s).trim());
      expect(cells[2]!.content).toBe('3');
    }
  });

  it('property: any string renders as its own text, with no markup, no links, no mentions', () => {
    const unit = fc.constantFrom(...'`|<>!-@#[]()*_\\&:/w.\n\r xa1A=~+{}"\''.split(''), 'www.', 'https://', '<!--', '\u202e', '\u0000', 'é', '😀');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (s) => {
        const src = `x ${escapeMd(s)} y`;
        const children = inline(src);
        expect(children.every((c) => c.type === 'text')).toBe(true);
        expect(children.map((c) => c.content).join('').replace(ZW, '')).toBe(`x ${fold(s)} y`);
        expect(live(textNodes(src))).toEqual([]);
        expect(src).not.toContain('<!-');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('inlineCode', () => {
  it('cannot be broken out of, whatever the backticks', () => {
    for (const s of [...HOSTILE, '`', '``', 'a`b', '`a`', ' a ', '```', '` `', 'x ````` y `']) {
      const children = inline(`x ${inlineCode(s, { table: false })} y`);
      expect(children.map((c) => c.type)).toEqual(['text', 'code_inline', 'text']);
      const expected = stripControls(s).replace(/[\r\n\u2028\u2029]+/g, ' ');
      expect(children[1]!.content.replace(ZW, '')).toBe(expected === '' ? ' ' : expected);
      expect(children[2]!.content).toBe(' y');
    }
  });

  it('in a table, pipes stay inside the cell and render as pipes', () => {
    const s = 'a | b || `c` | d';
    const src = `| a | b |\n| --- | --- |\n| ${inlineCode(s)} | 2 |\n`;
    const tokens = md.parse(src, {});
    expect(tokens.filter((t) => t.type === 'td_open')).toHaveLength(2);
    const cell = tokens.filter((t) => t.type === 'inline')[2]!;
    expect(cell.children!.map((c) => c.type)).toEqual(['code_inline']);
    expect(cell.children![0]!.content).toBe(s);
  });

  it('never carries a marker opener or a live mention', () => {
    expect(inlineCode('<!-- migration-gate:summary -->')).not.toContain('<!--');
    expect(inlineCode('GRANT x TO @alice')).toContain('@\u200balice');
    expect(inlineCode("'app'@'%'")).toBe("`'app'@'%'`");
  });

  it('property: round-trips any string as one code span', () => {
    const unit = fc.constantFrom(...'`|<>@ \na-'.split(''), '<!--');
    fc.assert(
      fc.property(fc.string({ unit, minLength: 1, maxLength: 30 }), (s) => {
        const children = inline(`x ${inlineCode(s, { table: false })} y`);
        expect(children.map((c) => c.type)).toEqual(['text', 'code_inline', 'text']);
        expect(children[1]!.content.replace(ZW, '')).toBe(s.replace(/\n+/g, ' '));
      }),
      { numRuns: 500 },
    );
  });
});

describe('fence', () => {
  it('one code block holding exactly the text, whatever fences it contains', () => {
    for (const s of [...HOSTILE, '```', '````\n```\n`', 'a\n```sql\nb\n```\nc', '  ```', '~~~']) {
      const src = `${fence(s, 'sql')}\n\nafter\n`;
      const tokens = md.parse(src, {});
      expect(tokens.map((t) => t.type)).toEqual(['fence', 'paragraph_open', 'inline', 'paragraph_close']);
      expect(tokens[0]!.info).toBe('sql');
      expect(tokens[0]!.content.replace(ZW, '')).toBe(stripControls(s).replace(/\r\n?|\u2028/g, '\n') + '\n');
      expect(tokens[2]!.content).toBe('after');
    }
  });

  it('cannot carry a marker, and the info string is sanitised', () => {
    expect(fence('<!-- migration-gate:summary -->')).not.toContain('<!--');
    expect(fence('x', 'sql`\n<b>')).toMatch(/^```sqlb\n/);
  });
});

describe('truncate', () => {
  it('cuts by code points, never inside a surrogate pair', () => {
    expect(truncate('😀😀😀', 2)).toBe('😀…');
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('ab…');
  });
});
