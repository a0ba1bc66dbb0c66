// schema/migration-gate.schema.json is generated from the zod schema (scripts/gen-schema.mjs);
// this fails when someone changes src/config/index.ts without regenerating it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { configJsonSchema, ConfigError, parseConfigText } from '../src/config/index.js';

describe('config JSON Schema', () => {
  it('the committed schema file is up to date (run node scripts/gen-schema.mjs)', () => {
    const committed = readFileSync(new URL('../schema/migration-gate.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(JSON.stringify(configJsonSchema(rules.map((r) => r.meta.id)), null, 2) + '\n');
  });

  it('describes the policy for editors', () => {
    const s = configJsonSchema() as any;
    expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(s.additionalProperties).toBe(false);
    const policy = s.properties.policy;
    expect(policy.propertyNames.enum).toContain('credential');
    expect(policy.additionalProperties.properties.approvals).toMatchObject({ type: 'integer', minimum: 0, maximum: 20 });
    expect(policy.additionalProperties.properties.from.items.pattern).toBeTruthy();
    expect(policy.additionalProperties.properties.block.description).toMatch(/No number of approvals/);
  });
});

describe('policy validation', () => {
  it('accepts logins and org/team slugs, with or without @', () => {
    const c = parseConfigText('policy:\n  destructive:\n    approvals: 2\n    from: [alice, "@bob", my-org/dba-team, "@Org/Sec_Team.x"]\n  credential:\n    block: true\n');
    expect(c.policy?.destructive?.from).toHaveLength(4);
  });

  it('rejects typos in from: entries (a security policy must not fail open on a typo)', () => {
    for (const bad of ['org/team/extra', 'al ice', '-alice', 'org/', '/team', 'a@b', '']) {
      expect(() => parseConfigText(`policy:\n  destructive:\n    from: [${JSON.stringify(bad)}]\n`), bad).toThrow(ConfigError);
    }
  });

  it('rejects unknown categories and keys', () => {
    expect(() => parseConfigText('policy:\n  destructiv:\n    approvals: 1\n')).toThrow(ConfigError);
    expect(() => parseConfigText('policy:\n  destructive:\n    approval: 1\n')).toThrow(ConfigError);
  });
});
