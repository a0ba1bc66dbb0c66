// Property-based tests (fast-check): whatever the bytes or SQL-ish text, the engine returns a
// result (never throws), every finding points inside the file, the result survives JSON, and text
// that PostgreSQL's parser rejects is never passed silently.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/engine.js';
import { decode } from '../src/extract/index.js';
import { loadModule, parseSync, PgGuardError, PgSyntaxError } from '../src/parse/guard.js';
import type { Dialect, Result, SourceFile } from '../src/types.js';

// PROPERTY_RUNS=5000 for a longer local fuzzing session.
const RUNS = Number(process.env.PROPERTY_RUNS) || 300;

/** The invariants every result must hold for a single file. */
function checkResult(file: SourceFile, r: Result): void {
  expect(r.files).toHaveLength(1);
  const lines = decode(file.content).text.split('\n');
  for (const f of r.findings) {
    expect(f.path).toBe(file.path);
    expect(Number.isInteger(f.line) && Number.isInteger(f.column)).toBe(true);
    expect(f.line).toBeGreaterThanOrEqual(1);
    expect(f.line).toBeLessThanOrEqual(lines.length);
    expect(f.column).toBeGreaterThanOrEqual(1);
    expect(f.column).toBeLessThanOrEqual(lines[f.line - 1].length + 1);
    expect(f.endLine).toBeGreaterThanOrEqual(f.line);
    expect(f.endLine).toBeLessThanOrEqual(lines.length);
    expect(f.message.length).toBeGreaterThan(0);
  }
  expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  expect(r.summary.findings).toBe(r.findings.length);
  if (r.files[0].unparsed > 0) expect(r.findings.some((f) => f.ruleId === 'parse-error')).toBe(true);
}

// The engine's reading is checked without the sandboxed replay (a second a run); one property below
// runs the same invariants with it.
async function checkOne(content: string | Uint8Array, path = 'migrations/0001_prop.sql', dialect?: Dialect, replay = false): Promise<Result> {
  const file: SourceFile = { path, content };
  const r = await run([file], { dialect, replay });
  checkResult(file, r);
  return r;
}

// SQL-ish pieces: keywords, every kind of quote and comment opener, dollar quotes, parentheses,
// psql backslashes, line endings. Joined at random they hit the splitter's and parser's corners.
const KEYWORDS = ['SELECT', 'DROP', 'TABLE', 'GRANT', 'ALL', 'ON', 'TO', 'PUBLIC', 'DO', 'BEGIN', 'END', 'EXECUTE', 'CREATE', 'FUNCTION', 'RETURNS', 'void', 'LANGUAGE', 'plpgsql', 'sql', 'AS', 'INSERT', 'INTO', 'VALUES', 'DELETE', 'FROM', 'WHERE', 'ALTER', 'ROLE', 'PASSWORD', 'COPY', 'PROGRAM', 'TRUNCATE', 'users', 't', 'x'];
const PUNCT = [' ', ' ', ' ', '\n', '\r\n', '\t', ';', ';', '(', ')', ',', '.', "'", "''", '"', "E'", '\\', '\\n', '$$', '$a$', '$1', '--', '/*', '*/', '#', '`', '+', '-', '*', '=', '||', '{{', '}}', '${', '}', '\0', '\uFEFF', '\u200B', 'é', '\uD83D\uDE00'];
const token = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...KEYWORDS) }, { weight: 4, arbitrary: fc.constantFrom(...PUNCT) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) });
const sqlish = fc.array(token, { maxLength: 80 }).map((ts) => ts.join(''));

/** Same, without what the engine handles before the parser (meta-commands, templates, COPY data). */
const PLAIN_PUNCT = PUNCT.filter((p) => !/[\\{}]/.test(p));
const plainToken = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...KEYWORDS.filter((k) => k !== 'COPY')) }, { weight: 4, arbitrary: fc.constantFrom(...PLAIN_PUNCT) });
const plainSql = fc.array(plainToken, { minLength: 1, maxLength: 40 }).map((ts) => ts.join(''));

/** Any UTF-16 code unit, lone surrogates included (only a caller's string can hold them). */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

describe('engine properties', () => {
  beforeAll(() => loadModule());

  it('arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        await checkOne(bytes);
      }),
      { numRuns: RUNS },
    );
  });

  it('arbitrary strings, lone surrogates included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: anyCodeUnit, maxLength: 300 })), async (s) => {
        await checkOne(s);
      }),
      { numRuns: RUNS },
    );
  });

  it('SQL-ish text, PostgreSQL', async () => {
    await fc.assert(
      fc.asyncProperty(sqlish, async (s) => {
        const a = await checkOne(s);
        // Deterministic: same input, same findings and fingerprints.
        const b = await run([{ path: 'migrations/0001_prop.sql', content: s }], { replay: false });
        expect(b.findings).toEqual(a.findings);
      }),
      { numRuns: RUNS },
    );
  });

  it('SQL-ish text, PostgreSQL and SQLite, with the sandboxed replay', async () => {
    const target = fc.constantFrom<[string, Dialect | undefined]>(['migrations/0001_prop.sql', undefined], ['db/0001.sqlite.up.sql', undefined]);
    await fc.assert(
      fc.asyncProperty(fc.array(plainToken, { minLength: 1, maxLength: 60 }).map((ts) => ts.join('')), target, async (s, [path, dialect]) => {
        await checkOne(`CREATE TABLE users (id int, email text);\n${s}`, path, dialect, true);
      }),
      { numRuns: Math.max(10, Math.round(RUNS / 15)) },
    );
  }, 300_000);

  it('SQL-ish text in other dialects and file kinds', async () => {
    const target = fc.constantFrom<[string, Dialect | undefined]>(
      ['db/mysql/0001.sql', 'mysql'],
      ['db/0001.sqlite.up.sql', undefined],
      ['migrations/0001.sql', 'transactsql'],
      ['changelog.sql', undefined],
      ['migrations/0001_x/migration.sql', undefined],
    );
    await fc.assert(
      fc.asyncProperty(sqlish, target, async (s, [path, dialect]) => {
        await checkOne(s, path, dialect);
      }),
      { numRuns: RUNS },
    );
  });

  it('Liquibase and goose sections', async () => {
    const header = fc.constantFrom('--liquibase formatted sql\n--changeset a:1\n', '-- +goose Up\n', '-- migrate:up\n', '');
    const footer = fc.constantFrom('\n--rollback DROP TABLE t;\n', '\n-- +goose Down\n', '\n-- migrate:down\n', '');
    await fc.assert(
      fc.asyncProperty(header, sqlish, footer, sqlish, async (h, a, f, b) => {
        await checkOne(h + a + f + b);
      }),
      { numRuns: RUNS },
    );
  });

  it('text the PostgreSQL parser rejects always yields a parse error', async () => {
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(plainSql, async (s) => {
        let fails = false;
        try {
          // The text the engine hands to the parser (a leading BOM is blanked, as psql ignores it).
          parseSync(decode(s).text);
        } catch (e) {
          if (!(e instanceof PgSyntaxError || e instanceof PgGuardError)) throw e;
          fails = true;
        }
        const r = await checkOne(s);
        if (fails) {
          rejected++;
          expect(r.findings.map((f) => f.ruleId)).toContain('parse-error');
        }
      }),
      { numRuns: RUNS },
    );
    // The generator must actually produce rejected text, or the property says nothing.
    expect(rejected).toBeGreaterThan(RUNS / 4);
  });
});

describe('clause lookups without a pattern per name', () => {
  // drop-constraint finds `DROP CONSTRAINT name` with one pattern for every name (a pattern compiled
  // per name was a hot spot of big files); it must find what the per-name pattern found.
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const piece = fc.constantFrom(' ', '  ', '\n', '', 'drop', 'DROP', 'constraint', 'CONSTRAINT', 'foreign key', 'FOREIGN\nKEY', 'check', 'if exists', 'IF  EXISTS', 'if', '"', '`', 'foo', 'FOO', 'fo', 'k', 'K', '\u212a', 'ß', 'SS', 'ſ', 'é', 'É', '_', ';', '(', '?', 'x');
  const name = fc.constantFrom('foo', 'FOO', 'fo', 'k', 'K', '\u212a', 'ß', 'SS', 'ſ', 's', 'é', 'if', 'exists', '?', 'x(', 'a b');
  it('dropClause finds what the per-name pattern finds', async () => {
    const { dropClause } = await import('../rules/drop-constraint.js');
    const clause = fc.tuple(fc.array(piece, { maxLength: 3 }), fc.constantFrom(' ', '\n  '), fc.constantFrom('constraint', 'FOREIGN KEY', 'check'), fc.constantFrom(' ', ' if exists ', ' IF\tEXISTS '), fc.constantFrom('', '"', '`'), name, fc.array(piece, { maxLength: 2 }));
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, clause.map(([h, w, k, i, q, n, t]) => `${h.join('')}drop${w}${k}${i}${q}${n}${t.join('')}`)), { maxLength: 8 }), name, (parts, n) => {
        const text = parts.join('');
        const re = new RegExp(`\\bdrop\\s+(constraint|foreign\\s+key|check)\\s+(if\\s+exists\\s+)?[\`"]?${esc(n)}\\b`, 'i');
        expect(dropClause(text, n)).toBe(re.exec(text)?.index);
      }),
      { numRuns: RUNS * 20 },
    );
  });

  // The same lookup for the column and constraint rules' clauses (add-column-not-null-no-default,
  // alter-column-type, constraint-not-valid, drop-column, rename-column): the optional words tried
  // present and absent as the per-name pattern's backtracking does (`ADD COLUMN column`).
  const shapes = [
    { pattern: String.raw`\badd\s+(column\s+)?(if\s+not\s+exists\s+)?[\`"]?`, head: /\badd\s+/gi, optional: [/column\s+/iy, /if\s+not\s+exists\s+/iy], quotes: '`"', words: ['add', 'ADD', 'column', 'COLUMN', 'if not exists', 'IF  NOT\nEXISTS', 'not exists', 'if'] },
    { pattern: String.raw`\b(alter|modify|change)\s+(column\s+)?[\`"]?`, head: /\b(?:alter|modify|change)\s+/gi, optional: [/column\s+/iy], quotes: '`"', words: ['alter', 'MODIFY', 'Change', 'column', 'COLUMN'] },
    { pattern: String.raw`\bconstraint\s+[\`"]?`, head: /\bconstraint\s+/gi, optional: [], quotes: '`"', words: ['constraint', 'CONSTRAINT'] },
    { pattern: String.raw`\bdrop\s+(column\s+|attribute\s+)?(if\s+exists\s+)?[\`"\[]?`, head: /\bdrop\s+/gi, optional: [/(?:column|attribute)\s+/iy, /if\s+exists\s+/iy], quotes: '`"[', words: ['drop', 'DROP', 'column', 'ATTRIBUTE', 'if exists', 'IF\tEXISTS', 'exists', '['] },
    { pattern: String.raw`\b(rename|change)\s+(column\s+|attribute\s+)?[\`"]?`, head: /\b(?:rename|change)\s+/gi, optional: [/(?:column|attribute)\s+/iy], quotes: '`"', words: ['rename', 'RENAME', 'change', 'column', 'attribute'] },
    // set-not-null: the name followed by its own tail instead of a word boundary.
    { pattern: String.raw`\balter\s+(column\s+)?[\`"]?`, head: /\balter\s+/gi, optional: [/column\s+/iy], quotes: '`"', words: ['alter', 'ALTER', 'column', 'COLUMN'], tail: /[`"]?\s+set\s+not\s+null/iy, tailPattern: String.raw`[\`"]?\s+set\s+not\s+null`, after: ['set not null', '" SET  NOT\nNULL', ' set not', '`\tset not null', 'set'] },
  ] as Array<{ pattern: string; head: RegExp; optional: RegExp[]; quotes: string; words: string[]; tail?: RegExp; tailPattern?: string; after?: string[] }>;
  it('namedClause finds what each per-name pattern finds', async () => {
    const { namedClause } = await import('../src/sql/ast.js');
    const names = fc.constantFrom('foo', 'FOO', 'k', '\u212a', 'ß', 'ſ', 's', 'é', 'column', 'COLUMN', 'if', 'exists', 'attribute', 'add', 'x(', 'a b', '[x', '"');
    for (const sh of shapes) {
      const words = fc.constantFrom(...sh.words, ...(sh.after ?? []), ' ', '  ', '\n', '', '"', '`', 'foo', 'FOO', 'k', 'K', '\u212a', 'ß', 'SS', 'é', '_', ';', '(', 'x');
      // Whole clauses too: a head word, some of the optional words, a quote or none, a name.
      const clause = fc
        .tuple(fc.constantFrom(...sh.words.slice(0, 2)), fc.subarray(sh.words.slice(2)), fc.constantFrom('', ...sh.quotes), names)
        .chain(([h, opt, q, n]) => fc.constantFrom('', ...(sh.after ?? [])).map((a) => `${h} ${opt.join(' ')}${opt.length ? ' ' : ''}${q}${n}${a}`));
      fc.assert(
        fc.property(fc.array(fc.oneof(words, names, clause), { maxLength: 10 }), fc.array(fc.constantFrom('', ' ', '\n'), { maxLength: 10 }), names, (parts, gaps, n) => {
          const text = parts.map((p, i) => p + (gaps[i] ?? ' ')).join('');
          const re = new RegExp(`${sh.pattern}${esc(n)}${sh.tailPattern ?? '\\b'}`, 'i');
          expect(namedClause(text, n, sh.head, sh.optional, sh.quotes, sh.tail), `${sh.pattern} in ${JSON.stringify(text)} for ${JSON.stringify(n)}`).toBe(re.exec(text)?.index);
        }),
        { numRuns: RUNS * 20 },
      );
    }
  });
});

describe('hasNode (the kept key set of a tree)', () => {
  it('answers as a walk of the same tree does, for every key asked', async () => {
    const { hasNode, walk } = await import('../src/sql/ast.js');
    const key = fc.constantFrom('a', 'b', 'FuncCall', 'stmts', '0', '__proto__', 'length');
    const leaf = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.string({ maxLength: 3 }));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('tree'), { maxLength: 3 }), fc.dictionary(key, tie('tree'), { maxKeys: 4 })),
    }));
    fc.assert(
      fc.property(tree, fc.array(key, { minLength: 1, maxLength: 3 }), (t, asked) => {
        const seen = new Set<string>();
        walk(t, (k) => void seen.add(k));
        // Asked twice: the first answer builds the kept set, the second reads it.
        for (let i = 0; i < 2; i++) expect(hasNode(t, ...asked)).toBe(!!t && typeof t === 'object' && asked.some((k) => seen.has(k)));
      }),
      { numRuns: RUNS * 10 },
    );
  });
});

describe('lexicalForm (comments out, folded, lower-cased)', () => {
  /** The form built one character at a time (src/parse/split.ts before it copied runs as slices). */
  function reference(text: string, skipBlock: (t: string, i: number) => number): string {
    let s = '';
    let i = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === '-' && text[i + 1] === '-') {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? text.length : nl;
        s += ' ';
        continue;
      }
      if (c === '/' && text[i + 1] === '*') {
        i = skipBlock(text, i);
        s += ' ';
        continue;
      }
      s += c;
      i++;
    }
    return s
      .normalize('NFKC')
      .replace(/[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u00AD\uFEFF\u0000-\u0008\u000E-\u001F]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
      .toLowerCase();
  }
  /** Nested block comments, as PostgreSQL reads them (an unclosed one runs to the end). */
  function skipBlock(t: string, i: number): number {
    let depth = 0;
    while (i < t.length) {
      if (t[i] === '/' && t[i + 1] === '*') (depth++, (i += 2));
      else if (t[i] === '*' && t[i + 1] === '/') {
        depth--;
        i += 2;
        if (depth === 0) return i;
      } else i++;
    }
    return t.length;
  }
  it('is what building it one character at a time gives', async () => {
    const { lexicalForm } = await import('../src/parse/split.js');
    const chars = fc.constantFrom(...'aB -/*\n\t\u200B\uFB01\uD83D\uDE00x;'.split(''), '/*', '*/', '--');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 50 }).map((a) => a.join('')), (text) => {
        expect(lexicalForm(text)).toBe(reference(text, skipBlock));
      }),
      { numRuns: 3000 },
    );
  });
});
