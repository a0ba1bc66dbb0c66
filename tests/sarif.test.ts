// SARIF as code scanning reads it, checked by Microsoft's SARIF validator (the .NET SARIF
// Multitool from npm, offline): zero errors, zero warnings, on a report with every kind of finding.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { pascalName, securitySeverity } from '../src/report/sarif.js';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli', 'index.js');
const require = createRequire(import.meta.url);
// The platform package holds the self-contained .NET executable.
const MULTITOOL: string = require('@microsoft/sarif-multitool');

function validate(sarifPath: string): { level: string; ruleId: string; text: string }[] {
  const out = sarifPath.replace(/\.sarif$/, '.validation.sarif');
  const r = spawnSync(MULTITOOL, ['validate', sarifPath, '-o', out, '--level', 'Error', 'Warning', 'Note', '--rule-kind', 'Sarif', 'Gh'], { encoding: 'utf8', env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
  expect(r.error).toBeUndefined();
  const log = JSON.parse(readFileSync(out, 'utf8'));
  const driverRules = log.runs[0].tool.driver.rules ?? [];
  return (log.runs[0].results ?? []).map((x: any) => {
    const rule = driverRules.find((d: any) => d.id === x.ruleId);
    const tpl: string = rule?.messageStrings?.[x.message.id]?.text ?? x.message.text ?? '';
    return { level: x.level ?? 'warning', ruleId: x.ruleId, text: tpl.replace(/\{(\d+)\}/g, (_m: string, i: string) => x.message.arguments?.[Number(i)] ?? '') };
  });
}

describe('SARIF', () => {
  it('passes the SARIF Multitool validator (SARIF and GitHub rules) with no error and no warning', () => {
    const d = mkdtempSync(join(tmpdir(), 'mg-sarif-'));
    const out = join(d, 'report.sarif');
    // examples/ has findings of every category, Python and config files, and a down migration.
    const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'sarif', '-o', out, 'examples'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(1);
    const problems = validate(out).filter((p) => p.level === 'error' || p.level === 'warning');
    expect(problems).toEqual([]);
    // The validator itself reports problems (the check can fail): a log with `name` equal to `id`.
    const bad = JSON.parse(readFileSync(out, 'utf8'));
    bad.runs[0].tool.driver.rules[0].name = bad.runs[0].tool.driver.rules[0].id;
    writeFileSync(join(d, 'bad.sarif'), JSON.stringify(bad));
    expect(validate(join(d, 'bad.sarif')).filter((p) => p.level === 'warning' || p.level === 'error').length).toBeGreaterThan(0);
  }, 600_000);

  it('what code scanning reads: helpUri, name, security-severity, automationDetails, root-relative URIs', () => {
    // A git work tree with the migrations in a subdirectory, checked from that subdirectory.
    const repo = mkdtempSync(join(tmpdir(), 'mg-sarif-repo-'));
    execFileSync('git', ['init', '-q', repo]);
    mkdirSync(join(repo, 'services', 'api', 'db'), { recursive: true });
    writeFileSync(join(repo, 'services', 'api', 'db', 'V1__a b#1.sql'), "DROP TABLE users;\nCREATE ROLE x LOGIN PASSWORD 'Sup3r-Secret-Value!';\n");
    const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'sarif', 'db'], { cwd: join(repo, 'services', 'api'), encoding: 'utf8' });
    const run = JSON.parse(r.stdout).runs[0];
    expect(run.automationDetails).toEqual({ id: 'migration-gate/' });
    const uris = run.results.map((x: any) => x.locations[0].physicalLocation.artifactLocation);
    for (const u of uris) expect(u).toEqual({ uri: 'services/api/db/V1__a%20b%231.sql', uriBaseId: '%SRCROOT%' });
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toMatch(/^file:\/\/\/.*\/$/);
    for (const rule of run.tool.driver.rules) {
      expect(rule.name.toLowerCase()).not.toBe(rule.id.toLowerCase());
      expect(rule.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(rule.helpUri).toBe(`https://github.com/migration-gate/migration-gate/blob/main/docs/rules/${rule.id}.md`);
      expect(rule.properties.tags).toContain('security');
      expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
    }
    const sev = Object.fromEntries(run.tool.driver.rules.map((x: any) => [x.id, Number(x.properties['security-severity'])]));
    expect(sev['hardcoded-password']).toBeGreaterThanOrEqual(9); // critical
    expect(sev['drop-table']).toBeGreaterThanOrEqual(4); // medium
    expect(r.stdout).not.toContain('Sup3r-Secret-Value');
  });

  it("every rule has a distinct PascalCase name and a security-severity in GitHub's range", () => {
    const names = rules.map((r) => pascalName(r.meta.id));
    expect(new Set(names).size).toBe(rules.length);
    for (const r of rules) {
      const s = Number(securitySeverity(r.meta.category, r.meta.severity));
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThanOrEqual(10);
    }
    expect(pascalName('create-index-non-concurrent')).toBe('CreateIndexNonConcurrent');
    expect(pascalName('grant')).toBe('GrantRule');
    for (const n of names) expect(rules.some((r) => r.meta.id.toLowerCase() === n.toLowerCase())).toBe(false);
  });
});
