// The config's JSON Schema names every rule id and every allowed value (editor completion, a typo'd
// rule id flagged in the editor), and config errors list the allowed values with a did-you-mean.
// (tests/config-examples.test.ts checks that ajv, the generated validator and the loader agree.)
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { configJsonSchema, ConfigError, parseConfigText } from '../src/config/index.js';
import { run } from '../src/engine.js';
import { CATEGORIES, DIALECTS, SEVERITIES } from '../src/types.js';

const ids = rules.map((r) => r.meta.id);

describe('config JSON Schema enumerates what is allowed', () => {
  const s = configJsonSchema(ids) as any;

  it('rule ids as the property names of rules:, the settings as enums', () => {
    expect(s.properties.rules.propertyNames.enum).toEqual([...ids].sort());
    expect(s.properties.rules.propertyNames.enum).toContain('drop-table');
    expect(s.properties.rules.propertyNames.enum).toContain('suppression-invalid');
    expect(s.properties.rules.propertyNames.enum).not.toContain('drop-tabel');
    const [str, obj] = s.properties.rules.additionalProperties.anyOf;
    expect(str.enum).toEqual(['off', ...SEVERITIES]);
    expect(obj.properties.severity.enum).toEqual([...SEVERITIES]);
    expect(obj.additionalProperties).toBe(false);
  });

  it('the other enums: mode, dialect, down, policy categories', () => {
    expect(s.properties.mode.enum).toEqual(['gate', 'report']);
    expect(s.properties.dialect.enum).toEqual([...DIALECTS]);
    expect(s.properties.down.enum).toEqual(['report', 'gate', 'ignore']);
    expect(s.properties.policy.propertyNames.enum).toEqual([...CATEGORIES]);
  });
});

describe('config errors list the allowed values and a did-you-mean', () => {
  const err = (text: string) => {
    try {
      parseConfigText(text, 'cfg.yml');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('no ConfigError');
  };

  it('enum values', () => {
    expect(err('dialect: postgres\n')).toMatch(/dialect: 'postgres' is not allowed \(did you mean 'postgresql'\?\); allowed: postgresql, mysql,/);
    expect(err('mode: reprot\n')).toMatch(/mode: 'reprot' is not allowed \(did you mean 'report'\?\); allowed: gate, report/);
    expect(err('down: gated\n')).toMatch(/allowed: report, gate, ignore/);
  });

  it('rule settings and unknown keys', () => {
    expect(err('rules:\n  drop-table: erorr\n')).toMatch(/rules\.drop-table: 'erorr' \(did you mean 'error'\?\) is not a rule setting; expected off, error, warning, info, or \{ severity, gating, off \}/);
    expect(err('polcy: {}\n')).toMatch(/\(root\): unknown key 'polcy' \(did you mean 'policy'\?\); allowed: dialect, include,/);
    expect(err('policy:\n  destructve: {approvals: 1}\n')).toMatch(/policy: unknown key 'destructve' \(did you mean 'destructive'\?\); allowed: destructive, privilege,/);
    expect(err('policy:\n  destructive: {aprovals: 1}\n')).toMatch(/policy\.destructive: unknown key 'aprovals' \(did you mean 'approvals'\?\); allowed: approvals, from, block/);
  });

  it('a typo\'d rule id: did you mean', async () => {
    await expect(run([], { config: { rules: { 'drop-tabel': 'off' } } })).rejects.toThrow(/unknown rule id\(s\): drop-tabel \(did you mean 'drop-table'\?\)/);
  });
});
