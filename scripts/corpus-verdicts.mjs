// Compare two sets of CLI JSON reports over the corpus (one JSON per project, as written by
// `migration-gate check --format json <dir>`): gating findings per rule before and after, and the
// verdicts that changed (a finding that gated and no longer does, or the reverse), for reading by hand.
// Usage: node scripts/corpus-verdicts.mjs BEFORE_DIR AFTER_DIR [--sample N]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [before, after] = process.argv.slice(2);
const sampleN = Number(process.argv[process.argv.indexOf('--sample') + 1]) || 0;
if (!before || !after) {
  console.error('usage: node scripts/corpus-verdicts.mjs BEFORE_DIR AFTER_DIR [--sample N]');
  process.exit(2);
}

function load(dir) {
  const out = new Map();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
    try {
      out.set(f, JSON.parse(readFileSync(join(dir, f), 'utf8')));
    } catch {
      out.set(f, null);
    }
  }
  return out;
}
const A = load(before);
const B = load(after);
const perRule = new Map();
const bump = (rule, k) => {
  const r = perRule.get(rule) ?? { before: 0, after: 0 };
  r[k]++;
  perRule.set(rule, r);
};
const changed = [];
for (const [proj, a] of A) {
  const b = B.get(proj);
  if (!a || !b) {
    console.log(`${proj}: missing or unreadable report (${!a ? 'before' : 'after'})`);
    continue;
  }
  const key = (f) => `${f.path}:${f.line}:${f.ruleId}`;
  const ga = new Map(a.findings.filter((f) => f.gating).map((f) => [key(f), f]));
  const gb = new Map(b.findings.filter((f) => f.gating).map((f) => [key(f), f]));
  for (const f of ga.values()) bump(f.ruleId, 'before');
  for (const f of gb.values()) bump(f.ruleId, 'after');
  const all = new Map(b.findings.map((f) => [key(f), f]));
  for (const [k, f] of ga) if (!gb.has(k)) changed.push({ proj, was: 'gating', now: all.get(k) ? `${all.get(k).severity}, not gating` : 'no finding', f, now_msg: all.get(k)?.message });
  for (const [k, f] of gb) if (!ga.has(k)) changed.push({ proj, was: 'not gating', now: 'gating', f, now_msg: f.message });
  const ra = b.replay ?? [];
  for (const r of ra) console.log(`${proj}: ${r.dialect} ${r.engine} history ${r.history.replayed}/${r.history.statements} (${r.history.files} files), judged ${r.judged.replayed}/${r.judged.statements}${r.skippedCount ? `, ${r.skippedCount} refused` : ''}${r.limit ? `, stopped: ${r.limit}` : ''}${r.ms ? `, ${r.ms} ms` : ''}`);
}
console.log('\nrule | gating before | gating after | change');
console.log('---|---:|---:|---:');
for (const [rule, r] of [...perRule].sort((x, y) => x[0].localeCompare(y[0]))) if (r.before !== r.after) console.log(`${rule} | ${r.before} | ${r.after} | ${r.after - r.before > 0 ? '+' : ''}${r.after - r.before}`);
const tot = [...perRule.values()].reduce((s, r) => ({ before: s.before + r.before, after: s.after + r.after }), { before: 0, after: 0 });
console.log(`total | ${tot.before} | ${tot.after} | ${tot.after - tot.before}`);
console.log(`\n${changed.length} changed verdicts`);
if (sampleN) {
  // A spread sample: every k-th changed verdict.
  const step = Math.max(1, Math.floor(changed.length / sampleN));
  for (let i = 0; i < changed.length && i / step < sampleN; i += step) {
    const c = changed[i];
    console.log(`- [${c.proj}] ${c.f.path}:${c.f.line} ${c.f.ruleId}: ${c.was} → ${c.now}\n    before: ${c.f.message}\n    after:  ${c.now_msg ?? '-'}\n    snippet: ${c.f.snippet}`);
  }
}
