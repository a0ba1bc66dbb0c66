// The replay's whole-run limit can be raised: `replayTimeout:` in the config, `--replay-timeout` on
// the command line (over the config) and the action input `replay-timeout`, each 1 to 600 seconds;
// the replay-limit finding for that limit names them (and not for the per-statement limit).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { configFromInputs } from '../src/action/main.js';
import { main } from '../src/cli/main.js';
import { configJsonSchema, ConfigError, parseConfigText, parseReplayTimeout } from '../src/config/index.js';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false });
  return { code, out, err };
}

const configError = (text: string): string => {
  try {
    parseConfigText(text, 'cfg.yml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('no ConfigError');
};

describe('replayTimeout in the config', () => {
  it('takes seconds from 1 to 600', () => {
    expect(parseConfigText('replayTimeout: 60\n')).toEqual({ replayTimeout: 60 });
    expect(parseConfigText('replayTimeout: 1\n')).toEqual({ replayTimeout: 1 });
    expect(parseConfigText('replayTimeout: 600\n')).toEqual({ replayTimeout: 600 });
    expect(parseConfigText('replayTimeout: 2.5\n')).toEqual({ replayTimeout: 2.5 });
  });

  it('refuses other values with the bounds in the message', () => {
    for (const bad of ['0', '0.5', '601', '-5', 'soon', "'60'", 'true', '[60]']) {
      expect(configError(`replayTimeout: ${bad}\n`)).toMatch(/replayTimeout: expected a number of seconds from 1 to 600/);
    }
  });

  it('the published JSON Schema bounds it too', () => {
    const s = configJsonSchema(rules.map((r) => r.meta.id)) as any;
    expect(s.properties.replayTimeout).toMatchObject({ type: 'number', minimum: 1, maximum: 600 });
  });
});

describe('--replay-timeout and the action input', () => {
  it('parseReplayTimeout reads seconds and refuses the rest', () => {
    expect(parseReplayTimeout('45')).toBe(45);
    expect(parseReplayTimeout(' 1.5 ')).toBe(1.5);
    for (const bad of ['', '0', '601', '-1', '1e3', '10s', 'abc']) expect(() => parseReplayTimeout(bad)).toThrow(/from 1 to 600/);
  });

  it('a bad --replay-timeout is a usage error (exit 2) naming the flag', async () => {
    const d = mkdtempSync(join(tmpdir(), 'mg-rt-'));
    writeFileSync(join(d, '001_a.sql'), 'CREATE TABLE a (id int);\n');
    for (const bad of ['0', '1000', 'fast']) {
      const r = await cli(['check', '--replay-timeout', bad, d]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--replay-timeout: expected a number of seconds from 1 to 600/);
    }
    const ok = await cli(['check', '--replay-timeout', '30', d]);
    expect(ok.code).toBe(0);
    expect(ok.err).toBe('');
    expect((await cli(['help'])).out).toContain('--replay-timeout S');
  });

  it('the action input replay-timeout sets replayTimeout; a bad one names the input', () => {
    const inputs = (v: Record<string, string>) => (n: string) => v[n] ?? '';
    expect(configFromInputs(inputs({ 'replay-timeout': '90' }))).toEqual({ replayTimeout: 90 });
    expect(configFromInputs(inputs({}))).toEqual({});
    for (const bad of ['0', 'soon']) {
      expect(() => configFromInputs(inputs({ 'replay-timeout': bad }))).toThrow(/replay-timeout: expected a number of seconds from 1 to 600/);
    }
  });
});

describe('the whole-run limit is raisable, and replay-limit says how', () => {
  // Three migrations of 0.5 s each (each under the 2 s per-statement limit): 1.5 s of replay.
  const dir = mkdtempSync(join(tmpdir(), 'mg-rt-set-'));
  mkdirSync(join(dir, 'migrations'));
  for (let i = 1; i <= 3; i++) writeFileSync(join(dir, 'migrations', `00${i}_step.sql`), `CREATE TABLE t${i} (id int);\nSELECT pg_sleep(0.5);\n`);
  const limits = async (args: string[]) => {
    const r = await cli(['check', '--format', 'json', ...args, join(dir, 'migrations')]);
    return (JSON.parse(r.out).findings as Array<{ ruleId: string; message: string }>).filter((f) => f.ruleId === 'replay-limit');
  };

  it('a 1 s limit stops the replay and the finding names the flag and the config key; 60 s does not stop it', async () => {
    const tight = await limits(['--replay-timeout', '1']);
    expect(tight.length).toBeGreaterThan(0);
    expect(tight[0].message).toMatch(/wall-clock limit of 1000 ms/);
    expect(tight[0].message).toContain('--replay-timeout SECONDS');
    expect(tight[0].message).toContain('replayTimeout: SECONDS');
    expect(await limits(['--replay-timeout', '60'])).toEqual([]);
  }, 60_000);

  it('the config sets it and the flag overrides the config', async () => {
    writeFileSync(join(dir, 'tight.yml'), 'replayTimeout: 1\n');
    expect((await limits(['--config', join(dir, 'tight.yml')])).length).toBeGreaterThan(0);
    expect(await limits(['--config', join(dir, 'tight.yml'), '--replay-timeout', '60'])).toEqual([]);
  }, 60_000);

  it('the per-statement limit is not raisable: its finding does not point at the option', async () => {
    const d = mkdtempSync(join(tmpdir(), 'mg-rt-stmt-'));
    writeFileSync(join(d, '001_slow.sql'), 'CREATE TABLE s (id int);\nSELECT pg_sleep(3);\n');
    const r = await cli(['check', '--format', 'json', '--replay-timeout', '60', d]);
    const f = (JSON.parse(r.out).findings as Array<{ ruleId: string; message: string }>).filter((x) => x.ruleId === 'replay-limit');
    expect(f).toHaveLength(1);
    expect(f[0].message).toMatch(/per-statement limit/);
    expect(f[0].message).not.toContain('--replay-timeout');
  }, 60_000);
});
