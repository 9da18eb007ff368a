import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrustedIssuer } from '../../src/config.js';
import { findDemoPatient, loadDemoBundle, type DemoPatient } from '../../src/demo/patients.js';
import { startFhirServer, type RunningFhirServer } from '../../src/sandbox/index.js';
import { createTestIssuer, type TestIssuer } from '../support/jwt.js';
import { searchset, startMisbehavingFhirServer, type MisbehavingFhirServer } from '../support/misbehaving-fhir-server.js';
import { prefetchFromBundle } from '../support/prefetch-from-bundle.js';
import { PROJECT_ROOT, startService, type RunningService } from '../support/start-service.js';

/**
 * Trusting the EHR over real HTTP: every endpoint verifies the JWT against the exact URL called, every failure is
 * the same 401 (the reason only in the log), and a verified issuer may only send us to its own FHIR servers.
 */
const TOKEN = 'auth-test-access-token-e41b';
const HOOK = '/cds-services/lbp-patient-view';
const FEEDBACK = `${HOOK}/feedback`;
const FAILED_AUTH = {
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'login', diagnostics: 'Authentication failed' }],
};

const patient = findDemoPatient('course-2-mid-course') as DemoPatient;
const bundle = loadDemoBundle(PROJECT_ROOT, patient);
const b64url = (x: unknown): string => Buffer.from(JSON.stringify(x)).toString('base64url');

let es: TestIssuer;
let rs: TestIssuer;
let stranger: TestIssuer;
let jkuIssuer: TestIssuer;
let fhirA: RunningFhirServer;
let fhirB: MisbehavingFhirServer;
let jwks: Server;
let jwksBase: string;
let jwksHits: string[];

function hookBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hook: 'patient-view',
    hookInstance: randomUUID(),
    context: { userId: 'Practitioner/pt-1', patientId: patient.patientId },
    ...extra,
  };
}
const viaFhir = (fhirServer: string): Record<string, unknown> => hookBody({
  fhirServer,
  fhirAuthorization: { access_token: TOKEN, token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'lbp-cds' },
});
const viaPrefetch = (): Record<string, unknown> => hookBody({ prefetch: prefetchFromBundle(bundle, patient.patientId) });
const feedbackBody = (): Record<string, unknown> => ({
  feedback: [{ card: randomUUID(), outcome: 'accepted', acceptedSuggestions: [{ id: randomUUID() }], outcomeTimestamp: new Date().toISOString() }],
});

async function get(url: string, authorization?: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { headers: authorization ? { authorization } : {} });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  [es, rs, stranger, jkuIssuer] = await Promise.all([
    createTestIssuer('https://ehr-a.example.dk', 'ES384'),
    createTestIssuer('https://ehr-b.example.dk', 'RS384'),
    createTestIssuer('https://ehr-a.example.dk', 'ES384'),
    createTestIssuer('https://sandbox.cds-hooks.org', 'ES384'),
  ]);
  fhirA = await startFhirServer({ bundles: [bundle], requireBearer: TOKEN, recordAuthorization: true });
  fhirB = await startMisbehavingFhirServer();
  for (const type of ['Encounter', 'EpisodeOfCare', 'CarePlan', 'Observation', 'QuestionnaireResponse']) {
    fhirB.serve(type, searchset((bundle.entry ?? []).map((e) => e.resource!).filter((r) => r.resourceType === type)));
  }
  jwksHits = [];
  jwks = createServer((req, res) => {
    jwksHits.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(jkuIssuer.jwks));
  });
  await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
  jwksBase = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await fhirA?.close();
  await fhirB?.close();
  await new Promise<void>((r) => (jwks ? jwks.close(() => r()) : r()));
});

function issuers(): TrustedIssuer[] {
  return [
    { iss: es.iss, jwks: es.jwks, fhirServers: [fhirA.url] },
    { iss: rs.iss, jwks: rs.jwks, fhirServers: [fhirB.url] },
    { iss: jkuIssuer.iss, jkuAllowlist: [`${jwksBase}/jwks.json`], fhirServers: [] },
  ];
}

describe('a service with trusted issuers (development mode: tokens optional, verified when sent)', () => {
  let svc: RunningService;
  beforeAll(async () => {
    svc = await startService({ trustedIssuers: issuers() });
  });
  afterAll(() => svc.close());

  const bearer = async (issuer: TestIssuer, path: string, overrides?: Parameters<TestIssuer['sign']>[1]): Promise<Record<string, string>> =>
    ({ authorization: `Bearer ${await issuer.sign(`${svc.url}${path}`, overrides)}` });

  for (const which of ['ES384', 'RS384'] as const) {
    it(`accepts a valid ${which} token on discovery, on a hook call and on feedback`, async () => {
      const issuer = which === 'ES384' ? es : rs;
      const discovery = await get(`${svc.url}/cds-services`, (await bearer(issuer, '/cds-services')).authorization);
      expect(discovery.status).toBe(200);
      expect(discovery.body.services.length).toBe(3);
      const hook = await svc.hook('lbp-patient-view', viaPrefetch(), await bearer(issuer, HOOK));
      expect(hook.status).toBe(200);
      expect(hook.body.cards.map((c: any) => c.source.topic.code)).toContain('next-consultation');
      const feedback = await svc.post(FEEDBACK, feedbackBody(), await bearer(issuer, FEEDBACK));
      expect(feedback.status).toBe(200);
      expect(svc.logs.some((l) => l.includes(`"iss":"${issuer.iss}"`))).toBe(true);
    });
  }

  it('checks aud against the exact URL called: a hook token fails on feedback and on discovery, and the other way round', async () => {
    const hookToken = await bearer(es, HOOK);
    expect((await svc.post(FEEDBACK, feedbackBody(), hookToken)).status).toBe(401);
    expect((await get(`${svc.url}/cds-services`, hookToken.authorization)).status).toBe(401);
    expect((await svc.hook('lbp-patient-view', viaPrefetch(), await bearer(es, FEEDBACK))).status).toBe(401);
    expect((await svc.hook('lbp-encounter-start', viaPrefetch(), await bearer(es, HOOK))).status).toBe(401);
    expect((await svc.hook('lbp-patient-view', viaPrefetch(), await bearer(es, `${HOOK}/`))).status).toBe(401);
  });

  it('answers every kind of bad token with the same 401 OperationOutcome, and logs the distinct reasons', async () => {
    const aud = `${svc.url}${HOOK}`;
    const now = Math.floor(Date.now() / 1000);
    const valid = await es.sign(aud);
    const [h, p] = valid.split('.');
    const hsHeader = b64url({ alg: 'HS256', typ: 'JWT', kid: es.kid });
    const hsPayload = b64url({ iss: es.iss, aud, iat: now, exp: now + 300, jti: randomUUID() });
    const hsSignature = createHmac('sha256', JSON.stringify(es.publicJwk)).update(`${hsHeader}.${hsPayload}`).digest('base64url');
    const bad: Array<[string, string]> = [
      ['expired', `Bearer ${await es.sign(aud, { iatSec: now - 900, expSec: now - 600 })}`],
      ['issued in the future', `Bearer ${await es.sign(aud, { iatSec: now + 600, expSec: now + 900 })}`],
      ['signed by a key the issuer does not hold', `Bearer ${await stranger.sign(aud, { header: { kid: es.kid } })}`],
      ['from an unknown issuer', `Bearer ${await createTestIssuer('https://evil.example', 'ES384').then((i) => i.sign(aud))}`],
      ['with a tampered payload', `Bearer ${h}.${b64url({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'admin' })}.${valid.split('.')[2]}`],
      ['alg none', `Bearer ${b64url({ alg: 'none', typ: 'JWT' })}.${hsPayload}.`],
      ['HS256 signed with the public key', `Bearer ${hsHeader}.${hsPayload}.${hsSignature}`],
      ['without a jti', `Bearer ${await es.sign(aud, { claims: { jti: undefined } })}`],
      ['a jku not on the allowlist', `Bearer ${await jkuIssuer.sign(aud, { header: { jku: `${jwksBase}/other.json` } })}`],
      ['Basic instead of Bearer', 'Basic dXNlcjpwYXNz'],
      ['not a JWT', 'Bearer not-a-jwt'],
    ];
    const logsBefore = svc.logs.length;
    for (const [name, authorization] of bad) {
      const result = await svc.hook('lbp-patient-view', viaPrefetch(), { authorization });
      expect(result.status, name).toBe(401);
      expect(result.body, name).toEqual(FAILED_AUTH);
    }
    const reasons = svc.logs.slice(logsBefore).map((l) => JSON.parse(l)).filter((l) => l.status === 401).map((l) => l.reason as string);
    expect(reasons).toHaveLength(bad.length);
    expect(new Set(reasons).size).toBeGreaterThanOrEqual(8);
    expect(jwksHits.filter((u) => u === '/other.json')).toEqual([]);
  });

  it('refuses a replayed token: the same jti is accepted once', async () => {
    const headers = await bearer(rs, HOOK);
    expect((await svc.hook('lbp-patient-view', viaPrefetch(), headers)).status).toBe(200);
    const replay = await svc.hook('lbp-patient-view', viaPrefetch(), headers);
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual(FAILED_AUTH);
  });

  it('takes the key from an allowlisted jku, fetched once and cached across calls', async () => {
    const before = jwksHits.length;
    for (let i = 0; i < 3; i += 1) {
      const result = await svc.hook('lbp-patient-view', viaPrefetch(), await bearer(jkuIssuer, HOOK, { header: { jku: `${jwksBase}/jwks.json` } }));
      expect(result.status).toBe(200);
    }
    expect(jwksHits.slice(before)).toEqual(['/jwks.json']);
  });

  it('still verifies a token when one is sent, although tokens are optional here', async () => {
    const result = await svc.hook('lbp-patient-view', viaPrefetch(), { authorization: 'Bearer a.b.c' });
    expect(result.status).toBe(401);
    expect((await svc.hook('lbp-patient-view', viaPrefetch())).status).toBe(200);
  });

  it("lets each issuer send us only to its own FHIR servers, refused before any connection", async () => {
    const seenA = fhirA.server.authorizations.length;
    const seenB = fhirB.requests.length;
    const aToA = await svc.hook('lbp-patient-view', viaFhir(fhirA.url), await bearer(es, HOOK));
    expect(aToA.status).toBe(200);
    expect(fhirA.server.authorizations.length).toBeGreaterThan(seenA);
    expect(fhirA.server.authorizations.slice(seenA).every((a) => a === `Bearer ${TOKEN}`)).toBe(true);

    const aToB = await svc.hook('lbp-patient-view', viaFhir(fhirB.url), await bearer(es, HOOK));
    expect(aToB.status).toBe(403);
    expect(aToB.body.issue[0].code).toBe('forbidden');
    expect(JSON.stringify(aToB.body)).not.toContain(fhirA.url);
    expect(fhirB.requests.length).toBe(seenB);

    const bToB = await svc.hook('lbp-patient-view', viaFhir(fhirB.url), await bearer(rs, HOOK));
    expect(bToB.status).toBe(200);
    expect(fhirB.requests.slice(seenB).every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    const afterB = fhirA.server.authorizations.length;
    expect((await svc.hook('lbp-patient-view', viaFhir(fhirA.url), await bearer(rs, HOOK))).status).toBe(403);
    expect(fhirA.server.authorizations.length).toBe(afterB);
  });

  it("refuses look-alikes of an issuer's FHIR server: another host name, path or port for the same machine", async () => {
    const a = new URL(fhirA.url);
    const lookAlikes = [
      `http://localhost:${a.port}${a.pathname}`,
      `${a.origin}/other`,
      `${a.origin}${a.pathname}/../other`,
      `${a.origin}${a.pathname}-evil`,
      `http://127.0.0.1:${Number(a.port) === 65535 ? 1 : Number(a.port) + 1}${a.pathname}`,
      `http://user:pass@127.0.0.1:${a.port}${a.pathname}`,
    ];
    const before = fhirA.server.authorizations.length;
    for (const url of lookAlikes) {
      const result = await svc.hook('lbp-patient-view', viaFhir(url), await bearer(es, HOOK));
      expect([400, 403], url).toContain(result.status);
    }
    expect(fhirA.server.authorizations.length).toBe(before);
    // The same base written with a trailing slash is the same server.
    expect((await svc.hook('lbp-patient-view', viaFhir(`${fhirA.url}/`), await bearer(es, HOOK))).status).toBe(200);
  });

  it('lets an unauthenticated development call use loopback FHIR servers only', async () => {
    expect((await svc.hook('lbp-patient-view', viaFhir(fhirA.url))).status).toBe(200);
    for (const url of ['http://ehr.example.org/fhir', 'https://10.0.0.8/fhir', 'http://169.254.169.254/latest', 'file:///etc/passwd']) {
      const result = await svc.hook('lbp-patient-view', viaFhir(url));
      expect([400, 403], url).toContain(result.status);
    }
  });
});

describe('a development service whose configuration lists a non-loopback FHIR server', () => {
  let svc: RunningService;
  let dir: string;
  // `.invalid` never resolves: the listed server is tried (and fails, a 412), the unlisted one is never tried (403).
  const LISTED = 'http://ehr.invalid/fhir';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lbp-dev-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ devFhirServers: [LISTED] }));
    svc = await startService({ env: { CDS_CONFIG: join(dir, 'config.json') } });
  });
  afterAll(async () => {
    await svc.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets an unauthenticated call use the listed server and no other', async () => {
    expect((await svc.hook('lbp-patient-view', viaFhir(LISTED))).status).toBe(412);
    expect((await svc.hook('lbp-patient-view', viaFhir('http://other.invalid/fhir'))).status).toBe(403);
  });
});

describe('a service behind a proxy (PUBLIC_BASE_URL)', () => {
  let svc: RunningService;
  const PUBLIC = 'https://cds.clinic.example.dk';
  beforeAll(async () => {
    svc = await startService({ env: { PUBLIC_BASE_URL: PUBLIC }, trustedIssuers: issuers() });
  });
  afterAll(() => svc.close());

  it('checks aud against the public URL, not the address the proxy connects to', async () => {
    const ok = await svc.hook('lbp-patient-view', viaPrefetch(), { authorization: `Bearer ${await es.sign(`${PUBLIC}${HOOK}`)}` });
    expect(ok.status).toBe(200);
    const feedback = await svc.post(FEEDBACK, feedbackBody(), { authorization: `Bearer ${await rs.sign(`${PUBLIC}${FEEDBACK}`)}` });
    expect(feedback.status).toBe(200);
    const local = await svc.hook('lbp-patient-view', viaPrefetch(), { authorization: `Bearer ${await es.sign(`${svc.url}${HOOK}`)}` });
    expect(local.status).toBe(401);
  });

  it('ignores a forged Host header: aud is still checked against the public URL', async () => {
    const forged = await fetch(`${svc.url}${HOOK}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', host: 'attacker.example', authorization: `Bearer ${await es.sign(`http://attacker.example${HOOK}`)}` },
      body: JSON.stringify(viaPrefetch()),
    });
    expect(forged.status).toBe(401);
  });
});

describe('a service in production mode', () => {
  let svc: RunningService;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lbp-auth-'));
    const configFile = join(dir, 'config.json');
    // Issuers come from the CDS_CONFIG file, as in a deployment.
    writeFileSync(configFile, JSON.stringify({
      trustedIssuers: [
        { iss: es.iss, jwks: es.jwks, fhirServers: [fhirA.url, 'http://ehr.example.org/fhir'] },
        { iss: rs.iss, jwks: rs.jwks, fhirServers: [fhirB.url] },
      ],
    }));
    svc = await startService({ env: { NODE_ENV: 'production', CDS_CONFIG: configFile } });
  });
  afterAll(async () => {
    await svc.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the embedded sandbox off unless asked for', () => {
    expect(svc.config.mode).toBe('production');
    expect(svc.config.sandbox).toBe(false);
  });

  it('refuses calls without a token on every endpoint', async () => {
    expect(await get(`${svc.url}/cds-services`)).toEqual({ status: 401, body: FAILED_AUTH });
    expect((await svc.hook('lbp-patient-view', viaPrefetch())).body).toEqual(FAILED_AUTH);
    expect((await svc.post(FEEDBACK, feedbackBody())).status).toBe(401);
  });

  it('serves a verified issuer on every endpoint', async () => {
    expect((await get(`${svc.url}/cds-services`, `Bearer ${await es.sign(`${svc.url}/cds-services`)}`)).status).toBe(200);
    expect((await svc.hook('lbp-patient-view', viaFhir(fhirA.url), { authorization: `Bearer ${await es.sign(`${svc.url}${HOOK}`)}` })).status).toBe(200);
    expect((await svc.post(FEEDBACK, feedbackBody(), { authorization: `Bearer ${await es.sign(`${svc.url}${FEEDBACK}`)}` })).status).toBe(200);
  });

  it('refuses plain http to a non-loopback FHIR server even when the issuer lists it', async () => {
    const result = await svc.hook('lbp-patient-view', viaFhir('http://ehr.example.org/fhir'), { authorization: `Bearer ${await es.sign(`${svc.url}${HOOK}`)}` });
    expect(result.status).toBe(403);
  });

  it('still answers health and readiness without a token, for the orchestrator', async () => {
    expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${svc.url}/readyz`)).status).toBe(200);
  });
});
