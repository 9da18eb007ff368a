import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { nearest } from '../src/did-you-mean.js';
import { PROJECT_ROOT } from './support/start-service.js';

const dir = mkdtempSync(join(tmpdir(), 'lbp-config-msg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, json: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(json));
  return path;
};
function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env, dir);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration errors say what to write instead', () => {
  it('refuses a NODE_ENV that is not development, production or test (a typo never means development)', () => {
    expect(problemsOf({ NODE_ENV: 'prod' })).toEqual(['NODE_ENV must be one of development, production, test, not "prod" (did you mean production?)']);
    expect(problemsOf({ NODE_ENV: 'Production' })).toEqual(['NODE_ENV must be one of development, production, test, not "Production" (did you mean production?)']);
    for (const mode of ['development', 'production', 'test'] as const) {
      expect(() => loadConfig({ NODE_ENV: mode, PUBLIC_BASE_URL: 'https://cds.example.dk', CDS_CONFIG: file('iss.json', { trustedIssuers: [{ iss: 'x', jwksUrl: 'https://x/jwks', fhirServers: [] }] }) }, dir)).not.toThrow();
    }
  });

  it("refuses a LOG_LEVEL that is not one of pino's levels", () => {
    expect(problemsOf({ LOG_LEVEL: 'verbose' })).toEqual(['LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "verbose"']);
    expect(problemsOf({ LOG_LEVEL: 'wran' })).toEqual(['LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "wran" (did you mean warn?)']);
    expect(loadConfig({ LOG_LEVEL: 'debug' }, dir).logLevel).toBe('debug');
  });

  it('lists the allowed values of an enum, and suggests the known key nearest an unknown one', () => {
    const path = file('typos.json', {
      language: 'sv',
      devFhirServer: ['https://x/fhir'],
      trustedIssuers: [{ iss: 'https://ehr', jwksURL: 'https://ehr/jwks', fhirServers: [] }],
      course: { individualTrainin: { maxCount: 8 }, rules: { 'one-per-dy': false } },
    });
    const problems = problemsOf({ CDS_CONFIG: path });
    expect(problems).toContain('CDS_CONFIG/language: must be one of da, en, not "sv"');
    expect(problems.find((p) => p.includes('"devFhirServer"'))).toMatch(/^CDS_CONFIG: unknown key "devFhirServer" \(did you mean devFhirServers\?\); known keys: language, /);
    expect(problems.find((p) => p.includes('"jwksURL"'))).toMatch(/^CDS_CONFIG\/trustedIssuers\/0: unknown key "jwksURL" \(did you mean jwksUrl\?\); known keys: iss, jwks, jwksUrl, /);
    // The issuer without a key source is one problem, not one per alternative.
    expect(problems.filter((p) => p.startsWith('CDS_CONFIG/trustedIssuers/0: needs one of jwks, jwksUrl or jkuAllowlist'))).toHaveLength(1);
    expect(problems.filter((p) => p.includes('must have required property'))).toEqual([]);
    expect(problems).toContain('CDS_CONFIG course: /: unknown property "individualTrainin" (did you mean individualTraining?)');
    expect(problems).toContain('CDS_CONFIG course: /rules: unknown property "one-per-dy" (did you mean one-per-day?)');
  });

  it('suggests nothing when no known word is near', () => {
    expect(nearest('surprise', ['language', 'sandbox', 'course'])).toBeUndefined();
    expect(nearest('sandbx', ['language', 'sandbox', 'course'])).toBe('sandbox');
  });

  it.each([['NODE_ENV', 'prod'], ['LOG_LEVEL', 'verbose']])('exits 78 with the message, no stack, when %s=%s', async (name, value) => {
    const error = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src/main.ts')], {
      cwd: PROJECT_ROOT, timeout: 30_000, env: { PATH: process.env.PATH ?? '', [name]: value, PORT: '0' },
    }).then(() => undefined, (e: { code: number; stderr: string }) => e);
    expect(error?.code).toBe(78);
    expect(error?.stderr).toMatch(new RegExp(`^Invalid configuration:\\n- ${name} must be one of `));
    expect(error?.stderr).not.toMatch(/\n\s+at /);
  });
});
