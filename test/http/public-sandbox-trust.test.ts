import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createAuthenticator } from '../../src/http/authenticate.js';
import { fhirServerRefusal } from '../../src/cds/fhir-server-policy.js';
import { PUBLIC_SANDBOX_ISS, PUBLIC_SANDBOX_ISSUER, PUBLIC_SANDBOX_JWKS } from '../../src/sandbox/public-sandbox-issuer.js';
import { REALWORLD_DIR } from '../support/shared-dir.js';
import { PROJECT_ROOT, startService, type RunningService } from '../support/start-service.js';
import { createTestIssuer, type TestIssuer } from '../support/jwt.js';
import { openSqliteStore } from '../../src/storage/sqlite-store.js';
import type { Store } from '../../src/storage/store.js';

const AUD = 'http://127.0.0.1:3000/cds-services/lbp-patient-view';
const SANDBOX_DIR = join(REALWORLD_DIR, 'clients', 'cds-hooks-sandbox');

describe('the public CDS Hooks sandbox is trusted in development only', () => {
  it('ships the very public key that the sandbox build ships', () => {
    const shipped = JSON.parse(readFileSync(join(SANDBOX_DIR, '.well-known', 'jwks.json'), 'utf8'));
    expect(PUBLIC_SANDBOX_JWKS).toEqual(shipped);
  });

  it('adds the sandbox issuer in development mode, never in production or test mode', () => {
    const dev = loadConfig({ NODE_ENV: 'development' }, PROJECT_ROOT);
    expect(dev.trustedIssuers.map((i) => i.iss)).toEqual([PUBLIC_SANDBOX_ISS]);
    expect(dev.trustedIssuers[0]?.developmentOnly).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }, PROJECT_ROOT).trustedIssuers).toEqual([]);
  });

  it('keeps an issuer the configuration names itself instead of adding the built-in one', () => {
    const dir = mkTempConfig({ trustedIssuers: [{ iss: PUBLIC_SANDBOX_ISS, jkuAllowlist: ['https://sandbox.cds-hooks.org/.well-known/jwks.json'], fhirServers: [] }] });
    const config = loadConfig({ NODE_ENV: 'development', CDS_CONFIG: dir }, PROJECT_ROOT);
    expect(config.trustedIssuers).toHaveLength(1);
    expect(config.trustedIssuers[0]?.developmentOnly).toBeUndefined();
  });

  it('lets a sandbox call use loopback FHIR servers in development, and nothing else', () => {
    const caller = { issuer: PUBLIC_SANDBOX_ISSUER };
    const dev = { mode: 'development' as const, devFhirServers: ['https://launch.smarthealthit.org/v/r4/fhir'] };
    expect(fhirServerRefusal('http://127.0.0.1:3000/fhir', caller, dev)).toBeUndefined();
    expect(fhirServerRefusal('https://launch.smarthealthit.org/v/r4/fhir', caller, dev)).toBeUndefined();
    expect(fhirServerRefusal('https://ehr.example.dk/fhir', caller, dev)?.reason).toMatch(/loopback/);
    expect(fhirServerRefusal('http://127.0.0.1:3000/fhir', caller, { mode: 'production', devFhirServers: [] })?.reason).toMatch(/not among/);
  });
});

describe('a configured key wins over a jku, and a failed JWKS fetch is logged', () => {
  // The replay cache is the real store (SQLite in memory), as in the service.
  let store: Store;
  beforeAll(async () => {
    store = await openSqliteStore(':memory:');
  });
  afterAll(async () => store.close());
  let issuer: TestIssuer;
  let dead: Server;
  let deadUrl: string;
  let hits = 0;
  beforeAll(async () => {
    issuer = await createTestIssuer('https://ehr.example.dk', 'ES384');
    // A server that is there but answers no JWKS: every hit is counted.
    dead = createServer((_req, res) => {
      hits += 1;
      res.statusCode = 500;
      res.end('no');
    });
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((r) => dead.close(() => r())));

  it('verifies with the inline jwks although the token names a jku, fetching nothing', async () => {
    const auth = createAuthenticator({ replayCache: store, requireToken: true, trustedIssuers: [{ iss: issuer.iss, jwks: issuer.jwks, jkuAllowlist: [deadUrl], fhirServers: [] }] });
    const token = await issuer.sign(AUD, { header: { jku: deadUrl } });
    expect((await auth({ authorization: `Bearer ${token}`, url: AUD })).issuer?.iss).toBe(issuer.iss);
    const offline = await issuer.sign(AUD, { header: { jku: 'https://sandbox.cds-hooks.org/.well-known/jwks.json' } });
    expect((await auth({ authorization: `Bearer ${offline}`, url: AUD })).issuer?.iss).toBe(issuer.iss);
    expect(hits).toBe(0);
  });

  it('refuses a token whose kid the inline jwks lacks, without following its jku', async () => {
    const other = await createTestIssuer(issuer.iss, 'ES384');
    const auth = createAuthenticator({ replayCache: store, requireToken: true, trustedIssuers: [{ iss: issuer.iss, jwks: issuer.jwks, jkuAllowlist: [deadUrl], fhirServers: [] }] });
    await expect(auth({ authorization: `Bearer ${await other.sign(AUD, { header: { jku: deadUrl } })}`, url: AUD })).rejects.toMatchObject({ status: 401 });
    expect(hits).toBe(0);
  });

  it('reports the URL and the cause of a JWKS that cannot be fetched', async () => {
    const failures: { url: string; cause: string }[] = [];
    // A port that was free a moment ago: nothing listens there now, so the connection is refused.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const refused = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/jwks.json`;
    await new Promise<void>((r) => closed.close(() => r()));
    const auth = createAuthenticator({
      replayCache: store,
      requireToken: true,
      trustedIssuers: [{ iss: issuer.iss, jkuAllowlist: [deadUrl, refused], fhirServers: [] }],
      onJwksError: (f) => failures.push(f),
    });
    await expect(auth({ authorization: `Bearer ${await issuer.sign(AUD, { header: { jku: deadUrl } })}`, url: AUD })).rejects.toMatchObject({ status: 401 });
    await expect(auth({ authorization: `Bearer ${await issuer.sign(AUD, { header: { jku: refused } })}`, url: AUD })).rejects.toMatchObject({ status: 401 });
    expect(failures[0]).toEqual({ url: deadUrl, cause: expect.stringMatching(/ERR_JOSE_GENERIC|JOSE|JWKS/) });
    expect(failures[1]).toEqual({ url: refused, cause: expect.stringMatching(/ECONNREFUSED/) });
  });
});

describe('preflights allow a public page to call a service on the user\'s machine', () => {
  let svc: RunningService;
  beforeAll(async () => {
    svc = await startService();
  });
  afterAll(() => svc.close());

  it('answers Access-Control-Allow-Private-Network: true', async () => {
    const response = await fetch(`${svc.url}/cds-services`, {
      method: 'OPTIONS',
      headers: { origin: 'https://sandbox.cds-hooks.org', 'access-control-request-method': 'GET', 'access-control-request-private-network': 'true' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-private-network')).toBe('true');
  });
});

function mkTempConfig(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'lbp-cfg-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}
