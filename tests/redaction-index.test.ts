// `redact` skips the secrets that cannot change a text (found by where they occur whole, or where
// their head or tail meets a place a piece of the text ends or starts: src/analyze/index.ts
// `redactor`) so that a file with thousands of secrets stays linear. The
// result must be exactly that of trying every secret in turn: compared here with that reference on
// random texts and secrets over a small alphabet rich in the characters that matter (cut marks,
// quotes, the characters of masks).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskSecret, redact } from '../src/analyze/index.js';

/** The plain algorithm: every secret tried, longest first (src/analyze/index.ts before the index). */
function reference(text: string, secrets: Iterable<string>): string {
  let out = text;
  const all = [...secrets].filter(Boolean);
  const list = all.filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
  for (const s of list) {
    if (!out.includes(s)) continue;
    if (/^[A-Za-z]+$/.test(s)) out = out.replace(new RegExp(`(?<![A-Za-z0-9_])${s}(?![A-Za-z0-9_])`, 'g'), maskSecret(s));
    else out = out.split(s).join(maskSecret(s));
  }
  for (const s of all.filter((x) => x.length < 3)) {
    const e = s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(['"\`])${e}\\1|(:)${e}(@)`, 'g'), (_m, q, c, at) => (q ? q + maskSecret(s) + q : c + maskSecret(s) + at));
  }
  for (const s of list) {
    if (s.length < 4) continue;
    const parts: Array<{ body: string; cut: string }> = [];
    let last = 0;
    for (const m of out.matchAll(/…|\.\.\./g)) {
      parts.push({ body: out.slice(last, m.index), cut: m[0] });
      last = m.index! + m[0].length;
    }
    parts.push({ body: out.slice(last), cut: '' });
    out = parts
      .map((p, i) => {
        let b = p.body;
        for (let k = Math.min(s.length - 1, b.length); k >= 3; k--) {
          if (b.endsWith(s.slice(0, k))) {
            b = b.slice(0, b.length - k) + maskSecret(s);
            break;
          }
        }
        if (i === 0 || parts[i - 1].cut) {
          for (let k = Math.min(s.length - 1, b.length); k >= 3; k--) {
            if (b.startsWith(s.slice(s.length - k))) {
              b = maskSecret(s) + b.slice(k);
              break;
            }
          }
        }
        return b + p.cut;
      })
      .join('');
  }
  return out;
}

const chars = fc.constantFrom(...'abcAB12 .…()\'":@chars_x'.split(''));
const str = (min: number, max: number) => fc.array(chars, { minLength: min, maxLength: max }).map((a) => a.join(''));

describe('redact with the secret index', () => {
  it('gives what trying every secret gives', () => {
    fc.assert(
      fc.property(str(0, 40), fc.array(str(1, 10), { maxLength: 8 }), (text, secrets) => {
        expect(redact(text, secrets)).toBe(reference(text, secrets));
      }),
      { numRuns: 1500 },
    );
  });
  it('also on texts built from the secrets (cut, repeated, next to each other)', () => {
    fc.assert(
      fc.property(fc.array(str(1, 12), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (secrets, picks) => {
        const text = picks.map((p, i) => {
          const s = secrets[p % secrets.length];
          return i % 3 === 0 ? s.slice(0, 1 + (p % s.length)) + '…' : i % 3 === 1 ? '...' + s.slice(p % s.length) : ` '${s}' `;
        }).join('');
        expect(redact(text, secrets)).toBe(reference(text, secrets));
      }),
      { numRuns: 1500 },
    );
  });
  // More than 16 distinct first two characters: step (a) scans every position instead of looking
  // where String#indexOf finds a head (the properties above have at most 8 secrets: the indexOf way).
  it('gives what trying every secret gives with many distinct heads', () => {
    fc.assert(
      fc.property(str(0, 60), fc.array(str(1, 6), { minLength: 40, maxLength: 60 }), fc.array(fc.nat(), { maxLength: 4 }), (text, tails, picks) => {
        // 35 distinct heads, each a secret's first two characters.
        const secrets = tails.map((x, i) => 'abcAB12'[i % 7] + 'x_:@"'[Math.floor(i / 7) % 5] + x);
        const t = picks.reduce((acc, p) => acc + secrets[p % secrets.length] + (p % 2 ? '…' : ' '), text);
        expect(new Set(secrets.map((x) => x.slice(0, 2))).size).toBeGreaterThan(16);
        expect(redact(t, secrets)).toBe(reference(t, secrets));
      }),
      { numRuns: 300 },
    );
  });
  // A mask put in by one secret makes a new place where a piece ends, where a shorter secret's
  // head can then stand: each kind of mask once (the random texts above rarely build these).
  it.each([
    ['a head cut before a cut mark, then a head before its mask', 'zzabcdefgh…', ['abcdefghij', 'zzabQQ']],
    ['a whole secret, then a head before its mask', 'zzabc-efghij', ['abc-efghij', 'zzabQQ']],
    ['a risky secret (a parenthesis), then a head before its mask', 'xyzab(cd', ['ab(cd', 'xyzQ']],
    ['a risky secret of 8+, then a head before its mask (after its first two characters)', 'xyzab(cdefg', ['ab(cdefg', 'zabQQ']],
    ['a head at the very end', 'password pw-77-X', ['pw-77-Xk9q']],
    ['a quoted one-character pair, then a head before its mask', "xyz'ab'", ['ab', "yz'Q"]],
    ['a tail after a cut mark', '…fghij rest', ['abcdefghij']],
    ['a tail that starts inside a surrogate pair (compared by UTF-16 units)', '…\uDE00abc rest', ['x\uD83D\uDE00abc']],
    ['thousands of secrets sharing their head and tail', "CREATE ROLE r LOGIN PASSWORD 'pw-77-Xk9q'; -- pw-1…", Array.from({ length: 3000 }, (_, i) => `pw-${i}-Xk9q`)],
  ])('%s', (_name, text, secrets) => {
    const want = reference(text, secrets);
    expect(want).not.toBe(text);
    expect(redact(text, secrets)).toBe(want);
  });
});
