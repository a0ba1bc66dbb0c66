// SARIF 2.1.0 for GitHub code scanning. Messages and snippets are already redacted.
import { rules as allRules } from '../../rules/index.js';
import type { Result, Rule } from '../types.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

export function toSarif(result: Result, rules: Rule[] = allRules, version = '0.1.0'): string {
  const used = new Set(result.findings.map((f) => f.ruleId));
  const ruleList = rules.filter((r) => used.has(r.meta.id));
  const index = new Map(ruleList.map((r, i) => [r.meta.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'migration-gate',
            version,
            informationUri: 'https://github.com/migration-gate/migration-gate',
            rules: ruleList.map((r) => ({
              id: r.meta.id,
              name: r.meta.id,
              shortDescription: { text: r.meta.summary },
              fullDescription: { text: r.meta.rationale },
              help: { text: r.meta.fix, markdown: r.meta.fix },
              defaultConfiguration: { level: LEVEL[r.meta.severity] },
              properties: { category: r.meta.category, tags: ['security', 'migration', r.meta.category] },
            })),
          },
        },
        results: result.findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.path },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, snippet: { text: f.snippet } },
              },
            },
          ],
          partialFingerprints: { 'migrationGate/v1': f.fingerprint },
          properties: { category: f.category, gating: f.gating, ...(f.down ? { down: true } : {}) },
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
