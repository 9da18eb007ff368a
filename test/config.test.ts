import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const dir = mkdtempSync(join(tmpdir(), 'lbp-config-'));
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

describe('loading the configuration', () => {
  it('has development defaults: loopback, port 3000, Danish, 300 ms deadline, sandbox on, default course limits', () => {
    const config = loadConfig({}, dir);
    expect(config).toMatchObject({ mode: 'development', host: '127.0.0.1', port: 3000, language: 'da', deadlineMs: 300, sandbox: true });
    expect(config.course.definitions.courses.get('recurrent')?.limits.find((l) => l.id === 'individual-training')?.max).toBe(6);
    expect(config.feedbackDbPath).toBe(join(dir, 'data/feedback.sqlite'));
  });

  it('applies course overrides from the CDS_CONFIG file', () => {
    const path = file('ok.json', { course: { individualTraining: { maxCount: 8 } }, language: 'en' });
    const config = loadConfig({ CDS_CONFIG: path }, dir);
    expect(config.course.definitions.courses.get('recurrent')?.limits.find((l) => l.id === 'individual-training')).toMatchObject({ max: 8, windowMonths: 3 });
    expect(config.language).toBe('en');
  });

  it('lists every problem at once: environment, file and course limits', () => {
    const path = file('bad.json', { deadlineMs: 5, course: { education: { maxPerCourse: -1 }, followUp: { toleranceDays: 'soon' } }, surprise: true });
    const problems = problemsOf({ CDS_CONFIG: path, PORT: 'eighty', CDS_LANGUAGE: 'sv' });
    expect(problems.some((p) => p.startsWith('PORT'))).toBe(true);
    expect(problems.some((p) => p.startsWith('CDS_LANGUAGE'))).toBe(true);
    expect(problems.some((p) => p.includes('deadlineMs'))).toBe(true);
    expect(problems.some((p) => p.includes('surprise') || p.includes('additional'))).toBe(true);
    expect(problems.filter((p) => p.startsWith('CDS_CONFIG course:'))).toHaveLength(2);
  });

  it('refuses production without trusted issuers, and development on a non-loopback address', () => {
    expect(problemsOf({ NODE_ENV: 'production' }).join('\n')).toMatch(/trustedIssuers/);
    expect(problemsOf({ HOST: '0.0.0.0' }).join('\n')).toMatch(/loopback/);
  });
  it('refuses production without PUBLIC_BASE_URL, and takes it when given', () => {
    const path = file('prod.json', { trustedIssuers: [{ iss: 'https://ehr.example.dk', jwksUrl: 'https://ehr.example.dk/jwks', fhirServers: [] }] });
    expect(problemsOf({ NODE_ENV: 'production', CDS_CONFIG: path })).toEqual([expect.stringContaining('PUBLIC_BASE_URL is required in production')]);
    expect(loadConfig({ NODE_ENV: 'production', CDS_CONFIG: path, PUBLIC_BASE_URL: 'https://cds.example.dk' }, dir).publicBaseUrl).toBe('https://cds.example.dk');
  });

  it('refuses two issuers with one iss unless each names its own tenant', () => {
    const entry = { iss: 'https://ehr.example.dk', jwksUrl: 'https://ehr.example.dk/jwks', fhirServers: [] };
    for (const issuers of [[entry, entry], [entry, { ...entry, tenant: 'a' }], [{ ...entry, tenant: 'a' }, { ...entry, tenant: 'a' }]]) {
      expect(problemsOf({ CDS_CONFIG: file('dup.json', { trustedIssuers: issuers }) })).toEqual([expect.stringContaining('need distinct tenants')]);
    }
    const ok = loadConfig({ CDS_CONFIG: file('tenants.json', { trustedIssuers: [{ ...entry, tenant: 'a' }, { ...entry, tenant: 'b' }] }) }, dir);
    // (development also trusts the public sandbox's issuer, which is not one of these)
    expect(ok.trustedIssuers.filter((i) => i.iss === entry.iss).map((i) => i.tenant)).toEqual(['a', 'b']);
  });

  it('checks the database URL and the log hash key', () => {
    const problems = problemsOf({ CDS_DATABASE_URL: 'mysql://x', CDS_LOG_HASH_KEY: 'short' }).join('\n');
    expect(problems).toMatch(/CDS_DATABASE_URL must be a postgres/);
    expect(problems).toMatch(/CDS_LOG_HASH_KEY must be at least 32/);
    const config = loadConfig({ CDS_DATABASE_URL: 'postgres://cds@db/cds', CDS_LOG_HASH_KEY: 'k'.repeat(32) }, dir);
    expect(config).toMatchObject({ databaseUrl: 'postgres://cds@db/cds', logHashKey: 'k'.repeat(32) });
  });
});
