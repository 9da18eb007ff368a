import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoBundles } from '../../src/demo/patients.js';
import { evaluateFhirServer } from '../../src/population/fhir/evaluate-fhir-server.js';
import { finishPopulation } from '../../src/population/population-result.js';
import { createFhirServer, startFhirServer, type RunningFhirServer } from '../../src/sandbox/index.js';
import { createTestIssuer, type TestIssuer } from '../support/jwt.js';
import { PROJECT_ROOT, startService, type RunningService } from '../support/start-service.js';

/** POST /population and the /worklist page, in development (sandbox) and in production mode (JWT required). */
const REF = '2026-11-25';

describe('the population endpoint in development mode, with the embedded FHIR server', () => {
  let svc: RunningService;
  beforeAll(async () => {
    const sandbox = await createFhirServer({ bundles: loadDemoBundles(PROJECT_ROOT) });
    svc = await startService({ fhirRouter: sandbox.router });
  });
  afterAll(() => svc.close());

  it('answers {date, items, report} for the embedded server\'s patients, as the library does', async () => {
    const res = await svc.post('/population', { fhirServer: `${svc.url}/fhir`, date: REF, lang: 'en', allPatients: true });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['date', 'items', 'report']);
    expect(Object.keys(res.body.items[0])).toEqual(['patientId', 'courseType', 'action', 'due', 'code', 'text']);
    const direct = finishPopulation(await evaluateFhirServer({ fhirServer: `${svc.url}/fhir`, patientSource: 'patients' },
      { referenceDate: REF, horizonDays: 14, period: 'quarter', lang: 'en' }));
    expect(res.body).toEqual(JSON.parse(JSON.stringify(direct)));
    expect(res.body.report.patients).toBe(17);
  });

  it('refuses a bad request with 400, a FHIR server the caller may not use with 403, an unreadable one with 412', async () => {
    const bad = await svc.post('/population', { fhirServer: `${svc.url}/fhir`, date: '25-11-2026', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.resourceType).toBe('OperationOutcome');
    expect(bad.body.issue.flatMap((i: { expression?: string[] }) => i.expression ?? [])).toEqual(['date']);
    expect(bad.body.issue.map((i: { diagnostics: string }) => i.diagnostics).join(' ')).toMatch(/additional properties \(extra\)/);
    expect((await svc.post('/population', 'not json')).status).toBe(400);
    expect((await svc.post('/population', { fhirServer: 'https://ehr.example.org/fhir' })).status).toBe(403);
    const down = await svc.post('/population', { fhirServer: 'http://127.0.0.1:9/fhir' });
    expect(down.status).toBe(412);
    expect(down.body.issue[0].diagnostics).toMatch(/http:\/\/127\.0\.0\.1:9\/fhir could not be reached/);
    const get = await fetch(`${svc.url}/population`);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
  });

  it('serves the worklist page at /worklist', async () => {
    const res = await fetch(`${svc.url}/worklist?date=${REF}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<title>Arbejdsliste og kvalitetsrapport/);
    expect(html).toMatch(/fetch\('\/population'/);
  });
});

describe('the population endpoint in production mode', () => {
  let dir: string;
  let fhir: RunningFhirServer;
  let issuer: TestIssuer;
  let svc: RunningService;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lbp-pop-prod-'));
    fhir = await startFhirServer({ bundles: loadDemoBundles(PROJECT_ROOT), requireBearer: 'ehr-token' });
    issuer = await createTestIssuer('https://ehr.example.org');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ trustedIssuers: [{ iss: issuer.iss, jwks: issuer.jwks, fhirServers: [fhir.url] }] }));
    svc = await startService({ env: { NODE_ENV: 'production', CDS_CONFIG: join(dir, 'config.json') } });
  });
  afterAll(async () => {
    await svc.close();
    await fhir.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const body = { fhirServer: '', date: REF, fhirAuthorization: { access_token: 'ehr-token' } };

  it('needs the same JWT as the hooks: none or one for another URL is a 401', async () => {
    const none = await svc.post('/population', { ...body, fhirServer: fhir.url });
    expect([none.status, none.body.issue?.[0]?.code]).toEqual([401, 'login']);
    const otherAud = await svc.post('/population', { ...body, fhirServer: fhir.url }, { authorization: `Bearer ${await issuer.sign(`${svc.url}/cds-services`)}` });
    expect(otherAud.status).toBe(401);
  });

  it('answers a signed call for the issuer\'s own FHIR server, and refuses any other server with 403', async () => {
    const ok = await svc.post('/population', { ...body, fhirServer: fhir.url }, { authorization: `Bearer ${await issuer.sign(`${svc.url}/population`)}` });
    expect(ok.status).toBe(200);
    expect(ok.body.report.patients).toBe(16);
    const elsewhere = await svc.post('/population', { ...body, fhirServer: 'http://127.0.0.1:9/fhir' }, { authorization: `Bearer ${await issuer.sign(`${svc.url}/population`)}` });
    expect(elsewhere.status).toBe(403);
  });

  it('has no worklist page (it belongs to the sandbox)', async () => {
    expect((await fetch(`${svc.url}/worklist`)).status).not.toBe(200);
  });
});
